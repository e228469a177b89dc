"""A bad option or value is answered in one Thai line that names the option
and shows what is accepted: no traceback, no English framing, exit status 2,
and nothing started."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLE_INBOX
from ita.cli import main


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def assert_says(result, message: str) -> None:
    assert (result.exit_code, result.stderr, result.stdout) == (2, f"ผิดพลาด: {message}\n", "")


MEMO_DATE = ("อ่านวันที่ '{}' ไม่ได้ ใช้รูปแบบ ปี-เดือน-วัน เช่น 2023-10-05 หรือ 2566-10-05")


@pytest.mark.parametrize("value", ["2023-13-05", "5 ต.ค. 2566", "2566/10/05", "พรุ่งนี้", "2023-02-30"])
def test_bad_memo_date(tmp_path, value):
    result = invoke("run", "--memo-date", value, "--data", str(tmp_path / "data"))
    assert_says(result, "--memo-date (หรือ ITA_MEMO_DATE): " + MEMO_DATE.format(value))
    assert not (tmp_path / "data").exists()


def test_bad_memo_date_from_the_environment(tmp_path):
    result = invoke("run", "--data", str(tmp_path / "data"), env={"ITA_MEMO_DATE": "๕/๑๐/๒๕๖๖"})
    assert_says(result, "--memo-date (หรือ ITA_MEMO_DATE): " + MEMO_DATE.format("๕/๑๐/๒๕๖๖"))


@pytest.mark.parametrize("value", ["abc", "หกสิบ", "-5", "1e999", "nan", "60s"])
def test_settle_seconds_must_be_a_number(tmp_path, value):
    result = invoke("run", "--settle-seconds", value, "--data", str(tmp_path / "data"))
    assert_says(result, f"--settle-seconds (หรือ ITA_SETTLE_SECONDS): '{value}' ไม่ใช่จำนวนวินาที "
                        "ใช้ตัวเลข 0 ขึ้นไป เช่น 60 หรือ 0.5")


@pytest.mark.parametrize("value", ["0", "0.5", " 90 "])
def test_settle_seconds_accepts_numbers(value):
    from ita import settings

    assert settings.parse_seconds(value) == float(value)


@pytest.mark.parametrize("cron", ["ทุกคืน", "61 2 * * *", "0 2 * *", "H 2 * * *", "0 25 * * *"])
def test_serve_checks_the_cron_before_anything_starts(tmp_path, cron):
    result = invoke("serve", "--cron", cron, "--data", str(tmp_path / "data"))
    assert_says(result, f"--cron: อ่านตารางเวลา '{cron}' ไม่ได้ ใช้รูปแบบ cron 5 ช่อง "
                        "(นาที ชั่วโมง วัน เดือน วันในสัปดาห์) เช่น \"0 2 * * *\" = ทุกคืนเวลา 02:00")
    assert not (tmp_path / "data").exists()  # no Prefect home, no server


def test_serve_checks_the_timezone(tmp_path):
    result = invoke("serve", "--timezone", "Bangkok", "--data", str(tmp_path / "data"))
    assert_says(result, "--timezone: ไม่รู้จักเขตเวลา 'Bangkok' ใช้ชื่อเขตเวลาแบบ IANA เช่น Asia/Bangkok")


def test_an_outbox_that_cannot_be_written(tmp_path):
    blocker = tmp_path / "ส่งออก.txt"
    blocker.write_text("a file where the outbox's parent should be")
    outbox = blocker / "ita-outbox"
    result = invoke("run", "--outbox", str(outbox), "--data", str(tmp_path / "data"))
    # Before Prefect starts: the run could not be done, exit 1 (not a usage error).
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("การทำงานรอบนี้ไม่สำเร็จ:\n"
                             f"  - เขียนโฟลเดอร์ผลลัพธ์ (outbox) {outbox} ไม่ได้ (มีไฟล์ธรรมดาอยู่ในเส้นทางนี้ ไม่ใช่โฟลเดอร์)\n")
    assert blocker.read_text() == "a file where the outbox's parent should be"


@pytest.mark.parametrize("monthly, division, month", [
    ("รายงาน_กองการศึกษา_ก.พ.๖๖.xlsx", "กองการศึกษา", "กุมภาพันธ์ ๒๕๖๖"),
    ("รายงาน_กองการศึกษา_ธ.ค.๖๕.xlsx", "กองการศึกษา", "ธันวาคม ๒๕๖๕"),
])
def test_template_monthly_given_a_monthly_sheet_as_setup_says_what_it_found(tmp_path, monthly, division, month):
    output = tmp_path / "แบบรายงาน.xlsx"
    result = invoke("template", "monthly", "--division", division, "--month", "ต.ค. 65",
                    "--setup", str(SAMPLE_INBOX / monthly), "-o", str(output))
    assert_says(result, f"--setup: ไฟล์ {monthly} เป็นรายงานประจำเดือน ของ{division} เดือน {month} "
                        "ไม่ใช่ข้อมูลประจำปี ใช้ไฟล์ข้อมูลประจำปีที่มีแผ่นงาน 'หน่วยงาน' และ 'มาตรการ' "
                        "เช่น ข้อมูลประจำปี 2566.xlsx (แบบฟอร์มเปล่า: ita template setup)")
    assert not output.exists()


@pytest.mark.parametrize("command", [["status"], ["template", "setup", "-o", "x.xlsx"]])
@pytest.mark.parametrize("year", ["abc", "๒๕๖๗x", "67.5"])
def test_a_year_that_is_not_a_year(tmp_path, command, year):
    result = invoke(*command, "--year", year, "--data", str(tmp_path)) if command == ["status"] else \
        invoke(*command, "--year", year)
    assert_says(result, f"--year: '{year}' ไม่ใช่ปี ใช้ปี พ.ศ. หรือ ค.ศ. เช่น 2567 หรือ 2024")


def test_bad_month_for_a_monthly_template(tmp_path):
    result = invoke("template", "monthly", "--division", "กองคลัง", "--month", "เดือนสิบสาม",
                    "--setup", str(SAMPLE_INBOX / "ข้อมูลประจำปี 2566.xlsx"), "-o", str(tmp_path / "x.xlsx"))
    assert_says(result, "--month: อ่านเดือน 'เดือนสิบสาม' ไม่ได้ ใช้รูปแบบเช่น 'ตุลาคม 2565', 'ต.ค. 65' หรือ 2022-10")


@pytest.mark.parametrize("args, message", [
    (["run", "--pfd"], "ไม่มีตัวเลือก --pfd (หมายถึง --pdf หรือไม่) ดูตัวเลือกทั้งหมดด้วย ita run --help"),
    (["status", "--yaer", "2566"], "ไม่มีตัวเลือก --yaer (หมายถึง --year หรือไม่) ดูตัวเลือกทั้งหมดด้วย ita status --help"),
    (["template", "monthly", "--month", "ต.ค. 65"], "ต้องระบุ --division ดูตัวเลือกทั้งหมดด้วย ita template monthly --help"),
])
def test_click_usage_errors_are_said_in_thai(args, message):
    assert_says(invoke(*args), message)


def test_a_run_with_good_values_is_not_refused(tmp_path):
    from ita import settings

    config = settings.resolve(memo_date="2566-10-05", settle_seconds="0", outbox=str(tmp_path / "o"))
    assert (config.memo_date.isoformat(), config.settle_seconds, config.outbox) == ("2023-10-05", 0.0, Path(tmp_path / "o"))
