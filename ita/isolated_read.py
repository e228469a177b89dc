"""Parse workbooks in a worker process with a memory ceiling.

Some files in the wild make the Rust reader ask for gigabytes (a compound
file whose sector chain loops: corpus/wild/phpspreadsheet__oleloop.xls), and
Rust aborts the whole process when an allocation fails — nothing Python can
catch. So parsing runs in a worker with an address-space limit, one file at
a time: when the worker dies or hangs, the file it was reading is the one to
blame; it is rejected and a fresh worker takes the rest.
"""

from __future__ import annotations

import multiprocessing
import resource
from multiprocessing.connection import Connection
from pathlib import Path

from ita.parse import UNKNOWN, ParsedFile, parse_workbook
from ita.problems import Problem

# Bytes of address space for the worker: an idle worker maps ~390 MB
# (libraries) and a real sheet needs < 150 MB more; a hostile file stops at
# the ceiling. With the main process and Prefect's server the run stays < 1 GB.
MEMORY_LIMIT = 640 * 1024 * 1024
TIMEOUT_SECONDS = 120.0  # per file
START_SECONDS = 120.0  # a cold worker imports pandas and pandera first

CRASHED = Problem(
    "ไฟล์มีโครงสร้างภายในผิดปกติ ระบบอ่านแล้วใช้หน่วยความจำหรือเวลาเกินกำหนด จึงไม่รับไฟล์นี้",
    hint="เปิดไฟล์ใน Excel หรือ LibreOffice แล้วบันทึกเป็น .xlsx ใหม่ หรือกรอกลงแบบฟอร์มจาก ita template แล้วส่งอีกครั้ง",
)


def _serve(connection: Connection, limit: int) -> None:
    """The worker: parse each path it is sent, answer with the result."""
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    connection.send("ready")
    while True:
        path = connection.recv()
        if path is None:
            return
        connection.send(parse_workbook(path))


class _Worker:
    # spawn, not fork: the parent runs Prefect's threads, and forking a
    # threaded process can deadlock the child.
    _context = multiprocessing.get_context("spawn")

    def __init__(self, limit: int):
        self.connection, child = self._context.Pipe()
        self.process = self._context.Process(target=_serve, args=(child, limit), daemon=True)
        self.process.start()
        child.close()
        if not (self.connection.poll(START_SECONDS) and self.connection.recv() == "ready"):
            self.stop()
            raise RuntimeError("the workbook reader process did not start")

    def parse(self, path: Path, timeout: float) -> ParsedFile | None:
        """The parsed file, or None when the worker died or hung on it."""
        try:
            self.connection.send(path)
            if self.connection.poll(timeout):
                return self.connection.recv()
        except (EOFError, OSError):
            pass
        return None

    def stop(self) -> None:
        try:
            self.connection.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def parse_isolated(paths: list[Path], limit: int = MEMORY_LIMIT, timeout: float = TIMEOUT_SECONDS) -> list[ParsedFile]:
    results: list[ParsedFile] = []
    worker: _Worker | None = None
    try:
        for path in paths:
            worker = worker or _Worker(limit)
            parsed = worker.parse(path, timeout)
            if parsed is None:
                worker.process.kill()
                worker.stop()
                worker = None
                parsed = ParsedFile(UNKNOWN, [CRASHED])
            results.append(parsed)
    finally:
        if worker:
            worker.stop()
    return results
