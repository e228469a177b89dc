"""Saving workbooks byte-for-byte reproducibly (openpyxl stamps "now" into
docProps on every save)."""

from __future__ import annotations

import io
from datetime import datetime
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, NamedStyle
from openpyxl.writer.excel import ExcelWriter

from ita.docx_fonts import deterministic_docx_bytes

FIXED_TIME = datetime(2000, 1, 1)


def set_text(cell: Cell, value: object) -> None:
    """Write user text as text: a value starting with = + - @ must never
    become a live formula in a workbook a clerk opens."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def workbook_bytes(book: Workbook, saved_at: datetime = FIXED_TIME) -> bytes:
    book.properties.created = book.properties.modified = saved_at
    book.properties.creator = book.properties.creator or "ita"
    buffer = io.BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()
    return deterministic_docx_bytes(buffer.getvalue())


FONT = "TH SarabunPSK"
# The styles of a plain table workbook (trace, overview), by name.
TABLE_STYLES = {
    "ita-title": {"font": Font(name=FONT, size=16, bold=True)},
    "ita-header": {"font": Font(name=FONT, size=14, bold=True),
                   "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True)},
    "ita-text": {"font": Font(name=FONT, size=14), "alignment": Alignment(vertical="top", wrap_text=True)},
    "ita-link": {"font": Font(name=FONT, size=14, color="0563C1", underline="single"),
                 "alignment": Alignment(vertical="top")},
}


def add_named_styles(book: Workbook, styles: dict[str, dict] = TABLE_STYLES) -> None:
    """Cells then take a style by name (`cell.style = name`), a copy of a
    ready style array: setting font and alignment cell by cell made openpyxl
    hash each style again, most of the time a large table took."""
    for name, attributes in styles.items():
        book.add_named_style(NamedStyle(name=name, **attributes))
