"""The tables and links a run publishes for the IT officer (as Prefect
artifacts): plain rows, built here so the flow only publishes them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ita.rejections import rejected_problems
from ita.store import Store
from ita.submission_status import STATUS_WORDS

RUN_WORDS = (("accepted", "รับแล้ว"), ("rejected", "ถูกปฏิเสธ"), ("duplicates", "ซ้ำกับที่เคยรับ"),
             ("waiting", "รอคัดลอกเสร็จ (รอบหน้า)"), ("superseded_setups", "ข้อมูลประจำปีที่ถูกแทนที่ด้วยฉบับใหม่"))


def run_tables(store: Store, result: dict, today: date | None = None, outbox: Path | None = None, *,
               overviews: dict[int, list[dict]]) -> dict[str, tuple[list[dict], str]]:
    """Artifact key → (rows, description). `overviews`: the rows of each
    year's province overview, as the night wrote it (ita.overview.Overviews)."""
    today = today or date.today()
    files = [{"ไฟล์": name, "ผล": word} for key, word in RUN_WORDS for name in result.get(key, [])]
    # One row per division and year (a province has a hundred thousand division-months).
    counts: dict[tuple, dict[str, int]] = {}
    for r in store.query("status_counts", today=today):
        row = counts.setdefault((r["body"], r["fiscal_year"], r["division"]), dict.fromkeys(STATUS_WORDS, 0))
        row[r["status"]] += r["months"]
    status = [
        {"หน่วยงาน": body, "ปีงบประมาณ": year, "ส่วนราชการ": division,
         **{STATUS_WORDS[k]: n for k, n in by_status.items() if k != "superseded"}}
        for (body, year, division), by_status in counts.items()
    ]
    problems = rejected_problems(store)
    rejected = [
        {"ไฟล์": r["file_name"], "หน่วยงาน": r["body"] or "", "ส่วนราชการ": r["division"] or "",
         "เหตุผล": "; ".join(p["message"] for p in problems.get(r["sha256"], []) if p["severity"] == "error")[:500]}
        for r in store.query("rejected_files")
    ]
    edited = [{"เอกสารที่มีผู้แก้ไข": _shown(e["path"], outbox), "ฉบับใหม่": _shown(e["new_version"], outbox)}
              for e in result.get("edited", [])]
    pdf_failed = [{"เอกสาร": path, "เหตุผล": reason} for path, reason in sorted(result.get("pdf_failed", {}).items())]
    return {
        **_overviews(overviews),
        "ita-pdf-failed": (pdf_failed, "เอกสารที่เขียน PDF ไม่สำเร็จในรอบนี้ (ไฟล์ DOCX ยังอยู่ครบ)"),
        "ita-inbox-files": (files, "ไฟล์ในโฟลเดอร์รับของรอบนี้"),
        "ita-edited-documents": (edited, "เอกสารที่มีผู้แก้ไขหลังระบบเขียน: ระบบไม่เขียนทับ "
                                         "และเขียนฉบับใหม่ไว้ข้างกันในโฟลเดอร์เดียวกัน"),
        "ita-submission-status": (status, "สถานะการส่งรายงานประจำเดือน ทุกหน่วยงาน ทุกเดือน"),
        "ita-rejected-files": (rejected, "ไฟล์ที่ถูกปฏิเสธทั้งหมดและเหตุผล"),
    }


def _overviews(overviews: dict[int, list[dict]]) -> dict[str, tuple[list[dict], str]]:
    """The province overview of each year several bodies share, as the workbook shows it."""
    return {f"ita-overview-{year}": (rows, f"ภาพรวมทุกหน่วยงาน ปีงบประมาณ {year}: ใครส่งรายงานเดือนใดแล้ว และเอกสารสิ้นปีพร้อมหรือไม่")
            for year, rows in overviews.items()}


def _shown(path: str, outbox: Path | None) -> str:
    p = Path(path)
    return str(p.relative_to(outbox)) if outbox and p.is_relative_to(outbox) else path


def documents_markdown(paths: list[str], outbox: Path) -> str:
    lines = ["| เอกสาร | ที่อยู่ |", "| --- | --- |"]
    for path in sorted(paths):
        p = Path(path)
        lines.append(f"| {p.name} | [{p.relative_to(outbox) if p.is_relative_to(outbox) else p}]({p.as_uri()}) |")
    return "\n".join(lines)
