"""A formula cell is read by its stored value; one without a stored value
(as openpyxl and some scripts write them) is a problem named at its cell."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from checks_helpers import problems_of, query, take_in
from sample import fill
from schemas import monthly as monthly_schema
from workbooks import SAMPLE_SETUP, monthly_sheet

ROW = {"การดำเนินงานในเดือนนี้": "ประชุมชี้แจง", "ผลการดำเนินการ": "-รายงานผู้บริหาร"}
HINT = "เปิดไฟล์ใน Excel หรือ LibreOffice แล้วกดบันทึก (โปรแกรมจะคำนวณสูตรและเก็บค่าไว้ในไฟล์) แล้วส่งไฟล์อีกครั้ง"
MESSAGE = "เซลล์นี้เป็นสูตรที่ไม่มีค่าที่คำนวณไว้ในไฟล์ ระบบจึงอ่านค่าของเซลล์นี้ไม่ได้"

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                                reason="LibreOffice Calc is needed to store values (.ci/run installs it; in CI this runs)")


def formula_sheet(inbox: Path) -> Path:
    """A monthly sheet whose status and progress are formulas, saved by
    openpyxl (which stores no computed value)."""
    path = monthly_sheet(inbox / "รายงาน สูตร.xlsx", rows=[ROW])
    book = fill.open_book(path)
    sheet = book[monthly_schema.SHEET]
    header = fill.header_row(sheet, "ลำดับมาตรการ")
    columns = fill.header_columns(sheet, header)
    sheet.cell(header + 1, columns["สถานะ"]).value = '=IF(1=1,"ดำเนินการแล้ว","")'
    sheet.cell(header + 1, columns["ร้อยละความคืบหน้า"]).value = "=50+10"
    fill.save(book, path, datetime(2022, 11, 5, 9, 0))
    return path


def libreoffice_copy(path: Path, suffix: str, filter_name: str, profile: Path) -> Path:
    out = path.parent / "converted"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                    f"{suffix}:{filter_name}", "--outdir", str(out), str(path)], check=True, capture_output=True,
                   timeout=300)
    converted = out / f"{path.stem}.{suffix}"
    target = path.with_name(f"{path.stem} ({suffix}).{suffix}")
    converted.rename(target)
    out.rmdir()
    return target


def without_stored_values(ods: Path) -> Path:
    """The ODS as a script writes it: formulas, no computed values."""
    target = ods.with_name("รายงาน สูตร สคริปต์.ods")
    with zipfile.ZipFile(ods) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "content.xml":
                text = data.decode("utf-8")
                text = re.sub(r'(<table:table-cell\b[^>]*?table:formula="[^"]*")[^>]*>(.*?)</table:table-cell>',
                              r"\1/>", text)
                data = text.encode("utf-8")
            copy.writestr(item, data)
    return target


def test_openpyxl_formulas_without_values_are_named_at_their_cells(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE_SETUP, inbox)
    formula_sheet(inbox)
    assert take_in(tmp_path).rejected == ["รายงาน สูตร.xlsx"]
    found = [(p["row"], p["col"], p["label"], p["value"], p["message"], p["hint"])
             for p in problems_of(tmp_path, "รายงาน สูตร.xlsx")]
    assert found == [
        (12, 6, "สถานะ", '=IF(1=1,"ดำเนินการแล้ว","")', MESSAGE, HINT),
        (12, 7, "ร้อยละความคืบหน้า", "=50+10", MESSAGE, HINT),
    ]


def test_formulas_saved_by_libreoffice_are_read_by_their_values(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    source = formula_sheet(work)
    copies = [libreoffice_copy(source, "xlsx", "Calc MS Excel 2007 XML", tmp_path / "profile"),
              libreoffice_copy(source, "ods", "calc8", tmp_path / "profile")]
    script_ods = without_stored_values(copies[1])
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE_SETUP, inbox)
    for path in [*copies, script_ods]:
        shutil.move(path, inbox / path.name)
    summary = take_in(tmp_path)
    assert sorted(summary.accepted) == sorted([SAMPLE_SETUP.name, "รายงาน สูตร (xlsx).xlsx", "รายงาน สูตร (ods).ods"])
    assert summary.rejected == ["รายงาน สูตร สคริปต์.ods"]
    rows = query(tmp_path, "select f.file_name, r.status, r.progress from submission_rows r join files f using (sha256) "
                           "where r.row = 12 order by f.file_name")
    assert [(r["status"], r["progress"]) for r in rows] == [("ดำเนินการแล้ว", 60.0)] * 2
    found = [(p["row"], p["col"], p["value"]) for p in problems_of(tmp_path, "รายงาน สูตร สคริปต์.ods")]
    assert found == [(12, 6, '=IF(1=1;"ดำเนินการแล้ว";"")'), (12, 7, "=50+10")]


def test_formulas_without_values_in_a_header_and_in_the_ita_scores(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    book = fill.open_book(SAMPLE_SETUP)
    book["ผลITA"]["G2"] = "=AVERAGE(G4:G13)"
    fill.save(book, inbox / "ข้อมูลประจำปี สูตร.xlsx", datetime(2022, 9, 1))
    assert take_in(tmp_path).rejected == ["ข้อมูลประจำปี สูตร.xlsx"]
    assert [(p["sheet"], p["row"], p["col"], p["label"], p["value"], p["message"])
            for p in problems_of(tmp_path, "ข้อมูลประจำปี สูตร.xlsx") if p["severity"] == "error"] == [
        ("ผลITA", 2, 7, "ปี 2566", "=AVERAGE(G4:G13)", MESSAGE)]

    shutil.copy(SAMPLE_SETUP, inbox)
    path = monthly_sheet(inbox / "รายงาน วันที่สูตร.xlsx", rows=[{**ROW, "สถานะ": "ดำเนินการแล้ว"}])
    book = fill.open_book(path)
    book[monthly_schema.SHEET]["B9"] = "=TODAY()"
    fill.save(book, path, datetime(2022, 11, 5, 9, 0))
    take_in(tmp_path)
    assert [(p["row"], p["col"], p["label"], p["value"]) for p in problems_of(tmp_path, "รายงาน วันที่สูตร.xlsx")] == [
        (9, 2, "วันที่รายงาน", "=TODAY()")]
