"""The forms that come to the clerks, through the real nightly pipeline over
several nights: each division's next monthly sheet appears in the outbox,
goes back through the inbox unchanged or filled in, and is never written
over a clerk's edit; after September next year's setup appears pre-filled
and is taken in as next year's."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import REPO
from sample import fill
from schemas import monthly as monthly_schema
from test_document_lifecycle import night, outbox
from workbooks import SAMPLE_SETUP

BODY = "องค์การบริหารส่วนตำบลตาอ็อง"
DIVISIONS = ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสวัสดิการสังคม", "งานตรวจสอบภายใน"]
FORMS = Path(BODY) / "2566" / "แบบฟอร์ม"
REPORT = Path(BODY) / "2566" / "รายงานผลการดำเนินการตามมาตรการ_2566.docx"
NEXT_SETUP = FORMS / "ข้อมูลประจำปี_2567.xlsx"
NEW_BULLET = "- ติดตั้งกล่องรับเรื่องร้องเรียนการทุจริตเพิ่มที่ศูนย์พัฒนาเด็กเล็กบ้านตาอ็อง"
CORRECTION = "- แก้ไขรายงานเดือนพฤศจิกายน: ตรวจสอบทะเบียนพัสดุครบทุกรายการ"
CLERK_WORDS = "แก้ไขโดยกองช่าง: จดไว้ก่อนส่ง"


def form(division: str, month: str) -> Path:
    return FORMS / f"{division}_{month}.xlsx"


def written(result: dict, root: Path) -> set[str]:
    return {str(Path(p).relative_to(root / "outbox")) for p in result["written"]}


def add_bullet(source: Path, bullet: str, report_date: str, target: Path) -> None:
    """As a clerk: a line added under the first measure's results, the report date set, saved into the inbox."""
    book = fill.open_book(source)
    sheet = book[monthly_schema.SHEET]
    first = table(sheet)[0]
    fill.set_keys(sheet, {"วันที่รายงาน": report_date})
    fill.set_rows(sheet, "ลำดับมาตรการ", [{"ผลการดำเนินการ": f"{first['ผลการดำเนินการ']}\n{bullet}"}])
    fill.save(book, target, datetime(2023, 1, 1, 9, 0))
    past = time.time() - 3600
    os.utime(target, (past, past))


def drop(source: Path, root: Path, name: str) -> Path:
    """Into the inbox as a clerk's finished copy (old enough not to be taken for one still copying)."""
    target = root / "inbox" / name
    shutil.copy2(source, target)
    past = time.time() - 3600
    os.utime(target, (past, past))
    return target


def table(sheet) -> list[dict]:
    return fill.table_rows(sheet, "ลำดับมาตรการ")


def header(sheet) -> dict[str, object]:
    rows = fill.key_rows(sheet)
    return {label: sheet.cell(rows[label], 2).value for label in ("หน่วยงาน", "ส่วนราชการ", "ประจำเดือน", "ผู้รายงาน",
                                                                   "วันที่รายงาน")}


def accepted(root: Path, name: str) -> list[tuple]:
    import duckdb

    with duckdb.connect(str(root / "data" / "ita.duckdb"), read_only=True) as con:
        return con.execute("select outcome, kind, fiscal_year, division, month from files f "
                           "join receipts r using (sha256) where r.file_name = ?", [name]).fetchall()


@pytest.fixture(scope="module")
def nights(tmp_path_factory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("forms")
    (root / "inbox").mkdir()
    shutil.copy2(SAMPLE_SETUP, root / "inbox" / SAMPLE_SETUP.name)
    for path in sorted((REPO / "inbox").iterdir()):
        if ("ต.ค.๖๕" in path.name or "พ.ย.๖๕" in path.name) and not path.name.startswith("สำเนา"):
            shutil.copy2(path, root / "inbox" / path.name)
    story: dict = {"root": root}
    story["first"] = (night(root, date(2022, 12, 20)), outbox(root))
    story["quiet"] = (night(root, date(2022, 12, 21)), outbox(root))

    # กองคลัง sends its December form back untouched.
    drop(root / "outbox" / form("กองคลัง", "ธันวาคม_2565"), root, "กองคลัง ธ.ค.xlsx")
    story["unchanged back"] = (night(root, date(2023, 1, 5)), outbox(root))

    # สำนักปลัด fills its December form: a new bullet under the first measure's results.
    add_bullet(root / "outbox" / form("สำนักปลัด", "ธันวาคม_2565"), NEW_BULLET, "๕ มกราคม ๒๕๖๖",
               root / "inbox" / "สำนักปลัด_ธันวาคม_2565.xlsx")
    story["filled back"] = (night(root, date(2023, 1, 6)), outbox(root))

    # กองช่าง's clerk types into the December form in the outbox; then its November sheet is corrected.
    edited = root / "outbox" / form("กองช่าง", "ธันวาคม_2565")
    book = load_workbook(edited)
    book.worksheets[0].cell(2, 1).value = CLERK_WORDS
    book.save(edited)
    story["edit"] = edited.read_bytes()
    add_bullet(REPO / "inbox" / "รายงาน_กองช่าง_พ.ย.๖๕.xlsx", CORRECTION, "๒๐ ธันวาคม ๒๕๖๕",
               root / "inbox" / "รายงาน_กองช่าง_พ.ย.๖๕ (แก้ไข).xlsx")
    story["corrected"] = (night(root, date(2023, 1, 7)), outbox(root))

    story["october"] = (night(root, date(2023, 10, 2)), outbox(root))
    drop(root / "outbox" / NEXT_SETUP, root, "ข้อมูลประจำปี 2567 จากระบบ.xlsx")
    story["next year"] = (night(root, date(2023, 10, 3)), outbox(root))
    yield story


def test_the_first_night_writes_each_divisions_form_for_the_month_after_its_last(nights):
    (result, files) = nights["first"]
    expected = {str(form(d, "ธันวาคม_2565")) for d in DIVISIONS}
    assert {n for n in files if n.startswith(str(FORMS))} == expected
    assert written(result, nights["root"]) >= expected


@pytest.mark.parametrize("division", DIVISIONS)
def test_a_form_has_its_header_filled_and_what_the_division_reported_carried_over(nights, division):
    files = nights["first"][1]
    sheet = book_of(files[str(form(division, "ธันวาคม_2565"))])[monthly_schema.SHEET]
    november = load_workbook(REPO / "inbox" / f"รายงาน_{division}_พ.ย.๖๕.xlsx")[monthly_schema.SHEET]
    said = header(november)
    assert header(sheet) == {"หน่วยงาน": BODY, "ส่วนราชการ": division, "ประจำเดือน": "ธันวาคม ๒๕๖๕",
                             "ผู้รายงาน": said["ผู้รายงาน"], "วันที่รายงาน": None}
    before = {r["ลำดับมาตรการ"]: r for r in table(november)}
    rows = table(sheet)
    assert rows
    for row in rows:
        last = before[row["ลำดับมาตรการ"]]
        for label in ("ผลการดำเนินการ", "ผลลัพธ์/ความสำเร็จ", "สถานะ", "หลักฐาน"):
            assert row[label] == last[label], label
        assert float(row["ร้อยละความคืบหน้า"]) == float(str(last["ร้อยละความคืบหน้า"]).translate(
            str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")))
        assert row["การดำเนินงานในเดือนนี้"] is None  # the month's own work starts blank


def test_a_night_with_nothing_new_writes_no_form(nights):
    (result, files) = nights["quiet"]
    assert written(result, nights["root"]) == set()
    assert files == nights["first"][1]


def test_a_form_sent_back_unchanged_is_accepted_and_adds_nothing_to_the_report(nights):
    root = nights["root"]
    result, files = nights["unchanged back"]
    assert accepted(root, "กองคลัง ธ.ค.xlsx") == [("accepted", "monthly", 2566, "กองคลัง", date(2022, 12, 1))]
    before = nights["quiet"][1]
    assert docx_text_of(files[str(REPORT)]) == docx_text_of(before[str(REPORT)])
    # กองคลัง has reported December now: its form is January's, and December's is gone.
    assert str(form("กองคลัง", "มกราคม_2566")) in written(result, root)
    assert str(form("กองคลัง", "ธันวาคม_2565")) not in files
    assert {n for n in files if n.startswith(str(FORMS))} == (
        {str(form(d, "ธันวาคม_2565")) for d in DIVISIONS if d != "กองคลัง"} | {str(form("กองคลัง", "มกราคม_2566"))})


def test_a_form_filled_with_a_new_bullet_is_accepted_and_the_bullet_is_reported(nights):
    root = nights["root"]
    result, files = nights["filled back"]
    assert accepted(root, "สำนักปลัด_ธันวาคม_2565.xlsx")[0][0] == "accepted"
    text = docx_text_of(files[str(REPORT)])
    assert text.count(NEW_BULLET.removeprefix("- ")) == 1
    assert NEW_BULLET.removeprefix("- ") not in docx_text_of(nights["unchanged back"][1][str(REPORT)])
    january = book_of(files[str(form("สำนักปลัด", "มกราคม_2566"))])[monthly_schema.SHEET]
    assert NEW_BULLET in table(january)[0]["ผลการดำเนินการ"]


def test_a_form_a_clerk_edited_is_kept_and_its_new_version_goes_beside_it(nights):
    root = nights["root"]
    result, files = nights["corrected"]
    own = form("กองช่าง", "ธันวาคม_2565")
    fresh = own.with_name(f"{own.stem}_ฉบับใหม่.xlsx")
    assert files[str(own)] == nights["edit"]
    assert {"path": str(root / "outbox" / own), "new_version": str(root / "outbox" / fresh)} in result["edited"]
    rows = table(book_of(files[str(fresh)])[monthly_schema.SHEET])
    assert CORRECTION in rows[0]["ผลการดำเนินการ"]
    assert book_of(files[str(fresh)]).worksheets[0].cell(2, 1).value != CLERK_WORDS


def test_next_years_setup_appears_after_september_prefilled_from_this_years(nights):
    root = nights["root"]
    before, (result, files) = nights["corrected"][1], nights["october"]
    assert str(NEXT_SETUP) not in before
    assert written(result, root) >= {str(NEXT_SETUP)}
    book = book_of(files[str(NEXT_SETUP)])
    this_year = load_workbook(SAMPLE_SETUP)
    organisation = {k: book["หน่วยงาน"].cell(r, 2).value for k, r in fill.key_rows(book["หน่วยงาน"]).items()}
    assert organisation["ปีงบประมาณ"] == 2567
    assert organisation["ชื่อหน่วยงาน"] == BODY
    for name in ("ส่วนราชการ", "ผู้ลงนาม", "แนวทาง"):
        assert table_of(book[name]) == table_of(this_year[name]), name
    measures, plan = table_of(book["มาตรการ"]), table_of(this_year["มาตรการ"])
    assert [m[:3] for m in measures] == [m[:3] for m in plan]
    assert {m[-1] for m in measures} == {"ต.ค.๖๖-ก.ย.๖๗"}
    scores, old = ita_scores(book), ita_scores(this_year)
    assert {k: v for k, v in scores.items() if v is not None} == {k: v for k, v in old.items() if v is not None}
    assert all(v is None for (key, year), v in scores.items() if year == "ปี 2567")


def test_next_years_setup_dropped_into_the_inbox_is_taken_in_as_next_years(nights):
    root = nights["root"]
    result, files = nights["next year"]
    assert accepted(root, "ข้อมูลประจำปี 2567 จากระบบ.xlsx") == [("accepted", "setup", 2567, None, None)]
    assert str(NEXT_SETUP) not in files  # taken in: the pre-filled one is not left to be sent twice
    forms_2567 = {n for n in files if n.startswith(f"{BODY}/2567/แบบฟอร์ม/")}
    assert forms_2567 == {f"{BODY}/2567/แบบฟอร์ม/{d}_ตุลาคม_2566.xlsx" for d in DIVISIONS}
    sheet = book_of(files[sorted(forms_2567)[0]])[monthly_schema.SHEET]
    assert all(r["ผลการดำเนินการ"] is None for r in table(sheet))  # nobody has reported 2567 yet


def book_of(data: bytes):
    import io

    return load_workbook(io.BytesIO(data))


def docx_text_of(data: bytes) -> str:
    import io

    from docx import Document

    document = Document(io.BytesIO(data))
    return "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for row in t.rows for c in row.cells])


def table_of(sheet) -> list[tuple]:
    return [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2) if row[0].value is not None]


def ita_scores(book) -> dict[tuple[str, str], object]:
    sheet = book["ผลITA"]
    years = [c.value for c in sheet[1]][2:]
    return {(str(row[0].value), year): cell.value for row in sheet.iter_rows(min_row=2) if row[0].value
            for year, cell in zip(years, row[2:]) if str(year).startswith("ปี ")}  # not a remarks column


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_next_years_setup_keeps_an_emblem_pasted_into_this_years(tmp_path, kind):
    from checks_helpers import config_of, take_in
    from ita import forms, thai
    from ita.year_setup import year_setup
    from ita.store import Store
    from test_emblem import image_bytes, setup_with

    data = image_bytes(kind)
    setup_with(tmp_path, pasted=data)
    assert take_in(tmp_path).accepted == [SAMPLE_SETUP.name]
    with Store(config_of(tmp_path).database) as store:
        prefilled = forms.next_year_setup(store, year_setup(store, thai.label_key(BODY), 2566), "TH Sarabun New")
    (tmp_path / "inbox" / "ข้อมูลประจำปี_2567.xlsx").write_bytes(prefilled)
    assert take_in(tmp_path).accepted == ["ข้อมูลประจำปี_2567.xlsx"]
    with Store(config_of(tmp_path).database) as store:
        assert year_setup(store, thai.label_key(BODY), 2567).emblem_image == data


def test_documents_written_into_another_outbox_leave_this_ones_forms_alone(tmp_path):
    from dataclasses import replace

    from checks_helpers import config_of, take_in
    from ita import outputs, thai
    from ita.store import Store

    (tmp_path / "inbox").mkdir()
    shutil.copy2(SAMPLE_SETUP, tmp_path / "inbox" / SAMPLE_SETUP.name)
    for division in DIVISIONS[:3]:
        shutil.copy2(REPO / "inbox" / f"รายงาน_{division}_พ.ย.๖๕.xlsx", tmp_path / "inbox")
    take_in(tmp_path)
    config = config_of(tmp_path)
    with Store(config.database) as store:
        outputs.write_year_documents(store, config, thai.label_key(BODY), 2566, date(2022, 12, 20))
        before = outbox(tmp_path)
        other = replace(config, outbox=tmp_path / "another outbox")
        outputs.write_year_documents(store, other, thai.label_key(BODY), 2566, date(2022, 12, 20))
    assert outbox(tmp_path) == before
    assert {n for n in before if n.startswith(str(FORMS))} == (
        {str(form(d, "ธันวาคม_2565")) for d in DIVISIONS[:3]} | {str(form(d, "ตุลาคม_2565")) for d in DIVISIONS[3:]})
