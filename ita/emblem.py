"""The memo's emblem (ตราครุฑ): where it may come from, and what it must be.

A clerk can give it in two ways only (README, "Inputs"):
- an image pasted into the setup workbook's หน่วยงาน sheet (.xlsx/.xlsm);
- under the key ตราครุฑ, the name of an image file kept in the data folder's
  `ตราครุฑ/` folder. A name is looked up there and nowhere else: a path, a
  `..`, or anything that is not a regular file of that folder is refused,
  because user text is never a path to follow.
It must be a PNG or JPEG of at most `MAX_BYTES`. A bad emblem is a warning on
the setup (the memo leaves the space blank), never a failed night.
"""

from __future__ import annotations

import io
import os
import stat
import warnings
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath

from PIL import Image

FOLDER = "ตราครุฑ"
MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 25_000_000  # a 15 mm emblem needs far fewer; more is a decompression bomb
FORMATS = {"PNG", "JPEG"}


class BadEmblem(Exception):
    """`reason` is Thai, for the office clerk."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def folder(data: Path) -> Path:
    return data / FOLDER


def _too_large(size: int) -> BadEmblem:
    return BadEmblem(f"รูปตราครุฑใหญ่เกินกำหนด ({size / (1024 * 1024):.1f} MB) "
                     f"ระบบรับได้ไม่เกิน {MAX_BYTES // (1024 * 1024)} MB")


def check_image(data: bytes) -> bytes:
    """`data` when it is a PNG or JPEG of a sensible size, else BadEmblem."""
    if len(data) > MAX_BYTES:
        raise _too_large(len(data))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, pixels = image.format, image.width * image.height
                image.verify()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadEmblem("ไฟล์ตราครุฑไม่ใช่รูปภาพที่อ่านได้ (ต้องเป็นไฟล์ .png หรือ .jpg)") from None
    if kind not in FORMATS:
        raise BadEmblem(f"รูปตราครุฑเป็นชนิด {kind} ระบบรับเฉพาะ PNG หรือ JPEG")
    if pixels > MAX_PIXELS:
        raise BadEmblem("รูปตราครุฑมีขนาดพิกเซลมากเกินกำหนด ให้ย่อรูปก่อน")
    return data


def plain_file_name(text: str) -> bool:
    """Whether `text` names a file and nothing else (no folder, no drive)."""
    return (bool(text) and text not in (".", "..") and PurePosixPath(text).name == text
            and PureWindowsPath(text).name == text)


def named_image(data_dir: Path, name: str) -> bytes:
    """The checked image of the file `name` in the emblem folder."""
    if not plain_file_name(name):
        raise BadEmblem(f"ตราครุฑต้องเป็นชื่อไฟล์รูปในโฟลเดอร์ '{FOLDER}' ของโฟลเดอร์ข้อมูลเท่านั้น "
                        "ไม่ใช่ที่อยู่ไฟล์ (เช่น garuda.png)")
    base = folder(data_dir)
    path = base / name
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or path.resolve().parent != base.resolve():
            raise FileNotFoundError(path)
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError:
        raise BadEmblem(f"ไม่พบไฟล์รูปตราครุฑ '{name}' ในโฟลเดอร์ '{FOLDER}' ของโฟลเดอร์ข้อมูล ({base})") from None
    if info.st_size > MAX_BYTES:
        raise _too_large(info.st_size)
    return check_image(data)


def embedded_image(path: Path, sheet: str) -> bytes | None:
    """The first image pasted into `sheet` of an .xlsx/.xlsm, unchecked;
    None when there is none (or the format cannot hold one we read)."""
    try:
        with zipfile.ZipFile(path) as archive:
            if not any(n.startswith("xl/media/") for n in archive.namelist()):
                return None
    except (zipfile.BadZipFile, OSError):
        return None
    from openpyxl import load_workbook  # only for the rare setup with a picture

    try:
        book = load_workbook(path, data_only=True)
        images = book[sheet]._images if sheet in book.sheetnames else []
        return images[0]._data() if images else None
    except Exception:  # openpyxl cannot read what calamine could: no emblem, said by the caller
        return b""


def folder_stamp(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """What the emblem folder holds, cheaply (name, size, mtime of each file):
    a memo is made from it, so replacing an emblem there renders the memo again."""
    try:
        return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns)
                            for e in os.scandir(folder(data_dir)) if e.is_file(follow_symlinks=False)))
    except OSError:
        return ()
