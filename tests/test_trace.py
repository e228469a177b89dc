"""Every line of the documents can be traced to the file, sheet, cell and
line it came from (ที่มาของข้อมูล), in a workbook and with `ita trace`."""

from __future__ import annotations

import io
import shutil
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from ita import records, settings, thai, trace
from ita.cli import main
from ita.excel_read import Workbook as ExcelBook
from ita.inbox import scan
from ita.ingest import load, read_and_validate
from ita.store import Store
from sample import fill
from workbooks import SAMPLE_SETUP, monthly_sheet

BODY = "องค์การบริหารส่วนตำบลตาอ็อง"
YEAR = 2566
FONT = settings.SETTINGS_BY_NAME["font"].default  # the sample run's
LINK_COLUMN = len(trace.HEADERS)
TODAY = date(2023, 10, 5)  # the year is over: its half-year report is due


def year_folder(root: Path) -> Path:
    return root / "outbox" / BODY / str(YEAR)


def trace_rows(data: bytes) -> dict[str, list[dict]]:
    """Sheet title → its rows as {header: value}, plus the link target."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheets = {}
    for sheet in book:
        header = [c.value for c in sheet[1]]
        rows = []
        for cells in sheet.iter_rows(min_row=2):
            row = dict(zip(header, (c.value for c in cells)))
            link = cells[LINK_COLUMN - 1].hyperlink
            row["link"] = link.target if link else None
            rows.append(row)
        sheets[sheet.title] = rows
    return sheets


@pytest.fixture(scope="module")
def traced(sample_run) -> tuple[Path, dict[str, list[dict]], set[str]]:
    root, _ = sample_run
    with Store(root / "data" / "ita.duckdb", read_only=True) as store:
        data = trace.trace_workbook_bytes(store, thai.label_key(BODY), YEAR, outbox_folder=year_folder(root),
                                            data=root / "data", today=TODAY, font=FONT)
        again = trace.trace_workbook_bytes(store, thai.label_key(BODY), YEAR, outbox_folder=year_folder(root),
                                            data=root / "data", today=TODAY, font=FONT)
        received = {r[0] for r in store.con.execute("select file_name from receipts").fetchall()}
    assert data == again, "the same store must give the same bytes"
    return root, trace_rows(data), received


def test_the_trace_workbook_reads_as_a_table_in_the_runs_font(sample_run):
    """Streamed row by row, every cell still has its style: the header bold
    and centred, the text wrapped at the top, the links as links; the
    header row stays in view, the table has a filter, the columns their widths."""
    root, _ = sample_run
    with Store(root / "data" / "ita.duckdb", read_only=True) as store:
        book = openpyxl.load_workbook(io.BytesIO(trace.trace_workbook_bytes(
            store, thai.label_key(BODY), YEAR, outbox_folder=year_folder(root), data=root / "data", today=TODAY,
            font=FONT)))
    assert book.sheetnames == [title for title, _ in trace.SHEETS]
    for sheet in book:
        header, *body = list(sheet.iter_rows())
        assert [c.value for c in header] == [title for title, _ in trace.HEADERS]
        assert all(c.font.name == FONT and c.font.b and c.alignment.horizontal == "center" for c in header)
        assert sheet.freeze_panes == "A2"
        assert [sheet.column_dimensions[c.column_letter].width for c in header] == [w for _, w in trace.HEADERS]
        assert sheet.auto_filter.ref == (f"A1:N{len(body) + 1}" if body else None)
        for row in body:
            *text, link = row
            assert all(c.font.name == FONT and c.font.sz == 14 and c.alignment.wrap_text
                       and c.alignment.vertical == "top" for c in text)
            assert [c.data_type for c in text if isinstance(c.value, str)] == ["s"] * sum(
                isinstance(c.value, str) for c in text)
            assert link.value == trace.LINK_TEXT and link.hyperlink is not None
            assert link.font.name == FONT and link.font.u == "single"
    assert sum(1 for sheet in book for _ in sheet.iter_rows(min_row=2)) > 100


def cell_lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text.strip()]


def printed_bullets(path: Path, columns: dict[int, str]) -> list[tuple[str, str]]:
    """(document column, bullet key) of every line a DOCX table prints in the
    given columns (index → the trace's name for it), header rows left out."""
    lines = []
    for table in Document(str(path)).tables:
        for row in table.rows[1:]:
            for index, column in columns.items():
                lines += [(column, records.bullet_key(text)) for text in cell_lines(row.cells[index])]
    return lines


def traced_bullets(rows: list[dict], document: str, columns: set[str]) -> list[tuple[str, str]]:
    return [(r["ส่วนในเอกสาร"], records.bullet_key(r["ข้อความ"])) for r in rows
            if r["เอกสาร"] == document and r["ส่วนในเอกสาร"] in columns]


@pytest.mark.parametrize(("document", "sheet", "at_least"), [
    (f"รายงานผลการดำเนินการตามมาตรการ_{YEAR}.docx", "รายงานสรุปผล", 50),
    (f"รายงานผลการดำเนินการตามมาตรการ_รอบ6เดือน_{YEAR}.docx", "รายงานรอบ 6 เดือน", 20),
], ids=["year", "half-year"])
def test_report_bullets_are_exactly_the_traced_lines(traced, document, sheet, at_least):
    root, sheets, received = traced
    columns = {4: "สรุปผลการดำเนินการ", 5: "ผลลัพธ์/ความสำเร็จ"}
    printed = printed_bullets(year_folder(root) / document, columns)
    rows = sheets[sheet]
    assert len(printed) > at_least
    assert traced_bullets(rows, document, set(columns.values())) == printed
    for r in rows:
        if r["ส่วนในเอกสาร"] in columns.values():
            assert r["ชื่อไฟล์ที่ส่ง"].split("\n")[0] in received
            assert r["ส่วนราชการ"] and r["เดือน"] and r["เซลล์"] and r["บรรทัดที่ในเซลล์"]


def test_the_half_year_lines_come_from_october_to_march(traced):
    _, sheets, _ = traced
    months = {r["เดือน"].split()[0] for r in sheets["รายงานรอบ 6 เดือน"] if r["เดือน"]}
    assert "ตุลาคม" in months and months <= {"ตุลาคม", "พฤศจิกายน", "ธันวาคม", "มกราคม", "กุมภาพันธ์", "มีนาคม"}


def test_before_march_is_over_the_trace_has_no_half_year_lines(sample_run):
    root, _ = sample_run
    with Store(root / "data" / "ita.duckdb", read_only=True) as store:
        sheets = trace_rows(trace.trace_workbook_bytes(store, thai.label_key(BODY), YEAR, outbox_folder=year_folder(root),
                                                       data=root / "data", today=date(2023, 3, 31), font=FONT))
    assert sheets["รายงานรอบ 6 เดือน"] == [] and sheets["รายงานสรุปผล"]


def test_monthly_report_bullets_are_exactly_the_traced_lines(traced):
    root, sheets, received = traced
    columns = {2: "การดำเนินงานในเดือนนี้", 3: "ผลการดำเนินการ", 4: "ผลลัพธ์/ความสำเร็จ"}
    rows = sheets["รายงานประจำเดือน"]
    documents = sorted((year_folder(root) / "รายงานประจำเดือน").glob("*.docx"))
    assert len(documents) == 12
    for path in documents:
        document = f"รายงานประจำเดือน/{path.name}"
        printed = printed_bullets(path, columns)
        assert printed, path.name
        assert traced_bullets(rows, document, set(columns.values())) == printed, path.name
    assert {r["ชื่อไฟล์ที่ส่ง"].split("\n")[0] for r in rows} <= received


def test_each_traced_cell_holds_its_line_in_the_archived_original(traced):
    root, sheets, _ = traced
    folder = year_folder(root)
    by_file: dict[Path, list[dict]] = defaultdict(list)
    for r in sheets["รายงานสรุปผล"] + sheets["รายงานประจำเดือน"] + sheets["คะแนน ITA"]:
        original = (folder / r["link"]).resolve()
        assert original.is_relative_to((root / "data" / "archive").resolve())
        if r["เซลล์"]:
            by_file[original].append(r)
    assert len(by_file) > 60  # the setup and the monthly sheets that count
    for original, rows in by_file.items():
        with ExcelBook(original) as book:
            grids = {}
            for r in rows:
                grid = grids.get(r["แผ่นงาน"]) or grids.setdefault(r["แผ่นงาน"], book.grid(book.find_sheet(r["แผ่นงาน"])))
                col = openpyxl.utils.column_index_from_string("".join(ch for ch in r["เซลล์"] if ch.isalpha()))
                value = grid.value(r["แถว"], col)
                if r["แผ่นงาน"] == "ผลITA":
                    assert thai.to_thai_digits(f"{float(value):.2f}") in r["ข้อความ"]
                else:
                    assert records.lines(value)[r["บรรทัดที่ในเซลล์"] - 1] == r["ข้อความ"]


def test_memo_scores_name_their_setup_cells(traced):
    _, sheets, _ = traced
    scores = sheets["คะแนน ITA"]
    assert {r["ชื่อไฟล์ที่ส่ง"] for r in scores} == {SAMPLE_SETUP.name}
    this_year = [r for r in scores if r["ส่วนในเอกสาร"].startswith("คะแนน ITA และระดับ")]
    assert len(this_year) == 1 and f"ปี {thai.to_thai_digits(YEAR)}" in this_year[0]["ข้อความ"]


@pytest.mark.parametrize("original, folder, expected", [
    ("/srv/ita/data/archive/ab.xlsx", "/srv/ita/outbox/อบต.ตาอ็อง/2566", "../../../data/archive/ab.xlsx"),
    ("/srv/ita/data/archive/cd.xlsx", "/srv/ita/data", "archive/cd.xlsx"),
    ("/mnt/share/archive/ef.xlsx", "/srv/outbox/เทศบาลตำบลทดลอง/2566", "file:///mnt/share/archive/ef.xlsx"),
])
def test_link_to_the_original_is_relative_when_the_folders_share_a_parent(original, folder, expected):
    assert trace.original_link(Path(original), Path(folder)) == expected


def take_in(root: Path) -> Path:
    """The inbox into the store, without Prefect or documents."""
    config = settings.resolve(inbox=str(root / "inbox"), outbox=str(root / "outbox"), data=str(root / "data"),
                              settle_seconds="0")
    files = scan(config.inbox, 0).ready
    with Store(config.database) as store:
        load(read_and_validate(files, isolated=False), store, config, now=datetime(2023, 5, 2, 8, 30))
    return config.database


ROW = {"การดำเนินงานในเดือนนี้": "ประชุมชี้แจง", "สถานะ": "อยู่ระหว่างดำเนินการ", "ร้อยละความคืบหน้า": 30}


@pytest.mark.parametrize("inserted", [1, 3])
def test_a_clerk_who_moved_columns_gets_the_cell_where_the_line_is(tmp_path, inserted):
    (tmp_path / "inbox").mkdir()
    shutil.copy(SAMPLE_SETUP, tmp_path / "inbox" / SAMPLE_SETUP.name)
    path = monthly_sheet(tmp_path / "inbox" / "รายงาน กองคลัง ตุลาคม.xlsx",
                         rows=[{**ROW, "ผลการดำเนินการ": "-จัดทำคำสั่ง\n-รายงานผู้บริหาร ๒ ครั้ง"}])
    book = fill.open_book(path)
    sheet = book["รายงานประจำเดือน"]
    header = fill.header_row(sheet, "ลำดับมาตรการ")
    result_col = fill.header_columns(sheet, header)["ผลการดำเนินการ"]
    sheet.insert_cols(result_col, inserted)  # a clerk's own columns before ผลการดำเนินการ
    fill.save(book, path, datetime(2022, 11, 5, 9, 0))
    database = take_in(tmp_path)
    with Store(database, read_only=True) as store:
        found = trace.find(store, "รายงานผู้บริหาร 2 ครั้ง")
    # The consolidated report, the half-year report (October is in it; March is long over) and October's report.
    assert sorted(f.source.document for f in found) == ["รายงานประจำเดือน/2565-10_ตุลาคม.docx",
                                                        "รายงานผลการดำเนินการตามมาตรการ_2566.docx",
                                                        "รายงานผลการดำเนินการตามมาตรการ_รอบ6เดือน_2566.docx"]
    letter = openpyxl.utils.get_column_letter(result_col + inserted)
    assert {(f.source.cell, f.source.line_no) for f in found} == {(f"{letter}{header + 1}", 2)}
    assert {f.source.file_names for f in found} == {("รายงาน กองคลัง ตุลาคม.xlsx",)}


@pytest.mark.parametrize("typed", [
    "รายงานผลการปฏิบัติงานด้านประชาสัมพันธ์ให้ผู้บริหารทราบ ทุกสิ้นเดือน",
    "- รายงานผลการปฏิบัติงานด้านประชาสัมพันธ์ให้ผู้บริหารทราบ   ทุกสิ้นเดือน",
    "รายงานผลการปฏิบัติงานด้านประชาสัมพันธ์ให้ผู้บริหารทราบทุกสิ้นเดือน",
])
def test_ita_trace_prints_where_a_sentence_came_from(traced, typed):
    root, sheets, _ = traced
    expected = [r for r in sheets["รายงานสรุปผล"] + sheets["รายงานรอบ 6 เดือน"] + sheets["รายงานประจำเดือน"]
                if records.bullet_key(r["ข้อความ"]) == records.bullet_key(typed)]
    assert expected
    shown = CliRunner().invoke(main, ["trace", typed, "--data", str(root / "data")])
    assert shown.exit_code == 0, shown.output
    assert f"ที่มา {len(expected)} จาก {len(expected)}" in shown.output
    for r in expected:
        assert r["ชื่อไฟล์ที่ส่ง"] in shown.output and f"เซลล์ {r['เซลล์']}" in shown.output


def test_ita_trace_finds_a_line_that_holds_the_words_and_digits_in_either_script(traced):
    root, sheets, _ = traced
    line = next(r for r in sheets["รายงานสรุปผล"] if any(ch in "๐๑๒๓๔๕๖๗๘๙" for ch in r["ข้อความ"][3:]))
    typed = thai.to_arabic_digits(line["ข้อความ"][3:])
    shown = CliRunner().invoke(main, ["trace", typed, "--data", str(root / "data")])
    assert shown.exit_code == 0, shown.output
    assert line["ชื่อไฟล์ที่ส่ง"] in shown.output


def test_ita_trace_says_so_when_no_document_has_the_sentence(traced):
    root, _, _ = traced
    shown = CliRunner().invoke(main, ["trace", "ข้อความที่ไม่มีในเอกสาร", "--data", str(root / "data")])
    assert shown.exit_code == 1
    assert shown.output.strip() == "ไม่พบข้อความ 'ข้อความที่ไม่มีในเอกสาร' ในเอกสารของหน่วยงานใด"


def test_ita_trace_before_any_run(tmp_path):
    shown = CliRunner().invoke(main, ["trace", "อะไรก็ได้", "--data", str(tmp_path / "data")])
    assert shown.exit_code == 1
    assert shown.output.strip() == "ยังไม่มีข้อมูล: ให้รัน ita run ก่อน"


def test_ita_trace_has_thai_help():
    shown = CliRunner().invoke(main, ["trace", "--help"])
    assert shown.exit_code == 0
    assert "Usage: ita trace [OPTIONS] TEXT" in shown.output
    assert "ที่มาของข้อความหนึ่งในเอกสาร" in shown.output


@pytest.mark.parametrize("col, cell, where", [
    (4, "D12", "แถว 12 เซลล์ D12 บรรทัดที่ 2 ในเซลล์"),
    (28, "AB12", "แถว 12 เซลล์ AB12 บรรทัดที่ 2 ในเซลล์"),
    (None, "", "แถว 12 บรรทัดที่ 2 ในเซลล์"),  # a sheet taken in before column positions were kept
])
def test_lineage_names_the_cell_when_its_column_is_known(col, cell, where):
    source = trace.Source(
        document="รายงานประจำเดือน/2565-11_พฤศจิกายน.docx", measure_no=3, measure="เพิ่มกลไกกำกับการจัดซื้อจัดจ้าง",
        column="ผลการดำเนินการ", text="-จัดทำรายงานการจัดซื้อจัดจ้างประจำเดือน", division="กองคลัง",
        month=datetime(2022, 11, 1).date(), file_names=("รายงาน_กองคลัง_พ.ย.๖๕.xlsx", "สำเนา.xlsx"),
        sheet="รายงานประจำเดือน", row=12, col=col, line_no=2, received_at=datetime(2022, 12, 5, 8, 0),
        stored_path="/srv/ita/data/archive/ab.xlsx")
    assert source.cell == cell
    shown = dict(trace.lineage_lines(trace.Found("องค์การบริหารส่วนตำบลตาอ็อง", YEAR, source)))
    assert shown["ตำแหน่งในแผ่นงาน"] == where
    assert shown["ชื่อไฟล์ที่ส่ง"] == "รายงาน_กองคลัง_พ.ย.๖๕.xlsx, สำเนา.xlsx"
    assert shown["เดือน"] == "พฤศจิกายน ๒๕๖๕"
