"""`ita check`: the night's reading and checks on files a person names, now,
taking nothing in (inbox, archive, database and outbox are left as they are).

The office clerk answers a division's "why was my file rejected?" with it,
and a division can check a sheet before sending it."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ita import ingest
from ita.inbox import InboxFile, saved_at, sha256_of
from ita.marked_copy import marked_copy
from ita.paths import marked_copy_path, safe_name
from ita.problems import ERROR, Problem
from ita.rejections import rejection_report_text
from ita.settings import Config
from ita.store import Store


@dataclass
class Checked:
    path: Path
    rejected: bool
    problems: list[Problem]
    row: dict  # what a rejection report is written from (as the night's file row)


@contextmanager
def _setups_store(config: Config) -> Iterator[Store]:
    """The store read-only; before the first night, an empty one made in a
    temporary folder (nothing is created in the data folder)."""
    if config.database.exists():
        with Store(config.database, read_only=True) as store:
            yield store
        return
    folder = Path(tempfile.mkdtemp(prefix="ita-check-"))
    try:
        with Store(folder / "ita.duckdb") as store:
            yield store
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def check_files(paths: list[Path], config: Config, now: datetime | None = None) -> list[Checked]:
    now = now or datetime.now().replace(microsecond=0)
    files = [InboxFile(p, sha256_of(p), p.stat().st_size, saved_at(p, p.stat().st_mtime)) for p in paths]
    outcomes = ingest.read_and_validate(files, isolated=False)
    with _setups_store(config) as store:
        verdicts = ingest.judge_only(outcomes, store, config.data, now)
    checked = []
    for outcome, rejected in zip(outcomes, verdicts):
        row = {"sha256": outcome.file.sha256, "file_name": outcome.file.name, "kind": outcome.parsed.kind,
               "body": None, "division": None, "month": None, **ingest.identity(outcome)}
        checked.append(Checked(outcome.file.path, rejected, list(outcome.problems), row))
    return checked


def write_reports(result: Checked, out_dir: Path, *, font: str) -> list[Path]:
    """The rejection report and the marked copy of a rejected file, as the
    night would write them (in the run's `font`), into `out_dir`."""
    if not result.rejected:
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    report = out_dir / f"{safe_name(result.path.stem)}__{result.row['sha256'][:8]}.txt"
    problems = [vars(p) for p in result.problems]
    report.write_text(rejection_report_text(result.row, problems), encoding="utf-8")
    written = [report]
    marked = marked_copy(result.path, result.problems, font=font)
    if marked:
        marked_copy_path(report).write_bytes(marked)
        written.append(marked_copy_path(report))
    return written


def errors_of(result: Checked) -> list[Problem]:
    return [p for p in result.problems if p.severity == ERROR]
