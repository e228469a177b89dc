"""The DuckDB file: its tables, brought to the code's schema version by
numbered migrations (sql/migrations/NNN_*.sql), its macros
(sql/000_macros.sql, made on every connection), its models (sql/0NN_*.sql,
recreated on open), named queries (sql/queries/*.sql) and appends of whole
row sets, one transaction per file. docs/store.md says how to change the
schema."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

from ita.package_data import SQL as SQL_DIR


@cache
def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path


def migrations() -> tuple[Migration, ...]:
    found = []
    for path in sorted((SQL_DIR / "migrations").glob("*.sql")):
        match = re.fullmatch(r"(\d{3})_\w+\.sql", path.name)
        if not match:
            raise ValueError(f"migration file not named NNN_name.sql: {path.name}")
        found.append(Migration(int(match[1]), path.stem, path))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise ValueError(f"migrations must be numbered 1, 2, 3 … without gaps: {versions}")
    return tuple(found)


SCHEMA_VERSION = len(migrations())
MACROS = "000_macros"


def models() -> list[Path]:
    """The views, in the order they build on each other (their file names)."""
    return [path for path in sorted(SQL_DIR.glob("*.sql")) if path.stem != MACROS]


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """The bare connection; StoreBusy when another process holds the file."""
    try:
        return duckdb.connect(str(path), read_only=read_only, config=CONNECTION_CONFIG)
    except duckdb.IOException as error:
        if "Could not set lock" in str(error):
            raise StoreBusy(path) from None
        raise


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection with the rules' macros as temporary ones, which come
    before the stored: a read-only connection too finds the code's own
    definitions, even in a database last written by an older version."""
    con = _open(path, read_only)
    try:
        con.execute(_sql(MACROS).replace("create or replace macro", "create or replace temp macro")).fetchall()
    except BaseException:
        con.close()
        raise
    return con


class StoreBusy(Exception):
    """Another process has the database open for writing (DuckDB lets one
    process at a time have the file): a night's run, while it lasts."""

    def __init__(self, path: Path):
        super().__init__(
            f"ฐานข้อมูล {path} กำลังถูกใช้โดยโปรแกรมอีกตัวหนึ่ง (เช่น รอบการทำงาน ita run ที่ยังไม่เสร็จ) "
            "ให้รอจนรอบนั้นเสร็จแล้วสั่งงานอีกครั้ง"
        )
        self.path = path


class DatabaseTooNew(Exception):
    """The database was written by a newer version of the program: its
    tables may hold what this code would misread or drop."""

    def __init__(self, path: Path, found: int):
        super().__init__(
            f"ฐานข้อมูล {path} ถูกปรับเป็นโครงสร้างรุ่น {found} โดยโปรแกรมรุ่นที่ใหม่กว่า "
            f"แต่โปรแกรมนี้รู้จักถึงรุ่น {SCHEMA_VERSION} เท่านั้น จึงไม่ได้อ่านหรือแก้ไขฐานข้อมูลนี้: "
            "ให้ติดตั้งโปรแกรมรุ่นล่าสุด แล้วสั่งงานอีกครั้ง"
        )
        self.path = path
        self.found = found


# Migrations and models are applied once per database per process: tasks
# open their own connections in parallel threads, and two connections
# replacing the same view at once is a write-write conflict in DuckDB.
_prepared: set[str] = set()
_preparing = threading.Lock()
# DuckDB's default buffer pool is 80% of the machine; loading 100,000 sheets
# kept growing it past a gigabyte. Batches and queries here need far less,
# and the run as a whole must stay under 1 GB (docs/performance.md).
CONNECTION_CONFIG = {"memory_limit": "128MB", "threads": "2"}


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The database's schema version. A database written before versions
    were kept (no schema_version table, but a files table) is version 1:
    sql/migrations/001_tables.sql is the schema of that code."""
    tables = {row[0] for row in con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() and schema_name = 'main'"
    ).fetchall()}
    if "schema_version" in tables:
        return con.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]
    return 1 if "files" in tables else 0


def _migrate(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Bring the database to SCHEMA_VERSION and recreate the models, all in
    one transaction: a failure leaves the database as it was."""
    con.begin()
    try:
        found = schema_version(con)
        if found > SCHEMA_VERSION:
            raise DatabaseTooNew(path, found)
        con.execute(
            "create table if not exists schema_version "
            "(version integer primary key, name varchar not null, applied_at timestamp)"
        )
        if found == 1 and not con.execute("select count(*) from schema_version").fetchone()[0]:
            # Applied before versions were kept: when, nobody recorded.
            con.execute("insert into schema_version values (1, $name, null)", {"name": migrations()[0].name})
        for migration in migrations()[found:]:
            con.execute(migration.path.read_text(encoding="utf-8")).fetchall()
            con.execute("insert into schema_version values ($version, $name, current_localtimestamp())",
                        {"version": migration.version, "name": migration.name})
        # Stored too, for the views read from any other DuckDB client.
        con.execute(_sql(MACROS)).fetchall()
        for model in models():
            con.execute(model.read_text(encoding="utf-8")).fetchall()
    except BaseException:
        con.rollback()
        raise
    con.commit()


class Store:
    def __init__(self, path: Path, read_only: bool = False):
        path.parent.mkdir(parents=True, exist_ok=True)
        key = str(path.resolve())
        self.con = _connect(path, read_only)
        self._column_names: dict[str, list[str]] = {}
        try:
            if read_only:
                self._check_read_only(path)
            else:
                with _preparing:
                    # Asked on every open: another program may have moved the
                    # database on since this process prepared it.
                    if key not in _prepared or schema_version(self.con) != SCHEMA_VERSION:
                        _migrate(self.con, path)
                        _prepared.add(key)
        except BaseException:
            self.con.close()
            raise

    @staticmethod
    def refuse_if_newer(path: Path) -> None:
        """DatabaseTooNew when the file was written by a newer program;
        nothing is created or changed either way."""
        if path.is_file():
            try:
                con = _open(path, read_only=True)
            except StoreBusy:
                return  # a run has it: this one waits for the run lock, and opening asks again
            with con:
                found = schema_version(con)
            if found > SCHEMA_VERSION:
                raise DatabaseTooNew(path, found)

    def _check_read_only(self, path: Path) -> None:
        """A reader never writes; an older database is brought up to date
        by a writing connection first, then opened read-only again."""
        found = schema_version(self.con)
        if found > SCHEMA_VERSION:
            raise DatabaseTooNew(path, found)
        if found < SCHEMA_VERSION:
            self.con.close()
            Store(path).close()
            self.con = _connect(path, read_only=True)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(self, name: str, **params: object) -> list[dict]:
        """Rows of sql/queries/<name>.sql as dicts."""
        cursor = self.con.execute(_sql(f"queries/{name}"), params or None)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]

    def command(self, name: str, **params: object) -> None:
        self.con.execute(_sql(f"commands/{name}"), params or None).fetchall()

    def next_accepted_seqs(self, n: int) -> list[int]:
        return [row[0] for row in self.con.execute(_sql("commands/next_accepted_seqs"), {"n": n}).fetchall()]

    def append(self, table: str, rows: list[dict]) -> None:
        """Insert rows by column name (absent ones stay null), as one Arrow
        scan: an insert through pandas objects is what dominated loading.
        A key the table has no column for is an error, never dropped: it
        means a migration is missing."""
        if rows:
            columns = self._columns(table)
            unknown = set().union(*rows).difference(columns)
            if unknown:
                raise KeyError(f"table {table} has no column {', '.join(sorted(unknown))}: add a migration")
            data = pa.Table.from_pydict({c: [row.get(c) for row in rows] for c in columns})
            self.con.from_arrow(data).insert_into(table)

    def append_arrow(self, table: str, data: pa.Table) -> None:
        """Insert an Arrow table's rows by column name (absent ones stay
        null), straight from its buffers; the same check as `append`."""
        unknown = set(data.column_names).difference(self._columns(table))
        if unknown:
            raise KeyError(f"table {table} has no column {', '.join(sorted(unknown))}: add a migration")
        self.con.register("appended", data)
        try:
            self.con.execute(f"insert into {table} by name select * from appended")
        finally:
            self.con.unregister("appended")

    def _columns(self, table: str) -> list[str]:
        if table not in self._column_names:
            self._column_names[table] = self.con.table(table).columns
        return self._column_names[table]

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        self.con.begin()
        try:
            yield self
        except BaseException:
            self.con.rollback()
            raise
        self.con.commit()
