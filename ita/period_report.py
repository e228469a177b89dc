"""`ita report --from --to`: the consolidated report of any months of one
fiscal year and its cover memo, on demand, from what the store holds.

Nothing in the store changes. A file already in the output folder is never
replaced by other bytes (a person may have edited it): the new one goes
beside it as "<name>_ฉบับใหม่<suffix>", as the night does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ita import paths, thai
from ita.outbox_files import places, write_atomically
from ita.period import Period
from ita.settings import Config


class CannotReport(Exception):
    """The report cannot be made from this store: the message says why and what to do, in Thai."""


@dataclass(frozen=True)
class Written:
    path: Path
    changed: bool  # False: the file there already held these bytes


def write_period_documents(config: Config, period: Period, body: str | None, out_dir: Path | None,
                           today: date) -> list[Written]:
    """The period's report and cover memo of one body, in `out_dir` or, by
    default, the year's folder of the outbox under paths.PERIOD_FOLDER."""
    from ita import period_contexts
    from ita.year_setup import year_setup
    from ita.render import render_bytes
    from ita.store import Store

    if not config.database.exists():
        raise CannotReport("ยังไม่มีข้อมูลในฐานข้อมูล: ให้รัน ita run ก่อน แล้วสั่ง ita report อีกครั้ง")
    fiscal_year = period.fiscal_year
    with Store(config.database, read_only=True) as store:
        body_key = _body_key(store.query("setups_all"), fiscal_year, body)
        setup = year_setup(store, body_key, fiscal_year)
        report = period_contexts.report_context(store, setup, period)
        memo = period_contexts.cover_memo_context(store, setup, period, config.memo_date or today, config.data)
    folder = out_dir or paths.year_folder(config, setup.body, fiscal_year) / paths.PERIOD_FOLDER
    documents = (
        (paths.period_report_path(folder, period.first, period.last), "period_report.docx", report),
        (paths.period_memo_path(folder, period.first, period.last), "period_memo.docx", memo),
    )
    return [_place(path, render_bytes(paths.TEMPLATES / template, context, config.font))
            for path, template, context in documents]


def _body_key(setups: list[dict], fiscal_year: int, body: str | None) -> str:
    years = [s for s in setups if s["fiscal_year"] == fiscal_year]
    found = [s for s in years if not body or s["body_key"] == thai.label_key(body)]
    if len(found) == 1:
        return found[0]["body_key"]
    if not years:
        known = ", ".join(sorted({str(s["fiscal_year"]) for s in setups})) or "ไม่มี"
        raise CannotReport(f"ไม่มีข้อมูลประจำปีของปีงบประมาณ {fiscal_year} ในฐานข้อมูล (ปีงบประมาณที่มี: {known}): "
                           f"วางไฟล์ข้อมูลประจำปี {fiscal_year} ในโฟลเดอร์รับแล้วรัน ita run ก่อน")
    names = ", ".join(s["body"] for s in years)
    if not found:
        raise CannotReport(f"--body: ไม่มีหน่วยงาน '{body}' ในปีงบประมาณ {fiscal_year} ใช้ชื่อใดชื่อหนึ่งต่อไปนี้: {names}")
    raise CannotReport(f"ฐานข้อมูลมีหลายหน่วยงานในปีงบประมาณ {fiscal_year}: {names} — ระบุหน่วยงานด้วย --body")


def _place(path: Path, data: bytes) -> Written:
    """At `path`, or at the first new-version place beside it that is free
    or already holds these bytes."""
    for candidate in places(path):
        if not candidate.exists() or candidate.read_bytes() == data:
            return Written(candidate, write_atomically(candidate, data))
    raise CannotReport(f"ไม่มีที่เขียนฉบับใหม่ของ {path}: ชื่อไฟล์ทุกชื่อถูกใช้แล้ว ให้ย้ายฉบับเก่าออกก่อน")
