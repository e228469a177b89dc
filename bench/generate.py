"""Synthetic inboxes for the benchmark: many bodies, each with its own year's
setup and its six divisions' monthly sheets for the twelve months of FY 2566,
plus a sprinkling (~1 %) of bad files.

* Each body's setup copies the sample setup (inbox/ข้อมูลประจำปี 2566.xlsx) cell
  for cell, styles, notes and dropdowns included, under its own name
  ("องค์การบริหารส่วนตำบลทดสอบ 0001" …).
* The monthly sheets use the real template: ONE template per division is
  written with `ita template monthly --setup … --division … --month …`, its
  layout (cells, styles, notes, dropdowns, widths, frozen panes, the hidden
  lists sheet) is captured once, and every sheet is that layout with its header
  completed and its measure rows filled the way clerks fill them: multi-line
  Thai bullets carried over from last month and added to, a status, a
  progress (some divisions type Thai digits), evidence links in some months.
  Divisions write the month and date in different notations the SPEC allows.
* Bad files, each a first attempt beside the good sheet of the same division
  and month: a bad status, a progress of 120, a missing required column
  (สถานะ), a file that is not a workbook.
* Every workbook is written by XlsxWriter, i.e. in Excel's own layout (a
  shared-string table): openpyxl's inline strings make every reader 1.4–4×
  slower (docs/performance.md), which would flatter the floor.
* Deterministic for a given --seed (and --sheets): same bytes, same names,
  same mtimes. Written by a pool of worker processes, one body per task.

    .venv/bin/python bench/generate.py --sheets 7200 --seed 1 --output /tmp/ita-bench/inbox-7200-s1

`--sheets N` is the number of good monthly sheets; bodies = ceil(N / 72) (the
last one may report fewer months). The output folder gets `inbox/` (one
sub-folder per body) and `manifest.json` (written last: its presence means the
inbox is complete).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_SETUP = REPO / "inbox" / "ข้อมูลประจำปี 2566.xlsx"
SAMPLE_BODY = "องค์การบริหารส่วนตำบลตาอ็อง"
BODY_PREFIX = "องค์การบริหารส่วนตำบลทดสอบ"
FISCAL_YEAR = 2566
SHEETS_PER_BODY = 72  # 6 divisions × 12 months
SETUP_NAME = f"ข้อมูลประจำปี {FISCAL_YEAR}.xlsx"
BAD_KINDS = ("bad_status", "progress_120", "missing_column", "not_a_workbook")
FORMAT_VERSION = 1  # bump when the generated content changes: cached inboxes are then rebuilt

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
FULL_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
               "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
ABBR_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
# (CE year, month) of FY 2566, October first.
MONTHS = [(2022, m) for m in (10, 11, 12)] + [(2023, m) for m in range(1, 10)]

REPORTERS = {
    "สำนักปลัด": [("จ่าสิบเอกสมปอง เอ็บอิม", "เจ้าพนักงานธุรการชำนาญงาน"), ("นางสาวปวีณา แก้วมณี", "นักจัดการงานทั่วไปชำนาญการ")],
    "กองคลัง": [("นางสาวกาญจนา ศรีสุข", "นักวิชาการเงินและบัญชีชำนาญการ"), ("นางวันเพ็ญ ทองคำ", "เจ้าพนักงานพัสดุชำนาญงาน")],
    "กองช่าง": [("นายประเสริฐ มั่นคง", "นายช่างโยธาชำนาญงาน"), ("นายสมชาย ใจดี", "วิศวกรโยธาชำนาญการ")],
    "กองการศึกษา": [("นางสุภาพร ใจงาม", "นักวิชาการศึกษาชำนาญการ"), ("นางสาวอรุณี พรหมมา", "ครูผู้ดูแลเด็ก")],
    "กองสวัสดิการสังคม": [("นางสาวมาลี บุญมา", "นักพัฒนาชุมชนชำนาญการ"), ("นายธนากร สีดา", "เจ้าพนักงานพัฒนาชุมชน")],
    "งานตรวจสอบภายใน": [("นายอนุชา ทองดี", "นักวิชาการตรวจสอบภายในชำนาญการ"), ("นางสาวจิราพร แสงทอง", "นักวิชาการตรวจสอบภายในปฏิบัติการ")],
}

ACTIONS = (
    "จัดประชุมชี้แจง", "ประชาสัมพันธ์", "รายงานผลการดำเนินงาน", "ทบทวนและปรับปรุง", "แต่งตั้งคณะทำงานเกี่ยวกับ",
    "เผยแพร่ข้อมูลเกี่ยวกับ", "จัดทำคู่มือเกี่ยวกับ", "ตรวจสอบ", "ติดตามผล", "อบรมให้ความรู้เรื่อง", "จัดทำคำสั่งเกี่ยวกับ",
    "รวบรวมข้อมูล", "สรุปผล", "จัดทำทะเบียนคุมเกี่ยวกับ", "สำรวจความพึงพอใจเรื่อง", "จัดทำประกาศเกี่ยวกับ",
)
OBJECTS = (
    "แผนการใช้จ่ายงบประมาณประจำปี", "การจัดซื้อจัดจ้างและการตรวจรับพัสดุ", "การใช้ทรัพย์สินของราชการ",
    "ช่องทางการร้องเรียนการทุจริต", "มาตรฐานการให้บริการประชาชน", "ข้อมูลสาธารณะบนเว็บไซต์หลักของหน่วยงาน",
    "ผลการประเมินคุณธรรมและความโปร่งใส", "การเบิกจ่ายงบประมาณ", "ประกาศผู้ชนะการเสนอราคา", "คู่มือการปฏิบัติงาน",
    "การขออนุญาตใช้รถส่วนกลาง", "ประมวลจริยธรรมของพนักงานส่วนท้องถิ่น", "การประเมินผลการปฏิบัติงานของบุคลากร",
    "ขั้นตอนและระยะเวลาการให้บริการ", "การป้องกันผลประโยชน์ทับซ้อน", "แผนปฏิบัติการป้องกันการทุจริต",
    "การรับฟังความคิดเห็นของประชาชน", "การจัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง", "ศูนย์พัฒนาเด็กเล็ก",
    "เบี้ยยังชีพผู้สูงอายุและผู้พิการ", "การซ่อมแซมถนนและไฟฟ้าสาธารณะ",
)
AUDIENCES = (
    "ให้บุคลากรภายในหน่วยงานทราบ", "ให้ประชาชนในพื้นที่ทราบ", "ต่อผู้บริหาร", "ผ่านเว็บไซต์และเฟซบุ๊กของหน่วยงาน",
    "ในที่ประชุมประจำเดือนของพนักงาน", "ผ่านหอกระจายข่าวประจำหมู่บ้าน", "ทางไลน์กลุ่มของหน่วยงาน",
    "ในการประชุมประชาคมหมู่บ้าน", "ผ่านบอร์ดประชาสัมพันธ์หน้าสำนักงาน",
)
DETAILS = (
    "ตามคำสั่งที่ {n} /{yy} ลงวันที่ {d} {month} {year}", "จำนวน {k} ครั้ง", "มีผู้เข้าร่วม {p} คน",
    "ตามแผนที่กำหนดไว้", "และรายงานให้นายกทราบ", "ภายในวันที่ {d} {month} {year}", "ครบทุกหมู่บ้าน ({k} หมู่บ้าน)",
    "โดยไม่มีข้อร้องเรียน", "พร้อมภาพถ่ายประกอบ",
)
OUTCOMES = (
    "บุคลากรมีความรู้ความเข้าใจ{obj}มากขึ้น", "ประชาชนได้รับทราบข้อมูล{obj}อย่างทั่วถึง",
    "หน่วยงานมีการดำเนินการเรื่อง{obj}ที่โปร่งใส ตรวจสอบได้", "ลดขั้นตอนและระยะเวลาเรื่อง{obj}",
    "ไม่มีเรื่องร้องเรียนเกี่ยวกับ{obj}", "ผู้บริหารได้รับทราบความก้าวหน้าเรื่อง{obj}ทุกเดือน",
    "ผลการประเมินด้าน{obj}ดีขึ้นกว่าปีที่ผ่านมา", "ประชาชนพึงพอใจต่อ{obj} ร้อยละ {k}",
)
REMARKS = ("", "", "", "", "-", "อยู่ระหว่างรอเอกสารจากกองคลัง", "ดำเนินการร่วมกับสำนักปลัด", "เลื่อนจากเดือนก่อน")


def thai_digits(value: object) -> str:
    return str(value).translate(THAI_DIGITS)


def month_text(index: int, style: str) -> object:
    """The month cell as a division writes it (all SPEC notations)."""
    year, month = MONTHS[index]
    if style == "abbr":  # "ม.ค. 66"
        return f"{ABBR_MONTHS[month - 1]} {str(year + 543)[2:]}"
    if style == "date":
        return datetime(year, month, 1)
    return f"{FULL_MONTHS[month - 1]} {thai_digits(year + 543)}"  # as the template pre-fills it


def report_day(index: int, rng: random.Random) -> date:
    year, month = MONTHS[index]
    return date(year + (month == 12), month % 12 + 1, rng.randint(1, 10))


def body_name(number: int, width: int) -> str:
    return f"{BODY_PREFIX} {number:0{width}d}"


def body_width(bodies: int) -> int:
    return max(4, len(str(bodies)))


def body_folder(number: int, width: int) -> str:
    return f"body-{number:0{width}d}"


# ----------------------------------------------------------------- layouts
#
# A layout is a plain, picklable copy of an openpyxl-written workbook: for each
# sheet its cells (value, style index, note), column widths, frozen panes,
# dropdowns and visibility; plus the style table. write_workbook() turns it
# back into a workbook with XlsxWriter.


def _color(color) -> str | None:
    rgb = getattr(color, "rgb", None)
    return f"#{rgb[-6:]}" if isinstance(rgb, str) and len(rgb) >= 6 else None


def _style_of(cell) -> tuple:
    font, fill, border, alignment = cell.font, cell.fill, cell.border, cell.alignment
    return (
        font.name or "Calibri", float(font.sz or 11), bool(font.b),
        _color(fill.fgColor) if fill.fill_type == "solid" else None,
        border.left.style if border and border.left else None,
        _color(border.left.color) if border and border.left and border.left.style else None,
        alignment.horizontal, alignment.vertical, bool(alignment.wrap_text),
        cell.number_format if cell.number_format != "General" else None,
    )


def capture_layout(path: Path) -> dict:
    from openpyxl import load_workbook

    book = load_workbook(path)
    styles: dict[tuple, int] = {}
    sheets = []
    for ws in book.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style and not cell.comment:
                    continue
                style = _style_of(cell)
                index = styles.setdefault(style, len(styles))
                note = (cell.comment.text, cell.comment.author) if cell.comment else None
                cells[(cell.row, cell.column)] = [cell.value, index, note]
        validations = []
        for dv in ws.data_validations.dataValidation:
            validations.append({
                "type": dv.type, "operator": dv.operator, "formula1": dv.formula1, "formula2": dv.formula2,
                "ranges": [str(r) for r in dv.sqref.ranges], "allow_blank": bool(dv.allow_blank),
                "show_error": bool(dv.showErrorMessage), "error_title": dv.errorTitle, "error": dv.error,
            })
        sheets.append({
            "title": ws.title,
            "hidden": ws.sheet_state != "visible",
            "freeze": ws.freeze_panes,
            "widths": {k: v.width for k, v in ws.column_dimensions.items() if v.width},
            "validations": validations,
            "cells": cells,
        })
    return {"styles": [list(s) for s, _ in sorted(styles.items(), key=lambda kv: kv[1])], "sheets": sheets}


def write_workbook(layout: dict, target: Path, saved_at: datetime, drop_columns: tuple[int, ...] = ()) -> None:
    """Write `layout` to `target` with XlsxWriter (shared strings, as Excel
    writes). Values are written by type: text always as text (never a formula
    or a link). `drop_columns` (1-based) of the first sheet are left out."""
    import xlsxwriter
    from xlsxwriter.utility import xl_cell_to_rowcol

    book = xlsxwriter.Workbook(str(target), {"in_memory": True, "strings_to_numbers": False,
                                             "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"created": saved_at, "author": "ita"})
    formats = {}

    def fmt(index: int, date_cell: bool = False):
        key = (index, date_cell)
        if key not in formats:
            name, size, bold, fill, border, border_color, h, v, wrap, number = layout["styles"][index]
            spec = {"font_name": name, "font_size": size}
            if bold:
                spec["bold"] = True
            if fill:
                spec.update(pattern=1, bg_color=fill)
            if border:
                spec["border"] = 1
                if border_color:
                    spec["border_color"] = border_color
            if h:
                spec["align"] = h
            if v:
                spec["valign"] = "vcenter" if v == "center" else v
            if wrap:
                spec["text_wrap"] = True
            if number or date_cell:
                spec["num_format"] = number or "d mmmm yyyy"
            formats[key] = book.add_format(spec)
        return formats[key]

    for n, sheet in enumerate(layout["sheets"]):
        ws = book.add_worksheet(sheet["title"])
        if sheet["hidden"]:
            ws.hide()
        dropped = drop_columns if n == 0 else ()

        def col_of(col: int) -> int | None:  # 1-based in, 0-based out, shifted left past dropped columns
            if col in dropped:
                return None
            return col - 1 - sum(1 for d in dropped if d < col)

        for letter, width in sheet["widths"].items():
            _, c = xl_cell_to_rowcol(f"{letter}1")
            c = col_of(c + 1)
            if c is not None:
                ws.set_column(c, c, width)
        if sheet["freeze"]:
            r, c = xl_cell_to_rowcol(sheet["freeze"])
            ws.freeze_panes(r, c)
        for dv in sheet["validations"]:
            spec = {"ignore_blank": dv["allow_blank"], "show_error": dv["show_error"]}
            if dv["error_title"]:
                spec["error_title"] = dv["error_title"]
            if dv["error"]:
                spec["error_message"] = dv["error"]
            if dv["type"] == "list":
                spec.update(validate="list", source=dv["formula1"] if dv["formula1"].startswith("=") else "=" + dv["formula1"])
            else:
                spec.update(validate=dv["type"], criteria=dv["operator"] or "between",
                            minimum=float(dv["formula1"]), maximum=float(dv["formula2"]))
            for ref in dv["ranges"]:
                first, _, last = ref.partition(":")
                r1, c1 = xl_cell_to_rowcol(first)
                r2, c2 = xl_cell_to_rowcol(last or first)
                c1n, c2n = col_of(c1 + 1), col_of(c2 + 1)
                if c1n is not None and c2n is not None:
                    ws.data_validation(r1, c1n, r2, c2n, spec)
        for (row, col), (value, style, note) in sorted(sheet["cells"].items()):
            c = col_of(col)
            if c is None:
                continue
            r = row - 1
            if value is None:
                ws.write_blank(r, c, None, fmt(style))
            elif isinstance(value, str):
                ws.write_string(r, c, value, fmt(style))
            elif isinstance(value, bool):
                ws.write_boolean(r, c, value, fmt(style))
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value, fmt(style))
            elif isinstance(value, (datetime, date)):
                ws.write_datetime(r, c, value if isinstance(value, datetime) else datetime(value.year, value.month, value.day),
                                  fmt(style, date_cell=True))
            else:
                ws.write_string(r, c, str(value), fmt(style))
            if note:
                ws.write_comment(r, c, note[0], {"author": note[1] or "ita"})
    book.close()
    stamp = saved_at.timestamp()
    os.utime(target, (stamp, stamp))


# ------------------------------------------------------------- the templates


def setup_layout(name: str, base: dict) -> dict:
    """The sample setup under another body's name."""
    layout = {"styles": base["styles"], "sheets": []}
    for sheet in base["sheets"]:
        cells = {}
        for key, (value, style, note) in sheet["cells"].items():
            if isinstance(value, str) and SAMPLE_BODY in value:
                value = value.replace(SAMPLE_BODY, name)
            cells[key] = [value, style, note]
        layout["sheets"].append({**sheet, "cells": cells})
    return layout


def monthly_templates(setup: Path, divisions: list[str], workdir: Path) -> dict[str, dict]:
    """ONE template per division, written by `ita template monthly`, captured."""
    from ita.cli import main as ita

    layouts = {}
    for division in divisions:
        target = workdir / f"template_{division}.xlsx"
        with contextlib.redirect_stdout(io.StringIO()):
            ita.main(["template", "monthly", "--setup", str(setup), "--division", division,
                      "--month", "ตุลาคม 2565", "-o", str(target)], standalone_mode=False)
        layouts[division] = capture_layout(target)
    return layouts


def _find(cells: dict, label: str, col: int | None = None) -> tuple[int, int]:
    """Where a label is in a captured sheet (spaces and line breaks ignored)."""
    key = "".join(label.split())
    for (r, c), (value, _, _) in sorted(cells.items()):
        if isinstance(value, str) and "".join(value.split()) == key and (col is None or c == col):
            return r, c
    raise KeyError(label)


def template_plan(layout: dict) -> dict:
    """Where the header values and the table are in a division's template."""
    cells = layout["sheets"][0]["cells"]
    header = {name: _find(cells, label, 1)[0] for name, label in (
        ("body", "หน่วยงาน"), ("division", "ส่วนราชการ"), ("month", "ประจำเดือน"),
        ("reporter", "ผู้รายงาน"), ("position", "ตำแหน่ง"), ("report_date", "วันที่รายงาน"))}
    top, _ = _find(cells, "ลำดับมาตรการ")
    columns = {name: _find(cells, label)[1] for name, label in (
        ("measure_no", "ลำดับมาตรการ"), ("measure_title", "มาตรการ/แนวทาง"), ("activity", "การดำเนินงานในเดือนนี้"),
        ("result", "ผลการดำเนินการ"), ("outcome", "ผลลัพธ์/ความสำเร็จ"), ("status", "สถานะ"),
        ("progress", "ร้อยละความคืบหน้า"), ("evidence", "หลักฐาน"), ("remark", "หมายเหตุ"))}
    measures = []
    r = top + 1
    while (r, columns["measure_no"]) in cells and cells[(r, columns["measure_no"])][0] is not None:
        measures.append((r, int(cells[(r, columns["measure_no"])][0]), cells[(r, columns["measure_title"])][0]))
        r += 1
    return {"header": header, "top": top, "columns": columns, "measures": measures}


# ------------------------------------------------------------ sheet content


def _detail(rng: random.Random) -> str:
    year, month = MONTHS[rng.randrange(12)]
    text = rng.choice(DETAILS).format(n=rng.randint(1, 450), yy=year + 543, d=rng.randint(1, 28),
                                      month=FULL_MONTHS[month - 1], year=year + 543,
                                      k=rng.randint(1, 24), p=rng.randint(8, 120))
    return thai_digits(text) if rng.random() < 0.5 else text


def _bullet(rng: random.Random, obj: str) -> str:
    parts = [rng.choice(ACTIONS) + (obj if rng.random() < 0.6 else rng.choice(OBJECTS)), rng.choice(AUDIENCES)]
    if rng.random() < 0.7:
        parts.append(_detail(rng))
    return "-" + " ".join(parts)


def _outcome(rng: random.Random, obj: str) -> str:
    return "-" + rng.choice(OUTCOMES).format(obj=obj, k=thai_digits(rng.randint(70, 99)))


def measure_story(seed: int, body: int, division: str, no: int) -> dict:
    """A division's year on one measure: each bullet with the month it is
    first reported; later sheets repeat earlier bullets (clerks copy last
    month's sheet and add to it)."""
    rng = random.Random(f"{seed}/story/{body}/{division}/{no}")
    obj = rng.choice(OBJECTS)
    results = sorted((rng.randrange(12), _bullet(rng, obj)) for _ in range(rng.randint(4, 12)))
    outcomes = sorted((rng.randrange(12), _outcome(rng, obj)) for _ in range(rng.randint(2, 6)))
    return {"obj": obj, "results": results, "outcomes": outcomes}


def fill_monthly(layout: dict, plan: dict, seed: int, body: int, name: str, division: str, month: int,
                 bad: str = "") -> tuple[dict, datetime, tuple[int, ...]]:
    """The captured template of `division` filled for one body and month.
    Returns (layout, saved_at, columns to drop)."""
    rng = random.Random(f"{seed}/sheet/{body}/{division}/{month}/{bad}")
    sheet = layout["sheets"][0]
    cells = {k: list(v) for k, v in sheet["cells"].items()}
    header, columns = plan["header"], plan["columns"]

    def put(row: int, col: int, value: object) -> None:
        if (row, col) in cells:
            cells[(row, col)][0] = value
        else:
            cells[(row, col)] = [value, cells[(row, 1)][1] if (row, 1) in cells else 0, None]

    # Divisions write the month and date their own way (all SPEC notations).
    style = {"กองคลัง": "abbr", "กองการศึกษา": "date"}.get(division, "full")
    day = report_day(month, rng)
    if bad:
        day = date(day.year, day.month, max(1, day.day - 1))
    reporter, position = REPORTERS[division][(body + month // 6) % 2]
    put(header["body"], 2, name)
    put(header["month"], 2, month_text(month, style))
    put(header["reporter"], 2, reporter)
    put(header["position"], 2, position)
    if division == "กองคลัง":
        put(header["report_date"], 2, datetime(day.year, day.month, day.day))
    elif division == "กองการศึกษา":
        put(header["report_date"], 2, f"{day.day:02d}/{day.month:02d}/{day.year + 543}")
    else:
        put(header["report_date"], 2, f"{day.day} {FULL_MONTHS[day.month - 1]} {day.year + 543}".translate(THAI_DIGITS))

    for n, (row, no, _title) in enumerate(plan["measures"]):
        story = measure_story(seed, body, division, no)
        dash = "- " if (body + no) % 3 == 0 else "-"  # some clerks type a space after the dash
        results = [dash + b[1:] for first, b in story["results"] if first <= month]
        outcomes = [dash + b[1:] for first, b in story["outcomes"] if first <= month]
        activity = [_bullet(rng, story["obj"])[1:] for _ in range(rng.randint(1, 3))]
        progress = min(100, max(0, round((month + 1) * 100 / 12) + rng.randint(-8, 5)))
        if month == 11:
            status, progress = "ดำเนินการแล้ว", 100
        elif progress == 0 or (month == 0 and rng.random() < 0.2):
            status, progress = "ยังไม่ดำเนินการ", 0
        else:
            status = "อยู่ระหว่างดำเนินการ"
        put(row, columns["activity"], "\n".join(activity))
        put(row, columns["result"], "\n".join(results) or None)
        put(row, columns["outcome"], "\n".join(outcomes) or None)
        put(row, columns["status"], status)
        put(row, columns["progress"], thai_digits(progress) if division == "สำนักปลัด" else progress)
        if month % 3 == 2 or rng.random() < 0.15:
            links = [f"https://www.tambon{body:05d}.go.th/ita/{FISCAL_YEAR}/m{no}/{month + 1}/{k}"
                     for k in range(1, rng.randint(1, 3) + 1)]
            put(row, columns["evidence"], "\n".join(links))
        remark = rng.choice(REMARKS)
        if remark:
            put(row, columns["remark"], remark)
        if bad == "bad_status" and n == 0:
            put(row, columns["status"], "เสร็จแล้ว")
        if bad == "progress_120" and n == len(plan["measures"]) - 1:
            put(row, columns["progress"], 120)
    drop = (columns["status"],) if bad == "missing_column" else ()
    saved_at = datetime(day.year, day.month, day.day, 16, rng.randint(0, 59))
    return {"styles": layout["styles"], "sheets": [{**sheet, "cells": cells}] + layout["sheets"][1:]}, saved_at, drop


def not_a_workbook(name: str, division: str, month: int) -> bytes:
    """What a clerk sometimes drops: a CSV export saved under .xlsx."""
    year, m = MONTHS[month]
    return (f"หน่วยงาน,{name}\nส่วนราชการ,{division}\nประจำเดือน,{FULL_MONTHS[m - 1]} {year + 543}\n"
            "ลำดับมาตรการ,ผลการดำเนินการ,สถานะ\n1,-รายงานผลการดำเนินงาน,อยู่ระหว่างดำเนินการ\n").encode("utf-8")


def layouts(width: int) -> tuple[dict, list[str], dict[str, dict], dict[str, dict]]:
    """The sample setup's layout, its divisions, and each division's monthly
    template (layout and where things are in it)."""
    base = capture_layout(SAMPLE_SETUP)
    divisions_cells = next(s for s in base["sheets"] if s["title"] == "ส่วนราชการ")["cells"]
    divisions = [v[0] for (r, c), v in sorted(divisions_cells.items()) if c == 1 and r > 1 and isinstance(v[0], str)]
    with tempfile.TemporaryDirectory(prefix="ita-bench-templates-") as tmp:
        # The templates are made from a synthetic setup (so plan reading of an
        # XlsxWriter setup is exercised too), then re-filled per body.
        setup = Path(tmp) / SETUP_NAME
        write_workbook(setup_layout(body_name(1, width), base), setup, datetime(2022, 10, 3, 9, 0))
        monthly = monthly_templates(setup, divisions, Path(tmp))
    plans = {d: template_plan(layout) for d, layout in monthly.items()}
    return base, divisions, monthly, plans


def layout_fingerprint(width: int = 4) -> str:
    """Changes when the sample setup or `ita template monthly` changes: a
    cached inbox made from older templates is then rebuilt."""
    import hashlib

    base, divisions, monthly, _ = layouts(width)

    def canonical(layout: dict) -> list:
        return [layout["styles"], [{**sheet, "cells": sorted(sheet["cells"].items())} for sheet in layout["sheets"]]]

    text = repr([canonical(base), divisions, [(d, canonical(m)) for d, m in sorted(monthly.items())]])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# -------------------------------------------------------------- the inbox


def slots(sheets: int, bodies: int) -> list[list[tuple[str, int]]]:
    """(division, month) of every good sheet, per body: month by month, so a
    last, partial body reports the first months of the year."""
    out = []
    left = sheets
    for _ in range(bodies):
        mine = [(d, m) for m in range(12) for d in _DIVISIONS][:left]
        left -= len(mine)
        out.append(mine)
    return out


_DIVISIONS: list[str] = []  # set from the sample setup (the order of its division list)
_STATE: dict = {}


def _init(state: dict) -> None:
    _STATE.update(state)
    _DIVISIONS[:] = state["divisions"]


def _write_body(job: tuple[int, list[tuple[str, int]], list[tuple[str, int, str]]]) -> dict:
    number, mine, bads = job
    seed, width, inbox = _STATE["seed"], _STATE["width"], Path(_STATE["inbox"])
    name = body_name(number, width)
    folder = inbox / body_folder(number, width)
    folder.mkdir(parents=True, exist_ok=True)
    write_workbook(setup_layout(name, _STATE["setup"]), folder / SETUP_NAME, datetime(2022, 10, 3, 9, 0))
    written = {"setup": 1, "good": 0, "bad": []}
    for division, month in mine:
        year, m = MONTHS[month]
        stem = f"รายงาน_{division}_{ABBR_MONTHS[m - 1]}{thai_digits((year + 543) % 100)}"
        layout, saved_at, _ = fill_monthly(_STATE["monthly"][division], _STATE["plans"][division], seed, number,
                                           name, division, month)
        write_workbook(layout, folder / f"{stem}.xlsx", saved_at)
        written["good"] += 1
        for bad_division, bad_month, kind in bads:
            if (bad_division, bad_month) != (division, month):
                continue
            target = folder / f"สำเนาของ {stem}.xlsx"
            if kind == "not_a_workbook":
                target.write_bytes(not_a_workbook(name, division, month))
                stamp = (saved_at.timestamp() - 3600)
                os.utime(target, (stamp, stamp))
            else:
                layout, saved_at_bad, drop = fill_monthly(_STATE["monthly"][division], _STATE["plans"][division],
                                                          seed, number, name, division, month, bad=kind)
                write_workbook(layout, target, saved_at_bad, drop)
            written["bad"].append({"path": str(target.relative_to(inbox)), "kind": kind})
    return written


def generate(sheets: int, seed: int, output: Path, jobs: int = 2, quiet: bool = False) -> dict:
    """Write the inbox under `output` and return its manifest."""
    started = time.perf_counter()
    bodies = math.ceil(sheets / SHEETS_PER_BODY)
    width = body_width(bodies)
    inbox = output / "inbox"
    if output.exists():
        shutil.rmtree(output)
    inbox.mkdir(parents=True)

    base, divisions, monthly, plans = layouts(width)
    _DIVISIONS[:] = divisions
    per_body = slots(sheets, bodies)
    rng = random.Random(f"{seed}/bad")
    n_bad = max(len(BAD_KINDS), round(sheets / 100))
    chosen = sorted(rng.sample(range(sheets), min(n_bad, sheets)))
    bads: dict[int, list[tuple[str, int, str]]] = {}
    flat = [(b, slot) for b, mine in enumerate(per_body) for slot in mine]
    for k, index in enumerate(chosen):
        b, (division, month) = flat[index]
        bads.setdefault(b, []).append((division, month, BAD_KINDS[k % len(BAD_KINDS)]))

    state = {"seed": seed, "width": width, "inbox": str(inbox), "setup": base, "monthly": monthly,
             "plans": plans, "divisions": divisions}
    jobs_list = [(b + 1, per_body[b], bads.get(b, [])) for b in range(bodies)]
    results = []
    # fork is cheapest (the layouts are inherited, not pickled), but only safe
    # in a process without other threads.
    context = multiprocessing.get_context("fork" if threading.active_count() == 1 else "spawn")
    with context.Pool(jobs, initializer=_init, initargs=(state,)) as pool:
        for n, result in enumerate(pool.imap(_write_body, jobs_list, chunksize=1), start=1):
            results.append(result)
            if not quiet and (n % 50 == 0 or n == bodies):
                print(f"  generated {n}/{bodies} bodies ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    bad_files = [b for r in results for b in r["bad"]]
    size = sum(p.stat().st_size for p in inbox.rglob("*") if p.is_file())
    manifest = {
        "format_version": FORMAT_VERSION,
        "layout_sha256": layout_fingerprint(),
        "sheets": sheets,
        "seed": seed,
        "bodies": bodies,
        "fiscal_year": FISCAL_YEAR,
        "divisions": divisions,
        "setups": sum(r["setup"] for r in results),
        "good_monthly": sum(r["good"] for r in results),
        "bad": len(bad_files),
        "bad_by_kind": {k: sum(1 for b in bad_files if b["kind"] == k) for k in BAD_KINDS},
        "bad_files": bad_files,
        "files": sum(r["setup"] + r["good"] + len(r["bad"]) for r in results),
        "bytes": size,
        "writer": "xlsxwriter (shared strings)",
        "generate_seconds": round(time.perf_counter() - started, 2),
        "jobs": jobs,
    }
    manifest["expected"] = {"accepted": manifest["setups"] + manifest["good_monthly"], "rejected": manifest["bad"]}
    (output / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def cache_dir(root: Path, sheets: int, seed: int) -> Path:
    return root / f"inbox-{sheets}-s{seed}"


def ensure(sheets: int, seed: int, root: Path, jobs: int = 2, quiet: bool = False) -> tuple[Path, dict]:
    """The cached inbox for (sheets, seed), generated when missing or stale."""
    output = cache_dir(root, sheets, seed)
    manifest_path = output / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("format_version") == FORMAT_VERSION and manifest.get("layout_sha256") == layout_fingerprint():
            return output, manifest
        if not quiet:
            print("the cached inbox was made from other templates: regenerating", file=sys.stderr)
    if not quiet:
        print(f"generating {sheets:,} sheets (seed {seed}) into {output} …", file=sys.stderr)
    return output, generate(sheets, seed, output, jobs, quiet)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=7200, help="good monthly sheets (bodies = ceil(N/72))")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=None,
                        help="folder to write (default: /tmp/ita-bench/inbox-<N>-s<seed>)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)
    output = args.output or cache_dir(Path("/tmp/ita-bench"), args.sheets, args.seed)
    manifest = generate(args.sheets, args.seed, output, args.jobs)
    shown = {k: v for k, v in manifest.items() if k != "bad_files"}
    print(json.dumps(shown, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
