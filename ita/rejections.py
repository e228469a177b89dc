"""What a rejected file's report says, and which reports are out of date
(light to import: a quiet night checks them without loading any workbook)."""

from __future__ import annotations

import hashlib

from ita import thai
from ita.paths import first_name, marked_copy_path, rejection_report_path
from ita.problems import Problem
from ita.settings import Config
from ita.store import Store
from ita.wording import KIND_WORDS


def rejected_problems(store: Store) -> dict[str, list[dict]]:
    """sha256 → the problems of that rejected file, in order."""
    found: dict[str, list[dict]] = {}
    for problem in store.query("rejected_problems"):
        found.setdefault(problem.pop("sha256"), []).append(problem)
    return found


def rejection_report_text(row: dict, problems: list[dict]) -> str:
    errors = [Problem(**p) for p in problems if p["severity"] == "error"]
    warnings = [Problem(**p) for p in problems if p["severity"] != "error"]
    lines = [
        "รายงานไฟล์ที่ถูกปฏิเสธ",
        "",
        f"ไฟล์: {first_name(row)}",
    ]
    others = [name for name in row.get("file_names") or [] if name != first_name(row)]
    if others:
        lines.append("ไฟล์เดียวกันนี้ (เนื้อหาเหมือนกันทุกไบต์) ส่งมาในชื่ออื่นด้วย:")
        lines += [f"  - {name}" for name in others]
    lines += [
        f"ชนิด: {KIND_WORDS.get(row['kind'], row['kind'])}",
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


def reports_to_write(store: Store, config: Config) -> list[tuple[dict, list[dict], bytes, str]]:
    """(file row, its problems, its report's text, the text's fingerprint)
    for each rejected file whose report differs from the one last written or
    is gone (marking a copy opens the whole workbook: not every night)."""
    problems_by_file = rejected_problems(store)
    stale = []
    for row in store.query("rejected_files"):
        problems = problems_by_file.get(row["sha256"], [])
        text = rejection_report_text(row, problems).encode("utf-8")
        # The marked copy is set in the run's font: another font is another rendering.
        fingerprint = hashlib.sha256(text + config.font.encode("utf-8")).hexdigest()
        target = rejection_report_path(config, row)
        if (row["reported_fingerprint"] != fingerprint or not target.exists()
                or not (marked_copy_path(target).exists() or row["reported_marked_sha256"] == "")):
            stale.append((row, problems, text, fingerprint))
    return stale
