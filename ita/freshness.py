"""Which body's year of documents is out of date, without building any of it:
a fingerprint of everything the year is made from, against the one it was
last written from. This module stays light to import (no pandas, pandera or
matplotlib): a quiet night needs nothing else."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from ita import thai
from ita.paths import TEMPLATES, report_path, status_path, year_folder
from ita.settings import Config
from ita.store import Store
from ita.submission_status import month_is_due


def templates_digest() -> str:
    digest = hashlib.sha256()
    for template in sorted(TEMPLATES.glob("*.docx")):
        digest.update(template.read_bytes())
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


def years_to_write(store: Store, config: Config, today: date) -> list[dict]:
    """The (body, year)s whose documents are out of date: their inputs
    changed since they were last written, or their files are gone. One query
    for all of them: on a quiet night at national scale, asking each of
    thousands of years on its own was most of the night."""
    templates = templates_digest()
    return [
        {"body_key": row["body_key"], "fiscal_year": row["fiscal_year"]}
        for row in store.query("year_inputs_all")
        if row["rendered_fingerprint"] != year_fingerprint(row, templates, config, row["fiscal_year"], today)
        or not all(p.exists() for p in kept(year_folder(config, row["body"], row["fiscal_year"]), row["fiscal_year"]))
    ]
