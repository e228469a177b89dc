"""What the report of a period and its cover memo say, built from the store.

The report is the year's consolidated report made only from the sheets of
the period's months (sql/013_period_bullets.sql): the latest valid sheet of
each division and month, each bullet once, in the order first reported within
the period. The cover memo (บันทึกข้อความ) proposes it to the executives for
acknowledgement (เพื่อโปรดทราบ), in the year memo's official form.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ita import thai
from ita.contexts import YearSetup, emblem_picture, org_context, report_groups
from ita.period import Period
from ita.store import Store

REPORT_NAME = "รายงานการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
COVER_SUBJECT = "{report} {label} (เดือน {period})"
COVER_BACKGROUND = (
    "ตามที่{body}ได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {fiscal_year} "
    "จำนวน {n_measures} มาตรการ และให้ส่วนราชการรายงานผลการดำเนินงานตามมาตรการให้ผู้บริหารทราบทุกสิ้นเดือน นั้น"
)
COVER_FACTS = (
    "{owner_division} ได้รวบรวมผลการดำเนินการตามมาตรการ {label} (เดือน {period}) "
    "จากแบบรายงานผลการดำเนินงานประจำเดือนของส่วนราชการ จำนวน {n_sheets} ฉบับ "
    "และจัดทำเป็นรายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส {label} "
    "รายละเอียดตามเอกสารที่แนบมาพร้อมนี้ โดยส่วนราชการส่งรายงานประจำเดือน ดังนี้"
)
COVER_PROPOSALS = (
    "เห็นควรเสนอรายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน{body} "
    "{label} (เดือน {period}) ต่อผู้บริหารเพื่อโปรดทราบ",
    "เห็นควรนำรายงานเผยแพร่บนเว็บไซต์ของหน่วยงาน เพื่อให้ประชาชนได้รับทราบ",
    "เห็นควรสำเนาแจ้งกอง/ฝ่าย/ผู้ที่เกี่ยวข้องได้รับทราบ และดำเนินการตามมาตรการต่อไปจนสิ้นปีงบประมาณ",
)
ALL_MONTHS = "ครบทุกเดือน"
MISSING = "ยังไม่ได้รับเดือน {months}"


def report_context(store: Store, s: YearSetup, period: Period) -> dict:
    rows = store.query("period_bullets_for", body_key=s.row["body_key"], fiscal_year=s.fiscal_year,
                       first_month=period.first, last_month=period.last)
    return {
        **_dated(period),
        "org": org_context(s),
        "fiscal_year": thai.to_thai_digits(s.fiscal_year),
        "period_label": period.label,
        "period_text": period.text,
        "groups": report_groups(s, rows),
    }


def cover_memo_context(store: Store, s: YearSetup, period: Period, memo_date: date,
                       data_dir: Path | None = None) -> dict:
    preparer, *approvers = s.signatories
    org = org_context(s)
    fields = {"body": s.body, "owner_division": org["owner_division"], "label": period.label,
              "period": period.text, "fiscal_year": thai.to_thai_digits(s.fiscal_year),
              "n_measures": thai.to_thai_digits(len(s.measures))}
    received = received_months(store, s, period)
    return {
        **_dated(period),
        "org": org,
        "emblem": emblem_picture(s, data_dir),
        "memo_date": thai.thai_date(memo_date),
        "subject": COVER_SUBJECT.format(report=REPORT_NAME, **fields),
        "addressee": approvers[-1]["position"] if approvers else "",
        "background": COVER_BACKGROUND.format(**fields),
        "facts": COVER_FACTS.format(n_sheets=thai.to_thai_digits(sum(map(len, received.values()))), **fields),
        "divisions": [
            {"no": thai.to_thai_digits(n), "name": division,
             "months": f"{thai.to_thai_digits(len(months))} จาก {thai.to_thai_digits(len(period.months))} เดือน",
             "missing": _missing(period, months)}
            for n, (division, months) in enumerate(received.items(), start=1)
        ],
        "proposals": [{"no": f"๓.{thai.to_thai_digits(n)}", "text": text.format(**fields)}
                      for n, text in enumerate(COVER_PROPOSALS, start=1)],
        "preparer": {"name": preparer["name"], "position": preparer["position"], "role": preparer["role"]},
        "approvers": [{"name": a["name"], "position": a["position"], "role": a["role"]} for a in approvers],
    }


def _dated(period: Period) -> dict:
    """The period's last month: the document's date in its properties (ita.render.period_end)."""
    return {"last_month_text": thai.thai_month_year(period.last.year, period.last.month)}


def received_months(store: Store, s: YearSetup, period: Period) -> dict[str, list[date]]:
    """Each division of the year's list → the months of the period it has a valid sheet for."""
    received: dict[str, list[date]] = {d: [] for d in s.divisions}
    # Only "received" is read here, which the day of asking never changes.
    for row in store.query("status_for", body_key=s.row["body_key"], fiscal_year=s.fiscal_year, today=period.last):
        if row["status"] == "received" and row["month"] in period.months and row["division"] in received:
            received[row["division"]].append(row["month"])
    return received


def _missing(period: Period, months: list[date]) -> str:
    absent = [m for m in period.months if m not in months]
    if not absent:
        return ALL_MONTHS
    return MISSING.format(months=" ".join(thai.thai_month_abbr(m.year, m.month) for m in absent))
