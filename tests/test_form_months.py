"""Which month a division's next form is for, and from when next year's setup is wanted."""

from __future__ import annotations

from datetime import date

import pytest

from ita.form_months import form_month, next_year_is_due, period_for_next_year


@pytest.mark.parametrize(("fiscal_year", "last", "expected"), [
    (2566, None, date(2022, 10, 1)),  # not reported yet: the year's first month
    (2566, date(2022, 10, 1), date(2022, 11, 1)),
    (2566, date(2022, 12, 1), date(2023, 1, 1)),  # across the calendar year
    (2566, date(2023, 8, 1), date(2023, 9, 1)),
    (2566, date(2023, 9, 1), date(2023, 9, 1)),  # never past September
    (2567, None, date(2023, 10, 1)),
    (2567, date(2024, 2, 1), date(2024, 3, 1)),
])
def test_the_form_is_for_the_month_after_the_last_one_reported(fiscal_year, last, expected):
    assert form_month(fiscal_year, last) == expected


@pytest.mark.parametrize(("fiscal_year", "today", "due"), [
    (2566, date(2023, 9, 30), False),
    (2566, date(2023, 10, 1), True),
    (2566, date(2022, 10, 1), False),
    (2567, date(2024, 10, 1), True),
])
def test_next_years_setup_is_due_from_the_first_of_october(fiscal_year, today, due):
    assert next_year_is_due(fiscal_year, today) is due


@pytest.mark.parametrize(("period", "expected"), [
    ("ต.ค.๖๕-ก.ย.๖๖", "ต.ค.๖๖-ก.ย.๖๗"),
    ("ต.ค.65-ก.ย.66", "ต.ค.๖๖-ก.ย.๖๗"),  # Arabic digits are the same period
    ("ม.ค.๖๖-มี.ค.๖๖", "ม.ค.๖๖-มี.ค.๖๖"),  # part of the year: the clerk's to change
    ("ตลอดปีงบประมาณ", "ตลอดปีงบประมาณ"),
])
def test_a_whole_year_period_moves_to_the_next_year(period, expected):
    assert period_for_next_year(period, 2566) == expected
