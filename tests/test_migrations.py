"""Databases already in use keep working: a data folder written by the code
the office ran before schema versions (tests/fixtures/f47e530, see its
README) opens with this code, keeps every row, and the next run writes the
same documents as a fresh build from the same inputs."""

from __future__ import annotations

import gzip
import re
import shutil
import threading
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import docx_text, run_pipeline
from ita import store as store_module
from ita.status_workbook import _when
from ita.store import SCHEMA_VERSION, DatabaseTooNew, Store, schema_version

FIXTURE = Path(__file__).parent / "fixtures" / "f47e530" / "data"
# What f47e530 wrote, per table (tests/fixtures/f47e530/README.md).
FIXTURE_COUNTS = {
    "files": 6, "receipts": 6, "problems": 6, "setups": 1, "setup_divisions": 6, "signatories": 4,
    "measures": 13, "guidelines": 17, "ita_scores": 70, "ita_levels": 5, "submissions": 4,
    "submission_rows": 21, "submission_bullets": 40, "renders": 7,
}


def old_data_folder(target: Path) -> Path:
    """A copy of the fixture's data folder, somewhere it was not made."""
    data = target / "data"
    shutil.copytree(FIXTURE, data, ignore=shutil.ignore_patterns("*.gz"))
    with gzip.open(FIXTURE / "ita.duckdb.gz") as packed, (data / "ita.duckdb").open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    return data


def table_rows(database: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return {
            table: sorted(con.execute(f"select * exclude (stored_path) from {table}").fetchall()
                          if table == "files" else con.execute(f"select * from {table}").fetchall(), key=repr)
            for table in FIXTURE_COUNTS
        }


def columns(database: Path) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            "select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns "
            "where table_schema = 'main' and table_name in (select table_name from duckdb_tables()) order by all"
        ).fetchall()


# When a file was taken in, as the workbooks show it: "๕ ตุลาคม ๒๕๖๖ ๑๔:๐๕" (or the ISO form).
RECEIVED_AT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}|[๐-๙]{1,2} \S+ [๐-๙]{4} [๐-๙]{2}:[๐-๙]{2}")
# Trace columns that cannot agree: sheets taken in before version 4 kept no
# column positions (no A1 cell), and the two builds took the files in at
# different times.
TRACE_UNEQUAL = ("เซลล์", "วันที่ได้รับ")


def _when_received(value: object) -> object:
    """The status workbook says when each file was taken in: not the same
    minute for two builds."""
    return "<received at>" if isinstance(value, str) and RECEIVED_AT.fullmatch(value) else value


def _comparable(rows: list[list[object]]) -> list[list[object]]:
    unequal = [i for i, title in enumerate(rows[0] if rows else []) if title in TRACE_UNEQUAL]
    return [row if n == 0 else ["<differs>" if i in unequal else v for i, v in enumerate(row)]
            for n, row in enumerate(rows)]


def outbox_contents(outbox: Path) -> dict[str, object]:
    """Each output as a reader sees it: a document's text, a workbook's cell
    values sheet by sheet (times of receipt aside), a text file's bytes."""
    found: dict[str, object] = {}
    for path in sorted(p for p in outbox.rglob("*") if p.is_file()):
        if path.suffix == ".docx":
            found[str(path.relative_to(outbox))] = docx_text(path)
        elif path.suffix == ".xlsx":
            workbook = load_workbook(path)
            found[str(path.relative_to(outbox))] = {
                sheet.title: _comparable([[_when_received(cell.value) for cell in row] for row in sheet.iter_rows()])
                for sheet in workbook
            }
        else:
            found[str(path.relative_to(outbox))] = path.read_bytes()
    return found


def test_the_fixture_is_what_f47e530_wrote(tmp_path):
    data = old_data_folder(tmp_path)
    with duckdb.connect(str(data / "ita.duckdb"), read_only=True) as con:
        assert schema_version(con) == 1
        assert {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in FIXTURE_COUNTS} == FIXTURE_COUNTS
        stored = [row[0] for row in con.execute("select stored_path from files").fetchall()]
    assert all(path.startswith("/tmp/upg-fix/data/") for path in stored)


def test_an_old_data_folder_keeps_every_row_and_writes_what_a_fresh_build_writes(tmp_path):
    old = tmp_path / "old"
    data = old_data_folder(old)
    before = table_rows(data / "ita.duckdb")
    fixture_processed_at = {row[-1] for row in before["files"]}

    with Store(data / "ita.duckdb") as store:
        assert schema_version(store.con) == SCHEMA_VERSION
        stored = store.con.execute("select stored_path from files order by all").fetchall()
        receipts = store.con.execute(
            "select r.file_name, f.stored_path from receipts as r join files as f using (sha256)").fetchall()
    assert table_rows(data / "ita.duckdb") == before
    # The originals are found in the data folder's new place.
    assert all((data / path).is_file() for (path,) in stored)

    (old / "inbox").mkdir()
    upgraded = run_pipeline(old)
    assert upgraded["accepted"] == upgraded["rejected"] == []

    fresh = tmp_path / "fresh"
    (fresh / "inbox").mkdir(parents=True)
    for file_name, path in receipts:
        shutil.copy2(data / path, fresh / "inbox" / file_name)
    built = run_pipeline(fresh)
    assert len(built["accepted"]) == 5 and len(built["rejected"]) == 1

    expected = outbox_contents(fresh / "outbox")
    assert any(name.endswith("_ตรวจแล้ว.xlsx") for name in expected)  # the rejected file's marked copy
    assert sorted(expected) == sorted(outbox_contents(old / "outbox"))
    assert outbox_contents(old / "outbox") == expected
    # and the upgraded status still tells when f47e530 took each file in
    status = next((old / "outbox").rglob("สถานะการส่งรายงาน_2566.xlsx"))
    shown = {c.value for sheet in load_workbook(status) for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and RECEIVED_AT.fullmatch(c.value)}
    assert shown == {_when(processed) for processed in fixture_processed_at}


def test_an_upgraded_database_has_the_schema_of_a_fresh_one(tmp_path):
    """A change to the tables that went into an existing migration, or into
    no migration, would reach new databases only."""
    data = old_data_folder(tmp_path / "old")
    Store(data / "ita.duckdb").close()
    Store(tmp_path / "fresh.duckdb").close()
    assert columns(data / "ita.duckdb") == columns(tmp_path / "fresh.duckdb")
    with duckdb.connect(str(data / "ita.duckdb"), read_only=True) as old, \
            duckdb.connect(str(tmp_path / "fresh.duckdb"), read_only=True) as new:
        query = "select version, name from schema_version order by version"
        assert old.execute(query).fetchall() == new.execute(query).fetchall()
        assert [v for v, _ in new.execute(query).fetchall()] == list(range(1, SCHEMA_VERSION + 1))


def test_a_reader_opens_an_old_database_after_bringing_it_up_to_date(tmp_path):
    data = old_data_folder(tmp_path)
    with Store(data / "ita.duckdb", read_only=True) as store:
        assert schema_version(store.con) == SCHEMA_VERSION
        assert len(store.query("setups_all")) == 1


def _newer_database(path: Path) -> None:
    Store(path).close()
    with duckdb.connect(str(path)) as con:
        con.execute("insert into schema_version values ($v, '999_from_the_future', current_localtimestamp())",
                    {"v": SCHEMA_VERSION + 1})


@pytest.mark.parametrize("read_only", [False, True])
def test_a_database_newer_than_the_code_is_refused_in_thai(tmp_path, read_only):
    database = tmp_path / "ข้อมูล" / "ita.duckdb"
    _newer_database(database)
    with pytest.raises(DatabaseTooNew) as refused:
        Store(database, read_only=read_only)
    assert str(refused.value) == (
        f"ฐานข้อมูล {database} ถูกปรับเป็นโครงสร้างรุ่น {SCHEMA_VERSION + 1} โดยโปรแกรมรุ่นที่ใหม่กว่า "
        f"แต่โปรแกรมนี้รู้จักถึงรุ่น {SCHEMA_VERSION} เท่านั้น จึงไม่ได้อ่านหรือแก้ไขฐานข้อมูลนี้: "
        "ให้ติดตั้งโปรแกรมรุ่นล่าสุด แล้วสั่งงานอีกครั้ง"
    )
    with duckdb.connect(str(database), read_only=True) as con:
        assert schema_version(con) == SCHEMA_VERSION + 1


@pytest.mark.parametrize("command", [["status"], ["run", "--memo-date", "2023-10-05"]])
def test_the_command_line_refuses_a_newer_database_with_the_thai_message(tmp_path, command):
    from ita.cli import main

    data = tmp_path / "data"
    _newer_database(data / "ita.duckdb")
    (tmp_path / "inbox").mkdir()
    result = CliRunner().invoke(main, [*command, "--data", str(data), *(
        ["--inbox", str(tmp_path / "inbox"), "--outbox", str(tmp_path / "outbox")] if command[0] == "run" else [])])
    assert result.exit_code == 1
    assert result.output.endswith(f"ผิดพลาด: {DatabaseTooNew(data / 'ita.duckdb', SCHEMA_VERSION + 1)}\n")
    assert not (tmp_path / "outbox").exists()


def _sql_with(tmp_path: Path, name: str, text: str) -> Path:
    """The code's sql/ folder plus one more migration."""
    sql = tmp_path / "sql"
    shutil.copytree(store_module.SQL_DIR, sql, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    (sql / "migrations" / name).write_text(text, encoding="utf-8")
    return sql


def _code_with(monkeypatch, sql: Path) -> None:
    monkeypatch.setattr(store_module, "SQL_DIR", sql)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", len(store_module.migrations()))
    store_module._sql.cache_clear()


def test_a_column_added_by_a_migration_reaches_a_database_made_before_it(tmp_path, monkeypatch):
    data = old_data_folder(tmp_path)
    _code_with(monkeypatch, _sql_with(tmp_path, f"{SCHEMA_VERSION + 1:03d}_files_note.sql",
                                      "alter table files add column note varchar;\n"))
    with Store(data / "ita.duckdb") as store:
        assert "note" in store.con.table("files").columns
        store.append("files", [{"sha256": "e" * 64, "file_name": "รายงาน_กองคลัง.xlsx", "size": 1, "kind": "unknown",
                                "outcome": "rejected", "stored_path": "quarantine/x.xlsx", "note": "หมายเหตุ",
                                "processed_at": "2023-10-05 02:00:00"}])
        assert store.con.execute("select note from files where note is not null").fetchall() == [("หมายเหตุ",)]
        assert schema_version(store.con) == SCHEMA_VERSION + 1


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    data = old_data_folder(tmp_path)
    before = table_rows(data / "ita.duckdb")
    _code_with(monkeypatch, _sql_with(tmp_path, f"{SCHEMA_VERSION + 1:03d}_half_done.sql",
                                      "alter table files add column note varchar;\n"
                                      "update files set note = error('broken migration');\n"))
    with pytest.raises(duckdb.Error, match="broken migration"):
        Store(data / "ita.duckdb")
    with duckdb.connect(str(data / "ita.duckdb"), read_only=True) as con:
        assert schema_version(con) == 1
        assert "note" not in con.table("files").columns
        assert con.execute("select count(*) from files where stored_path like '/tmp/upg-fix/%'").fetchone()[0] == 6
    assert table_rows(data / "ita.duckdb") == before


def test_append_refuses_a_key_the_table_lacks(tmp_path):
    with Store(tmp_path / "ita.duckdb") as store:
        with pytest.raises(KeyError, match="table guidelines has no column page"):
            store.append("guidelines", [{"sha256": "a" * 64, "no": 1, "text": "แนวทาง", "page": 3}])
        assert store.con.execute("select count(*) from guidelines").fetchone()[0] == 0


def test_parallel_connections_migrate_an_old_database_once(tmp_path):
    data = old_data_folder(tmp_path)
    errors: list[BaseException] = []
    opened: list[int] = []

    def open_store() -> None:
        try:
            with Store(data / "ita.duckdb") as store:
                opened.append(len(store.query("setups_all")))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and opened == [1] * 6
    with duckdb.connect(str(data / "ita.duckdb"), read_only=True) as con:
        assert con.execute("select version from schema_version order by all").fetchall() == [
            (v,) for v in range(1, SCHEMA_VERSION + 1)]
