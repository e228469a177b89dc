"""A period of months within one fiscal year: the half-year (ต.ค.–มี.ค.) the
night writes once March is due, or any range `ita report --from --to` asks
for. Light to import: the registry decides from it whether the half-year
documents are due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ita import thai

HALF_YEAR_MONTHS = 6  # O12/O37 of the ITA ask for a report of the first six months (ต.ค.–มี.ค.)


def month_is_due(month: date, today: date) -> bool:
    """A month's report is due once the month is over: the Python twin of
    sql/000_macros.sql's month_is_due, for the registry, which decides from a
    year's row alone whether the half-year and next year's setup are due
    (tests/test_sql_models.py holds the two together)."""
    return today >= date(month.year + (month.month == 12), month.month % 12 + 1, 1)


class BadPeriod(ValueError):
    """A range of months that cannot be one report: the message says why, in Thai."""


@dataclass(frozen=True)
class Period:
    """The months first..last (first days of months, inclusive) of one fiscal year."""

    first: date
    last: date

    @property
    def fiscal_year(self) -> int:
        return thai.fiscal_year(self.first.year, self.first.month)

    @property
    def months(self) -> list[date]:
        return [date(y, m, 1) for y, m in thai.fiscal_months(self.fiscal_year) if self.first <= date(y, m, 1) <= self.last]

    @property
    def text(self) -> str:
        """"ตุลาคม ๒๕๖๕ – มีนาคม ๒๕๖๖", as the seed writes the year's period."""
        first, last = thai.thai_month_year(self.first.year, self.first.month), thai.thai_month_year(self.last.year, self.last.month)
        return first if self.first == self.last else f"{first} – {last}"

    @property
    def label(self) -> str:
        """"รอบ ๖ เดือน": how a report of part of the year is named."""
        return f"รอบ {thai.to_thai_digits(len(self.months))} เดือน"

    def is_due(self, today: date) -> bool:
        """Its last month is over, so every division's sheet of it is due."""
        return month_is_due(self.last, today)


def half_year(fiscal_year: int) -> Period:
    months = thai.fiscal_months(fiscal_year)
    return Period(date(*months[0], 1), date(*months[HALF_YEAR_MONTHS - 1], 1))


def period_of(first: tuple[int, int], last: tuple[int, int]) -> Period:
    """The period of (CE year, month) first..last, or BadPeriod when the range
    runs backwards or crosses the end of a fiscal year (30 September)."""
    start, end = date(*first, 1), date(*last, 1)
    if end < start:
        raise BadPeriod(f"เดือนสิ้นสุด ({_month(end)}) อยู่ก่อนเดือนเริ่มต้น ({_month(start)}) "
                        "ให้ระบุ --from เป็นเดือนแรกและ --to เป็นเดือนสุดท้ายของช่วง")
    start_year, end_year = thai.fiscal_year(*first), thai.fiscal_year(*last)
    if start_year != end_year:
        raise BadPeriod(f"ช่วง {_month(start)} ถึง {_month(end)} คาบเกี่ยวปีงบประมาณ {start_year} และ {end_year}: "
                        f"รายงานหนึ่งฉบับอยู่ในปีงบประมาณเดียว (ต.ค. ถึง ก.ย.) "
                        f"เช่น --from 'ต.ค. {str(start_year - 1)[-2:]}' --to 'ก.ย. {str(start_year)[-2:]}'")
    return Period(start, end)


def _month(month: date) -> str:
    return thai.thai_month_abbr(month.year, month.month)
