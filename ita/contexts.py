"""What each document says: the template contexts, built from the store.

Every value is a finished string (Thai digits where narrative text wants
them); the templates only place them. Templates render with autoescape, so
user text is data, never markup.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

from ita import charts, emblem, ita_levels, records, thai, wording
from ita.render import Picture
from ita.store import Store
from ita.year_setup import YearSetup
from schemas import setup as setup_schema

log = logging.getLogger(__name__)


def district_province(address: str) -> str:
    """The address without its postcode, as ๓.๑ of the memo names the body."""
    return re.sub(r"\s*[0-9๐-๙]{5}\s*$", "", address).strip()


def org_context(s: YearSetup) -> dict:
    row = s.row
    return {
        "name": row["body"],
        "owner_division": row["owner_division"],
        "doc_no": row["doc_no"],
        "address": row["address"],
        "district_province": district_province(row["address"]),
        "phone": thai.to_thai_digits(row["phone"] or ""),
    }


def _score_text(value: float) -> str:
    return f"{value:.2f}"


def memo_context(s: YearSetup, memo_date: date, data_dir: Path | None = None) -> dict | None:
    """None while the year's overall ITA score is not entered. `data_dir`:
    the data folder, whose emblem folder holds a ตราครุฑ named by file name."""
    fy = s.fiscal_year
    by_year: dict[int, dict[str, float]] = defaultdict(dict)
    names: dict[str, str] = {}
    for score in s.scores:
        by_year[score["year"]][score["key"]] = score["score"]
        if score["name"]:
            names[score["key"]] = score["name"]
    this_year = by_year.get(fy, {})
    level = ita_levels.level_of_scores(fy, this_year)
    if level is None:
        return None
    total = this_year[setup_schema.ITA_TOTAL_KEY]
    preparer, *approvers = s.signatories
    org = org_context(s)
    return {
        "org": org,
        "emblem": emblem_picture(s, data_dir),
        "memo_date": thai.thai_date(memo_date),
        "subject": wording.MEMO_SUBJECT,
        "addressee": approvers[-1]["position"] if approvers else "",
        "fiscal_year": thai.to_thai_digits(fy),
        "previous_fiscal_year": thai.to_thai_digits(fy - 1),
        "ita": {
            "year": thai.to_thai_digits(fy),
            "score": thai.to_thai_digits(_score_text(total)),
            "level": level.name,
            "meaning": ita_levels.meaning(level, s.body),
        },
        **_charts(fy, by_year, names),
        "indicator_years": [str(y) for y in sorted(by_year) if any(k in setup_schema.ITA_INDICATORS for k in by_year[y])],
        "indicators": [
            {"no": key, "name": names.get(key, ""), "score": _score_text(this_year[key])}
            for key in setup_schema.ITA_INDICATORS
            if key in this_year
        ],
        "guidelines": [{"no": thai.to_thai_digits(g["no"]), "text": g["text"]} for g in s.guidelines],
        "proposals": [
            {"no": thai.to_thai_digits(no), "text": text.format(body=s.body, district_province=org["district_province"],
                                                                fiscal_year=thai.to_thai_digits(fy))}
            for no, text in wording.MEMO_PROPOSALS
        ],
        "preparer": {"name": preparer["name"], "position": preparer["position"], "role": preparer["role"]},
        "approvers": [{"name": a["name"], "position": a["position"], "role": a["role"]} for a in approvers],
    }


CHART_WIDTH_MM = 150
# Only a missing or broken fontpkg-sarabun leaves the charts without a Thai
# font (ita.thai_fonts); the memo is then written again on the next run.
NO_CHART_FONT = ("กราฟในบันทึกข้อความแสดงอักษรไทยไม่ได้: อ่านไฟล์ฟอนต์ Sarabun ของแพ็กเกจ fontpkg-sarabun ไม่ได้ "
                 "(ติดตั้งใหม่ด้วย ./setup.sh) บันทึกข้อความนี้จะถูกสร้างใหม่พร้อมกราฟเมื่อมีฟอนต์")
EMBLEM_HEIGHT_MM = 15  # the memo's Garuda: 1.5 cm (docs/ita-domain.md)


def _charts(fy: int, by_year: dict[int, dict[str, float]], names: dict[str, str]) -> dict[str, Picture | str]:
    """The memo's three charts; a chart without data is left out ("")."""
    if charts.thai_font() is None:
        log.warning(NO_CHART_FONT)
    totals = {y: v[setup_schema.ITA_TOTAL_KEY] for y, v in by_year.items() if setup_schema.ITA_TOTAL_KEY in v}
    indicators = {y: {k: v for k, v in scores.items() if k in setup_schema.ITA_INDICATORS} for y, scores in by_year.items()}
    indicators = {y: v for y, v in indicators.items() if v}
    return {
        "chart_overall": Picture(charts.overall_chart(fy, totals[fy]), CHART_WIDTH_MM),
        "chart_history": Picture(charts.history_chart(totals), CHART_WIDTH_MM) if len(totals) > 1 else "",
        "chart_indicators": Picture(charts.indicators_chart(names, indicators), CHART_WIDTH_MM) if indicators else "",
    }


def emblem_picture(s: YearSetup, data_dir: Path | None) -> Picture | str:
    """The Garuda image of the setup: pasted into it (checked at ingest), or
    named and looked up in the emblem folder only (ita.emblem). A bad one
    leaves the space blank; the setup's own warning told the clerk why."""
    data = s.emblem_image
    if data is None and s.row["emblem"] and data_dir is not None:
        try:
            data = emblem.named_image(data_dir, s.row["emblem"])
        except emblem.BadEmblem as error:
            log.warning("ตราครุฑของ %s ปีงบประมาณ %s: %s บันทึกข้อความจะเว้นที่ว่างไว้แทน",
                        s.body, s.fiscal_year, error.reason)
    return Picture(data, height_mm=EMBLEM_HEIGHT_MM) if data else ""


def report_context(store: Store, s: YearSetup) -> dict:
    return {
        "org": org_context(s),
        "fiscal_year": thai.to_thai_digits(s.fiscal_year),
        "period_text": thai.fiscal_period_text(s.fiscal_year),
        "groups": report_groups(s, store.query("consolidated_for", body_key=s.row["body_key"],
                                               fiscal_year=s.fiscal_year)),
    }


def report_groups(s: YearSetup, consolidated: list[dict]) -> list[dict]:
    """The report's tables: the plan's measures per assessment group, with
    the consolidated bullets (rows of measure_no, field, text in order)."""
    bullets: dict[tuple[int, str], list[str]] = defaultdict(list)
    for b in consolidated:
        bullets[(b["measure_no"], b["field"])].append(b["text"])
    groups = []
    for number, (group, heading) in enumerate(wording.REPORT_GROUPS, start=1):
        measures = [m for m in s.measures if m["grp"] == group]
        if not measures:
            continue
        groups.append({
            "heading": f"{thai.to_thai_digits(number)}. {heading.format(oit_items=wording.oit_items(s.fiscal_year))}",
            "measures": [
                {
                    "no": thai.to_thai_digits(i),
                    "title": m["title"],
                    "steps": list(m["steps"]),
                    "responsible": list(m["responsible"]),
                    "period": m["period"],
                    "summary": bullets.get((m["no"], "result"), []),
                    "outcomes": bullets.get((m["no"], "outcome"), []),
                }
                for i, m in enumerate(measures, start=1)
            ],
        })
    return groups


def monthly_contexts(store: Store, s: YearSetup) -> dict[date, dict]:
    """One executive report per month that has data. Sheets repeat last
    month's bullets; the report shows what each division added that month
    (sql/024_monthly_new_bullets.sql, which the trace workbook reads too)."""
    plan = {m["no"]: m for m in s.measures}
    by_month: dict[date, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in store.query("progress_for", body_key=s.row["body_key"], fiscal_year=s.fiscal_year):
        by_month[row["month"]][row["division"]].append(row)
    added = monthly_bullets(store, s.row["body_key"], s.fiscal_year)
    contexts = {}
    for month, divisions in sorted(by_month.items()):
        contexts[month] = {
            "org": org_context(s),
            "fiscal_year": thai.to_thai_digits(s.fiscal_year),
            "month_text": thai.thai_month_year(month.year, month.month),
            "generated_note": wording.MONTHLY_NOTE,
            "n_reported": thai.to_thai_digits(len([d for d in reported_divisions(s, divisions) if d in s.divisions])),
            "n_expected": thai.to_thai_digits(len(s.divisions)),
            "missing": [d for d in s.divisions if d not in divisions],
            "divisions": [_division_month(divisions[d], plan, added) for d in reported_divisions(s, divisions)],
        }
    return contexts


def reported_divisions(s: YearSetup, divisions: dict[str, list[dict]]) -> list[str]:
    """The divisions of a month's report, in the year's list order."""
    return [d for d in s.divisions if d in divisions] + sorted(d for d in divisions if d not in s.divisions)


def monthly_bullets(store: Store, body_key: str, fiscal_year: int) -> dict[tuple, list[dict]]:
    """(month, division, sheet row, field) → the bullets that month's report prints."""
    added: dict[tuple, list[dict]] = defaultdict(list)
    for b in store.query("monthly_bullets_for", body_key=body_key, fiscal_year=fiscal_year):
        added[(b["month"], b["division"], b["row"], b["field"])].append(b)
    return added


def measure_title(row: dict, plan: dict[int, dict]) -> str:
    return plan[row["measure_no"]]["title"] if row["measure_no"] in plan else (row["measure_title"] or "")


def _division_month(rows: list[dict], plan: dict[int, dict], added: dict[tuple, list[dict]]) -> dict:
    first = rows[0]
    return {
        "name": first["division"],
        "reporter": first["reporter"],
        "position": first["position"] or "",
        "report_date": thai.thai_date(first["report_date"]) if first["report_date"] else "-",
        "measures": [
            {
                "no": thai.to_thai_digits(r["measure_no"]),
                "title": measure_title(r, plan),
                "activity": records.lines(r["activity"]),
                **{field: [b["text"] for b in added.get((r["month"], r["division"], r["row"], field), [])]
                   for field in ("result", "outcome")},
                "status": r["status"] or "-",
                "progress": thai.to_thai_digits(_percent(r["progress"])) if r["progress"] is not None else "-",
            }
            for r in rows
        ],
    }


def _percent(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
