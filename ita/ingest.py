"""Ingest: read and validate batches of inbox files, load each batch into the
store in one transaction, and move its originals out of the inbox.

Reading and validating needs no database and can run anywhere; loading is
done by one writer, batch by batch as they are read (`take_in`).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from ita import records, thai
from ita.faults import crash_point
from ita.inbox import InboxFile, move_out, stored_name
from ita.isolated_read import parse_isolated, stop_workers
from ita.load_summary import LoadSummary
from ita.parse import MONTHLY, SETUP, UNKNOWN, ParsedFile, parse_workbook
from ita.problems import Problem, is_rejected
from ita.records import Monthly, Setup
from ita.settings import Config
from ita.store import Store
from ita.validate import validate_batch

ACCEPTED = "accepted"
REJECTED = "rejected"
DUPLICATE = "duplicate"
# The monthly fields whose lines the documents print (their cells are traced).
TRACED_FIELDS = ("activity", "result", "outcome")


@dataclass
class FileOutcome:
    file: InboxFile
    parsed: ParsedFile
    setup: Setup | None = None
    monthly: Monthly | None = None

    @property
    def problems(self) -> list[Problem]:
        return self.parsed.problems


def read_and_validate(files: list[InboxFile], isolated: bool = True) -> list[FileOutcome]:
    """`isolated`: parse in memory-capped worker processes (for files from
    the inbox, which may be hostile); in-process for a file a user names."""
    paths = [f.path for f in files]
    parsed = parse_isolated(paths) if isolated else [parse_workbook(p) for p in paths]
    validate_batch(parsed)
    outcomes = []
    for file, result in zip(files, parsed):
        outcome = FileOutcome(file, result)
        if not is_rejected(result.problems):
            if result.kind == SETUP:
                outcome.setup, problems = records.build_setup(result)
                result.problems.extend(problems)
            elif result.kind == MONTHLY:
                outcome.monthly = records.build_monthly(result)
        outcomes.append(outcome)
    return outcomes


class Pending(Protocol):
    def result(self) -> list[FileOutcome]: ...


def take_in(batches: Iterable[list[InboxFile]], read: Callable[[list[InboxFile], str], Pending],
            load: Callable[[list[FileOutcome]], LoadSummary], ahead: int) -> LoadSummary:
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


def _load_next(pending: deque[Pending], load: Callable[[list[FileOutcome]], LoadSummary]) -> LoadSummary:
    outcomes = pending.popleft().result()
    crash_point("after_read")
    return load(outcomes)


class _Setups:
    """The setup that counts for each (body, year), read once per load and
    updated by the setups the same batch accepts."""

    def __init__(self, store: Store):
        self.store = store
        self.known: dict[tuple[str, int], Setup | None] = {}

    def get(self, body_key: str, fiscal_year: int) -> Setup | None:
        key = (body_key, fiscal_year)
        if key not in self.known:
            found = self.store.query("setup_for", body_key=body_key, fiscal_year=fiscal_year)
            self.known[key] = _setup_from_store(self.store, found[0]) if found else None
        return self.known[key]

    def accept(self, setup: Setup) -> None:
        self.known[(setup.body_key, setup.fiscal_year)] = setup


def load(outcomes: list[FileOutcome], store: Store, config: Config, now: datetime | None = None) -> LoadSummary:
    """Take a batch into the store in one transaction, then move each
    original out of the inbox. Every file is in whole or not at all; a commit
    per file would cost more than its rows (notes/perf.md). Setups go first,
    so a monthly sheet that arrives with its year's setup is checked against it."""
    now = now or datetime.now().replace(microsecond=0)
    summary = LoadSummary()
    accepted = {row["sha256"] for row in store.query("accepted_among", sha256s=[o.file.sha256 for o in outcomes])}
    handled: dict[str, Path] = {}  # sha256 → where it goes, for copies within the batch
    setups = _Setups(store)
    rows: dict[str, list[dict]] = defaultdict(list)
    moves: list[tuple[InboxFile, Path]] = []
    seqs = iter(store.next_accepted_seqs(len(outcomes)))
    order = {SETUP: 0, MONTHLY: 1, UNKNOWN: 2}
    for outcome in sorted(outcomes, key=lambda o: order[o.parsed.kind]):
        file = outcome.file
        rows["receipts"].append({"sha256": file.sha256, "file_name": file.name, "received_at": now})
        if file.sha256 in accepted or file.sha256 in handled:
            moves.append((file, handled.get(file.sha256, config.archive)))
            summary.duplicates.append(file.name)
            continue
        rejected = _judge(outcome, setups)
        folder = config.quarantine if rejected else config.archive
        file_row = {
            "sha256": file.sha256, "file_name": file.name, "size": file.size, "saved_at": file.saved_at,
            "kind": outcome.parsed.kind, "outcome": REJECTED if rejected else ACCEPTED,
            "stored_path": str(folder / stored_name(file)), "processed_at": now, **_identity(outcome),
        }
        if not rejected:
            file_row["accepted_seq"] = next(seqs)
            if outcome.setup:
                setups.accept(outcome.setup)
                _setup_rows(rows, file.sha256, outcome.setup, file_row["accepted_seq"])
            elif outcome.monthly:
                _monthly_rows(rows, file, outcome.monthly, file_row["accepted_seq"])
        rows["files"].append(file_row)
        rows["problems"] += [
            {"sha256": file.sha256, "seq": i, "severity": p.severity, "sheet": p.sheet, "row": p.row,
             "col": p.col, "label": p.label, "value": p.value, "message": p.message, "hint": p.hint}
            for i, p in enumerate(outcome.problems)
        ]
        handled[file.sha256] = folder
        moves.append((file, folder))
        (summary.rejected if rejected else summary.accepted).append(file.name)
    receipts = rows.pop("receipts")
    with store.transaction():
        # A rejected file dropped again is judged again: its old verdict goes.
        forgotten = [row["sha256"] for row in rows["files"]]
        store.command("forget_problems", sha256s=forgotten)
        store.command("forget_files", sha256s=forgotten)
        for table, table_rows in rows.items():
            store.append(table, table_rows)
        store.command("record_receipts", sha256s=[r["sha256"] for r in receipts],
                      file_names=[r["file_name"] for r in receipts], received_at=now)
    crash_point("after_commit")
    move_out(moves)
    return summary


def _judge(outcome: FileOutcome, setups: _Setups) -> bool:
    """Whether the file is rejected, after the checks that need its year's
    setup; an accepted sheet takes the setup's spelling of body and division."""
    parsed = outcome.parsed
    if outcome.monthly and not is_rejected(parsed.problems):
        monthly = outcome.monthly
        setup = setups.get(monthly.body_key, monthly.fiscal_year)
        parsed.problems.extend(records.check_monthly(monthly, parsed, setup))
        if setup:
            monthly.body = setup.body
            monthly.division = records.canonical(setup.divisions, monthly.division)
    return is_rejected(parsed.problems)


def _identity(outcome: FileOutcome) -> dict:
    """Whatever of (body, year, division, month) can be read, even from a
    rejected file, so the status can show whose file was rejected."""
    if outcome.setup:
        s = outcome.setup
        return {"body": s.body, "body_key": s.body_key, "fiscal_year": s.fiscal_year}
    if outcome.monthly:
        m = outcome.monthly
        return {"body": m.body, "body_key": m.body_key, "fiscal_year": m.fiscal_year,
                "division": m.division, "month": datetime(m.year, m.month, 1).date()}
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


def _setup_rows(rows: dict[str, list[dict]], sha: str, s: Setup, seq: int) -> None:
    rows["setups"].append({
        "sha256": sha, "body": s.body, "body_key": s.body_key, "fiscal_year": s.fiscal_year,
        "owner_division": s.owner_division, "doc_no": s.doc_no, "address": s.address,
        "phone": s.phone, "emblem": s.emblem, "accepted_seq": seq,
    })
    rows["setup_divisions"] += [{"sha256": sha, "seq": i, "division": d} for i, d in enumerate(s.divisions)]
    rows["signatories"] += [
        {"sha256": sha, "seq": i, "role": g.role, "name": g.name, "position": g.position}
        for i, g in enumerate(s.signatories)
    ]
    rows["measures"] += [
        {"sha256": sha, "no": m.no, "grp": m.group, "title": m.title, "steps": m.steps,
         "responsible": m.responsible, "period": m.period, "divisions": m.divisions, "row": m.row}
        for m in s.measures
    ]
    rows["guidelines"] += [{"sha256": sha, "no": no, "text": text} for no, text in s.guidelines]
    rows["ita_scores"] += [
        {"sha256": sha, "key": c.key, "name": c.name, "year": c.year, "score": c.score, "row": c.row, "col": c.col}
        for c in s.scores
    ]
    rows["ita_levels"] += [
        {"sha256": sha, "year": year, "level": text, "row": row, "col": col}
        for year, (text, row, col) in s.levels.items()
    ]


def _monthly_rows(rows: dict[str, list[dict]], file: InboxFile, m: Monthly, seq: int) -> None:
    rows["submissions"].append({
        "sha256": file.sha256, "body": m.body, "body_key": m.body_key, "fiscal_year": m.fiscal_year,
        "division": m.division, "month": datetime(m.year, m.month, 1).date(), "reporter": m.reporter,
        "position": m.position, "report_date": m.report_date, "saved_at": file.saved_at,
        "sheet": m.sheet, "accepted_seq": seq,
    })
    rows["submission_rows"] += [
        {"sha256": file.sha256, "row": r.row, "measure_no": r.measure_no, "measure_title": r.measure_title,
         "activity": r.activity, "result": r.result, "outcome": r.outcome, "status": r.status,
         "progress": r.progress, "evidence": r.evidence, "remark": r.remark}
        for r in m.rows
    ]
    rows["submission_columns"] += [
        {"sha256": file.sha256, "field": name, "col": col}
        for name, col in m.columns.items() if name in TRACED_FIELDS
    ]
    rows["submission_bullets"] += [
        {"sha256": file.sha256, "row": r.row, "field": name, "line_no": i, "text": text,
         "key": records.bullet_key(text)}
        for r in m.rows
        for name, cell in (("result", r.result), ("outcome", r.outcome))
        for i, text in enumerate(records.lines(cell))
    ]


def _setup_from_store(store: Store, row: dict) -> Setup:
    """The parts of a stored setup that monthly checks need."""
    sha = row["sha256"]
    measures = [
        records.Measure(m["no"], m["grp"], m["title"], list(m["steps"]), list(m["responsible"]), m["period"],
                        list(m["divisions"]), m["row"])
        for m in store.query("measures_of", sha256=sha)
    ]
    return Setup(
        body=row["body"], owner_division=row["owner_division"], doc_no=row["doc_no"], address=row["address"],
        fiscal_year=row["fiscal_year"], phone=row["phone"] or "", emblem=row["emblem"] or "",
        divisions=[d["division"] for d in store.query("divisions_of", sha256=sha)],
        signatories=[], measures=measures, guidelines=[], scores=[],
    )
