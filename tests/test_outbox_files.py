"""The rule for every file written into the outbox: the product replaces
only its own bytes; a person's file stays, and the new version goes beside it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ita import outbox_files
from ita.outbox_files import NEW_VERSION, place, places
from ita.store import Store

NAMES = ["บันทึกข้อความ_ITA_2566.docx", "สถานะการส่งรายงาน_2567.xlsx",
         "รายงาน_กองสวัสดิการสังคม_ม.ค.๖๖__1a2b3c4d.txt", "2566-01_มกราคม.docx"]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data" / "ita.duckdb") as s:
        yield s


@pytest.mark.parametrize("name", NAMES)
def test_new_versions_are_named_in_thai_beside_the_document(tmp_path, name):
    path = tmp_path / "outbox" / name
    stem, suffix = path.stem, path.suffix
    assert [p.name for p in list(places(path))[:4]] == [
        name, f"{stem}_{NEW_VERSION}{suffix}", f"{stem}_{NEW_VERSION}_2{suffix}", f"{stem}_{NEW_VERSION}_3{suffix}"]
    assert {p.parent for p in places(path)} == {path.parent}


@pytest.mark.parametrize("name", NAMES)
def test_a_chain_of_hand_edits_is_never_overwritten(tmp_path, store, name):
    path = tmp_path / "outbox" / name
    first = place(store, path, lambda: b"version 1", "f1")
    assert first.written and not first.edited and path.read_bytes() == b"version 1"
    path.write_bytes(b"the clerk's edit")
    second = place(store, path, lambda: b"version 2", "f2")
    new = list(places(path))[1]
    assert (second.target, second.written, second.edited) == (new, True, True)
    assert path.read_bytes() == b"the clerk's edit" and new.read_bytes() == b"version 2"
    # The product's own new version is its to replace; once edited, it too is kept.
    assert place(store, path, lambda: b"version 3", "f3").target == new and new.read_bytes() == b"version 3"
    new.write_bytes(b"the clerk edits the new version too")
    fourth = place(store, path, lambda: b"version 4", "f4")
    assert fourth.target == list(places(path))[2] and fourth.target.read_bytes() == b"version 4"
    assert path.read_bytes() == b"the clerk's edit" and new.read_bytes() == b"the clerk edits the new version too"


def test_the_same_rendering_in_place_is_not_produced_again(tmp_path, store):
    path = tmp_path / "outbox" / NAMES[0]
    place(store, path, lambda: b"v", "f")

    def never() -> bytes:
        raise AssertionError("rendered again")

    assert place(store, path, never, "f").written is False


def test_when_the_edited_file_is_deleted_the_document_returns_to_its_place(tmp_path, store):
    path = tmp_path / "outbox" / NAMES[1]
    place(store, path, lambda: b"v1", "f1")
    path.write_bytes(b"edited")
    place(store, path, lambda: b"v2", "f2")
    path.unlink()
    back = place(store, path, lambda: b"v2", "f2")
    assert (back.target, back.edited) == (path, False) and path.read_bytes() == b"v2"
    assert not list(places(path))[1].exists()  # the product's stale new version went; it was nobody's edit


def test_a_file_the_product_has_no_record_of_is_someone_elses_unless_it_is_this_rendering(tmp_path, store):
    mine, theirs = tmp_path / "outbox" / "a.txt", tmp_path / "outbox" / "b.txt"
    mine.parent.mkdir(parents=True)
    mine.write_bytes(b"same")
    theirs.write_bytes(b"a person's file")
    assert place(store, mine, lambda: b"same", "f").target == mine
    assert place(store, mine, lambda: b"next", "g").target == mine and mine.read_bytes() == b"next"
    placed = place(store, theirs, lambda: b"product", "f")
    assert placed.edited and theirs.read_bytes() == b"a person's file"


KILLED_WRITE = """
import os, signal, sys
from pathlib import Path
from ita import outbox_files
from ita.store import Store

def killed(target, data):
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_bytes(data)
    os.kill(os.getpid(), signal.SIGKILL)

store = Store(Path(sys.argv[1]))
outbox_files.write_atomically = killed
outbox_files.place(store, Path(sys.argv[2]), lambda: b"version 2", "f2")
"""


def test_a_run_killed_between_writing_and_remembering_does_not_take_its_file_for_an_edit(tmp_path):
    database, path = tmp_path / "data" / "ita.duckdb", tmp_path / "outbox" / NAMES[0]
    with Store(database) as store:
        place(store, path, lambda: b"version 1", "f1")
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITE, str(database), str(path)],
                            cwd=Path(__file__).resolve().parent.parent, env={**os.environ, "PYTHONPATH": "."})
    assert killed.returncode == -signal.SIGKILL and path.read_bytes() == b"version 2"
    with Store(database) as store:
        again = place(store, path, lambda: b"version 3", "f3")
    assert (again.target, again.edited) == (path, False) and path.read_bytes() == b"version 3"
    assert not list(places(path))[1].exists()


KILLED_BATCH = """
import sys
from pathlib import Path
from ita import outbox_files
from ita.store import Store

store = Store(Path(sys.argv[1]))
journal = outbox_files.Journal(store)
for name in sys.argv[2:]:
    outbox_files.place(store, Path(name), lambda: b"version 2", "f2", journal=journal)
journal.flush()  # ITA_CRASH_AT=while_rendering: killed once the first file is written
"""


def test_a_batch_killed_after_its_first_file_leaves_every_file_the_products_own(tmp_path, store):
    """A phase's files are journaled together before the first is written:
    killed then, the file written and the files not yet written are all
    still the product's to replace, and none is taken for an edit."""
    database = tmp_path / "data" / "ita.duckdb"
    targets = [tmp_path / "outbox" / name for name in NAMES]
    journal = outbox_files.Journal(store)
    for path in targets:
        place(store, path, lambda: b"version 1", "f1", journal=journal)
    assert not any(path.exists() for path in targets)  # nothing is written before the flush
    journal.flush()
    store.close()
    killed = subprocess.run([sys.executable, "-c", KILLED_BATCH, str(database), *map(str, targets)],
                            cwd=Path(__file__).resolve().parent.parent,
                            env={**os.environ, "PYTHONPATH": ".", "ITA_CRASH_AT": "while_rendering"})
    assert killed.returncode == -signal.SIGKILL
    assert [path.read_bytes() for path in targets] == [b"version 2"] + [b"version 1"] * (len(targets) - 1)
    with Store(database) as again:
        placed = [place(again, path, lambda: b"version 3", "f3") for path in targets]
    assert [(p.target, p.edited, p.written) for p in placed] == [(path, False, True) for path in targets]
    assert all(path.read_bytes() == b"version 3" and not list(places(path))[1].exists() for path in targets)


def test_every_place_taken_by_edits_is_said_in_thai(tmp_path, store, monkeypatch):
    monkeypatch.setattr(outbox_files, "MAX_PLACES", 3)
    path = tmp_path / "outbox" / "a.docx"
    for p in places(path):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"a person's")
    with pytest.raises(outbox_files.OutboxCrowded, match="ไม่มีที่เขียนฉบับใหม่ของ .*a.docx: ไฟล์ทั้ง 3 ชื่อถูกแก้ไขด้วยมือทั้งหมด"):
        place(store, path, lambda: b"product", "f")
