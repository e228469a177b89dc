"""One pipeline run at a time per data folder: a second run waits for the
first (an OS file lock, released by the kernel even if the holder dies)."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class RunInProgress(Exception):
    pass


@contextmanager
def run_lock(data: Path, wait_seconds: float = 3600.0) -> Iterator[None]:
    data.mkdir(parents=True, exist_ok=True)
    handle = os.open(data / "run.lock", os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RunInProgress(str(data)) from None
                time.sleep(0.5)
        yield
    finally:
        os.close(handle)
