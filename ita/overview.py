"""The province overview (ภาพรวม_<year>.xlsx at the outbox root): when one
installation serves several bodies, one row per body: its division-months
received, missing and rejected-not-yet-corrected (as `ita status` counts
them: a month not yet due is not missing), its ITA score and level, whether
its year-end documents are ready, and a link to its folder."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from ita import records, thai
from ita.paths import memo_path, outbox_year_folder, report_path
from ita.store import Store
from ita.xlsx_io import add_named_styles, set_text, workbook_bytes
from schemas import setup as setup_schema

READY = "พร้อม"
NO_SCORE = "ยังไม่มีคะแนน ITA ภาพรวม"
NOT_WRITTEN = "ยังไม่ได้สร้างบันทึกข้อความหรือรายงาน"


@dataclass
class BodyYear:
    """One body's fiscal year, as the overview shows it."""

    body: str
    body_key: str
    folder: Path  # the body's year folder in the outbox
    divisions: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("received", "missing", "rejected", "not_due"), 0))
    behind: dict[str, dict[str, list[date]]] = field(default_factory=dict)  # division → status → months
    score: float | None = None
    level: str = ""
    waiting_for: list[str] = field(default_factory=list)  # why the year-end documents are not ready

    @property
    def ready(self) -> str:
        return READY if not self.waiting_for else "ยังไม่พร้อม: " + "; ".join(self.waiting_for)


def overview_years(store: Store) -> list[int]:
    """The fiscal years with more than one body: those that get an overview."""
    return [r["fiscal_year"] for r in store.query("overview_years")]


def body_years(store: Store, fiscal_year: int, today: date, *, outbox: Path) -> list[BodyYear]:
    bodies = {
        b["body_key"]: BodyYear(b["body"], b["body_key"], outbox_year_folder(outbox, b["body"], fiscal_year))
        for b in store.query("overview_bodies", fiscal_year=fiscal_year)
    }
    for r in store.query("overview_status", fiscal_year=fiscal_year, today=today):
        body = bodies.get(r["body_key"])
        if body is None:
            continue
        if r["division"] not in body.divisions:
            body.divisions.append(r["division"])
        status = r["status"]
        body.counts[status] += 1
        if status in ("missing", "rejected"):
            body.behind.setdefault(r["division"], defaultdict(list))[status].append(r["month"])
    scores: dict[str, dict[str, float]] = defaultdict(dict)
    for s in store.query("overview_scores", fiscal_year=fiscal_year):
        scores[s["body_key"]][s["key"]] = s["score"]
    for key, body in bodies.items():
        level = records.level_of_scores(fiscal_year, scores[key])
        body.score = scores[key].get(setup_schema.ITA_TOTAL_KEY)
        body.level = level.name if level else ""
        body.waiting_for = waiting_for(body, fiscal_year)
    return list(bodies.values())


def waiting_for(body: BodyYear, fiscal_year: int) -> list[str]:
    reasons = []
    if body.score is None:
        reasons.append(NO_SCORE)
    not_in = sum(n for status, n in body.counts.items() if status != "received")
    if not_in:
        reasons.append(f"รายงานประจำเดือนยังไม่ครบ {not_in} รายการ (ส่วนราชการ × เดือน)")
    if body.score is not None and not all(p.exists() for p in (memo_path(body.folder, fiscal_year),
                                                              report_path(body.folder, fiscal_year))):
        reasons.append(NOT_WRITTEN)
    return reasons


def folder_link(body: BodyYear, outbox: Path) -> str:
    """The body's year folder relative to the outbox root (where the overview is)."""
    return body.folder.relative_to(outbox).as_posix()


# ------------------------------------------------------------------ artifact

COLUMNS = ("หน่วยงาน", "จำนวนส่วนราชการ", "ได้รับแล้ว", "ยังไม่ส่ง", "ถูกปฏิเสธและยังไม่ได้แก้", "ยังไม่ถึงกำหนด",
           "คะแนน ITA", "ระดับ", "เอกสารสิ้นปี", "โฟลเดอร์")


def _values(body: BodyYear, outbox: Path) -> list[object]:
    c = body.counts
    return [body.body, len(body.divisions), c["received"], c["missing"], c["rejected"], c["not_due"],
            body.score, body.level, body.ready, folder_link(body, outbox)]


def overview_rows(store: Store, fiscal_year: int, today: date, *, outbox: Path) -> list[dict]:
    """The overview as table-artifact rows (Thai column names)."""
    return [dict(zip(COLUMNS, _values(b, outbox))) for b in body_years(store, fiscal_year, today, outbox=outbox)]


# ------------------------------------------------------------------ workbook

WIDTHS = (44, 12, 12, 12, 14, 14, 12, 14, 50, 16)
_BEHIND = PatternFill("solid", fgColor="FFEB9C")
_REJECTED = PatternFill("solid", fgColor="FFC7CE")
LINK_TEXT = "เปิดโฟลเดอร์"


def overview_workbook_bytes(store: Store, fiscal_year: int, today: date, *, outbox: Path, font: str) -> bytes:
    """ภาพรวม_<year>.xlsx: a sheet with one row per body, and one listing
    the divisions that are behind and on which months."""
    bodies = body_years(store, fiscal_year, today, outbox=outbox)
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
        for col, value in enumerate(_values(body, outbox), start=1):
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
