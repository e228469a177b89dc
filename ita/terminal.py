"""The terminal during `ita run` and `ita serve`: a progress bar with counts
per stage, log lines printed above it (never over it), and Prefect's own
English chatter (its start-up banner, "Finished in state Completed()", …)
kept in the log file only. What the person reads on the terminal is Thai:
the flow's own log lines, and every warning or error in one line."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from ita import progress

LOG_NAME = "ita.log"
_THAI = re.compile("[\u0e00-\u0e7f]")
_LEVEL_WORDS = {logging.WARNING: "คำเตือน", logging.ERROR: "ผิดพลาด", logging.CRITICAL: "ผิดพลาดร้ายแรง"}
STARTING = "เตรียม Prefect"


def for_the_terminal(record: logging.LogRecord) -> bool:
    """Warnings and errors from anywhere; otherwise only Thai lines (the
    pipeline's own words: Prefect's are English)."""
    return record.levelno >= logging.WARNING or bool(_THAI.search(record.getMessage()))


def terminal_line(record: logging.LogRecord) -> str:
    """One line: a warning's first line only (its traceback is in the log file)."""
    message = record.getMessage().splitlines()[0] if record.getMessage() else ""
    word = _LEVEL_WORDS.get(max(level for level in (0, *_LEVEL_WORDS) if level <= record.levelno))
    return f"{word}: {message}" if word else message


class _ToConsole(logging.Handler):
    def __init__(self, console: Console) -> None:
        super().__init__(logging.INFO)
        self.console = console
        self.addFilter(for_the_terminal)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            style = "yellow" if record.levelno == logging.WARNING else "red" if record.levelno > logging.WARNING else ""
            # Through the progress bar's console: printed above the bar.
            self.console.print(Text(terminal_line(record), style=style))
        except Exception:  # a log line must never stop the run
            self.handleError(record)


def _prefect_console_handlers() -> list[tuple[logging.Logger, logging.Handler]]:
    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in ("uvicorn", "fastapi"))]
    return [(logger, handler) for logger in loggers for handler in logger.handlers
            if isinstance(handler, PrefectConsoleHandler)]


def log_to_file(data: Path) -> Path:
    """Prefect's console output goes to `data/ita.log` instead, for the rest
    of this process (its "stopping the temporary server" comes at exit)."""
    data.mkdir(parents=True, exist_ok=True)
    path = data / LOG_NAME
    moved = _prefect_console_handlers()
    if not moved:  # already done in this process
        return path
    file_handler = logging.FileHandler(path, encoding="utf-8")
    file_handler.setFormatter(moved[0][1].formatter)
    for logger, handler in moved:
        logger.removeHandler(handler)
        logger.addHandler(file_handler)
    # Our own modules' information lines (Prefect's are on already).
    logging.getLogger("ita").setLevel(logging.INFO)
    return path


@contextmanager
def shown(console: Console) -> Iterator[Progress]:
    """A progress bar on `console` fed by `ita.progress`, with the run's
    log lines above it, for the duration of the block."""
    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=console)
    tasks: dict[str, int] = {STARTING: bar.add_task(STARTING, total=None)}

    def report(stage: str, done: int, total: int | None) -> None:
        if STARTING in tasks:
            bar.update(tasks.pop(STARTING), total=1, completed=1)
        if stage not in tasks:
            tasks[stage] = bar.add_task(progress.STAGES.get(stage, stage), total=total)
        bar.update(tasks[stage], completed=done, total=total)

    handler = _ToConsole(console)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with bar, progress.listening(report):
            yield bar
    finally:
        root.removeHandler(handler)
