"""A batch of workbooks read, validated, turned into records and into the
rows the store keeps: everything of the take-in that needs no database.

It runs where the files are read (the reader processes of
`ita.isolated_read`), so that the one writer only judges each file against
the store, appends and commits. Nothing here decides whether a file is
accepted: a file's rows are built whatever its problems, and the writer
keeps or drops all of them together.

The rows travel as Arrow tables, one per store table, in columns: one
Arrow buffer per column is cheaper to send and to append than a Python
object per cell. Each row carries the index of its file in the batch
(`FILE`); the writer turns that index into the file's sha256 (lineage)
when it keeps the rows (`ReadBatch.rows_of`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from ita import records
from ita.inbox import InboxFile
from ita.parse import MONTHLY, SETUP, ParsedFile
from ita.problems import Problem
from ita.records import Monthly, Setup
from ita.sheet_tables import Table
from ita.validate import validate_batch

FILE = "_file"  # the column of a file's index in its batch
# The monthly fields whose lines the documents print (their cells are traced).
TRACED_FIELDS = ("activity", "result", "outcome")
# The fields whose cells are split into bullets (one row per line).
BULLET_FIELDS = ("result", "outcome")

_TEXT, _INT, _FLOAT, _TEXTS = pa.string(), pa.int64(), pa.float64(), pa.list_(pa.string())
# Every table a reader fills, with its columns as the store names them
# (sha256 is added by the writer).
SCHEMAS: dict[str, pa.Schema] = {
    name: pa.schema([(FILE, pa.int32()), *columns])
    for name, columns in {
        "setup_images": [("data", pa.binary())],
        "setup_divisions": [("seq", _INT), ("division", _TEXT)],
        "signatories": [("seq", _INT), ("role", _TEXT), ("name", _TEXT), ("position", _TEXT)],
        "measures": [("no", _INT), ("grp", _TEXT), ("title", _TEXT), ("steps", _TEXTS), ("responsible", _TEXTS),
                     ("period", _TEXT), ("divisions", _TEXTS), ("row", _INT)],
        "guidelines": [("no", _INT), ("text", _TEXT)],
        "ita_scores": [("key", _TEXT), ("name", _TEXT), ("year", _INT), ("score", _FLOAT), ("row", _INT),
                       ("col", _INT)],
        "ita_levels": [("year", _INT), ("level", _TEXT), ("row", _INT), ("col", _INT)],
        "submission_rows": [("row", _INT), ("measure_no", _INT), ("measure_title", _TEXT), ("activity", _TEXT),
                            ("result", _TEXT), ("outcome", _TEXT), ("status", _TEXT), ("progress", _FLOAT),
                            ("evidence", _TEXT), ("remark", _TEXT)],
        "submission_columns": [("field", _TEXT), ("col", _INT)],
        "submission_bullets": [("row", _INT), ("field", _TEXT), ("line_no", _INT), ("text", _TEXT), ("key", _TEXT)],
    }.items()
}


@dataclass
class FileOutcome:
    file: InboxFile
    parsed: ParsedFile
    setup: Setup | None = None  # also of a rejected workbook, as far as it reads
    monthly: Monthly | None = None
    filed_year: int | None = None  # the fiscal year a monthly sheet is filed under

    @property
    def problems(self) -> list[Problem]:
        return self.parsed.problems


@dataclass
class Piece:
    """Some files of a batch, read by one reader: each file's index in the
    batch, its parsed form and records, and the rows of all of them."""

    indexes: list[int]
    parsed: list[ParsedFile]
    setups: list[Setup | None]
    monthlies: list[Monthly | None]
    tables: dict[str, pa.Table] = field(default_factory=dict)


@dataclass
class ReadBatch(Sequence[FileOutcome]):
    """A batch's outcomes, in inbox order, and the rows of all its files."""

    outcomes: list[FileOutcome]
    tables: dict[str, pa.Table]

    def __len__(self) -> int:
        return len(self.outcomes)

    def __getitem__(self, index):  # type: ignore[override]
        return self.outcomes[index]

    def __iter__(self) -> Iterator[FileOutcome]:
        return iter(self.outcomes)

    def rows_of(self, indexes: Sequence[int]) -> dict[str, pa.Table]:
        """Each table's rows of the files at these indexes, in the order the
        files were read, with each file's sha256 in place of its index."""
        wanted = pa.array(sorted(indexes), pa.int32())
        sha256s = pa.array([o.file.sha256 for o in self.outcomes], pa.string())
        kept = {}
        for name, table in self.tables.items():
            table = table.filter(pc.is_in(table[FILE], value_set=wanted))
            if table.num_rows:
                kept[name] = table.drop_columns([FILE]).append_column("sha256", sha256s.take(table[FILE]))
        return kept


def prepare(indexed: list[tuple[int, ParsedFile]], slim: bool) -> Piece:
    """Validate the files together (one Pandera call per schema), build
    their records and cross-check problems, and their rows. `slim`: leave
    out of the parsed files and records what only the rows need (the cells
    of their tables, a sheet's row texts), for sending to the writer."""
    parsed = [p for _, p in indexed]
    validate_batch(parsed)
    piece = Piece([i for i, _ in indexed], parsed, [], [])
    columns = {name: {c: [] for c in schema.names} for name, schema in SCHEMAS.items()}
    for index, result in indexed:
        setup = monthly = None
        # Cross-checks run on rejected workbooks too: the clerk gets every
        # problem in one report, not one a night.
        if result.kind == SETUP and "organisation" in result.blocks:
            setup, problems = records.build_setup(result)
            result.problems.extend(problems)
            _setup_rows(columns, index, setup)
        elif result.kind == MONTHLY and "header" in result.blocks and "rows" in result.sheets:
            monthly = records.build_monthly(result)
            _monthly_rows(columns, index, monthly)
        piece.setups.append(setup)
        piece.monthlies.append(monthly)
        if slim:
            _slim(result, monthly)
    piece.tables = {name: pa.table(columns[name], schema=schema) for name, schema in SCHEMAS.items()
                    if columns[name][FILE]}
    return piece


def assemble(files: list[InboxFile], pieces: list[Piece]) -> ReadBatch:
    """The batch from the pieces its readers sent, in inbox order."""
    outcomes: list[FileOutcome | None] = [None] * len(files)
    tables: dict[str, list[pa.Table]] = {}
    for piece in pieces:
        for index, parsed, setup, monthly in zip(piece.indexes, piece.parsed, piece.setups, piece.monthlies):
            outcomes[index] = FileOutcome(files[index], parsed, setup, monthly)
        for name, table in piece.tables.items():
            tables.setdefault(name, []).append(table)
    missing = [files[i].name for i, o in enumerate(outcomes) if o is None]
    if missing:
        raise RuntimeError(f"no reader answered for {', '.join(missing)}")
    return ReadBatch(outcomes, {name: pa.concat_tables(parts) for name, parts in tables.items()})


def _slim(parsed: ParsedFile, monthly: Monthly | None) -> None:
    parsed.tables = {name: Table(t.header_row, t.columns, []) for name, t in parsed.tables.items()}
    parsed.ita_names, parsed.ita_levels, parsed.ita_years = {}, [], {}
    parsed.emblem_image = None  # the checked image is the setup's
    if monthly:
        monthly.rows = []


def _add(table: dict[str, list], index: int, *values: object) -> None:
    for column, value in zip(table.values(), (index, *values)):
        column.append(value)


def _setup_rows(columns: dict[str, dict[str, list]], index: int, s: Setup) -> None:
    if s.emblem_image:
        _add(columns["setup_images"], index, s.emblem_image)
    for i, d in enumerate(s.divisions):
        _add(columns["setup_divisions"], index, i, d)
    for i, g in enumerate(s.signatories):
        _add(columns["signatories"], index, i, g.role, g.name, g.position)
    for m in s.measures:
        _add(columns["measures"], index, m.no, m.group, m.title, m.steps, m.responsible, m.period, m.divisions,
             m.row)
    for no, text in s.guidelines:
        _add(columns["guidelines"], index, no, text)
    for c in s.scores:
        _add(columns["ita_scores"], index, c.key, c.name, c.year, c.score, c.row, c.col)
    for year, (text, row, col) in s.levels.items():
        _add(columns["ita_levels"], index, year, text, row, col)


def _monthly_rows(columns: dict[str, dict[str, list]], index: int, m: Monthly) -> None:
    bullets = columns["submission_bullets"]
    for r in m.rows:
        _add(columns["submission_rows"], index, r.row, r.measure_no, r.measure_title, r.activity, r.result,
             r.outcome, r.status, r.progress, r.evidence, r.remark)
        for name in BULLET_FIELDS:
            for i, text in enumerate(records.lines(getattr(r, name))):
                _add(bullets, index, r.row, name, i, text, records.bullet_key(text))
    for name, col in m.columns.items():
        if name in TRACED_FIELDS:
            _add(columns["submission_columns"], index, name, col)
