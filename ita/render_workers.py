"""Rendering body-years in worker processes, so that a night with many
bodies uses every core. The render is Python (docxtpl, openpyxl,
matplotlib) and holds the GIL: two render threads in one process did about
one core's work (BENCHMARKS.md).

A worker runs `outputs.write_year_documents` as it is. Only the store stays
in the calling process. DuckDB lets one process at a time open the file for
writing, and the render writes to it (the outbox journal before each file,
what each document was made from after). So each store call of the worker
is sent to the calling thread, which makes it on its own connection and
answers before the worker goes on. The store sees the same calls in the
same order as when the render runs in this process, and a crash anywhere
leaves what it would leave then: a journal entry without its file at worst,
which the next night repairs (ita.outbox_files).

A worker costs a few seconds to start (it imports matplotlib, openpyxl and
docxtpl, then compiles the templates). That is more than it saves for a few
body-years, so a night uses workers only from IN_PROCESSES_FROM body-years
on; the documents are the same bytes either way (tests/test_render_workers.py).

What the worker logs is logged here, under the same logger names, so its
warnings (a missing chart font, say) reach the run's log and terminal as
they do from an in-process render; anything a library prints goes to the
data folder's log file. A worker that dies fails its body-year alone, with
a Thai message; the next body-year gets a fresh worker. Workers are plain
subprocesses (`python -m ita.render_workers`) talking pickles over their
stdin and stdout (ita.piped_process), as the workbook readers are.
"""

from __future__ import annotations

import atexit
import logging
import pickle
from collections.abc import Callable
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path

from ita.faults import crash_point
from ita.outbox_files import Placed
from ita.piped_process import READY, ChildDidNotStart, Idle, PipedProcess, serving
from ita.settings import Config
from ita.terminal import LOG_NAME

# Below this many body-years to write, a night renders them in its own
# process: starting two workers (~3 s of imports each on a slow 2-core
# machine, then the first render of each compiles the templates) costs
# about what rendering three body-years in one process does.
IN_PROCESSES_FROM = 4
START_SECONDS = 300.0  # imports on a cold, busy machine

DONE, FAILED, LOG = "done", "failed", "log"
STORE_CALLS = ("query", "command")  # all the render asks of the store


class RenderWorkerDied(RuntimeError):
    """The worker for a body-year did not start, or died: its documents not
    yet written are written the next night (what was written is kept)."""

    def __init__(self, log_file: Path):
        super().__init__("โปรแกรมย่อยที่สร้างเอกสารหยุดทำงาน เอกสารที่ยังเขียนไม่เสร็จจะเขียนในรอบถัดไป "
                         f"หากเกิดซ้ำ ดูรายละเอียดใน {log_file}")


def in_processes(body_years: int) -> bool:
    """Whether a night with this many body-years to write renders them in workers."""
    return body_years >= IN_PROCESSES_FROM


def year_writer(in_workers: bool) -> Callable[..., list[Placed]]:
    """What writes a body-year's documents: this module's, in a worker, or
    `outputs.write_year_documents`, here (imported only then: it is heavy)."""
    if in_workers:
        return write_year_documents
    from ita import outputs

    return outputs.write_year_documents


def write_year_documents(store, config: Config, body_key: str, fiscal_year: int, today: date) -> list[Placed]:
    """`outputs.write_year_documents` of one body-year, run by a worker
    process; `store` (this thread's own connection) answers its store calls."""
    try:
        worker = _idle.take() or _Worker(config.data / LOG_NAME)
    except ChildDidNotStart as failed:
        raise RenderWorkerDied(config.data / LOG_NAME) from failed
    outcome = None
    try:
        worker.requests.send((config, body_key, fiscal_year, today))
        while outcome is None:
            kind, *message = worker.answers.recv()
            if kind in (DONE, FAILED):
                outcome = kind, message[0]
            elif kind == LOG:
                _log_here(message[0])
            elif kind in STORE_CALLS:
                name, params = message
                try:
                    answer = (DONE, getattr(store, kind)(name, **params))
                except Exception as error:  # the worker raises it where the render made the call
                    answer = (FAILED, _portable(error))
                worker.requests.send(answer)
            else:
                raise RuntimeError(f"the render worker sent {kind!r}")
    except (EOFError, OSError) as died:
        raise RenderWorkerDied(config.data / LOG_NAME) from died
    finally:
        if outcome:
            _idle.give_back(worker)
        else:  # dead, or stopped halfway by an exception here: a fresh one next time
            worker.stop(kill=True)
    kind, value = outcome
    if kind == FAILED:
        raise value
    return value


def stop_workers() -> None:
    """Stop the idle workers (the night's render is over); later renders start new ones."""
    _idle.stop_all()


# ------------------------------------------------------------ in this process


class _Worker(PipedProcess):
    def __init__(self, log_file: Path):
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(log_file, "ab") as log:  # the child keeps its own descriptor
            super().__init__("ita.render_workers", start_seconds=START_SECONDS, stderr=log)


# Workers not rendering right now; a render takes one and gives it back.
_idle: Idle[_Worker] = Idle()
atexit.register(_idle.stop_all)


def _log_here(record: dict) -> None:
    made = logging.makeLogRecord(record)
    logger = logging.getLogger(made.name)
    if logger.isEnabledFor(made.levelno):
        logger.handle(made)


def _portable(error: BaseException) -> BaseException:
    """The exception itself when it survives pickling (its type is what
    callers and tests look at), else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


# --------------------------------------------------------------- the worker


class _CallerStore:
    """The store as the worker sees it: each call made by the process that
    sent the job, on that thread's connection, and answered in order."""

    def __init__(self, requests: Connection, answers: Connection):
        self._requests, self._answers = requests, answers

    def _call(self, kind: str, name: str, params: dict):
        self._answers.send((kind, name, params))
        outcome, value = self._requests.recv()
        if outcome == FAILED:
            raise value
        return value

    def query(self, name: str, **params: object) -> list[dict]:
        return self._call("query", name, params)

    def command(self, name: str, **params: object) -> None:
        self._call("command", name, params)
        crash_point("in_render_worker")  # the worker dies with its body-year half written


class _ToCaller(logging.Handler):
    """Each record, its message already formatted, to the calling process."""

    def __init__(self, answers: Connection):
        super().__init__()
        self.answers = answers

    def emit(self, record: logging.LogRecord) -> None:
        fields = {k: v for k, v in record.__dict__.items() if k not in ("args", "exc_info", "exc_text", "msg")}
        fields.update(msg=record.getMessage(), args=None, exc_info=None, exc_text=None)
        try:
            self.answers.send((LOG, fields))
        except Exception:  # an unpicklable extra field: the message alone
            self.answers.send((LOG, {"name": record.name, "levelno": record.levelno,
                                     "levelname": record.levelname, "msg": record.getMessage()}))


def _serve() -> None:
    requests, answers = serving()  # what a library prints goes to the log file
    from ita import outputs

    root = logging.getLogger()
    root.addHandler(_ToCaller(answers))
    root.setLevel(logging.INFO)  # what passes is decided by the caller's loggers
    store = _CallerStore(requests, answers)
    answers.send(READY)
    while True:
        try:
            job = requests.recv()
        except EOFError:
            return
        if job is None:
            return
        config, body_key, fiscal_year, today = job
        try:
            placed = outputs.write_year_documents(store, config, body_key, fiscal_year, today)
        except (EOFError, BrokenPipeError):
            return  # the caller is gone
        except Exception as error:
            answers.send((FAILED, _portable(error)))
        else:
            answers.send((DONE, placed))


if __name__ == "__main__":
    _serve()
