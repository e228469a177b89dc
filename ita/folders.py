"""Whether the run's folders can be used, in words for the IT officer: an
inbox that is missing, unmounted or unreadable, or an outbox or data folder
that cannot be written, fails the run instead of passing for a quiet night."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from ita.settings import Config

REASONS = {
    errno.ENOENT: "ไม่พบโฟลเดอร์นี้",
    errno.ENOTDIR: "มีไฟล์ธรรมดาอยู่ในเส้นทางนี้ ไม่ใช่โฟลเดอร์",
    errno.EACCES: "ไม่มีสิทธิ์เข้าถึง",
    errno.EPERM: "ไม่มีสิทธิ์เข้าถึง",
    errno.EROFS: "ระบบไฟล์เป็นแบบอ่านอย่างเดียว",
    errno.ENOSPC: "พื้นที่ดิสก์เต็ม",
    errno.EDQUOT: "เกินโควตาพื้นที่ดิสก์",
    errno.ENOTCONN: "โฟลเดอร์แชร์หลุดการเชื่อมต่อ",
    errno.EIO: "อ่านหรือเขียนดิสก์ไม่สำเร็จ",
    errno.ESTALE: "โฟลเดอร์แชร์หลุดการเชื่อมต่อ",
}


class FolderProblem(Exception):
    """A folder the run needs cannot be used; the message is Thai and names it."""


def reason(error: OSError) -> str:
    return REASONS.get(error.errno, error.strerror or str(error))


def inbox_problem(inbox: Path) -> str | None:
    """Why the inbox cannot be read, or None. An existing empty folder is a
    quiet night, not a problem."""
    hint = "ตรวจว่าโฟลเดอร์แชร์ต่ออยู่ และค่า --inbox หรือ ITA_INBOX ถูกต้อง"
    try:
        if not inbox.exists():
            return f"ไม่พบโฟลเดอร์รับไฟล์ {inbox}: {hint}"
        if not inbox.is_dir():
            return f"โฟลเดอร์รับไฟล์ {inbox} เป็นไฟล์ ไม่ใช่โฟลเดอร์: {hint}"
        with os.scandir(inbox) as entries:
            next(entries, None)
    except OSError as error:
        return f"อ่านโฟลเดอร์รับไฟล์ {inbox} ไม่ได้ ({reason(error)}): {hint}"
    return None


def writable_problem(folder: Path, what: str) -> str | None:
    """Why nothing can be written in `folder` (created if missing), or None.
    `what` names the folder for the reader, such as "ผลลัพธ์ (outbox)".
    Tried by writing, not from permission bits: root ignores those, and a
    read-only mount or a full disk shows only when a file is written."""
    try:
        if folder.exists() and not folder.is_dir():
            return f"เขียนโฟลเดอร์{what} {folder} ไม่ได้: เป็นไฟล์ ไม่ใช่โฟลเดอร์"
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".ita-write-check-"):
            pass
    except OSError as error:
        return f"เขียนโฟลเดอร์{what} {folder} ไม่ได้ ({reason(error)})"
    return None


def run_folder_problems(config: Config) -> list[str]:
    """Everything wrong with the folders of a run, all at once."""
    found = [inbox_problem(config.inbox), writable_problem(config.outbox, "ผลลัพธ์ (outbox)"),
             writable_problem(config.data, "ข้อมูล (data)")]
    return [problem for problem in found if problem]
