"""The notations clerks use for months, dates, numbers and labels."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ita import records, thai


@pytest.mark.parametrize(
    "written, expected",
    [
        ("ตุลาคม ๒๕๖๕", (2022, 10)),
        ("ตุลาคม 2565", (2022, 10)),
        ("ต.ค. 65", (2022, 10)),
        ("ต.ค.๖๕", (2022, 10)),
        ("ตค 65", (2022, 10)),
        ("เดือนตุลาคม พ.ศ. ๒๕๖๕", (2022, 10)),
        ("  กันยายน\n2566 ", (2023, 9)),
        ("ก.พ. 2566", (2023, 2)),
        ("มกรา 66", (2023, 1)),
        ("10/2565", (2022, 10)),
        ("๑๐/๒๕๖๕", (2022, 10)),
        ("ตุลาคม 2022", (2022, 10)),
        (datetime(2022, 10, 1), (2022, 10)),
        (date(2565, 10, 1), (2022, 10)),  # a date cell typed with a BE year
    ],
)
def test_months_as_clerks_write_them(written, expected):
    assert thai.parse_month(written) == expected


@pytest.mark.parametrize("written", ["", "ตุลาคม", "2565", "13/2565", "เดือนหน้า", None, "ต.ค. ๖๕ และ พ.ย. ๖๕"])
def test_not_a_month(written):
    assert thai.parse_month(written) is None


@pytest.mark.parametrize(
    "written, expected",
    [
        ("๕ ตุลาคม ๒๕๖๕", date(2022, 10, 5)),
        ("5 ต.ค. 65", date(2022, 10, 5)),
        ("วันที่ 5 ตุลาคม พ.ศ. 2565", date(2022, 10, 5)),
        ("05/10/2565", date(2022, 10, 5)),
        ("5/10/65", date(2022, 10, 5)),
        ("๐๕/๑๐/๒๕๖๕", date(2022, 10, 5)),
        ("2022-10-05", date(2022, 10, 5)),
        (datetime(2022, 10, 5, 14, 30), date(2022, 10, 5)),
        (date(2565, 10, 5), date(2022, 10, 5)),
    ],
)
def test_dates_as_clerks_write_them(written, expected):
    assert thai.parse_date(written) == expected


@pytest.mark.parametrize("written", ["31/02/2566", "5 ตุลา", "พรุ่งนี้", ""])
def test_not_a_date(written):
    assert thai.parse_date(written) is None


@pytest.mark.parametrize(
    "written, expected",
    [("50", 50.0), ("๕๐", 50.0), ("50%", 50.0), ("๑,๒๕๐.๕", 1250.5), (75, 75.0), (0.5, 0.5), ("ห้าสิบ", None), (True, None)],
)
def test_numbers(written, expected):
    assert thai.parse_number(written) == expected


@pytest.mark.parametrize(
    "a, b",
    [
        ("ร้อยละความคืบหน้า", " ร้อยละ\nความคืบหน้า "),
        ("ปี 2566", "ปี ๒๕๖๖"),
        ("ลำดับมาตรการ", "ลำดับ มาตรการ"),
        ("ผลITA", "ผล ITA"),
        ("IIT/EIT", "iit / eit"),
    ],
)
def test_labels_match_ignoring_spacing_breaks_and_digit_script(a, b):
    assert thai.label_key(a) == thai.label_key(b)


def test_clean_text_strips_control_and_zero_width_characters():
    assert thai.clean_text("ก\u200bข\x00ค\x07\r\n  ง\u00a0 ") == "ขค\nง".replace("ข", "กข")


# Cells as clerks leave them: Thai, digits of both scripts, every kind of
# space and line break, zero-width and control characters.
_CELL_TEXT = st.text(alphabet=st.sampled_from(list("aZ กขัี่้ำ๑๒3-•.\t\n\r\u00a0\u200b\ufeff\u2028\x0b\x0c\x1c\x85\x00")),
                     max_size=20)


@given(_CELL_TEXT)
def test_cleaning_clean_text_changes_nothing(text):
    """clean_text returns a printable line as it is but stripped, and the
    bullets' lines are folded without cleaning again: both rest on this."""
    once = thai.clean_text(text)
    assert thai.clean_text(once) == once
    assert [thai.clean_text(line) for line in once.split("\n")] == once.split("\n")
    assert all(ch.isprintable() or ch in "\n" or ch.isspace() for ch in once)


@given(_CELL_TEXT)
def test_a_cells_lines_are_its_cleaned_lines_folded(text):
    expected = [" ".join(thai.clean_text(line).split()) for line in thai.clean_text(text).split("\n")]
    assert records.lines(text) == [line for line in expected if line]
    assert all(line == thai.one_line(line) for line in records.lines(text))


def test_fiscal_year_is_named_by_the_year_it_ends_in():
    assert thai.fiscal_year(2022, 10) == 2566
    assert thai.fiscal_year(2023, 9) == 2566
    assert thai.fiscal_months(2566)[0] == (2022, 10) and thai.fiscal_months(2566)[-1] == (2023, 9)


def test_thai_forms_for_documents():
    assert thai.thai_date(date(2023, 10, 5)) == "๕ ตุลาคม ๒๕๖๖"
    assert thai.thai_month_abbr(2022, 10) == "ต.ค.๖๕"
    assert thai.fiscal_period_text(2566) == "ตุลาคม ๒๕๖๕ – กันยายน ๒๕๖๖"


@given(st.integers(min_value=0, max_value=10**9))
def test_digit_scripts_round_trip(number):
    assert thai.to_arabic_digits(thai.to_thai_digits(number)) == str(number)


@given(st.sampled_from(range(1, 13)), st.integers(min_value=2400, max_value=2700), st.sampled_from(["full", "abbr"]),
       st.booleans(), st.text(alphabet=" \n\t", max_size=3))
def test_any_month_spelling_parses(month, year_be, form, thai_digits, padding):
    from pythainlp.util.date import thai_abbr_months, thai_full_months

    name = (thai_full_months if form == "full" else thai_abbr_months)[month - 1]
    year = thai.to_thai_digits(year_be) if thai_digits else str(year_be)
    assert thai.parse_month(f"{padding}{name} {year}{padding}") == (year_be - 543, month)


@given(st.text(alphabet="กขคงabc ๑๒๓123\n\u200b", max_size=30))
def test_label_key_is_idempotent_and_ignores_whitespace(text):
    key = thai.label_key(text)
    assert thai.label_key(key) == key
    assert thai.label_key(f"  {text}\n") == key
