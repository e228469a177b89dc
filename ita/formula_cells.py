"""Formula cells that carry no computed value.

A workbook stores each formula's last computed value beside it; Excel and
LibreOffice always do, but openpyxl and many scripts write the formula
alone. calamine reads only the stored value, so such a cell would read as
blank: it must be named to the clerk instead (open and save the file in
Excel or LibreOffice, which compute and store the values).

.xls needs no check: a BIFF formula record always holds its result.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from html import unescape
from xml.etree import ElementTree

Cell = tuple[int, int]  # Excel's (row, column), 1-based

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_XLSX_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def uncomputed(archive: zipfile.ZipFile | None, sheet: str) -> dict[Cell, str]:
    """(row, column) → formula text of each formula cell of `sheet` that has
    no stored value. Empty when the workbook is not a zip package (`archive`
    None: .xls) or has none."""
    if archive is None:
        return {}
    try:
        names = set(archive.namelist())
        if "content.xml" in names:
            return _ods(archive.read("content.xml"), sheet)
        part = _xlsx_part(archive, sheet) if "xl/workbook.xml" in names else None
        if part is None or part not in names:
            return {}
        return _xlsx(archive.read(part))
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, ElementTree.ParseError):
        return {}  # the reader itself reports a broken file


_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


def _attributes(tag: bytes) -> dict[bytes, str]:
    return {name.split(b":")[-1] if name != b"r:id" else b"r:id": unescape(value.decode("utf-8"))
            for name, value in _ATTRIBUTE.findall(tag)}


def _xlsx_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The part holding `sheet`, by workbook.xml and its relationships (read
    by pattern: this runs on every file of a night, and a full XML parse of
    both cost more than the check itself)."""
    rel_id = None
    for tag in _SHEET_ENTRY.findall(archive.read("xl/workbook.xml")):
        attributes = _attributes(tag)
        if attributes.get(b"name") == sheet:
            rel_id = next((v for k, v in attributes.items() if k in (b"r:id", b"id")), None)
            break
    if rel_id is None:
        return None
    for tag in _RELATIONSHIP.findall(archive.read("xl/_rels/workbook.xml.rels")):
        attributes = _attributes(tag)
        if attributes.get(b"Id") == rel_id:
            target = attributes.get(b"Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return None


def _xlsx(data: bytes) -> dict[Cell, str]:
    if not _XLSX_FORMULA.search(data):
        return {}
    found: dict[Cell, str] = {}
    for cell in ElementTree.fromstring(data).iter(f"{_MAIN}c"):
        formula = cell.find(f"{_MAIN}f")
        if formula is None:
            continue
        value = cell.find(f"{_MAIN}v")
        # t="str" with an empty <v>: a formula whose value is the empty text.
        if (value is None or not value.text) and cell.get("t") != "str":
            match = _CELL_REF.fullmatch(cell.get("r", ""))
            if match:
                found[(int(match.group(2)), _column_number(match.group(1)))] = "=" + (formula.text or "")
    return found


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _ods(data: bytes, sheet: str) -> dict[Cell, str]:
    """LibreOffice writes a value type on every computed formula cell, and a
    paragraph even when the value is the empty text; a formula cell with
    neither was never computed."""
    if b"table:formula=" not in data:
        return {}
    table = next((t for t in ElementTree.fromstring(data).iter(f"{_TABLE}table") if t.get(f"{_TABLE}name") == sheet),
                 None)
    if table is None:
        return {}
    found: dict[Cell, str] = {}
    row = 0
    for row_element in table.iter(f"{_TABLE}table-row"):
        rows = int(row_element.get(f"{_TABLE}number-rows-repeated", "1"))
        col = 0
        for cell in row_element:
            if cell.tag not in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
                continue
            cols = int(cell.get(f"{_TABLE}number-columns-repeated", "1"))
            formula = cell.get(f"{_TABLE}formula")
            if (formula and cell.get(f"{_OFFICE}value-type") is None
                    and cell.find(f"{_TEXT}p") is None):
                for r in range(rows):
                    for c in range(cols):
                        found[(row + r + 1, col + c + 1)] = re.sub(r"^of:", "", formula)
            col += cols
        row += rows
    return found
