"""Find labelled blocks in a sheet wherever the clerk put them.

Two shapes occur in our workbooks: a key/value block (label in column A,
value in column B) and a table under a header row. Labels are matched with
`thai.label_key`, so spacing, line breaks and Thai digits do not matter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandera.pandas as pa

from ita import thai
from ita.excel_read import Grid
from ita.problems import Problem


def cell_value(value: object) -> object:
    """A cell as the schemas see it: text cleaned, blanks None, 3.0 → 3."""
    if value is None:
        return None
    if isinstance(value, str):
        text = thai.clean_text(value)
        return text or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def uncomputed_problem(grid: Grid, row: int, col: int, label: str) -> Problem:
    return Problem(
        "เซลล์นี้เป็นสูตรที่ไม่มีค่าที่คำนวณไว้ในไฟล์ ระบบจึงอ่านค่าของเซลล์นี้ไม่ได้",
        sheet=grid.name, row=row, col=col, label=label, value=grid.uncomputed[(row, col)],
        hint="เปิดไฟล์ใน Excel หรือ LibreOffice แล้วกดบันทึก (โปรแกรมจะคำนวณสูตรและเก็บค่าไว้ในไฟล์) แล้วส่งไฟล์อีกครั้ง",
    )


@dataclass
class KeyValues:
    values: dict[str, object] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # field → Excel row


def read_key_values(grid: Grid, schema: pa.DataFrameSchema, last_row: int | None = None) -> tuple[KeyValues, list[Problem]]:
    wanted = {thai.label_key(col.title): name for name, col in schema.columns.items()}
    found = KeyValues()
    problems = []
    for row in range(1, (last_row or grid.height) + 1):
        name = wanted.get(thai.label_key(grid.value(row, 1)))
        if name and name not in found.rows:
            found.rows[name] = row
            found.values[name] = cell_value(grid.value(row, 2))
            if (row, 2) in grid.uncomputed:
                problems.append(uncomputed_problem(grid, row, 2, schema.columns[name].title))
    problems += [
        Problem(
            f"ไม่พบหัวข้อ '{col.title}' ในคอลัมน์ A",
            sheet=grid.name,
            label=col.title,
            hint=f"เพิ่มแถวที่คอลัมน์ A เขียนว่า '{col.title}' และคอลัมน์ B เป็นค่า ({col.description})",
        )
        for name, col in schema.columns.items()
        if col.required and name not in found.rows
    ]
    return found, problems


@dataclass
class Record:
    row: int  # Excel row
    values: dict[str, object]  # field → cell value
    cols: dict[str, int]  # field → Excel column


@dataclass
class Table:
    header_row: int
    columns: dict[str, int]  # field → Excel column
    records: list[Record]


def find_header_row(grid: Grid, label: str, first_row: int = 1) -> int | None:
    key = thai.label_key(label)
    for row in range(first_row, grid.height + 1):
        for cell in grid.rows[row - 1]:
            if cell is not None and thai.label_key(cell) == key:
                return row
    return None


def header_columns(grid: Grid, row: int) -> dict[str, int]:
    """label_key → first column holding it, in the given row."""
    columns: dict[str, int] = {}
    for col, cell in enumerate(grid.rows[row - 1], start=1):
        key = thai.label_key(cell)
        if key and key not in columns:
            columns[key] = col
    return columns


def read_table(grid: Grid, schema: pa.DataFrameSchema, anchor: str, first_row: int = 1) -> tuple[Table | None, list[Problem]]:
    """The table whose header row holds the `anchor` field's label."""
    anchor_label = schema.columns[anchor].title
    header_row = find_header_row(grid, anchor_label, first_row)
    if header_row is None:
        return None, [
            Problem(
                f"ไม่พบแถวหัวตารางที่มีคอลัมน์ '{anchor_label}'",
                sheet=grid.name,
                label=anchor_label,
                hint="ใช้แบบฟอร์มจากคำสั่ง ita template โดยไม่ลบหรือแก้ชื่อหัวคอลัมน์",
            )
        ]
    labels = header_columns(grid, header_row)
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for name, col in schema.columns.items():
        where = labels.get(thai.label_key(col.title))
        if where:
            columns[name] = where
        elif col.required:
            problems.append(
                Problem(
                    f"ไม่พบคอลัมน์ '{col.title}' ในแถวหัวตาราง",
                    sheet=grid.name,
                    row=header_row,
                    label=col.title,
                    hint=f"เพิ่มคอลัมน์ '{col.title}' ในแถว {header_row} ({col.description})",
                )
            )
    records = []
    for row in range(header_row + 1, grid.height + 1):
        record = {name: cell_value(grid.value(row, col)) for name, col in columns.items()}
        formulas = [name for name, col in columns.items() if (row, col) in grid.uncomputed]
        if any(v is not None for v in record.values()) or formulas:
            records.append(Record(row, record, columns))
        problems += [uncomputed_problem(grid, row, columns[name], schema.columns[name].title) for name in formulas]
    return Table(header_row, columns, records), problems
