"""The submission status: who has reported which month, as a workbook a clerk
opens, and as rows for the terminal."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ita import thai
from ita.xlsx_io import set_text, workbook_bytes

STATUS_WORDS = {
    "received": "ได้รับแล้ว",
    "superseded": "ถูกแทนที่ด้วยฉบับใหม่",
    "rejected": "ถูกปฏิเสธ",
    "missing": "ยังไม่ส่ง",
    "not_due": "ยังไม่ถึงกำหนด",
}
FILLS = {
    "received": "C6EFCE",
    "superseded": "EDEDED",
    "rejected": "FFC7CE",
    "missing": "FFEB9C",
    "not_due": "FFFFFF",
}
FONT = "TH SarabunPSK"
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def month_is_due(month: date, today: date) -> bool:
    """A month's report is due once the month is over."""
    next_month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return today >= next_month


def effective_status(status: str, month: date, today: date) -> str:
    return "not_due" if status == "missing" and not month_is_due(month, today) else status


def status_workbook_bytes(body: str, fiscal_year: int, status_rows: list[dict], files: list[dict], today: date) -> bytes:
    book = Workbook()
    matrix = book.active
    matrix.title = "สถานะการส่ง"
    months = thai.fiscal_months(fiscal_year)
    set_text(matrix.cell(1, 1), f"สถานะการส่งรายงานประจำเดือน {body} ปีงบประมาณ พ.ศ. {thai.to_thai_digits(fiscal_year)}")
    matrix.cell(1, 1).font = Font(name=FONT, size=16, bold=True)
    header = ["ส่วนราชการ"] + [thai.thai_month_abbr(y, m) for y, m in months]
    for col, text in enumerate(header, start=1):
        cell = matrix.cell(3, col)
        set_text(cell, text)
        cell.font = Font(name=FONT, size=14, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = _BORDER
    divisions: dict[str, dict[date, str]] = {}
    for row in status_rows:
        divisions.setdefault(row["division"], {})[row["month"]] = effective_status(row["status"], row["month"], today)
    for r, (division, by_month) in enumerate(divisions.items(), start=4):
        set_text(matrix.cell(r, 1), division)
        matrix.cell(r, 1).font = Font(name=FONT, size=14)
        matrix.cell(r, 1).border = _BORDER
        for c, (y, m) in enumerate(months, start=2):
            status = by_month.get(date(y, m, 1), "missing")
            cell = matrix.cell(r, c)
            set_text(cell, STATUS_WORDS[status])
            cell.font = Font(name=FONT, size=12)
            cell.fill = PatternFill("solid", fgColor=FILLS[status])
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BORDER
    matrix.column_dimensions["A"].width = 28
    for c in range(2, len(months) + 2):
        matrix.column_dimensions[get_column_letter(c)].width = 12
    matrix.freeze_panes = "B4"

    listing = book.create_sheet("ไฟล์ที่ได้รับ")
    columns = [("ชื่อไฟล์", 40), ("ชนิด", 16), ("ส่วนราชการ", 24), ("เดือน", 16), ("สถานะ", 20),
               ("เหตุผล (ข้อแรก)", 70), ("วันที่ประมวลผล", 20)]
    for col, (text, width) in enumerate(columns, start=1):
        cell = listing.cell(1, col)
        set_text(cell, text)
        cell.font = Font(name=FONT, size=14, bold=True)
        listing.column_dimensions[get_column_letter(col)].width = width
    kinds = {"setup": "ข้อมูลประจำปี", "monthly": "รายงานประจำเดือน", "unknown": "ไม่ทราบชนิด"}
    for r, f in enumerate(files, start=2):
        month = thai.thai_month_year(f["month"].year, f["month"].month) if f["month"] else ""
        values = [f["file_name"], kinds.get(f["kind"], f["kind"]), f["division"] or "", month,
                  STATUS_WORDS[f["status"]], f["first_error"] or "",
                  f["processed_at"].strftime("%Y-%m-%d %H:%M")]
        for col, value in enumerate(values, start=1):
            cell = listing.cell(r, col)
            set_text(cell, value)
            cell.font = Font(name=FONT, size=14)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        listing.cell(r, 5).fill = PatternFill("solid", fgColor=FILLS[f["status"]])

    return workbook_bytes(book)
