"""The rejection report a clerk can act on: a copy of their own workbook with
every problem marked where it is (SPEC, Outputs 5).

Each located problem fills its cell red (must fix) or yellow (worth checking)
and puts a Thai comment on it; a first sheet "ผลการตรวจ" lists every problem
with a link to its cell.

- .xlsx/.xlsm are copied with openpyxl, formulas replaced by their cached
  values, so nothing in the copy is live or recalculated.
- .xls/.ods (openpyxl cannot read them), and any .xlsx openpyxl chokes on, are
  rebuilt from the values python-calamine reads: only the sheets that have
  problems, each value at its original address.

The original file is only ever read.
"""

from __future__ import annotations

import io
import math
import warnings
import zipfile
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Iterable

from openpyxl import Workbook as NewWorkbook
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from ita.excel_read import UnreadableWorkbook, Workbook, column_letter
from ita.problems import ERROR, WARNING, Problem
from ita.xlsx_io import BE_DATE, BE_DATE_TIME, fit_rows, print_setup, set_text, visible_length, workbook_bytes

SUMMARY_TITLE = "ผลการตรวจ"
FILLS = {ERROR: "FF9C9C", WARNING: "FFE699"}
SEVERITY_WORDS = {ERROR: "ต้องแก้", WARNING: "ข้อสังเกต"}
COMMENT_AUTHOR = "ita"

SUMMARY_COLUMNS = [("ลำดับ", 7), ("แผ่นงาน", 22), ("เซลล์", 12), ("หัวข้อ", 22),
                   ("ค่าที่พบ", 28), ("ปัญหา", 60), ("วิธีแก้", 50)]
SUMMARY_HEADER_ROW = 4

NOTE_COPIED = ("สำเนานี้ใช้ดูตำแหน่งที่ต้องแก้เท่านั้น (สูตรในสำเนาถูกแทนด้วยค่า) "
               "— ให้แก้ในไฟล์ต้นฉบับของท่าน แล้วส่งใหม่ทั้งไฟล์")
NOTE_REBUILT = ("สำเนานี้สร้างจากค่าในไฟล์ต้นฉบับ เฉพาะแผ่นงานที่มีปัญหา ไม่มีรูปแบบและสูตรเดิม "
                "— ให้แก้ในไฟล์ต้นฉบับของท่าน แล้วส่งใหม่ทั้งไฟล์")

# Excel's own limits: beyond them an address or a text does not exist.
MAX_ROW, MAX_COL = 1_048_576, 16_384
MAX_TEXT = 32_767
MAX_TITLE = 31
TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "\\/?*[]:"})

MAX_COLUMN_WIDTH = 50

COMMENT_WIDTH = 360  # px: about 50 Thai characters a line in Excel's comment font
COMMENT_PX_PER_CHAR = 7
COMMENT_PX_PER_LINE = 18



@dataclass(frozen=True)
class _Fonts:
    """The summary sheet's and rebuilt cells' fonts, in the run's font (the
    one the forms of `ita template` use); the line heights above are for the
    Sarabun faces, whose metrics the TH Sarabun names share."""

    body: Font
    bold: Font
    title: Font
    link: Font

    @classmethod
    def named(cls, name: str) -> _Fonts:
        return cls(Font(name=name, size=14), Font(name=name, size=14, bold=True), Font(name=name, size=16, bold=True),
                   Font(name=name, size=14, color="0563C1", underline="single"))
TOP = Alignment(vertical="top")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTRE_TOP = Alignment(horizontal="center", vertical="top", wrap_text=True)

Target = tuple[Worksheet, int, int]  # the sheet and the (row, col) actually marked


def marked_copy(original: Path, problems: list[Problem], *, font: str, file_name: str | None = None,
                saved_at: datetime | None = None) -> bytes | None:
    """The clerk's workbook, marked, as .xlsx bytes; None when the file cannot
    be read at all or no problem points into it (the text report is enough).
    `file_name` is the name the clerk sent the file under (the summary's
    title names it; the stored copy's own name is a hash), `saved_at` the
    date the copy's properties show (when the file was received), `font` the
    run's font setting."""
    if not any(p.sheet for p in problems):
        return None
    try:
        # calamine's checks also keep encrypted, broken and zip-bomb files
        # away from openpyxl, which has no such guards.
        source = Workbook(original)
    except UnreadableWorkbook:
        return None
    ordered = _errors_first(problems)
    name = file_name or original.name
    fonts = _Fonts.named(font)
    with source:
        if _is_ooxml(original):
            copied = _copied_and_marked(original, ordered, name, saved_at, fonts)
            if copied is not None:
                return copied
        return _rebuilt_and_marked(source, name, ordered, saved_at, fonts)


def _errors_first(problems: list[Problem]) -> list[Problem]:
    """Same order as the text report: what must be fixed, then the rest."""
    return sorted(problems, key=lambda p: p.severity != ERROR)


def _is_ooxml(path: Path) -> bool:
    """A zip with [Content_Types].xml (.xlsx .xlsm, whatever its name); an
    .ods is a zip too but openpyxl cannot read it."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


# --- the two ways to get an openpyxl workbook ------------------------------------


def _copied_and_marked(original: Path, problems: list[Problem], file_name: str,
                       saved_at: datetime | None, fonts: _Fonts) -> bytes | None:
    """The clerk's own .xlsx, styles and layout kept; None if openpyxl fails."""
    try:
        with warnings.catch_warnings():
            # openpyxl warns about every extension it drops (slicers, x14
            # validations...): expected, and nothing the clerk needs to know.
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(original.read_bytes()), data_only=True,
                                 keep_vba=False, keep_links=False, rich_text=False)
            book.template = False  # an .xltx would otherwise be saved as a template
            sheets = {sheet.title: sheet for sheet in book.worksheets}
            return _marked_bytes(book, sheets, problems, file_name, NOTE_COPIED, saved_at, fonts)
    except Exception:  # noqa: BLE001 - any openpyxl failure means: rebuild from values
        return None


def _rebuilt_and_marked(source: Workbook, file_name: str, problems: list[Problem],
                        saved_at: datetime | None, fonts: _Fonts) -> bytes:
    """A new workbook holding the values of the sheets that have problems."""
    book = NewWorkbook()
    book.remove(book.active)
    wanted = {_find(source.sheet_names, p.sheet) for p in problems if p.sheet}
    sheets: dict[str, Worksheet] = {}
    for name in source.sheet_names:
        if name not in wanted:
            continue
        try:
            values = source.grid(name).rows
        except UnreadableWorkbook:
            continue  # too big or broken: its problems stay on the summary sheet
        sheets[name] = _sheet_from_values(book, name, values, fonts.body)
    return _marked_bytes(book, sheets, problems, file_name, NOTE_REBUILT, saved_at, fonts)


def _sheet_from_values(book: NewWorkbook, name: str, rows: list[list[object]], font: Font) -> Worksheet:
    sheet = book.create_sheet(_valid_title(name, book))
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None and value != "":
                _write_value(sheet.cell(r, c), value, font)
    _fit_columns(sheet)
    fit_rows(sheet)
    return sheet


def _write_value(cell: Cell, value: object, font: Font) -> None:
    """Numbers and dates stay numbers and dates; everything else is text, and
    text never becomes a formula."""
    cell.font = font
    cell.alignment = TOP  # a number beside wrapped text stays level with its first line
    if isinstance(value, datetime):  # before date: a datetime is a date too
        cell.value = value.replace(tzinfo=None)
        cell.number_format = BE_DATE_TIME
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = BE_DATE
    elif isinstance(value, (bool, int, float, time, timedelta)):
        cell.value = value
    else:
        set_text(cell, _clean(str(value)))


def _fit_columns(sheet: Worksheet) -> None:
    """The rebuilt sheet has no widths of its own: size each column to its
    text, wrapping what is longer than a readable width. Text with an empty
    cell to its right (a title) spills over it, so it sets no width."""
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    filled = {(cell.row, cell.column) for cell in cells}
    last_col = max((col for _, col in filled), default=0)
    boxed = [cell for cell in cells if not (isinstance(cell.value, str) and cell.column < last_col
                                            and (cell.row, cell.column + 1) not in filled)]
    widths: dict[int, int] = {}
    for cell in boxed:
        widths[cell.column] = max(widths.get(cell.column, 0), _text_width(cell.value))
    for col, width in widths.items():
        sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), MAX_COLUMN_WIDTH)
    for cell in boxed:
        if isinstance(cell.value, str) and _text_width(cell.value) + 2 > MAX_COLUMN_WIDTH:
            cell.alignment = WRAP_TOP


def _text_width(value: object) -> int:
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return max((visible_length(line) for line in str(value).split("\n")), default=0)


# --- marking ------------------------------------------------------------------------


def _marked_bytes(book: NewWorkbook, sheets: dict[str, Worksheet], problems: list[Problem],
                  file_name: str, note: str, saved_at: datetime | None, fonts: _Fonts) -> bytes:
    _chartsheets_last(book)
    targets = [_target(sheets, p) for p in problems]
    _mark_cells(problems, targets)
    summary = _add_summary(book, problems, targets, file_name, note, fonts)
    _open_on(book, summary)
    return workbook_bytes(book, saved_at)


def _chartsheets_last(book: NewWorkbook) -> None:
    """openpyxl numbers sheet-local names by worksheet, Excel by every sheet:
    with no chart sheet before a worksheet both count the same."""
    for chart in list(book.chartsheets):
        book.move_sheet(chart.title, len(book.sheetnames) - 1 - book.sheetnames.index(chart.title))


def _find(names: Iterable[str], wanted: str) -> str | None:
    """Problems carry calamine's sheet names; openpyxl's may differ in case or
    surrounding spaces, which Excel ignores too."""
    names = list(names)
    if wanted in names:
        return wanted
    key = wanted.strip().casefold()
    return next((n for n in names if n.strip().casefold() == key), None)


def _target(sheets: dict[str, Worksheet], problem: Problem) -> Target | None:
    """Where to mark: the cell; the row's first cell (col 0); A1 (row 0)."""
    name = _find(sheets, problem.sheet) if problem.sheet else None
    if name is None or not (0 <= problem.row <= MAX_ROW and 0 <= problem.col <= MAX_COL):
        return None
    sheet = sheets[name]
    row = problem.row or 1
    col = (problem.col or 1) if problem.row else 1
    row, col = _merged_anchor(sheet, row, col)
    return sheet, row, col


def _merged_anchor(sheet: Worksheet, row: int, col: int) -> tuple[int, int]:
    """Inside a merged range only the top-left cell can hold a fill or a
    comment that Excel shows."""
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= col <= merged.max_col:
            return merged.min_row, merged.min_col
    return row, col


def _mark_cells(problems: list[Problem], targets: list[Target | None]) -> None:
    """One fill and one comment per cell, however many problems it has; each
    line is numbered as on the summary sheet."""
    by_cell: dict[tuple[int, int, int], list[int]] = {}
    for index, target in enumerate(targets):
        if target:
            sheet, row, col = target
            by_cell.setdefault((id(sheet), row, col), []).append(index)
    for indexes in by_cell.values():
        sheet, row, col = targets[indexes[0]]
        _mark_cell(sheet, sheet.cell(row, col), [(i + 1, problems[i]) for i in indexes])


def _mark_cell(sheet: Worksheet, cell: Cell, numbered: list[tuple[int, Problem]]) -> None:
    worst = ERROR if any(p.severity == ERROR for _, p in numbered) else WARNING
    cell.fill = PatternFill("solid", fgColor=FILLS[worst])
    text = "\n".join(_comment_line(n, p) for n, p in numbered)
    if cell.comment is not None and cell.comment.text and cell.comment.author != COMMENT_AUTHOR:
        # the clerk's own note stays; ours from an earlier, re-sent marked copy is stale
        text += f"\n\nความคิดเห็นเดิมในเซลล์: {cell.comment.text}"
    cell.comment = _sized_comment(_clean(text))
    _reveal(sheet, cell.row, cell.column)


def _comment_line(number: int, problem: Problem) -> str:
    """describe() without the location: the comment already sits on it."""
    severity = SEVERITY_WORDS[ERROR if problem.severity == ERROR else WARNING]
    label = f" ({problem.label})" if problem.label else ""
    what = replace(problem, sheet="", row=0, col=0, label="").describe()
    return f"ข้อ {number} {severity}{label}: {what}"


def _sized_comment(text: str) -> Comment:
    """Excel's default comment box shows two lines; size it to the text."""
    per_line = COMMENT_WIDTH // COMMENT_PX_PER_CHAR
    lines = sum(max(1, math.ceil(visible_length(line) / per_line)) for line in text.split("\n"))
    height = min(max(lines * COMMENT_PX_PER_LINE + 16, 60), 600)
    return Comment(text, COMMENT_AUTHOR, height=height, width=COMMENT_WIDTH)


def _reveal(sheet: Worksheet, row: int, col: int) -> None:
    """A mark in a hidden sheet, row or column would never be seen."""
    if sheet.sheet_state != "visible":
        sheet.sheet_state = "visible"
    if row in sheet.row_dimensions and sheet.row_dimensions[row].hidden:
        sheet.row_dimensions[row].hidden = False
    for dimension in sheet.column_dimensions.values():
        if dimension.hidden and (dimension.min or 0) <= col <= (dimension.max or 0):
            dimension.hidden = False


# --- the summary sheet ----------------------------------------------------------------


def _add_summary(book: NewWorkbook, problems: list[Problem], targets: list[Target | None],
                 file_name: str, note: str, fonts: _Fonts) -> Worksheet:
    sheet = book.create_sheet(_unique_title(SUMMARY_TITLE, book), 0)
    errors = sum(p.severity == ERROR for p in problems)
    heading = [
        (f"ผลการตรวจไฟล์ {file_name}", fonts.title),
        (f"ต้องแก้ {errors} รายการ (สีแดง) · ข้อสังเกต {len(problems) - errors} รายการ (สีเหลือง) "
         "— คลิกที่ช่อง 'เซลล์' เพื่อไปยังตำแหน่งนั้น แล้วอ่านคำอธิบายในความคิดเห็นของเซลล์", fonts.body),
        (note, fonts.body),
    ]
    for row, (text, font) in enumerate(heading, start=1):
        set_text(sheet.cell(row, 1), _clean(text))
        sheet.cell(row, 1).font = font
    for col, (label, width) in enumerate(SUMMARY_COLUMNS, start=1):
        cell = sheet.cell(SUMMARY_HEADER_ROW, col)
        set_text(cell, label)
        cell.font = fonts.bold
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(col)].width = width
    for number, (problem, target) in enumerate(zip(problems, targets), start=1):
        _write_summary_row(sheet, SUMMARY_HEADER_ROW + number, number, problem, target, fonts)
    fit_rows(sheet)
    sheet.freeze_panes = sheet.cell(SUMMARY_HEADER_ROW + 1, 1)
    # Clerks print this list: landscape, every column on one page wide.
    print_setup(sheet, landscape=True, title_rows=f"{SUMMARY_HEADER_ROW}:{SUMMARY_HEADER_ROW}")
    return sheet


def _write_summary_row(sheet: Worksheet, row: int, number: int, problem: Problem,
                       target: Target | None, fonts: _Fonts) -> None:
    values = [number, problem.sheet or "-", _place(problem), problem.label, problem.value,
              problem.message, problem.hint]
    for col, value in enumerate(values, start=1):
        cell = sheet.cell(row, col)
        set_text(cell, _clean(value) if isinstance(value, str) else value)
        cell.font = fonts.body
        cell.alignment = CENTRE_TOP if col in (1, 3) else WRAP_TOP
    severity = ERROR if problem.severity == ERROR else WARNING
    sheet.cell(row, 1).fill = PatternFill("solid", fgColor=FILLS[severity])
    if target:
        marked, r, c = target
        link = sheet.cell(row, 3)
        location = f"{quote_sheetname(marked.title)}!{column_letter(c)}{r}"
        link.hyperlink = Hyperlink(ref=link.coordinate, location=location)  # inside the book: no relationship
        link.font = fonts.link


def _place(problem: Problem) -> str:
    if not problem.sheet:
        return "ทั้งไฟล์"
    if problem.row and problem.col:
        return problem.cell
    if problem.row:
        return f"แถว {problem.row}"
    return "ทั้งแผ่นงาน"


def _open_on(book: NewWorkbook, summary: Worksheet) -> None:
    """Excel opens on the summary; only its tab selected, as several selected
    tabs would group the sheets and edits would go to all of them."""
    book.active = summary
    for sheet in book.worksheets:
        sheet.sheet_view.tabSelected = sheet is summary
    for chart in book.chartsheets:
        for view in chart.sheetViews.sheetView:
            view.tabSelected = False
    if book.views:
        book.views[0].firstSheet = 0


# --- names and text -----------------------------------------------------------------


def _existing_titles(book: NewWorkbook) -> set[str]:
    return {name.casefold() for name in book.sheetnames}


def _unique_title(title: str, book: NewWorkbook) -> str:
    """Sheet names are unique regardless of case (a re-sent marked copy may
    already have a "ผลการตรวจ" of its own)."""
    taken = _existing_titles(book)
    candidate, n = title, 1
    while candidate.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = title[: MAX_TITLE - len(suffix)] + suffix
    return candidate


def _valid_title(name: str, book: NewWorkbook) -> str:
    """LibreOffice allows sheet names Excel refuses (too long, [ ] : etc.)."""
    title = _clean(name).translate(TITLE_FORBIDDEN).strip("'")[:MAX_TITLE] or "แผ่นงาน"
    return _unique_title(title, book)


def _clean(text: str) -> str:
    """Control characters are illegal in the XML of a workbook."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_TEXT]
