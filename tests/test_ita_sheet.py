"""The ผลITA sheet as NACC publishes it: EIT as one score or as its two
parts, and the level as announced, letter grades included."""

from __future__ import annotations

from datetime import datetime

import pytest

from checks_helpers import config_of, problems_of, query, take_in
from ita import contexts, thai
from ita.store import Store
from ita.year_setup import year_setup
from sample import fill
from workbooks import SAMPLE_SETUP

BODY_KEY = thai.label_key("องค์การบริหารส่วนตำบลตาอ็อง")


def setup_with_rows(root, rows: dict[str, list[object]], levels: list[object] | None = None) -> None:
    """The sample setup with its EIT row replaced by `rows` (key → scores
    2562…2566) and, when given, its ระดับ row rewritten."""
    inbox = root / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    book = fill.open_book(SAMPLE_SETUP)
    sheet = book["ผลITA"]
    eit = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "EIT")
    sheet.delete_rows(eit)
    for key, scores in rows.items():
        sheet.append([key, f"คะแนนเครื่องมือ {key}", *scores])
    if levels is not None:
        level_row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "ระดับ")
        for col, value in enumerate(levels, start=3):
            sheet.cell(level_row, col).value = value
    fill.save(book, inbox / SAMPLE_SETUP.name, datetime(2022, 9, 1))


def memo_level(root) -> str:
    with Store(config_of(root).database) as store:
        setup = year_setup(store, BODY_KEY, 2566)
        return contexts.memo_context(setup, datetime(2023, 10, 5).date(), config_of(root).data)["ita"]["level"]


@pytest.mark.parametrize("part_keys", [("EIT ส่วนที่ 1", "EIT ส่วนที่ 2"), ("EIT ส่วนที่ ๑", "eit  ส่วนที่๒")])
def test_eit_in_two_rows(tmp_path, part_keys):
    setup_with_rows(tmp_path, {part_keys[0]: [80, 84, 88, 91, 96.4], part_keys[1]: [80, 84, 88, 91, 92.0]})
    assert take_in(tmp_path).accepted == [SAMPLE_SETUP.name]
    assert [p for p in problems_of(tmp_path, SAMPLE_SETUP.name) if p["severity"] == "error"] == []
    stored = query(tmp_path, "select key, score from ita_scores where year = 2566 and key like 'EIT%' order by key")
    assert stored == [{"key": "EIT ส่วนที่ 1", "score": 96.4}, {"key": "EIT ส่วนที่ 2", "score": 92.0}]
    assert memo_level(tmp_path) == "ผ่านดี"


def test_one_part_under_85_is_not_ผ่านดี_and_an_entered_ผ่านดี_is_flagged(tmp_path):
    setup_with_rows(tmp_path, {"EIT ส่วนที่ 1": [None, None, None, None, 96.4],
                               "EIT ส่วนที่ 2": [None, None, None, None, 84.0]})
    assert take_in(tmp_path).accepted == [SAMPLE_SETUP.name]
    warnings = [p["message"] for p in problems_of(tmp_path, SAMPLE_SETUP.name) if p["severity"] == "warning"]
    assert warnings == ["ระดับที่กรอกไว้ไม่ตรงกับเกณฑ์ของปี 2566: จากคะแนนที่กรอก ระดับควรเป็น 'ผ่าน'"]
    assert memo_level(tmp_path) == "ผ่าน"


@pytest.mark.parametrize("levels, flagged", [
    (["B", "B", "A", "A", "ผ่านดี"], []),
    (["b", "B ", "a", "A", "ผ่านดี"], []),
    (["B", "A", "A", "AA", "ผ่านดี"], [("ปี 2563", "A", "B"), ("ปี 2565", "AA", "A")]),
])
def test_letter_grades_of_the_years_before_2566(tmp_path, levels, flagged):
    setup_with_rows(tmp_path, {"EIT": [80, 84.04, 88.28, 91.24, 94.2]}, levels=levels)
    assert take_in(tmp_path).accepted == [SAMPLE_SETUP.name]
    found = [(p["label"], p["value"], p["message"]) for p in problems_of(tmp_path, SAMPLE_SETUP.name)
             if p["severity"] == "warning"]
    assert found == [(label, value, f"ระดับที่กรอกไว้ไม่ตรงกับเกณฑ์ของปี {label[3:]}: จากคะแนนที่กรอก ระดับควรเป็น '{want}'")
                     for label, value, want in flagged]
