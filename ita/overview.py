"""The province overview (ภาพรวม_<year>.xlsx at the outbox root): when one
installation serves several bodies, one row per body: its division-months
received, missing and rejected-not-yet-corrected (as `ita status` counts
them: a month not yet due is not missing), its ITA score and level, whether
its year-end documents are ready, and a link to its folder.

What it shows is read first, and the workbook (ita.overview_workbook) is
made only when that changed: a night with nothing new neither imports
openpyxl nor builds the sheet of every body."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ita import ita_levels, outbox_files
from ita.documents import product_version
from ita.outbox_files import Placed
from ita.paths import memo_path, outbox_year_folder, overview_path, report_path
from ita.settings import Config
from ita.store import Store
from schemas.ita_scores import ITA_TOTAL_KEY

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
        level = ita_levels.level_of_scores(fiscal_year, scores[key])
        body.score = scores[key].get(ITA_TOTAL_KEY)
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


def row_values(body: BodyYear, outbox: Path) -> list[object]:
    c = body.counts
    return [body.body, len(body.divisions), c["received"], c["missing"], c["rejected"], c["not_due"],
            body.score, body.level, body.ready, folder_link(body, outbox)]


def overview_rows(store: Store, fiscal_year: int, today: date, *, outbox: Path) -> list[dict]:
    """The overview as table-artifact rows (Thai column names)."""
    return rows_of(body_years(store, fiscal_year, today, outbox=outbox), outbox)


def rows_of(bodies: list[BodyYear], outbox: Path) -> list[dict]:
    return [dict(zip(COLUMNS, row_values(b, outbox))) for b in bodies]


def fingerprint(bodies: list[BodyYear], fiscal_year: int, *, outbox: Path, font: str) -> str:
    """What the year's overview is made from: every value it shows, the
    font and the product's version (whose code lays the sheet out)."""
    shown = [[row_values(b, outbox), b.behind] for b in bodies]
    text = json.dumps([fiscal_year, shown, font, product_version()], default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Overviews:
    """A night's overviews: those written anew, and what each year's shows
    as artifact rows. The run's Prefect table shows the same as the
    workbook, so it is read once a night (at national scale, ~1 s a read)."""

    written: list[Placed] = field(default_factory=list)
    rows: dict[int, list[dict]] = field(default_factory=dict)


def write_overviews(store: Store, config: Config, today: date) -> Overviews:
    """The province overview (ภาพรวม_<year>.xlsx at the outbox root) of each
    fiscal year the installation serves several bodies in; after the bodies'
    documents, whose readiness it shows. A hand-edited one is kept as well."""
    done = Overviews()
    for fiscal_year in overview_years(store):
        bodies = body_years(store, fiscal_year, today, outbox=config.outbox)
        placed = outbox_files.place(store, overview_path(config.outbox, fiscal_year),
                                    lambda: _workbook(bodies, fiscal_year, config),
                                    fingerprint(bodies, fiscal_year, outbox=config.outbox, font=config.font))
        if placed.written:
            done.written.append(placed)
        done.rows[fiscal_year] = rows_of(bodies, config.outbox)
    return done


def _workbook(bodies: list[BodyYear], fiscal_year: int, config: Config) -> bytes:
    from ita.overview_workbook import overview_workbook  # openpyxl: only when the overview changed

    return overview_workbook(bodies, fiscal_year, outbox=config.outbox, font=config.font)
