"""Read workbooks in a worker process with a memory ceiling.

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

The worker does all of a batch's work that needs no database: it parses its
share of the batch file by file (answering after each, so a death is blamed
on the right file), then validates the files together and builds their
records and stored rows (`ita.prepare`), and sends them back as one piece,
the rows as Arrow tables. When it dies with files parsed but not yet sent,
a fresh worker reads them again; when it dies while preparing them, each
is read again on its own.

The worker is a plain subprocess (`python -m ita.isolated_read`) talking
pickles over its stdin/stdout (ita.piped_process).
"""

from __future__ import annotations

import atexit
import os
import resource
import sys
from pathlib import Path

from ita.parse import UNKNOWN, ParsedFile, parse_workbook
from ita.piped_process import READY, Idle, PipedProcess, serving
from ita.prepare import Piece, prepare
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
PREPARE = "prepare"  # the request to prepare the files parsed since the last one
# Arrow's default allocator reserves about a gigabyte of address space up
# front, which the ceiling forbids; the system allocator reserves nothing.
WORKER_ENV = {"ARROW_DEFAULT_MEMORY_POOL": "system"}

CRASHED = Problem(
    "ไฟล์มีโครงสร้างภายในผิดปกติ ระบบอ่านแล้วใช้หน่วยความจำหรือเวลาเกินกำหนด จึงไม่รับไฟล์นี้",
    hint="เปิดไฟล์ใน Excel หรือ LibreOffice แล้วบันทึกเป็น .xlsx ใหม่ หรือกรอกลงแบบฟอร์มจาก ita template แล้วส่งอีกครั้ง",
)


def _serve(limit: int) -> None:
    """The worker: parse each (index, path) it is sent and say so; on
    PREPARE, send the piece of the files parsed since the last one."""
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    requests, answers = serving()
    answers.send(READY)
    held: list[tuple[int, ParsedFile]] = []
    while True:
        try:
            request = requests.recv()
        except EOFError:
            return
        if request is None:
            return
        if request == PREPARE:
            answers.send(prepare(held, slim=True))
            held = []
        else:
            index, path = request
            held.append((index, parse_workbook(path)))
            answers.send(index)


class _Worker(PipedProcess):
    def __init__(self, limit: int):
        super().__init__("ita.isolated_read", str(limit), start_seconds=START_SECONDS,
                         env={**os.environ, **WORKER_ENV})
        self.limit = limit
        self.parsed = 0

    def parse(self, index: int, path: Path, timeout: float) -> bool:
        """Whether the worker parsed the file (it holds it until `prepare`);
        False when it died or hung on it."""
        try:
            self.requests.send((index, path))
            if self.answers.poll(timeout) and self.answers.recv() == index:
                self.parsed += 1
                return True
        except (EOFError, OSError):
            pass
        return False

    def prepare(self, timeout: float) -> Piece | None:
        """The piece of the files parsed since the last one, or None when
        the worker died or hung preparing it."""
        try:
            self.requests.send(PREPARE)
            if self.answers.poll(timeout):
                return self.answers.recv()
        except (EOFError, OSError):
            pass
        return None


# Workers not parsing right now; a batch takes one and gives it back.
_idle: Idle[_Worker] = Idle(retire=lambda worker: worker.parsed >= RECYCLE_AFTER)
atexit.register(_idle.stop_all)


def stop_workers() -> None:
    """Stop the idle workers (the reading is over); later reads start new ones."""
    _idle.stop_all()


def read_isolated(paths: list[Path], limit: int = MEMORY_LIMIT, timeout: float = TIMEOUT_SECONDS) -> list[Piece]:
    """The batch's pieces: every file is in exactly one, by its index in `paths`."""
    pieces: list[Piece] = []
    todo = list(enumerate(paths))
    held: list[tuple[int, Path]] = []  # parsed by `worker`, not yet prepared
    worker = _idle.take(lambda idle: idle.limit == limit)
    try:
        while todo:
            index, path = todo.pop(0)
            worker = worker or _Worker(limit)
            fresh = worker.parsed == 0
            if worker.parse(index, path, timeout):
                held.append((index, path))
                continue
            worker.stop(kill=True)
            worker = None
            if fresh:  # not the heap of the files before: the file is to blame
                pieces.append(_crashed(index))
            else:  # this file first, on a fresh worker; then those the dead one held
                todo[:0] = [(index, path), *held]
            held = []
        if held:
            piece = worker.prepare(timeout)
            if piece is None:
                worker.stop(kill=True)
                worker = None
                pieces += [_alone(index, path, limit, timeout) for index, path in held]
            else:
                pieces.append(piece)
    finally:
        if worker:
            _idle.give_back(worker)
    return pieces


def _alone(index: int, path: Path, limit: int, timeout: float) -> Piece:
    """The file read and prepared by a fresh worker of its own; blamed when that dies."""
    worker = _Worker(limit)
    piece = worker.prepare(timeout) if worker.parse(index, path, timeout) else None
    worker.stop(kill=piece is None)
    return piece or _crashed(index)


def _crashed(index: int) -> Piece:
    return prepare([(index, ParsedFile(UNKNOWN, [CRASHED]))], slim=True)


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
