"""Bad input gets a clear answer in Thai naming the file, sheet, row and
column; the rest of the run goes on."""

from __future__ import annotations

import os
import shutil
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from conftest import run_pipeline
from sample import fill
from schemas import monthly as monthly_schema
from workbooks import SAMPLE_SETUP, monthly_sheet

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
GOOD_ROW = {"การดำเนินงานในเดือนนี้": "ประชุมชี้แจง", "ผลการดำเนินการ": "-รายงานผู้บริหาร", "สถานะ": "อยู่ระหว่างดำเนินการ",
            "ร้อยละความคืบหน้า": 10}


def problems_of(root: Path, name: str) -> list[dict]:
    with duckdb.connect(str(root / "data" / "ita.duckdb"), read_only=True) as con:
        cursor = con.execute(
            "select p.severity, p.sheet, p.row, p.col, p.label, p.value, p.message, f.outcome "
            "from problems p join files f using (sha256) where f.file_name = ? order by p.seq", [name])
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, r)) for r in cursor.fetchall()]


def outcome_of(root: Path, name: str) -> str:
    with duckdb.connect(str(root / "data" / "ita.duckdb"), read_only=True) as con:
        return con.execute("select outcome from files where file_name = ?", [name]).fetchall()[0][0]


def inbox_with(root: Path, make) -> Path:
    inbox = root / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE_SETUP, inbox / SAMPLE_SETUP.name)
    return make(inbox)


def _delete_status_header(path: Path) -> None:
    book = fill.open_book(path)
    sheet = book[monthly_schema.SHEET]
    row = fill.header_row(sheet, "ลำดับมาตรการ")
    sheet.cell(row, fill.header_columns(sheet, row)["สถานะ"]).value = None
    fill.save(book, path, datetime(2022, 11, 5))


CASES = {
    "progress over 100": (
        dict(rows=[{**GOOD_ROW, "ร้อยละความคืบหน้า": 120}]),
        dict(row=12, col=7, label="ร้อยละความคืบหน้า", value="120", message="ต้องเป็นตัวเลข 0 ถึง 100"),
    ),
    "status not in the list": (
        dict(rows=[{**GOOD_ROW, "สถานะ": "เสร็จ"}]),
        dict(row=12, col=6, label="สถานะ", value="เสร็จ"),
    ),
    "measure not in the plan": (
        dict(rows=[{**GOOD_ROW, "ลำดับมาตรการ": 99}]),
        dict(row=12, col=1, label="ลำดับมาตรการ", value="99", message="ไม่มีมาตรการลำดับที่ 99 ในแผนของปีงบประมาณ 2566"),
    ),
    "measure number not a number": (
        dict(rows=[{**GOOD_ROW, "ลำดับมาตรการ": "หนึ่ง"}]),
        dict(row=12, col=1, label="ลำดับมาตรการ", value="หนึ่ง"),
    ),
    "division not of this year": (
        dict(header={"ส่วนราชการ": "กองเกษตร"}, rows=[GOOD_ROW]),
        dict(row=5, col=2, label="ส่วนราชการ", value="กองเกษตร"),
    ),
    "month unreadable": (
        dict(header={"ประจำเดือน": "เดือนหน้า"}, rows=[GOOD_ROW]),
        dict(row=6, col=2, label="ประจำเดือน", value="เดือนหน้า"),
    ),
    "report date unreadable": (
        dict(header={"วันที่รายงาน": "พรุ่งนี้"}, rows=[GOOD_ROW]),
        dict(row=9, col=2, label="วันที่รายงาน", value="พรุ่งนี้"),
    ),
    "reporter missing": (
        dict(header={"ผู้รายงาน": None}, rows=[GOOD_ROW]),
        dict(row=7, col=2, label="ผู้รายงาน", message="ต้องกรอกข้อมูลช่องนี้"),
    ),
    "evidence not a link": (
        dict(rows=[{**GOOD_ROW, "หลักฐาน": "https://www.taong.go.th/a\nดูในแฟ้ม"}]),
        dict(row=12, col=8, label="หลักฐาน"),
    ),
    "body without a setup": (
        dict(header={"หน่วยงาน": "เทศบาลตำบลอื่น"}, rows=[GOOD_ROW]),
        dict(row=4, col=2, label="หน่วยงาน", value="เทศบาลตำบลอื่น"),
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_mistake_rejects_the_sheet_naming_the_cell(tmp_path, case):
    kwargs, expected = CASES[case]
    inbox_with(tmp_path, lambda inbox: monthly_sheet(inbox / "รายงาน.xlsx", **kwargs))
    result = run_pipeline(tmp_path)
    assert result["rejected"] == ["รายงาน.xlsx"]
    assert SAMPLE_SETUP.name in result["accepted"]
    errors = [p for p in problems_of(tmp_path, "รายงาน.xlsx") if p["severity"] == "error"]
    assert len(errors) == 1
    for key, value in expected.items():
        if key == "message":
            assert value in errors[0]["message"]
        else:
            assert errors[0][key] == value, key
    assert errors[0]["sheet"] == monthly_schema.SHEET
    report = next((tmp_path / "outbox").rglob("รายงาน__*.txt")).read_text(encoding="utf-8")
    assert "รายงาน.xlsx" in report and f"แถว {expected['row']}" in report
    # A copy of the clerk's own workbook carries the mark on the bad cell.
    marked = next((tmp_path / "outbox").rglob("รายงาน__*_ตรวจแล้ว.xlsx"))
    sheet = load_workbook(marked)[monthly_schema.SHEET]
    cell = sheet.cell(expected["row"], expected["col"])
    assert cell.comment is not None and cell.fill.fgColor.rgb.endswith("FF9C9C")
    # The rejected original is kept, unchanged, in the quarantine.
    assert len(list((tmp_path / "data" / "quarantine").iterdir())) == 1


def test_a_missing_column_is_named(tmp_path):
    inbox_with(tmp_path, lambda inbox: _delete_status_header(monthly_sheet(inbox / "m.xlsx", rows=[GOOD_ROW])))
    run_pipeline(tmp_path)
    (error,) = [p for p in problems_of(tmp_path, "m.xlsx") if p["severity"] == "error"]
    assert error["message"] == "ไม่พบคอลัมน์ 'สถานะ' ในแถวหัวตาราง" and error["row"] == 11


def test_a_measure_of_another_division_is_a_warning_only(tmp_path):
    inbox_with(tmp_path, lambda inbox: monthly_sheet(inbox / "m.xlsx", rows=[{**GOOD_ROW, "ลำดับมาตรการ": 4}]))
    result = run_pipeline(tmp_path)
    assert "m.xlsx" in result["accepted"]
    (warning,) = problems_of(tmp_path, "m.xlsx")
    assert warning["severity"] == "warning" and "ไม่ได้เป็นผู้รับผิดชอบมาตรการลำดับที่ 4" in warning["message"]


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("ว่าง.xlsx", b"", "ไฟล์ว่างเปล่า"),
        ("บันทึก.xlsx", "สวัสดีครับ ไม่ใช่ไฟล์ Excel".encode(), "ไม่ใช่ไฟล์ Excel"),
        ("ครึ่งไฟล์.xlsx", SAMPLE_SETUP.read_bytes()[:5000], "ไฟล์เสียหาย"),
        ("รหัส.xlsx", (CORPUS / "wild" / "python-calamine__password.xlsx").read_bytes(), "ไฟล์มีรหัสผ่าน"),
        ("รหัส.xls", (CORPUS / "wild" / "phpspreadsheet__pwtest.xls").read_bytes(), "ไฟล์มีรหัสผ่าน"),
        ("งบจังหวัด.xlsx", (CORPUS / "thai" / "govbudget-th__provbudget2559-converted.xlsx").read_bytes(), "ไม่ใช่แบบฟอร์มของระบบ"),
    ],
)
def test_files_that_are_not_our_workbooks_are_rejected_with_the_reason(tmp_path, name, content, reason):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / name).write_bytes(content)
    an_hour_ago = time.time() - 3600  # long finished copying: broken, not in progress
    os.utime(inbox / name, (an_hour_ago, an_hour_ago))
    result = run_pipeline(tmp_path)
    assert result["rejected"] == [name]
    (error,) = problems_of(tmp_path, name)
    assert reason in error["message"]
    assert (tmp_path / "outbox" / "ไม่ทราบหน่วยงาน" / "ไฟล์ที่ถูกปฏิเสธ").is_dir()


def test_a_corrected_sheet_clears_the_rejection(tmp_path):
    inbox_with(tmp_path, lambda inbox: monthly_sheet(inbox / "m.xlsx", rows=[{**GOOD_ROW, "สถานะ": "เสร็จ"}]))
    run_pipeline(tmp_path)
    monthly_sheet(tmp_path / "inbox" / "m แก้ไข.xlsx", rows=[GOOD_ROW])
    result = run_pipeline(tmp_path)
    assert result["accepted"] == ["m แก้ไข.xlsx"]
    with duckdb.connect(str(tmp_path / "data" / "ita.duckdb"), read_only=True) as con:
        status = con.execute("select status from submission_status where division = 'กองคลัง' and month = '2022-10-01'").fetchall()
    assert status == [("received",)]


def test_later_report_date_supersedes_and_a_tie_goes_to_the_later_save(tmp_path):
    def make(inbox: Path) -> None:
        monthly_sheet(inbox / "a.xlsx", header={"วันที่รายงาน": "5 พ.ย. 65"},
                      rows=[{**GOOD_ROW, "ผลการดำเนินการ": "-ฉบับแรก"}], saved_at=datetime(2022, 11, 9))
        monthly_sheet(inbox / "b.xlsx", header={"วันที่รายงาน": "6 พ.ย. 65"},
                      rows=[{**GOOD_ROW, "ผลการดำเนินการ": "-ฉบับที่สอง"}], saved_at=datetime(2022, 11, 6))
        monthly_sheet(inbox / "c.xlsx", header={"วันที่รายงาน": "6 พ.ย. 65"},
                      rows=[{**GOOD_ROW, "ผลการดำเนินการ": "-ฉบับที่สาม"}], saved_at=datetime(2022, 11, 7))

    inbox_with(tmp_path, make)
    run_pipeline(tmp_path)
    with duckdb.connect(str(tmp_path / "data" / "ita.duckdb"), read_only=True) as con:
        latest = con.execute("select r.result from latest_submissions s join submission_rows r using (sha256) "
                             "where r.measure_no = 1").fetchall()
        statuses = dict(con.execute("select file_name, status from file_status where kind = 'monthly'").fetchall())
    assert latest == [("-ฉบับที่สาม",)]
    assert statuses == {"a.xlsx": "superseded", "b.xlsx": "superseded", "c.xlsx": "received"}


def test_a_copy_still_in_progress_is_left_for_the_next_run(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    partial = inbox / "กำลังคัดลอก.xlsx"
    partial.write_bytes(SAMPLE_SETUP.read_bytes()[:5000])
    result = run_pipeline(tmp_path)
    assert result["waiting"] == ["กำลังคัดลอก.xlsx"] and result["rejected"] == []
    assert partial.read_bytes() == SAMPLE_SETUP.read_bytes()[:5000]
    partial.write_bytes(SAMPLE_SETUP.read_bytes())  # the copy completes
    assert run_pipeline(tmp_path)["accepted"] == ["กำลังคัดลอก.xlsx"]


def test_a_zip_bomb_is_refused_before_it_is_parsed(tmp_path):
    import zipfile

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bomb = inbox / "รายงาน.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"<c><v>0</v></c>" * 65536
            for _ in range(300 * 1024 * 1024 // len(chunk)):  # 300 MB of XML, ~1 MB on disk
                sheet.write(chunk)
    os.utime(bomb, (time.time() - 3600, time.time() - 3600))
    result = run_pipeline(tmp_path)
    assert result["rejected"] == ["รายงาน.xlsx"]
    (error,) = problems_of(tmp_path, "รายงาน.xlsx")
    assert "ใหญ่เกินกำหนด" in error["message"]


def test_an_entered_level_that_disagrees_with_the_bands_is_flagged(tmp_path):
    def make(inbox: Path) -> None:
        book = fill.open_book(inbox / SAMPLE_SETUP.name)
        sheet = book["ผลITA"]
        row = fill.key_rows(sheet)["ระดับ"]
        sheet.cell(row, fill.header_columns(sheet, 1)["ปี2566"]).value = "ผ่านดีเยี่ยม"
        fill.save(book, inbox / SAMPLE_SETUP.name, datetime(2023, 10, 2))

    inbox_with(tmp_path, make)
    result = run_pipeline(tmp_path)
    assert SAMPLE_SETUP.name in result["accepted"]
    (warning,) = [p for p in problems_of(tmp_path, SAMPLE_SETUP.name) if p["severity"] == "warning"]
    assert "ระดับควรเป็น 'ผ่านดี'" in warning["message"] and warning["value"] == "ผ่านดีเยี่ยม"
    assert warning["sheet"] == "ผลITA" and warning["col"] == 7
