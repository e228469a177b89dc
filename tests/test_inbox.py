"""The inbox as a shared folder really is: duplicates under other names, odd
names, subfolders, office lock files; outputs that must not turn text into
formulas."""

from __future__ import annotations

import os
import shutil
import time
import unicodedata
from datetime import date
from pathlib import Path

import duckdb
import pytest
import regex
from openpyxl import load_workbook

from conftest import REPO, run_pipeline
from ita import settings
from ita.inbox import looks_complete
from ita.paths import ADDED_ROOM, NAME_BYTES, marked_copy_path, rejection_report_path, safe_name, temporary_path
from ita.outbox_files import write_atomically
from ita.status_workbook import status_workbook_bytes
from workbooks import SAMPLE_SETUP, monthly_sheet

ROW = {"การดำเนินงานในเดือนนี้": "ประชุม", "ผลการดำเนินการ": "-รายงาน", "สถานะ": "อยู่ระหว่างดำเนินการ",
       "ร้อยละความคืบหน้า": 10}


def test_same_content_under_other_names_is_taken_in_once(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "กองคลัง" / "ต.ค. 65").mkdir(parents=True)
    shutil.copy(SAMPLE_SETUP, inbox / "ข้อมูลประจำปี.xlsx")
    sheet = monthly_sheet(inbox / "กองคลัง" / "ต.ค. 65" / "รายงาน ต.ค. (ฉบับจริง).xlsx", rows=[ROW])
    shutil.copy(sheet, inbox / "สำเนา - รายงาน.xlsx")
    (inbox / "~$รายงาน.xlsx").write_bytes(b"lock")  # Excel's lock file beside an open workbook
    first = run_pipeline(tmp_path)
    assert sorted(first["accepted"] + first["duplicates"]) == sorted(
        ["ข้อมูลประจำปี.xlsx", "รายงาน ต.ค. (ฉบับจริง).xlsx", "สำเนา - รายงาน.xlsx"])
    assert len(first["accepted"]) == 2 and len(first["duplicates"]) == 1
    shutil.copy(SAMPLE_SETUP, inbox / "ข้อมูลประจำปี (1).xlsx")  # dropped again another night
    assert run_pipeline(tmp_path)["duplicates"] == ["ข้อมูลประจำปี (1).xlsx"]
    with duckdb.connect(str(tmp_path / "data" / "ita.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from submissions").fetchall() == [(1,)]
        assert con.execute("select count(*) from receipts").fetchall() == [(4,)]
    assert [p.name for p in inbox.rglob("*") if p.is_file()] == ["~$รายงาน.xlsx"]


def test_status_workbook_keeps_formula_like_text_as_text():
    hostile = '=HYPERLINK("http://x","คลิก")'
    data = status_workbook_bytes(
        "อบต.ทดสอบ", 2566,
        [{"division": hostile, "month": date(2022, 10, 1), "status": "missing"}],
        [{"file_name": "+cmd.xlsx", "kind": "monthly", "division": "@SUM(A1)", "month": date(2022, 10, 1),
          "status": "rejected", "first_error": "-1+1", "processed_at": __import__("datetime").datetime(2022, 11, 1)}],
    )
    book = load_workbook(__import__("io").BytesIO(data))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value[:1] in "=+-@"]
    assert {c.value for c in risky} >= {hostile, "+cmd.xlsx", "@SUM(A1)", "-1+1"}
    assert all(c.data_type == "s" for c in risky)


# --- names the product writes ---------------------------------------------

THAI_LONG = "รายงานผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรม_กองช่าง_ประจำเดือนพฤศจิกายน๒๕๖๕_แก้ไข"  # the tracker's
NAMES = {
    "short": "รายงาน ต.ค.",
    "about 80 characters": THAI_LONG,
    "about 200 characters": "รายงาน_" + "monthly-report-final-v2_" * 8 + "แก้ไข",
    "255 bytes with its suffix": ("ผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส" * 2)[:83],
}


def _fits(path: Path) -> bool:
    return all(len(part.encode()) <= NAME_BYTES for part in path.parts)


def _cut_between_clusters(whole: str, kept: str) -> bool:
    """`kept` is a start of `whole` that ends where a Thai character cluster ends."""
    from pythainlp.tokenize import tcc

    return whole.startswith(kept) and (len(kept) == len(whole) or len(kept) in tcc.tcc_pos(whole))


@pytest.mark.parametrize("stem", NAMES.values(), ids=list(NAMES))
def test_every_name_made_from_a_file_name_fits_with_all_its_suffixes(tmp_path, stem):
    assert len((stem + ".xlsx").encode()) <= NAME_BYTES  # a name the inbox can hold
    config = settings.resolve(inbox=str(tmp_path / "i"), outbox=str(tmp_path / "o"), data=str(tmp_path / "d"))
    row = {"body": THAI_LONG, "fiscal_year": 2566, "division": THAI_LONG, "file_name": stem + ".xlsx",
           "sha256": "ab" * 32}
    report = rejection_report_path(config, row)
    written = [report, marked_copy_path(report)]
    for path in written + [temporary_path(p) for p in written]:
        assert _fits(path), path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")  # the file system agrees
    kept, whole = report.name.rsplit("__", 1)[0], stem.rstrip(" .")  # Windows drops a trailing dot
    assert _cut_between_clusters(whole, kept) and len(kept) >= min(len(whole), 40)
    assert _cut_between_clusters(THAI_LONG, report.parent.name)


@pytest.mark.parametrize("text", ["กองช่าง" * 40, "ที่ทำการ" * 40, "น้ำใจ" * 60, "café 👍🏽 " * 40])
def test_a_long_name_is_never_cut_inside_a_character(text):
    name = safe_name(text)
    assert len(name.encode()) <= NAME_BYTES - ADDED_ROOM and name
    assert text.startswith(name)
    rest = text[len(name):].lstrip(" ._")
    assert not rest or not unicodedata.category(rest[0]).startswith("M")  # no mark torn from its base
    assert regex.match(r"\X", text[len(name):]).group() not in ("\U0001F3FD",)  # the emoji keeps its skin tone


def test_a_document_at_the_name_limit_is_written_through_a_temporary_that_fits(tmp_path):
    target = tmp_path / ("ก" * 83 + ".docx")  # 254 bytes
    assert write_atomically(target, b"one") is True
    assert write_atomically(target, b"one") is False  # same bytes: nothing written, nothing counted
    assert target.read_bytes() == b"one" and [p.name for p in tmp_path.iterdir()] == [target.name]


def test_rejected_files_with_long_and_legacy_names_do_not_stop_the_run(tmp_path):
    """Names of every length, and ones written by an old Thai Windows
    program (TIS-620 bytes, not UTF-8): each rejected file gets its report
    and marked copy, a good sheet under a legacy name is taken in; no name
    stops the night."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE_SETUP, inbox / SAMPLE_SETUP.name)
    legacy = os.fsdecode("รายงานกองคลัง".encode("cp874") + b".xlsx")
    names = [stem + ".xlsx" for stem in NAMES.values()] + [legacy]
    an_hour_ago = time.time() - 3600
    for i, name in enumerate(names):
        book = monthly_sheet(inbox / f"{i}.xlsx", rows=[{**ROW, "สถานะ": f"เสร็จ {i}"}])
        os.utime(book, (an_hour_ago, an_hour_ago))
        book.rename(inbox / name)
    good = monthly_sheet(inbox / "good.xlsx", month="พฤศจิกายน 2565", rows=[ROW])
    good.rename(inbox / os.fsdecode("ส่งแล้ว พ.ย.".encode("cp874") + b".xlsx"))
    result = run_pipeline(tmp_path)
    shown = [stem + ".xlsx" for stem in NAMES.values()] + ["รายงานกองคลัง.xlsx"]
    assert sorted(result["rejected"]) == sorted(shown)
    assert sorted(result["accepted"]) == sorted([SAMPLE_SETUP.name, "ส่งแล้ว พ.ย..xlsx"])
    reports = sorted((tmp_path / "outbox").rglob("*.txt"))
    assert len(reports) == len(names) and all(marked_copy_path(r).exists() for r in reports)
    texts = "\n".join(r.read_text(encoding="utf-8") for r in reports)
    assert all(f"ไฟล์: {name}" in texts for name in shown)
    assert not any(inbox.iterdir()) and len(list((tmp_path / "data" / "quarantine").iterdir())) == len(names)
    assert all(_fits(p) for p in (tmp_path / "outbox").rglob("*"))


# --- copies in progress ------------------------------------------------------

SAMPLE_INBOX = REPO / "inbox"
FORMATS = {"xls": SAMPLE_INBOX / "รายงาน_กองการศึกษา_ต.ค.๖๕.xls",
           "xlsx": SAMPLE_INBOX / "รายงาน_กองคลัง_ต.ค.๖๕.xlsx",
           "ods": SAMPLE_INBOX / "รายงาน_งานตรวจสอบภายใน_ต.ค.๖๕.ods"}


@pytest.mark.parametrize("kind", FORMATS)
def test_a_copy_cut_anywhere_does_not_look_complete(tmp_path, kind):
    data = FORMATS[kind].read_bytes()
    partial = tmp_path / FORMATS[kind].name
    step = 512 if kind == "xls" else 997  # a compound file is copied in whole sectors, or so it seems
    judged = []
    for size in range(step, len(data), step):
        partial.write_bytes(data[:size])
        judged.append(looks_complete(partial))
    partial.write_bytes(data)
    assert not any(judged) and looks_complete(partial)


def test_copies_in_progress_are_left_for_the_next_run_in_every_format(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE_SETUP, inbox / SAMPLE_SETUP.name)
    for source in FORMATS.values():  # half copied, just now: at a multiple of 512 bytes for the .xls
        (inbox / source.name).write_bytes(source.read_bytes()[:len(source.read_bytes()) // 1024 * 512])
    result = run_pipeline(tmp_path)
    assert sorted(result["waiting"]) == sorted(s.name for s in FORMATS.values())
    assert result["rejected"] == [] and result["accepted"] == [SAMPLE_SETUP.name]
    for source in FORMATS.values():
        shutil.copy(source, inbox / source.name)  # the copies complete
    assert sorted(run_pipeline(tmp_path)["accepted"]) == sorted(s.name for s in FORMATS.values())


@pytest.mark.parametrize("kind", FORMATS)
def test_a_file_that_changes_between_read_and_archive_is_left_whole(tmp_path, monkeypatch, kind):
    """Read as a damaged half, then the copy completes before it is archived:
    nothing of the half is committed or reported, the whole is taken the
    next night."""
    from ita import ingest

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    source = FORMATS[kind]
    shutil.copy(SAMPLE_SETUP, inbox / SAMPLE_SETUP.name)
    arriving = inbox / source.name
    arriving.write_bytes(source.read_bytes()[:len(source.read_bytes()) // 1024 * 512])
    an_hour_ago = time.time() - 3600  # its copy tool kept the original's time: judged finished
    os.utime(arriving, (an_hour_ago, an_hour_ago))
    read = ingest.read_and_validate

    def read_then_copy_completes(files, isolated=True):
        outcomes = read(files, isolated)
        if any(f.path == arriving for f in files):
            shutil.copy(source, arriving)
        return outcomes

    monkeypatch.setattr(ingest, "read_and_validate", read_then_copy_completes)
    result = run_pipeline(tmp_path)
    assert result["waiting"] == [source.name] and result["rejected"] == []
    assert arriving.read_bytes() == source.read_bytes()
    with duckdb.connect(str(tmp_path / "data" / "ita.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from files where file_name = ?", [source.name]).fetchall() == [(0,)]
        assert con.execute("select count(*) from receipts where file_name = ?", [source.name]).fetchall() == [(0,)]
    assert not (tmp_path / "data" / "quarantine").exists() or not any((tmp_path / "data" / "quarantine").iterdir())
    assert not list((tmp_path / "outbox").rglob("*.txt"))
    monkeypatch.setattr(ingest, "read_and_validate", read)
    assert run_pipeline(tmp_path)["accepted"] == [source.name]


# --- same content, several names ----------------------------------------------

def test_a_rejected_file_lists_every_name_it_arrived_under(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "กองช่าง").mkdir(parents=True)
    shutil.copy(SAMPLE_SETUP, inbox / SAMPLE_SETUP.name)
    first = monthly_sheet(inbox / "รายงาน ต.ค. กองคลัง.xlsx", rows=[{**ROW, "สถานะ": "เสร็จ"}])
    shutil.copy(first, inbox / "สำเนาของ รายงาน ต.ค. กองคลัง.xlsx")
    shutil.copy(first, inbox / "กองช่าง" / "ส่งแทน_กองคลัง.xlsx")
    result = run_pipeline(tmp_path)
    assert len(result["rejected"]) == 1 and len(result["duplicates"]) == 2
    (report,) = (tmp_path / "outbox").rglob("*.txt")
    names = ["รายงาน ต.ค. กองคลัง.xlsx", "สำเนาของ รายงาน ต.ค. กองคลัง.xlsx", "ส่งแทน_กองคลัง.xlsx"]
    assert all(name in report.read_text(encoding="utf-8") for name in names)
    assert report.read_text(encoding="utf-8").index(names[0]) < report.read_text(encoding="utf-8").index("ส่งมาในชื่ออื่นด้วย")
    (kept,) = (tmp_path / "data" / "quarantine").iterdir()
    shutil.copy(kept, inbox / "ส่งอีกครั้ง.xlsx")  # dropped again another night, under a fourth name
    run_pipeline(tmp_path)
    (again,) = (tmp_path / "outbox").rglob("*.txt")  # the same report, not a second one
    assert again == report
    assert all(name in again.read_text(encoding="utf-8") for name in [*names, "ส่งอีกครั้ง.xlsx"])
