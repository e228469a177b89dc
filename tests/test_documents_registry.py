"""The documents registry: what each document is made from, so that exactly
the documents whose inputs changed are written again."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from conftest import MEMO_DATE
from ita import documents, ita_levels, paths, settings
from ita.store import Store

BODIES = ["องค์การบริหารส่วนตำบลตาอ็อง", "เทศบาลตำบลบ้านใหม่", "องค์การบริหารส่วนจังหวัดนครราชสีมา (สำนักปลัด)"]
MONTHS = [date(2022, 10, 1), date(2022, 11, 1), date(2022, 12, 1), date(2023, 1, 1)]


DIVISIONS = ["สำนักปลัด", "กองคลัง", "กองสวัสดิการสังคม", "หน่วยตรวจสอบภายใน"]


def row(body: str, **changes) -> dict:
    # กองสวัสดิการสังคม has not reported yet; the others reported up to a month each.
    forms = [{"division": d, "month": MONTHS[n] if n < 3 else None, "sheet": f"sheet-{n}" if n < 3 else None}
             for n, d in enumerate(DIVISIONS[:2] + DIVISIONS[3:] + DIVISIONS[2:3])]
    return {"body_key": body, "body": body, "fiscal_year": 2566, "setup": "setup-sha", "n_files": 25,
            "last_accepted": 25, "last_processed": datetime(2023, 1, 20, 2, 0),
            "months": [{"month": m, "sheets": f"sheets-{m:%m}"} for m in MONTHS], "written": None,
            "forms": forms, "next_year_has_setup": False, "months_due": 3, **changes}  # on 20 January: October to December


def prints(year: documents.Year) -> dict[str, str]:
    return {d.name: d.fingerprint for d in documents.plan(year)}


def changed(before: documents.Year, after: documents.Year) -> set[str]:
    a, b = prints(before), prints(after)
    return {name for name in a.keys() | b.keys() if a.get(name) != b.get(name)}


@pytest.fixture
def config(tmp_path) -> settings.Config:
    return settings.resolve(inbox=str(tmp_path / "inbox"), outbox=str(tmp_path / "outbox"), data=str(tmp_path / "data"))


@pytest.mark.parametrize("body", BODIES)
def test_each_document_of_the_year_has_its_own_place_and_fingerprint(config, body):
    year = documents.Year(row(body), config, date(2023, 1, 20))
    planned = documents.plan(year)
    assert [d.name for d in planned] == ["memo", "report", "half_year_report", "half_year_memo", "monthly:2022-10",
                                        "monthly:2022-11", "monthly:2022-12", "monthly:2023-01", "form:สำนักปลัด",
                                        "form:กองคลัง", "form:หน่วยตรวจสอบภายใน", "form:กองสวัสดิการสังคม",
                                        "trace", "status"]
    assert len({d.path for d in planned}) == len({d.fingerprint for d in planned}) == len(planned)
    assert all(d.path.is_relative_to(paths.year_folder(config, body, 2566)) for d in planned)


@pytest.mark.parametrize("body", BODIES)
def test_a_resubmitted_sheet_changes_its_month_the_months_after_the_report_and_the_status(config, body):
    today = date(2023, 1, 20)
    before = documents.Year(row(body), config, today)
    months = [dict(m) for m in row(body)["months"]]
    months[1]["sheets"] = "sheets-11-resubmitted"
    after = documents.Year(row(body, months=months, n_files=26, last_accepted=26), config, today)
    assert changed(before, after) == {"report", "half_year_report", "half_year_memo", "monthly:2022-11",
                                      "monthly:2022-12", "monthly:2023-01", "trace", "status"}


def test_a_new_month_starting_changes_the_status_alone(config):
    with Store(config.database) as store:
        def on(today: date) -> documents.Year:
            due = store.con.execute("select months_due(2566, $today)", {"today": today}).fetchone()[0]
            return documents.Year(row(BODIES[0], months_due=due), config, today)

        before = on(date(2023, 1, 31))
        assert changed(before, on(date(2023, 2, 1))) == {"status"}
        assert changed(before, on(date(2022, 12, 31))) == {"status"}
        assert changed(before, on(date(2023, 1, 1))) == set()
        # After the year, every month is due: the status stays as it is.
        assert changed(on(date(2023, 10, 1)), on(date(2024, 5, 2))) == set()


def test_a_new_setup_changes_every_document(config):
    before = documents.Year(row(BODIES[1]), config, date(2023, 1, 20))
    assert changed(before, documents.Year(row(BODIES[1], setup="another"), config, date(2023, 1, 20))) == set(prints(before))


def test_a_fixed_memo_date_is_part_of_the_memo_only(config):
    before = documents.Year(row(BODIES[0]), config, date(2023, 1, 20))
    after = replace(before, config=replace(config, memo_date=date(2023, 10, 5)))
    assert changed(before, after) == {"memo", "half_year_memo"}


@pytest.mark.parametrize("font", ["TH SarabunPSK", "TH Sarabun New"])
def test_the_font_is_part_of_every_document(config, font):
    before = documents.Year(row(BODIES[2]), config, date(2023, 1, 20))
    after = replace(before, config=replace(config, font=font))
    # The workbooks made without a template (status, trace) are in the run's font too.
    assert changed(before, after) == set(prints(before))


def test_the_products_version_is_part_of_every_document(config, monkeypatch):
    before = prints(documents.Year(row(BODIES[0]), config, date(2023, 1, 20)))
    monkeypatch.setattr(documents, "product_version", lambda: "99.0")
    after = prints(documents.Year(row(BODIES[0]), config, date(2023, 1, 20)))
    assert {n for n in before if before[n] != after[n]} == set(before)


@pytest.mark.parametrize("kind", [k for k in documents.KINDS if k.template], ids=lambda k: k.name)
def test_a_changed_template_changes_the_documents_made_from_it(config, tmp_path, monkeypatch, kind):
    year = documents.Year(row(BODIES[0]), config, date(2023, 1, 20))
    before = prints(year)
    templates = tmp_path / "templates"
    shutil.copytree(paths.TEMPLATES, templates)
    with zipfile.ZipFile(paths.TEMPLATES / kind.template) as source, \
            zipfile.ZipFile(templates / kind.template, "w", zipfile.ZIP_STORED) as copy:
        for item in source.infolist():  # the same parts, stored instead of compressed: other bytes
            copy.writestr(item.filename, source.read(item.filename))
    monkeypatch.setattr(paths, "TEMPLATES", templates)
    after = prints(year)
    assert {n for n in before if before[n] != after[n]} == {d.name for d in documents.plan(year) if d.kind is kind}


@pytest.mark.parametrize(("from_year", "changes"), [(2561, set()), (2566, {"memo"})])
def test_the_level_bands_of_the_year_are_part_of_its_memo(config, tmp_path, monkeypatch, from_year, changes):
    year = documents.Year(row(BODIES[0]), config, date(2023, 1, 20))
    before = prints(year)
    text = ita_levels.BANDS_FILE.read_text(encoding="utf-8")
    head, tail = text.split(f"from_year = {from_year}")
    rest, *others = tail.split("[[scheme]]", 1)
    bands = tmp_path / "ita_bands.toml"
    bands.write_text(head + f"from_year = {from_year}" + rest.replace("min_total = 95.0", "min_total = 96.0", 1)
                     .replace("min_total = 85.0", "min_total = 86.0", 1) + "".join("[[scheme]]" + o for o in others),
                     encoding="utf-8")
    monkeypatch.setattr(ita_levels, "BANDS_FILE", bands)
    after = prints(year)
    assert {n for n in before if before[n] != after[n]} == changes


def test_deciding_that_nothing_is_out_of_date_imports_nothing_heavy(sample_run):
    root, _ = sample_run
    script = (
        "import sys\n"
        "from datetime import date\n"
        "from ita import freshness, settings, thai\n"
        "from ita.store import Store\n"
        f"config = settings.resolve(inbox={str(root / 'inbox')!r}, outbox={str(root / 'outbox')!r},"
        f" data={str(root / 'data')!r}, memo_date={MEMO_DATE.isoformat()!r})\n"
        "with Store(config.database) as store:\n"
        "    assert freshness.year_inputs(store, config, thai.label_key('องค์การบริหารส่วนตำบลตาอ็อง'), 2566, date.today()).written\n"
        "    assert freshness.years_to_write(store, config, date.today()) == []\n"
        "heavy = {'pandas', 'pandera', 'openpyxl', 'docx', 'docxtpl', 'matplotlib'} & set(sys.modules)\n"
        "sys.exit(', '.join(sorted(heavy)) or None)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parent.parent,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize("body", BODIES)
def test_each_division_has_its_form_for_the_month_after_its_last_sheet(config, body):
    year = documents.Year(row(body), config, date(2023, 1, 20))
    forms = {d.name: d.path for d in documents.plan(year) if d.kind is documents.FORM}
    folder = paths.year_folder(config, body, 2566) / "แบบฟอร์ม"
    assert forms == {
        "form:สำนักปลัด": folder / "สำนักปลัด_พฤศจิกายน_2565.xlsx",
        "form:กองคลัง": folder / "กองคลัง_ธันวาคม_2565.xlsx",
        "form:หน่วยตรวจสอบภายใน": folder / "หน่วยตรวจสอบภายใน_มกราคม_2566.xlsx",
        "form:กองสวัสดิการสังคม": folder / "กองสวัสดิการสังคม_ตุลาคม_2565.xlsx",  # not reported yet: October
    }


@pytest.mark.parametrize("division", DIVISIONS)
def test_a_divisions_new_sheet_changes_its_own_form_alone(config, division):
    before = documents.Year(row(BODIES[0]), config, date(2023, 2, 10))
    forms = [dict(f, month=date(2023, 1, 1), sheet="sheet-new") if f["division"] == division else f
             for f in before.row["forms"]]
    after = replace(before, row={**before.row, "forms": forms})
    assert changed(before, after) == {f"form:{division}"}


@pytest.mark.parametrize(("today", "has_setup", "planned"), [
    (date(2023, 9, 30), False, False),  # September is not over: not yet
    (date(2023, 10, 1), False, True),
    (date(2024, 3, 1), False, True),
    (date(2023, 10, 1), True, False),  # the office has sent next year's already
])
def test_next_years_setup_is_planned_once_the_years_last_month_is_over(config, today, has_setup, planned):
    year = documents.Year(row(BODIES[1], next_year_has_setup=has_setup), config, today)
    found = [d for d in documents.plan(year) if d.kind is documents.NEXT_SETUP]
    expected = paths.year_folder(config, BODIES[1], 2566) / "แบบฟอร์ม" / "ข้อมูลประจำปี_2567.xlsx"
    assert [d.path for d in found] == ([expected] if planned else [])


def test_next_years_setup_is_made_from_this_years_alone(config):
    before = documents.Year(row(BODIES[0]), config, date(2023, 10, 2))
    months = [dict(m, sheets="resubmitted") for m in before.row["months"]]
    assert "next_setup" not in changed(before, replace(before, row={**before.row, "months": months}))
    assert "next_setup" in changed(before, replace(before, row={**before.row, "setup": "corrected"}))


HALF_YEAR = {"half_year_report", "half_year_memo"}


@pytest.mark.parametrize("body", BODIES)
def test_the_end_of_march_brings_the_half_year_documents_and_the_trace_lines_of_them(config, body):
    # months_due as year_render_inputs counts them on each day: October to February, March, January
    before = documents.Year(row(body, months_due=5), config, date(2023, 3, 31))
    april = documents.Year(row(body, months_due=6), config, date(2023, 4, 1))
    february = documents.Year(row(body, months_due=4), config, date(2023, 2, 28))
    assert changed(before, april) == HALF_YEAR | {"trace", "status"}
    assert changed(before, february) == {"status"}  # February: nothing of it yet


@pytest.mark.parametrize(("month", "changes"), [
    (date(2023, 3, 1), HALF_YEAR | {"report", "trace", "status"}),  # March is part of the half-year
    (date(2023, 4, 1), {"report", "trace", "status"}),  # April is not: its sheet leaves the half-year as it is
    (date(2023, 9, 1), {"report", "trace", "status"}),
])
def test_a_sheet_of_a_later_month_leaves_the_half_year_documents_as_they_are(config, month, changes):
    today = date(2023, 10, 5)
    before = documents.Year(row(BODIES[0]), config, today)
    months = [*row(BODIES[0])["months"], {"month": month, "sheets": f"sheets-{month:%m}"}]
    after = documents.Year(row(BODIES[0], months=months, n_files=26, last_accepted=26), config, today)
    assert changed(before, after) == changes | {f"monthly:{month:%Y-%m}"}
