"""The DuckDB file: its tables and models (sql/*.sql), named queries
(sql/queries/*.sql) and appends of whole row sets, one transaction per file."""

from __future__ import annotations

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


class Store:
    def __init__(self, path: Path, read_only: bool = False):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(path), read_only=read_only)
        if not read_only:
            for model in sorted(SQL_DIR.glob("*.sql")):
                self.con.execute(model.read_text(encoding="utf-8")).fetchall()

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

    def next_accepted_seq(self) -> int:
        return self.con.execute(_sql("commands/next_accepted_seq")).fetchall()[0][0]

    def append(self, table: str, rows: list[dict]) -> None:
        """Insert rows by column name; absent columns stay null."""
        if rows:
            self.con.append(table, pa.Table.from_pylist(rows).to_pandas(), by_name=True)

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        self.con.begin()
        try:
            yield self
        except BaseException:
            self.con.rollback()
            raise
        self.con.commit()
