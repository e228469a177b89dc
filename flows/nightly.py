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
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from ita import artifacts, freshness, inbox, progress, rejections, settings
from ita.load_summary import LoadSummary
from ita.lock import run_lock
from ita.settings import Config
from ita.store import Store

if TYPE_CHECKING:
    from ita import ingest

# ingest, outputs and pdf are imported by the tasks that use them: they bring
# pandas, pandera, matplotlib and openpyxl (over a second to import), which a
# night with nothing new never needs.

BATCH_SIZE = 500
# Task names are English: the Prefect UI draws its run graph with a font
# that has no Thai glyphs. Descriptions and log lines are Thai.
# Prefect's default thread pool is unbounded (2,000 parallel renders peaked at
# 11 GB: notes/perf.md); two workers match the machine.
WORKERS = 2


@task(name="discover-inbox", description="ดูไฟล์ในโฟลเดอร์รับ: ไฟล์ที่พร้อม และไฟล์ที่ยังคัดลอกไม่เสร็จ", cache_policy=NO_CACHE)
def discover(config: Config) -> inbox.InboxScan:
    return inbox.scan(config.inbox, config.settle_seconds)


@task(name="read-and-validate", description="อ่านและตรวจไฟล์หนึ่งชุด", task_run_name="read-and-validate-{name}",
      cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[5, 30])
def read_and_validate(files: list[inbox.InboxFile], name: str) -> list[ingest.FileOutcome]:
    from ita import ingest

    outcomes = ingest.read_and_validate(files)
    progress.advance("read", len(files))
    return outcomes


@task(name="load-duckdb", description="บันทึกไฟล์หนึ่งชุดลงฐานข้อมูล แล้วย้ายต้นฉบับออกจากโฟลเดอร์รับ",
      cache_policy=NO_CACHE)
def load(outcomes: list[ingest.FileOutcome], store: Store, config: Config) -> LoadSummary:
    from ita import ingest

    summary = ingest.load(outcomes, store, config)
    progress.advance("load", len(outcomes))
    return summary


@task(name="render-documents", description="สร้างเอกสารของหน่วยงานหนึ่ง ปีงบประมาณหนึ่ง",
      task_run_name="render-documents-{fiscal_year}", cache_policy=NO_CACHE)
def render_year(body_key: str, fiscal_year: int, config: Config, today: date) -> list[str]:
    from ita import outputs

    with Store(config.database) as store:
        written = [str(p) for p in outputs.write_year_documents(store, config, body_key, fiscal_year, today)]
    progress.advance("write")
    return written


@task(name="report-rejections", description="เขียนรายงานไฟล์ที่ถูกปฏิเสธ", cache_policy=NO_CACHE)
def report_rejections(config: Config) -> list[str]:
    with Store(config.database) as store:
        if not rejections.reports_to_write(store, config):
            return []
        from ita import outputs

        return [str(p) for p in outputs.write_rejection_reports(store, config)]


@task(name="list-body-years", description="หน่วยงานและปีงบประมาณที่ข้อมูลเปลี่ยนไปตั้งแต่เขียนเอกสารครั้งก่อน",
      cache_policy=NO_CACHE)
def years_to_render(config: Config, today: date) -> list[dict]:
    with Store(config.database) as store:
        return freshness.years_to_write(store, config, today)


@task(name="write-pdfs", description="เขียน PDF ด้วย LibreOffice", cache_policy=NO_CACHE)
def write_pdfs(config: Config) -> dict:
    from ita import pdf

    progress.start("pdf", None)
    made = pdf.write_pdfs(config.outbox, config.data)
    progress.start("pdf", len(made.written) + len(made.failed))
    progress.advance("pdf", len(made.written))
    return {"written": [str(p) for p in made.written], "failed": {str(k): v for k, v in made.failed.items()}}


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

        def load_batch(outcomes: list[ingest.FileOutcome]) -> LoadSummary:
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
def nightly(inbox_dir: str = "", outbox_dir: str = "", data_dir: str = "", memo_date: str = "",
            pdf: bool | None = None, dask_address: str = "") -> dict:
    config = settings.resolve(inbox=inbox_dir, outbox=outbox_dir, data=data_dir, memo_date=memo_date,
                              pdf="1" if pdf else None, dask_address=dask_address)
    logger = get_run_logger()
    today = date.today()
    with run_lock(config.data):
        scan = discover(config)
        logger.info("โฟลเดอร์รับ %s: พร้อม %d ไฟล์, รอคัดลอกเสร็จ %d ไฟล์", config.inbox, len(scan.ready), len(scan.waiting))
        batches = [scan.ready[i:i + BATCH_SIZE] for i in range(0, len(scan.ready), BATCH_SIZE)]
        progress.start("read", len(scan.ready))
        progress.start("load", len(scan.ready))
        summary = take_in.with_options(task_runner=_reading_runner(config))(batches, config) if batches else LoadSummary()
        logger.info("รับ %d ไฟล์, ปฏิเสธ %d ไฟล์, ซ้ำกับที่เคยรับ %d ไฟล์",
                    len(summary.accepted), len(summary.rejected), len(summary.duplicates))
        years = years_to_render(config, today)
        progress.start("write", len(years))
        rendered = [render_year.submit(y["body_key"], y["fiscal_year"], config, today) for y in years]
        written = [path for future in rendered for path in future.result()]
        written += report_rejections(config)
        logger.info("เขียนเอกสาร %d ไฟล์ใน %s", len(written), config.outbox)
        pdfs = write_pdfs(config) if config.pdf else {"written": [], "failed": {}}
        if pdfs["failed"]:
            logger.warning("เขียน PDF ไม่ได้ %d ไฟล์ (ไฟล์ DOCX ยังอยู่ครบ): %s", len(pdfs["failed"]), "; ".join(pdfs["failed"].values()))
    result = {
        "accepted": summary.accepted,
        "rejected": summary.rejected,
        "duplicates": summary.duplicates,
        "waiting": scan.waiting,
        "written": written,
        "pdf": pdfs["written"],
        "pdf_failed": pdfs["failed"],
    }
    publish(result, config)
    return result


@task(name="publish-artifacts", description="เผยแพร่ผลใน Prefect", cache_policy=NO_CACHE)
def publish(result: dict, config: Config) -> None:
    """What an IT officer looks for in the Prefect UI after a night: this
    run's files, the submission status, why files were rejected, and where
    the documents are."""
    with Store(config.database) as store:
        tables = artifacts.run_tables(store, result)
    for key, (rows, description) in tables.items():
        if rows:
            create_table_artifact(rows, key=key, description=description)
    if result["written"] or result["pdf"]:
        create_markdown_artifact(artifacts.documents_markdown(result["written"] + result["pdf"], config.outbox),
                                 key="ita-documents", description="เอกสารที่เขียนใหม่ในรอบนี้")
