"""Every real-world spreadsheet in shared/corpus is accepted or rejected with
a specific reason; none crashes the run, none is lost, memory stays bounded."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time

import duckdb
import psutil
import pytest

from conftest import REPO

CORPUS = REPO.parent / "shared" / "corpus"
MEMORY_CEILING = 1024 * 1024 * 1024
GENERIC = "ไฟล์เสียหายหรืออยู่ในรูปแบบที่ระบบอ่านไม่ได้"  # the reader's last-resort wording


def manifest() -> dict[str, dict]:
    rows = {}
    for folder in ("wild", "thai"):
        with (CORPUS / folder / "MANIFEST.tsv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                rows[row["file"]] = {**row, "folder": folder}
    return rows


class TreeMemory(threading.Thread):
    """Peak resident memory of a process and all its descendants, summed."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.peak = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            try:
                processes = [self.root, *self.root.children(recursive=True)]
                total = 0
                for p in processes:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
            except psutil.Error:
                return
            time.sleep(0.05)


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    inbox = root / "inbox"
    inbox.mkdir()
    files = manifest()
    old = time.time() - 3600  # long since copied: judged, not waited for
    for name, row in files.items():
        shutil.copy(CORPUS / row["folder"] / name, inbox / name)
        os.utime(inbox / name, (old, old))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    process = subprocess.Popen([sys.executable, "-m", "ita.cli", "run"], cwd=root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(process.pid)
    memory.start()
    out, err = process.communicate(timeout=900)
    memory.running = False
    return root, files, process.returncode, out, err, memory.peak


def test_the_run_completes(corpus_run):
    _, _, code, out, err, _ = corpus_run
    assert code == 0, err[-3000:]
    assert "ไฟล์ที่ถูกปฏิเสธ" in out


def test_every_file_is_accounted_for_and_none_is_lost(corpus_run):
    root, files, *_ = corpus_run
    stored = {p.name.split(".")[0] for p in (root / "data").glob("*/*") if p.is_file()}
    with duckdb.connect(str(root / "data" / "ita.duckdb"), read_only=True) as con:
        outcomes = dict(con.execute("select sha256, outcome from files").fetchall())
        reasons = dict(con.execute(
            "select sha256, string_agg(message, ' | ') from problems where severity = 'error' group by sha256").fetchall())
    assert list((root / "inbox").iterdir()) == []
    for name, row in files.items():
        sha = row["sha256"]
        assert hashlib.sha256((CORPUS / row["folder"] / name).read_bytes()).hexdigest() == sha
        assert sha in stored, name
        assert outcomes[sha] in ("accepted", "rejected"), name
        if outcomes[sha] == "rejected":
            assert reasons.get(sha), name
            assert GENERIC not in reasons[sha], (name, reasons[sha])
        if "encrypt" in row["detected"].lower():
            assert "ไฟล์มีรหัสผ่าน" in reasons[sha], name
        if row["folder"] == "thai":
            assert "ไม่ใช่แบบฟอร์มของระบบ" in reasons[sha], name


def test_peak_memory_of_the_whole_process_tree(corpus_run):
    *_, peak = corpus_run
    print(f"peak RSS of ita run and its children: {peak / 2**20:.0f} MiB")
    assert peak < MEMORY_CEILING
