"""The forms that come to the clerks: each division's next monthly sheet,
ready to fill, with what it last reported carried over, and next year's
setup workbook, pre-filled from this year's (which month and from when:
ita.form_months).

Both are laid out by ita.xlsx_templates, the writer of `ita template`, so a
form from the outbox and one from the command are the same workbook.
"""

from __future__ import annotations

from ita.contexts import YearSetup
from ita.form_months import form_month, period_for_next_year
from ita.plans import plan_of_setup
from ita.store import Store
from ita.xlsx_templates import CarriedOver, SetupPrefill, monthly_template, setup_template
from schemas import setup as setup_schema


def carried_over(store: Store, sheets: list[str]) -> dict[str, CarriedOver]:
    """What each of these sheets (divisions' last counting sheets) said, to
    start the next month's from, in one query for them all; a division that
    has not reported has no sheet and starts blank (`CarriedOver()`)."""
    by_sheet: dict[str, list[dict]] = {}
    for row in store.query("form_carry_over_of", sha256s=sheets) if sheets else []:
        by_sheet.setdefault(row["sha256"], []).append(row)
    return {sheet: CarriedOver(
        reporter=rows[0]["reporter"] or "",
        position=rows[0]["position"] or "",
        rows={r["measure_no"]: {**{k: r[k] for k in ("result", "outcome", "status", "evidence")},
                                "progress": _number(r["progress"])} for r in rows},
    ) for sheet, rows in by_sheet.items()}


def _number(value: float | None) -> int | float | None:
    return int(value) if value is not None and float(value).is_integer() else value


def division_form(setup: YearSetup, form: dict, carried: CarriedOver, font: str) -> bytes:
    """`form`: one item of form_inputs.forms (division, last month, its
    sheet); `carried`: what that sheet said (`carried_over`)."""
    month = form_month(setup.fiscal_year, form["month"])
    return monthly_template(plan_of_setup(setup), form["division"], (month.year, month.month), font=font,
                            carried=carried)


def setup_prefill(store: Store, setup: YearSetup) -> SetupPrefill:
    """This year's setup as next year's starting point: the same body,
    divisions, signatories, measures and guidelines; the ITA scores and
    announced levels of every year so far as history (next year's column blank)."""
    row = setup.row
    values: dict[tuple[str, int], object] = {(s["key"], s["year"]): s["score"] for s in setup.scores}
    values |= {(setup_schema.ITA_LEVEL_KEY, lv["year"]): lv["level"]
               for lv in store.query("levels_of", sha256=row["sha256"])}
    years = [year for _, year in values] or [setup.fiscal_year]
    return SetupPrefill(
        organisation={"name": row["body"], "owner_division": row["owner_division"], "doc_no": row["doc_no"],
                      "address": row["address"], "phone": row["phone"] or None, "emblem": row["emblem"] or None},
        divisions=[{"division": d} for d in setup.divisions],
        signatories=[{"order": n, "role": s["role"], "name": s["name"], "position": s["position"]}
                     for n, s in enumerate(setup.signatories, start=1)],
        measures=[{"no": m["no"], "group": m["grp"], "title": m["title"], "steps": "\n".join(m["steps"]),
                   "responsible": "\n".join(m["responsible"]),
                   "period": period_for_next_year(m["period"], setup.fiscal_year)} for m in setup.measures],
        guidelines=[{"no": g["no"], "text": g["text"]} for g in setup.guidelines],
        ita_names={s["key"]: s["name"] for s in setup.scores if s["name"]},
        ita_values=values,
        first_year=min(years),
        emblem_image=setup.emblem_image,
    )


def next_year_setup(store: Store, setup: YearSetup, font: str) -> bytes:
    return setup_template(setup.fiscal_year + 1, font=font, prefill=setup_prefill(store, setup))
