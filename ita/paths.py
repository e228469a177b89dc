"""Where each output goes: one folder per body and year in the outbox, named
from user text made safe for a file system or a Windows share.

Every name written fits the file system's limit of 255 bytes (ext4, XFS; a
share's 255 UTF-16 units are wider for Thai) with everything added to it: a
Thai character is three bytes in UTF-8, so 80 characters are already 240."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from ita import thai
from ita.package_data import TEMPLATES
from ita.settings import Config

UNKNOWN_BODY = "ไม่ทราบหน่วยงาน"
REJECTED_FOLDER = "ไฟล์ที่ถูกปฏิเสธ"
MONTHLY_FOLDER = "รายงานประจำเดือน"
MARKED_SUFFIX = "_ตรวจแล้ว.xlsx"
FORMS_FOLDER = "แบบฟอร์ม"

NAME_BYTES = 255
# Bytes every name made from user text leaves free for what is added to it
# after it is made: the temporary name it is written under (".NAME.part")
# and a new version written beside a document a person edited.
ADDED_ROOM = 64
NAME_CHARACTERS = 80  # longer names make paths Windows Explorer cannot open


def safe_name(text: str, room: int = 0) -> str:
    """A file or folder name from user text: no separators or characters
    that Windows shares refuse, no leading dots, and short enough that
    `room` more bytes (the suffix the caller adds) and `ADDED_ROOM` still fit
    in `NAME_BYTES`. A long name is cut between Thai character clusters, so
    a vowel or tone mark stays with its consonant."""
    text = thai.one_line(text).encode("utf-8", "replace").decode("utf-8")  # a lone surrogate becomes "?"
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .")
    limit = NAME_BYTES - ADDED_ROOM - room
    if len(name) > NAME_CHARACTERS or len(name.encode()) > limit:
        name = cut_between_clusters(name, NAME_CHARACTERS, limit).rstrip(" ._")
    return name or "_"


def cut_between_clusters(text: str, characters: int, size: int) -> str:
    """The longest start of `text` of at most `characters` characters and
    `size` UTF-8 bytes that ends between two Thai character clusters (TCC:
    a leading vowel, its consonant and its marks stay together) and between
    two grapheme clusters (so no script's marks are cut from their base)."""
    import regex
    from pythainlp.tokenize import tcc

    thai_ends = tcc.tcc_pos(text)
    end = used = 0
    for match in regex.finditer(r"\X", text):
        used += len(match.group().encode())
        if match.end() > characters or used > size:
            break
        if match.end() in thai_ends or match.end() == len(text):
            end = match.end()
    return text[:end]


def temporary_path(target: Path) -> Path:
    """Where `target` is written before it takes its name: beside it, hidden,
    and within the name limit even when `target`'s own name is at it."""
    name = f".{target.name}.part"
    if len(name.encode("utf-8", "surrogateescape")) > NAME_BYTES:
        name = f".{hashlib.sha256(target.name.encode('utf-8', 'surrogateescape')).hexdigest()[:32]}.part"
    return target.with_name(name)


def year_folder(config: Config, body: str, fiscal_year: int) -> Path:
    return outbox_year_folder(config.outbox, body, fiscal_year)


def outbox_year_folder(outbox: Path, body: str, fiscal_year: int) -> Path:
    return outbox / safe_name(body) / str(fiscal_year)


def memo_path(folder: Path, fiscal_year: int) -> Path:
    return folder / f"บันทึกข้อความ_ITA_{fiscal_year}.docx"


def report_path(folder: Path, fiscal_year: int) -> Path:
    return folder / f"รายงานผลการดำเนินการตามมาตรการ_{fiscal_year}.docx"


def half_year_report_path(folder: Path, fiscal_year: int) -> Path:
    """Beside the year's report: the report of ต.ค.–มี.ค."""
    return folder / f"รายงานผลการดำเนินการตามมาตรการ_รอบ6เดือน_{fiscal_year}.docx"


def half_year_memo_path(folder: Path, fiscal_year: int) -> Path:
    return folder / f"บันทึกข้อความ_รายงานรอบ6เดือน_{fiscal_year}.docx"


PERIOD_FOLDER = "รายงานตามช่วงเดือน"  # where `ita report` writes unless given -o


def period_report_path(folder: Path, first: date, last: date) -> Path:
    return folder / f"รายงานผลการดำเนินการตามมาตรการ_{_month_stamp(first)}_ถึง_{_month_stamp(last)}.docx"


def period_memo_path(folder: Path, first: date, last: date) -> Path:
    return folder / f"บันทึกข้อความ_รายงาน_{_month_stamp(first)}_ถึง_{_month_stamp(last)}.docx"


def _month_stamp(month: date) -> str:
    """"2566-03": Buddhist-Era year and month, sorting as the months do."""
    return f"{month.year + thai.BE_OFFSET}-{month.month:02d}"


def monthly_path(folder: Path, month: date) -> Path:
    return folder / MONTHLY_FOLDER / f"{month.year + thai.BE_OFFSET}-{month.month:02d}_{thai.thai_month_year(month.year, month.month).split()[0]}.docx"


def form_path(folder: Path, division: str, month: date) -> Path:
    """A division's ready-to-fill monthly sheet: "แบบฟอร์ม/กองคลัง_พฤศจิกายน_2565.xlsx",
    its division first so that a clerk finds their own in a sorted folder."""
    month_name = thai.thai_month_year(month.year, month.month).split()[0]
    tail = f"_{month_name}_{month.year + thai.BE_OFFSET}.xlsx"
    return folder / FORMS_FOLDER / f"{safe_name(division, room=len(tail.encode()))}{tail}"


def next_setup_path(folder: Path, next_fiscal_year: int) -> Path:
    """Next year's setup workbook, pre-filled, beside this year's forms."""
    return folder / FORMS_FOLDER / f"ข้อมูลประจำปี_{next_fiscal_year}.xlsx"


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
    tag = f"__{row['sha256'][:8]}"
    longest = max(".txt", MARKED_SUFFIX, key=lambda suffix: len(suffix.encode()))
    return folder / f"{safe_name(Path(first_name(row)).stem, room=len((tag + longest).encode()))}{tag}.txt"


def first_name(row: dict) -> str:
    """The name a file first arrived under: its report keeps that name
    however often it is dropped again under others."""
    return (row.get("file_names") or [row["file_name"]])[0]


def marked_copy_path(report: Path) -> Path:
    return report.with_name(f"{report.stem}{MARKED_SUFFIX}")
