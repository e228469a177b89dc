"""The three ITA charts of the memo (บันทึกข้อความ), as PNG bytes.

Each chart is drawn on its own ``matplotlib.figure.Figure`` with an Agg
canvas: pyplot is never imported, so no figure registry or global state is
left behind, and the pipeline may draw charts from worker threads.  Fonts are
passed to every text element explicitly instead of through ``rcParams`` for
the same reason (``rc_context`` would briefly change them for every thread).

The images are sized for the body of a memo page (16 cm ≈ 6.3 in wide) at
200 dpi, carry no title (the memo has sub-headings) and survive
black-and-white printing: earlier years are greys, the year being reported is
the single accent colour, and the target is a dashed black line.
"""

from __future__ import annotations

import functools
import hashlib
import io
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import ParamSpec

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.textpath import TextToPath
from pythainlp.util import arabic_digit_to_thai_digit

from ita import thai_fonts

__all__ = [
    "thai_font", "thai_number", "target_label",
    "overall_chart", "history_chart", "indicators_chart",
    "THAI_FONT_FAMILIES", "DPI", "WIDTH_IN", "TARGET",
]

P = ParamSpec("P")

# An installed TH Sarabun (the face the documents name) is preferred;
# otherwise the packaged Sarabun (ita.thai_fonts), which is always there.
THAI_FONT_FAMILIES = (*thai_fonts.DOCUMENT_FAMILIES, thai_fonts.PACKAGED_FAMILY)
# Thai letters, vowels above and below, and Thai digits: a face without all of
# them is no Thai font for a chart.
_THAI_SAMPLE = "กคะแนนปีที่๐๑๙"

DPI = 200
PNG_COMPRESS_LEVEL = 3
WIDTH_IN = 6.3  # 16 cm memo body
HEIGHT_IN = 3.0
# The indicator chart carries a year legend above and, given names, a name key below.
INDICATORS_HEIGHT_IN = 4.0

TARGET = 85.0  # แผนแม่บทฯ ประเด็นการต่อต้านการทุจริต: every agency at 85 or more
Y_MAX = 100.0
# Head-room above 100 so a value printed over a full-score bar stays inside the axes.
Y_LIMIT = 112.0
# Score units a horizontal value label covers above its bar on a 3-inch-high
# chart (offset + text height, rounded up): a target inside it crosses the text.
VALUE_TEXT_SPAN = 12.0
_WHITE_BACKING = {"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"}

ACCENT = "#1f4e79"  # dark blue: still the darkest tone when printed in grey
EDGE = "#000000"
EARLIER_GREY = "#bfbfbf"  # the earlier years of the history chart
# Earlier years of the indicator chart, oldest (lightest) first; the hatches
# keep neighbouring greys apart on a poor printer.
GREYS = ("#e0e0e0", "#c4c4c4", "#a6a6a6", "#878787", "#6b6b6b")
HATCHES = ("", "////", "", "\\\\\\\\", "", "....")

# Sizes in points.  Sarabun-style faces look small for their size, so these
# read like the memo's 16 pt body text shrunk to chart scale.
TICK_SIZE = 12
LABEL_SIZE = 12
VALUE_SIZE = 11
LEGEND_SIZE = 11
KEY_SPACING = 1.6  # between key columns, in font sizes
KEY_SIZE = 10  # the indicator-name key: ten names must fit in a few rows


def _draws_thai(family: str) -> bool:
    try:
        path = font_manager.findfont(FontProperties(family=family), fallback_to_default=False)
        font = FT2Font(path)
    except (ValueError, OSError, RuntimeError):
        return False
    return all(font.get_char_index(ord(char)) for char in _THAI_SAMPLE)


_REGISTERING = threading.Lock()
_chosen: list[str] = []  # the family, once found; a failure is not remembered


def thai_font() -> str | None:
    """The family name of the Thai font the charts use: an installed TH
    Sarabun, else the packaged Sarabun. None only when neither can be read
    (the package is missing or broken): the charts are then drawn with
    matplotlib's default font, Thai shows as boxes, and the caller must not
    keep what it drew (see `outputs`). That answer is not kept, so a process
    that lives on (`ita serve`) finds the font once it is there."""
    if _chosen:
        return _chosen[0]
    with _REGISTERING:  # charts are drawn from worker threads; register the files once
        if not _chosen and (family := _register_and_choose()):
            _chosen.append(family)
    return _chosen[0] if _chosen else None


def _register_and_choose() -> str | None:
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in [*thai_fonts.system_sarabun_files(), *map(str, thai_fonts.packaged_font_files())]:
        if path not in known:
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError):
                continue  # an unreadable file: the next candidate will do
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((family for family in THAI_FONT_FAMILIES if family in installed and _draws_thai(family)), None)


def _font(size: float) -> FontProperties:
    family = thai_font()
    return FontProperties(family=family, size=size) if family else FontProperties(size=size)


def thai_number(value: float, decimals: int = 2) -> str:
    """A score as printed in a memo: Thai digits, fixed decimals."""
    return arabic_digit_to_thai_digit(f"{value:.{decimals}f}")


def target_label(target: float) -> str:
    # "๘๕", not "๘๕.๐๐": the target is a round number in every official text.
    decimals = 0 if float(target).is_integer() else 2
    return f"ค่าเป้าหมาย {thai_number(target, decimals)} คะแนน"


def _year_text(year_be: int) -> str:
    return f"ปี {arabic_digit_to_thai_digit(str(year_be))}"


def _indicator_sort_key(key: str) -> tuple[int, str]:
    # "10" must follow "9", not "1".
    return (int(key), "") if key.isdigit() else (10**9, key)


# --------------------------------------------------------------------------- figure plumbing


def _new_figure(height_in: float = HEIGHT_IN) -> tuple[Figure, Axes]:
    # Laid out by `_png_bytes`, not by a layout engine attached here: see there.
    figure = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, facecolor="white", layout="none")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    _style_axes(axes)
    return figure, axes


def _style_axes(axes: Axes) -> None:
    """Plain axes: a score scale on the left, nothing decorative."""
    axes.set_facecolor("white")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    # The head-room above 100 is for printed values, not part of the scale.
    axes.spines["left"].set_bounds(0, Y_MAX)
    axes.set_ylim(0, Y_LIMIT)
    ticks = list(range(0, int(Y_MAX) + 1, 20))
    # Thai digits sit high in their em box, so centre them on the tick by
    # their ink, not by the Latin baseline matplotlib uses by default.
    axes.set_yticks(ticks, labels=[arabic_digit_to_thai_digit(str(t)) for t in ticks],
                    fontproperties=_font(TICK_SIZE), verticalalignment="center")
    axes.set_ylabel("คะแนน", fontproperties=_font(LABEL_SIZE))
    # Light horizontal guides help read a printed value off the scale.
    axes.yaxis.grid(True, color="#d9d9d9", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.tick_params(axis="x", length=0)


def _set_x_labels(axes: Axes, positions: Sequence[float], labels: Sequence[str]) -> None:
    axes.set_xticks(list(positions), labels=list(labels), fontproperties=_font(TICK_SIZE))


def _draw_target(axes: Axes, target: float) -> Line2D:
    return axes.axhline(target, color=EDGE, linestyle=(0, (5, 3)), linewidth=1.2, zorder=3,
                        label=target_label(target))


def _print_values(axes: Axes, xs: Iterable[float], values: Iterable[float], *, size: float = VALUE_SIZE,
                  vertical: bool = False, target: float | None = None) -> None:
    """Each score just above its bar.  Where the target line would run through
    the text, the text gets a white backing that interrupts the line (only
    there, so the light grid is not cut needlessly)."""
    for x, value in zip(xs, values):
        crosses = target is not None and value < target < value + VALUE_TEXT_SPAN
        axes.annotate(
            thai_number(value), (x, value), xytext=(0, 3), textcoords="offset points",
            ha="center", va="bottom", rotation=90 if vertical else 0,
            bbox=_WHITE_BACKING if crosses else None,
            fontproperties=_font(size), zorder=4,
        )


def _legend_on_top(figure: Figure, handles: Sequence, *, loc: str = "outside upper right") -> None:
    # Outside the axes so it can never cover a bar or a printed value.
    figure.legend(handles=list(handles), loc=loc, ncols=len(handles), frameon=False,
                  prop=_font(LEGEND_SIZE), handlelength=2.0, handletextpad=0.5, columnspacing=1.4)


def _png_bytes(figure: Figure) -> bytes:
    """The figure as PNG; no Software/date metadata, so equal input gives equal bytes."""
    # Constrained layout, run once by hand. A figure carrying a layout engine
    # is drawn twice by savefig (a draw pass without pixels to lay it out, then
    # the real one); laid out beforehand, it is drawn once, to the same pixels.
    ConstrainedLayoutEngine().execute(figure)
    buffer = io.BytesIO()
    # zlib level 3 instead of Pillow's 6: the same pixels in some 30% less
    # encoding time, for a memo about 4% larger.
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None},
                   pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
    return buffer.getvalue()


def _quiet_if_no_thai_font(draw: Callable[P, bytes]) -> Callable[P, bytes]:
    """Without a Thai font matplotlib warns once per Thai character drawn;
    the caller warns once instead (it checks `thai_font()`).  The warning
    filters are process-wide, so they are touched only in that rare case."""

    @functools.wraps(draw)
    def quiet(*args: P.args, **kwargs: P.kwargs) -> bytes:
        if thai_font() is not None:
            return draw(*args, **kwargs)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Glyph .* missing from")
            return draw(*args, **kwargs)

    return quiet


# PNGs of this many charts are kept (~60 kB each).
DRAWN_KEPT = 512
_drawn: OrderedDict[str, bytes] = OrderedDict()
_drawn_lock = threading.Lock()


def _once_per_content(draw: Callable[P, bytes]) -> Callable[P, bytes]:
    """A chart is a function of its arguments alone (the year's score
    table, which changes once a year), and drawing one costs more than the
    rest of a memo: equal arguments, in equal order, give the bytes drawn
    the first time. The key is a digest of the arguments' repr, which keeps
    dict order and every digit of a float, and the font they are drawn in."""

    @functools.wraps(draw)
    def cached(*args: P.args, **kwargs: P.kwargs) -> bytes:
        content = (draw.__qualname__, thai_font(), args, sorted(kwargs.items()))
        key = hashlib.sha256(repr(content).encode()).hexdigest()
        with _drawn_lock:
            if key in _drawn:
                _drawn.move_to_end(key)
                return _drawn[key]
        png = draw(*args, **kwargs)
        with _drawn_lock:
            _drawn[key] = png
            while len(_drawn) > DRAWN_KEPT:
                _drawn.popitem(last=False)
        return png

    return cached


def forget_drawn() -> None:
    """Draw every chart anew from now on (to time a render from cold)."""
    with _drawn_lock:
        _drawn.clear()


def _year_style(index: int, count: int) -> dict:
    """Fill of the index-th of `count` years: the last (reported) year in the
    accent colour, earlier years in greys darkening towards it."""
    if index == count - 1:
        return {"facecolor": ACCENT, "hatch": ""}
    earlier = count - 1
    grey = GREYS[round(index * (len(GREYS) - 1) / (earlier - 1))] if earlier > 1 else GREYS[2]
    return {"facecolor": grey, "hatch": HATCHES[index % len(HATCHES)]}


# --------------------------------------------------------------------------- the charts


@_once_per_content
@_quiet_if_no_thai_font
def overall_chart(year_be: int, score: float, target: float = TARGET) -> bytes:
    """ผลการประเมินในภาพรวม: the year's overall score as one bar against the target."""
    figure, axes = _new_figure()
    # A lone bar at full width looks like a wall; a fixed x range keeps it slim.
    axes.set_xlim(-1.5, 1.5)
    axes.bar([0], [score], width=0.6, color=ACCENT, edgecolor=EDGE, linewidth=0.8, zorder=2)
    _print_values(axes, [0], [score], target=target)
    _set_x_labels(axes, [0], [_year_text(year_be)])
    _legend_on_top(figure, [_draw_target(axes, target)])
    return _png_bytes(figure)


@_once_per_content
@_quiet_if_no_thai_font
def history_chart(scores: dict[int, float], target: float = TARGET) -> bytes:
    """ผลการประเมินในภาพรวมย้อนหลัง: one bar per year, oldest on the left,
    the latest year in the accent colour."""
    years = sorted(year for year, value in scores.items() if value is not None)
    if not years:
        raise ValueError("history_chart: no yearly scores to draw")
    values = [scores[year] for year in years]
    figure, axes = _new_figure()
    xs = list(range(len(years)))
    # Bars keep the width they have in a five-year history even when fewer
    # years are known, rather than ballooning across the page.
    pad = max(0, 5 - len(years)) / 2
    axes.set_xlim(-0.5 - pad, len(years) - 0.5 + pad)
    colours = [EARLIER_GREY] * (len(years) - 1) + [ACCENT]
    axes.bar(xs, values, width=0.6, color=colours, edgecolor=EDGE, linewidth=0.8, zorder=2)
    _print_values(axes, xs, values, target=target)
    _set_x_labels(axes, xs, [_year_text(year) for year in years])
    _legend_on_top(figure, [_draw_target(axes, target)])
    return _png_bytes(figure)


@_once_per_content
@_quiet_if_no_thai_font
def indicators_chart(names: dict[str, str], scores: dict[int, dict[str, float]]) -> bytes:
    """ผลการประเมินรายตัวชี้วัด: one group per indicator ("๑".."๑๐"), one
    bar per year; a year without a score for an indicator has no bar there.
    The indicator names are spelled out in a key under the chart."""
    years = sorted(year for year, by_key in scores.items()
                   if any(v is not None for v in by_key.values()))
    keys = sorted({key for year in years for key, v in scores[year].items() if v is not None},
                  key=_indicator_sort_key)
    if not keys:
        raise ValueError("indicators_chart: no indicator scores to draw")
    entries = [(key, names.get(key, "")) for key in keys]
    has_key = any(name for _, name in entries)
    figure, axes = _new_figure(INDICATORS_HEIGHT_IN if has_key else HEIGHT_IN)
    # One bar per indicator would otherwise fill its slot like a wall.
    group_width = 0.6 if len(years) == 1 else 0.8
    bar_width = group_width / len(years)
    value_style = _indicator_value_style(len(years))
    if value_style is not None:
        axes.set_ylim(0, value_style.pop("y_limit"))
    handles = []
    for index, year in enumerate(years):
        offset = -group_width / 2 + bar_width * (index + 0.5)
        present = [(i, scores[year][key]) for i, key in enumerate(keys) if scores[year].get(key) is not None]
        style = _year_style(index, len(years))
        xs = [i + offset for i, _ in present]
        values = [v for _, v in present]
        axes.bar(xs, values, width=bar_width, edgecolor=EDGE, linewidth=0.6, zorder=2, **style)
        handles.append(Patch(edgecolor=EDGE, linewidth=0.6, label=_year_text(year), **style))
        if value_style is not None:
            _print_values(axes, xs, values, **value_style)
    axes.set_xlim(-0.5, len(keys) - 0.5)
    _set_x_labels(axes, range(len(keys)), [arabic_digit_to_thai_digit(key) for key in keys])
    _legend_on_top(figure, handles, loc="outside upper center")
    if has_key:
        _name_key(figure, entries)
    return _png_bytes(figure)


def _indicator_value_style(year_count: int) -> dict | None:
    """How to print the scores over the indicator bars, or None not to: with
    three or more bars per group the numbers no longer fit, and the memo's
    table that follows the chart has them anyway."""
    if year_count == 1:
        return {"size": 9, "vertical": False, "y_limit": Y_LIMIT}
    if year_count == 2:
        # Upright numbers are taller than the usual head-room above 100.
        return {"size": 8.5, "vertical": True, "y_limit": 136.0}
    return None


def _name_key(figure: Figure, entries: Sequence[tuple[str, str]]) -> None:
    """The "๑ การปฏิบัติหน้าที่ ..." key under the chart, read row by row."""
    labels = [f"{arabic_digit_to_thai_digit(key)} {name}".strip() for key, name in entries]
    ncols = _key_columns(labels)
    invisible = [Patch(visible=False, label=label) for label in row_major(labels, ncols)]
    figure.legend(handles=invisible, loc="outside lower center", ncols=ncols, frameon=False,
                  prop=_font(KEY_SIZE), handlelength=0, handletextpad=0, columnspacing=KEY_SPACING,
                  alignment="left")


def row_major(items: Sequence, ncols: int) -> list:
    """`items` reordered so that a legend, which fills column by column,
    shows them row by row (๑ ๒ ๓ / ๔ ๕ ๖ ...).  A legend gives the first
    len % ncols columns one extra row, which is exactly where a row-wise
    fill leaves its last, partial row."""
    return [items[i] for column in range(ncols) for i in range(column, len(items), ncols)]


def _key_columns(labels: Sequence[str]) -> int:
    """As many columns as fit the figure width (at most 5, i.e. two rows of ten)."""
    measure = TextToPath()
    prop = _font(KEY_SIZE)
    widest = max(measure.get_text_width_height_descent(label, prop, ismath=False)[0] for label in labels)
    spacing = KEY_SPACING * KEY_SIZE  # points
    usable = WIDTH_IN * 72 - 2 * KEY_SIZE  # less the legend's own padding
    for ncols in (5, 4, 3, 2):
        if ncols <= len(labels) and ncols * widest + (ncols - 1) * spacing <= usable:
            return ncols
    return 1
