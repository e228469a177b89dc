"""Read any workbook a clerk may drop (.xlsx .xlsm .xls .ods) into plain grids.

python-calamine reads all four formats, never runs macros nor evaluates
formulas (it returns the cached value), and is 10× faster than openpyxl on
these sheets (docs/performance.md). Failures become `UnreadableWorkbook` with a Thai
reason, so one bad file never stops a run.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import msoffcrypto
import python_calamine as calamine

from ita import formula_cells, thai

# Refuse before parsing: a monthly sheet is a few hundred KB at most.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_CELLS = 2_000_000

ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff")  # PNG, JPEG: an emblem dropped in the inbox


class UnreadableWorkbook(Exception):
    """The file cannot be read as a workbook; `reason` is Thai, for the clerk."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Grid:
    """One sheet's values; row and column numbers are Excel's (1-based)."""

    name: str
    rows: list[list[object]]
    # (row, column) → formula text of formula cells with no stored value
    # (they read as blank): see ita.formula_cells.
    uncomputed: dict[tuple[int, int], str] = field(default_factory=dict)

    def value(self, row: int, col: int) -> object:
        if 1 <= row <= len(self.rows):
            cells = self.rows[row - 1]
            if 1 <= col <= len(cells):
                return cells[col - 1]
        return None

    def text(self, row: int, col: int) -> str:
        return thai.clean_text(self.value(row, col))

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def column_letter(col: int) -> str:
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _open(path: Path) -> calamine.CalamineWorkbook:
    """calamine takes a path as UTF-8 text; a name in another encoding (an
    old Thai Windows program's TIS-620) is opened here and read from the handle."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        with path.open("rb") as handle:
            return calamine.CalamineWorkbook.from_filelike(handle)
    return calamine.CalamineWorkbook.from_path(str(path))


class Workbook:
    """An open workbook: its sheet names, and grids read on demand."""

    def __init__(self, path: Path):
        self.path = path
        # Kept open for the formula check of each sheet read (ita.formula_cells).
        self._archive = _check_container(path)
        try:
            self._book = _open(path)
            self._meta = list(self._book.sheets_metadata)
        except BaseException as error:  # calamine panics are BaseException
            if self._archive is not None:
                self._archive.close()
            raise UnreadableWorkbook(_reason(error)) from None

    @property
    def sheet_names(self) -> list[str]:
        return [m.name for m in self._meta]

    def find_sheet(self, label: str) -> str | None:
        """The first sheet whose name matches `label` (SPEC's label matching)."""
        key = thai.label_key(label)
        return next((n for n in self.sheet_names if thai.label_key(n) == key), None)

    def grid(self, name: str) -> Grid:
        try:
            sheet = self._book.get_sheet_by_name(name)
            if sheet.total_height * max(sheet.total_width, 1) > MAX_CELLS:
                raise UnreadableWorkbook(
                    f"แผ่นงาน '{name}' ใหญ่เกินกำหนด ({sheet.total_height:,} แถว × "
                    f"{sheet.total_width:,} คอลัมน์) ระบบรับได้ไม่เกิน {MAX_CELLS:,} เซลล์"
                )
            rows = sheet.to_python(skip_empty_area=False)
        except UnreadableWorkbook:
            raise
        except BaseException as error:
            raise UnreadableWorkbook(_reason(error)) from None
        return Grid(name=name, rows=[list(r) for r in rows], uncomputed=formula_cells.uncomputed(self._archive, name))

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
        try:
            self._book.close()
        except BaseException:
            pass

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_container(path: Path) -> zipfile.ZipFile | None:
    """Cheap checks that keep hostile or broken files from the parser; the
    open zip package of an .xlsx/.xlsm/.ods (None for an .xls)."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise UnreadableWorkbook("ไฟล์ว่างเปล่า (ขนาด 0 ไบต์) — บันทึกไฟล์จาก Excel ใหม่แล้วส่งอีกครั้ง")
    if head.startswith(ZIP_MAGIC):
        try:
            archive = zipfile.ZipFile(path)
            total = sum(info.file_size for info in archive.infolist())
            names = {info.filename for info in archive.infolist()}
        except (zipfile.BadZipFile, OSError, ValueError):
            raise UnreadableWorkbook(
                "ไฟล์เสียหาย (โครงสร้าง zip ของไฟล์ไม่สมบูรณ์) — อาจคัดลอกไม่ครบ ให้บันทึกจาก Excel ใหม่แล้วส่งอีกครั้ง"
            ) from None
        if total > MAX_UNCOMPRESSED_BYTES or "EncryptedPackage" in names:
            archive.close()
        if total > MAX_UNCOMPRESSED_BYTES:
            raise UnreadableWorkbook(
                f"ไฟล์เมื่อขยายแล้วใหญ่เกินกำหนด ({total // (1024 * 1024):,} MB) "
                f"ระบบรับได้ไม่เกิน {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB"
            )
        if "EncryptedPackage" in names:
            raise UnreadableWorkbook(_ENCRYPTED)
        return archive
    elif head.startswith(CFB_MAGIC):
        if _cfb_is_encrypted(path):
            raise UnreadableWorkbook(_ENCRYPTED)
        return None
    elif head.startswith(_IMAGE_MAGIC):
        raise UnreadableWorkbook(
            "ไฟล์นี้เป็นรูปภาพ ไม่ใช่ไฟล์ Excel — ถ้าเป็นรูปตราครุฑ ให้วางรูปลงในแผ่นงาน 'หน่วยงาน' ของไฟล์ข้อมูลประจำปี "
            "หรือเก็บไว้ในโฟลเดอร์ 'ตราครุฑ' ของโฟลเดอร์ข้อมูลแล้วกรอกชื่อไฟล์ที่หัวข้อตราครุฑ (ไม่ต้องวางไว้ในโฟลเดอร์รับไฟล์)"
        )
    else:
        raise UnreadableWorkbook(
            "ไม่ใช่ไฟล์ Excel หรือ LibreOffice (.xlsx .xlsm .xls .ods) — ให้บันทึกเป็นไฟล์ Excel แล้วส่งอีกครั้ง"
        )


def _cfb_is_encrypted(path: Path) -> bool:
    """Encrypted .xls (a FILEPASS record) and encrypted OOXML (an
    EncryptedPackage stream) both live in a compound file; calamine reports
    some XOR-obfuscated .xls as a bad code page instead of a password."""
    try:
        with path.open("rb") as handle:
            return bool(msoffcrypto.OfficeFile(handle).is_encrypted())
    except Exception:
        return False  # not an Office compound file msoffcrypto knows: calamine decides


_ENCRYPTED = "ไฟล์มีรหัสผ่าน ระบบเปิดอ่านไม่ได้ — ให้เอารหัสผ่านออก (บันทึกใหม่โดยไม่ตั้งรหัสผ่าน) แล้วส่งอีกครั้ง"


def _reason(error: BaseException) -> str:
    if isinstance(error, calamine.PasswordError):
        return _ENCRYPTED
    text = str(error)
    if "Cell limit exceeded" in text:
        return "แผ่นงานมีจำนวนเซลล์มากเกินกำหนด ระบบปฏิเสธเพื่อป้องกันหน่วยความจำเต็ม"
    if isinstance(error, calamine.ZipError):
        return "ไฟล์เสียหาย (โครงสร้าง zip ของไฟล์ไม่สมบูรณ์) — ให้บันทึกจาก Excel ใหม่แล้วส่งอีกครั้ง"
    if isinstance(error, calamine.XmlError):
        return "ไฟล์เสียหาย (เนื้อหาภายในอ่านไม่ได้) — ให้เปิดใน Excel แล้วบันทึกใหม่ก่อนส่ง"
    if isinstance(error, calamine.WorksheetNotFound):
        return "ไฟล์เสียหาย (ไม่พบแผ่นงานที่ไฟล์อ้างถึง) — ให้เปิดใน Excel แล้วบันทึกใหม่ก่อนส่ง"
    if "Codepage" in text:
        return ("ไฟล์ .xls ใช้รหัสอักขระ (code page) ที่ระบบไม่รู้จัก — ให้เปิดใน Excel "
                "แล้วบันทึกเป็น .xlsx ใหม่ก่อนส่ง")
    if "Cfb error" in text:
        return ("ไฟล์ .xls เสียหาย (โครงสร้างภายในของไฟล์ชี้ไปยังข้อมูลที่ไม่มีอยู่) — "
                "ให้เปิดใน Excel แล้วบันทึกเป็น .xlsx ใหม่ก่อนส่ง")
    if "not found" in text and ("File" in text or "Relationship" in text or "mimetype" in text):
        return ("ไฟล์ไม่สมบูรณ์ (ขาดส่วนประกอบภายในที่ไฟล์ Excel/LibreOffice ต้องมี) — "
                "อาจเป็นไฟล์ที่โปรแกรมอื่นสร้างหรือเปลี่ยนนามสกุลมา ให้เปิดแล้วบันทึกเป็น .xlsx ใหม่")
    if "Expecting" in text or "found" in text:
        return "ไฟล์เสียหาย (เนื้อหาภายในอ่านไม่ได้) — ให้เปิดใน Excel แล้วบันทึกใหม่ก่อนส่ง"
    if "Cannot detect file format" in text:
        return "ไม่ใช่ไฟล์ Excel หรือ LibreOffice ที่ระบบอ่านได้ — ให้บันทึกเป็น .xlsx แล้วส่งอีกครั้ง"
    return f"ไฟล์เสียหายหรืออยู่ในรูปแบบที่ระบบอ่านไม่ได้ ({type(error).__name__}: {text[:120]}) — ให้เปิดใน Excel แล้วบันทึกเป็น .xlsx ใหม่"
