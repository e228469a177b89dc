"""`ita status` at 80 and 60 columns: every month header and every division
name whole, nothing dropped."""

from __future__ import annotations

import pytest
from rich.console import Console

from ita import cli, thai
from ita.status_view import status_tables

MONTHS = thai.fiscal_months(2566)
ABBREVIATIONS = ["ต.ค.", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย."]
DIVISIONS = {
    "short": ["กองช่าง", "กองคลัง"],
    "usual": ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม", "กองสาธารณสุขและสิ่งแวดล้อม"],
    "long": ["กองส่งเสริมการเกษตรและพัฒนาชุมชน", "หน่วยตรวจสอบภายใน", "กองยุทธศาสตร์และงบประมาณ"],
}
MARKS = ["✓", "✗", "·", "✓", "✓", " ", "✓", "·", "✗", "✓", " ", "✓"]


DIVISION = "ส่วนราชการ"


def console_cells(line: str) -> int:
    from rich.cells import cell_len

    return cell_len(line)


def render(tables, width: int) -> str:
    console = Console(width=width, record=True, file=open("/dev/null", "w"), color_system=None)
    for table in tables:
        console.print(table)
    return console.export_text()


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("names", DIVISIONS)
def test_every_month_and_division_appears_whole(width, names):
    rows = {name: MARKS for name in DIVISIONS[names]}
    text = render(status_tables("องค์การบริหารส่วนตำบลตาอ็อง ปีงบประมาณ 2566", MONTHS, rows, width), width)
    lines = text.splitlines()
    assert all(console_cells(line) <= width for line in lines)
    assert "…" not in text
    # The header rows, table after table, name the twelve months whole and in order.
    headers = [line for line in lines if DIVISION in line]
    assert [word for line in headers for word in line.replace("┃", " ").split()[1:]] == ABBREVIATIONS
    # Every division whole on a line of its own, with all its marks, once each.
    for name in DIVISIONS[names]:
        assert sum(f"│ {name} " in line for line in lines) == len(headers), name
        marks = "".join(ch for line in lines if f"│ {name} " in line for ch in line if ch in "✓✗·")
        assert marks == "".join(m for m in MARKS if m != " "), name


def test_eighty_columns_split_the_year_in_two_halves():
    rows = {name: MARKS for name in DIVISIONS["usual"]}
    text = render(status_tables("ตาอ็อง ปีงบประมาณ 2566", MONTHS, rows, 80), 80)
    assert "ตาอ็อง ปีงบประมาณ 2566 (ต.ค.–มี.ค.)" in text and "ตาอ็อง ปีงบประมาณ 2566 (เม.ย.–ก.ย.)" in text


def test_a_wide_terminal_has_one_table():
    rows = {name: MARKS for name in DIVISIONS["usual"]}
    text = render(status_tables("ตาอ็อง ปีงบประมาณ 2566", MONTHS, rows, 160), 160)
    header = next(line for line in text.splitlines() if "ส่วนราชการ" in line)
    assert [word for word in header.replace("┃", " ").split()][1:] == ABBREVIATIONS


@pytest.mark.parametrize("width", [80, 60])
def test_ita_status_on_the_sample(sample_run, monkeypatch, width):
    root, _ = sample_run
    console = Console(width=width, record=True, file=open("/dev/null", "w"), color_system=None)
    monkeypatch.setattr(cli, "console", console)
    from click.testing import CliRunner

    result = CliRunner().invoke(cli.main, ["status", "--data", str(root / "data")])
    assert result.exit_code == 0, result.output
    text = console.export_text()
    assert "…" not in text
    for abbreviation in ABBREVIATIONS:
        assert abbreviation in text
    for division in ("สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา"):
        assert division in text
