"""The year's plan a monthly template is written from: read from a setup
workbook, or from the setup that counts in the store."""

from __future__ import annotations

from pathlib import Path

from ita import thai
from ita.ingest import read_and_validate
from ita.inbox import InboxFile, sha256_of
from ita.parse import MONTHLY, SETUP, SETUP_SHEETS
from ita.wording import KIND_WORDS
from ita.problems import is_rejected
from ita.store import Store
from ita.xlsx_templates import MonthlyPlan
from ita.year_setup import YearSetup, year_setup


class PlanNotFound(Exception):
    pass


def plan_from_file(path: Path) -> MonthlyPlan:
    (outcome,) = read_and_validate([InboxFile(path, sha256_of(path), path.stat().st_size, None)], isolated=False)
    if outcome.parsed.kind == MONTHLY:
        raise PlanNotFound(f"--setup: ไฟล์ {path.name} เป็น{_what_monthly(outcome)} ไม่ใช่ข้อมูลประจำปี "
                           f"ใช้ไฟล์ข้อมูลประจำปีที่มีแผ่นงาน '{SETUP_SHEETS['organisation']}' และ "
                           f"'{SETUP_SHEETS['measures']}' เช่น ข้อมูลประจำปี 2566.xlsx (แบบฟอร์มเปล่า: ita template setup)")
    if outcome.parsed.kind != SETUP or is_rejected(outcome.problems) or outcome.setup is None:
        reasons = "\n".join(p.describe() for p in outcome.problems if p.severity == "error")
        raise PlanNotFound(f"--setup: ไฟล์ {path.name} ไม่ใช่ข้อมูลประจำปีที่ถูกต้อง:\n{reasons}")
    s = outcome.setup
    return MonthlyPlan(s.body, s.fiscal_year, s.divisions, [(m.no, m.title, m.divisions) for m in s.measures])


def _what_monthly(outcome) -> str:
    """"รายงานประจำเดือน ของกองคลัง เดือน ต.ค. 2565", as far as the sheet says."""
    monthly = outcome.monthly
    if monthly is None:
        return KIND_WORDS[MONTHLY]
    return (f"{KIND_WORDS[MONTHLY]} ของ{monthly.division} เดือน "
            f"{thai.thai_month_year(monthly.year, monthly.month)}")


def plan_from_store(database: Path, fiscal_year: int, body: str | None) -> MonthlyPlan:
    if not database.exists():
        raise PlanNotFound("ยังไม่มีข้อมูลประจำปีในฐานข้อมูล: ระบุไฟล์ด้วย --setup หรือรัน ita run ก่อน")
    with Store(database, read_only=True) as store:
        setups = [s for s in store.query("setups_all") if s["fiscal_year"] == fiscal_year
                  and (not body or s["body_key"] == thai.label_key(body))]
        if len(setups) != 1:
            names = ", ".join(s["body"] for s in setups) or "ไม่มี"
            raise PlanNotFound(f"พบข้อมูลประจำปี {fiscal_year} ของหน่วยงาน: {names} — ระบุ --body หรือ --setup ให้ชัดเจน")
        setup = year_setup(store, setups[0]["body_key"], fiscal_year)
    return plan_of_setup(setup)


def plan_of_setup(setup: YearSetup) -> MonthlyPlan:
    """The plan of a setup in the store."""
    return MonthlyPlan(setup.body, setup.fiscal_year, setup.divisions,
                       [(m["no"], m["title"], list(m["divisions"])) for m in setup.measures])
