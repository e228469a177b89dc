"""The words for a month's submission status (light to import: the terminal
and a quiet night use them without any workbook). When a month is due, and
so not_due, is decided in SQL (sql/000_macros.sql: status_on)."""

from __future__ import annotations

STATUS_WORDS = {
    "received": "ได้รับแล้ว",
    "superseded": "ถูกแทนที่ด้วยฉบับใหม่",
    "rejected": "ถูกปฏิเสธ",
    "missing": "ยังไม่ส่ง",
    "not_due": "ยังไม่ถึงกำหนด",
}

