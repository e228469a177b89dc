"""When the forms are for (ita.forms builds them). Light to import: the
registry decides with these whether a form is out of date.

Which month a division's form is for (`form_month`): the month after the
last month it reported, or October, the fiscal year's first month, while it
has not reported; never past September, the year's last (a division that has
reported September gets September's form again, to send a correction).
Not the calendar's next month: a division that is behind owes the month after
its last report first, and its sheets are cumulative (clerks copy last
month's sheet and add to it), so that is the sheet it can fill next. Reported
months are counted from the sheets that count (latest valid per month), so a
rejected file changes nothing here. The form does not depend on the day it is
written: it changes only when the division sends a sheet or the setup changes.
"""

from __future__ import annotations

from datetime import date

from ita import thai
from ita.period import month_is_due


def form_month(fiscal_year: int, last_reported: date | None) -> date:
    """The month a division's next form is for (see the module's docstring)."""
    months = [date(y, m, 1) for y, m in thai.fiscal_months(fiscal_year)]
    if last_reported is None:
        return months[0]
    later = [m for m in months if m > last_reported]
    return later[0] if later else months[-1]


def next_year_is_due(fiscal_year: int, today: date) -> bool:
    """Next year's setup is wanted once the year's last month is over: from
    1 October, the first day of the next fiscal year."""
    return month_is_due(date(*thai.fiscal_months(fiscal_year)[-1], 1), today)


def period_for_next_year(period: str, fiscal_year: int) -> str:
    """A measure that ran the whole year ("ต.ค.๖๕-ก.ย.๖๖") runs the whole
    next year; any other period is the clerk's to change, kept as written."""
    first, *_, last = thai.fiscal_months(fiscal_year)
    if thai.label_key(period) == thai.label_key(f"{thai.thai_month_abbr(*first)}-{thai.thai_month_abbr(*last)}"):
        first, *_, last = thai.fiscal_months(fiscal_year + 1)
        return f"{thai.thai_month_abbr(*first)}-{thai.thai_month_abbr(*last)}"
    return period


