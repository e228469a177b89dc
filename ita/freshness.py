"""Which body's years have a document out of date, without building any of
it: each document's fingerprint of what it is made from (ita.documents),
against the one it was last written from, and whether its file is still
there. This module stays light to import (no pandas, pandera, openpyxl,
docx or matplotlib): a quiet night needs nothing else."""

from __future__ import annotations

from datetime import date

from ita import documents
from ita.settings import Config
from ita.store import Store


def years_to_write(store: Store, config: Config, today: date) -> list[dict]:
    """The (body, year)s with a document to write. One query for all of
    them: on a quiet night at national scale, asking each of thousands of
    years on its own was most of the night."""
    return [
        {"body": row["body"], "body_key": row["body_key"], "fiscal_year": row["fiscal_year"]}
        for row in store.query("year_inputs_all", today=today)
        if documents.out_of_date(documents.Year(row, config, today))
    ]


def year_inputs(store: Store, config: Config, body_key: str, fiscal_year: int, today: date) -> documents.Year | None:
    """One body's year as the registry sees it now; None without a setup."""
    found = store.query("year_inputs", body_key=body_key, fiscal_year=fiscal_year, today=today)
    return documents.Year(found[0], config, today) if found else None
