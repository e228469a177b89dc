"""Where each output goes, and writing them: the year's documents for one
body, and a rejection report for every rejected file."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from ita import contexts, thai
from ita.marked_copy import marked_copy
from ita.problems import Problem
from ita.render import TEMPLATES, render_document, write_atomically
from ita.settings import Config
from ita.status_workbook import month_is_due, status_workbook_bytes
from ita.store import Store

UNKNOWN_BODY = "ไม่ทราบหน่วยงาน"
REJECTED_FOLDER = "ไฟล์ที่ถูกปฏิเสธ"
MONTHLY_FOLDER = "รายงานประจำเดือน"


def safe_name(text: str) -> str:
    """A file or folder name from user text: no separators or characters
    that Windows shares refuse, no leading dots."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", thai.one_line(text)).strip(" .")
    return name[:80] or "_"


def year_folder(config: Config, body: str, fiscal_year: int) -> Path:
    return config.outbox / safe_name(body) / str(fiscal_year)


def memo_path(folder: Path, fiscal_year: int) -> Path:
    return folder / f"บันทึกข้อความ_ITA_{fiscal_year}.docx"


def report_path(folder: Path, fiscal_year: int) -> Path:
    return folder / f"รายงานผลการดำเนินการตามมาตรการ_{fiscal_year}.docx"


def monthly_path(folder: Path, month: date) -> Path:
    return folder / MONTHLY_FOLDER / f"{month.year + 543}-{month.month:02d}_{thai.thai_month_year(month.year, month.month).split()[0]}.docx"


def status_path(folder: Path, fiscal_year: int) -> Path:
    return folder / f"สถานะการส่งรายงาน_{fiscal_year}.xlsx"


def year_fingerprint(store: Store, config: Config, body_key: str, fiscal_year: int, today: date) -> str:
    """Everything one body's year of documents is made from, in one hash: the
    store's files of that year, the templates, the font, the memo date and how
    many of the year's months are due (the status changes as months pass)."""
    digest = hashlib.sha256(repr(store.query("year_inputs", body_key=body_key, fiscal_year=fiscal_year)).encode())
    for template in sorted(TEMPLATES.glob("*.docx")):
        digest.update(template.read_bytes())
    due = sum(month_is_due(date(y, m, 1), today) for y, m in thai.fiscal_months(fiscal_year))
    digest.update(f"{config.font}|{config.memo_date}|{due}|{config.outbox}".encode())
    return digest.hexdigest()


def write_year_documents(store: Store, config: Config, body_key: str, fiscal_year: int, today: date) -> list[Path]:
    """Every document of one body's year; returns those written anew. A year
    whose inputs have not changed since it was last written is skipped whole:
    building its contexts (charts included) is most of a quiet night's work."""
    setup = contexts.year_setup(store, body_key, fiscal_year)
    if setup is None:
        return []
    folder = year_folder(config, setup.body, fiscal_year)
    key = f"year:{body_key}:{fiscal_year}"
    print_ = year_fingerprint(store, config, body_key, fiscal_year, today)
    previous = store.query("render_of", path=key)
    kept = [report_path(folder, fiscal_year), status_path(folder, fiscal_year)]
    if previous and previous[0]["fingerprint"] == print_ and all(p.exists() for p in kept):
        return []
    written: list[Path] = []

    def render(template: str, context: dict, target: Path, volatile: tuple[str, ...] = ()) -> None:
        if render_document(store, template, context, target, config.font, volatile):
            written.append(target)

    memo = contexts.memo_context(setup, config.memo_date or today, config.inbox)
    if memo:
        render("memo.docx", memo, memo_path(folder, fiscal_year), () if config.memo_date else ("memo_date",))
    render("report.docx", contexts.report_context(store, setup), report_path(folder, fiscal_year))
    for month, context in contexts.monthly_contexts(store, setup).items():
        render("monthly.docx", context, monthly_path(folder, month))

    status = status_workbook_bytes(
        setup.body, fiscal_year,
        store.query("status_for", body_key=body_key, fiscal_year=fiscal_year),
        store.query("files_for", body_key=body_key, fiscal_year=fiscal_year),
        today,
    )
    target = status_path(folder, fiscal_year)
    if not target.exists() or target.read_bytes() != status:
        write_atomically(target, status)
        written.append(target)
    store.command("remember_render", path=key, fingerprint=print_, sha256="")
    return written


def rejection_report_path(config: Config, row: dict) -> Path:
    if row["body"] and row["fiscal_year"]:
        folder = year_folder(config, row["body"], row["fiscal_year"]) / REJECTED_FOLDER
    else:
        folder = config.outbox / UNKNOWN_BODY / REJECTED_FOLDER
    if row["division"]:
        folder = folder / safe_name(row["division"])
    return folder / f"{safe_name(Path(row['file_name']).stem)}__{row['sha256'][:8]}.txt"


def rejection_report_text(row: dict, problems: list[dict]) -> str:
    kinds = {"setup": "ข้อมูลประจำปี", "monthly": "แบบรายงานผลการดำเนินงานประจำเดือน", "unknown": "ไม่ทราบชนิด"}
    errors = [Problem(**p) for p in problems if p["severity"] == "error"]
    warnings = [Problem(**p) for p in problems if p["severity"] != "error"]
    lines = [
        "รายงานไฟล์ที่ถูกปฏิเสธ",
        "",
        f"ไฟล์: {row['file_name']}",
        f"ชนิด: {kinds.get(row['kind'], row['kind'])}",
    ]
    if row["body"]:
        lines.append(f"หน่วยงาน: {row['body']}")
    if row["division"]:
        lines.append(f"ส่วนราชการ: {row['division']}")
    if row["month"]:
        lines.append(f"ประจำเดือน: {thai.thai_month_year(row['month'].year, row['month'].month)}")
    lines += [
        "",
        "ระบบไม่ได้นำข้อมูลใดในไฟล์นี้ไปใช้ ให้แก้ไขตามรายการด้านล่าง แล้วส่งไฟล์ทั้งไฟล์เข้าโฟลเดอร์เดิมอีกครั้ง",
        "(ถ้ามีไฟล์ชื่อเดียวกันที่ลงท้ายว่า _ตรวจแล้ว.xlsx อยู่คู่กัน เซลล์ที่ต้องแก้ในไฟล์นั้นถูกระบายสีและมีคำอธิบายไว้)",
        "",
        f"รายการที่ต้องแก้ ({len(errors)} รายการ):",
    ]
    lines += [f"{i}. {p.describe()}" for i, p in enumerate(errors, start=1)]
    if warnings:
        lines += ["", f"ข้อสังเกต ({len(warnings)} รายการ ไม่ต้องแก้ก็ได้):"]
        lines += [f"{i}. {p.describe()}" for i, p in enumerate(warnings, start=1)]
    lines += ["", f"รหัสไฟล์ (sha256): {row['sha256']}", ""]
    return "\n".join(lines)


def write_rejection_reports(store: Store, config: Config) -> list[Path]:
    """For every rejected file: the Thai explanation, and, where the file can
    be read, a copy of the clerk's workbook with the bad cells marked."""
    written = []
    for row in store.query("rejected_files"):
        target = rejection_report_path(config, row)
        problems = store.query("problems_of", sha256=row["sha256"])
        outputs = {target: rejection_report_text(row, problems).encode("utf-8")}
        original = Path(row["stored_path"])
        marked = marked_copy(original, [Problem(**p) for p in problems]) if original.exists() else None
        if marked:
            outputs[marked_copy_path(target)] = marked
        for path, data in outputs.items():
            if not path.exists() or path.read_bytes() != data:
                write_atomically(path, data)
                written.append(path)
    return written


def marked_copy_path(report: Path) -> Path:
    return report.with_name(f"{report.stem}_ตรวจแล้ว.xlsx")
