"""ITA levels come from the year's official bands, kept as data."""

from __future__ import annotations

import pytest

from ita import ita_levels

TOOLS_2566 = {"IIT": 99.58, "EIT": 94.20, "OIT": 100.0}


@pytest.mark.parametrize(
    "year, total, tools, level",
    [
        (2566, 98.13, TOOLS_2566, "ผ่านดี"),  # the seed: EIT below 95
        (2566, 98.13, {"IIT": 99.58, "EIT": 95.0, "OIT": 100.0}, "ผ่านดีเยี่ยม"),
        (2567, 91.15, {"IIT": 90.0, "EIT": 84.99, "OIT": 95.0}, "ผ่าน"),  # one tool under 85
        (2568, 92.0, {"IIT": 90.0, "EIT": 88.0}, "ผ่าน"),  # a tool without a score cannot meet its minimum
        (2566, 84.99, TOOLS_2566, "ต้องปรับปรุง"),
        (2566, 70.0, {}, "ต้องปรับปรุง"),
        (2566, 69.99, {}, "ต้องปรับปรุงโดยด่วน"),
        (2565, 93.38, {}, "A"),
        (2565, 95.0, {}, "AA"),
        (2562, 76.35, {}, "B"),
        (2563, 49.99, {}, "F"),
    ],
)
def test_level_by_the_years_bands(year, total, tools, level):
    assert ita_levels.level_for(year, total, tools).name == level


def test_meaning_names_the_body():
    level = ita_levels.level_for(2566, 98.13, TOOLS_2566)
    text = ita_levels.meaning(level, "องค์การบริหารส่วนตำบลตาอ็อง")
    assert text.startswith("หมายถึง องค์การบริหารส่วนตำบลตาอ็องสามารถดำเนินการได้ครบถ้วน")


def test_years_before_any_scheme_are_refused():
    with pytest.raises(ValueError):
        ita_levels.scheme_for(2550)


@pytest.mark.parametrize(
    "scores, level",
    [
        ({"IIT": 99.58, "EIT ส่วนที่ 1": 96.0, "EIT ส่วนที่ 2": 95.5, "OIT": 100.0}, "ผ่านดีเยี่ยม"),
        ({"IIT": 99.58, "EIT ส่วนที่ 1": 96.0, "EIT ส่วนที่ 2": 90.2, "OIT": 100.0}, "ผ่านดี"),
        ({"IIT": 99.58, "EIT ส่วนที่ 1": 96.0, "EIT ส่วนที่ 2": 84.9, "OIT": 100.0}, "ผ่าน"),  # one part under 85
        ({"IIT": 99.58, "EIT ส่วนที่ 1": 96.0, "OIT": 100.0}, "ผ่านดีเยี่ยม"),  # the part given stands for EIT
        ({"IIT": 99.58, "OIT": 100.0}, "ผ่าน"),  # no EIT at all
    ],
)
def test_eit_in_two_parts_each_meets_the_minimum(scores, level):
    assert ita_levels.level_for(2566, 97.0, scores).name == level


def test_the_bands_say_from_which_year_they_apply():
    assert ita_levels.first_year() == 2561
    assert ita_levels.covers(2561) and not ita_levels.covers(2560)
