"""What keeps a big night fast without giving up safety: one reader process
for many batches (a crash is still blamed on the right file), originals kept
by hard link when they can be, batches loaded as they are read with only a
few held at once, and a night with nothing new that builds nothing."""

from __future__ import annotations

import errno
import os
import shutil
from concurrent.futures import Future
from datetime import date

import pytest

from conftest import SAMPLE_INBOX, copy_sample, run_pipeline
from ita import freshness, ingest, isolated_read, rejections, settings
from ita.inbox import FileChanged, InboxFile, keep, keep_all, remove_originals, sha256_of, stored_name
from ita.load_summary import LoadSummary
from ita.parse import MONTHLY, SETUP
from ita.store import Store

SHEETS = sorted(SAMPLE_INBOX.glob("*.xlsx"))[:6]


@pytest.fixture
def counted_workers(monkeypatch) -> list[isolated_read._Worker]:
    started: list[isolated_read._Worker] = []
    start = isolated_read._Worker.__init__

    def counting(self, *args, **kwargs):
        start(self, *args, **kwargs)
        started.append(self)

    monkeypatch.setattr(isolated_read._Worker, "__init__", counting)
    isolated_read.stop_workers()
    yield started
    isolated_read.stop_workers()


def _read(paths):
    """Each file's parsed form, in order, from the pieces the readers sent."""
    by_index = {i: p for piece in isolated_read.read_isolated(paths) for i, p in zip(piece.indexes, piece.parsed)}
    assert sorted(by_index) == list(range(len(paths)))
    return [by_index[i] for i in range(len(paths))]


def test_one_reader_process_serves_batch_after_batch(counted_workers):
    for _ in range(3):
        parsed = _read(SHEETS)
        assert {p.kind for p in parsed} <= {SETUP, MONTHLY} and len(parsed) == len(SHEETS)
    assert len(counted_workers) == 1


def test_a_reader_that_dies_between_files_does_not_get_the_next_file_rejected(counted_workers):
    _read(SHEETS[:1])
    (worker,) = counted_workers
    worker.process.kill()  # as if the files before had worn it out
    worker.process.wait()
    (parsed,) = _read(SHEETS[1:2])
    assert parsed.kind in (SETUP, MONTHLY) and not parsed.problems
    assert len(counted_workers) == 2


def test_a_reader_that_dies_holding_parsed_files_has_them_read_again_by_a_fresh_one(counted_workers, monkeypatch):
    expected = [p.problems for p in _read(SHEETS[:3])]
    isolated_read.stop_workers()
    parse = isolated_read._Worker.parse

    def dies_on_the_second_file(self, index, path, timeout):
        if index == 1 and len(counted_workers) == 2:  # the first file read and held
            self.process.kill()
            self.process.wait()
        return parse(self, index, path, timeout)

    monkeypatch.setattr(isolated_read._Worker, "parse", dies_on_the_second_file)
    parsed = _read(SHEETS[:3])
    assert [p.problems for p in parsed] == expected and isolated_read.CRASHED not in sum(expected, [])
    assert {p.kind for p in parsed} <= {SETUP, MONTHLY} and len(counted_workers) == 3


def test_a_reader_that_dies_preparing_has_each_file_read_again_on_its_own(counted_workers, monkeypatch):
    expected = [p.problems for p in _read(SHEETS[:3])]
    prepare = isolated_read._Worker.prepare
    died = []

    def dies_once(self, timeout):
        if not died:
            died.append(self)
            self.process.kill()
            self.process.wait()
        return prepare(self, timeout)

    monkeypatch.setattr(isolated_read._Worker, "prepare", dies_once)
    parsed = _read(SHEETS[:3])
    assert [p.problems for p in parsed] == expected
    assert len(counted_workers) == 1 + 3 and all(w.process.poll() is not None for w in counted_workers[1:])


def test_a_reader_is_retired_after_its_share_of_files(counted_workers, monkeypatch):
    monkeypatch.setattr(isolated_read, "RECYCLE_AFTER", 2)
    _read(SHEETS[:2])
    _read(SHEETS[2:3])
    assert len(counted_workers) == 2 and counted_workers[0].process.poll() is not None


def _inbox_file(path) -> InboxFile:
    return InboxFile(path, sha256_of(path), path.stat().st_size, None)


def test_an_original_is_kept_by_hard_link_on_the_same_filesystem(tmp_path):
    original = tmp_path / "inbox" / "รายงาน ต.ค.xlsx"
    original.parent.mkdir()
    shutil.copy(SHEETS[0], original)
    file, inode = _inbox_file(original), original.stat().st_ino
    moves = [(file, tmp_path / "archive")]
    assert keep_all(moves) == (set(), {file.sha256: tmp_path / "archive" / stored_name(file)})
    remove_originals(moves)
    kept = tmp_path / "archive" / stored_name(file)
    assert not original.exists()
    assert kept.stat().st_ino == inode and sha256_of(kept) == file.sha256
    assert [p.name for p in (tmp_path / "archive").iterdir()] == [kept.name]  # no temporary left


def test_an_original_is_copied_where_hard_links_are_refused(tmp_path, monkeypatch):
    original = tmp_path / "รายงาน.xlsx"
    shutil.copy(SHEETS[0], original)
    file = _inbox_file(original)

    def refuse(*args, **kwargs):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", refuse)
    target, made = keep(file, tmp_path / "archive")
    assert made
    assert target.stat().st_ino != original.stat().st_ino
    assert sha256_of(target) == file.sha256


def test_a_file_changed_since_it_was_read_is_not_kept_as_what_was_read(tmp_path):
    original = tmp_path / "รายงาน.xlsx"
    shutil.copy(SHEETS[0], original)
    file = _inbox_file(original)
    original.write_bytes(b"saved again by the clerk")
    with pytest.raises(FileChanged):
        keep(file, tmp_path / "archive")
    assert original.read_bytes() == b"saved again by the clerk"
    assert not any((tmp_path / "archive").iterdir())


class _Ready(Future):
    def __init__(self, value):
        super().__init__()
        self.set_result(value)


def test_batches_are_loaded_in_inbox_order_with_few_held_at_once(monkeypatch):
    monkeypatch.setattr(ingest, "stop_workers", lambda: None)
    started: list[str] = []
    loaded: list[str] = []
    most_held = 0

    def read(batch, name):
        nonlocal most_held
        started.append(name)
        most_held = max(most_held, len(started) - len(loaded))
        return _Ready(batch)

    def load(outcomes):
        loaded.append(f"batch-{outcomes[0]:05d}")
        return LoadSummary(accepted=[str(outcomes[0])])

    summary = ingest.take_in([[n] for n in range(7)], read, load, ahead=2)
    assert loaded == started == [f"batch-{n:05d}" for n in range(7)]
    assert summary.accepted == [str(n) for n in range(7)]
    assert most_held == 3


def test_a_night_with_nothing_new_finds_nothing_to_write(tmp_path):
    copy_sample(tmp_path)
    first = run_pipeline(tmp_path)
    assert first["rejected"]  # the sample has a rejected sheet: its report is checked too
    config = settings.resolve(inbox=str(tmp_path / "inbox"), outbox=str(tmp_path / "outbox"),
                              data=str(tmp_path / "data"), memo_date="2023-10-05")
    today = date.today()
    with Store(config.database) as store:
        assert freshness.years_to_write(store, config, today) == []
        assert rejections.reports_to_write(store, config) == []
    (report,) = (tmp_path / "outbox").rglob("รายงานผลการดำเนินการตามมาตรการ_2566.docx")
    report.unlink()
    (rejection,) = (tmp_path / "outbox").rglob("*.txt")
    rejection.unlink()
    with Store(config.database) as store:
        assert [y["fiscal_year"] for y in freshness.years_to_write(store, config, today)] == [2566]
        assert [r[0]["file_name"] for r in rejections.reports_to_write(store, config)] == first["rejected"]
    second = run_pipeline(tmp_path)
    assert sorted(os.path.basename(p) for p in second["written"]) == sorted([report.name, rejection.name])
    assert report.exists() and rejection.exists()
