"""Every document of a body's year, in one registry.

Each kind of document says where it goes, what it is made from and how its
content is built: a docxtpl template and its context, or the bytes of a
workbook. What it is made from is read from one row of
sql/030_year_render_inputs.sql plus the files and settings it is rendered
with (its template, the ITA level bands of its year, the font, the product's
version), so each document has its own fingerprint and is rendered again only
when that changes: a resubmitted monthly sheet re-renders the report and the
monthly reports from its month on, never the memo; the start of a new month
changes the status workbook alone (and, once March is over, brings the
half-year report and its cover memo, made from the sheets of ต.ค.–มี.ค. only).

Light to import: deciding that nothing is out of date needs only that row.
The builders import what they need when a document is actually built.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache, cached_property, lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from ita import emblem, ita_levels, paths
from ita.form_months import form_month, next_year_is_due
from ita.period import half_year
from ita.settings import Config

if TYPE_CHECKING:
    from ita.year_setup import YearSetup
    from ita.store import Store

PRODUCT = "ita-reports"


@dataclass(frozen=True)
class Year:
    """One body's year as the registry sees it: its row of
    year_render_inputs, the run's settings and the day it runs."""

    row: dict
    config: Config
    today: date

    @property
    def fiscal_year(self) -> int:
        return self.row["fiscal_year"]

    @cached_property
    def folder(self) -> Path:
        # Asked of every document planned: a quiet national night plans ~35,000.
        return paths.year_folder(self.config, self.row["body"], self.fiscal_year)

    @property
    def months(self) -> list[date]:
        return [m["month"] for m in self.row["months"] or []]

    def sheets(self, until: date | None = None) -> list[str]:
        """The digests of the sheets that count, month by month, up to `until`."""
        return [m["sheets"] for m in self.row["months"] or [] if until is None or m["month"] <= until]

    @property
    def written(self) -> dict[str, dict]:
        """Document name → what it was last written from and where it is."""
        return {w["document"]: w for w in self.row["written"] or []}

    def edited(self, besides: str = "") -> list[tuple[str, str]]:
        """(own place, new version) of the year's documents that were edited by hand."""
        return sorted((w["path"], w["current"]) for name, w in self.written.items()
                      if name != besides and w["current"] not in ("", w["path"]))


# What a year's sheets and setup say, which writing its documents does not
# change: one answer serves every document of the year (the report and the
# trace workbook print the same bullets, the monthly reports and the trace
# the same rows, every document the same setup). At national scale each is a
# tenth of a second of the store's time per body, which the render waits on
# (docs/performance.md).
YEAR_QUERIES = frozenset({"progress_for", "monthly_bullets_for", "period_bullets_for", "consolidated_for",
                          "files_for", "setup_for", "divisions_of", "signatories_of", "measures_of",
                          "guidelines_of", "scores_of", "setup_image_of", "levels_of"})


class _Remembering:
    """The store, with the answers to YEAR_QUERIES kept for one body's year."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._answers: dict[tuple, list[dict]] = {}

    def query(self, name: str, **params: object) -> list[dict]:
        if name not in YEAR_QUERIES:
            return self._store.query(name, **params)
        key = (name, *sorted(params.items()))
        if key not in self._answers:
            self._answers[key] = self._store.query(name, **params)
        return self._answers[key]

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)


class YearBuild:
    """The store's facts of one body's year, read once for all its documents."""

    def __init__(self, store: Store, year: Year) -> None:
        self.store = _Remembering(store)
        self.year = year

    @cached_property
    def setup(self) -> YearSetup | None:
        from ita.year_setup import year_setup

        return year_setup(self.store, self.year.row["body_key"], self.year.fiscal_year)

    @cached_property
    def monthly(self) -> dict[date, dict]:
        from ita import contexts

        # One pass over the year: a month's report shows what was not reported in the months before.
        return contexts.monthly_contexts(self.store, self.setup)

    @cached_property
    def carried_over(self) -> dict:
        """Division's last sheet → what it said, for the divisions' forms (ita.forms)."""
        from ita.forms import carried_over

        return carried_over(self.store, sorted({f["sheet"] for f in _forms(self.year).values() if f["sheet"]}))


@dataclass(frozen=True)
class Kind:
    """One kind of document. `made_from` is what it depends on in the store
    (from the year's row alone, cheap); `build` returns its template context,
    or its bytes when it has no template, or None when the year has nothing
    to put in it yet."""

    name: str
    template: str | None
    path: Callable[[Year, date | str | None], Path]
    made_from: Callable[[Year, date | str | None], object]
    build: Callable[[YearBuild, date | str | None], dict | bytes | None]
    monthly: bool = False  # one document per month with data
    # One document per item this gives (a division, say), passed where a
    # monthly kind is given its month; none while it gives none.
    each: Callable[[Year], list] | None = None
    # Made from the other documents' state too: planned once they are written.
    after_others: bool = False
    # Context keys that do not make a new version (a default "today" date).
    volatile: Callable[[Config], tuple[str, ...]] = lambda config: ()
    # Holds charts: drawn without a Thai font they are boxes, so such a
    # document is not remembered as up to date and is drawn again next run.
    charts: bool = False


@dataclass(frozen=True)
class Document:
    """One document of one year, as planned: where it goes and what it is made from."""

    kind: Kind
    month: date | str | None  # its month, or the item of Kind.each it is for
    path: Path
    fingerprint: str

    @property
    def name(self) -> str:
        if isinstance(self.month, date):
            return f"{self.kind.name}:{self.month:%Y-%m}"
        return f"{self.kind.name}:{self.month}" if self.month else self.kind.name


def _memo(build: YearBuild, month: date | None) -> dict | None:
    from ita import contexts

    config = build.year.config
    return contexts.memo_context(build.setup, config.memo_date or build.year.today, config.data)


def _report(build: YearBuild, month: date | None) -> dict:
    from ita import contexts

    return contexts.report_context(build.store, build.setup)


def _status(build: YearBuild, month: date | None) -> bytes:
    from ita.status_workbook import status_workbook_bytes

    year = build.year
    key = {"body_key": year.row["body_key"], "fiscal_year": year.fiscal_year}
    return status_workbook_bytes(
        build.setup.body, year.fiscal_year, build.store.query("status_for", **key, today=year.today),
        build.store.query("files_for", **key),
        edited=[(_within(own, year.folder), _within(new, year.folder)) for own, new in year.edited(besides="status")],
        font=year.config.font,
    )


def _trace(build: YearBuild, month: date | None) -> bytes:
    from ita.trace import trace_workbook_bytes

    year = build.year
    return trace_workbook_bytes(build.store, year.row["body_key"], year.fiscal_year, outbox_folder=year.folder,
                                data=year.config.data, today=year.today,
                                font=year.config.font)


def _half_year_report(build: YearBuild, month: date | None) -> dict | None:
    from ita import period_contexts

    half = half_year(build.year.fiscal_year)
    return period_contexts.report_context(build.store, build.setup, half) if half.is_due(build.year.today) else None


def _half_year_memo(build: YearBuild, month: date | None) -> dict | None:
    from ita import period_contexts

    year, half = build.year, half_year(build.year.fiscal_year)
    if not half.is_due(year.today):
        return None
    return period_contexts.cover_memo_context(build.store, build.setup, half, year.config.memo_date or year.today,
                                              year.config.data)


def _half_year_sheets(year: Year) -> tuple[bool, list[str]]:
    """Whether March is due, and the sheets of ต.ค.–มี.ค. that count: a sheet
    of a later month is no part of the half-year's documents."""
    half = half_year(year.fiscal_year)
    return half.is_due(year.today), year.sheets(until=half.last)


def _within(path: str, folder: Path) -> str:
    return str(Path(path).relative_to(folder)) if Path(path).is_relative_to(folder) else path


MEMO = Kind(
    "memo", "memo.docx",
    path=lambda year, month: paths.memo_path(year.folder, year.fiscal_year),
    made_from=lambda year, month: (year.row["setup"], bands_digest(year.fiscal_year),
                                   year.config.memo_date, emblem.folder_stamp(year.config.data)),
    build=_memo,
    volatile=lambda config: () if config.memo_date else ("memo_date",),
    charts=True,
)
REPORT = Kind(
    "report", "report.docx",
    path=lambda year, month: paths.report_path(year.folder, year.fiscal_year),
    made_from=lambda year, month: (year.row["setup"], year.sheets()),
    build=_report,
)
MONTHLY = Kind(
    "monthly", "monthly.docx",
    path=lambda year, month: paths.monthly_path(year.folder, month),
    made_from=lambda year, month: (year.row["setup"], year.sheets(until=month)),
    build=lambda build, month: build.monthly.get(month),
    monthly=True,
)
HALF_YEAR_REPORT = Kind(
    "half_year_report", "period_report.docx",
    path=lambda year, month: paths.half_year_report_path(year.folder, year.fiscal_year),
    made_from=lambda year, month: (year.row["setup"], _half_year_sheets(year)),
    build=_half_year_report,
)
HALF_YEAR_MEMO = Kind(
    "half_year_memo", "period_memo.docx",
    path=lambda year, month: paths.half_year_memo_path(year.folder, year.fiscal_year),
    made_from=lambda year, month: (year.row["setup"], _half_year_sheets(year), year.config.memo_date,
                                   emblem.folder_stamp(year.config.data)),
    build=_half_year_memo,
    volatile=lambda config: () if config.memo_date else ("memo_date",),
)
STATUS = Kind(
    "status", None,
    path=lambda year, month: paths.status_path(year.folder, year.fiscal_year),
    made_from=lambda year, month: (year.row["setup"], year.row["n_files"], year.row["last_accepted"],
                                   year.row["last_processed"], year.row["months_due"], year.edited(besides="status")),
    build=_status,
    after_others=True,
)

TRACE = Kind(
    "trace", None,
    path=lambda year, month: paths.trace_path(year.folder, year.fiscal_year),
    # Every line of the reports and every score, with each name its file arrived under.
    made_from=lambda year, month: (year.row["setup"], year.row["n_files"], year.row["last_accepted"],
                                   year.row["last_processed"], half_year(year.fiscal_year).is_due(year.today)),
    build=_trace,
)


def _forms(year: Year) -> dict[str, dict]:
    """Division → what its form is made from (sql/025_form_inputs.sql)."""
    return {f["division"]: f for f in year.row.get("forms") or []}


def _form(build: YearBuild, division: str | None) -> bytes:
    from ita.forms import division_form
    from ita.xlsx_templates import CarriedOver

    form = _forms(build.year)[division]
    return division_form(build.setup, form, build.carried_over.get(form["sheet"], CarriedOver()), build.year.config.font)


def _next_setup(build: YearBuild, part: None) -> bytes:
    from ita.forms import next_year_setup

    return next_year_setup(build.store, build.setup, build.year.config.font)


def _next_setup_due(year: Year) -> list[None]:
    # Once next year's setup is in, the office has no use for a pre-filled one.
    wanted = next_year_is_due(year.fiscal_year, year.today) and not year.row.get("next_year_has_setup")
    return [None] if wanted else []


def _form_path(year: Year, division: str | None) -> Path:
    return paths.form_path(year.folder, division, form_month(year.fiscal_year, _forms(year)[division]["month"]))


FORM = Kind(
    "form", None,
    path=_form_path,
    # The division's last sheet that counts: a sheet for an earlier month, or a new night, changes nothing.
    made_from=lambda year, division: (year.row["setup"], _forms(year)[division], year.config.font),
    build=_form,
    each=lambda year: list(_forms(year)),
)
NEXT_SETUP = Kind(
    "next_setup", None,
    path=lambda year, part: paths.next_setup_path(year.folder, year.fiscal_year + 1),
    made_from=lambda year, part: (year.row["setup"], year.config.font),
    build=_next_setup,
    each=_next_setup_due,
)

KINDS: tuple[Kind, ...] = (MEMO, REPORT, HALF_YEAR_REPORT, HALF_YEAR_MEMO, MONTHLY, FORM, NEXT_SETUP, TRACE, STATUS)
# The order of writing: kinds made from the others' state come after them.
PHASES: tuple[tuple[Kind, ...], ...] = (tuple(k for k in KINDS if not k.after_others),
                                        tuple(k for k in KINDS if k.after_others))


def plan(year: Year, kinds: tuple[Kind, ...] = KINDS) -> list[Document]:
    """Every document of the year, with its fingerprint."""
    planned = []
    for kind in kinds:
        rendered_with = _rendered_with(kind, year.config)  # once a kind: a stat of its template
        planned += [Document(kind, month, kind.path(year, month), fingerprint(kind, year, month, rendered_with))
                    for month in parts(kind, year)]
    return planned


def parts(kind: Kind, year: Year) -> list:
    """The documents of a kind in a year: one per month with data, one per
    item of its `each`, or the one."""
    if kind.each is not None:
        return kind.each(year)
    return year.months if kind.monthly else [None]


def _rendered_with(kind: Kind, config: Config) -> tuple[str, ...]:
    return (template_digest(kind.template), config.font) if kind.template else (config.font,)


def fingerprint(kind: Kind, year: Year, month: date | None, rendered_with: tuple[str, ...]) -> str:
    text = json.dumps([kind.name, month, kind.made_from(year, month), rendered_with, product_version()],
                      default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def stale(year: Year, kinds: tuple[Kind, ...] = KINDS) -> list[Document]:
    """The year's documents to write: what they are made from changed since
    they were last written, or their file is gone (the document's own, or its
    new version beside a hand-edited one)."""
    return _stale(plan(year, kinds), year.written)


def retired(year: Year) -> list[dict]:
    """What the year's documents were last written as, for those no longer
    planned (next year's setup once that is taken in, the form of a division
    that left the setup): the product's own files of them are to go."""
    return _retired(plan(year), year.written)


def out_of_date(year: Year) -> bool:
    """Whether the year has a document to write or to retire. One plan for
    both: a quiet night asks this of every body-year, and planning (each
    document's fingerprint) is most of what it costs."""
    planned, written = plan(year), year.written
    return bool(_stale(planned, written) or _retired(planned, written))


def _stale(planned: list[Document], written: dict[str, dict]) -> list[Document]:
    return [d for d in planned if not _up_to_date(d, written.get(d.name))]


def _retired(planned: list[Document], written: dict[str, dict]) -> list[dict]:
    names = {d.name for d in planned}
    return [w for name, w in written.items() if name not in names]


def _up_to_date(document: Document, written: dict | None) -> bool:
    if written is None or written["path"] != str(document.path) or written["fingerprint"] != document.fingerprint:
        return False
    if written["current"] == "":
        return True  # nothing to put in it, for these inputs
    # os.path, not Path: a quiet national night asks this of ~35,000 documents.
    current, own = written["current"], written["path"]
    return os.path.exists(current) and (current == own or os.path.exists(own))


def template_path(name: str) -> Path:
    return paths.TEMPLATES / name


def template_digest(name: str) -> str:
    """A template's SHA-256, read again only when the file changes."""
    path = template_path(name)
    stat = path.stat()
    return _file_digest(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _file_digest(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def bands_digest(fiscal_year: int) -> str:
    """The ITA level bands that apply to one year (as ita_levels reads
    ita_bands.toml), as a hash: a change to another year's bands changes
    nothing here."""
    stat = ita_levels.BANDS_FILE.stat()
    return _bands_digest(stat.st_mtime_ns, stat.st_size, fiscal_year)


@lru_cache(maxsize=64)
def _bands_digest(mtime_ns: int, size: int, fiscal_year: int) -> str:
    # Once per version of the file and year (as ita_levels reads it): a quiet night asks it of every memo.
    applicable = [asdict(s) for s in ita_levels.schemes() if s.from_year <= fiscal_year][-1:]
    return hashlib.sha256(json.dumps(applicable, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@cache
def product_version() -> str:
    try:
        return metadata.version(PRODUCT)
    except metadata.PackageNotFoundError:
        return "unknown"
