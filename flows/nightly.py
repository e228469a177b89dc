"""The nightly pipeline: take in what is new in the inbox, then rebuild the
documents of every body's year whose inputs changed.

The flow only tells the story; each step is a plain function in `ita`.
"""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from typing import TYPE_CHECKING

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.states import Failed, State
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from ita import artifacts, folders, freshness, inbox, overview, progress, rejections, render_workers
from ita.load_summary import LoadSummary
from ita.lock import run_lock
from ita.night_failure import NightFailed
from ita.settings import Config, parse_iso_date, resolve as resolve_settings
from ita.store import Store

if TYPE_CHECKING:
    from ita import ingest
    from ita.outbox_files import Placed

# ingest, outputs and pdf are imported by the tasks that use them: they bring
# pandas, pandera, matplotlib and openpyxl (over a second to import), which a
# night with nothing new never needs.

BATCH_SIZE = 500
# Task names are English: the Prefect UI draws its run graph with a font
# that has no Thai glyphs. Descriptions and log lines are Thai, and so is
# the body in a render's run name: it is what the IT officer looks for.
# Prefect's default thread pool is unbounded (2,000 parallel renders peaked at
# 11 GB: docs/performance.md); two workers match the machine.
WORKERS = 2


@task(name="discover-inbox", description="ดูไฟล์ในโฟลเดอร์รับ: ไฟล์ที่พร้อม และไฟล์ที่ยังคัดลอกไม่เสร็จ", cache_policy=NO_CACHE)
def discover(config: Config) -> inbox.InboxScan:
    return inbox.scan(config.inbox, config.settle_seconds)


@task(name="read-and-validate", description="อ่านและตรวจไฟล์หนึ่งชุด", task_run_name="read-and-validate-{name}",
      cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[5, 30])
def read_and_validate(files: list[inbox.InboxFile], name: str) -> ingest.ReadBatch:
    from ita import ingest

    outcomes = ingest.read_and_validate(files)
    progress.advance("read", len(files))
    return outcomes


@task(name="load-duckdb", description="บันทึกไฟล์หนึ่งชุดลงฐานข้อมูล แล้วย้ายต้นฉบับออกจากโฟลเดอร์รับ",
      cache_policy=NO_CACHE)
def load(outcomes: ingest.ReadBatch, store: Store, config: Config) -> LoadSummary:
    from ita import ingest

    summary = ingest.load(outcomes, store, config)
    progress.advance("load", len(outcomes))
    return summary


@task(name="render-documents", description="สร้างเอกสารของหน่วยงานหนึ่ง ปีงบประมาณหนึ่ง",
      task_run_name="render-documents-{fiscal_year}-{body}", cache_policy=NO_CACHE)
def render_year(body: str, body_key: str, fiscal_year: int, config: Config, today: date,
                in_worker: bool = False) -> list[Placed]:
    write = render_workers.year_writer(in_worker)
    with Store(config.database) as store:
        placed = write(store, config, body_key, fiscal_year, today)
    progress.advance("write")
    return placed


@task(name="report-rejections", description="เขียนรายงานไฟล์ที่ถูกปฏิเสธ", cache_policy=NO_CACHE)
def report_rejections(config: Config) -> list[Placed]:
    with Store(config.database) as store:
        if not rejections.reports_to_write(store, config):
            return []
        from ita import outputs

        return outputs.write_rejection_reports(store, config)


@task(name="write-overview", description="เขียนภาพรวมทุกหน่วยงาน (เมื่อระบบเดียวให้บริการหลายหน่วยงาน)",
      cache_policy=NO_CACHE)
def write_overviews(config: Config, today: date) -> overview.Overviews:
    with Store(config.database) as store:
        return overview.write_overviews(store, config, today)


@task(name="list-body-years", description="หน่วยงานและปีงบประมาณที่ข้อมูลเปลี่ยนไปตั้งแต่เขียนเอกสารครั้งก่อน",
      cache_policy=NO_CACHE)
def years_to_render(config: Config, today: date) -> list[dict]:
    with Store(config.database) as store:
        return freshness.years_to_write(store, config, today)


@task(name="write-pdfs", description="เขียน PDF ด้วย LibreOffice", cache_policy=NO_CACHE)
def write_pdfs(config: Config) -> dict:
    from ita import pdf

    progress.start("pdf", None)
    with Store(config.database) as store:
        made = pdf.write_pdfs(config.outbox, config.data, store=store)
    progress.start("pdf", len(made.written) + len(made.failed))
    progress.advance("pdf", len(made.written))
    return {"written": [str(p) for p in made.written], "failed": {str(k): v for k, v in made.failed.items()},
            "edited": made.edited}


@flow(name="ita-take-in")
def take_in(batches: list[list[inbox.InboxFile]], config: Config) -> LoadSummary:
    """Reading and validating, batch by batch, on whichever task runner the
    night was given (an existing Dask cluster, or this machine's cores);
    loading, by this process alone, as each batch is read."""
    from ita import ingest

    # One connection for every batch: closing one checkpoints the whole
    # database, which at national scale cost more than the loads themselves.
    # It opens with the first load, not before: while the first batches are
    # read a hostile file may take its reader to its memory ceiling.
    with ExitStack() as resources:
        store: list[Store] = []

        def load_batch(outcomes: ingest.ReadBatch) -> LoadSummary:
            if not store:
                store.append(resources.enter_context(Store(config.database)))
            # quote: Prefect would otherwise walk every row of the batch looking for futures
            return load(quote(outcomes), quote(store[0]), config)

        return ingest.take_in(
            batches,
            read=lambda batch, name: read_and_validate.submit(batch, name),
            load=load_batch,
            ahead=WORKERS,
        )


def _reading_runner(config: Config):
    if config.dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=config.dask_address)
    return ThreadPoolTaskRunner(max_workers=WORKERS)


@flow(name="ita-nightly", task_runner=ThreadPoolTaskRunner(max_workers=WORKERS), log_prints=True)
def nightly(settings: dict[str, str] | None = None, today: str = "") -> dict:
    """`settings`: values keyed by the names declared in ita/settings.py
    (settings.as_mapping); any not given come from the environment or defaults.
    `today` (YYYY-MM-DD): the day the run counts as, for which months are due; empty = today."""
    config = resolve_settings(**(settings or {}))
    logger = get_run_logger()
    day = parse_iso_date(today) if today else date.today()
    # Before anything is taken in: a missing inbox must not pass for a quiet
    # night, nor an unwritable outbox swallow what was taken in.
    unusable = folders.run_folder_problems(config)
    if unusable:
        return _failed(logger, unusable, {})
    with run_lock(config.data):
        try:
            scan = discover(config)
        except folders.FolderProblem as problem:
            return _failed(logger, [str(problem)], {})
        logger.info("โฟลเดอร์รับ %s: พร้อม %d ไฟล์, รอคัดลอกเสร็จ %d ไฟล์", config.inbox, len(scan.ready), len(scan.waiting))
        batches = [scan.ready[i:i + BATCH_SIZE] for i in range(0, len(scan.ready), BATCH_SIZE)]
        progress.start("read", len(scan.ready))
        progress.start("load", len(scan.ready))
        summary = take_in.with_options(task_runner=_reading_runner(config))(batches, config) if batches else LoadSummary()
        logger.info("รับ %d ไฟล์, ปฏิเสธ %d ไฟล์, ซ้ำกับที่เคยรับ %d ไฟล์",
                    len(summary.accepted), len(summary.rejected), len(summary.duplicates))
        if summary.rejected:
            logger.info("ไฟล์ที่ถูกปฏิเสธ: %s", ", ".join(summary.rejected))
        problems = [f"อ่านไม่ได้ในโฟลเดอร์รับ {config.inbox}: {what}" for what in scan.unreadable]
        for name in summary.superseded:
            logger.info("ข้อมูลประจำปี '%s' ถูกแทนที่ด้วยฉบับที่บันทึกภายหลังของหน่วยงานและปีงบประมาณเดียวกัน", name)
        years = years_to_render(config, day)
        progress.start("write", len(years))
        in_workers = render_workers.in_processes(len(years))
        try:
            rendered = [(y, render_year.submit(y["body"], y["body_key"], y["fiscal_year"], config, day, in_workers))
                        for y in years]
            # A step that fails is reported; every other body's documents are still written.
            placed = [p for year, future in rendered
                      for p in _done(future, f"สร้างเอกสารของ {year['body']} ปีงบประมาณ {year['fiscal_year']}",
                                     problems)]
        finally:
            render_workers.stop_workers()
        placed += _done(report_rejections(config, return_state=True), "เขียนรายงานไฟล์ที่ถูกปฏิเสธ", problems)
        overviews = _done(write_overviews(config, day, return_state=True), "เขียนภาพรวมทุกหน่วยงาน", problems) \
            or overview.Overviews()
        placed += overviews.written
        logger.info("เขียนเอกสาร %d ไฟล์ใน %s", len(placed), config.outbox)
        for p in placed:
            if p.edited:
                logger.warning("มีผู้แก้ไข %s หลังระบบเขียน จึงไม่เขียนทับ ฉบับใหม่อยู่ที่ %s", p.path, p.target)
        pdfs = (_done(write_pdfs(config, return_state=True), "เขียน PDF", problems) if config.pdf else None) \
            or {"written": [], "failed": {}, "edited": []}
        for p in pdfs["edited"]:
            logger.warning("มีผู้แทนที่ %s หลังระบบเขียน จึงไม่เขียนทับ PDF ใหม่อยู่ที่ %s", p.path, p.target)
        if pdfs["failed"]:
            logger.warning("เขียน PDF ไม่ได้ %d ไฟล์ (ไฟล์ DOCX ยังอยู่ครบ): %s", len(pdfs["failed"]), "; ".join(pdfs["failed"].values()))
        result = {
            "accepted": summary.accepted,
            "rejected": summary.rejected,
            "duplicates": summary.duplicates,
            "superseded_setups": summary.superseded,
            "waiting": scan.waiting + summary.left,
            "written": [str(p.target) for p in placed],
            "edited": [{"path": str(p.path), "new_version": str(p.target)} for p in placed + pdfs["edited"] if p.edited],
            "pdf": pdfs["written"],
            "pdf_failed": pdfs["failed"],
            "problems": problems,
        }
        # Inside the lock: it reads the store, which the next run holds once the lock is its.
        # quote: Prefect would otherwise walk every row of every body looking for futures
        publish(result, config, day, quote(overviews.rows))
    return _failed(logger, problems, result) if problems else result


def _done(run: PrefectFuture | State, what: str, problems: list[str]) -> list[str]:
    """The paths a task wrote, or none and `what` it was added to `problems`
    with why, when it failed."""
    if isinstance(run, PrefectFuture):
        run.wait()
        run = run.state
    outcome = run.result(raise_on_failure=False)
    if run.is_completed():
        return outcome
    problems.append(f"{what} ไม่สำเร็จ: {outcome}")
    return []


def _failed(logger, problems: list[str], result: dict) -> State:
    """The night's end when something could not be done: each problem
    logged in Thai, the run's state Failed (no traceback: these are the
    IT officer's to fix, not the program's)."""
    for problem in problems:
        logger.error(problem)
    return Failed(message="; ".join(problems)[:2000], data=NightFailed(problems, result))


@task(name="publish-artifacts", description="เผยแพร่ผลใน Prefect", cache_policy=NO_CACHE)
def publish(result: dict, config: Config, today: date, overviews: dict[int, list[dict]]) -> None:
    """What an IT officer looks for in the Prefect UI after a night: this
    run's files, the submission status, why files were rejected, and where
    the documents are."""
    with Store(config.database) as store:
        tables = artifacts.run_tables(store, result, today, config.outbox, overviews=overviews)
    for key, (rows, description) in tables.items():
        if rows:
            create_table_artifact(rows, key=key, description=description)
    if result["problems"]:
        create_markdown_artifact("\n".join(f"- {problem}" for problem in result["problems"]),
                                 key="ita-problems", description="สิ่งที่รอบนี้ทำไม่สำเร็จ")
    if result["written"] or result["pdf"]:
        create_markdown_artifact(artifacts.documents_markdown(result["written"] + result["pdf"], config.outbox),
                                 key="ita-documents", description="เอกสารที่เขียนใหม่ในรอบนี้")
