"""The rows a reader builds travel as Arrow tables and keep every field of
the records they come from, each row tied to its own file (lineage), and
the reader processes send the same rows and problems as an in-process read."""

from __future__ import annotations

import shutil
from dataclasses import astuple

import pyarrow as pa
import pytest

from conftest import SAMPLE_INBOX
from ita import isolated_read, records
from ita.inbox import InboxFile, sha256_of
from ita.ingest import read_and_validate
from ita.parse import MONTHLY, SETUP
from ita.prepare import SCHEMAS
from ita.store import Store

SETUP_FILE = SAMPLE_INBOX / "ข้อมูลประจำปี 2566.xlsx"
MONTHLY_FILES = [SAMPLE_INBOX / name for name in (
    "รายงาน_กองการศึกษา_ก.ค.๖๖.xlsx",
    "รายงาน_กองการศึกษา_ต.ค.๖๕.xls",
    "รายงาน_สำนักปลัด_มี.ค.๖๖.xlsx",
    "รายงาน_กองช่าง_ส.ค.๖๖.xlsx",
)]


def _files(*paths) -> list[InboxFile]:
    return [InboxFile(p, sha256_of(p), p.stat().st_size, None) for p in paths]


def _stored(tmp_path, batch, indexes) -> dict[str, list[tuple]]:
    """Each table's rows as the store holds them after the batch's rows of
    these files were appended, in the table's column order."""
    with Store(tmp_path / "ita.duckdb") as store:
        for table, data in batch.rows_of(indexes).items():
            store.append_arrow(table, data)
        return {table: sorted(store.con.execute(f"select * from {table}").fetchall(), key=repr)
                for table in SCHEMAS}


def _columns(tmp_path, table) -> list[str]:
    with Store(tmp_path / "columns.duckdb") as store:
        return store.con.table(table).columns


@pytest.mark.parametrize("path", MONTHLY_FILES, ids=lambda p: p.name)
def test_a_monthly_sheets_rows_keep_every_field_and_its_sha256(tmp_path, path):
    (file,) = files = _files(path)
    batch = read_and_validate(files, isolated=False)
    monthly = batch[0].monthly
    assert batch[0].parsed.kind == MONTHLY and monthly.rows
    stored = _stored(tmp_path, batch, [0])
    columns = _columns(tmp_path, "submission_rows")
    got = [dict(zip(columns, row)) for row in stored["submission_rows"]]
    assert sorted((r.pop("sha256"), tuple(r.values())) for r in got) == sorted(
        (file.sha256, astuple(r)) for r in monthly.rows)
    bullets = sorted(stored["submission_bullets"], key=repr)
    expected = [(file.sha256, r.row, name, i, text, records.bullet_key(text))
                for r in monthly.rows for name in ("result", "outcome")
                for i, text in enumerate(records.lines(getattr(r, name)))]
    assert bullets == sorted(expected, key=repr)
    assert sorted(stored["submission_columns"]) == sorted(
        (file.sha256, name, col) for name, col in monthly.columns.items() if name in ("activity", "result", "outcome"))


def test_a_setups_rows_keep_every_field(tmp_path):
    (file,) = files = _files(SETUP_FILE)
    batch = read_and_validate(files, isolated=False)
    setup = batch[0].setup
    assert batch[0].parsed.kind == SETUP
    stored = _stored(tmp_path, batch, [0])
    sha = file.sha256
    assert stored["setup_divisions"] == sorted([(sha, i, d) for i, d in enumerate(setup.divisions)], key=repr)
    assert stored["signatories"] == sorted(
        [(sha, i, g.role, g.name, g.position) for i, g in enumerate(setup.signatories)], key=repr)
    assert stored["measures"] == sorted(
        [(sha, m.no, m.group, m.title, m.steps, m.responsible, m.period, m.divisions, m.row) for m in setup.measures],
        key=repr)
    assert stored["guidelines"] == sorted([(sha, no, text) for no, text in setup.guidelines], key=repr)
    assert stored["ita_scores"] == sorted(
        [(sha, c.key, c.name, c.year, c.score, c.row, c.col) for c in setup.scores], key=repr)
    assert stored["ita_levels"] == sorted(
        [(sha, year, text, row, col) for year, (text, row, col) in setup.levels.items()], key=repr)
    assert setup.measures and setup.scores and setup.divisions


def test_only_the_kept_files_rows_are_stored_and_a_copy_under_another_name_adds_none(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    first, other = MONTHLY_FILES[0], MONTHLY_FILES[2]
    copy = inbox / "สำเนา รายงาน กองการศึกษา.xlsx"
    shutil.copy(first, copy)
    files = _files(first, copy, other)
    batch = read_and_validate(files, isolated=False)
    stored = _stored(tmp_path, batch, [0])
    assert {row[0] for rows in stored.values() for row in rows} == {files[0].sha256}
    assert len(stored["submission_rows"]) == len(batch[0].monthly.rows)


def test_the_reader_processes_send_the_same_rows_and_problems(tmp_path):
    isolated_read.stop_workers()
    files = _files(SETUP_FILE, *MONTHLY_FILES)
    here = read_and_validate(files, isolated=False)
    there = read_and_validate(files, isolated=True)
    assert [o.file for o in there] == files
    assert [o.problems for o in there] == [o.problems for o in here]
    assert [o.parsed.kind for o in there] == [o.parsed.kind for o in here]
    assert [o.monthly.measure_rows if o.monthly else None for o in there] == [
        o.monthly.measure_rows if o.monthly else None for o in here]
    everything = range(len(files))
    assert _stored(tmp_path / "there", there, everything) == _stored(tmp_path / "here", here, everything)
    assert all(t.schema == SCHEMAS[name] for name, t in there.tables.items())
    assert set(there.tables) >= {"submission_rows", "submission_bullets", "measures"}
    isolated_read.stop_workers()


def test_a_column_the_table_lacks_is_refused(tmp_path):
    data = pa.table({"sha256": ["ab" * 32], "row": [7], "colour": ["แดง"]})
    with Store(tmp_path / "ita.duckdb") as store, pytest.raises(KeyError, match="no column colour"):
        store.append_arrow("submission_rows", data)
