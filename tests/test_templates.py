"""`ita template` writes workbooks that the pipeline reads back as written."""

from __future__ import annotations

import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ita import thai
from ita.ingest import read_and_validate
from ita.inbox import InboxFile, sha256_of
from ita.parse import MONTHLY, SETUP
from sample import fill
from sample import taong_fy2566 as sample
from schemas import monthly as monthly_schema
from workbooks import SAMPLE_SETUP, monthly_sheet, run_ita


def read(path: Path):
    (outcome,) = read_and_validate([InboxFile(path, sha256_of(path), path.stat().st_size, None)], isolated=False)
    return outcome


def test_sample_setup_reads_back_as_the_seed_data():
    outcome = read(SAMPLE_SETUP)
    assert outcome.parsed.kind == SETUP
    assert [p for p in outcome.problems if p.severity == "error"] == []
    s = outcome.setup
    assert s.body == sample.ORGANISATION["ชื่อหน่วยงาน"] and s.fiscal_year == 2566
    assert s.divisions == sample.DIVISIONS
    assert [(g.role, g.name, g.position) for g in s.signatories] == [x[1:] for x in sample.SIGNATORIES]
    assert [(m.no, m.group, m.title, m.steps, m.period) for m in s.measures] == [
        (m["no"], m["group"], m["title"], m["steps"], m["period"]) for m in sample.MEASURES]
    assert [text for _, text in s.guidelines] == sample.GUIDELINES
    total = {c.year: c.score for c in s.scores if c.key == "ภาพรวม"}
    assert total == dict(zip(sample.ITA_YEARS, sample.ITA_SCORES["ภาพรวม"][1]))
    # The measure shared by สำนักปลัด, กองคลัง, กองช่าง and กองการศึกษา names all four.
    assert s.measures[7].divisions == ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา"]


def test_blank_setup_template_has_every_sheet_and_label(tmp_path):
    path = tmp_path / "setup.xlsx"
    run_ita("template", "setup", "--year", "2567", "-o", path)
    book = load_workbook(path)
    assert {"หน่วยงาน", "ส่วนราชการ", "ผู้ลงนาม", "มาตรการ", "แนวทาง", "ผลITA"} <= set(book.sheetnames)
    assert fill.header_columns(book["ผลITA"], 1).keys() >= {thai.label_key(f"ปี {y}") for y in range(2563, 2568)}
    assert book["หน่วยงาน"]["B" + str(fill.key_rows(book["หน่วยงาน"])[thai.label_key("ปีงบประมาณ")])].value == 2567
    # A blank setup is read, and rejected for what is missing, not crashed on.
    outcome = read(path)
    assert outcome.parsed.kind == SETUP and any(p.label == "ชื่อหน่วยงาน" for p in outcome.problems)


def test_monthly_template_is_prefilled_with_the_divisions_measures(tmp_path):
    path = tmp_path / "m.xlsx"
    run_ita("template", "monthly", "--setup", SAMPLE_SETUP, "--division", "กองช่าง", "--month", "ต.ค. 65", "-o", path)
    book = load_workbook(path)
    sheet = book[monthly_schema.SHEET]
    header = {thai.label_key(sheet.cell(r, 1).value): sheet.cell(r, 2).value for r in range(1, 12) if sheet.cell(r, 1).value}
    assert header[thai.label_key("ส่วนราชการ")] == "กองช่าง"
    assert header[thai.label_key("ประจำเดือน")] == "ตุลาคม ๒๕๖๕"
    rows = fill.table_rows(sheet, "ลำดับมาตรการ")
    assert [r[thai.label_key("ลำดับมาตรการ")] for r in rows] == [8, 12, 13]
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert any(v.type == "list" for v in validations.values())
    assert any(v.type == "decimal" and v.formula1 == "0" and v.formula2 == "100" for v in validations.values())
    assert book["รายการ"].sheet_state == "hidden"
    # Every cell of the table's body is an input cell in the run's font, bordered and wrapped
    # (styled once, then copied: ita.xlsx_io.style_like).
    header_row = next(r for r in range(1, 30) if thai.label_key(sheet.cell(r, 1).value) == thai.label_key("ลำดับมาตรการ"))
    body = [sheet.cell(r, c) for r in range(header_row + 1, header_row + 31) for c in range(1, len(monthly_schema.ROWS.columns) + 1)]
    looks = {(c.font.name, c.font.sz, c.font.b, c.fill.fgColor.rgb, c.border.left.style, c.border.bottom.style,
              c.alignment.vertical, c.alignment.wrap_text) for c in body}
    from ita.settings import SETTINGS_BY_NAME

    assert looks == {(SETTINGS_BY_NAME["font"].default, 14, False, "00FFF9E0", "thin", "thin", "top", True)}


def test_monthly_template_refuses_an_unknown_division_or_a_month_outside_the_year(tmp_path):
    import click
    import pytest

    with pytest.raises(click.BadParameter):
        run_ita("template", "monthly", "--setup", SAMPLE_SETUP, "--division", "กองเกษตร", "--month", "ต.ค. 65", "-o", tmp_path / "x.xlsx")
    with pytest.raises(click.BadParameter):
        run_ita("template", "monthly", "--setup", SAMPLE_SETUP, "--division", "กองคลัง", "--month", "ต.ค. 66", "-o", tmp_path / "x.xlsx")


text_cell = st.text(alphabet=string.ascii_letters + "กขคงจฉ ๑๒๓&<>\"'{}%=+-@", min_size=1, max_size=40).map(str.strip).filter(bool)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    results=st.lists(st.lists(text_cell, min_size=1, max_size=3), min_size=2, max_size=2),
    statuses=st.lists(st.sampled_from(monthly_schema.STATUSES), min_size=2, max_size=2),
    progress=st.lists(st.integers(min_value=0, max_value=100), min_size=2, max_size=2),
)
def test_round_trip_random_content_through_the_template(tmp_path, results, statuses, progress):
    path = monthly_sheet(tmp_path / "m.xlsx", rows=[
        {"การดำเนินงานในเดือนนี้": "\n".join(r), "ผลการดำเนินการ": "\n".join(r), "สถานะ": s, "ร้อยละความคืบหน้า": p}
        for r, s, p in zip(results, statuses, progress)
    ])
    outcome = read(path)
    assert outcome.parsed.kind == MONTHLY
    assert [p for p in outcome.problems if p.severity == "error"] == []
    # The template lists all six of กองคลัง's measures; the clerk filled the first two.
    got = [(r.result.split("\n"), r.status, r.progress) for r in outcome.monthly.rows[:2]]
    assert got == [([thai.clean_text(x) for x in r], s, float(p)) for r, s, p in zip(results, statuses, progress)]
