"""Writing a file into the outbox without ever replacing a person's work.

A file there is the product's to replace only while its bytes are what the
product last wrote to it. Otherwise someone edited it (in Word, in Excel) or
put it there: it is never overwritten, moved or deleted. The new version goes
beside it as "<name>_ฉบับใหม่<suffix>", then "<name>_ฉบับใหม่_2<suffix>" and so
on: the first of those places that is free or still holds the product's own
bytes. Once the edited file is gone, the document goes back to its own place
and the product's now-stale new versions beside it are removed.

Light to import: no docx, openpyxl or pandas.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ita.faults import crash_point
from ita.paths import temporary_path
from ita.store import Store

NEW_VERSION = "ฉบับใหม่"
# Past this many hand-edited versions of one document something else is wrong.
MAX_PLACES = 100


class OutboxCrowded(RuntimeError):
    """Every place for a document's new version holds someone else's file."""


@dataclass(frozen=True)
class Placed:
    """Where one document's bytes are: its own place (`path`), or a new
    version beside it (`target`) when the file at `path` was edited by hand."""

    path: Path
    target: Path
    written: bool

    @property
    def edited(self) -> bool:
        return self.target != self.path


def places(path: Path) -> Iterator[Path]:
    """A document's own place, then the places of its new versions, in order."""
    yield path
    yield path.with_name(f"{path.stem}_{NEW_VERSION}{path.suffix}")
    for n in range(2, MAX_PLACES):
        yield path.with_name(f"{path.stem}_{NEW_VERSION}_{n}{path.suffix}")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _record(store: Store, path: Path) -> dict:
    return store.query("render_of", path=str(path))[0]


def _ours(record: dict, actual: str) -> bool:
    """The bytes are what the product wrote there, or was writing when a run stopped."""
    return actual in (record["sha256"], record["pending"])


Places = Callable[[Path], Iterator[Path]]


def place(store: Store, path: Path, produce: Callable[[], bytes], fingerprint: str, *,
          places_of: Places = places, recognise: bool = True, journal: Journal | None = None) -> Placed:
    """Write the document `fingerprint` names to its place, or beside it when
    the file there was edited by hand. `produce` makes its bytes; it is not
    called when the chosen place already holds this rendering. `places_of`
    lists the places in order (`places` unless a kind of file needs others).
    `recognise`: whether a file the product has no record of may be
    recognised as its own by its bytes (not for bytes that differ at each making).
    With a `journal` the file is written when the journal is flushed, with
    the others of its batch; without one, now."""
    data: bytes | None = None
    there: str | None = None  # the SHA-256 of what the chosen place holds now
    for candidate in places_of(path):
        if not candidate.exists():
            break
        if not candidate.is_file():
            continue  # a folder where the file goes is someone's too
        record = _record(store, candidate)
        actual = sha256_of(candidate.read_bytes())
        if _ours(record, actual):
            if record["fingerprint"] == fingerprint and actual == record["sha256"]:
                _remove_stale_versions(store, path, candidate, places_of)
                return Placed(path, candidate, written=False)
            there = actual
            break
        if record["sha256"] is None and recognise:
            # A file the product has no record of (its store was replaced, or
            # it predates the record): the product's own only if it is this very rendering.
            data = produce() if data is None else data
            if sha256_of(data) == actual:
                remember_renders(store, {candidate: (fingerprint, actual)})
                _remove_stale_versions(store, path, candidate, places_of)
                return Placed(path, candidate, written=False)
    else:
        raise OutboxCrowded(f"ไม่มีที่เขียนฉบับใหม่ของ {path}: ไฟล์ทั้ง {MAX_PLACES} ชื่อถูกแก้ไขด้วยมือทั้งหมด")
    data = produce() if data is None else data
    batch = journal or Journal(store)
    batch.add(candidate, data, fingerprint, then=lambda: _remove_stale_versions(store, path, candidate, places_of))
    if journal is None:
        batch.flush()
    return Placed(path, candidate, written=there != sha256_of(data))


class Journal:
    """Outbox files written as one batch (the documents of one phase of a
    body's year, ita.outputs): every file of the batch is journaled
    (outbox_writes) before the first is written, and all are remembered as
    the product's (renders) after the last. A crash at any moment leaves each
    file recognisably the product's own, as writing them one at a time
    would, in three statements a batch instead of three a file: at national
    scale those statements were a fifth of a body's render
    (docs/performance.md, "Rendering")."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._queued: dict[Path, tuple[bytes, str, Callable[[], None]]] = {}

    def add(self, target: Path, data: bytes, fingerprint: str, *, then: Callable[[], None]) -> None:
        """Queue `data` for `target`; `then` runs once it is written and remembered."""
        self._queued[target] = (data, fingerprint, then)

    def flush(self) -> None:
        """Journal, write and remember every queued file."""
        queued, self._queued = self._queued, {}
        if not queued:
            return
        digests = {target: sha256_of(data) for target, (data, _, _) in queued.items()}
        self.store.command("begin_writes", paths=[str(t) for t in digests], sha256s=list(digests.values()))
        for n, (target, (data, _, _)) in enumerate(queued.items()):
            write_atomically(target, data)
            if n == 0:
                crash_point("while_rendering")  # the batch journaled, its first file written, the rest not
        remember_renders(self.store, {t: (fingerprint, digests[t]) for t, (_, fingerprint, _) in queued.items()})
        self.store.command("end_writes", paths=[str(t) for t in digests])
        for _, _, then in queued.values():
            then()


def remember_renders(store: Store, renders: dict[Path | str, tuple[str, str]]) -> None:
    """Path (or other key of a render) → (fingerprint, SHA-256) of what the product wrote there."""
    store.command("remember_renders", paths=[str(p) for p in renders],
                  fingerprints=[f for f, _ in renders.values()], sha256s=[s for _, s in renders.values()])


class _Unmade(Exception):
    pass


def holds(store: Store, path: Path, fingerprint: str, *, places_of: Places = places, recognise: bool = True) -> bool:
    """Whether the place `place` would choose already holds the rendering
    `fingerprint` names: asked before making bytes that are costly to make."""

    def unmade() -> bytes:
        raise _Unmade

    try:
        place(store, path, unmade, fingerprint, places_of=places_of, recognise=recognise)
    except _Unmade:
        return False
    return True


def _remove_stale_versions(store: Store, path: Path, kept: Path, places_of: Places = places) -> None:
    """New versions after the one kept are out of date; those still holding
    the product's own bytes go (a person's edit of one stays)."""
    later = False
    for candidate in places_of(path):
        if candidate == kept:
            later = True
            continue
        if not later:
            continue
        if not candidate.exists():
            return
        if candidate.is_file() and _ours(_record(store, candidate), sha256_of(candidate.read_bytes())):
            candidate.unlink()
            store.command("forget_render", path=str(candidate))


def remove_own(store: Store, path: Path) -> None:
    """A document that has moved (a division's form, now for its next
    month): what the product wrote at its old place goes; a person's edit
    of it stays."""
    for candidate in places(path):
        if not candidate.exists():
            if candidate != path:
                return
            continue
        if _ours(_record(store, candidate), sha256_of(candidate.read_bytes())):
            candidate.unlink()
            store.command("forget_render", path=str(candidate))


def write_atomically(target: Path, data: bytes) -> bool:
    """Write `target` whole or not at all; returns whether its bytes
    changed (a file that already holds `data` is left as it is)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return False
    temporary = temporary_path(target)
    temporary.write_bytes(data)
    temporary.replace(target)
    return True
