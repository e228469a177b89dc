"""The province overview as a workbook (ภาพรวม_<year>.xlsx): what
ita.overview reads, laid out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from ita import thai
from ita.overview import COLUMNS, BodyYear, body_years, folder_link, row_values
from ita.store import Store
from ita.xlsx_io import add_named_styles, set_text, workbook_bytes

WIDTHS = (44, 12, 12, 12, 14, 14, 12, 14, 50, 16)
_BEHIND = PatternFill("solid", fgColor="FFEB9C")
_REJECTED = PatternFill("solid", fgColor="FFC7CE")
LINK_TEXT = "เปิดโฟลเดอร์"


def overview_workbook_bytes(store: Store, fiscal_year: int, today: date, *, outbox: Path, font: str) -> bytes:
    """ภาพรวม_<year>.xlsx of `today`."""
    return overview_workbook(body_years(store, fiscal_year, today, outbox=outbox), fiscal_year, outbox=outbox,
                             font=font)


def overview_workbook(bodies: list[BodyYear], fiscal_year: int, *, outbox: Path, font: str) -> bytes:
    """ภาพรวม_<year>.xlsx: a sheet with one row per body, and one listing
    the divisions that are behind and on which months."""
    book = Workbook()
    add_named_styles(book, font)
    sheet = book.active
    sheet.title = "ภาพรวม"
    # No "as of" date in the title: the bytes change only when a count does,
    # so a night with nothing new rewrites nothing.
    set_text(sheet.cell(1, 1), f"ภาพรวมการรายงานทุกหน่วยงาน ปีงบประมาณ พ.ศ. {thai.to_thai_digits(fiscal_year)}")
    sheet.cell(1, 1).style = "ita-title"
    set_text(sheet.cell(2, 1), "จำนวนนับเป็นรายการ ส่วนราชการ × เดือน; เดือนที่ยังไม่สิ้นสุดไม่นับว่ายังไม่ส่ง")
    sheet.cell(2, 1).style = "ita-text"
    _header(sheet, 4, COLUMNS, WIDTHS)
    for r, body in enumerate(bodies, start=5):
        for col, value in enumerate(row_values(body, outbox), start=1):
            cell = sheet.cell(r, col)
            set_text(cell, value)
            cell.style = "ita-text"
        sheet.cell(r, 7).number_format = "0.00"
        if body.counts["missing"]:
            sheet.cell(r, 4).fill = _BEHIND
        if body.counts["rejected"]:
            sheet.cell(r, 5).fill = _REJECTED
        link = sheet.cell(r, len(COLUMNS))
        set_text(link, LINK_TEXT)
        link.hyperlink = folder_link(body, outbox)
        link.style = "ita-link"
    sheet.freeze_panes = "B5"
    if bodies:
        sheet.auto_filter.ref = f"A4:{get_column_letter(len(COLUMNS))}{len(bodies) + 4}"

    behind = book.create_sheet("ส่วนราชการที่ค้างส่ง")
    _header(behind, 1, ("หน่วยงาน", "ส่วนราชการ", "เดือนที่ยังไม่ส่ง", "เดือนที่ถูกปฏิเสธและยังไม่ได้แก้"),
            (44, 28, 60, 60))
    r = 2
    for body in bodies:
        for division in body.divisions:
            months = body.behind.get(division)
            if not months:
                continue
            for col, value in enumerate((body.body, division, _months(months.get("missing", [])),
                                         _months(months.get("rejected", []))), start=1):
                cell = behind.cell(r, col)
                set_text(cell, value)
                cell.style = "ita-text"
            r += 1
    behind.freeze_panes = "A2"
    return workbook_bytes(book)


def _header(sheet, row: int, titles: tuple[str, ...], widths: tuple[int, ...]) -> None:
    for col, (text, width) in enumerate(zip(titles, widths), start=1):
        cell = sheet.cell(row, col)
        set_text(cell, text)
        cell.style = "ita-header"
        sheet.column_dimensions[get_column_letter(col)].width = width


def _months(months: list[date]) -> str:
    return ", ".join(thai.thai_month_abbr(m.year, m.month) for m in sorted(months))
