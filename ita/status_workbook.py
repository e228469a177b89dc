"""The submission status: who has reported which month, as a workbook a clerk
opens, and as rows for the terminal."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ita import thai
from ita.settings import SETTINGS_BY_NAME
from ita.submission_status import STATUS_WORDS
from ita.wording import KIND_WORDS
from ita.xlsx_io import LABEL_FILL, fit_rows, print_setup, set_text, workbook_bytes

FILLS = {
    "received": "C6EFCE",
    "superseded": "EDEDED",
    "rejected": "FFC7CE",
    "missing": "FFEB9C",
    "not_due": "FFFFFF",
}
FONT = SETTINGS_BY_NAME["font"].default  # the documents' font unless the run names another
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# Styles are built once and shared by every cell and workbook (as openpyxl
# shares its own defaults): building them per cell was most of the time this
# workbook took. openpyxl never changes a style object once it is assigned.


@cache
def _fonts(font: str) -> tuple[Font, Font, Font, Font]:
    """Title, header, text and status fonts in `font`."""
    return (Font(name=font, size=16, bold=True), Font(name=font, size=14, bold=True), Font(name=font, size=14),
            Font(name=font, size=12))


_CENTRED = Alignment(horizontal="center", vertical="center")
_CENTRED_WRAPPED = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TOP_WRAPPED = Alignment(vertical="top", wrap_text=True)
_STATUS_FILLS = {status: PatternFill("solid", fgColor=colour) for status, colour in FILLS.items()}


EDITED_SHEET = "เอกสารที่มีผู้แก้ไข"


def status_workbook_bytes(body: str, fiscal_year: int, status_rows: list[dict], files: list[dict],
                          edited: list[tuple[str, str]] = (), *, font: str = FONT) -> bytes:
    """`status_rows`: each division-month's status as of the day (query
    status_for, where not_due is decided). `edited`: (own place, new version), relative to the year's folder, of
    the year's documents that were edited by hand and left as they are."""
    title_font, header_font, text_font, status_font = _fonts(font)
    book = Workbook()
    matrix = book.active
    matrix.title = "สถานะการส่ง"
    months = thai.fiscal_months(fiscal_year)
    set_text(matrix.cell(1, 1), f"สถานะการส่งรายงานประจำเดือน {body} ปีงบประมาณ พ.ศ. {thai.to_thai_digits(fiscal_year)}")
    matrix.cell(1, 1).font = title_font
    header = ["ส่วนราชการ"] + [thai.thai_month_abbr(y, m) for y, m in months]
    for col, text in enumerate(header, start=1):
        cell = matrix.cell(3, col)
        set_text(cell, text)
        cell.font = header_font
        cell.fill = LABEL_FILL
        cell.alignment = _CENTRED_WRAPPED
        cell.border = _BORDER
    divisions: dict[str, dict[date, str]] = {}
    for row in status_rows:
        divisions.setdefault(row["division"], {})[row["month"]] = row["status"]
    for r, (division, by_month) in enumerate(divisions.items(), start=4):
        set_text(matrix.cell(r, 1), division)
        matrix.cell(r, 1).font = text_font
        matrix.cell(r, 1).border = _BORDER
        for c, (y, m) in enumerate(months, start=2):
            status = by_month.get(date(y, m, 1), "missing")
            cell = matrix.cell(r, c)
            set_text(cell, STATUS_WORDS[status])
            cell.font = status_font
            cell.fill = _STATUS_FILLS[status]
            cell.alignment = _CENTRED_WRAPPED
            cell.border = _BORDER
    matrix.column_dimensions["A"].width = 28
    for c in range(2, len(months) + 2):
        matrix.column_dimensions[get_column_letter(c)].width = 12
    matrix.freeze_panes = "B4"
    for r in range(4, len(divisions) + 4):
        matrix.cell(r, 1).alignment = _TOP_WRAPPED
    fit_rows(matrix)
    print_setup(matrix, landscape=True, title_rows="3:3")

    listing = book.create_sheet("ไฟล์ที่ได้รับ")
    columns = [("ชื่อไฟล์", 40), ("ชนิด", 20), ("ส่วนราชการ", 22), ("เดือน", 18), ("สถานะ", 22),
               ("เหตุผล (ข้อแรก)", 50), ("วันที่ประมวลผล", 30)]
    for col, (text, width) in enumerate(columns, start=1):
        cell = listing.cell(1, col)
        set_text(cell, text)
        cell.font = header_font
        cell.fill = LABEL_FILL
        cell.alignment = _CENTRED_WRAPPED
        cell.border = _BORDER
        listing.column_dimensions[get_column_letter(col)].width = width
    for r, f in enumerate(files, start=2):
        month = thai.thai_month_year(f["month"].year, f["month"].month) if f["month"] else ""
        values = [f["file_name"], KIND_WORDS.get(f["kind"], f["kind"]), f["division"] or "", month,
                  STATUS_WORDS[f["status"]], f["first_error"] or "",
                  _when(f["processed_at"])]
        for col, value in enumerate(values, start=1):
            cell = listing.cell(r, col)
            set_text(cell, value)
            cell.font = text_font
            cell.alignment = _TOP_WRAPPED
        listing.cell(r, 5).fill = _STATUS_FILLS[f["status"]]
    listing.freeze_panes = "A2"
    fit_rows(listing)
    print_setup(listing, landscape=True, title_rows="1:1")

    if edited:
        _edited_sheet(book.create_sheet(EDITED_SHEET), edited, (title_font, header_font, text_font))
    newest = max((f["processed_at"] for f in files if f["processed_at"]), default=None)
    return workbook_bytes(book, newest)


def _edited_sheet(sheet, edited: list[tuple[str, str]], fonts: tuple[Font, Font, Font]) -> None:
    title_font, header_font, text_font = fonts
    set_text(sheet.cell(1, 1), "เอกสารเหล่านี้มีผู้แก้ไขหลังระบบเขียน ระบบจึงไม่เขียนทับ "
                               "และเขียนฉบับใหม่ไว้ข้างกันในโฟลเดอร์เดียวกัน")
    sheet.cell(1, 1).font = title_font
    for col, (text, width) in enumerate((("เอกสารที่มีผู้แก้ไข", 60), ("ฉบับใหม่ที่ระบบเขียน", 70)), start=1):
        cell = sheet.cell(3, col)
        set_text(cell, text)
        cell.font = header_font
        sheet.column_dimensions[get_column_letter(col)].width = width
    for r, (own, new_version) in enumerate(edited, start=4):
        for col, path in enumerate((own, new_version), start=1):
            cell = sheet.cell(r, col)
            set_text(cell, path)
            cell.font = text_font


def _when(moment: datetime) -> str:
    """"๕ ตุลาคม ๒๕๖๖ ๑๔:๐๕": a Buddhist-Era date, as everywhere a clerk reads one."""
    return thai.to_thai_digits(f"{thai.thai_date(moment)} {moment:%H:%M}")
