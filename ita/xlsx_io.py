"""Saving workbooks byte-for-byte reproducibly (openpyxl stamps "now" into
docProps on every save)."""

from __future__ import annotations

import io
from datetime import datetime
from zipfile import ZIP_DEFLATED, ZipFile

from lxml import etree
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.writer.excel import ExcelWriter

from ita.docx_fonts import deterministic_zip_bytes


def set_text(cell: Cell, value: object) -> None:
    """Write user text as text: a value starting with = + - @ must never
    become a live formula in a workbook a clerk opens."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def workbook_bytes(book: Workbook, saved_at: datetime | None = None) -> bytes:
    """The workbook as .xlsx bytes. `saved_at` is the date its properties
    show (Excel's Created and Modified): that of the data it is made from, so
    the same data gives the same file. Without one no date is written, since
    openpyxl's "now" would be neither true of the data nor reproducible."""
    # openpyxl cannot leave the dates out: a placeholder, removed below.
    book.properties.created = book.properties.modified = (saved_at or _PLACEHOLDER).replace(microsecond=0, tzinfo=None)
    if book.properties.creator in (None, "", "openpyxl"):
        book.properties.creator = "ita"
    buffer = io.BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()
    with ZipFile(buffer) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    if saved_at is None:
        members[_CORE] = _without_dates(members[_CORE])
    return deterministic_zip_bytes(members)


_CORE = "docProps/core.xml"
_PLACEHOLDER = datetime(1900, 1, 1)


def _without_dates(core: bytes) -> bytes:
    root = etree.fromstring(core)
    for element in root.findall("{http://purl.org/dc/terms/}*"):
        if element.tag.endswith(("}created", "}modified")):
            root.remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
