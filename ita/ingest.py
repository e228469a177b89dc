"""Ingest: read and validate batches of inbox files, load each batch into the
store in one transaction, and move its originals out of the inbox.

Reading and validating, and building the rows to store, needs no database
and can run anywhere (`ita.prepare`, in the reader processes); loading is
done by one writer, batch by batch as they are read (`take_in`): it judges
each file against the store, appends the rows it keeps and commits.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from ita import records, thai
from ita.faults import crash_point
from ita.inbox import InboxFile, keep_all, remove_originals, still_as_read, stored_name
from ita.isolated_read import read_isolated, stop_workers
from ita.load_summary import LoadSummary
from ita.parse import MONTHLY, SETUP, UNKNOWN, parse_workbook
from ita.prepare import FileOutcome, ReadBatch, assemble, prepare
from ita.problems import is_rejected
from ita.records import Monthly, Setup
from ita.settings import Config
from ita.store import Store
from ita.year_setup import bodies_setup_rows, setup_of_row, year_setup

# Setups are judged first, so a sheet that arrives with its year's setup is checked against it.
_KIND_ORDER = {SETUP: 0, MONTHLY: 1, UNKNOWN: 2}
ACCEPTED = "accepted"
REJECTED = "rejected"
DUPLICATE = "duplicate"


def read_and_validate(files: list[InboxFile], isolated: bool = True) -> ReadBatch:
    """`isolated`: read in memory-capped worker processes (for files from
    the inbox, which may be hostile); in-process for a file a user names."""
    if isolated:
        pieces = read_isolated([f.path for f in files])
    else:
        pieces = [prepare([(i, parse_workbook(f.path)) for i, f in enumerate(files)], slim=False)]
    return assemble(files, pieces)


class Pending(Protocol):
    def result(self) -> ReadBatch: ...


def take_in(batches: Iterable[list[InboxFile]], read: Callable[[list[InboxFile], str], Pending],
            load: Callable[[ReadBatch], LoadSummary], ahead: int) -> LoadSummary:
    """Read batches at most `ahead` in front of the one writer and load each
    as soon as it is read, in inbox order (a later copy of a month must win).
    Only `ahead` + 1 batches are ever held, so memory stays flat however full
    the inbox, nothing is staged on disk, and reading overlaps loading.
    `read(batch, name)` starts reading a batch and returns what will hold its
    outcomes (a Prefect or concurrent.futures future)."""
    summary = LoadSummary()
    pending: deque[Pending] = deque()
    for n, batch in enumerate(batches):
        pending.append(read(batch, f"batch-{n:05d}"))
        if len(pending) > ahead:
            summary.merge(_load_next(pending, load))
    while pending:
        summary.merge(_load_next(pending, load))
    stop_workers()  # the reader processes (~150 MB each) are not needed until the next night
    return summary


def _load_next(pending: deque[Pending], load: Callable[[ReadBatch], LoadSummary]) -> LoadSummary:
    outcomes = pending.popleft().result()
    crash_point("after_read")
    return load(outcomes)


class _Setups:
    """The setup that counts for each (body, year), read once per load and
    updated by the setups the same batch accepts (by the rule of
    sql/010_latest_setups.sql: `setup_rank`); which files of the batch
    were judged by a setup of the same batch."""

    def __init__(self, store: Store):
        self.store = store
        self.known: dict[tuple[str, int], Setup | None] = {}
        self.rank: dict[tuple[str, int], tuple] = {}
        self.names: dict[tuple[str, int], str] = {}  # the file name of the setup that counts
        self.years: dict[str, set[int]] = {}
        self.stored: dict[tuple[str, int], dict] = {}  # rows of latest_setups of the bodies read ahead
        self.read_ahead: set[str] = set()
        self.from_batch: dict[tuple[str, int], str] = {}  # (body, year) → sha256 of its setup in this batch
        self.judged_by: dict[str, str] = {}  # sha256 of a sheet → sha256 of the batch's setup it was judged by

    def get(self, body_key: str, fiscal_year: int | None, judged: str = "") -> Setup | None:
        if fiscal_year is None:
            return None
        key = (body_key, fiscal_year)
        if key not in self.known:
            if body_key in self.read_ahead:
                row = self.stored.get(key)
                stored = setup_of_row(self.store, row) if row else None
            else:
                stored = year_setup(self.store, body_key, fiscal_year)
            self.known[key] = stored.as_setup() if stored else None
            if stored:
                self.rank[key] = setup_rank(stored.row["saved_at"], stored.row["processed_at"], stored.row["sha256"])
                self.names[key] = stored.row["file_name"]
        if judged and key in self.from_batch:
            self.judged_by[judged] = self.from_batch[key]
        return self.known[key]

    def read_ahead_bodies(self, body_keys: set[str]) -> None:
        """The stored setups of these bodies, every year, in one query."""
        bodies = sorted(body_keys - self.read_ahead)
        if bodies:
            rows = bodies_setup_rows(self.store, bodies)
            self.stored.update(rows)
            for body in bodies:
                self.years[body] = {year for b, year in rows if b == body}
            self.read_ahead.update(bodies)

    def years_of(self, body_key: str) -> list[int]:
        """Every fiscal year of the body that has a setup."""
        if body_key not in self.years:
            self.years[body_key] = {r["fiscal_year"] for r in self.store.query("setup_years_of", body_key=body_key)}
        return sorted(self.years[body_key] | {y for (b, y), s in self.known.items() if b == body_key and s})

    def accept(self, setup: Setup, rank: tuple, file_name: str, sha256: str) -> str | None:
        """Take an accepted setup in; the file name of the setup of the same
        body and year that no longer counts (this one or the one before), if any."""
        key = (setup.body_key, setup.fiscal_year)
        current = self.get(*key)
        if current is not None and self.rank[key] > rank:
            return file_name
        loser = self.names.get(key) if current is not None else None
        self.known[key], self.rank[key], self.names[key] = setup, rank, file_name
        self.from_batch[key] = sha256
        return loser

    def depending_on(self, setups: set[str]) -> set[str]:
        """The sheets judged by one of these setups of the batch."""
        return {sheet for sheet, setup in self.judged_by.items() if setup in setups}


def _body_keys(outcome: FileOutcome) -> list[str]:
    of = outcome.setup or outcome.monthly
    return [of.body_key] if of and of.body_key else []


def setup_rank(saved_at: datetime | None, processed_at: datetime, sha256: str) -> tuple:
    """SPEC: of two setups of one body and year, the one saved later counts;
    on a tie, the one taken in on a later night; then the larger sha256 (an
    arbitrary but fixed order: never the file name). sql/010_latest_setups.sql
    orders the same way."""
    return (saved_at or datetime.min, processed_at, sha256)


def load(batch: ReadBatch, store: Store, config: Config, now: datetime | None = None) -> LoadSummary:
    """Take a batch into the store in one transaction, then move each
    original out of the inbox. Every file is in whole or not at all; a commit
    per file would cost more than its rows (docs/performance.md). Setups go first,
    so a monthly sheet that arrives with its year's setup is checked against it.

    A file whose bytes changed since it was read (a copy that was still
    going on) is left in the inbox for the next run with nothing of it
    committed: its kept copy is made, and checked, before the commit."""
    now = now or datetime.now().replace(microsecond=0)
    summary = LoadSummary()
    as_read = [still_as_read(o.file) for o in batch]
    summary.left = [o.file.name for o, ok in zip(batch, as_read) if not ok]
    outcomes = [(i, o) for i, (o, ok) in enumerate(zip(batch, as_read)) if ok]
    accepted = {row["sha256"] for row in store.query("accepted_among", sha256s=[o.file.sha256 for _, o in outcomes])}
    handled: dict[str, Path] = {}  # sha256 → where it goes, for copies within the batch
    setups = _Setups(store)
    setups.read_ahead_bodies({key for _, o in outcomes for key in _body_keys(o)})
    rows: dict[str, list[dict]] = defaultdict(list)
    stored: list[int] = []  # the files whose rows the readers built are kept, by index in the batch
    moves: list[tuple[InboxFile, Path]] = []
    verdicts: list[tuple[str, list[str], str]] = []  # (sha256, summary list, name), in order
    seqs = iter(store.next_accepted_seqs(len(outcomes)))
    for index, outcome in sorted(outcomes, key=lambda pair: _KIND_ORDER[pair[1].parsed.kind]):
        file = outcome.file
        rows["receipts"].append({"sha256": file.sha256, "file_name": file.name, "received_at": now})
        if file.sha256 in accepted or file.sha256 in handled:
            moves.append((file, handled.get(file.sha256, config.archive)))
            verdicts.append((file.sha256, summary.duplicates, file.name))
            continue
        rejected = _judge(outcome, setups, now.date(), config.data)
        folder = config.quarantine if rejected else config.archive
        file_row = {
            "sha256": file.sha256, "file_name": file.name, "size": file.size, "saved_at": file.saved_at,
            "kind": outcome.parsed.kind, "outcome": REJECTED if rejected else ACCEPTED,
            "stored_path": (folder / stored_name(file)).relative_to(config.data).as_posix(), "processed_at": now, **identity(outcome),
        }
        if not rejected:
            file_row["accepted_seq"] = next(seqs)
            if outcome.setup:
                superseded = setups.accept(outcome.setup, setup_rank(file.saved_at, now, file.sha256), file.name, file.sha256)
                if superseded:
                    summary.superseded.append(superseded)
                rows["setups"].append(_setup_row(file.sha256, outcome.setup, file_row["accepted_seq"]))
            elif outcome.monthly:
                rows["submissions"].append(_submission_row(file, outcome.monthly, file_row["accepted_seq"]))
            stored.append(index)
        rows["files"].append(file_row)
        rows["problems"] += [
            {"sha256": file.sha256, "seq": i, "severity": p.severity, "sheet": p.sheet, "row": p.row,
             "col": p.col, "label": p.label, "value": p.value, "message": p.message, "hint": p.hint}
            for i, p in enumerate(outcome.problems)
        ]
        handled[file.sha256] = folder
        moves.append((file, folder))
        verdicts.append((file.sha256, summary.rejected if rejected else summary.accepted, file.name))
    changed, made = keep_all(moves)
    left = setups.depending_on(changed) | changed
    if left:
        rows = {table: [r for r in table_rows if r["sha256"] not in left] for table, table_rows in rows.items()}
        moves = [(file, folder) for file, folder in moves if file.sha256 not in left]
        for sha in left:
            if sha in made:  # the copy of a file left only because the setup it was judged by was
                made[sha].unlink(missing_ok=True)
    for sha, verdict, name in verdicts:
        (summary.left if sha in left else verdict).append(name)
    receipts = rows.pop("receipts", [])
    columns = batch.rows_of([i for i in stored if batch[i].file.sha256 not in left])
    with store.transaction():
        # A rejected file dropped again is judged again: its old verdict goes.
        forgotten = [row["sha256"] for row in rows.get("files", [])]
        store.command("forget_problems", sha256s=forgotten)
        store.command("forget_files", sha256s=forgotten)
        for table, table_rows in rows.items():
            store.append(table, table_rows)
        for table, data in columns.items():
            store.append_arrow(table, data)
        store.command("record_receipts", sha256s=[r["sha256"] for r in receipts],
                      file_names=[r["file_name"] for r in receipts], received_at=now)
    crash_point("after_commit")
    remove_originals(moves)
    return summary


def judge_only(outcomes: Sequence[FileOutcome], store: Store, data_dir: Path, now: datetime) -> list[bool]:
    """The night's verdict on each file (rejected or not), with every check
    `load` makes, taking nothing in: the store is only read. Setups go
    first, so sheets checked together with their year's setup use it."""
    setups = _Setups(store)
    setups.read_ahead_bodies({key for o in outcomes for key in _body_keys(o)})
    verdicts: dict[int, bool] = {}
    for outcome in sorted(outcomes, key=lambda o: _KIND_ORDER[o.parsed.kind]):
        verdicts[id(outcome)] = rejected = _judge(outcome, setups, now.date(), data_dir)
        if not rejected and outcome.setup:
            file = outcome.file
            setups.accept(outcome.setup, setup_rank(file.saved_at, now, file.sha256), file.name, file.sha256)
    return [verdicts[id(o)] for o in outcomes]


def _judge(outcome: FileOutcome, setups: _Setups, today: date, data_dir: Path) -> bool:
    """Whether the file is rejected, after the checks that need its year's
    setup or the data folder; a sheet of a known body takes the setup's
    spelling of body and division and is filed under one of the body's
    setup years."""
    parsed = outcome.parsed
    if outcome.setup:
        problem = records.emblem_problem(outcome.setup, parsed, data_dir)
        if problem:
            parsed.problems.append(problem)
    if outcome.monthly:
        monthly = outcome.monthly
        years = setups.years_of(monthly.body_key)
        outcome.filed_year = records.filing_year(monthly, years)
        setup = setups.get(monthly.body_key, outcome.filed_year, judged=outcome.file.sha256)
        parsed.problems.extend(records.check_monthly(monthly, parsed, setup, years, today))
        if setup:
            monthly.body = setup.body
            monthly.division = records.canonical(setup.divisions, monthly.division)
    return is_rejected(parsed.problems)


def identity(outcome: FileOutcome) -> dict:
    """Whatever of (body, year, division, month) can be read, even from a
    rejected file, so the status can show whose file was rejected."""
    if outcome.setup:
        s = outcome.setup
        return {"body": s.body or None, "body_key": s.body_key or None, "fiscal_year": s.fiscal_year or None}
    if outcome.monthly:
        m = outcome.monthly
        return {"body": m.body or None, "body_key": m.body_key or None,
                "fiscal_year": outcome.filed_year or m.fiscal_year, "division": m.division or None,
                "month": date(m.year, m.month, 1) if m.month else None}
    block = outcome.parsed.blocks.get("header") or outcome.parsed.blocks.get("organisation")
    if not block:
        return {}
    values = block.values
    body = thai.one_line(values.get("body") or values.get("name"))
    identity: dict = {"body": body or None, "body_key": thai.label_key(body) or None}
    month = thai.parse_month(values.get("month")) if values.get("month") is not None else None
    if month:
        identity["fiscal_year"] = thai.fiscal_year(*month)
        identity["month"] = datetime(month[0], month[1], 1).date()
    elif values.get("fiscal_year") is not None:
        number = thai.parse_number(values.get("fiscal_year"))
        identity["fiscal_year"] = thai.be_year(int(number)) if number else None
    if values.get("division") is not None:
        identity["division"] = thai.one_line(values.get("division"))
    return identity


def _setup_row(sha: str, s: Setup, seq: int) -> dict:
    return {
        "sha256": sha, "body": s.body, "body_key": s.body_key, "fiscal_year": s.fiscal_year,
        "owner_division": s.owner_division, "doc_no": s.doc_no, "address": s.address,
        "phone": s.phone, "emblem": s.emblem, "accepted_seq": seq,
    }


def _submission_row(file: InboxFile, m: Monthly, seq: int) -> dict:
    """Its body and division as the judging left them: the setup's spelling."""
    return {
        "sha256": file.sha256, "body": m.body, "body_key": m.body_key, "fiscal_year": m.fiscal_year,
        "division": m.division, "month": datetime(m.year, m.month, 1).date(), "reporter": m.reporter,
        "position": m.position, "report_date": m.report_date, "saved_at": file.saved_at,
        "sheet": m.sheet, "accepted_seq": seq,
    }
