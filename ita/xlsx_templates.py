"""Blank, ready-to-fill workbooks of each kind, laid out from the schemas
(labels, help, widths and dropdown choices are declared there once)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandera.pandas as pa
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ita import thai
from ita.parse import SETUP_SHEETS
from ita.settings import SETTINGS_BY_NAME
from ita.xlsx_io import INPUT_FILL, LABEL_FILL, fit_rows, line_height, print_setup, set_text, style_like, workbook_bytes
from schemas import monthly as monthly_schema
from schemas import setup as setup_schema

FONT = SETTINGS_BY_NAME["font"].default  # the documents' font unless the run names another
LISTS_SHEET = "รายการ"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = LABEL_FILL
# Indicator names as NACC numbers them (docs/ita-domain.md); a body may
# overwrite them with the wording of its own result sheet.
INDICATOR_NAMES = (
    "การปฏิบัติหน้าที่", "การใช้งบประมาณ", "การใช้อำนาจ", "การใช้ทรัพย์สินของราชการ",
    "การแก้ไขปัญหาการทุจริต", "คุณภาพการดำเนินงาน", "ประสิทธิภาพการสื่อสาร",
    "การปรับปรุงระบบการทำงาน", "การเปิดเผยข้อมูล", "การป้องกันการทุจริต",
)
LABEL_WIDTH = 16
TABLE_BODY_ROWS = 30  # rows given borders and dropdowns below a table header


def _font(font: str, bold: bool = False, size: int = 14) -> Font:
    return Font(name=font, size=size, bold=bold)


def _header_row(sheet: Worksheet, row: int, schema: pa.DataFrameSchema, font: str) -> dict[str, int]:
    """Write the schema's labels as a header row; each carries its help as a
    comment. Returns field → column."""
    columns = {}
    for col, (name, column) in enumerate(schema.columns.items(), start=1):
        cell = sheet.cell(row, col)
        set_text(cell, column.title)
        cell.font = _font(font, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if column.description:
            cell.comment = Comment(column.description, "ita")
        sheet.column_dimensions[get_column_letter(col)].width = column.metadata["width"]
        columns[name] = col
    model = sheet.cell(row + 1, 1)
    model.border = _BORDER
    model.font = _font(font)
    model.fill = INPUT_FILL
    model.alignment = Alignment(vertical="top", wrap_text=True)
    for r in range(row + 1, row + 1 + TABLE_BODY_ROWS):
        for col in columns.values():
            style_like(sheet.cell(r, col), model)
    sheet.freeze_panes = sheet.cell(row + 1, 1)
    fit_rows(sheet, [row])
    wide = sum(sheet.column_dimensions[get_column_letter(c)].width or 9 for c in columns.values()) > 90
    print_setup(sheet, landscape=wide, title_rows=f"{row}:{row}")
    return columns


def _key_value_block(sheet: Worksheet, first_row: int, schema: pa.DataFrameSchema, values: dict[str, object],
                     font: str) -> dict[str, int]:
    rows = {}
    for r, (name, column) in enumerate(schema.columns.items(), start=first_row):
        label = sheet.cell(r, 1)
        set_text(label, column.title)
        label.font = _font(font, bold=True)
        label.fill = _HEADER_FILL
        label.border = _BORDER
        if column.description:
            label.comment = Comment(column.description, "ita")
        label.alignment = Alignment(vertical="center", wrap_text=True)
        value = sheet.cell(r, 2)
        set_text(value, values.get(name))
        value.font = _font(font)
        value.border = _BORDER
        value.fill = INPUT_FILL
        value.alignment = Alignment(vertical="center", wrap_text=True)
        rows[name] = r
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = max(c.metadata["width"] for c in schema.columns.values())
    return rows


def _list_validation(sheet: Worksheet, choices: list[str], cells: str, lists: Worksheet, list_col: int, title: str) -> None:
    """A dropdown from a column of the hidden lists sheet (an inline list is
    limited to 255 characters and Thai names overrun it)."""
    for r, choice in enumerate(choices, start=1):
        set_text(lists.cell(r, list_col), choice)
    letter = get_column_letter(list_col)
    source = f"{quote_sheetname(lists.title)}!${letter}$1:${letter}${max(len(choices), 1)}"
    validation = DataValidation(type="list", formula1=f"={source}", allow_blank=True,
                                showErrorMessage=True, errorTitle=title,
                                error=f"เลือก{title}จากรายการ")
    validation.add(cells)
    sheet.add_data_validation(validation)


def _finish(book: Workbook) -> bytes:
    for sheet in book.worksheets:
        # 14 pt Thai needs 21 pt rows; Excel's default of 15 cuts the marks above the letters.
        sheet.sheet_format.defaultRowHeight = line_height(14)
        sheet.sheet_format.customHeight = True
    return workbook_bytes(book)


@dataclass(frozen=True)
class SetupPrefill:
    """What a setup workbook starts from (another year's setup): values by
    the schemas' field names, one dict per row of each table sheet."""

    organisation: dict[str, object]
    divisions: list[dict[str, object]]
    signatories: list[dict[str, object]]
    measures: list[dict[str, object]]
    guidelines: list[dict[str, object]]
    ita_names: dict[str, str]  # ผลITA key → the name in column B
    ita_values: dict[tuple[str, int], object]  # (ผลITA key, BE year) → score or announced level
    first_year: int  # the ผลITA sheet's first year column
    emblem_image: bytes | None = None


def setup_template(fiscal_year: int, years_back: int = 4, *, font: str = FONT,
                   prefill: SetupPrefill | None = None) -> bytes:
    """The year's setup workbook, blank but for its labels and the ผลITA
    keys; or filled from `prefill`, the layout the same."""
    book = Workbook()
    org = book.active
    org.title = SETUP_SHEETS["organisation"]
    set_text(org.cell(1, 1), f"{setup_schema.TITLE} ปีงบประมาณ พ.ศ. {fiscal_year}")
    org.cell(1, 1).font = _font(font, bold=True, size=16)
    values = {**(prefill.organisation if prefill else {}), "fiscal_year": fiscal_year}
    rows = _key_value_block(org, 3, setup_schema.ORGANISATION, values, font)
    fit_rows(org, [1, *rows.values()])
    print_setup(org, landscape=False)
    if prefill and prefill.emblem_image:
        _paste_image(org, prefill.emblem_image, f"D{rows['name']}")

    lists = book.create_sheet(LISTS_SHEET)
    for block, schema in (("divisions", setup_schema.DIVISIONS), ("signatories", setup_schema.SIGNATORIES),
                          ("measures", setup_schema.MEASURES), ("guidelines", setup_schema.GUIDELINES)):
        sheet = book.create_sheet(SETUP_SHEETS[block], index=len(book.sheetnames) - 1)
        columns = _header_row(sheet, 1, schema, font)
        if prefill:
            table = getattr(prefill, block)
            for r, values in enumerate(table, start=2):
                for name, value in values.items():
                    set_text(sheet.cell(r, columns[name]), value)
            fit_rows(sheet, range(2, 2 + len(table)))
        elif block == "signatories":
            set_text(sheet.cell(2, columns["order"]), 1)
            set_text(sheet.cell(2, columns["role"]), setup_schema.PREPARER_ROLE)
        if block == "measures":
            letter = get_column_letter(columns["group"])
            _list_validation(sheet, list(setup_schema.GROUPS), f"{letter}2:{letter}{TABLE_BODY_ROWS + 1}",
                             lists, 1, "กลุ่มการประเมิน")

    ita = book.create_sheet(SETUP_SHEETS["ita"], index=len(book.sheetnames) - 1)
    first_year = min(prefill.first_year, fiscal_year - years_back) if prefill else fiscal_year - years_back
    years = list(range(first_year, fiscal_year + 1))
    header = [setup_schema.ITA_KEY_LABEL, setup_schema.ITA_NAME_LABEL] + [f"{setup_schema.ITA_YEAR_PREFIX} {y}" for y in years]
    for col, text in enumerate(header, start=1):
        cell = ita.cell(1, col)
        set_text(cell, text)
        cell.font = _font(font, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ita.column_dimensions[get_column_letter(col)].width = 12
    ita.column_dimensions["B"].width = 34
    fit_rows(ita, [1])
    print_setup(ita, landscape=True, title_rows="1:1")
    keys = [(setup_schema.ITA_TOTAL_KEY, "คะแนนภาพรวม"), (setup_schema.ITA_LEVEL_KEY, "ระดับผลการประเมินตามที่ประกาศ")]
    keys += list(zip(setup_schema.ITA_INDICATORS, INDICATOR_NAMES))
    keys += [(tool, f"คะแนนเครื่องมือ {tool}") for tool in setup_schema.ITA_TOOLS]
    if prefill:  # the EIT parts only where the year before gave them
        keys += [(part, f"คะแนนเครื่องมือ {part}") for part in setup_schema.ITA_TOOL_PARTS
                 if any(key == part for key, _ in prefill.ita_values)]
    for r, (key, name) in enumerate(keys, start=2):
        set_text(ita.cell(r, 1), key)
        set_text(ita.cell(r, 2), prefill.ita_names.get(key) or name if prefill else name)
        for col, year in enumerate(years, start=3):
            if prefill and (key, year) in prefill.ita_values:
                set_text(ita.cell(r, col), prefill.ita_values[(key, year)])
        for col in range(1, len(header) + 1):
            ita.cell(r, col).border = _BORDER
            ita.cell(r, col).font = _font(font)
            if col > 2:  # the scores are typed in; the keys and names are given
                ita.cell(r, col).fill = INPUT_FILL
    lists.sheet_state = "hidden"
    return _finish(book)


def _paste_image(sheet: Worksheet, data: bytes, anchor: str) -> None:
    import io

    from openpyxl.drawing.image import Image

    sheet.add_image(Image(io.BytesIO(data)), anchor)


@dataclass(frozen=True)
class MonthlyPlan:
    """What a monthly template needs from the year's setup."""

    body: str
    fiscal_year: int
    divisions: list[str]
    measures: list[tuple[int, str, list[str]]]  # (no, title, divisions responsible)


@dataclass(frozen=True)
class CarriedOver:
    """What a division last reported, to start its next sheet from: the
    reporter, and per measure the cells that accumulate over the year."""

    reporter: str = ""
    position: str = ""
    rows: dict[int, dict[str, object]] = field(default_factory=dict)  # measure_no → ROWS field → value

    # This month's work and its remark start blank: they are the month's own, not the year's.
    FIELDS = ("result", "outcome", "status", "progress", "evidence")


def monthly_template(plan: MonthlyPlan, division: str, month: tuple[int, int], *, font: str = FONT,
                     carried: CarriedOver | None = None) -> bytes:
    """A monthly sheet for one division and month: header pre-filled, the
    division's measures listed, dropdowns for division, month and status;
    with `carried`, what the division last reported filled in (the
    measures it reported on that are not its own by the plan included)."""
    carried = carried or CarriedOver()
    book = Workbook()
    sheet = book.active
    sheet.title = monthly_schema.SHEET
    lists = book.create_sheet(LISTS_SHEET)
    set_text(sheet.cell(1, 1), monthly_schema.TITLE)
    sheet.cell(1, 1).font = _font(font, bold=True, size=18)
    set_text(sheet.cell(2, 1), f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ปีงบประมาณ พ.ศ. {thai.to_thai_digits(plan.fiscal_year)}")
    sheet.cell(2, 1).font = _font(font, size=16)
    header_values = {
        "body": plan.body,
        "division": division,
        "month": thai.thai_month_year(*month),
        "reporter": carried.reporter or None,
        "position": carried.position or None,
    }
    header_rows = _key_value_block(sheet, 4, monthly_schema.HEADER, header_values, font)
    _list_validation(sheet, plan.divisions, f"B{header_rows['division']}", lists, 1, "ส่วนราชการ")
    months = [thai.thai_month_year(y, m) for y, m in thai.fiscal_months(plan.fiscal_year)]
    _list_validation(sheet, months, f"B{header_rows['month']}", lists, 2, "เดือน")

    table_row = max(header_rows.values()) + 2
    columns = _header_row(sheet, table_row, monthly_schema.ROWS, font)
    first, last = table_row + 1, table_row + TABLE_BODY_ROWS
    status = get_column_letter(columns["status"])
    _list_validation(sheet, list(monthly_schema.STATUSES), f"{status}{first}:{status}{last}", lists, 3, "สถานะ")
    progress = get_column_letter(columns["progress"])
    validation = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True,
                                showErrorMessage=True, errorTitle="ร้อยละความคืบหน้า",
                                error="กรอกตัวเลข 0 ถึง 100")
    validation.add(f"{progress}{first}:{progress}{last}")
    sheet.add_data_validation(validation)
    key = thai.label_key(division)
    mine = [(no, title) for no, title, responsible in plan.measures
            if key in {thai.label_key(d) for d in responsible} or no in carried.rows]
    for r, (no, title) in enumerate(mine, start=first):
        set_text(sheet.cell(r, columns["measure_no"]), no)
        set_text(sheet.cell(r, columns["measure_title"]), title)
        for name, value in carried.rows.get(no, {}).items():
            if name in CarriedOver.FIELDS and value is not None:
                set_text(sheet.cell(r, columns[name]), value)
    # Column A holds both the header block's labels and the table's first
    # column: wide enough for a label such as "วันที่รายงาน" on one line.
    sheet.column_dimensions["A"].width = max(sheet.column_dimensions["A"].width or 0, LABEL_WIDTH)
    fit_rows(sheet, [1, 2, *header_rows.values(), *range(first, first + len(mine))])
    lists.sheet_state = "hidden"
    return _finish(book)


def month_of_fiscal_year(text: str, fiscal_year: int | None = None) -> tuple[int, int]:
    """Parse a --month argument ("ตุลาคม 2565", "ต.ค. 65", "2022-10")."""
    parsed = thai.parse_month(text)
    if parsed is None and len(text) == 7 and text[4] == "-":
        parsed = thai.ce_year(int(text[:4])), int(text[5:])
    if parsed is None:
        raise ValueError(text)
    if fiscal_year and thai.fiscal_year(*parsed) != fiscal_year:
        raise ValueError(text)
    return parsed


def today_fiscal_year(today: date) -> int:
    return thai.fiscal_year(today.year, today.month)
