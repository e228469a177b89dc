"""Parse workbooks in a worker process with a memory ceiling.

Some files in the wild make the Rust reader ask for gigabytes (a compound
file whose sector chain loops: corpus/wild/phpspreadsheet__oleloop.xls), and
Rust aborts the whole process when an allocation fails — nothing Python can
catch. So parsing runs in a worker with an address-space limit, one file at
a time: when the worker dies or hangs, the file it was reading is the one to
blame; it is rejected and a fresh worker takes the rest.

Workers are kept for the whole run and shared by the batches (starting one
imports pandas and pandera: at 100,000 sheets, a worker per batch was most
of the reading time). A long-lived worker's heap may creep towards its
ceiling, so a worker is retired after RECYCLE_AFTER files, and a file is
only blamed when a fresh worker died on it too.

The worker is a plain subprocess (`python -m ita.isolated_read`) talking
pickles over its stdin/stdout, not a multiprocessing child: Dask workers are
daemonic processes, which multiprocessing forbids to have children.
"""

from __future__ import annotations

import atexit
import os
import resource
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from ita.parse import UNKNOWN, ParsedFile, parse_workbook
from ita.problems import Problem

# Bytes of address space for the worker: an idle worker maps ~390 MB
# (libraries; ~125 MB resident) and a real sheet needs < 150 MB more; a
# hostile file stops at the ceiling, with the worker at ~340 MB resident.
# With the main process (~360 MB) and Prefect's server (~260 MB) the run
# stays < 1 GB even then (at 640 MB the wild corpus peaked at 1,045 MiB).
MEMORY_LIMIT = 600 * 1024 * 1024
TIMEOUT_SECONDS = 120.0  # per file
START_SECONDS = 120.0  # a cold worker imports pandas and pandera first
RECYCLE_AFTER = 5000  # files

CRASHED = Problem(
    "ไฟล์มีโครงสร้างภายในผิดปกติ ระบบอ่านแล้วใช้หน่วยความจำหรือเวลาเกินกำหนด จึงไม่รับไฟล์นี้",
    hint="เปิดไฟล์ใน Excel หรือ LibreOffice แล้วบันทึกเป็น .xlsx ใหม่ หรือกรอกลงแบบฟอร์มจาก ita template แล้วส่งอีกครั้ง",
)


def _serve(limit: int) -> None:
    """The worker: parse each path it is sent, answer with the result."""
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # The protocol gets its own copy of stdout; anything a library prints
    # goes to stderr instead of corrupting it.
    answers = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    requests = Connection(os.dup(0), writable=False)
    answers.send("ready")
    while True:
        try:
            path = requests.recv()
        except EOFError:
            return
        if path is None:
            return
        answers.send(parse_workbook(path))


class _Worker:
    def __init__(self, limit: int):
        self.limit = limit
        self.parsed = 0
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ita.isolated_read", str(limit)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )
        self.requests = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.answers = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        if not (self.answers.poll(START_SECONDS) and self.answers.recv() == "ready"):
            self.stop()
            raise RuntimeError("the workbook reader process did not start")

    def parse(self, path: Path, timeout: float) -> ParsedFile | None:
        """The parsed file, or None when the worker died or hung on it."""
        try:
            self.requests.send(path)
            if self.answers.poll(timeout):
                self.parsed += 1
                return self.answers.recv()
        except (EOFError, OSError):
            pass
        return None

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        try:
            self.requests.send(None)
        except (OSError, ValueError):
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.requests.close()
        self.answers.close()


class _Idle:
    """Workers not parsing right now; a batch takes one and gives it back."""

    def __init__(self) -> None:
        self.workers: list[_Worker] = []
        self.lock = threading.Lock()

    def take(self, limit: int) -> _Worker | None:
        with self.lock:
            for worker in self.workers:
                if worker.limit == limit:
                    self.workers.remove(worker)
                    return worker
        return None

    def give_back(self, worker: _Worker) -> None:
        if worker.parsed >= RECYCLE_AFTER:
            worker.stop()
            return
        with self.lock:
            self.workers.append(worker)

    def stop_all(self) -> None:
        with self.lock:
            workers, self.workers = self.workers, []
        for worker in workers:
            worker.stop()


_idle = _Idle()
atexit.register(_idle.stop_all)


def stop_workers() -> None:
    """Stop the idle workers (the reading is over); later reads start new ones."""
    _idle.stop_all()


def parse_isolated(paths: list[Path], limit: int = MEMORY_LIMIT, timeout: float = TIMEOUT_SECONDS) -> list[ParsedFile]:
    results: list[ParsedFile] = []
    worker = _idle.take(limit)
    try:
        for path in paths:
            parsed = None
            while parsed is None:
                worker = worker or _Worker(limit)
                fresh = worker.parsed == 0
                parsed = worker.parse(path, timeout)
                if parsed is None:
                    worker.stop(kill=True)
                    worker = None
                    if fresh:  # not the heap of the files before: the file is to blame
                        parsed = ParsedFile(UNKNOWN, [CRASHED])
            results.append(parsed)
    finally:
        if worker:
            _idle.give_back(worker)
    return results


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
