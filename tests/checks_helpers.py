"""Take inbox files in as the night does (reading, checks, loading), without
Prefect or rendering: what the checks decided can then be asked of the store."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ita import ingest, inbox, settings
from ita.load_summary import LoadSummary
from ita.store import Store

RUN_AT = datetime(2023, 10, 5, 2, 0)


def config_of(root: Path) -> settings.Config:
    return settings.resolve(inbox=str(root / "inbox"), outbox=str(root / "outbox"), data=str(root / "data"))


def take_in(root: Path, now: datetime = RUN_AT) -> LoadSummary:
    config = config_of(root)
    files = inbox.scan(config.inbox, 0, now=now.timestamp() + 10**9).ready
    outcomes = ingest.read_and_validate(files, isolated=False)
    with Store(config.database) as store:
        return ingest.load(outcomes, store, config, now=now)


def query(root: Path, sql: str, *params: object) -> list[dict]:
    with Store(config_of(root).database) as store:
        cursor = store.con.execute(sql, list(params))
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, r)) for r in cursor.fetchall()]


def problems_of(root: Path, file_name: str) -> list[dict]:
    return query(root, "select p.* exclude (sha256, seq), f.outcome from problems p join files f using (sha256) "
                       "where f.file_name = ? order by p.seq", file_name)
