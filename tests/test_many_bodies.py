"""One installation serves many bodies: each body's year is its own set of
documents, and one body's bad setup does not stop the others."""

from __future__ import annotations

import shutil
from datetime import datetime

from click.testing import CliRunner

from conftest import run_pipeline
from ita.cli import main
from sample import fill
from workbooks import SAMPLE_SETUP, monthly_sheet

ROW = {"การดำเนินงานในเดือนนี้": "ประชุม", "ผลการดำเนินการ": "-รายงานผู้บริหาร", "สถานะ": "อยู่ระหว่างดำเนินการ",
       "ร้อยละความคืบหน้า": 10}
OTHER = "เทศบาลตำบลทดลอง"


def setup_for(body: str, target):
    shutil.copy(SAMPLE_SETUP, target)
    book = fill.open_book(target)
    fill.set_keys(book["หน่วยงาน"], {"ชื่อหน่วยงาน": body})
    fill.save(book, target, datetime(2023, 10, 2))
    return target


def test_two_bodies_and_a_broken_setup_in_one_inbox(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE_SETUP, inbox / "ตาอ็อง.xlsx")
    setup_for(OTHER, inbox / "ทดลอง.xlsx")
    broken = setup_for("เทศบาลตำบลเสีย", inbox / "เสีย.xlsx")
    book = fill.open_book(broken)
    fill.set_keys(book["หน่วยงาน"], {"ปีงบประมาณ": "ปีหน้า"})
    fill.save(book, broken, datetime(2023, 10, 2))
    monthly_sheet(inbox / "ตาอ็อง-คลัง.xlsx", rows=[ROW])
    monthly_sheet(inbox / "ทดลอง-คลัง.xlsx", setup=inbox / "ทดลอง.xlsx", rows=[ROW])

    result = run_pipeline(tmp_path)
    assert sorted(result["rejected"]) == ["เสีย.xlsx"]
    assert len(result["accepted"]) == 4
    for body in ("องค์การบริหารส่วนตำบลตาอ็อง", OTHER):
        folder = tmp_path / "outbox" / body / "2566"
        assert (folder / "บันทึกข้อความ_ITA_2566.docx").exists()
        assert (folder / "รายงานประจำเดือน" / "2565-10_ตุลาคม.docx").exists()

    shown = CliRunner().invoke(main, ["status", "--data", str(tmp_path / "data"), "--body", OTHER])
    assert shown.exit_code == 0 and OTHER in shown.output and "ตาอ็อง" not in shown.output
