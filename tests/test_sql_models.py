"""The SQL models: their shape (a `final` CTE last), the grain each one's
header states (checked on the sample year's data), and the rules of the
fiscal calendar and of when a month is due, defined once as macros
(sql/000_macros.sql) and held here against their Python twins."""

from __future__ import annotations

import re
from datetime import date

import pytest

from ita import period, thai
from ita.package_data import SQL
from ita.store import Store, models

MODELS = models()
QUERIES = sorted((SQL / "queries").glob("*.sql"))
GRAIN = re.compile(r"Grain: one row per \(([^)]*)\)")
ENDS_IN_FINAL = re.compile(r"\bselect \* from final(\s+order by [^;]+)?;?\s*$")


def _code(path) -> str:
    """The SQL without its comments, spaces folded."""
    text = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
    return " ".join(text.split()).lower()


def _grain(path) -> list[str]:
    header = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("--"):
            break
        header.append(line.removeprefix("--").strip())
    found = GRAIN.search(" ".join(header))
    assert found, f"{path.name}: the header comment states no grain (-- Grain: one row per (...))"
    return [column.strip() for column in found.group(1).split(",")]


def _view(path) -> str:
    """The relation a model makes: its view, or its table macro over every month."""
    view = re.search(r"create or replace view (\w+)", _code(path))
    if view:
        return view.group(1)
    macro = re.search(r"create or replace macro (\w+)\(first_month, last_month\) as table", _code(path)).group(1)
    return f"{macro}(date '0001-01-01', date '9999-12-01')"


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_each_model_ends_in_its_final_cte(path):
    code = _code(path)
    assert " final as (" in code and ENDS_IN_FINAL.search(code), path.name
    assert code.endswith("select * from final;"), path.name


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_each_query_that_models_ends_in_its_final_cte(path):
    """A query that joins, groups or has CTEs is a model of its own; a plain
    look-up of one table or view by its parameters is not."""
    code = _code(path)
    if re.search(r"\b(with|join|group by)\b", code):
        assert " final as (" in code and ENDS_IN_FINAL.search(code), path.name


def test_the_fiscal_arithmetic_is_written_only_in_the_macros():
    """No model or query works out a fiscal year from the 543 years between
    the eras, or October as its start, by itself."""
    for path in [*MODELS, *QUERIES]:
        code = _code(path)
        assert not re.search(r"\b54[34]\b|make_date\(|month\([^)]*\)\s*>=\s*10", code), path.name


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_each_model_has_the_grain_it_states(sample_run, path):
    root, _ = sample_run
    grain = _grain(path)
    with Store(root / "data" / "ita.duckdb", read_only=True) as store:
        rows, distinct = store.con.execute(
            f"select count(*), count(distinct ({', '.join(grain)})) from {_view(path)}").fetchone()
    assert rows > 0, f"{path.stem} is empty on the sample year: its grain is not tested"
    assert rows == distinct, f"{path.stem}: {rows} rows, {distinct} distinct ({', '.join(grain)})"


@pytest.fixture(scope="module")
def macros(tmp_path_factory):
    with Store(tmp_path_factory.mktemp("macros") / "ita.duckdb") as store:
        yield store.con


@pytest.mark.parametrize("fiscal_year", [2500, 2563, 2566, 2567, 2600])
def test_the_python_fiscal_calendar_is_the_macros(macros, fiscal_year):
    months = macros.execute("select fiscal_months($fy)", {"fy": fiscal_year}).fetchone()[0]
    assert [(m.year, m.month) for m in months] == thai.fiscal_months(fiscal_year)
    for place, month in enumerate(months, start=1):
        year_of, month_no = macros.execute("select fiscal_year_of($m), fiscal_month_no($m)", {"m": month}).fetchone()
        assert (year_of, month_no) == (thai.fiscal_year(month.year, month.month), place) == (fiscal_year, place)


@pytest.mark.parametrize(("month", "today", "status", "shown"), [
    (date(2023, 1, 1), date(2023, 1, 31), "missing", "not_due"),
    (date(2023, 1, 1), date(2023, 2, 1), "missing", "missing"),
    (date(2022, 12, 1), date(2022, 12, 31), "missing", "not_due"),
    (date(2022, 12, 1), date(2023, 1, 1), "missing", "missing"),
    (date(2023, 9, 1), date(2023, 8, 15), "missing", "not_due"),
    (date(2023, 9, 1), date(2023, 8, 15), "received", "received"),
    (date(2023, 9, 1), date(2023, 8, 15), "rejected", "rejected"),
    (date(2022, 10, 1), date(2024, 2, 29), "missing", "missing"),
])
def test_a_missing_month_is_not_due_until_it_is_over(macros, month, today, status, shown):
    assert macros.execute("select status_on($status, $m, $today)",
                          {"status": status, "m": month, "today": today}).fetchone()[0] == shown


@pytest.mark.parametrize(("today", "due"), [
    (date(2022, 9, 30), 0), (date(2022, 10, 31), 0), (date(2022, 11, 1), 1), (date(2023, 1, 20), 3),
    (date(2023, 9, 30), 11), (date(2023, 10, 1), 12), (date(2030, 1, 1), 12),
])
def test_months_due_counts_the_months_over(macros, today, due):
    assert macros.execute("select months_due(2566, $today)", {"today": today}).fetchone()[0] == due


@pytest.mark.parametrize("today", [date(2022, 9, 30), date(2022, 10, 1), date(2023, 2, 28), date(2023, 3, 31),
                                   date(2023, 4, 1), date(2023, 12, 31), date(2024, 1, 1), date(2024, 2, 29)])
def test_the_python_due_rule_is_the_macros(macros, today):
    for month in [date(y, m, 1) for fy in (2566, 2567) for y, m in thai.fiscal_months(fy)]:
        assert period.month_is_due(month, today) == macros.execute(
            "select month_is_due($m, $today)", {"m": month, "today": today}).fetchone()[0], (month, today)
