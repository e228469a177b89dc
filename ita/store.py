"""The DuckDB file: its tables and models (sql/*.sql), named queries
(sql/queries/*.sql) and appends of whole row sets, one transaction per file."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"


@cache
def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


# Tables and models are created once per database per process: tasks open
# their own connections in parallel threads, and two connections replacing
# the same view at once is a write-write conflict in DuckDB.
_prepared: set[str] = set()
_preparing = threading.Lock()
# DuckDB's default buffer pool is 80% of the machine; loading 100,000 sheets
# kept growing it past a gigabyte. Batches and queries here need far less,
# and the run as a whole must stay under 1 GB (notes/perf.md).
CONNECTION_CONFIG = {"memory_limit": "128MB", "threads": "2"}


class Store:
    def __init__(self, path: Path, read_only: bool = False):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(path), read_only=read_only, config=CONNECTION_CONFIG)
        self._column_names: dict[str, list[str]] = {}
        if not read_only:
            with _preparing:
                if str(path.resolve()) not in _prepared:
                    for model in sorted(SQL_DIR.glob("*.sql")):
                        self.con.execute(model.read_text(encoding="utf-8")).fetchall()
                    _prepared.add(str(path.resolve()))

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
        scan: an insert through pandas objects is what dominated loading."""
        if rows:
            columns = self._columns(table)
            data = pa.Table.from_pydict({c: [row.get(c) for row in rows] for c in columns})
            self.con.from_arrow(data).insert_into(table)

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
