"""Where each output goes: one folder per body and year in the outbox, named
from user text made safe for a file system or a Windows share."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ita import thai
from ita.settings import Config

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
UNKNOWN_BODY = "ไม่ทราบหน่วยงาน"
REJECTED_FOLDER = "ไฟล์ที่ถูกปฏิเสธ"
MONTHLY_FOLDER = "รายงานประจำเดือน"


def safe_name(text: str) -> str:
    """A file or folder name from user text: no separators or characters
    that Windows shares refuse, no leading dots."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", thai.one_line(text)).strip(" .")
    return name[:80] or "_"


def year_folder(config: Config, body: str, fiscal_year: int) -> Path:
    return outbox_year_folder(config.outbox, body, fiscal_year)


def outbox_year_folder(outbox: Path, body: str, fiscal_year: int) -> Path:
    return outbox / safe_name(body) / str(fiscal_year)


def memo_path(folder: Path, fiscal_year: int) -> Path:
    return folder / f"บันทึกข้อความ_ITA_{fiscal_year}.docx"


def report_path(folder: Path, fiscal_year: int) -> Path:
    return folder / f"รายงานผลการดำเนินการตามมาตรการ_{fiscal_year}.docx"


def monthly_path(folder: Path, month: date) -> Path:
    return folder / MONTHLY_FOLDER / f"{month.year + 543}-{month.month:02d}_{thai.thai_month_year(month.year, month.month).split()[0]}.docx"


def status_path(folder: Path, fiscal_year: int) -> Path:
    return folder / f"สถานะการส่งรายงาน_{fiscal_year}.xlsx"


def trace_path(folder: Path, fiscal_year: int) -> Path:
    return folder / f"ที่มาของข้อมูล_{fiscal_year}.xlsx"


def overview_path(outbox: Path, fiscal_year: int) -> Path:
    """At the outbox root: one row per body of the installation."""
    return outbox / f"ภาพรวม_{fiscal_year}.xlsx"


def rejection_report_path(config: Config, row: dict) -> Path:
    if row["body"] and row["fiscal_year"]:
        folder = year_folder(config, row["body"], row["fiscal_year"]) / REJECTED_FOLDER
    else:
        folder = config.outbox / UNKNOWN_BODY / REJECTED_FOLDER
    if row["division"]:
        folder = folder / safe_name(row["division"])
    return folder / f"{safe_name(Path(row['file_name']).stem)}__{row['sha256'][:8]}.txt"


def marked_copy_path(report: Path) -> Path:
    return report.with_name(f"{report.stem}_ตรวจแล้ว.xlsx")
