"""Saving workbooks byte-for-byte reproducibly (openpyxl stamps "now" into
docProps on every save)."""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Iterable
from copy import copy
from datetime import datetime
from zipfile import ZIP_STORED, ZipFile

from lxml import etree
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ita.docx_fonts import deterministic_zip_bytes


def set_text(cell: Cell, value: object) -> None:
    """Write user text as text: a value starting with = + - @ must never
    become a live formula in a workbook a clerk opens."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def text_cell(sheet: WriteOnlyWorksheet, value: object, like: Cell) -> Cell:
    """A cell of a streamed (write-only) sheet holding `value` as `set_text`
    does, in the style of `like` (a `styled_cell` of the same sheet)."""
    cell = WriteOnlyCell(sheet)
    set_text(cell, value)
    style_like(cell, like)
    return cell


def styled_cell(sheet: WriteOnlyWorksheet, style: str) -> Cell:
    """A model cell in the workbook's named `style`, for `text_cell`."""
    cell = WriteOnlyCell(sheet)
    cell.style = style
    return cell


def style_like(cell: Cell, model: Cell) -> None:
    """Give `cell` exactly the style of `model`, a cell of the same workbook:
    its array of indexes into the workbook's fonts, fills, borders… Setting
    each style object per cell looks every one up in those lists (hashing it),
    which was most of the time of writing a large sheet; the bytes written
    are the same."""
    cell._style = copy(model._style)


def workbook_bytes(book: Workbook, saved_at: datetime | None = None) -> bytes:
    """The workbook as .xlsx bytes. `saved_at` is the date its properties
    show (Excel's Created and Modified): that of the data it is made from, so
    the same data gives the same file. Without one no date is written, since
    openpyxl's "now" would be neither true of the data nor reproducible."""
    # openpyxl cannot leave the dates out: a placeholder, removed below.
    book.properties.created = book.properties.modified = (saved_at or _PLACEHOLDER).replace(microsecond=0, tzinfo=None)
    if book.properties.creator in (None, "", "openpyxl"):
        book.properties.creator = "ita"
    buffer = io.BytesIO()
    # Stored, not compressed: it is unpacked at once and compressed once, below.
    with ZipFile(buffer, "w", ZIP_STORED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()
    with ZipFile(buffer) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    if saved_at is None:
        members[_CORE] = _without_dates(members[_CORE])
    return deterministic_zip_bytes(members)


_CORE = "docProps/core.xml"
_PLACEHOLDER = datetime(1900, 1, 1)


def _without_dates(core: bytes) -> bytes:
    root = etree.fromstring(core)
    for element in root.findall("{http://purl.org/dc/terms/}*"):
        if element.tag.endswith(("}created", "}modified")):
            root.remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- how a sheet looks on screen and on paper -------------------------------------

BE_DATE = "[$-107041E]d/m/yyyy"  # Buddhist-Era year (Excel's Thai calendar code; LibreOffice reads it too)
BE_DATE_TIME = "[$-107041E]d/m/yyyy h:mm"
INPUT_FILL = PatternFill("solid", fgColor="FFF9E0")  # where a clerk types
LABEL_FILL = PatternFill("solid", fgColor="DDEBF7")  # labels and headers
CHARS_PER_WIDTH = 0.75  # visible Thai characters per unit of column width at 14 pt (Thai letters are wider than the digit Excel measures by)


def line_height(size_pt: float) -> float:
    """Points one line of TH Sarabun needs at `size_pt`: its vowels and tone
    marks above and below a letter reach beyond Excel's default 15 pt row."""
    return round(size_pt * 1.6, 1)


def visible_length(text: str) -> int:
    """Thai vowels and tone marks above and below a letter take no width."""
    return sum(1 for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Mn")


def line_count(text: str, width: float, size_pt: float = 14) -> int:
    per_line = max(1, int(width * CHARS_PER_WIDTH * 14 / size_pt))
    return sum(max(1, math.ceil(visible_length(line) / per_line)) for line in str(text).split("\n"))


def fit_rows(sheet: Worksheet, rows: Iterable[int] | None = None, minimum_lines: int = 1) -> None:
    """Give each row the height its text needs (wrapped cells by their column
    width): Excel and LibreOffice do not grow the rows of a generated file."""
    for row in sheet.iter_rows() if rows is None else (sheet[r] for r in rows):
        height = line_height(14) * minimum_lines
        for cell in row:
            if cell.value is None:
                continue
            size = (cell.font.sz if cell.font is not None and cell.font.sz else 11)
            lines = 1
            if cell.alignment is not None and cell.alignment.wrap_text:
                width = sheet.column_dimensions[cell.column_letter].width or 9
                lines = line_count(str(cell.value), width, size)
            # Half a line spare under wrapped text: the estimate of where the lines break is rough.
            height = max(height, (lines + (0.5 if lines > 1 else 0)) * line_height(size))
        sheet.row_dimensions[row[0].row].height = height


def print_setup(sheet: Worksheet, *, landscape: bool, title_rows: str | None = None) -> None:
    """A4, every column on one page wide, the header rows on every page."""
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = title_rows


def table_styles(font: str) -> dict[str, dict]:
    """The styles of a plain table workbook (trace, overview), by name, in
    the run's font."""
    return {
        "ita-title": {"font": Font(name=font, size=16, bold=True)},
        "ita-header": {"font": Font(name=font, size=14, bold=True),
                       "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True)},
        "ita-text": {"font": Font(name=font, size=14), "alignment": Alignment(vertical="top", wrap_text=True)},
        "ita-link": {"font": Font(name=font, size=14, color="0563C1", underline="single"),
                     "alignment": Alignment(vertical="top")},
    }


def add_named_styles(book: Workbook, font: str) -> None:
    """Cells then take a style by name (`cell.style = name`), a copy of a
    ready style array: setting font and alignment cell by cell made openpyxl
    hash each style again, most of the time a large table took."""
    for name, attributes in table_styles(font).items():
        book.add_named_style(NamedStyle(name=name, **attributes))
