"""Which body's year of documents is out of date, without building any of it:
a fingerprint of everything the year is made from, against the one it was
last written from. This module stays light to import (no pandas, pandera or
matplotlib): a quiet night needs nothing else."""

from __future__ import annotations

import hashlib
from datetime import date
from functools import lru_cache
from pathlib import Path

from ita import thai
from ita.paths import TEMPLATES, report_path, status_path, year_folder
from ita.settings import Config
from ita.store import Store
from ita.submission_status import month_is_due


def templates_digest() -> str:
    """All templates in one hash, read again only when one of them changes."""
    return _digest(tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(TEMPLATES.glob("*.docx"))))


@lru_cache(maxsize=8)
def _digest(templates: tuple[tuple[Path, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for path, _, _ in templates:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def year_fingerprint(inputs: dict, templates: str, config: Config, fiscal_year: int, today: date) -> str:
    """Everything one body's year of documents is made from, in one hash: the
    store's files of that year (sql/queries/year_inputs.sql), the templates,
    the font, the memo date and how many of the year's months are due (the
    status changes as months pass)."""
    files = (inputs["n_files"], inputs["last_accepted"], inputs["last_processed"])
    due = sum(month_is_due(date(y, m, 1), today) for y, m in thai.fiscal_months(fiscal_year))
    return hashlib.sha256(f"{files!r}|{templates}|{config.font}|{config.memo_date}|{due}|{config.outbox}".encode()).hexdigest()


def kept(folder: Path, fiscal_year: int) -> list[Path]:
    """The year's files whose absence means the year must be written again."""
    return [report_path(folder, fiscal_year), status_path(folder, fiscal_year)]


def year_key(body_key: str, fiscal_year: int) -> str:
    """Where a year's fingerprint is remembered (renders.path; see sql/030_year_render_inputs.sql)."""
    return f"year:{body_key}:{fiscal_year}"


def _stale(inputs: dict, templates: str, config: Config, today: date) -> str | None:
    """The year's fingerprint now, when its documents are out of date (their
    inputs changed since they were last written, or their files are gone);
    None when they are up to date."""
    fiscal_year = inputs["fiscal_year"]
    print_ = year_fingerprint(inputs, templates, config, fiscal_year, today)
    folder = year_folder(config, inputs["body"], fiscal_year)
    if inputs["rendered_fingerprint"] == print_ and all(p.exists() for p in kept(folder, fiscal_year)):
        return None
    return print_


def years_to_write(store: Store, config: Config, today: date) -> list[dict]:
    """The (body, year)s whose documents are out of date. One query for all
    of them: on a quiet night at national scale, asking each of thousands of
    years on its own was most of the night."""
    templates = templates_digest()
    return [
        {"body": row["body"], "body_key": row["body_key"], "fiscal_year": row["fiscal_year"]}
        for row in store.query("year_inputs_all")
        if _stale(row, templates, config, today)
    ]


def year_to_write(store: Store, config: Config, body_key: str, fiscal_year: int, today: date) -> str | None:
    """One year's fingerprint to remember once it is written, or None when
    its documents are up to date (or it has no setup)."""
    found = store.query("year_inputs", body_key=body_key, fiscal_year=fiscal_year)
    return _stale(found[0], templates_digest(), config, today) if found else None
