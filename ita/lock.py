"""One pipeline run at a time per data folder: a second run waits for the
first (an OS file lock, released by the kernel even if the holder dies).

`ita run` takes the lock before it starts Prefect's temporary server, so two
runs of a first night do not migrate one Prefect database at once; the flow
takes it again (for `ita serve`, whose runs start the flow alone), which in
the same process is the same run and passes straight through."""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class RunInProgress(Exception):
    pass


log = logging.getLogger(__name__)
_held: dict[str, int] = {}  # data folder → how many times this process holds its lock
_guard = threading.Lock()


@contextmanager
def run_lock(data: Path, wait_seconds: float = 3600.0) -> Iterator[None]:
    data.mkdir(parents=True, exist_ok=True)
    key = str(data.resolve())
    with _guard:
        if key in _held:
            _held[key] += 1
            held = True
        else:
            held = False
    if held:
        try:
            yield
        finally:
            with _guard:
                _held[key] -= 1
        return
    handle = os.open(data / "run.lock", os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    waited = False
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited:  # said once, above the progress bar: the run is not stuck starting
                    log.info("รออีกรอบการทำงานที่ใช้โฟลเดอร์ข้อมูล %s อยู่ให้เสร็จก่อน", data)
                    waited = True
                if time.monotonic() >= deadline:
                    raise RunInProgress(
                        f"รออีกรอบการทำงานที่ใช้โฟลเดอร์ข้อมูล {data} อยู่นานเกิน {wait_seconds / 60:g} นาทีแล้ว "
                        "จึงไม่ทำงานรอบนี้: ตรวจว่ารอบก่อนยังทำงานอยู่หรือค้าง (ดูในบันทึกของ Prefect)"
                    ) from None
                time.sleep(0.5)
        with _guard:
            _held[key] = 1
        try:
            yield
        finally:
            with _guard:
                del _held[key]
    finally:
        os.close(handle)
