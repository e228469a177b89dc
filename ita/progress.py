"""How far a run has got, for whoever shows it (the progress bar of `ita
run`). The flow's steps report with one-line calls; with nobody listening (a
scheduled run, a test, a reader on a Dask worker) each call does nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# stage → what the person sees
STAGES = {
    "read": "อ่านและตรวจไฟล์",
    "load": "บันทึกไฟล์ลงฐานข้อมูล",
    "write": "เขียนเอกสาร (หน่วยงาน-ปีงบประมาณ)",
    "pdf": "เขียน PDF",
}

# (stage, done, total): total None while not known
Listener = Callable[[str, int, "int | None"], None]

_listeners: list[Listener] = []
_done: dict[str, int] = {}
_totals: dict[str, int | None] = {}
_lock = threading.Lock()


def start(stage: str, total: int | None) -> None:
    """A stage begins, with `total` things to do."""
    with _lock:
        _done[stage], _totals[stage] = 0, total
        _tell(stage)


def advance(stage: str, count: int = 1) -> None:
    """`count` more things of `stage` are done (worker threads call this too)."""
    with _lock:
        if stage in _done:
            _done[stage] += count
            _tell(stage)


def _tell(stage: str) -> None:
    for listener in list(_listeners):
        listener(stage, _done[stage], _totals[stage])


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Calls `listener` on every report until the block ends."""
    with _lock:
        _listeners.append(listener)
        _done.clear()
        _totals.clear()
    try:
        yield
    finally:
        with _lock:
            _listeners.remove(listener)
