"""A Python child process that talks pickles over its stdin and stdout, and
the idle ones of a kind kept for the next piece of work: the workbook
readers (ita.isolated_read) and the render workers (ita.render_workers).

Plain subprocesses, not multiprocessing children: Dask workers are daemonic
processes, which multiprocessing forbids to have children. The child, in
`serving()`, gets its own copies of stdin and stdout for the protocol and
sends READY once it has imported what it needs; anything a library prints
goes to its stderr instead of corrupting the protocol.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import IO, Generic, TypeVar

READY = "ready"


class ChildDidNotStart(RuntimeError):
    pass


class PipedProcess:
    """`python -m <module> <args>`: `requests` to it, `answers` from it."""

    def __init__(self, module: str, *args: str, start_seconds: float, env: dict[str, str] | None = None,
                 stderr: IO[bytes] | None = None):
        self.process = subprocess.Popen([sys.executable, "-m", module, *args], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=stderr, env=env)
        self.requests = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.answers = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        try:
            ready = self.answers.poll(start_seconds) and self.answers.recv() == READY
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.stop(kill=True)
            raise ChildDidNotStart(f"the {module} process did not start")

    def stop(self, kill: bool = False) -> None:
        """Ask it to end (None), or kill it; wait for it either way."""
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


def serving() -> tuple[Connection, Connection]:
    """In the child: (requests, answers), stdout now pointing at stderr.
    Send READY on `answers` once ready."""
    answers = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    requests = Connection(os.dup(0), writable=False)
    return requests, answers


P = TypeVar("P", bound=PipedProcess)


class Idle(Generic[P]):
    """Processes not working right now; a piece of work takes one that
    `fits` and gives it back, or has it stopped when `retire` says so."""

    def __init__(self, retire: Callable[[P], bool] = lambda process: False) -> None:
        self.processes: list[P] = []
        self.retire = retire
        self.lock = threading.Lock()

    def take(self, fits: Callable[[P], bool] = lambda process: True) -> P | None:
        with self.lock:
            for process in self.processes:
                if fits(process):
                    self.processes.remove(process)
                    return process
        return None

    def give_back(self, process: P) -> None:
        if self.retire(process):
            process.stop()
            return
        with self.lock:
            self.processes.append(process)

    def stop_all(self) -> None:
        with self.lock:
            processes, self.processes = self.processes, []
        for process in processes:
            process.stop()
