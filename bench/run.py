"""The pipeline at scale against its floor, in one run on the same files.

    .venv/bin/python bench/run.py --sheets 7200 [--seed 1] [--workdir /tmp/ita-bench] [--skip-render] [--profile]

1. Generates the synthetic inbox for (--sheets, --seed) when it is not cached
   (bench/generate.py; Excel-layout workbooks written by XlsxWriter).
2. Floor: the bare single-process python-calamine read of every file,
   `CalamineWorkbook.from_path(p).get_sheet_by_index(0).to_python()`, after a
   raw read of every file (warm page cache, as for every figure here).
3. Ingest, as flows/nightly.py does it but without Prefect's task
   bookkeeping: ita.inbox.scan, then ita.ingest.take_in: batches of the
   flow's BATCH_SIZE read and validated by the flow's WORKERS threads (each
   parsing in a memory-capped reader process kept for the run), and loaded
   by one writer as each is read (ita.ingest.load, one transaction per
   batch). Sub-steps are timed through thin wrappers.
4. Render: ita.outputs.write_year_documents for every body/year (the flow's
   WORKERS threads, one Store each) + write_rejection_reports; then one body's
   year-end set alone, into a fresh outbox, and its cProfile.
5. A night with nothing new: the full `ita run` CLI in a fresh process (with
   Prefect and its temporary server) on the now empty inbox, against Prefect's
   own floor (a trivial @flow in a fresh process), both with the same
   PREFECT_HOME, warmed first, alternated --repeats times.

Peak RSS is the sum over the process tree (the measured process and all its
descendants), sampled every 50 ms. Results are printed with their ratio to
their floor or target and written as JSON (<workdir>/run-<N>-s<seed>/results.json
and --json). Timings only; correctness is the tests' job, but the run checks
that every good file was accepted and every bad one rejected.
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import dataclasses
import json
import os
import platform
import pstats
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import psutil  # noqa: E402

import generate  # noqa: E402
import profile_summary  # noqa: E402

MEMO_DATE = "2023-10-05"
SAMPLE_INTERVAL = 0.05
TREE_LIST_INTERVAL = 1.0
MiB = 1024 * 1024
TARGETS = {
    "ingest_ratio": 3.0,  # read→validate→load within 3× the bare calamine read (at 100k)
    "peak_rss_mib": 1024.0,  # < 1 GB at 100k, flat as the inbox grows
    "second_run_ratio": 1.3,  # a night with nothing new within 1.3× Prefect's own floor
    "one_body_render_s": 1.0,  # one body's year-end set < 1 s without PDF
}
PACKAGES = ("python-calamine", "pandas", "pandera", "duckdb", "pyarrow", "prefect", "docxtpl", "python-docx",
            "openpyxl", "xlsxwriter", "matplotlib", "numpy", "psutil", "py-spy")
TRIVIAL_FLOW = '''\
from prefect import flow


@flow
def trivial() -> int:
    return 1


trivial()
'''


CODE_PATTERNS = ("ita/**/*.py", "ita/*.toml", "flows/*.py", "schemas/*.py", "sql/**/*.sql", "templates/*.docx")
SNAPSHOT_PARTS = ("ita", "flows", "schemas", "sql", "templates", "sample", "bench", "inbox", "pyproject.toml")


def code_fingerprint(root: Path = REPO) -> dict:
    """Which pipeline code was measured (the checkout may change between runs)."""
    import hashlib

    digest = hashlib.sha256()
    files = sorted(p for pattern in CODE_PATTERNS for p in root.glob(pattern) if "__pycache__" not in p.parts)
    latest = 0.0
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
        latest = max(latest, path.stat().st_mtime)
    return {"sha256": digest.hexdigest()[:16], "files": len(files),
            "latest_change": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(latest))}


def run_from_snapshot(workdir: Path, argv: list[str]) -> None:
    """Copy the pipeline's code (and this bench) to <workdir>/code-<fingerprint>
    and re-execute this command from there, so that edits to the checkout
    during a long run cannot mix two versions of the code."""
    staging = workdir / f"code-copy-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    for part in SNAPSHOT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, staging / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.exists():
            shutil.copy2(source, staging / part)
    import hashlib

    bench = hashlib.sha256(b"".join(f.read_bytes() for f in sorted((staging / "bench").glob("*.py")))).hexdigest()[:8]
    target = workdir / f"code-{code_fingerprint(staging)['sha256']}-bench-{bench}"
    if target.exists():
        shutil.rmtree(staging)
    else:
        staging.rename(target)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(target), *filter(None, [env.get("PYTHONPATH")])])
    env["ITA_BENCH_SNAPSHOT_OF"] = str(REPO)
    print(f"measuring a snapshot of the code: {target}", file=sys.stderr)
    os.chdir(target)
    os.execve(sys.executable, [sys.executable, str(target / "bench" / "run.py"), *argv], env)


def flow_constants() -> dict[str, int]:
    """BATCH_SIZE and WORKERS as flows/nightly.py declares them (read from its
    source: importing the flow would import Prefect into the measured process)."""
    tree = ast.parse((REPO / "flows" / "nightly.py").read_text(encoding="utf-8"))
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in ("BATCH_SIZE", "WORKERS") and isinstance(node.value, ast.Constant):
                found[node.targets[0].id] = node.value.value
    return found


# ------------------------------------------------------------------ memory


def tree_processes(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root] + root.children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def tree_rss(procs: list[psutil.Process]) -> int:
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


class TreeSampler(threading.Thread):
    """Every 50 ms, the RSS summed over a process tree; the peak per phase
    and a one-per-second series (the max of each second). The tree itself
    is listed again once a second: listing it walks every process of the
    machine, and this thread shares the measured process's GIL (at 50 ms
    it took ~20% of the ingest's samples on a busy machine). The readers
    live for thousands of files, so none is missed."""

    def __init__(self, interval: float = SAMPLE_INTERVAL):
        super().__init__(daemon=True)
        self.interval = interval
        self.lock = threading.Lock()
        self.pid: int | None = None
        self.peak = 0
        self.series: list[tuple[float, float]] = []
        self._second_max = 0
        self._second = 0
        self._t0 = 0.0
        self.samples = 0
        self.cpu_seconds = 0.0
        self.stopped = threading.Event()
        self._procs: list[psutil.Process] = []
        self._listed = 0.0

    def _rss(self) -> int:
        now = time.perf_counter()
        if now - self._listed >= TREE_LIST_INTERVAL:
            self._procs, self._listed = tree_processes(self.pid), now
        return tree_rss(self._procs)

    def watch(self, pid: int) -> None:
        with self.lock:
            self.pid, self._listed = pid, 0.0
            self.peak, self.series = self._rss(), []
            self._t0, self._second, self._second_max = time.perf_counter(), 0, 0

    def checkpoint(self) -> float:
        """The peak (MiB) since watch() or the last checkpoint; restarts it."""
        with self.lock:
            peak, self.peak = self.peak, self._rss() if self.pid else 0
            return round(peak / MiB, 1)

    def unwatch(self) -> dict:
        with self.lock:
            self.pid = None
            if self._second_max:
                self.series.append((self._second, round(self._second_max / MiB, 1)))
            return {"peak_rss_mib": round(self.peak / MiB, 1), "rss_series_mib": self.series}

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            t0 = time.thread_time()
            with self.lock:
                if self.pid is None:
                    continue
                rss = self._rss()
                self.samples += 1
                self.peak = max(self.peak, rss)
                second = int(time.perf_counter() - self._t0)
                if second != self._second:
                    self.series.append((self._second, round(self._second_max / MiB, 1)))
                    self._second, self._second_max = second, 0
                self._second_max = max(self._second_max, rss)
            self.cpu_seconds += time.thread_time() - t0


SAMPLER = TreeSampler()


class CpuShare:
    """CPU seconds used by this process tree and by everything else on the
    machine over a span: the machine is shared, and other work there slows
    every figure (docs/performance.md: ±10–30 %)."""

    def __init__(self) -> None:
        self.machine, self.own = self._machine(), self._own()

    @staticmethod
    def _machine() -> float:
        t = psutil.cpu_times()
        return t.user + t.system + getattr(t, "nice", 0) + getattr(t, "irq", 0) + getattr(t, "softirq", 0)

    @staticmethod
    def _own() -> float:
        t = os.times()  # this process + its waited-for descendants
        return t.user + t.system + t.children_user + t.children_system

    def report(self) -> dict:
        machine, own = self._machine() - self.machine, self._own() - self.own
        return {"own_cpu_s": round(own, 1), "other_processes_cpu_s": round(max(machine - own, 0.0), 1),
                "loadavg_1m_at_end": round(os.getloadavg()[0], 2)}


@contextmanager
def phase(results: dict, name: str, pid: int | None = None):
    """Time a phase and record the peak RSS of the tree rooted at `pid`."""
    SAMPLER.watch(pid or os.getpid())
    started = time.perf_counter()
    cpu = CpuShare()
    record: dict = results.setdefault(name, {})
    try:
        yield record
    finally:
        record["seconds"] = round(time.perf_counter() - started, 3)
        record["cpu"] = cpu.report()
        record.update(SAMPLER.unwatch())
        subpeaks = [v for k, v in record.items() if k.endswith("_peak_rss_mib") and k != "peak_rss_mib"]
        record["peak_rss_mib"] = max([record["peak_rss_mib"], *subpeaks])


# ------------------------------------------------------------------ timers


class Timings:
    """Thread-safe sums of durations per name (thread-seconds when threads overlap)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def add(self, name: str, seconds: float) -> None:
        with self.lock:
            self.seconds[name] += seconds
            self.calls[name] += 1

    def wrap(self, name: str, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(name, time.perf_counter() - started)

        return timed

    def report(self) -> dict:
        return {name: {"seconds": round(s, 3), "calls": self.calls[name]}
                for name, s in sorted(self.seconds.items(), key=lambda kv: -kv[1])}


def timed_store_class(timings: Timings):
    """An ita.store.Store whose public methods (query, command, append …,
    whatever the Store of the day has) are timed per call, labelled with the
    statement or table they are given. Transactions are left as they are."""
    from ita.store import Store

    def timed(name: str, method):
        def call(self, *args, **kwargs):
            label = f"store.{name}" + (f" {args[0]}" if args and isinstance(args[0], str) else "")
            started = time.perf_counter()
            try:
                return method(self, *args, **kwargs)
            finally:
                timings.add(label, time.perf_counter() - started)

        return call

    methods = {name: timed(name, member) for name, member in vars(Store).items()
               if callable(member) and not name.startswith("_") and name not in ("close", "transaction")}
    return type("TimedStore", (Store,), methods)


# ------------------------------------------------------------------ stages


def inbox_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def floor_read(files: list[Path]) -> dict:
    """Raw bytes, then the bare calamine read: single process, one pass each."""
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    size = 0
    for path in files:
        size += len(path.read_bytes())
    raw = time.perf_counter() - started
    failed = 0
    started = time.perf_counter()
    for path in files:
        try:
            CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        except Exception:  # the non-workbook files
            failed += 1
    calamine = time.perf_counter() - started
    return {"files": len(files), "bytes": size, "raw_read_s": round(raw, 3), "calamine_read_s": round(calamine, 3),
            "calamine_ms_per_file": round(1000 * calamine / max(len(files), 1), 3), "unreadable": failed}


def link_inbox(source: Path, target: Path) -> int:
    """The run's inbox: hard links to the cached files (the pipeline moves
    files out of its inbox and never writes to them, so the cache survives)."""
    n = 0
    for path in inbox_files(source):
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, dest)
        except OSError:
            shutil.copy2(path, dest)
        n += 1
    return n


def start_profiler(output: Path, rate: int) -> subprocess.Popen | None:
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        print("py-spy not found: no profile (pip install py-spy)", file=sys.stderr)
        return None
    process = subprocess.Popen([spy, "record", "--pid", str(os.getpid()), "--subprocesses", "--rate", str(rate),
                                "--format", "raw", "--output", str(output)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # let it attach
    return process


def stop_profiler(process: subprocess.Popen | None) -> None:
    if process:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()


def ingest(config, results: dict, constants: dict, profile: Path | None, profile_rate: int) -> dict:
    """As the flow's take-in does it (ita.ingest.take_in: the flow's WORKERS
    threads read batches ahead of the one writer, which loads each as it is
    read), without Prefect's task bookkeeping."""
    from ita import inbox, isolated_read, ingest as ita_ingest
    from ita.lock import run_lock

    timings = Timings()
    # What the flow's tasks call, with the steps inside them timed.
    for name, label in (("read_isolated", "read_and_validate: read_isolated (reader processes: parse, validate, "
                                          "build rows)"),
                        ("keep_all", "load: keep_all (keep in archive/quarantine)"),
                        ("remove_originals", "load: remove_originals (unlink from the inbox)")):
        setattr(ita_ingest, name, timings.wrap(label, getattr(ita_ingest, name)))
    read_and_validate = timings.wrap("read_and_validate (whole)", ita_ingest.read_and_validate)
    load = timings.wrap("load (whole)", ita_ingest.load)
    store_class = timed_store_class(timings)
    batch_size, workers = constants["BATCH_SIZE"], constants["WORKERS"]

    reader_starts = [0]
    start_reader = isolated_read._Worker.__init__

    def counted_start(self, *args, **kwargs):
        reader_starts[0] += 1
        start_reader(self, *args, **kwargs)

    isolated_read._Worker.__init__ = counted_start
    read_times: list[float] = []
    load_times: list[float] = []

    def read_batch(files):
        started = time.perf_counter()
        try:
            return read_and_validate(files)
        finally:
            read_times.append(round(time.perf_counter() - started, 3))

    def load_batch(outcomes, store):
        started = time.perf_counter()
        try:
            return load(outcomes, store, config)
        finally:
            load_times.append(round(time.perf_counter() - started, 3))

    profiler = start_profiler(profile, profile_rate) if profile else None
    out: dict = {"batch_size": batch_size, "workers": workers}
    try:
        with phase(results, "ingest") as record, run_lock(config.data):
            started = time.perf_counter()
            scan = inbox.scan(config.inbox, config.settle_seconds)
            out["scan_s"] = round(time.perf_counter() - started, 3)
            batches = [scan.ready[i:i + batch_size] for i in range(0, len(scan.ready), batch_size)]
            started = time.perf_counter()
            # As the flow's take-in: one store for every batch.
            with ThreadPoolExecutor(max_workers=workers) as pool, store_class(config.database) as store:
                summary = ita_ingest.take_in(batches, read=lambda batch, name: pool.submit(read_batch, batch),
                                             load=lambda outcomes: load_batch(outcomes, store), ahead=workers)
            out["read_validate_load_s"] = round(time.perf_counter() - started, 3)
            record.update(out)
    finally:
        stop_profiler(profiler)
    results["ingest"].update({
        "files_ready": len(scan.ready), "files_waiting": len(scan.waiting), "batches": len(batches),
        "accepted": len(summary.accepted), "rejected": len(summary.rejected), "duplicates": len(summary.duplicates),
        "rejected_files": sorted(summary.rejected)[:50],
        "breakdown_thread_seconds": timings.report(),
        "read_validate_per_batch_s": read_times,
        "load_per_batch_s": load_times,
        "reader_worker_processes_started": reader_starts[0],
    })
    ing = results["ingest"]
    ing["total_s"] = round(ing["scan_s"] + ing["read_validate_load_s"], 3)
    return ing


def database_counts(config) -> dict:
    from ita.store import Store

    counts = {}
    with Store(config.database, read_only=True) as store:
        for table in ("files", "setups", "submissions", "submission_rows", "submission_bullets", "problems"):
            counts[table] = store.con.execute(f"select count(*) from {table}").fetchone()[0]
    counts["database_mib"] = round(config.database.stat().st_size / MiB, 1)
    return counts


def render(config, results: dict, workers: int, alone_repeats: int, profile: Path | None = None,
           profile_rate: int = 50) -> dict:
    """As the flow does it: the years out of date (all of them, after a first
    ingest), on the flow's WORKERS threads, each in a render worker process
    when the flow would use them (ita.render_workers), then the rejection reports."""
    from ita import charts, freshness, outputs, overview, render_workers
    from ita.lock import run_lock
    from ita.store import Store

    today = date.today()
    per_body: list[float] = []
    written: list[int] = []

    def render_year(row: dict) -> None:
        started = time.perf_counter()
        with Store(config.database) as store:
            paths = write(store, config, row["body_key"], row["fiscal_year"], today)
        per_body.append(time.perf_counter() - started)
        written.append(len(paths))

    with phase(results, "render") as record, run_lock(config.data):
        with Store(config.database) as store:
            years = freshness.years_to_write(store, config, today)
        in_workers = render_workers.in_processes(len(years))
        write = render_workers.year_writer(in_workers)
        profiler = start_profiler(profile, profile_rate) if profile else None
        started = time.perf_counter()
        try:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(render_year, years))
        finally:
            render_workers.stop_workers()
            stop_profiler(profiler)
        record["year_documents_s"] = round(time.perf_counter() - started, 3)
        record["in_render_workers"] = in_workers
        started = time.perf_counter()
        with Store(config.database) as store:
            rejection = outputs.write_rejection_reports(store, config)
            # As the night does, after the bodies' documents (whose readiness it shows).
            rejection += overview.write_overviews(store, config, today).written
        record["rejection_reports_s"] = round(time.perf_counter() - started, 3)
    per_body.sort()
    record.update({
        "workers": workers,
        "bodies": len(years),
        "documents_written": sum(written) + len(rejection),
        "year_documents_written": sum(written),
        "rejection_outputs_written": len(rejection),
        "per_body_in_run_s": {"median": round(statistics.median(per_body), 3) if per_body else None,
                              "p90": round(per_body[int(0.9 * (len(per_body) - 1))], 3) if per_body else None,
                              "max": round(per_body[-1], 3) if per_body else None},
        "outbox_mib": round(sum(p.stat().st_size for p in config.outbox.rglob("*") if p.is_file()) / MiB, 1),
    })
    if years:
        # One body's year-end set alone (no other render running), into a fresh outbox each time.
        row = years[0]
        alone = []
        for k in range(alone_repeats + 2):  # a warm-up, the timed runs, one under cProfile
            fresh = dataclasses.replace(config, outbox=config.outbox.parent / f"outbox-alone-{k}")
            # Its charts drawn again each time: the bodies of the synthetic
            # inbox share one score table, so they were all drawn already.
            charts.forget_drawn()
            profiler = cProfile.Profile() if k == alone_repeats + 1 else None
            with Store(config.database) as store:
                started = time.perf_counter()
                if profiler:
                    profiler.enable()
                paths = outputs.write_year_documents(store, fresh, row["body_key"], row["fiscal_year"], today)
                if profiler:
                    profiler.disable()
                elapsed = time.perf_counter() - started
            shutil.rmtree(fresh.outbox, ignore_errors=True)
            if profiler:
                record["one_body_profiled_s"] = round(elapsed, 3)
                record["one_body_profile_top"] = _pstats_rows(profiler)
            elif k:
                alone.append(elapsed)
        record["one_body_alone_s"] = round(statistics.median(alone), 3) if alone else None
        record["one_body_alone_runs_s"] = [round(a, 3) for a in alone]
        record["one_body_documents"] = len(paths)
    return record


def _pstats_rows(profiler: cProfile.Profile, top: int = 25) -> list[dict]:
    stats = pstats.Stats(profiler)
    rows = []
    for (file, line, func), (cc, nc, tt, ct, callers) in stats.stats.items():
        short = file
        for marker in ("site-packages/", "lib/python3.11/", str(REPO) + "/"):
            if marker in short:
                short = short.split(marker, 1)[1]
        rows.append({"function": f"{func} ({short}:{line})", "cumulative_s": round(ct, 3), "self_s": round(tt, 3),
                     "calls": nc})
    rows.sort(key=lambda r: -r["cumulative_s"])
    return rows[:top]


def outbox_snapshot(outbox: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in outbox.rglob("*") if p.is_file()}


def timed_process(command: list[str], env: dict, log: Path) -> dict:
    """Wall time and tree peak RSS of a fresh process; its output goes to `log`."""
    record: dict = {}
    with log.open("ab") as out:
        out.write(f"\n$ {' '.join(command)}\n".encode())
        out.flush()
        start_offset = out.tell()
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=str(REPO))
        SAMPLER.watch(process.pid)
        code = process.wait()
        record["seconds"] = round(time.perf_counter() - started, 3)
        record.update(SAMPLER.unwatch())
        subpeaks = [v for k, v in record.items() if k.endswith("_peak_rss_mib") and k != "peak_rss_mib"]
        record["peak_rss_mib"] = max([record["peak_rss_mib"], *subpeaks])
    record["exit_code"] = code
    record.pop("rss_series_mib", None)
    if code:
        with log.open("rb") as handle:
            handle.seek(start_offset)
            text = handle.read().decode("utf-8", "replace")
        errors = [line for line in text.splitlines() if "Error" in line or "Exception" in line]
        record["error"] = errors[-1][:400] if errors else text.strip().splitlines()[-1][:400]
    return record


def second_run(config, run_dir: Path, results: dict, repeats: int, warmup: bool) -> dict:
    """A night with nothing new: `ita run` (fresh process, Prefect's temporary
    server) against a trivial @flow (fresh process), same PREFECT_HOME."""
    prefect_home = run_dir / "prefect"
    prefect_home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(prefect_home), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180", DISABLE_PANDERA_IMPORT_WARNING="True")
    trivial = run_dir / "trivial_flow.py"
    trivial.write_text(TRIVIAL_FLOW, encoding="utf-8")
    floor_cmd = [sys.executable, str(trivial)]
    args = ["run", "--inbox", str(config.inbox), "--outbox", str(config.outbox), "--data", str(config.data),
            "--memo-date", MEMO_DATE]
    ita_cmd = [sys.executable, "-m", "ita.cli", *args]
    log = run_dir / "second_run.log"
    out: dict = {"prefect_home": str(prefect_home), "command": "ita " + " ".join(args),
                 "inbox_files_left": len(inbox_files(config.inbox))}
    if warmup:  # a fresh PREFECT_HOME migrates its database first (~17 s): not part of either figure
        out["warmup_cold_trivial_flow"] = timed_process(floor_cmd, env, log)
    before = outbox_snapshot(config.outbox)
    floors, runs = [], []
    first = timed_process(ita_cmd, env, log)
    out["ita_run_first"] = first
    runs.append(first)
    for _ in range(repeats):  # alternated, so drift hits both alike
        floors.append(timed_process(floor_cmd, env, log))
        if len(runs) < repeats:
            runs.append(timed_process(ita_cmd, env, log))
    after = outbox_snapshot(config.outbox)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    out.update({
        "ita_run_exit_code": first["exit_code"],
        "trivial_flow_runs": floors,
        "ita_run_runs": runs,
        "trivial_flow_s": round(statistics.median(r["seconds"] for r in floors), 3),
        "ita_run_s": round(statistics.median(r["seconds"] for r in runs), 3),
        "trivial_flow_peak_rss_mib": max(r["peak_rss_mib"] for r in floors),
        "ita_run_peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
        "exit_codes": sorted({r["exit_code"] for r in floors + runs}),
        "outbox_files_changed": len(changed),
        "outbox_changed_examples": changed[:10],
        "log": str(log),
    })
    out["ratio"] = round(out["ita_run_s"] / out["trivial_flow_s"], 2)
    results["second_run"] = out
    return out


# ------------------------------------------------------------------ report


def machine() -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "nproc": os.cpu_count(),
        "cpu": _cpu_name(),
        "memory_gib": round(psutil.virtual_memory().total / 1024 ** 3, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
    }


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def targets(results: dict) -> dict:
    out = {}
    ing, floor = results.get("ingest"), results.get("floor")
    if ing and floor:
        ratio = ing["total_s"] / max(floor["calamine_read_s"], 1e-9)
        out["ingest_within_3x_floor"] = {"measured": round(ratio, 2), "target": TARGETS["ingest_ratio"],
                                         "met": ratio <= TARGETS["ingest_ratio"]}
        peak = max(results[p]["peak_rss_mib"] for p in ("ingest", "render") if p in results)
        out["peak_rss_below_1GB"] = {"measured": peak, "target": TARGETS["peak_rss_mib"],
                                     "met": peak < TARGETS["peak_rss_mib"]}
    second = results.get("second_run")
    if second:
        out["nothing_new_within_1.3x_prefect"] = {"measured": second["ratio"], "target": TARGETS["second_run_ratio"],
                                                 "met": second["ratio"] <= TARGETS["second_run_ratio"]}
        out["nothing_new_peak_rss_below_1GB"] = {"measured": second["ita_run_peak_rss_mib"],
                                                 "target": TARGETS["peak_rss_mib"],
                                                 "met": second["ita_run_peak_rss_mib"] < TARGETS["peak_rss_mib"]}
    rend = results.get("render")
    if rend and rend.get("one_body_alone_s") is not None:
        out["one_body_render_below_1s"] = {"measured": rend["one_body_alone_s"], "target": TARGETS["one_body_render_s"],
                                           "met": rend["one_body_alone_s"] < TARGETS["one_body_render_s"]}
    if rend:
        workers = rend["workers"]
        out["bounded_render_concurrency"] = {"measured": workers, "target": f"bounded (≤ nproc = {os.cpu_count()})",
                                             "met": isinstance(workers, int) and 0 < workers <= (os.cpu_count() or 1)}
    return out


def print_report(results: dict) -> None:
    rows = []
    floor = results.get("floor", {})
    f = floor.get("calamine_read_s")

    def add(label: str, value, unit: str, base=None, base_label: str = "") -> None:
        ratio = f"{value / base:.2f}× {base_label}" if base else ""
        rows.append((label, f"{value:,.2f} {unit}" if isinstance(value, (int, float)) else str(value), ratio))

    if floor:
        add("raw read of every file", floor["raw_read_s"], "s")
        add("FLOOR: bare calamine read, 1 process", f, "s")
    ing = results.get("ingest")
    if ing:
        add("ingest: scan (sha256 + saved_at)", ing["scan_s"], "s", f, "floor")
        add("ingest: read + validate + load, overlapped", ing["read_validate_load_s"], "s", f, "floor")
        add("INGEST total (scan→read→validate→load)", ing["total_s"], "s", f, "floor")
        add("ingest peak RSS, process tree", ing["peak_rss_mib"], "MiB", TARGETS["peak_rss_mib"], "of 1 GiB")
    rend = results.get("render")
    if rend:
        add("RENDER all bodies (year documents)", rend["year_documents_s"], "s")
        add("render: rejection reports", rend["rejection_reports_s"], "s")
        add("render: per body in the run (median)", rend["per_body_in_run_s"]["median"], "s",
            TARGETS["one_body_render_s"], "of 1 s target")
        if rend.get("one_body_alone_s") is not None:
            add("ONE BODY's year-end set, alone", rend["one_body_alone_s"], "s", TARGETS["one_body_render_s"],
                "of 1 s target")
        add("render peak RSS, process tree", rend["peak_rss_mib"], "MiB", TARGETS["peak_rss_mib"], "of 1 GiB")
    second = results.get("second_run")
    if second:
        add("FLOOR: trivial @flow, fresh process", second["trivial_flow_s"], "s")
        add("NOTHING NEW: `ita run`, fresh process", second["ita_run_s"], "s", second["trivial_flow_s"], "Prefect floor")
        add("nothing new: peak RSS, process tree", second["ita_run_peak_rss_mib"], "MiB",
            second["trivial_flow_peak_rss_mib"], "Prefect floor")
    width = max(len(r[0]) for r in rows) if rows else 10
    print()
    print(f"ita benchmark — {results['params']['sheets']:,} sheets, {results['params']['files']:,} files, "
          f"{results['params']['bodies']:,} bodies, seed {results['params']['seed']}")
    for label, value, ratio in rows:
        print(f"  {label:<{width}}  {value:>14}  {ratio}")
    for name, t in results.get("targets", {}).items():
        print(f"  target {name}: measured {t['measured']} vs {t['target']} → {'met' if t['met'] else 'NOT met'}")
    if results.get("code_changed_during_run"):
        print("  !! the pipeline's code changed during this run: figures mix two versions")
    if second and second["ita_run_exit_code"] != 0:
        print(f"  !! `ita run` (nothing new) exited {second['ita_run_exit_code']}: see {second['log']}")
    if ing:
        print(f"  accepted {ing['accepted']:,} (expected {results['expected']['accepted']:,}), "
              f"rejected {ing['rejected']:,} (expected {results['expected']['rejected']:,})")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=7200, help="good monthly sheets (bodies = ceil(N/72))")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ita-bench"),
                        help="cache of generated inboxes and the run folders")
    parser.add_argument("--skip-render", action="store_true",
                        help="no rendering; also no nothing-new run (it would render everything)")
    parser.add_argument("--skip-second-run", action="store_true", help="no `ita run` vs Prefect floor comparison")
    parser.add_argument("--repeats", type=int, default=3, help="alternated runs of each fresh process (median)")
    parser.add_argument("--no-prefect-warmup", dest="prefect_warmup", action="store_false",
                        help="do not warm the fresh PREFECT_HOME first (the first trivial flow then migrates it)")
    parser.add_argument("--alone-repeats", type=int, default=3, help="timed renders of one body alone (median)")
    parser.add_argument("--profile", action="store_true",
                        help="py-spy the ingest and the render (the main process and its workers)")
    parser.add_argument("--profile-rate", type=int, default=50, help="py-spy samples per second")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="generator processes")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the run folder (data, outbox) afterwards")
    parser.add_argument("--snapshot", action="store_true",
                        help="measure a copy of the code taken now (for long runs while the checkout is being edited)")
    args = parser.parse_args(argv)
    if args.snapshot:
        args.workdir.mkdir(parents=True, exist_ok=True)
        rest = [a for a in (sys.argv[1:] if argv is None else argv) if a != "--snapshot"]
        rest += ["--workdir", str(args.workdir.resolve())] + (["--json", str(args.json.resolve())] if args.json else [])
        run_from_snapshot(args.workdir.resolve(), rest)

    args.workdir.mkdir(parents=True, exist_ok=True)
    cache, manifest = generate.ensure(args.sheets, args.seed, args.workdir, args.jobs)
    constants = flow_constants()
    run_dir = args.workdir / f"run-{args.sheets}-s{args.seed}"
    if run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True)
    results: dict = {
        "machine": machine(),
        "params": {"sheets": args.sheets, "seed": args.seed, "bodies": manifest["bodies"], "files": manifest["files"],
                   "inbox_mib": round(manifest["bytes"] / MiB, 1), "cache": str(cache), "run_dir": str(run_dir),
                   "batch_size": constants.get("BATCH_SIZE"), "workers": constants.get("WORKERS"),
                   "memo_date": MEMO_DATE, "started": time.strftime("%Y-%m-%d %H:%M:%S")},
        "code": {**code_fingerprint(), "root": str(REPO), "snapshot_of": os.environ.get("ITA_BENCH_SNAPSHOT_OF")},
        "inbox": {k: v for k, v in manifest.items() if k != "bad_files"},
        "expected": manifest["expected"],
    }
    SAMPLER.start()
    wall = time.perf_counter()

    files = inbox_files(cache / "inbox")
    print(f"floor: reading {len(files):,} files …", file=sys.stderr)
    cpu = CpuShare()
    results["floor"] = floor_read(files)
    results["floor"]["cpu"] = cpu.report()

    from ita import settings

    linked = link_inbox(cache / "inbox", run_dir / "inbox")
    config = settings.resolve(inbox=str(run_dir / "inbox"), outbox=str(run_dir / "outbox"),
                              data=str(run_dir / "data"), memo_date=MEMO_DATE)
    results["params"]["linked_files"] = linked
    print("ingest …", file=sys.stderr)
    profile = run_dir / "profile-ingest.txt" if args.profile else None
    ingest(config, results, constants, profile, args.profile_rate)
    results["ingest"]["ratio_to_floor"] = round(results["ingest"]["total_s"] / results["floor"]["calamine_read_s"], 2)
    results["ingest"]["database"] = database_counts(config)
    results["ingest"]["as_expected"] = (results["ingest"]["accepted"] == manifest["expected"]["accepted"]
                                        and results["ingest"]["rejected"] == manifest["expected"]["rejected"])
    if profile and profile.exists():
        results["ingest"]["profile"] = {"raw": str(profile), **profile_summary.summarize(profile, top=40)}

    if not args.skip_render:
        print("render …", file=sys.stderr)
        render_profile = run_dir / "profile-render.txt" if args.profile else None
        render(config, results, constants.get("WORKERS", 2), args.alone_repeats, render_profile, args.profile_rate)
        if render_profile and render_profile.exists():
            results["render"]["profile"] = {"raw": str(render_profile),
                                            **profile_summary.summarize(render_profile, top=40)}
        if not args.skip_second_run:
            print("a night with nothing new (`ita run` vs a trivial flow, fresh processes) …", file=sys.stderr)
            second_run(config, run_dir, results, args.repeats, args.prefect_warmup)

    results["code_at_end"] = code_fingerprint()
    results["code_changed_during_run"] = results["code_at_end"]["sha256"] != results["code"]["sha256"]
    results["targets"] = targets(results)
    results["wall_s"] = round(time.perf_counter() - wall, 1)
    results["params"]["ended"] = time.strftime("%Y-%m-%d %H:%M:%S")
    results["sampler"] = {"interval_s": SAMPLE_INTERVAL, "samples": SAMPLER.samples,
                          "cpu_s": round(SAMPLER.cpu_seconds, 2)}
    SAMPLER.stopped.set()
    text = json.dumps(results, ensure_ascii=False, indent=1, default=str)
    (run_dir / "results.json").write_text(text, encoding="utf-8")
    (args.workdir / f"results-{args.sheets}-s{args.seed}.json").write_text(text, encoding="utf-8")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text, encoding="utf-8")
    print_report(results)
    for phase_name in ("ingest", "render"):
        if results.get(phase_name, {}).get("profile"):
            print(f"{phase_name}:")
            print(profile_summary.format_summary(results[phase_name]["profile"], top=20))
    if not args.keep:
        for sub in ("inbox", "outbox", "data"):
            shutil.rmtree(run_dir / sub, ignore_errors=True)
    return results


if __name__ == "__main__":
    main()
