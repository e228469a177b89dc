"""The half-year report (ต.ค.–มี.ค.) and its cover memo on the bundled sample,
and `ita report --from --to` for any months of a year. What each report must
hold is read here from the inbox's sheets themselves (python-calamine, the
latest sheet of each division and month by its วันที่รายงาน), not from the
store's models."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from python_calamine import CalamineWorkbook

import ooxml
from conftest import SAMPLE_INBOX, docx_text
from ita import records, thai
from ita.cli import main
from sample import taong_fy2566 as sample

BODY = "องค์การบริหารส่วนตำบลตาอ็อง"
HALF_REPORT = "รายงานผลการดำเนินการตามมาตรการ_รอบ6เดือน_2566.docx"
HALF_MEMO = "บันทึกข้อความ_รายงานรอบ6เดือน_2566.docx"
FIELDS = {"result": "ผลการดำเนินการ", "outcome": "ผลลัพธ์/ความสำเร็จ"}


def year_folder(root: Path) -> Path:
    return root / "outbox" / BODY / "2566"


def _sheet_rows(path: Path) -> list[list]:
    book = CalamineWorkbook.from_path(str(path))
    if "รายงานประจำเดือน" not in book.sheet_names:
        return []
    return book.get_sheet_by_name("รายงานประจำเดือน").to_python()


def _month(value) -> date:
    if isinstance(value, date):
        return date(value.year, value.month, 1)
    year, month = thai.parse_month(value)
    return date(year, month, 1)


def inbox_sheets(rejected: list[str]) -> dict[tuple[str, date], list[dict]]:
    """(division, month) → the rows of the latest accepted sheet for it."""
    found: dict[tuple[str, date], list[tuple[date, list[dict]]]] = defaultdict(list)
    for path in sorted(SAMPLE_INBOX.iterdir()):
        rows = _sheet_rows(path)
        if not rows or path.name in rejected:
            continue
        keys = {str(r[0]).strip(): r[1] for r in rows if r and isinstance(r[0], str)}
        header = next(i for i, r in enumerate(rows) if str(r[0]).strip() == "ลำดับมาตรการ")
        columns = {str(title).strip(): c for c, title in enumerate(rows[header])}
        table = []
        for r in rows[header + 1:]:
            if r[0] in ("", None):
                break
            table.append({"measure": int(float(r[0])),
                          **{field: records.lines(r[columns[title]]) for field, title in FIELDS.items()}})
        found[(keys["ส่วนราชการ"].strip(), _month(keys["ประจำเดือน"]))].append(
            (thai.parse_date(keys["วันที่รายงาน"]), table))
    latest = {}
    for key, versions in found.items():
        versions.sort(key=lambda v: v[0])
        assert len(versions) == 1 or versions[-1][0] != versions[-2][0], key  # no tie to break in the sample
        latest[key] = versions[-1][1]
    return latest


def expected_bullets(sheets: dict, first: date, last: date) -> dict[tuple[int, str], list[str]]:
    """(measure ลำดับ, field) → bullet keys reported in first..last, once each,
    in the order first reported (month, the division's place in the list,
    sheet row, line)."""
    order = {d: i for i, d in enumerate(sample.DIVISIONS)}
    expected: dict[tuple[int, str], list[str]] = defaultdict(list)
    for (division, month), rows in sorted(sheets.items(), key=lambda kv: (kv[0][1], order.get(kv[0][0], 99))):
        if not first <= month <= last:
            continue
        for row in rows:
            for field in FIELDS:
                for line in row[field]:
                    key = records.bullet_key(line)
                    if key not in expected[(row["measure"], field)]:
                        expected[(row["measure"], field)].append(key)
    return expected


def printed_bullets(path: Path) -> dict[tuple[int, str], list[str]]:
    """(measure ลำดับ, field) → the bullet keys a report's tables print."""
    titles = {records.bullet_key(m["title"]): m["no"] for m in sample.MEASURES}
    printed = {}
    for table in Document(str(path)).tables:
        for row in table.rows[1:]:
            cells = [[p.text for p in c.paragraphs if p.text.strip()] for c in row.cells]
            title = records.bullet_key(cells[0][0].split(") ", 1)[1])
            for field, column in (("result", 4), ("outcome", 5)):
                printed[(titles[title], field)] = [records.bullet_key(t) for t in cells[column]]
    assert len({no for no, _ in printed}) == len(sample.MEASURES)
    return printed


@pytest.fixture(scope="module")
def sheets(sample_run) -> dict:
    _, result = sample_run
    return inbox_sheets(result["rejected"])


def test_the_half_year_report_holds_exactly_the_bullets_reported_from_october_to_march(sample_run, sheets):
    root, _ = sample_run
    expected = expected_bullets(sheets, date(2022, 10, 1), date(2023, 3, 1))
    printed = printed_bullets(year_folder(root) / HALF_REPORT)
    assert {k: v for k, v in printed.items() if v} == {k: v for k, v in expected.items() if v}
    # The year's report has more: what was first reported from April on, none of it in the half-year's.
    later = {key for (no, field), keys in expected_bullets(sheets, date(2023, 4, 1), date(2023, 9, 1)).items()
             for key in keys if key not in expected.get((no, field), [])}
    year = {key for keys in printed_bullets(year_folder(root) / "รายงานผลการดำเนินการตามมาตรการ_2566.docx").values()
            for key in keys}
    assert later and later <= year
    assert not later & {key for keys in printed.values() for key in keys}


def test_the_half_year_report_is_titled_with_its_period(sample_run):
    root, _ = sample_run
    text = docx_text(year_folder(root) / HALF_REPORT)
    assert "รอบ ๖ เดือน\n(เดือน ตุลาคม ๒๕๖๕ – มีนาคม ๒๕๖๖)" in text
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖" in text
    assert text.count("รอบ ๖ เดือน (เดือน ตุลาคม ๒๕๖๕ – มีนาคม ๒๕๖๖)") == 2  # above each group's table


@pytest.mark.parametrize("name", [HALF_REPORT, HALF_MEMO])
def test_the_half_year_documents_are_dated_by_the_end_of_march(sample_run, name):
    root, _ = sample_run
    properties = Document(str(year_folder(root) / name)).core_properties
    assert properties.created.date() == properties.modified.date() == date(2023, 3, 31)
    assert properties.author == "สำนักปลัด องค์การบริหารส่วนตำบลตาอ็อง"


def test_the_cover_memo_proposes_the_report_for_acknowledgement_with_every_signatory(sample_run):
    root, _ = sample_run
    memo = docx_text(year_folder(root) / HALF_MEMO)
    assert ("เรื่อง รายงานการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน รอบ ๖ เดือน "
            "(เดือน ตุลาคม ๒๕๖๕ – มีนาคม ๒๕๖๖)") in memo
    assert "ส่วนราชการ สำนักปลัด องค์การบริหารส่วนตำบลตาอ็อง" in memo
    assert "ที่ สร ๗๒๙๐๑/-\tวันที่ ๕ ตุลาคม ๒๕๖๖" in memo
    assert "เรียน นายกองค์การบริหารส่วนตำบลตาอ็อง" in memo
    assert "จึงเรียนมาเพื่อโปรดทราบ" in memo
    assert "ต่อผู้บริหารเพื่อโปรดทราบ" in memo
    for heading in ("๑. เรื่องเดิม", "๒. ข้อเท็จจริง", "๓. ข้อเสนอเพื่อพิจารณา"):
        assert heading in memo
    for _, _, name, position in sample.SIGNATORIES:
        assert f"( {name} )\n{position}" in memo
    assert memo.count("ความเห็น") == len(sample.SIGNATORIES) - 1


def test_the_cover_memo_counts_each_divisions_sheets_of_the_half_year(sample_run, sheets):
    root, _ = sample_run
    document = Document(str(year_folder(root) / HALF_MEMO))
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows[1:]]
    half = [date(2022, m, 1) for m in (10, 11, 12)] + [date(2023, m, 1) for m in (1, 2, 3)]
    expected = [[thai.to_thai_digits(n), d, f"{thai.to_thai_digits(sum((d, m) in sheets for m in half))} จาก ๖ เดือน"]
                for n, d in enumerate(sample.DIVISIONS, start=1)]
    assert [r[:3] for r in rows] == expected
    n_sheets = sum(m in half for _, m in sheets)
    assert f"จำนวน {thai.to_thai_digits(n_sheets)} ฉบับ" in docx_text(year_folder(root) / HALF_MEMO)


QUARTER = ["--from", "ม.ค. 66", "--to", "2023-03"]


@pytest.fixture(scope="module")
def quarter(sample_run, tmp_path_factory) -> tuple[Path, list[str]]:
    root, _ = sample_run
    out = tmp_path_factory.mktemp("quarter")
    shown = CliRunner().invoke(main, ["report", *QUARTER, "--data", str(root / "data"), "--memo-date", "2023-04-05",
                                      "-o", str(out)])
    assert shown.exit_code == 0, shown.output
    return out, shown.output.strip().splitlines()


def test_ita_report_for_a_quarter_holds_the_bullets_reported_in_it(quarter, sheets):
    out, said = quarter
    report = out / "รายงานผลการดำเนินการตามมาตรการ_2566-01_ถึง_2566-03.docx"
    memo = out / "บันทึกข้อความ_รายงาน_2566-01_ถึง_2566-03.docx"
    assert said == [f"เขียนแล้ว: {report}", f"เขียนแล้ว: {memo}"]
    expected = expected_bullets(sheets, date(2023, 1, 1), date(2023, 3, 1))
    assert {k: v for k, v in printed_bullets(report).items() if v} == {k: v for k, v in expected.items() if v}
    assert "รอบ ๓ เดือน\n(เดือน มกราคม ๒๕๖๖ – มีนาคม ๒๕๖๖)" in docx_text(report)
    assert "วันที่ ๕ เมษายน ๒๕๖๖" in docx_text(memo)
    for path in (report, memo):
        assert [str(p) for p in ooxml.validate_package(path)] == []


def test_ita_report_again_changes_nothing_and_never_writes_over_an_edited_file(sample_run, quarter):
    root, _ = sample_run
    out, _ = quarter
    report = out / "รายงานผลการดำเนินการตามมาตรการ_2566-01_ถึง_2566-03.docx"
    memo = out / "บันทึกข้อความ_รายงาน_2566-01_ถึง_2566-03.docx"
    args = ["report", *QUARTER, "--data", str(root / "data"), "--memo-date", "2023-04-05", "-o", str(out)]
    again = CliRunner().invoke(main, args)
    assert again.output.strip().splitlines() == [f"ไม่เปลี่ยนแปลง (ไฟล์เดิมตรงกันแล้ว): {p}" for p in (report, memo)]
    edited = memo.read_bytes() + b"\0"  # a person's change: other bytes
    memo.write_bytes(edited)
    beside = out / "บันทึกข้อความ_รายงาน_2566-01_ถึง_2566-03_ฉบับใหม่.docx"
    third = CliRunner().invoke(main, args)
    assert third.output.strip().splitlines() == [f"ไม่เปลี่ยนแปลง (ไฟล์เดิมตรงกันแล้ว): {report}", f"เขียนแล้ว: {beside}"]
    assert memo.read_bytes() == edited


@pytest.mark.parametrize(("first", "last", "message"), [
    ("มี.ค. 66", "ม.ค. 66", "ผิดพลาด: เดือนสิ้นสุด (ม.ค.๖๖) อยู่ก่อนเดือนเริ่มต้น (มี.ค.๖๖) "
                            "ให้ระบุ --from เป็นเดือนแรกและ --to เป็นเดือนสุดท้ายของช่วง"),
    ("สิงหาคม 2566", "2023-10", "ผิดพลาด: ช่วง ส.ค.๖๖ ถึง ต.ค.๖๖ คาบเกี่ยวปีงบประมาณ 2566 และ 2567: "
                                "รายงานหนึ่งฉบับอยู่ในปีงบประมาณเดียว (ต.ค. ถึง ก.ย.) เช่น --from 'ต.ค. 65' --to 'ก.ย. 66'"),
    ("เดือนที่แล้ว", "ม.ค. 66", "ผิดพลาด: --from: อ่านเดือน 'เดือนที่แล้ว' ไม่ได้ ใช้รูปแบบเช่น 'ตุลาคม 2565', 'ต.ค. 65' หรือ 2022-10"),
])
def test_a_bad_range_is_refused_in_thai(tmp_path, first, last, message):
    shown = CliRunner().invoke(main, ["report", "--from", first, "--to", last, "--data", str(tmp_path / "data"),
                                      "-o", str(tmp_path / "out")])
    assert shown.exit_code == 2
    assert shown.output.strip() == message
    assert not (tmp_path / "out").exists()


def test_a_year_without_setup_is_refused_in_thai(sample_run, tmp_path):
    root, _ = sample_run
    shown = CliRunner().invoke(main, ["report", "--from", "ต.ค. 66", "--to", "ธันวาคม 2566",
                                      "--data", str(root / "data"), "-o", str(tmp_path)])
    assert shown.exit_code == 1
    assert shown.output.strip() == ("ผิดพลาด: ไม่มีข้อมูลประจำปีของปีงบประมาณ 2567 ในฐานข้อมูล (ปีงบประมาณที่มี: 2566): "
                                    "วางไฟล์ข้อมูลประจำปี 2567 ในโฟลเดอร์รับแล้วรัน ita run ก่อน")
    assert list(tmp_path.iterdir()) == []


def test_ita_report_before_any_run(tmp_path):
    shown = CliRunner().invoke(main, ["report", "--from", "ต.ค. 65", "--to", "มี.ค. 66", "--data", str(tmp_path / "d")])
    assert shown.exit_code == 1
    assert shown.output.strip() == "ผิดพลาด: ยังไม่มีข้อมูลในฐานข้อมูล: ให้รัน ita run ก่อน แล้วสั่ง ita report อีกครั้ง"
