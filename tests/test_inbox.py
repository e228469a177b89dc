"""The inbox as a shared folder really is: duplicates under other names, odd
names, subfolders, office lock files; outputs that must not turn text into
formulas."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
from openpyxl import load_workbook

from conftest import run_pipeline
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
        date(2023, 10, 5),
    )
    book = load_workbook(__import__("io").BytesIO(data))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value[:1] in "=+-@"]
    assert {c.value for c in risky} >= {hostile, "+cmd.xlsx", "@SUM(A1)", "-1+1"}
    assert all(c.data_type == "s" for c in risky)
