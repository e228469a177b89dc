"""Recognise a workbook by its content and lift its labelled blocks out.

Nothing here judges values: that is the schemas' job (`ita.validate`), done
for a whole batch at once. Parsing only finds where things are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ita import emblem, thai
from ita.excel_read import Grid, UnreadableWorkbook, Workbook
from ita.problems import Problem
from ita.sheet_tables import (
    KeyValues,
    Record,
    Table,
    cell_value,
    find_header_row,
    header_columns,
    read_key_values,
    read_table,
    uncomputed_problem,
)
from schemas import monthly as monthly_schema
from schemas import setup as setup_schema

SETUP = "setup"
MONTHLY = "monthly"
UNKNOWN = "unknown"  # each named in words by ita.wording.KIND_WORDS


# Sheet of each setup schema.
SETUP_SHEETS = {
    "organisation": "หน่วยงาน",
    "divisions": "ส่วนราชการ",
    "signatories": "ผู้ลงนาม",
    "measures": "มาตรการ",
    "guidelines": "แนวทาง",
    "ita": "ผลITA",
}
SETUP_TABLES = {
    "divisions": (setup_schema.DIVISIONS, "division"),
    "signatories": (setup_schema.SIGNATORIES, "role"),
    "measures": (setup_schema.MEASURES, "group"),
    "guidelines": (setup_schema.GUIDELINES, "text"),
}
_YEAR_LABEL = re.compile(r"^(?:ปี)?(?:พ\.?ศ\.?)?(\d{4})$")


@dataclass
class ParsedFile:
    kind: str
    problems: list[Problem] = field(default_factory=list)
    sheets: dict[str, str] = field(default_factory=dict)  # block → sheet name
    blocks: dict[str, KeyValues] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    ita_names: dict[str, str] = field(default_factory=dict)  # indicator key → name
    ita_levels: list[Record] = field(default_factory=list)  # the ระดับ row, per year
    ita_years: dict[int, int] = field(default_factory=dict)  # Excel column → BE year
    emblem_image: bytes | None = None  # an image pasted into the หน่วยงาน sheet, unchecked


def parse_workbook(path: Path) -> ParsedFile:
    try:
        with Workbook(path) as book:
            if book.find_sheet(SETUP_SHEETS["organisation"]) and book.find_sheet(SETUP_SHEETS["measures"]):
                return _parse_setup(book)
            sheet = book.find_sheet(monthly_schema.SHEET)
            if sheet:
                return _parse_monthly(book.grid(sheet))
            return ParsedFile(UNKNOWN, [_not_our_form(book.sheet_names)])
    except UnreadableWorkbook as error:
        return ParsedFile(UNKNOWN, [Problem(error.reason)])


def _not_our_form(sheet_names: list[str]) -> Problem:
    shown = ", ".join(f"'{n}'" for n in sheet_names[:5]) or "ไม่มี"
    return Problem(
        f"ไม่ใช่แบบฟอร์มของระบบ: ไม่พบแผ่นงาน '{monthly_schema.SHEET}' (รายงานประจำเดือน) "
        f"หรือแผ่นงาน '{SETUP_SHEETS['organisation']}' และ '{SETUP_SHEETS['measures']}' (ข้อมูลประจำปี) "
        f"— แผ่นงานในไฟล์: {shown}",
        hint="ใช้แบบฟอร์มจากคำสั่ง ita template แล้วส่งอีกครั้ง",
    )


def _parse_monthly(grid: Grid) -> ParsedFile:
    parsed = ParsedFile(MONTHLY, sheets={"header": grid.name, "rows": grid.name})
    table, problems = read_table(grid, monthly_schema.ROWS, anchor="measure_no")
    parsed.problems += problems
    last_header_row = table.header_row - 1 if table else None
    header, problems = read_key_values(grid, monthly_schema.HEADER, last_header_row)
    parsed.problems += problems
    parsed.blocks["header"] = header
    if table:
        parsed.tables["rows"] = table
    return parsed


def _parse_setup(book: Workbook) -> ParsedFile:
    parsed = ParsedFile(SETUP)
    grids: dict[str, Grid] = {}
    for block, sheet_label in SETUP_SHEETS.items():
        name = book.find_sheet(sheet_label)
        if name is None:
            parsed.problems.append(
                Problem(f"ไม่พบแผ่นงาน '{sheet_label}'", hint=f"เพิ่มแผ่นงานชื่อ '{sheet_label}' ตามแบบฟอร์มข้อมูลประจำปี")
            )
            continue
        parsed.sheets[block] = name
        grids[block] = book.grid(name)
    if "organisation" in grids:
        block, problems = read_key_values(grids["organisation"], setup_schema.ORGANISATION)
        parsed.blocks["organisation"] = block
        parsed.problems += problems
        parsed.emblem_image = emblem.embedded_image(book.path, parsed.sheets["organisation"])
    for block, (schema, anchor) in SETUP_TABLES.items():
        if block in grids:
            table, problems = read_table(grids[block], schema, anchor)
            parsed.problems += problems
            if table:
                parsed.tables[block] = table
    if "ita" in grids:
        _parse_ita_sheet(grids["ita"], parsed)
    return parsed


def _parse_ita_sheet(grid: Grid, parsed: ParsedFile) -> None:
    """Sheet ผลITA is wide: one column per year. It becomes one score record
    per (row, year) so each score keeps its own cell for error messages."""
    header_row = find_header_row(grid, setup_schema.ITA_KEY_LABEL)
    if header_row is None:
        parsed.problems.append(
            Problem(
                f"ไม่พบแถวหัวตารางที่มีคอลัมน์ '{setup_schema.ITA_KEY_LABEL}'",
                sheet=grid.name,
                hint="ใช้แบบฟอร์มข้อมูลประจำปีจากคำสั่ง ita template",
            )
        )
        return
    labels = header_columns(grid, header_row)
    key_col = labels[thai.label_key(setup_schema.ITA_KEY_LABEL)]
    name_col = labels.get(thai.label_key(setup_schema.ITA_NAME_LABEL))
    for key, col in labels.items():
        match = _YEAR_LABEL.match(key)
        if match:
            parsed.ita_years[col] = thai.be_year(int(match.group(1)))
    if not parsed.ita_years:
        parsed.problems.append(
            Problem(
                "ไม่พบคอลัมน์ปีในแถวหัวตาราง เช่น 'ปี 2566'",
                sheet=grid.name,
                row=header_row,
                hint="เพิ่มคอลัมน์คะแนนของแต่ละปี หัวคอลัมน์เขียนว่า ปี 2566",
            )
        )
    records = []
    for row in range(header_row + 1, grid.height + 1):
        key = cell_value(grid.value(row, key_col))
        if key is None:
            continue
        key_text = thai.to_arabic_digits(thai.one_line(key)).upper() if isinstance(key, str) else str(key)
        if name_col:
            name = thai.one_line(grid.value(row, name_col))
            if name:
                parsed.ita_names[key_text] = name
        for col in parsed.ita_years:
            value = cell_value(grid.value(row, col))
            if (row, col) in grid.uncomputed:
                parsed.problems.append(uncomputed_problem(grid, row, col, f"ปี {parsed.ita_years[col]}"))
            cols = {"key": key_col, "score": col}
            if thai.label_key(key_text) == thai.label_key(setup_schema.ITA_LEVEL_KEY):
                if value is not None:
                    parsed.ita_levels.append(Record(row, {"level": value, "year": parsed.ita_years[col]}, cols))
            else:
                records.append(Record(row, {"key": key_text, "score": value, "year": parsed.ita_years[col]}, cols))
    parsed.sheets["ita"] = grid.name
    parsed.tables["ita"] = Table(header_row, {"key": key_col}, records)
