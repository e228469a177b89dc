"""Real-looking input workbooks for tests, made through `ita template` and
filled by label, as clerks do."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ita.cli import main as ita
from sample import fill
from schemas import monthly as monthly_schema

REPO = Path(__file__).resolve().parent.parent
SAMPLE_SETUP = REPO / "inbox" / "ข้อมูลประจำปี 2566.xlsx"


def run_ita(*args: str) -> None:
    ita.main([str(a) for a in args], standalone_mode=False)


def monthly_sheet(
    path: Path,
    division: str = "กองคลัง",
    month: str = "ตุลาคม 2565",
    header: dict[str, object] | None = None,
    rows: list[dict[str, object]] | None = None,
    setup: Path = SAMPLE_SETUP,
    saved_at: datetime = datetime(2022, 11, 5, 9, 0),
) -> Path:
    """A monthly sheet from the template, its header completed, and `rows`
    written over the pre-listed measures (by label, from the first row)."""
    run_ita("template", "monthly", "--setup", setup, "--division", division, "--month", month, "-o", path)
    book = fill.open_book(path)
    sheet = book[monthly_schema.SHEET]
    fill.set_keys(sheet, {"ผู้รายงาน": "นางสาวกาญจนา ศรีสุข", "ตำแหน่ง": "นักวิชาการเงินและบัญชี",
                          "วันที่รายงาน": "๕ พฤศจิกายน ๒๕๖๕", **(header or {})})
    fill.set_rows(sheet, "ลำดับมาตรการ", rows or [])
    fill.save(book, path, saved_at)
    return path
