"""Thai text, digits, months and dates, as clerks write them.

Digit conversion, month names and date formatting come from pythainlp; this
module only decides which notations a clerk may use and how they map to dates.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

from pythainlp.util import (
    arabic_digit_to_thai_digit,
    thai_digit_to_arabic_digit,
    thai_strftime,
)
from pythainlp.util.date import thai_abbr_months, thai_full_month_lists, thai_full_months

BE_OFFSET = 543
# A date cell whose year is already Buddhist Era (typed as 5/10/2565 in a
# Gregorian locale) lands past this year.
BE_YEAR_FLOOR = 2400


def clean_text(value: object) -> str:
    """Cell text as a person meant it: no control or zero-width characters,
    Unix line breaks, no trailing spaces on lines, no blank edges."""
    if value is None:
        return ""
    if type(value) is str and value.isprintable():
        # One line with nothing to drop (a line break is not printable):
        # most cells, and every text cleaned before.
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    # Nearly every line is printable; only the rest is looked at character by
    # character (this function runs on every cell of every sheet). Zero-width
    # characters (U+200B, U+FEFF, soft hyphen…) are format characters: not
    # printable, so they are dropped there too.
    lines = [(line if line.isprintable() else _printable(line)).strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n").strip()


def _printable(line: str) -> str:
    """A line without control, format, surrogate or private-use characters;
    tabs and no-break spaces become plain spaces."""
    return "".join(
        " " if ch in "\t\u00a0" else ch
        for ch in line
        if ch in "\t\u00a0" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )


def one_line(value: object) -> str:
    """Cell text folded to a single line with single spaces."""
    return " ".join(clean_text(value).split())


def to_arabic_digits(text: str) -> str:
    return thai_digit_to_arabic_digit(text) if text else text


def to_thai_digits(value: object) -> str:
    text = str(value)
    return arabic_digit_to_thai_digit(text) if text else text


def label_key(value: object) -> str:
    """The form in which two labels are compared: SPEC says spaces, line
    breaks and Thai vs Arabic digits do not matter."""
    return _text_label_key(value) if isinstance(value, str) else _label_key(value)


def _label_key(value: object) -> str:
    return "".join(to_arabic_digits(clean_text(value)).split()).casefold()


# Every sheet of a form repeats the same labels: headers are looked up cell
# by cell in each of them.
_text_label_key = lru_cache(maxsize=8192)(_label_key)


def _month_key(text: str) -> str:
    return re.sub(r"[\s.]", "", text)


# Every spelling pythainlp knows for each month (full, short, abbreviated),
# compared without dots or spaces so "ต.ค.", "ต.ค" and "ตค" are one month.
_MONTH_NAMES: dict[str, int] = {}
for _number, _names in enumerate(thai_full_month_lists, start=1):
    for _name in (*_names, thai_full_months[_number - 1], thai_abbr_months[_number - 1]):
        if not _name.isdigit():
            _MONTH_NAMES[_month_key(_name)] = _number
_MONTH_PATTERN = "|".join(
    sorted((re.escape(k) for k in _MONTH_NAMES), key=len, reverse=True)
)


def be_year(year: int) -> int:
    """A year as written (2 or 4 digits, BE or CE) → a Buddhist-Era year."""
    if year < 100:  # "65" in "ต.ค. 65": BE, as Thai offices write it
        return 2500 + year
    if year >= BE_YEAR_FLOOR:
        return year
    return year + BE_OFFSET


def ce_year(year: int) -> int:
    return be_year(year) - BE_OFFSET


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if value.year >= BE_YEAR_FLOOR:
            value = value.replace(year=value.year - BE_OFFSET)
        return value
    return None


def parse_month(value: object) -> tuple[int, int] | None:
    """(CE year, month) from "ตุลาคม ๒๕๖๕", "ต.ค. 65", "10/2565" or a date cell."""
    as_date = _as_date(value)
    if as_date:
        return as_date.year, as_date.month
    text = _month_key(to_arabic_digits(clean_text(value)))
    if not text:
        return None
    match = re.fullmatch(rf"(?:เดือน)?({_MONTH_PATTERN})(?:พ\.?ศ\.?)?(\d{{2}}|\d{{4}})", text)
    if match:
        return ce_year(int(match.group(2))), _MONTH_NAMES[match.group(1)]
    match = re.fullmatch(r"(\d{1,2})[/-](\d{2}|\d{4})", text)
    if match and 1 <= int(match.group(1)) <= 12:
        return ce_year(int(match.group(2))), int(match.group(1))
    return None


def parse_date(value: object) -> date | None:
    """A date cell, "๕ ตุลาคม ๒๕๖๕", "5 ต.ค. 65", "05/10/2565" or "2022-10-05"."""
    as_date = _as_date(value)
    if as_date:
        return as_date
    text = to_arabic_digits(one_line(value))
    if not text:
        return None
    squeezed = _month_key(text)
    match = re.fullmatch(rf"(?:วันที่)?(\d{{1,2}})({_MONTH_PATTERN})(?:พ\.?ศ\.?)?(\d{{2}}|\d{{4}})", squeezed)
    if match:
        day, month, year = int(match.group(1)), _MONTH_NAMES[match.group(2)], int(match.group(3))
    else:
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})", text)
        iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if match:
            day, month, year = (int(g) for g in match.groups())
        elif iso:
            year, month, day = (int(g) for g in iso.groups())
        else:
            return None
    try:
        return date(ce_year(year), month, day)
    except ValueError:
        return None


def parse_number(value: object) -> float | None:
    """A number as typed: Thai digits, thousands separators, a trailing %."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = to_arabic_digits(one_line(value)).replace(",", "").rstrip("%").strip()
    try:
        return float(text)
    except ValueError:
        return None


def fiscal_year(year_ce: int, month: int) -> int:
    """The Buddhist-Era fiscal year (1 Oct – 30 Sep, named by the year it ends in)."""
    return year_ce + BE_OFFSET + (1 if month >= 10 else 0)


def fiscal_months(fy_be: int) -> list[tuple[int, int]]:
    """The twelve (CE year, month) of a fiscal year, October first."""
    start = fy_be - BE_OFFSET - 1
    return [(start, m) for m in (10, 11, 12)] + [(start + 1, m) for m in range(1, 10)]


def thai_date(d: date) -> str:
    """"๕ ตุลาคม ๒๕๖๖", the memo's form."""
    return thai_strftime(datetime(d.year, d.month, d.day), "%-d %B %Y", thaidigit=True)


def thai_month_year(year_ce: int, month: int) -> str:
    return f"{thai_full_months[month - 1]} {to_thai_digits(year_ce + BE_OFFSET)}"


def thai_month_abbr(year_ce: int, month: int) -> str:
    """"ต.ค.๖๕", as periods are written in tables."""
    return f"{thai_abbr_months[month - 1]}{to_thai_digits((year_ce + BE_OFFSET) % 100):0>2}"


def fiscal_period_text(fy_be: int) -> str:
    """"ตุลาคม ๒๕๖๕ – กันยายน ๒๕๖๖"."""
    months = fiscal_months(fy_be)
    return f"{thai_month_year(*months[0])} – {thai_month_year(*months[-1])}"
