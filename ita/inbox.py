"""The inbox's files: which are ready, their fingerprints, and how an original
leaves the inbox (kept whole in the data folder, only then removed)."""

from __future__ import annotations

import hashlib
import os
import time
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

from ita.excel_read import CFB_MAGIC, ZIP_MAGIC
from ita.faults import crash_point

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xltx", ".xltm", ".xlsb", ".fods"}
# Lock files Excel and LibreOffice leave beside an open workbook.
LOCK_PREFIXES = ("~$", ".~lock.")


@dataclass(frozen=True)
class InboxFile:
    path: Path
    sha256: str
    size: int
    saved_at: datetime | None

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class InboxScan:
    ready: list[InboxFile]
    waiting: list[str]  # names left for the next run (still being copied)


def scan(inbox: Path, settle_seconds: float, now: float | None = None) -> InboxScan:
    """Every regular file in the inbox (not only spreadsheet names: a file's
    kind is read from its content), minus office lock files and files that
    are still being written."""
    now = time.time() if now is None else now
    ready: list[InboxFile] = []
    waiting: list[str] = []
    if not inbox.is_dir():
        return InboxScan(ready, waiting)
    for path in sorted(inbox.rglob("*")):
        if not path.is_file() or path.is_symlink() or path.name.startswith(LOCK_PREFIXES):
            continue
        if any(part.startswith(".") for part in path.relative_to(inbox).parts):
            continue
        stat = path.stat()
        if now - stat.st_mtime < settle_seconds and not looks_complete(path):
            waiting.append(str(path.relative_to(inbox)))
            continue
        ready.append(InboxFile(path, sha256_of(path), stat.st_size, saved_at(path, stat.st_mtime)))
    return InboxScan(ready, waiting)


def looks_complete(path: Path) -> bool:
    """A copy in progress has no zip directory yet, or is shorter than its
    compound-file header says; either way it does not open."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
        if head.startswith(ZIP_MAGIC):
            with zipfile.ZipFile(path) as archive:
                return archive.testzip() is None
        if head.startswith(CFB_MAGIC):
            return path.stat().st_size % 512 == 0
        return bool(head)
    except (OSError, zipfile.BadZipFile, ValueError):
        return False


def sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


_CORE = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DCTERMS = "{http://purl.org/dc/terms/}"


def saved_at(path: Path, mtime: float) -> datetime:
    """When the workbook itself says it was saved (docProps/core.xml), which
    survives copying between shares; else the file's modification time."""
    try:
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("docProps/core.xml"))
        text = root.findtext(f"{_DCTERMS}modified")
        if text:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError):
        pass
    return datetime.utcfromtimestamp(mtime)


def stored_name(file: InboxFile) -> str:
    suffix = file.path.suffix.lower()
    return file.sha256 + (suffix if suffix in SPREADSHEET_SUFFIXES else "")


def move_out(moves: list[tuple[InboxFile, Path]]) -> None:
    """Keep each original under its folder by a name it cannot collide with,
    then, once every kept copy is on disk, remove the originals from the
    inbox. A crash at any point leaves each original in the inbox or a whole
    copy in its folder, or both."""
    folders: set[Path] = set()
    for file, folder in moves:
        keep(file, folder)
        folders.add(folder)
    for folder in folders:
        _fsync_directory(folder)
    crash_point("after_archive_copy")
    for file, _ in moves:
        file.path.unlink(missing_ok=True)


def keep(file: InboxFile, folder: Path) -> Path:
    """The original under `folder`, named by its fingerprint. On the same
    filesystem it is a hard link: the same bytes under a second name, with
    nothing to copy or fsync (copying was most of loading's own time). Across
    filesystems, or on a share without hard links, it is a copy, fsynced.
    Either way it is checked against the fingerprint the file was read
    under before it takes its name, so a file changed since is not kept."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / stored_name(file)
    if target.exists() and sha256_of(target) == file.sha256:
        return target
    temporary = folder / f".{target.name}.part"
    temporary.unlink(missing_ok=True)
    try:
        os.link(file.path, temporary)
    except OSError:
        _copy(file.path, temporary)
    if sha256_of(temporary) != file.sha256:
        temporary.unlink()
        raise OSError(f"copy of {file.path} does not match its fingerprint")
    os.replace(temporary, target)
    return target


def _copy(source: Path, target: Path) -> None:
    with source.open("rb") as original, target.open("wb") as copy:
        while chunk := original.read(1 << 20):
            copy.write(chunk)
        copy.flush()
        os.fsync(copy.fileno())


def _fsync_directory(folder: Path) -> None:
    """Make the new names in `folder` durable before the originals go."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
