"""The words for a month's submission status, and when a month is due (light
to import: the terminal and a quiet night use them without any workbook)."""

from __future__ import annotations

from datetime import date

STATUS_WORDS = {
    "received": "ได้รับแล้ว",
    "superseded": "ถูกแทนที่ด้วยฉบับใหม่",
    "rejected": "ถูกปฏิเสธ",
    "missing": "ยังไม่ส่ง",
    "not_due": "ยังไม่ถึงกำหนด",
}


def month_is_due(month: date, today: date) -> bool:
    """A month's report is due once the month is over."""
    next_month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return today >= next_month


def effective_status(status: str, month: date, today: date) -> str:
    return "not_due" if status == "missing" and not month_is_due(month, today) else status
