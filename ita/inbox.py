"""The inbox's files: which are ready, their fingerprints, and how an original
leaves the inbox (kept whole in the data folder, only then removed)."""

from __future__ import annotations

import hashlib
import os
import stat
import struct
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePath
from xml.etree import ElementTree

from ita.excel_read import CFB_MAGIC, ZIP_MAGIC
from ita.faults import crash_point
from ita.folders import FolderProblem, inbox_problem, reason

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xltx", ".xltm", ".xlsb", ".fods"}
# Lock files Excel and LibreOffice leave beside an open workbook.
LOCK_PREFIXES = ("~$", ".~lock.")


@dataclass(frozen=True)
class InboxFile:
    location: str  # the path as text that survives JSON (Prefect sends flow parameters so): see `path`
    sha256: str
    size: int
    saved_at: datetime | None
    mtime_ns: int = 0  # as it was read: a file changed since is left for the next run

    def __post_init__(self) -> None:
        if isinstance(self.location, PurePath):
            object.__setattr__(self, "location", _location(self.location))

    @property
    def path(self) -> Path:
        if self.location.startswith(_RAW):
            return Path(os.fsdecode(bytes.fromhex(self.location[len(_RAW):])))
        return Path(self.location)

    @property
    def name(self) -> str:
        return display_name(self.path.name)


# A path whose name is not UTF-8 cannot be sent as JSON text; it travels as
# the hex of its bytes (no absolute path starts with this).
_RAW = "raw-bytes:"


def _location(path: PurePath) -> str:
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return _RAW + os.fsencode(path).hex()


@dataclass(frozen=True)
class InboxScan:
    ready: list[InboxFile]
    waiting: list[str]  # names left for the next run (still being copied)
    unreadable: list[str] = field(default_factory=list)  # "name: why", for the IT officer


class FileChanged(OSError):
    """The file's bytes are not those it was read and judged by."""


def scan(inbox: Path, settle_seconds: float, now: float | None = None) -> InboxScan:
    """Every regular file in the inbox (not only spreadsheet names: a file's
    kind is read from its content), minus office lock files and files that
    are still being written. An inbox that cannot be read raises
    FolderProblem; a file or subfolder that cannot be read is listed, and
    the others are still taken."""
    problem = inbox_problem(inbox)
    if problem:
        raise FolderProblem(problem)
    now = time.time() if now is None else now
    ready: list[InboxFile] = []
    waiting: list[str] = []
    unreadable: list[str] = []

    def folder_error(error: OSError) -> None:
        if Path(error.filename) == inbox:
            raise FolderProblem(inbox_problem(inbox) or f"อ่านโฟลเดอร์รับไฟล์ {inbox} ไม่ได้ ({reason(error)})")
        unreadable.append(f"{_relative(Path(error.filename), inbox)}: {reason(error)}")

    paths = []
    for folder, folders, names in os.walk(inbox, onerror=folder_error):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        paths += [Path(folder) / n for n in names if not n.startswith(".") and not n.startswith(LOCK_PREFIXES)]
    for path in sorted(paths):
        try:
            if not stat.S_ISREG(path.lstat().st_mode):  # symlinks and devices are not taken
                continue
            file = _fingerprinted(path, settle_seconds, now)
        except OSError as error:
            unreadable.append(f"{_relative(path, inbox)}: {reason(error)}")
            continue
        if file is None:
            waiting.append(_relative(path, inbox))
        else:
            ready.append(file)
    return InboxScan(ready, waiting, unreadable)


def _fingerprinted(path: Path, settle_seconds: float, now: float) -> InboxFile | None:
    """The file as it is now, or None when it is still being written: recent
    and not whole, or changing while it is fingerprinted."""
    before = path.stat()
    if now - before.st_mtime < settle_seconds and not looks_complete(path):
        return None
    sha = sha256_of(path)
    after = path.stat()
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        return None
    return InboxFile(path, sha, before.st_size, saved_at(path, before.st_mtime), before.st_mtime_ns)


def _relative(path: Path, inbox: Path) -> str:
    return display_name(str(path.relative_to(inbox)))


def display_name(name: str) -> str:
    """A file name as text. A name that is not UTF-8 (written by an older
    Thai Windows program, in TIS-620/cp874) is read as cp874, so the clerk
    sees their own name instead of a run stopped on it."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        try:
            return raw.decode("cp874")
        except UnicodeDecodeError:
            return raw.decode("utf-8", "replace")


def still_as_read(file: InboxFile) -> bool:
    """Whether the file is still there with the size and modification time
    it was fingerprinted with (a file being overwritten changes both)."""
    if not file.mtime_ns:  # a file a user named (ita check), not one from the inbox
        return file.path.exists()
    try:
        now = file.path.stat()
    except OSError:
        return False
    return (now.st_size, now.st_mtime_ns) == (file.size, file.mtime_ns)


def looks_complete(path: Path) -> bool:
    """A copy in progress has no zip directory yet, or is shorter than its
    compound file's allocation table says; either way it does not open."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
        if head.startswith(ZIP_MAGIC):
            with zipfile.ZipFile(path) as archive:
                return archive.testzip() is None
        if head.startswith(CFB_MAGIC):
            return compound_file_complete(path)
        return bool(head)
    except (OSError, zipfile.BadZipFile, ValueError, struct.error):
        return False


_FREE = 0xFFFFFFFF  # an unused sector in the allocation table
_LAST_SECTOR = 0xFFFFFFFA  # the highest number that names a sector


def compound_file_complete(path: Path) -> bool:
    """Whether the file holds every sector its allocation table (FAT) uses,
    as the compound file format (MS-CFB: .xls, .doc) lays them out. A copy
    in progress can stop at any multiple of 512 bytes, so the size alone
    says nothing; its FAT, or a sector the FAT uses, lies past the end."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        header = handle.read(512)
        (shift,) = struct.unpack_from("<H", header, 30)
        if shift not in (9, 12):
            return False
        sector = 1 << shift
        per_sector = sector // 4

        def read_sector(number: int) -> tuple[int, ...] | None:
            offset = (number + 1) * sector  # the header takes the place of sector -1
            if offset + sector > size:
                return None
            handle.seek(offset)
            return struct.unpack(f"<{per_sector}I", handle.read(sector))

        (fat_count,) = struct.unpack_from("<I", header, 44)
        difat_next, difat_count = struct.unpack_from("<II", header, 68)
        fat_sectors = [n for n in struct.unpack_from("<109I", header, 76) if n < _LAST_SECTOR]
        for _ in range(difat_count):
            if difat_next >= _LAST_SECTOR:
                break
            entries = read_sector(difat_next)
            if entries is None:
                return False
            fat_sectors += [n for n in entries[:-1] if n < _LAST_SECTOR]
            difat_next = entries[-1]
        if len(fat_sectors) < fat_count:
            return False
        last_used = -1
        for index, number in enumerate(fat_sectors[:fat_count]):
            entries = read_sector(number)
            if entries is None:
                return False
            used = [i for i, entry in enumerate(entries) if entry != _FREE]
            if used:
                last_used = index * per_sector + used[-1]
        return size >= (last_used + 2) * sector


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


def keep_all(moves: list[tuple[InboxFile, Path]]) -> tuple[set[str], dict[str, Path]]:
    """Keep each original under its folder by a name it cannot collide with,
    before anything about it is committed. Returns the fingerprints of files
    whose bytes changed since they were read (nothing of them may be
    committed: they are left for the next run), and the kept copies this
    call made, by fingerprint (to take back for files not committed after all)."""
    changed: set[str] = set()
    made: dict[str, Path] = {}
    folders: set[Path] = set()
    for file, folder in moves:
        if file.sha256 in changed:
            continue
        try:
            target, new = keep(file, folder)
        except FileChanged:
            changed.add(file.sha256)
            continue
        if new:
            made[file.sha256] = target
        folders.add(folder)
    for folder in folders:
        _fsync_directory(folder)
    crash_point("after_archive_copy")
    return changed, made


def remove_originals(moves: list[tuple[InboxFile, Path]]) -> None:
    """Once their kept copies are on disk and their rows committed, the
    originals leave the inbox. A crash at any point before leaves each
    original in the inbox, its copy kept or not, and the next run completes
    it. One that cannot be removed (a share that allows no deletes) stays,
    and is a duplicate the next night."""
    for file, _ in moves:
        try:
            file.path.unlink(missing_ok=True)
        except OSError:
            pass


def keep(file: InboxFile, folder: Path) -> tuple[Path, bool]:
    """The original under `folder`, named by its fingerprint, and whether
    this call made it. On the same filesystem it is a hard link: the same
    bytes under a second name, with nothing to copy or fsync (copying was
    most of loading's own time). Across filesystems, or on a share without
    hard links, it is a copy, fsynced. Either way it is checked against the
    fingerprint the file was read under before it takes its name: a file
    changed since raises FileChanged and is not kept."""
    if not still_as_read(file):  # also for a copy of a file kept before: it is removed next
        raise FileChanged(f"{file.path} changed since it was read")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / stored_name(file)
    if target.exists() and sha256_of(target) == file.sha256:
        return target, False
    temporary = folder / f".{target.name}.part"
    temporary.unlink(missing_ok=True)
    try:
        try:
            os.link(file.path, temporary)
        except FileNotFoundError:
            raise
        except OSError:
            _copy(file.path, temporary)
    except FileNotFoundError:
        temporary.unlink(missing_ok=True)
        raise FileChanged(f"{file.path} is gone") from None
    if sha256_of(temporary) != file.sha256:
        temporary.unlink()
        raise FileChanged(f"{file.path} does not match its fingerprint")
    os.replace(temporary, target)
    return target, True


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
