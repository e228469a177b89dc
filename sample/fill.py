"""Fill a workbook written by `ita template` the way a clerk does: by label.

Used by the sample generator and by the tests to make real-looking inputs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from ita import thai
from ita.xlsx_io import set_text
from ita.xlsx_io import workbook_bytes


def key_rows(sheet: Worksheet) -> dict[str, int]:
    """label_key of column A → row."""
    return {thai.label_key(sheet.cell(r, 1).value): r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value}


def header_row(sheet: Worksheet, label: str) -> int:
    key = thai.label_key(label)
    return next(r for r in range(1, sheet.max_row + 1) if any(thai.label_key(c.value) == key for c in sheet[r]))


def header_columns(sheet: Worksheet, row: int) -> dict[str, int]:
    return {thai.label_key(c.value): c.column for c in sheet[row] if c.value}


def set_keys(sheet: Worksheet, values: dict[str, object]) -> None:
    """Typed values stay typed; text stays text even when it starts with =."""
    rows = key_rows(sheet)
    for label, value in values.items():
        set_text(sheet.cell(rows[thai.label_key(label)], 2), value)


def set_rows(sheet: Worksheet, anchor: str, rows: list[dict[str, object]], first: int = 0) -> None:
    """Write rows under the header row holding `anchor`, by column label,
    starting `first` rows below the header."""
    top = header_row(sheet, anchor)
    columns = header_columns(sheet, top)
    for r, values in enumerate(rows, start=top + 1 + first):
        for label, value in values.items():
            set_text(sheet.cell(r, columns[thai.label_key(label)]), value)


def table_rows(sheet: Worksheet, anchor: str) -> list[dict[str, object]]:
    """The rows under a header, by label, until the first blank first cell."""
    top = header_row(sheet, anchor)
    columns = header_columns(sheet, top)
    out = []
    r = top + 1
    while sheet.cell(r, 1).value is not None:
        out.append({label: sheet.cell(r, col).value for label, col in columns.items()})
        r += 1
    return out


def save(book, path: Path, saved_at: datetime) -> None:
    path.write_bytes(workbook_bytes(book, saved_at))


def open_book(path: Path):
    return load_workbook(path)
