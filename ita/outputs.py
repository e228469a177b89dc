"""Writing the outputs: the year's documents for one body, and a rejection
report for every rejected file (where each goes: ita.paths)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ita import charts, documents, outbox_files
from ita.documents import Document, YearBuild
from ita.freshness import year_inputs
from ita.marked_copy import marked_copy
from ita.outbox_files import Placed
from ita.paths import marked_copy_path, rejection_report_path
from ita.problems import Problem
from ita.rejections import reports_to_write
from ita.render import fingerprint, render_bytes
from ita.settings import Config
from ita.store import Store


def write_year_documents(store: Store, config: Config, body_key: str, fiscal_year: int, today: date) -> list[Placed]:
    """The documents of one body's year that are out of date (ita.documents),
    each in its place or, when the file there was edited by hand, beside it.
    Returns those written anew. Nothing is built for a year whose documents
    are all up to date: building contexts (charts included) is most of the work."""
    year = year_inputs(store, config, body_key, fiscal_year, today)
    if year is None:
        return []
    build = YearBuild(store, year)
    written: list[Placed] = []
    for n, kinds in enumerate(documents.PHASES):
        if n:  # what the phases before wrote is part of what this one is made from
            build.year = year_inputs(store, config, body_key, fiscal_year, today)
        stale = documents.stale(build.year, kinds)
        if stale and build.setup is None:
            break
        # A phase's files are written together, then remembered together: a
        # document is remembered as written from its inputs only once its
        # file is. A document that cannot be built fails the body-year, but
        # those built before it are still written.
        journal = outbox_files.Journal(store)
        made: list[Made] = []
        try:
            for document in stale:
                made.append(_write(store, build, document, journal))
        finally:
            journal.flush()
            _remember(store, build, made)
        written += [placed for _, _, placed in made if placed and placed.written]
    for gone in documents.retired(build.year):
        if Path(gone["path"]).is_relative_to(build.year.folder):
            outbox_files.remove_own(store, Path(gone["path"]))
        store.command("forget_document", body_key=body_key, fiscal_year=fiscal_year, document=gone["document"])
    return written


Made = tuple[Document, str, Placed | None]  # a document, what it was made from, where it went


def _write(store: Store, build: YearBuild, document: Document, journal: outbox_files.Journal) -> Made:
    """One document: built, rendered unless its place already holds this
    rendering, and placed (written when `journal` is flushed)."""
    kind, config = document.kind, build.year.config
    before = build.year.written.get(document.name)
    # Moved within its folder (a form, now for its next month). Written
    # into another outbox, it is left there: that outbox is not this run's.
    if before and before["path"] != str(document.path) and Path(before["path"]).parent == document.path.parent:
        outbox_files.remove_own(store, Path(before["path"]))
    content = kind.build(build, document.month)
    placed = None
    if isinstance(content, bytes):
        placed = outbox_files.place(store, document.path, lambda: content, outbox_files.sha256_of(content),
                                    journal=journal)
    elif content is not None:
        template = documents.template_path(kind.template)
        volatile = kind.volatile(config)
        print_ = fingerprint(template, {k: v for k, v in content.items() if k not in volatile}, config.font)
        placed = outbox_files.place(store, document.path, lambda: render_bytes(template, content, config.font), print_,
                                    journal=journal)
    made_from = "" if kind.charts and content is not None and charts.thai_font() is None else document.fingerprint
    return document, made_from, placed


def _remember(store: Store, build: YearBuild, made: list[Made]) -> None:
    """What each document was made from, and where its latest version is."""
    if made:
        store.command("remember_documents", body_key=build.year.row["body_key"], fiscal_year=build.year.fiscal_year,
                      documents=[document.name for document, _, _ in made],
                      paths=[str(document.path) for document, _, _ in made],
                      currents=[str(placed.target) if placed else "" for _, _, placed in made],
                      fingerprints=[made_from for _, made_from, _ in made])


def write_rejection_reports(store: Store, config: Config) -> list[Placed]:
    """For every rejected file whose report is out of date: the Thai
    explanation, and, where the file can be read, a copy of the clerk's
    workbook with the bad cells marked. Each in its place, or beside it when
    the file there was edited by hand; returns those written anew."""
    written: list[Placed] = []
    for row, problems, text, fingerprint in reports_to_write(store, config):
        target = rejection_report_path(config, row)
        outputs = {target: text}
        original = config.data / row["stored_path"]  # relative to the data folder since schema version 2
        marked = (marked_copy(original, [Problem(**p) for p in problems], font=config.font, file_name=row["file_name"])
                  if original.exists() else None)
        if marked:
            outputs[marked_copy_path(target)] = marked
        for path, data in outputs.items():
            placed = outbox_files.place(store, path, lambda: data, outbox_files.sha256_of(data))
            if placed.written:
                written.append(placed)
        # sha256 "" records that no marked copy could be made of this file.
        outbox_files.remember_renders(store, {f"rejection:{row['sha256']}": (fingerprint,
                                                                             row["sha256"] if marked else "")})
    return written
