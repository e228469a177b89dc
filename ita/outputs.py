"""Writing the outputs: the year's documents for one body, and a rejection
report for every rejected file (where each goes: ita.paths)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ita import charts, contexts
from ita.freshness import year_key, year_to_write
from ita.marked_copy import marked_copy
from ita.paths import marked_copy_path, memo_path, monthly_path, rejection_report_path, report_path, status_path, year_folder
from ita.problems import Problem
from ita.rejections import reports_to_write
from ita.render import render_document, write_atomically
from ita.settings import Config
from ita.status_workbook import status_workbook_bytes
from ita.store import Store


def write_year_documents(store: Store, config: Config, body_key: str, fiscal_year: int, today: date) -> list[Path]:
    """Every document of one body's year; returns those written anew. A year
    whose inputs have not changed since it was last written is skipped whole:
    building its contexts (charts included) is most of a quiet night's work."""
    print_ = year_to_write(store, config, body_key, fiscal_year, today)
    setup = contexts.year_setup(store, body_key, fiscal_year) if print_ else None
    if setup is None:
        return []
    folder = year_folder(config, setup.body, fiscal_year)
    written: list[Path] = []

    def render(template: str, context: dict, target: Path, volatile: tuple[str, ...] = ()) -> None:
        if render_document(store, template, context, target, config.font, volatile):
            written.append(target)

    memo = contexts.memo_context(setup, config.memo_date or today, config.inbox)
    if memo:
        render("memo.docx", memo, memo_path(folder, fiscal_year), () if config.memo_date else ("memo_date",))
    render("report.docx", contexts.report_context(store, setup), report_path(folder, fiscal_year))
    for month, context in contexts.monthly_contexts(store, setup).items():
        render("monthly.docx", context, monthly_path(folder, month))

    status = status_workbook_bytes(
        setup.body, fiscal_year,
        store.query("status_for", body_key=body_key, fiscal_year=fiscal_year),
        store.query("files_for", body_key=body_key, fiscal_year=fiscal_year),
        today,
    )
    target = status_path(folder, fiscal_year)
    if not target.exists() or target.read_bytes() != status:
        write_atomically(target, status)
        written.append(target)
    # Charts drawn without a Thai font are boxes: the year is not remembered
    # as written, so the next run draws them again (their bytes are part of
    # the memo's fingerprint, so the memo is then rewritten).
    if not memo or charts.thai_font() is not None:
        store.command("remember_render", path=year_key(body_key, fiscal_year), fingerprint=print_, sha256="")
    return written


def write_rejection_reports(store: Store, config: Config) -> list[Path]:
    """For every rejected file whose report is out of date: the Thai
    explanation, and, where the file can be read, a copy of the clerk's
    workbook with the bad cells marked."""
    written = []
    for row, problems, text, fingerprint in reports_to_write(store, config):
        target = rejection_report_path(config, row)
        outputs = {target: text}
        original = Path(row["stored_path"])
        marked = marked_copy(original, [Problem(**p) for p in problems]) if original.exists() else None
        if marked:
            outputs[marked_copy_path(target)] = marked
        for path, data in outputs.items():
            if not path.exists() or path.read_bytes() != data:
                write_atomically(path, data)
                written.append(path)
        # sha256 "" records that no marked copy could be made of this file.
        store.command("remember_render", path=f"rejection:{row['sha256']}", fingerprint=fingerprint,
                      sha256=row["sha256"] if marked else "")
    return written
