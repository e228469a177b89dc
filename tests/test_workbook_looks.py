"""How the workbooks a clerk opens and prints look: Thai lines whole, input
cells set apart from labels, A4 printing one page wide with the header rows
on every page, the clerk's own file name, and Buddhist-Era dates."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from ita import xlsx_templates
from ita.marked_copy import SUMMARY_TITLE, marked_copy
from ita.problems import Problem
from ita.status_workbook import status_workbook_bytes
from ita.settings import SETTINGS_BY_NAME
from ita.xlsx_io import BE_DATE, INPUT_FILL, LABEL_FILL, line_height
from workbooks import SAMPLE_SETUP, run_ita

REPO = Path(__file__).resolve().parent.parent
SAMPLE_XLS = REPO / "inbox" / "รายงาน_กองการศึกษา_ต.ค.๖๕.xls"
LINE_14 = line_height(14)

FONT = SETTINGS_BY_NAME["font"].default


def opened(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def fill(cell) -> str:
    return cell.fill.fgColor.rgb[-6:] if cell.fill and cell.fill.fill_type == "solid" else ""


def assert_prints_one_page_wide(sheet, *, landscape: bool, title_rows: str | None) -> None:
    setup = sheet.page_setup
    assert setup.orientation == ("landscape" if landscape else "portrait"), sheet.title
    assert int(setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert (sheet.print_title_rows or "").replace("$", "") == (title_rows or ""), sheet.title


@pytest.fixture(scope="module")
def monthly(tmp_path_factory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("monthly") / "m.xlsx"
    run_ita("template", "monthly", "--setup", SAMPLE_SETUP, "--division", "กองคลัง", "--month", "ม.ค. 66", "-o", path)
    return openpyxl.load_workbook(path)


def table_header_row(sheet) -> int:
    return next(r for r in range(1, 30) if sheet.cell(r, 1).value == "ลำดับมาตรการ")


def test_monthly_template_rows_are_tall_enough_for_thai(monthly):
    sheet = monthly["รายงานประจำเดือน"]
    assert sheet.sheet_format.defaultRowHeight >= 21 and sheet.sheet_format.customHeight
    header = table_header_row(sheet)
    assert all(sheet.cell(header, c).alignment.wrap_text for c in range(1, 10))
    # A prefilled measure title wider than its column gets a row of several lines.
    first = header + 1
    title = sheet.cell(first, 2).value
    assert len(title) > 2 * sheet.column_dimensions["B"].width
    assert sheet.row_dimensions[first].height >= 3 * LINE_14
    assert sheet.row_dimensions[1].height >= line_height(18)  # the 18 pt title


def test_monthly_template_sets_input_cells_apart_from_labels(monthly):
    sheet = monthly["รายงานประจำเดือน"]
    labels = [r for r in range(1, 12) if sheet.cell(r, 1).value in ("ส่วนราชการ", "ผู้รายงาน", "วันที่รายงาน")]
    assert len(labels) == 3
    for r in labels:
        assert fill(sheet.cell(r, 1)) == LABEL_FILL.fgColor.rgb[-6:]
        assert fill(sheet.cell(r, 2)) == INPUT_FILL.fgColor.rgb[-6:]
    header = table_header_row(sheet)
    assert fill(sheet.cell(header, 3)) == LABEL_FILL.fgColor.rgb[-6:]
    assert fill(sheet.cell(header + 1, 3)) == INPUT_FILL.fgColor.rgb[-6:]
    assert sheet.column_dimensions["A"].width >= 16  # "วันที่รายงาน" on one line


def test_monthly_template_prints_landscape_with_the_table_header_on_every_page(monthly):
    sheet = monthly["รายงานประจำเดือน"]
    header = table_header_row(sheet)
    assert_prints_one_page_wide(sheet, landscape=True, title_rows=f"{header}:{header}")


def test_setup_template_prints_each_sheet_to_the_page_width():
    book = opened(xlsx_templates.setup_template(2567))
    assert_prints_one_page_wide(book["หน่วยงาน"], landscape=False, title_rows=None)
    assert_prints_one_page_wide(book["มาตรการ"], landscape=True, title_rows="1:1")
    assert_prints_one_page_wide(book["ผลITA"], landscape=True, title_rows="1:1")
    assert fill(book["หน่วยงาน"]["B3"]) == INPUT_FILL.fgColor.rgb[-6:]
    assert fill(book["ผลITA"]["C2"]) == INPUT_FILL.fgColor.rgb[-6:] and fill(book["ผลITA"]["A2"]) == ""


FILES = [
    {"file_name": "รายงาน_กองคลัง_ม.ค.๖๖.xlsx", "kind": "monthly", "division": "กองคลัง",
     "month": date(2023, 1, 1), "status": "received", "first_error": None,
     "processed_at": datetime(2023, 2, 3, 9, 30)},
    {"file_name": "สำเนาของ รายงาน_กองช่าง_พ.ย.๖๕.xlsx", "kind": "monthly", "division": "กองช่าง",
     "month": date(2022, 11, 1), "status": "rejected",
     "first_error": "สถานะไม่ตรงกับรายการที่กำหนด " * 6, "processed_at": datetime(2023, 10, 5, 14, 5)},
]
STATUS_ROWS = [{"division": "กองคลัง", "month": date(2023, 1, 1), "status": "received"},
               {"division": "กองช่าง", "month": date(2022, 11, 1), "status": "rejected"}]


def status_book() -> tuple[bytes, openpyxl.Workbook]:
    data = status_workbook_bytes("องค์การบริหารส่วนตำบลตาอ็อง", 2566, STATUS_ROWS, FILES)
    return data, opened(data)


def test_status_workbook_dates_are_buddhist_era_and_its_own_date_is_the_newest_file():
    data, book = status_book()
    listing = book["ไฟล์ที่ได้รับ"]
    assert [listing.cell(r, 7).value for r in (2, 3)] == ["๓ กุมภาพันธ์ ๒๕๖๖ ๐๙:๓๐", "๕ ตุลาคม ๒๕๖๖ ๑๔:๐๕"]
    assert book.properties.created == book.properties.modified == datetime(2023, 10, 5, 14, 5)
    assert status_workbook_bytes("องค์การบริหารส่วนตำบลตาอ็อง", 2566, STATUS_ROWS, FILES) == data


def test_status_workbook_prints_landscape_with_its_header_rows_repeated():
    _, book = status_book()
    assert_prints_one_page_wide(book["สถานะการส่ง"], landscape=True, title_rows="3:3")
    assert_prints_one_page_wide(book["ไฟล์ที่ได้รับ"], landscape=True, title_rows="1:1")
    listing = book["ไฟล์ที่ได้รับ"]
    assert all(listing.cell(1, c).alignment.wrap_text for c in range(1, 8))
    assert listing.row_dimensions[2].height == LINE_14  # one line
    assert listing.row_dimensions[3].height >= 3 * LINE_14  # the long reason wraps


def test_a_workbook_without_a_date_of_its_own_shows_none():
    data = xlsx_templates.setup_template(2567)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        core = archive.read("docProps/core.xml").decode()
    assert "created" not in core and "modified" not in core and "<dc:creator" in core and ">ita<" in core


@pytest.mark.parametrize("sent_as", ["รายงาน_กองการศึกษา_ต.ค.๖๕.xls", "สำเนาของ รายงาน ต.ค. 65 (ล่าสุด).xls",
                                     "report.xls"])
def test_the_marked_copy_names_the_file_as_the_clerk_sent_it_and_shows_be_dates(tmp_path, sent_as):
    stored = Path(shutil.copy(SAMPLE_XLS, tmp_path / "3f9a0c1d2e4b5a6978c0d1e2f3a4b5c6.xls"))
    problem = Problem("ร้อยละความคืบหน้าต้องเป็นตัวเลข 0 ถึง 100", sheet="รายงานประจำเดือน", row=12, col=7)
    book = opened(marked_copy(stored, [problem], file_name=sent_as, font=FONT))
    summary = book[SUMMARY_TITLE]
    assert summary["A1"].value == f"ผลการตรวจไฟล์ {sent_as}"
    assert "3f9a0c1d" not in "".join(str(c.value) for row in summary.iter_rows() for c in row if c.value)
    assert_prints_one_page_wide(summary, landscape=True, title_rows="4:4")
    month = book["รายงานประจำเดือน"]["B6"]
    assert month.is_date and month.number_format == BE_DATE
