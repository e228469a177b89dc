"""The memo's ITA charts: valid, memo-sized, deterministic PNGs with Thai text."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from PIL import Image

from ita import charts, thai_fonts

# The sample body (อบต.ตาอ็อง): overall 2562-2566 and the real 2566 indicators.
OVERALL = {2562: 76.35, 2563: 83.36, 2564: 88.92, 2565: 93.38, 2566: 98.13}
INDICATORS_2566 = {
    "1": 100.00, "2": 100.00, "3": 100.00, "4": 97.92, "5": 100.00,
    "6": 94.53, "7": 92.22, "8": 95.86, "9": 100.00, "10": 100.00,
}
INDICATORS_2565 = {
    "1": 96.10, "2": 93.82, "3": 95.44, "4": 92.37, "5": 94.05,
    "6": 91.68, "7": 89.93, "8": 92.11, "9": 95.00, "10": 93.50,
}
# NACC's indicator names (domain notes §1.1), the longest the key must hold.
NAMES = {
    "1": "การปฏิบัติหน้าที่", "2": "การใช้งบประมาณ", "3": "การใช้อำนาจ",
    "4": "การใช้ทรัพย์สินของราชการ", "5": "การแก้ไขปัญหาการทุจริต", "6": "คุณภาพการดำเนินงาน",
    "7": "ประสิทธิภาพการสื่อสาร", "8": "การปรับปรุงระบบการทำงาน", "9": "การเปิดเผยข้อมูล",
    "10": "การป้องกันการทุจริต",
}


def _years_of_indicators(years: list[int]) -> dict[int, dict[str, float]]:
    """Plausible earlier years: each indicator a little lower per year back."""
    latest = max(years)
    return {year: {k: round(v - 4.5 * (latest - year), 2) for k, v in INDICATORS_2566.items()} for year in years}


# A year in which the body had no score for some indicators (e.g. OIT not assessed).
MISSING = {2565: {k: v for k, v in INDICATORS_2565.items() if k not in ("4", "9", "10")}, 2566: INDICATORS_2566}

# name -> (chart function, positional arguments)
CASES = {
    "overall-2566": (charts.overall_chart, (2566, 98.13)),
    "overall-below-target": (charts.overall_chart, (2563, 83.36)),
    "overall-other-target": (charts.overall_chart, (2566, 91.5, 90.0)),
    "history-2562-2566": (charts.history_chart, (OVERALL,)),
    "history-single-year": (charts.history_chart, ({2566: 98.13},)),
    "history-two-years": (charts.history_chart, ({2565: 93.38, 2566: 98.13},)),
    "indicators-2566": (charts.indicators_chart, (NAMES, {2566: INDICATORS_2566})),
    "indicators-2565-2566": (charts.indicators_chart, (NAMES, {2565: INDICATORS_2565, 2566: INDICATORS_2566})),
    "indicators-2562-2566": (charts.indicators_chart, (NAMES, _years_of_indicators([2562, 2563, 2564, 2565, 2566]))),
    "indicators-missing": (charts.indicators_chart, (NAMES, MISSING)),
    "indicators-no-names": (charts.indicators_chart, ({}, {2566: INDICATORS_2566})),
}


def _draw(case: str) -> bytes:
    """Drawn now, not taken from the charts already drawn."""
    function, args = CASES[case]
    return function.__wrapped__(*args)


def _bump(case: str):
    """The same case with one score changed as little as a reader would see:
    0.01 where scores are printed, else enough to move a bar (with three or
    more years the indicator chart prints no numbers)."""
    function, args = CASES[case]
    function = function.__wrapped__
    if function is charts.overall_chart.__wrapped__:
        return function(args[0], args[1] + 0.01, *args[2:])
    if function is charts.history_chart.__wrapped__:
        scores = dict(args[0])
        scores[max(scores)] += 0.01
        return function(scores)
    names, scores = args
    scores = {year: dict(by_key) for year, by_key in scores.items()}
    scores[max(scores)]["7"] += 0.01 if len(scores) <= 2 else 2.0
    return function(names, scores)


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()  # decodes every chunk: a truncated or corrupt PNG fails here
    return image


@pytest.mark.parametrize("case", CASES)
def test_chart_is_a_memo_sized_png(case):
    image = _image(_draw(case))
    assert image.format == "PNG"
    dpi_x, dpi_y = image.info["dpi"]
    assert dpi_x == pytest.approx(200, abs=0.5) and dpi_y == pytest.approx(200, abs=0.5)
    assert image.width == round(6.3 * 200)  # 16 cm memo body
    assert 2.8 <= image.height / 200 <= 4.2
    # Something was drawn: not a blank page.
    pixels = np.asarray(image.convert("L"))
    assert pixels.min() < 64 and pixels.max() > 240


@pytest.mark.parametrize("case", CASES)
def test_same_input_gives_identical_bytes(case):
    assert _draw(case) == _draw(case)


@pytest.mark.parametrize("case", CASES)
def test_a_chart_of_equal_scores_is_drawn_once_and_is_what_drawing_gives(case):
    function, args = CASES[case]
    copied = tuple(dict(a) if isinstance(a, dict) else a for a in args)  # equal content, other objects
    first = function(*args)
    assert function(*copied) is first
    assert first == _draw(case)


def test_a_chart_drawn_without_the_thai_font_is_not_taken_for_one_drawn_with_it(monkeypatch):
    with_font = charts.overall_chart(2565, 91.27)
    monkeypatch.setattr(charts, "thai_font", lambda: None)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing")
        without = charts.overall_chart(2565, 91.27)
    assert without != with_font


@pytest.mark.parametrize("case", CASES)
def test_different_scores_give_different_bytes(case):
    assert _draw(case) != _bump(case)


def test_png_carries_no_software_or_date_metadata():
    image = _image(charts.overall_chart(2566, 98.13))
    assert not {"Software", "Creation Time", "date:create"} & set(image.info)


def test_missing_indicator_is_left_out_not_drawn_as_zero():
    # Dropping indicator 9 of 2565 must change the picture (a bar disappears),
    # and the chart must still draw with a gap where it was.
    full = {2565: INDICATORS_2565, 2566: INDICATORS_2566}
    gap = {2565: {k: v for k, v in INDICATORS_2565.items() if k != "9"}, 2566: INDICATORS_2566}
    assert charts.indicators_chart(NAMES, full) != charts.indicators_chart(NAMES, gap)


def test_thai_font_is_an_installed_th_sarabun_else_the_packaged_sarabun():
    family = charts.thai_font()
    installed = thai_fonts.installed_th_sarabun()
    assert family == (installed[0] if installed else "Sarabun")
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    if not installed:
        assert Path(path).parent == thai_fonts.packaged_font_dir()
    font = FT2Font(path)
    for char in "กคะแนนปี๐๑๙":
        assert font.get_char_index(ord(char)) != 0, f"{family} has no glyph for {char!r}"


@pytest.mark.parametrize("case", ["overall-2566", "history-2562-2566", "indicators-2562-2566"])
def test_thai_text_has_no_missing_glyphs(case):
    # matplotlib warns for every character its font cannot draw (a box on the page).
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"Glyph .* missing")
        _draw(case)


@pytest.mark.parametrize("case", ["overall-2566", "history-2562-2566", "indicators-missing"])
def test_charts_still_draw_without_a_thai_font(monkeypatch, case):
    monkeypatch.setattr(charts, "thai_font", lambda: None)
    with warnings.catch_warnings():
        # ... and quietly: the caller warns once, not once per Thai character.
        warnings.filterwarnings("error", message=r"Glyph .* missing")
        image = _image(_draw(case))
    assert image.format == "PNG" and image.width == 1260


def test_charts_leave_global_matplotlib_state_alone():
    before = dict(matplotlib.rcParams)
    for case in ("overall-2566", "history-2562-2566", "indicators-2562-2566"):
        _draw(case)
    assert dict(matplotlib.rcParams) == before


def test_fresh_interpreter_gives_the_same_bytes_and_no_pyplot():
    # A fresh interpreter: same bytes as this one (no state carried between
    # charts), and pyplot never loaded (this session may have it from elsewhere).
    code = (
        "import hashlib, sys; from ita import charts; "
        "print(hashlib.sha256(charts.overall_chart(2566, 98.13)).hexdigest()); "
        "sys.exit('matplotlib.pyplot' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                          cwd=Path(charts.__file__).resolve().parent.parent)
    assert done.stdout.strip() == hashlib.sha256(charts.overall_chart(2566, 98.13)).hexdigest()


@pytest.mark.parametrize("function, args", [
    (charts.history_chart, ({},)),
    (charts.indicators_chart, (NAMES, {})),
    (charts.indicators_chart, (NAMES, {2566: {}})),
])
def test_nothing_to_draw_is_an_error(function, args):
    with pytest.raises(ValueError):
        function(*args)


@pytest.mark.parametrize("value, text", [
    (98.13, "๙๘.๑๓"), (100, "๑๐๐.๐๐"), (94.2, "๙๔.๒๐"), (0.5, "๐.๕๐"),
])
def test_scores_are_printed_in_thai_digits_with_two_decimals(value, text):
    assert charts.thai_number(value) == text


@pytest.mark.parametrize("target, text", [
    (85.0, "ค่าเป้าหมาย ๘๕ คะแนน"), (85, "ค่าเป้าหมาย ๘๕ คะแนน"), (87.5, "ค่าเป้าหมาย ๘๗.๕๐ คะแนน"),
])
def test_target_label(target, text):
    assert charts.target_label(target) == text


@pytest.mark.parametrize("count, ncols", [(10, 3), (10, 5), (7, 3), (4, 4), (2, 3)])
def test_name_key_reads_row_by_row(count, ncols):
    items = list(range(count))
    # matplotlib's legend splits its entries into columns this way.
    columns = np.array_split(np.array(charts.row_major(items, ncols)), ncols)
    rows = [[int(col[r]) for col in columns if r < len(col)] for r in range(max(map(len, columns)))]
    assert [i for row in rows for i in row] == items
