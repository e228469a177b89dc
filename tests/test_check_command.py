"""`ita check FILE…`: the night's checks, now, taking nothing in."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from checks_helpers import take_in
from ita.cli import main
from schemas import monthly as monthly_schema
from workbooks import SAMPLE_SETUP, monthly_sheet

GOOD = {"การดำเนินงานในเดือนนี้": "ประชุมชี้แจง", "ผลการดำเนินการ": "-รายงานผู้บริหาร", "สถานะ": "อยู่ระหว่างดำเนินการ",
        "ร้อยละความคืบหน้า": 10}


def state(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under the folders the night touches, by content and mtime."""
    return {
        str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for folder in ("inbox", "data", "outbox") if (root / folder).exists()
        for p in sorted((root / folder).rglob("*")) if p.is_file()
    }


def night_with_setup(root: Path) -> None:
    (root / "inbox").mkdir(parents=True)
    shutil.copy(SAMPLE_SETUP, root / "inbox")
    take_in(root)
    # A file waiting in the inbox for the next night must stay there untouched.
    monthly_sheet(root / "inbox" / "รอรอบหน้า.xlsx", rows=[GOOD])


def test_check_names_every_problem_writes_the_reports_and_changes_nothing(tmp_path):
    root = tmp_path / "site"
    night_with_setup(root)
    sent = tmp_path / "จากกองคลัง"
    sent.mkdir()
    bad = monthly_sheet(sent / "รายงาน ต.ค.xlsx", rows=[{**GOOD, "หลักฐาน": "ดูในแฟ้ม"}, {**GOOD, "ลำดับมาตรการ": 99}])
    good = monthly_sheet(sent / "รายงาน พ.ย.xlsx", month="พฤศจิกายน 2565", rows=[GOOD],
                         header={"วันที่รายงาน": "๕ ธันวาคม ๒๕๖๕"})
    before, sent_before = state(root), {p.name: p.read_bytes() for p in sent.iterdir()}
    out = tmp_path / "คำตอบ"
    result = CliRunner().invoke(main, ["check", str(bad), str(good), "--data", str(root / "data"), "-o", str(out)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert f"{bad}: จะถูกปฏิเสธ (ต้องแก้ 2 รายการ)" in lines
    assert ("  1. แผ่นงาน 'รายงานประจำเดือน' แถว 12 คอลัมน์ H (หลักฐาน): แต่ละบรรทัดต้องเป็นลิงก์ที่ขึ้นต้นด้วย "
            "http:// หรือ https:// — พบค่า 'ดูในแฟ้ม' — วิธีแก้: ลิงก์หลักฐาน บรรทัดละหนึ่งลิงก์ ขึ้นต้นด้วย http:// หรือ https://"
            ) in lines
    assert ("  2. แผ่นงาน 'รายงานประจำเดือน' แถว 13 คอลัมน์ A (ลำดับมาตรการ): ไม่มีมาตรการลำดับที่ 99 ในแผนของปีงบประมาณ 2566 "
            "— พบค่า '99' — วิธีแก้: ใช้ลำดับมาตรการตามแผ่นงานมาตรการของข้อมูลประจำปี (แบบฟอร์มจาก ita template มีให้แล้ว)"
            ) in lines
    assert f"{good}: ผ่านการตรวจ" in lines
    [report] = out.glob("รายงาน ต.ค__*.txt")
    text = report.read_text(encoding="utf-8")
    assert "รายการที่ต้องแก้ (2 รายการ):" in text and "ไฟล์: รายงาน ต.ค.xlsx" in text
    [marked] = out.glob("รายงาน ต.ค__*_ตรวจแล้ว.xlsx")
    sheet = load_workbook(marked)[monthly_schema.SHEET]
    assert sheet["H12"].comment is not None and sheet["A13"].comment is not None
    assert not list(out.glob("รายงาน พ.ย*"))
    assert state(root) == before
    assert {p.name: p.read_bytes() for p in sent.iterdir()} == sent_before


def test_check_exits_0_when_every_file_would_be_accepted(tmp_path):
    root = tmp_path / "site"
    night_with_setup(root)
    good = monthly_sheet(tmp_path / "รายงาน.xlsx", rows=[GOOD])
    before = state(root)
    result = CliRunner().invoke(main, ["check", str(good), "--data", str(root / "data")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"{good}: ผ่านการตรวจ"
    assert state(root) == before


def test_check_before_the_first_night_uses_the_setup_given_with_the_sheet(tmp_path):
    data = tmp_path / "data"
    sheet = monthly_sheet(tmp_path / "รายงาน.xlsx", rows=[{**GOOD, "ลำดับมาตรการ": 42}])
    result = CliRunner().invoke(main, ["check", str(SAMPLE_SETUP), str(sheet), "--data", str(data)])
    assert result.exit_code == 1, result.output
    assert f"{SAMPLE_SETUP}: ผ่านการตรวจ" in result.output.splitlines()
    assert "ไม่มีมาตรการลำดับที่ 42 ในแผนของปีงบประมาณ 2566" in result.output
    assert not data.exists()
