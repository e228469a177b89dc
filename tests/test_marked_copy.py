"""The marked copy of a rejected workbook (SPEC, Outputs 5): the clerk's own
monthly sheet with the bad cells filled and commented, and a first sheet
listing every problem with a link to its cell."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from openpyxl.styles import Font

from ita import marked_copy as module
from ita.excel_read import Workbook as CalamineBook
from ita.marked_copy import FILLS, SUMMARY_HEADER_ROW, SUMMARY_TITLE, marked_copy
from ita.problems import ERROR, WARNING, Problem
from ita.settings import SETTINGS_BY_NAME
from ita.xlsx_io import set_text

REPO = Path(__file__).resolve().parent.parent
INBOX = REPO / "inbox"
SAMPLE_XLS = INBOX / "รายงาน_กองการศึกษา_ต.ค.๖๕.xls"
SAMPLE_ODS = INBOX / "รายงาน_งานตรวจสอบภายใน_ต.ค.๖๕.ods"
WILD = Path("/work/shared/corpus/wild")
ENCRYPTED = WILD / "python-calamine__password.xlsx"
WITH_MACROS = WILD / "calamine__vba.xlsm"

SHEET = "รายงานประจำเดือน"
HEADER = ["ลำดับมาตรการ", "มาตรการ/แนวทาง", "การดำเนินงานในเดือนนี้", "ผลการดำเนินการ",
          "ผลลัพธ์/ความสำเร็จ", "สถานะ", "ร้อยละความคืบหน้า"]
EQUALS_TEXT = "=ดูหลักฐานแนบท้าย"  # a clerk's note, not a formula

PERCENT = Problem("ร้อยละความคืบหน้าต้องเป็นตัวเลข 0 ถึง 100", sheet=SHEET, row=12, col=7,
                  label="ร้อยละความคืบหน้า", value="150", hint="แก้เป็นตัวเลขระหว่าง 0 ถึง 100")
STATUS = Problem("สถานะไม่ตรงกับรายการที่กำหนด", sheet=SHEET, row=12, col=6, label="สถานะ",
                 value="เสร็จแล้วจ้า", hint="เลือกจากรายการ: ยังไม่ดำเนินการ / อยู่ระหว่างดำเนินการ / ดำเนินการแล้ว",
                 severity=WARNING)
WHOLE_ROW = Problem("ลำดับมาตรการนี้ไม่มีในแผนของส่วนราชการ", sheet=SHEET, row=13, label="ลำดับมาตรการ",
                    hint="ตรวจลำดับมาตรการกับแผนในไฟล์ข้อมูลประจำปี")
WHOLE_SHEET = Problem("ไม่พบแถวหัวตารางที่มีคอลัมน์ 'หลักฐาน'", sheet=SHEET,
                      hint="ใช้แบบฟอร์มจากคำสั่ง ita template")
OTHER_SHEET = Problem("แผ่นงานนี้ต้องมีรายชื่อผู้ลงนาม", sheet="ผู้ลงนาม", row=3, col=2)
WHOLE_FILE = Problem("ไฟล์นี้ส่งเกินกำหนด", severity=WARNING)
PROBLEMS = [PERCENT, STATUS, WHOLE_ROW, WHOLE_SHEET, OTHER_SHEET, WHOLE_FILE]


# --- realistic inputs -------------------------------------------------------------------

FONT = SETTINGS_BY_NAME["font"].default


def monthly_xlsx(path: Path) -> Path:
    """A monthly sheet as a clerk leaves it: title, key/value block in A-B,
    the table from row 11, an average formula Excel has computed (55), a
    hidden lists sheet, and notes starting with = and - ."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet["A1"] = "แบบรายงานผลการดำเนินงานประจำเดือน"
    sheet["A1"].font = Font(name="TH SarabunPSK", size=18, bold=True)
    sheet.merge_cells("A1:G1")
    sheet["A2"] = "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ปีงบประมาณ พ.ศ. ๒๕๖๖"
    keys = [("หน่วยงาน", "องค์การบริหารส่วนตำบลตาอ็อง"), ("ส่วนราชการ", "กองคลัง"),
            ("ประจำเดือน", date(2022, 10, 1)), ("ผู้รายงาน", "นางสาวกาญจนา ศรีสุข"),
            ("ตำแหน่ง", "นักวิชาการเงินและบัญชี"), ("วันที่รายงาน", "๕ พฤศจิกายน ๒๕๖๕")]
    for row, (key, value) in enumerate(keys, start=4):
        sheet.cell(row, 1, key)
        sheet.cell(row, 2, value)
    for col, label in enumerate(HEADER, start=1):
        sheet.cell(11, col, label)
    rows = [
        [1, "การเปิดเผยข้อมูลสาธารณะ", "- ปรับปรุงข้อมูลบนเว็บไซต์", "ดำเนินการแล้วบางส่วน", "",
         "เสร็จแล้วจ้า", 150],
        [99, "การจัดซื้อจัดจ้างอย่างโปร่งใส", "+ ประกาศแผนจัดซื้อ", EQUALS_TEXT, "", "ดำเนินการแล้ว", 10],
        [3, "การใช้จ่ายงบประมาณ", "จัดทำรายงานการใช้จ่าย", "รายงานผู้บริหารแล้ว", "ผู้บริหารรับทราบ",
         "ดำเนินการแล้ว", 5],
    ]
    for row, values in enumerate(rows, start=12):
        for col, value in enumerate(values, start=1):
            set_text(sheet.cell(row, col), value)
    sheet["F15"] = "เฉลี่ย"
    sheet["G15"] = "=AVERAGE(G12:G14)"
    sheet.column_dimensions["B"].width = 40
    lists = book.create_sheet("รายการ")
    for row, status in enumerate(["ยังไม่ดำเนินการ", "อยู่ระหว่างดำเนินการ", "ดำเนินการแล้ว"], start=1):
        lists.cell(row, 1, status)
    lists.sheet_state = "hidden"
    book.save(path)
    _store_cached_value(path, "AVERAGE(G12:G14)", "55")
    return path


def _store_cached_value(path: Path, formula: str, value: str) -> None:
    """openpyxl never computes formulas; Excel stores the result next to the
    formula. Write it in as Excel would."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = parts[name].decode()
    xml = re.sub(rf"(<f>{re.escape(formula)}</f>)<v\s*/>|(<f>{re.escape(formula)}</f>)<v></v>",
                 lambda m: f"{m.group(1) or m.group(2)}<v>{value}</v>", xml)
    parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)


def _openpyxl_fails(*args, **kwargs):
    raise KeyError("There is no item named 'xl/workbook.xml' in the archive")


@pytest.fixture(params=["xlsx", "xlsx-openpyxl-fails", "xls", "ods"])
def source(request, tmp_path, monkeypatch) -> Path:
    """The clerk's workbook in every form it arrives in. An .xlsx openpyxl
    cannot load takes the same road as .xls/.ods: rebuilt from values."""
    if request.param.startswith("xlsx"):
        if request.param == "xlsx-openpyxl-fails":
            monkeypatch.setattr(module, "load_workbook", _openpyxl_fails)
        return monthly_xlsx(tmp_path / "รายงาน_กองคลัง_ต.ค.๖๕.xlsx")
    sample = SAMPLE_XLS if request.param == "xls" else SAMPLE_ODS
    return Path(shutil.copy(sample, tmp_path / sample.name))


# --- helpers -----------------------------------------------------------------------------


def opened(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def fill_colour(cell) -> str | None:
    if cell.fill is None or cell.fill.fill_type != "solid":
        return None
    return cell.fill.fgColor.rgb[-6:]


def summary_rows(book) -> list[list[object]]:
    sheet = book[SUMMARY_TITLE]
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=SUMMARY_HEADER_ROW + 1, max_col=7)
            if row[0].value is not None]


def comment_boxes(data: bytes) -> list[tuple[int, int]]:
    """The comment boxes' sizes: openpyxl does not read them back, they live
    in the VML drawing Excel uses to show comments."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        vml = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".vml"))
    return [(int(w), int(h)) for w, h in re.findall(r"width:(\d+)px;\s*height:(\d+)px", vml)]


def link_target(book, location: str):
    """Follow an internal link the way Excel does: 'sheet'!A1."""
    sheet_part, coordinate = location.rsplit("!", 1)
    name = sheet_part[1:-1].replace("''", "'") if sheet_part.startswith("'") else sheet_part
    return book[name][coordinate]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- marking -------------------------------------------------------------------------------


def test_bad_cells_are_filled_and_commented(source):
    data = marked_copy(source, PROBLEMS, font=FONT)
    book = opened(data)
    sheet = book[SHEET]
    for problem in (PERCENT, STATUS):
        cell = sheet.cell(problem.row, problem.col)
        assert fill_colour(cell) == FILLS[problem.severity]
        assert cell.comment is not None and cell.comment.author == "ita"
        assert problem.message in cell.comment.text
        assert problem.hint in cell.comment.text
    assert "ต้องแก้" in sheet["G12"].comment.text
    assert "ข้อสังเกต" in sheet["F12"].comment.text
    assert "พบค่า '150'" in sheet["G12"].comment.text
    # sized to be read, not Excel's two-line default box (144 × 79 px)
    boxes = comment_boxes(data)
    assert boxes and all(width >= 300 and height >= 60 for width, height in boxes)


def test_a_row_problem_marks_only_column_a(source):
    sheet = opened(marked_copy(source, [WHOLE_ROW], font=FONT))[SHEET]
    assert fill_colour(sheet["A13"]) == FILLS[ERROR]
    assert WHOLE_ROW.message in sheet["A13"].comment.text
    for col in range(2, 10):
        assert fill_colour(sheet.cell(13, col)) is None
        assert sheet.cell(13, col).comment is None


def test_a_sheet_problem_marks_a1(source):
    sheet = opened(marked_copy(source, [WHOLE_SHEET], font=FONT))[SHEET]
    assert fill_colour(sheet["A1"]) == FILLS[ERROR]
    assert WHOLE_SHEET.message in sheet["A1"].comment.text


@pytest.mark.parametrize("severities, colour", [
    ((ERROR, WARNING), FILLS[ERROR]),
    ((WARNING, WARNING), FILLS[WARNING]),
])
def test_problems_on_one_cell_share_one_comment(tmp_path, severities, colour):
    first = Problem("ร้อยละความคืบหน้าต้องไม่เกิน 100", sheet=SHEET, row=12, col=7, severity=severities[0])
    second = Problem("ร้อยละความคืบหน้าลดลงจากเดือนก่อน", sheet=SHEET, row=12, col=7, severity=severities[1])
    cell = opened(marked_copy(monthly_xlsx(tmp_path / "m.xlsx"), [first, second], font=FONT))[SHEET]["G12"]
    assert fill_colour(cell) == colour
    lines = cell.comment.text.split("\n")
    assert len(lines) == 2
    assert first.message in lines[0] and second.message in lines[1]


def test_a_cell_inside_a_merged_title_marks_its_first_cell(tmp_path):
    problem = Problem("ชื่อแบบฟอร์มไม่ถูกต้อง", sheet=SHEET, row=1, col=4)
    book = opened(marked_copy(monthly_xlsx(tmp_path / "m.xlsx"), [problem], font=FONT))
    assert fill_colour(book[SHEET]["A1"]) == FILLS[ERROR]
    assert book[SUMMARY_TITLE].cell(SUMMARY_HEADER_ROW + 1, 3).hyperlink.location == f"'{SHEET}'!A1"


def test_the_clerks_own_comment_is_kept(tmp_path):
    path = monthly_xlsx(tmp_path / "m.xlsx")
    book = openpyxl.load_workbook(path)
    book[SHEET]["G12"].comment = openpyxl.comments.Comment("รอผู้บริหารยืนยัน", "กาญจนา")
    book.save(path)
    text = opened(marked_copy(path, [PERCENT], font=FONT))[SHEET]["G12"].comment.text
    assert PERCENT.message in text and "รอผู้บริหารยืนยัน" in text


def test_a_resent_marked_copy_gets_fresh_comments(tmp_path):
    """A clerk may fix the marked copy itself and send it back."""
    resent = tmp_path / "รายงาน_กองคลัง_ต.ค.๖๕ (แก้ไข).xlsx"
    resent.write_bytes(marked_copy(monthly_xlsx(tmp_path / "m.xlsx"), [PERCENT], font=FONT))
    book = opened(marked_copy(resent, [PERCENT], font=FONT))
    text = book[SHEET]["G12"].comment.text
    assert text.count(PERCENT.message) == 1 and "ความคิดเห็นเดิม" not in text
    assert book.sheetnames[:2] == [f"{SUMMARY_TITLE} (2)", SUMMARY_TITLE]


def test_macros_are_not_copied(tmp_path):
    path = Path(shutil.copy(WITH_MACROS, tmp_path / "รายงาน_กองคลัง_ต.ค.๖๕.xlsm"))
    with CalamineBook(path) as book:
        first = book.sheet_names[0]
    data = marked_copy(path, [Problem("ทดสอบ", sheet=first, row=1, col=1)], font=FONT)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not [n for n in archive.namelist() if "vba" in n.lower()]
        assert b"macroEnabled" not in archive.read("[Content_Types].xml")
    assert fill_colour(opened(data)[first]["A1"]) == FILLS[ERROR]


# --- the summary sheet ---------------------------------------------------------------------


def test_summary_sheet_lists_every_problem_with_a_link(source):
    book = opened(marked_copy(source, PROBLEMS, font=FONT))
    assert book.sheetnames[0] == SUMMARY_TITLE
    assert book.active.title == SUMMARY_TITLE
    summary = book[SUMMARY_TITLE]
    header = [summary.cell(SUMMARY_HEADER_ROW, c).value for c in range(1, 8)]
    assert header == ["ลำดับ", "แผ่นงาน", "เซลล์", "หัวข้อ", "ค่าที่พบ", "ปัญหา", "วิธีแก้"]
    rows = summary_rows(book)
    assert [r[0] for r in rows] == list(range(1, len(PROBLEMS) + 1))
    # errors first, as in the text report
    assert [r[5] for r in rows] == [p.message for p in sorted(PROBLEMS, key=lambda p: p.severity != ERROR)]
    by_message = {r[5]: (SUMMARY_HEADER_ROW + 1 + i, r) for i, r in enumerate(rows)}

    row, values = by_message[PERCENT.message]
    assert values[1:5] == [SHEET, "G12", "ร้อยละความคืบหน้า", "150"] and values[6] == PERCENT.hint
    assert summary.cell(row, 3).hyperlink.location == f"'{SHEET}'!G12"
    for message, expected in [(PERCENT.message, "G12"), (STATUS.message, "F12"),
                              (WHOLE_ROW.message, "A13"), (WHOLE_SHEET.message, "A1")]:
        row, _ = by_message[message]
        target = link_target(book, summary.cell(row, 3).hyperlink.location)
        assert target.coordinate == expected
        assert fill_colour(target) in FILLS.values() and message in target.comment.text
    assert by_message[WHOLE_ROW.message][1][2] == "แถว 13"
    # nowhere to link to: listed, not linked
    for message in (OTHER_SHEET.message, WHOLE_FILE.message):
        row, _ = by_message[message]
        assert summary.cell(row, 3).hyperlink is None
    assert by_message[WHOLE_FILE.message][1][1:3] == ["-", "ทั้งไฟล์"]
    assert "ผู้ลงนาม" not in book.sheetnames


def test_summary_sheet_is_readable(tmp_path):
    summary = opened(marked_copy(monthly_xlsx(tmp_path / "m.xlsx"), PROBLEMS, font=FONT))[SUMMARY_TITLE]
    first = SUMMARY_HEADER_ROW + 1
    for col in range(1, 8):
        assert summary.cell(first, col).font.name == FONT
        assert summary.cell(first, col).alignment.wrap_text
    assert summary.column_dimensions["F"].width >= 40
    assert fill_colour(summary.cell(first, 1)) == FILLS[ERROR]


def test_an_old_summary_sheet_in_a_resent_copy_is_not_overwritten(tmp_path):
    path = monthly_xlsx(tmp_path / "m.xlsx")
    book = openpyxl.load_workbook(path)
    book.create_sheet(SUMMARY_TITLE).cell(1, 1, "ของเดิม")
    book.save(path)
    out = opened(marked_copy(path, [PERCENT], font=FONT))
    assert out.sheetnames[0] == f"{SUMMARY_TITLE} (2)"
    assert out[SUMMARY_TITLE]["A1"].value == "ของเดิม"


# --- values: never formulas ------------------------------------------------------------------


def test_text_starting_with_equals_stays_text(tmp_path, monkeypatch):
    for openpyxl_reads_it in (True, False):
        if not openpyxl_reads_it:
            monkeypatch.setattr(module, "load_workbook", _openpyxl_fails)
        sheet = opened(marked_copy(monthly_xlsx(tmp_path / f"m{openpyxl_reads_it}.xlsx"), [WHOLE_ROW], font=FONT))[SHEET]
        assert sheet["D13"].value == EQUALS_TEXT and sheet["D13"].data_type == "s"
        assert sheet["C12"].value == "- ปรับปรุงข้อมูลบนเว็บไซต์" and sheet["C12"].data_type == "s"
        assert sheet["C13"].data_type == "s"


def test_problem_text_starting_with_equals_stays_text(tmp_path):
    problem = Problem("ผลการดำเนินการเป็นสูตร", sheet=SHEET, row=13, col=4, value=EQUALS_TEXT, hint="=พิมพ์เป็นข้อความ")
    row = opened(marked_copy(monthly_xlsx(tmp_path / "m.xlsx"), [problem], font=FONT))[SUMMARY_TITLE][SUMMARY_HEADER_ROW + 1]
    assert all(c.data_type != "f" for c in row)
    assert row[4].value == EQUALS_TEXT


@pytest.mark.parametrize("openpyxl_reads_it", [True, False])
def test_formulas_become_their_cached_values(tmp_path, monkeypatch, openpyxl_reads_it):
    if not openpyxl_reads_it:
        monkeypatch.setattr(module, "load_workbook", _openpyxl_fails)
    book = opened(marked_copy(monthly_xlsx(tmp_path / "m.xlsx"), [PERCENT], font=FONT))
    assert book[SHEET]["G15"].value == 55 and book[SHEET]["G15"].data_type == "n"
    assert all(c.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize("sample, expected", [
    (SAMPLE_XLS, datetime(2022, 10, 1)),  # the .xls stores ประจำเดือน as a date
    (SAMPLE_ODS, "ตุลาคม ๒๕๖๕"),  # the .ods as text
])
def test_rebuilt_sheets_keep_values_at_their_addresses(tmp_path, sample, expected):
    copy = Path(shutil.copy(sample, tmp_path / sample.name))
    sheet = opened(marked_copy(copy, [PERCENT], font=FONT))[SHEET]
    assert sheet["A6"].value == "ประจำเดือน" and sheet["B6"].value == expected
    if isinstance(expected, datetime):
        assert sheet["B6"].is_date
    assert [sheet.cell(11, c).value for c in range(1, 8)] == HEADER
    assert sheet["G12"].value == 8


def test_the_copied_xlsx_keeps_the_clerks_layout(tmp_path):
    book = opened(marked_copy(monthly_xlsx(tmp_path / "m.xlsx"), PROBLEMS, font=FONT))
    sheet = book[SHEET]
    assert sheet.column_dimensions["B"].width == 40
    assert sheet["A1"].font.name == "TH SarabunPSK" and sheet["A1"].font.bold
    assert "A1:G1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["B6"].is_date
    assert book.sheetnames == [SUMMARY_TITLE, SHEET, "รายการ"]
    assert book["รายการ"].sheet_state == "hidden"  # no problem there: left as it was


def test_a_hidden_sheet_with_problems_is_shown(tmp_path):
    problem = Problem("สถานะซ้ำ", sheet="รายการ", row=2, col=1)
    book = opened(marked_copy(monthly_xlsx(tmp_path / "m.xlsx"), [problem], font=FONT))
    assert book["รายการ"].sheet_state == "visible"
    assert fill_colour(book["รายการ"]["A2"]) == FILLS[ERROR]


# --- the original, and files that cannot be marked --------------------------------------------


def test_the_original_file_is_not_changed(source):
    before = sha256(source)
    assert marked_copy(source, PROBLEMS, font=FONT)
    assert sha256(source) == before


def test_the_same_input_gives_the_same_bytes(source):
    assert marked_copy(source, PROBLEMS, font=FONT) == marked_copy(source, PROBLEMS, font=FONT)


def test_the_output_opens_in_openpyxl_and_calamine(source, tmp_path):
    data = marked_copy(source, PROBLEMS, font=FONT)
    assert opened(data).sheetnames[:2] == [SUMMARY_TITLE, SHEET]
    calamine = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert calamine.sheet_names[:2] == [SUMMARY_TITLE, SHEET]
    summary = calamine.get_sheet_by_name(SUMMARY_TITLE).to_python()
    assert PERCENT.message in {str(v) for row in summary for v in row}
    written = tmp_path / "marked.xlsx"
    written.write_bytes(data)
    with CalamineBook(written) as book:  # and through the pipeline's own reader
        assert book.grid(SHEET).text(11, 1) == "ลำดับมาตรการ"


def _encrypted(tmp: Path) -> Path:
    return Path(shutil.copy(ENCRYPTED, tmp / "รายงาน_กองช่าง_ต.ค.๖๕.xlsx"))


def _empty(tmp: Path) -> Path:
    path = tmp / "รายงาน_กองช่าง_ต.ค.๖๕.xlsx"
    path.write_bytes(b"")
    return path


def _text_named_xls(tmp: Path) -> Path:
    path = tmp / "รายงาน_กองช่าง_ต.ค.๖๕.xls"
    path.write_text("ผลงานเดือนตุลาคม", encoding="utf-8")
    return path


def _truncated(tmp: Path) -> Path:
    """Copied from a USB stick that was pulled out too early."""
    path = tmp / "รายงาน_กองช่าง_ต.ค.๖๕.xlsx"
    path.write_bytes(monthly_xlsx(tmp / "full.xlsx").read_bytes()[:900])
    return path


@pytest.mark.parametrize("make", [_encrypted, _empty, _text_named_xls, _truncated])
def test_unreadable_files_give_none(tmp_path, make):
    path = make(tmp_path)
    before = sha256(path)
    assert marked_copy(path, PROBLEMS, font=FONT) is None
    assert sha256(path) == before


def test_no_located_problem_gives_none(tmp_path):
    assert marked_copy(monthly_xlsx(tmp_path / "m.xlsx"), [WHOLE_FILE], font=FONT) is None
    assert marked_copy(monthly_xlsx(tmp_path / "m.xlsx"), [], font=FONT) is None


@pytest.mark.parametrize("font", ["TH SarabunIT๙", "TH Sarabun New", "Sarabun"])
def test_the_summary_and_rebuilt_cells_are_set_in_the_runs_font(tmp_path, font):
    book = opened(marked_copy(monthly_xlsx(tmp_path / "m.xlsx"), PROBLEMS, font=font))
    summary = book[SUMMARY_TITLE]
    names = {cell.font.name for row in summary.iter_rows() for cell in row if cell.value is not None}
    assert names == {font}
