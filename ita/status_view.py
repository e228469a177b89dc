"""`ita status` on a terminal of any width: one table per body's year, the
twelve months as columns, split into several tables of consecutive months
when they do not fit beside the division names, so that no month header is
cut (to "ต…") and no division name is dropped or broken."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.table import Table

from pythainlp.util.date import thai_abbr_months

DIVISION_HEADER = "ส่วนราชการ"
# Months per table, most first: each splits the fiscal year evenly.
SPLITS = (12, 6, 4, 3, 2, 1)
# A column's cells beyond its text: one space either side and its right border.
COLUMN_EXTRA = 3


def month_header(month: int) -> str:
    """"ต.ค.": the fiscal year is in the table's title, so no year digits."""
    return thai_abbr_months[month - 1]


def _width(labels: Sequence[str]) -> int:
    return max((cell_len(label) for label in labels), default=0)


def months_per_table(months: Sequence[tuple[int, int]], divisions: Sequence[str], width: int) -> int:
    """The most months per table that fit `width` beside the whole longest
    division name; 1 when even that does not fit (names then wrap)."""
    names = _width([DIVISION_HEADER, *divisions]) + COLUMN_EXTRA
    for per in SPLITS:
        chunks = [months[i:i + per] for i in range(0, len(months), per)]
        widest = max(sum(cell_len(month_header(m)) + COLUMN_EXTRA for _, m in chunk) for chunk in chunks)
        if 1 + names + widest <= width:
            return per
    return 1


def status_tables(title: str, months: Sequence[tuple[int, int]], rows: dict[str, Sequence[str]],
                  width: int) -> list[Table]:
    """Tables for one body's year: `rows` maps each division to its twelve
    cells (marks), in the order of `months`."""
    per = months_per_table(months, list(rows), width)
    names_fit = 1 + _width([DIVISION_HEADER, *rows]) + COLUMN_EXTRA < width
    tables = []
    for start in range(0, len(months), per):
        chunk = months[start:start + per]
        part = title if per == len(months) else (
            f"{title} ({month_header(chunk[0][1])}–{month_header(chunk[-1][1])})" if len(chunk) > 1
            else f"{title} ({month_header(chunk[0][1])})")
        table = Table(title=part)
        table.add_column(DIVISION_HEADER, no_wrap=names_fit, overflow="fold")
        for _, m in chunk:
            header = month_header(m)
            table.add_column(header, justify="center", no_wrap=True, min_width=cell_len(header))
        for division, cells in rows.items():
            table.add_row(division, *cells[start:start + per])
        tables.append(table)
    return tables
