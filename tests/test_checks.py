"""The night's checks: every problem of a file in one report, a month that
does not fit the body's setups blamed on the right cell and filed where the
office clerk looks, setups superseded by the later save, years without bands."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from checks_helpers import config_of, problems_of, query, take_in
from ita import thai
from ita.paths import rejection_report_path
from sample import fill
from workbooks import SAMPLE_SETUP, monthly_sheet

BODY = "องค์การบริหารส่วนตำบลตาอ็อง"
GOOD = {"การดำเนินงานในเดือนนี้": "ประชุมชี้แจง", "ผลการดำเนินการ": "-รายงานผู้บริหาร", "สถานะ": "อยู่ระหว่างดำเนินการ",
        "ร้อยละความคืบหน้า": 10}
LINK_MESSAGE = "แต่ละบรรทัดต้องเป็นลิงก์ที่ขึ้นต้นด้วย http:// หรือ https://"


def with_setup(root: Path) -> Path:
    inbox = root / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE_SETUP, inbox / SAMPLE_SETUP.name)
    return inbox


def errors(root: Path, name: str) -> list[tuple]:
    return [(p["row"], p["col"], p["message"]) for p in problems_of(root, name) if p["severity"] == "error"]


# ------------------------------------------------------- all problems at once

ONE_PASS = {
    "bad link and unknown measure": (
        dict(rows=[{**GOOD, "หลักฐาน": "ดูในแฟ้มงานพัสดุ"}, {**GOOD, "ลำดับมาตรการ": 99}]),
        [(12, 8, LINK_MESSAGE), (13, 1, "ไม่มีมาตรการลำดับที่ 99 ในแผนของปีงบประมาณ 2566")],
    ),
    "progress over 100, a repeated measure and an unreadable number": (
        dict(rows=[{**GOOD, "ร้อยละความคืบหน้า": "๑๒๐"}, {**GOOD, "ลำดับมาตรการ": 1}, {**GOOD, "ลำดับมาตรการ": "สาม"},
                   {**GOOD, "ลำดับมาตรการ": 98}]),
        [(12, 7, "ต้องเป็นตัวเลข 0 ถึง 100"), (14, 1, "ต้องเป็นเลขลำดับมาตรการ (จำนวนเต็ม) ตามแผน"),
         (13, 1, "มาตรการลำดับที่ 1 ซ้ำกับแถวก่อนหน้า"), (15, 1, "ไม่มีมาตรการลำดับที่ 98 ในแผนของปีงบประมาณ 2566")],
    ),
    "unreadable month and unknown measure (checked against the body's one setup year)": (
        dict(header={"ประจำเดือน": "เดือนสิบ"}, rows=[{**GOOD, "ลำดับมาตรการ": 77}]),
        [(6, 2, "ต้องเป็นชื่อเดือนภาษาไทยและปี พ.ศ. เช่น ตุลาคม ๒๕๖๕ หรือ ต.ค. 65"),
         (12, 1, "ไม่มีมาตรการลำดับที่ 77 ในแผนของปีงบประมาณ 2566")],
    ),
    "missing reporter and a division not of the year": (
        dict(header={"ผู้รายงาน": None, "ส่วนราชการ": "กองเกษตร"}, rows=[GOOD]),
        [(7, 2, "ต้องกรอกข้อมูลช่องนี้"), (5, 2, "ส่วนราชการนี้ไม่อยู่ในรายชื่อส่วนราชการของข้อมูลประจำปี")],
    ),
}


@pytest.mark.parametrize("case", ONE_PASS, ids=list(ONE_PASS))
def test_one_rejection_lists_every_problem(tmp_path, case):
    kwargs, expected = ONE_PASS[case]
    monthly_sheet(with_setup(tmp_path) / "รายงาน กองคลัง ต.ค.xlsx", **kwargs)
    summary = take_in(tmp_path)
    assert summary.rejected == ["รายงาน กองคลัง ต.ค.xlsx"]
    assert sorted(errors(tmp_path, "รายงาน กองคลัง ต.ค.xlsx")) == sorted(expected)


def test_a_rejected_setup_gets_its_cross_checks_too(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    book = fill.open_book(SAMPLE_SETUP)
    book["ส่วนราชการ"]["A3"] = "สำนักปลัด"  # a repeated division
    book["มาตรการ"]["B2"] = "ITA"  # a group that does not exist
    fill.save(book, inbox / "ข้อมูลประจำปี.xlsx", datetime(2022, 9, 1))
    assert take_in(tmp_path).rejected == ["ข้อมูลประจำปี.xlsx"]
    assert sorted(errors(tmp_path, "ข้อมูลประจำปี.xlsx")) == [(2, 2, "ต้องเป็น IIT/EIT หรือ OIT"), (3, 1, "ชื่อส่วนราชการซ้ำ")]


# --------------------------------------------- months outside the setup years

def test_a_month_of_a_year_without_a_setup_is_blamed_on_the_month_and_filed_with_the_body(tmp_path):
    monthly_sheet(with_setup(tmp_path) / "รายงาน.xlsx", month="ตุลาคม 2565",
                  header={"ประจำเดือน": "ตุลาคม 2566"}, rows=[GOOD])
    assert take_in(tmp_path).rejected == ["รายงาน.xlsx"]
    [problem] = [p for p in problems_of(tmp_path, "รายงาน.xlsx") if p["severity"] == "error"]
    assert (problem["row"], problem["col"], problem["label"], problem["value"]) == (6, 2, "ประจำเดือน", "ตุลาคม 2566")
    assert problem["message"] == (f"เดือนที่รายงานอยู่ในปีงบประมาณ 2567 ซึ่งยังไม่มีข้อมูลประจำปีของ '{BODY}' "
                                  "(มีข้อมูลประจำปีของปีงบประมาณ 2566)")
    [row] = query(tmp_path, "select * from files where file_name = 'รายงาน.xlsx'")
    assert (row["body"], row["fiscal_year"], row["division"]) == (BODY, 2566, "กองคลัง")
    outbox = config_of(tmp_path).outbox
    assert rejection_report_path(config_of(tmp_path), row).parent == outbox / BODY / "2566" / "ไฟล์ที่ถูกปฏิเสธ" / "กองคลัง"
    # The office clerk's status workbook of 2566 lists it.
    listed = query(tmp_path, "select file_name, status from file_status where body_key = ? and fiscal_year = 2566",
                   row["body_key"])
    assert {"file_name": "รายงาน.xlsx", "status": "rejected"} in listed


@pytest.mark.parametrize("month, report_date, message", [
    ("ธันวาคม 2565", "๑ ธันวาคม ๒๕๖๕",
     "เดือนที่รายงาน (ธันวาคม ๒๕๖๕) ยังมาไม่ถึง (วันที่ประมวลผล ๑๐ พฤศจิกายน ๒๕๖๕)"),
    ("ตุลาคม 2565", "๕ พฤศจิกายน ๒๕๖๖",
     "วันที่รายงาน (๕ พฤศจิกายน ๒๕๖๖) ห่างจากเดือนที่รายงาน (ตุลาคม ๒๕๖๕) มากผิดปกติ"),
    ("พฤศจิกายน 2565", "30/10/2565",
     "วันที่รายงาน (๓๐ ตุลาคม ๒๕๖๕) ห่างจากเดือนที่รายงาน (พฤศจิกายน ๒๕๖๕) มากผิดปกติ"),
])
def test_a_month_that_looks_mistyped_is_a_warning(tmp_path, month, report_date, message):
    monthly_sheet(with_setup(tmp_path) / "รายงาน.xlsx", month=month, header={"วันที่รายงาน": report_date}, rows=[GOOD])
    summary = take_in(tmp_path, now=datetime(2022, 11, 10, 2, 0))
    assert "รายงาน.xlsx" in summary.accepted
    warnings = [(p["row"], p["col"], p["message"]) for p in problems_of(tmp_path, "รายงาน.xlsx")]
    assert warnings == [(6, 2, message)]


# --------------------------------------------------------- superseded setups

def _setup_copy(path: Path, doc_no: str, saved_at: datetime) -> Path:
    book = fill.open_book(SAMPLE_SETUP)
    fill.set_keys(book["หน่วยงาน"], {"ที่": doc_no})
    fill.save(book, path, saved_at)
    return path


@pytest.mark.parametrize("corrected_name", ["ข้อมูลประจำปี 2566 (ฉบับแก้ไข).xlsx", "ข้อมูลประจำปี 2566_แก้ไข.xlsx",
                                            "0 ข้อมูลประจำปี แก้.xlsx"])
def test_the_setup_saved_later_counts_whatever_its_name(tmp_path, corrected_name):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _setup_copy(inbox / "ข้อมูลประจำปี 2566.xlsx", "สร ๗๒๙๐๑/เดิม", datetime(2022, 9, 1, 9, 0))
    _setup_copy(inbox / corrected_name, "สร ๗๒๙๐๑/แก้ไข", datetime(2022, 9, 2, 9, 0))
    summary = take_in(tmp_path)
    assert sorted(summary.accepted) == sorted(["ข้อมูลประจำปี 2566.xlsx", corrected_name])
    assert summary.superseded == ["ข้อมูลประจำปี 2566.xlsx"]
    assert [r["doc_no"] for r in query(tmp_path, "select doc_no from latest_setups")] == ["สร ๗๒๙๐๑/แก้ไข"]
    status = {r["file_name"]: r["status"] for r in query(tmp_path, "select file_name, status from file_status")}
    assert status == {"ข้อมูลประจำปี 2566.xlsx": "superseded", corrected_name: "received"}


def test_a_batch_reads_its_bodies_setups_at_once_and_finds_what_asking_for_each_finds(tmp_path):
    """A load reads the stored setups of every body in its batch in one
    query (ingest._Setups.read_ahead_bodies); what it then answers, year by
    year, is what asking the store for each body and year answers."""
    from ita import ingest
    from ita.store import Store

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE_SETUP, inbox / "ตาอ็อง 2566.xlsx")
    book = fill.open_book(SAMPLE_SETUP)
    fill.set_keys(book["หน่วยงาน"], {"ปีงบประมาณ": "2567"})
    fill.save(book, inbox / "ตาอ็อง 2567.xlsx", datetime(2023, 9, 1, 9, 0))
    book = fill.open_book(SAMPLE_SETUP)
    fill.set_keys(book["หน่วยงาน"], {"ชื่อหน่วยงาน": "เทศบาลตำบลทดลอง"})
    fill.save(book, inbox / "ทดลอง 2566.xlsx", datetime(2022, 9, 1, 9, 0))
    assert len(take_in(tmp_path).accepted) == 3
    bodies = ["องค์การบริหารส่วนตำบลตาอ็อง", "เทศบาลตำบลทดลอง", "เทศบาลตำบลที่ยังไม่ส่ง"]
    keys = [thai.label_key(body) for body in bodies]
    with Store(config_of(tmp_path).database) as store:
        asked_for_each = ingest._Setups(store)
        read_ahead = ingest._Setups(store)
        read_ahead.read_ahead_bodies(set(keys))
        questions: list[str] = []
        query = store.query
        store.query = lambda name, **params: questions.append(name) or query(name, **params)
        for key in keys:
            assert read_ahead.years_of(key) == asked_for_each.years_of(key)
            for year in (2565, 2566, 2567):
                assert read_ahead.get(key, year) == asked_for_each.get(key, year)
                assert read_ahead.rank.get((key, year)) == asked_for_each.rank.get((key, year))
        assert asked_for_each.years_of(keys[0]) == [2566, 2567] and asked_for_each.years_of(keys[2]) == []
        # Read ahead: the setups' own lists only, never a look-up per body or year.
        assert questions.count("setup_for") == 9 and questions.count("setup_years_of") == 3
        assert len(questions) == 9 + 3 + 3 * 6 * 2


def test_an_older_copy_sent_on_a_later_night_does_not_win(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _setup_copy(inbox / "ข้อมูลประจำปี 2566 (ฉบับแก้ไข).xlsx", "สร ๗๒๙๐๑/แก้ไข", datetime(2022, 9, 2, 9, 0))
    take_in(tmp_path, now=datetime(2022, 9, 3, 2, 0))
    _setup_copy(inbox / "ข้อมูลประจำปี 2566.xlsx", "สร ๗๒๙๐๑/เดิม", datetime(2022, 9, 1, 9, 0))
    summary = take_in(tmp_path, now=datetime(2022, 9, 4, 2, 0))
    assert summary.superseded == ["ข้อมูลประจำปี 2566.xlsx"]
    assert [r["doc_no"] for r in query(tmp_path, "select doc_no from latest_setups")] == ["สร ๗๒๙๐๑/แก้ไข"]


@pytest.mark.parametrize("names", [("ก.xlsx", "ข.xlsx"), ("ข.xlsx", "ก.xlsx")])
def test_a_tie_is_broken_by_content_never_by_name(tmp_path, names):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    same_time = datetime(2022, 9, 1, 9, 0)
    _setup_copy(inbox / names[0], "สร ๗๒๙๐๑/หนึ่ง", same_time)
    _setup_copy(inbox / names[1], "สร ๗๒๙๐๑/สอง", same_time)
    take_in(tmp_path)
    shas = query(tmp_path, "select sha256, doc_no from setups order by sha256 desc")
    assert [r["doc_no"] for r in query(tmp_path, "select doc_no from latest_setups")] == [shas[0]["doc_no"]]


# ------------------------------------------------------- years without bands

@pytest.mark.parametrize("year, rejected", [(2540, True), (2560, True), (2561, False)])
def test_a_setup_year_before_the_level_bands_is_rejected(tmp_path, year, rejected):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    book = fill.open_book(SAMPLE_SETUP)
    fill.set_keys(book["หน่วยงาน"], {"ปีงบประมาณ": str(year)})
    fill.save(book, inbox / f"ข้อมูลประจำปี {year}.xlsx", datetime(2022, 9, 1))
    summary = take_in(tmp_path)
    assert (summary.rejected == [f"ข้อมูลประจำปี {year}.xlsx"]) is rejected
    found = errors(tmp_path, f"ข้อมูลประจำปี {year}.xlsx")
    if rejected:
        assert found == [(7, 2, f"ไม่มีเกณฑ์ระดับผลการประเมิน ITA ของปีงบประมาณ {year} (ระบบมีเกณฑ์ตั้งแต่ปี 2561 เป็นต้นไป)")]
    else:
        assert found == []
