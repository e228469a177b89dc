"""Where every line of a body's year of documents came from (ที่มาของข้อมูล):
the file as the clerk sent it, its sheet, row and cell, the line within the
cell, when it was received, and the archived original.

The lines are chosen by the same models and helpers the documents use
(sql/021_consolidated_bullets.sql for the consolidated report,
sql/013_period_bullets.sql for the half-year report once March is due,
sql/024_monthly_new_bullets.sql and `contexts.monthly_bullets` for the
monthly reports), so the trace holds exactly what the documents print.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ita import contexts, records, thai, wording
from ita.excel_read import column_letter
from ita.parse import SETUP_SHEETS
from ita.paths import half_year_report_path, memo_path, monthly_path, report_path
from ita.period import Period, half_year
from ita.store import Store
from ita.xlsx_io import add_named_styles, styled_cell, text_cell, workbook_bytes
from ita.year_setup import YearSetup, year_setup
from schemas import monthly as monthly_schema
from schemas import setup as setup_schema

REPORT_COLUMNS = {"result": "สรุปผลการดำเนินการ", "outcome": "ผลลัพธ์/ความสำเร็จ"}
MONTHLY_COLUMNS = {field: monthly_schema.ROWS.columns[field].title for field in ("activity", "result", "outcome")}
PLAN_FIELDS = ("title", "steps", "responsible", "period")
PLAN_COLUMNS = {field: setup_schema.MEASURES.columns[field].title for field in PLAN_FIELDS}


@dataclass(frozen=True)
class Source:
    """One line a document prints, and the cell it came from."""

    document: str  # the document's path within the year's folder
    measure_no: int | None
    measure: str
    column: str  # the document's column (or part) the line is printed in
    text: str
    division: str
    month: date | None
    file_names: tuple[str, ...]  # every name the file arrived under, the first first
    sheet: str
    row: int | None
    col: int | None
    line_no: int | None  # 1-based line within the cell
    received_at: datetime | None
    stored_path: str

    @property
    def cell(self) -> str:
        return f"{column_letter(self.col)}{self.row}" if self.col and self.row else ""


def _under(data: Path | None, stored: str) -> str:
    return str(data / stored) if data is not None and stored and not Path(stored).is_absolute() else stored


@dataclass(frozen=True)
class _File:
    stored_path: str
    file_names: tuple[str, ...]
    received_at: datetime | None


class _Lineage:
    """The files and column positions of one body's year, read once."""

    def __init__(self, store: Store, body_key: str, fiscal_year: int, data: Path | None = None):
        # Stored paths are relative to the data folder (schema version 2).
        self.files = {
            f["sha256"]: _File(_under(data, f["stored_path"]), tuple(n for n in f["file_names"] if n), f["received_at"])
            for f in store.query("trace_files_for", body_key=body_key, fiscal_year=fiscal_year)
        }
        self.columns = {
            (c["sha256"], c["field"]): c["col"]
            for c in store.query("trace_columns_for", body_key=body_key, fiscal_year=fiscal_year)
        }

    def source(self, sha256: str, **fields: object) -> Source:
        file = self.files.get(sha256) or _File("", (), None)
        return Source(file_names=file.file_names, received_at=file.received_at, stored_path=file.stored_path,
                      **fields)


def year_sources(store: Store, body_key: str, fiscal_year: int, data: Path | None = None,
                 today: date | None = None) -> dict[str, list[Source]]:
    """Every line of the year's consolidated report, half-year report (once
    its March is due on `today`, by default the day it runs), monthly reports
    and the memo's ITA scores, per document kind, in document order; each
    empty for a year without a setup."""
    setup = year_setup(store, body_key, fiscal_year)
    if setup is None:
        return {"report": [], "half_year": [], "monthly": [], "memo": []}
    lineage = _Lineage(store, body_key, fiscal_year, data)
    half = half_year(fiscal_year)
    return {"report": list(report_sources(store, setup, lineage)),
            "half_year": list(report_sources(store, setup, lineage, half))
            if half.is_due(today or date.today()) else [],
            "monthly": list(monthly_sources(store, setup, lineage)),
            "memo": list(memo_sources(setup, lineage))}


def report_sources(store: Store, s: YearSetup, lineage: _Lineage,
                   period: Period | None = None) -> Iterator[Source]:
    """The consolidated report's lines: of the year, or of the half-year `period`."""
    key = {"body_key": s.row["body_key"], "fiscal_year": s.fiscal_year}
    if period is None:
        document = report_path(Path(), s.fiscal_year).as_posix()
        rows = store.query("consolidated_for", **key)
    else:
        document = half_year_report_path(Path(), s.fiscal_year).as_posix()
        rows = store.query("period_bullets_for", **key, first_month=period.first, last_month=period.last)
    bullets: dict[tuple[int, str], list[dict]] = {}
    for b in rows:
        bullets.setdefault((b["measure_no"], b["field"]), []).append(b)
    sheet = SETUP_SHEETS["measures"]
    for group, _ in wording.REPORT_GROUPS:
        for m in (m for m in s.measures if m["grp"] == group):
            common = {"document": document, "measure_no": m["no"], "measure": m["title"]}
            for field in PLAN_FIELDS:
                lines = [m[field]] if isinstance(m[field], str) else list(m[field])
                for i, text in enumerate(lines, start=1):
                    yield lineage.source(s.row["sha256"], **common, column=PLAN_COLUMNS[field], text=text,
                                         division="", month=None, sheet=sheet, row=m["row"], col=None,
                                         line_no=i if len(lines) > 1 else None)
            for field, column in REPORT_COLUMNS.items():
                for b in bullets.get((m["no"], field), []):
                    yield lineage.source(b["sha256"], **common, column=column, text=b["text"],
                                         division=b["division"], month=b["month"], sheet=b["sheet"], row=b["row"],
                                         col=lineage.columns.get((b["sha256"], field)), line_no=b["line_no"] + 1)


def monthly_sources(store: Store, s: YearSetup, lineage: _Lineage) -> Iterator[Source]:
    plan = {m["no"]: m for m in s.measures}
    by_month: dict[date, dict[str, list[dict]]] = {}
    for row in store.query("progress_for", body_key=s.row["body_key"], fiscal_year=s.fiscal_year):
        by_month.setdefault(row["month"], {}).setdefault(row["division"], []).append(row)
    added = contexts.monthly_bullets(store, s.row["body_key"], s.fiscal_year)
    for month, divisions in sorted(by_month.items()):
        document = monthly_path(Path(), month).as_posix()
        for division in contexts.reported_divisions(s, divisions):
            for r in divisions[division]:
                common = {"document": document, "measure_no": r["measure_no"],
                          "measure": contexts.measure_title(r, plan), "division": division, "month": month,
                          "sheet": r["sheet"], "row": r["row"]}
                for i, text in enumerate(records.lines(r["activity"]), start=1):
                    yield lineage.source(r["sha256"], **common, column=MONTHLY_COLUMNS["activity"], text=text,
                                         col=lineage.columns.get((r["sha256"], "activity")), line_no=i)
                for field in ("result", "outcome"):
                    for b in added.get((month, division, r["row"], field), []):
                        yield lineage.source(r["sha256"], **common, column=MONTHLY_COLUMNS[field], text=b["text"],
                                             col=lineage.columns.get((r["sha256"], field)), line_no=b["line_no"] + 1)


def memo_sources(s: YearSetup, lineage: _Lineage) -> Iterator[Source]:
    """Every ITA score the memo shows or derives its level from; none while
    the year's overall score is missing (there is no memo then)."""
    fy = s.fiscal_year
    if not any(c["key"] == setup_schema.ITA_TOTAL_KEY and c["year"] == fy for c in s.scores):
        return
    document = memo_path(Path(), fy).as_posix()
    for c in s.scores:
        label = c["name"] or c["key"]
        yield lineage.source(
            s.row["sha256"], document=document, measure_no=None, measure="", column=_memo_part(c, fy),
            text=f"{label} ปี {thai.to_thai_digits(c['year'])}: {thai.to_thai_digits(format(c['score'], '.2f'))}",
            division="", month=None, sheet=SETUP_SHEETS["ita"], row=c["row"], col=c["col"], line_no=None,
        )


def _memo_part(score: dict, fiscal_year: int) -> str:
    key, this_year = score["key"], score["year"] == fiscal_year
    if key == setup_schema.ITA_TOTAL_KEY:
        return "คะแนน ITA และระดับ (เรื่องเดิม) และกราฟ" if this_year else "กราฟคะแนน ITA ย้อนหลัง"
    if key in setup_schema.ITA_INDICATORS:
        return "ตารางคะแนนรายตัวชี้วัด และกราฟ" if this_year else "กราฟคะแนนรายตัวชี้วัด"
    return "ใช้คำนวณระดับ ITA" if this_year else "คะแนนรายเครื่องมือ (ไม่ได้แสดงในบันทึกข้อความ)"


# ------------------------------------------------------------------ workbook

HEADERS = (("เอกสาร", 34), ("ลำดับมาตรการ", 10), ("มาตรการ", 36), ("ส่วนในเอกสาร", 24), ("ข้อความ", 60),
           ("ส่วนราชการ", 24), ("เดือน", 16), ("ชื่อไฟล์ที่ส่ง", 36), ("แผ่นงาน", 18), ("แถว", 8),
           ("เซลล์", 8), ("บรรทัดที่ในเซลล์", 10), ("วันที่ได้รับ", 18), ("ต้นฉบับที่เก็บไว้", 20))
SHEETS = (("รายงานสรุปผล", "report"), ("รายงานรอบ 6 เดือน", "half_year"), ("รายงานประจำเดือน", "monthly"),
          ("คะแนน ITA", "memo"))
LINK_TEXT = "เปิดไฟล์ต้นฉบับ"


def trace_workbook_bytes(store: Store, body_key: str, fiscal_year: int, *, outbox_folder: Path, data: Path,
                         today: date, font: str) -> bytes:
    """ที่มาของข้อมูล_<year>.xlsx of one body's year on `today`, to be saved in
    `outbox_folder` (links to the originals, under the data folder `data`, are relative to it)."""
    sources = year_sources(store, body_key, fiscal_year, data, today)
    # Streamed (write-only): a body's trace is ~20,000 cells, and building
    # each as a cell of an ordinary worksheet before saving was over a third
    # of the time of its whole set of documents (docs/performance.md).
    book = Workbook(write_only=True)
    add_named_styles(book, font)
    for title, part in SHEETS:
        _write_sheet(book.create_sheet(title), sources[part], outbox_folder)
    return workbook_bytes(book)


def _write_sheet(sheet, sources: list[Source], folder: Path) -> None:
    for col, (_, width) in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A2"
    if sources:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{len(sources) + 1}"
    header, text, link = (styled_cell(sheet, style) for style in ("ita-header", "ita-text", "ita-link"))
    sheet.append([text_cell(sheet, title, header) for title, _ in HEADERS])
    for s in sources:
        row = [text_cell(sheet, value, text) for value in row_values(s)]
        if s.stored_path:
            row[-1] = text_cell(sheet, LINK_TEXT, link)
            row[-1].hyperlink = original_link(Path(s.stored_path), folder)
        sheet.append(row)


def row_values(s: Source) -> list[object]:
    return [s.document, s.measure_no, s.measure, s.column, s.text, s.division, month_text(s.month),
            "\n".join(s.file_names), s.sheet, s.row, s.cell, s.line_no,
            s.received_at.strftime("%Y-%m-%d %H:%M") if s.received_at else "", ""]


def month_text(month: date | None) -> str:
    return thai.thai_month_year(month.year, month.month) if month else ""


def original_link(original: Path, folder: Path) -> str:
    """The archived original relative to the workbook's folder, so the link
    still works when the outbox and data folders move together; a file URI
    when they share nothing but the file system's root."""
    original, folder = original.absolute(), folder.absolute()
    try:
        common = Path(os.path.commonpath([original, folder]))
    except ValueError:  # different drives
        common = None
    if common is None or common == Path(common.anchor):
        return original.as_uri()
    return Path(os.path.relpath(original, folder)).as_posix()


# ------------------------------------------------------------------- search


@dataclass(frozen=True)
class Found:
    body: str
    fiscal_year: int
    source: Source


def find(store: Store, text: str, data: Path | None = None) -> list[Found]:
    """The lines of every body's documents that read as `text`, ignoring
    spacing, digit script and a leading dash (as bullets are matched); when
    none reads so, those that contain it."""
    key = records.bullet_key(text)
    if not key:
        return []
    exact: list[Found] = []
    within: list[Found] = []
    for y in store.query("setups_all"):
        for s in chain.from_iterable(year_sources(store, y["body_key"], y["fiscal_year"], data).values()):
            line_key = records.bullet_key(s.text)
            if line_key == key:
                exact.append(Found(y["body"], y["fiscal_year"], s))
            elif key in line_key:
                within.append(Found(y["body"], y["fiscal_year"], s))
    return exact or within


def lineage_lines(found: Found) -> list[tuple[str, str]]:
    """A found line's lineage as (Thai label, value), as `ita trace` prints it."""
    s = found.source
    where = [f"แถว {s.row}" if s.row else "", f"เซลล์ {s.cell}" if s.cell else "",
             f"บรรทัดที่ {s.line_no} ในเซลล์" if s.line_no else ""]
    rows = [
        ("ข้อความ", s.text),
        ("หน่วยงาน", found.body),
        ("ปีงบประมาณ", str(found.fiscal_year)),
        ("เอกสาร", s.document),
        ("ส่วนในเอกสาร", s.column),
        ("มาตรการ", f"{s.measure_no} {s.measure}" if s.measure_no is not None else s.measure),
        ("ส่วนราชการ", s.division),
        ("เดือน", month_text(s.month)),
        ("ชื่อไฟล์ที่ส่ง", ", ".join(s.file_names)),
        ("แผ่นงาน", s.sheet),
        ("ตำแหน่งในแผ่นงาน", " ".join(w for w in where if w)),
        ("วันที่ได้รับ", s.received_at.strftime("%Y-%m-%d %H:%M") if s.received_at else ""),
        ("ต้นฉบับที่เก็บไว้", s.stored_path),
    ]
    return [(label, value) for label, value in rows if value]
