"""A crash at any point (a real SIGKILL) leaves a state the next run
completes: every input present exactly once, no row counted twice, the same
documents as a clean run. And two runs at once do not trip over each other."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from conftest import REPO, copy_sample, with_prefect_history
from ita.faults import POINTS

TABLES = ("files", "receipts", "setups", "submissions", "submission_rows", "submission_bullets", "problems")


def ita_run(root: Path, crash_at: str | None = None) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    if crash_at:
        env["ITA_CRASH_AT"] = crash_at
    # Output to a file, not a pipe: a killed run's children would hold a pipe open.
    with (root / "run.log").open("ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "ita.cli", "run", "--memo-date", "2023-10-05"], cwd=root,
                                   env=env, stdout=log, stderr=log, start_new_session=True)
        process.wait(timeout=600)
    try:  # the killed run's children (Prefect's server, the reader) die with it
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return process.returncode


def counts(root: Path) -> dict[str, int]:
    with duckdb.connect(str(root / "data" / "ita.duckdb"), read_only=True) as con:
        return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in TABLES}


def documents(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root / "outbox")): p.read_bytes() for p in (root / "outbox").rglob("*.docx")}


def status_matrix(root: Path) -> list[tuple]:
    path = next((root / "outbox").rglob("สถานะการส่งรายงาน_*.xlsx"))
    return list(load_workbook(path)["สถานะการส่ง"].iter_rows(values_only=True))


def where_inputs_are(root: Path) -> dict[str, int]:
    """sha256 of every sample input → how many copies exist in inbox/archive/quarantine."""
    found: dict[str, int] = {}
    for folder in ("inbox", "data/archive", "data/quarantine"):
        for path in (root / folder).glob("*"):
            if path.is_file() and not path.name.startswith("."):
                sha = hashlib.sha256(path.read_bytes()).hexdigest()
                found[sha] = found.get(sha, 0) + 1
    return found


# Every run here finds Prefect's history already migrated (a later night's
# start): what is tested is the office's own data, not Prefect's first start,
# which test_cli's fresh-process run and the two runs at once below cover.

@pytest.fixture(scope="module")
def clean(tmp_path_factory, migrated_prefect_database) -> Path:
    root = tmp_path_factory.mktemp("clean")
    copy_sample(root)
    with_prefect_history(root / "data", migrated_prefect_database)
    assert ita_run(root) == 0
    return root


@pytest.mark.parametrize("point", POINTS)
def test_a_killed_run_is_completed_by_the_next(tmp_path, clean, migrated_prefect_database, point):
    copy_sample(tmp_path)
    with_prefect_history(tmp_path / "data", migrated_prefect_database)
    inputs = {hashlib.sha256(p.read_bytes()).hexdigest() for p in (REPO / "inbox").iterdir()}
    assert ita_run(tmp_path, crash_at=point) == -signal.SIGKILL
    assert ita_run(tmp_path) == 0
    assert where_inputs_are(tmp_path) == {sha: 1 for sha in inputs}
    assert counts(tmp_path) == counts(clean)
    assert documents(tmp_path) == documents(clean)
    assert status_matrix(tmp_path) == status_matrix(clean)


def test_two_runs_at_once_take_turns(tmp_path, clean):
    copy_sample(tmp_path)  # a first night: both runs find Prefect's history still to be made
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    command = [sys.executable, "-m", "ita.cli", "run", "--memo-date", "2023-10-05"]
    first = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outs = [p.communicate(timeout=600) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, [o[1][-2000:] for o in outs]
    assert counts(tmp_path) == counts(clean)
    assert documents(tmp_path) == documents(clean)


def test_every_use_of_the_store_in_a_night_holds_the_run_lock(tmp_path, monkeypatch):
    """DuckDB lets one process at a time have the file: a night that opened
    the store after giving up the run lock (its Prefect artifacts were once
    published so) breaks the next run, which holds the lock by then."""
    import fcntl

    from conftest import run_pipeline
    from ita import store as store_module

    copy_sample(tmp_path)
    lock = tmp_path / "data" / "run.lock"
    opened, unlocked = [], []
    original = store_module.Store.__init__

    def checked(self, path, *args, **kwargs):
        opened.append(path)
        handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:  # another open file takes the lock only when no one holds it
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            unlocked.append(path)
        except BlockingIOError:
            pass
        finally:
            os.close(handle)
        original(self, path, *args, **kwargs)

    monkeypatch.setattr(store_module.Store, "__init__", checked)
    result = run_pipeline(tmp_path)
    assert len(result["accepted"]) == 73
    assert opened and unlocked == []
