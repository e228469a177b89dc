"""Validated workbooks as plain records, and the rules that need more than one
cell to judge (cross-checks a clerk expects: a known division, a measure that
exists in the plan, a signatory list that starts with the preparer …)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ita import ita_levels, thai
from ita.parse import ParsedFile
from ita.problems import WARNING, Problem
from schemas import monthly as monthly_schema
from schemas import setup as setup_schema


def lines(value: object) -> list[str]:
    """A multi-line cell as its non-empty lines, each folded to single spaces."""
    return [line for line in (thai.one_line(x) for x in thai.clean_text(value).split("\n")) if line]


_BULLET_MARK = re.compile(r"^[\-–—•·*▪●○◦]+\s*")


def bullet_key(text: str) -> str:
    """Two bullets are the same when they differ only in their leading dash,
    spacing or digit script: clerks retype last month's lines by hand."""
    return thai.label_key(_BULLET_MARK.sub("", thai.one_line(text)))


def divisions_named(text: str, divisions: list[str]) -> list[str]:
    """The divisions of the year's list that a free-text ผู้รับผิดชอบ names,
    in the list's order. Spaces are ignored (a cell may wrap mid-name)."""
    squeezed = re.sub(r"\s+", "", text)
    return [d for d in divisions if re.sub(r"\s+", "", d) in squeezed]


def _int(value: object) -> int:
    number = thai.parse_number(value)
    return int(number) if number is not None else 0


# --------------------------------------------------------------------- setup


@dataclass(frozen=True)
class Signatory:
    order: int
    role: str
    name: str
    position: str


@dataclass(frozen=True)
class Measure:
    no: int
    group: str
    title: str
    steps: list[str]
    responsible: list[str]
    period: str
    divisions: list[str]
    row: int


@dataclass(frozen=True)
class Score:
    key: str
    name: str
    year: int  # BE
    score: float
    row: int
    col: int


@dataclass
class Setup:
    body: str
    owner_division: str
    doc_no: str
    address: str
    fiscal_year: int  # BE
    phone: str
    emblem: str
    divisions: list[str]
    signatories: list[Signatory]
    measures: list[Measure]
    guidelines: list[tuple[int, str]]
    scores: list[Score]
    levels: dict[int, tuple[str, int, int]] = field(default_factory=dict)  # year → (text, row, col)

    @property
    def body_key(self) -> str:
        return thai.label_key(self.body)


def build_setup(parsed: ParsedFile) -> tuple[Setup | None, list[Problem]]:
    """The Setup of a schema-valid workbook, with its cross-check problems."""
    org = parsed.blocks["organisation"].values
    t = parsed.tables
    divisions = [thai.one_line(r.values["division"]) for r in t["divisions"].records] if "divisions" in t else []
    problems: list[Problem] = []
    sheet = parsed.sheets.get

    seen: set[str] = set()
    for record in t.get("divisions").records if "divisions" in t else []:
        key = thai.label_key(record.values["division"])
        if key in seen:
            problems.append(Problem("ชื่อส่วนราชการซ้ำ", sheet=sheet("divisions", ""), row=record.row,
                                    col=record.cols["division"], value=thai.one_line(record.values["division"]),
                                    hint="ลบแถวที่ซ้ำออก"))
        seen.add(key)
    if not divisions:
        problems.append(Problem("ไม่มีรายชื่อส่วนราชการ", sheet=sheet("divisions", "ส่วนราชการ"),
                                hint="กรอกชื่อส่วนราชการที่ต้องรายงาน แถวละหนึ่งส่วนราชการ"))

    signatories = sorted(
        (Signatory(_int(r.values["order"]), thai.one_line(r.values["role"]), thai.one_line(r.values["name"]),
                   thai.one_line(r.values["position"])) for r in t["signatories"].records)
        if "signatories" in t else [],
        key=lambda s: s.order,
    )
    if not signatories or thai.label_key(signatories[0].role) != thai.label_key(setup_schema.PREPARER_ROLE):
        problems.append(Problem(f"ผู้ลงนามลำดับแรกต้องมีบทบาท '{setup_schema.PREPARER_ROLE}'",
                                sheet=sheet("signatories", "ผู้ลงนาม"),
                                hint="ใส่ผู้จัดทำเป็นลำดับ 1 แล้วตามด้วยผู้พิจารณาตามลำดับการเสนอ"))
    if len(signatories) < 2:
        problems.append(Problem("ต้องมีผู้พิจารณาอย่างน้อยหนึ่งคนต่อจากผู้จัดทำ", sheet=sheet("signatories", "ผู้ลงนาม"),
                                hint="เพิ่มผู้พิจารณา เช่น หัวหน้าสำนักปลัด ปลัด และนายก"))

    measures: list[Measure] = []
    numbers: set[int] = set()
    for r in t["measures"].records if "measures" in t else []:
        no = _int(r.values["no"])
        if no in numbers:
            problems.append(Problem("ลำดับมาตรการซ้ำ", sheet=sheet("measures", ""), row=r.row, col=r.cols["no"],
                                    label=setup_schema.MEASURES.columns["no"].title, value=str(no),
                                    hint="ให้แต่ละมาตรการมีลำดับไม่ซ้ำกัน"))
        numbers.add(no)
        responsible = thai.clean_text(r.values["responsible"])
        named = divisions_named(responsible, divisions)
        if not named:
            problems.append(Problem("ผู้รับผิดชอบไม่ได้ระบุส่วนราชการใดในรายชื่อส่วนราชการ จึงไม่มีผู้รายงานมาตรการนี้",
                                    sheet=sheet("measures", ""), row=r.row, col=r.cols["responsible"],
                                    label=setup_schema.MEASURES.columns["responsible"].title,
                                    value=thai.one_line(responsible),
                                    hint="ระบุชื่อส่วนราชการให้ตรงกับแผ่นงาน 'ส่วนราชการ'", severity=WARNING))
        group = next(g for g in setup_schema.GROUPS if thai.label_key(g) == thai.label_key(r.values["group"]))
        measures.append(Measure(no, group, thai.one_line(r.values["title"]), lines(r.values["steps"]),
                                lines(responsible), thai.one_line(r.values["period"]), named, r.row))
    measures.sort(key=lambda m: m.no)

    guidelines = sorted(
        (_int(r.values["no"]), thai.one_line(r.values["text"])) for r in t["guidelines"].records
    ) if "guidelines" in t else []

    scores = [
        Score(r.values["key"], parsed.ita_names.get(r.values["key"], ""), r.values["year"],
              float(thai.parse_number(r.values["score"])), r.row, r.cols["score"])
        for r in (t["ita"].records if "ita" in t else [])
        if r.values["score"] is not None
    ]
    levels = {r.values["year"]: (thai.one_line(r.values["level"]), r.row, r.cols["score"]) for r in parsed.ita_levels}
    setup = Setup(
        body=thai.one_line(org.get("name")),
        owner_division=thai.one_line(org.get("owner_division")),
        doc_no=thai.one_line(org.get("doc_no")),
        address=thai.one_line(org.get("address")),
        fiscal_year=thai.be_year(_int(org.get("fiscal_year"))),
        phone=thai.one_line(org.get("phone")),
        emblem=thai.one_line(org.get("emblem")),
        divisions=divisions,
        signatories=signatories,
        measures=measures,
        guidelines=guidelines,
        scores=scores,
        levels=levels,
    )
    problems += _check_entered_levels(setup, sheet("ita", "ผลITA"))
    if not any(s.key == setup_schema.ITA_TOTAL_KEY and s.year == setup.fiscal_year for s in scores):
        problems.append(Problem(f"ยังไม่มีคะแนน ITA ภาพรวมของปี {setup.fiscal_year} จึงยังออกบันทึกข้อความไม่ได้",
                                sheet=sheet("ita", "ผลITA"), label=f"ปี {setup.fiscal_year}",
                                hint="กรอกคะแนนเมื่อ ป.ป.ช. ประกาศผลแล้วส่งไฟล์ข้อมูลประจำปีอีกครั้ง", severity=WARNING))
    return setup, problems


def scores_of_year(setup: Setup, year: int) -> dict[str, float]:
    return {s.key: s.score for s in setup.scores if s.year == year}


def derived_level(setup: Setup, year: int) -> ita_levels.Level | None:
    return level_of_scores(year, scores_of_year(setup, year))


def level_of_scores(year: int, scores: dict[str, float]) -> ita_levels.Level | None:
    """The level a year's scores (key → score) earn; None without an overall score."""
    total = scores.get(setup_schema.ITA_TOTAL_KEY)
    if total is None:
        return None
    return ita_levels.level_for(year, total, {k: v for k, v in scores.items() if k in setup_schema.ITA_TOOLS})


def _check_entered_levels(setup: Setup, sheet: str) -> list[Problem]:
    """SPEC: an entered ระดับ that disagrees with the year's bands is flagged."""
    problems = []
    for year, (text, row, col) in sorted(setup.levels.items()):
        level = derived_level(setup, year)
        if level and thai.label_key(text) != thai.label_key(level.name):
            problems.append(Problem(
                f"ระดับที่กรอกไว้ไม่ตรงกับเกณฑ์ของปี {year}: จากคะแนนที่กรอก ระดับควรเป็น '{level.name}'",
                sheet=sheet, row=row, col=col, label=f"ปี {year}", value=text,
                hint="ตรวจคะแนนรายเครื่องมือ (IIT, EIT, OIT) และคะแนนภาพรวมอีกครั้ง เอกสารจะใช้ระดับตามเกณฑ์",
                severity=WARNING,
            ))
    return problems


def canonical(names: list[str], name: str) -> str:
    """The year's spelling of a name a clerk typed (label matching)."""
    key = thai.label_key(name)
    return next((n for n in names if thai.label_key(n) == key), name)


# ------------------------------------------------------------------- monthly


@dataclass(frozen=True)
class MonthlyRow:
    row: int
    measure_no: int
    measure_title: str
    activity: str
    result: str
    outcome: str
    status: str
    progress: float | None
    evidence: str
    remark: str


@dataclass
class Monthly:
    body: str
    division: str
    year: int  # CE
    month: int
    reporter: str
    position: str
    report_date: date | None
    rows: list[MonthlyRow]
    sheet: str
    columns: dict[str, int] = field(default_factory=dict)  # field → Excel column of the table

    @property
    def fiscal_year(self) -> int:
        return thai.fiscal_year(self.year, self.month)

    @property
    def body_key(self) -> str:
        return thai.label_key(self.body)


def build_monthly(parsed: ParsedFile) -> Monthly:
    header = parsed.blocks["header"].values
    year, month = thai.parse_month(header["month"])
    statuses = {thai.label_key(s): s for s in monthly_schema.STATUSES}
    rows = [
        MonthlyRow(
            row=r.row,
            measure_no=_int(r.values["measure_no"]),
            measure_title=thai.one_line(r.values.get("measure_title")),
            activity=thai.clean_text(r.values.get("activity")),
            result=thai.clean_text(r.values.get("result")),
            outcome=thai.clean_text(r.values.get("outcome")),
            status=statuses.get(thai.label_key(r.values.get("status")), ""),
            progress=thai.parse_number(r.values.get("progress")),
            evidence=thai.clean_text(r.values.get("evidence")),
            remark=thai.clean_text(r.values.get("remark")),
        )
        for r in parsed.tables["rows"].records
    ] if "rows" in parsed.tables else []
    return Monthly(
        body=thai.one_line(header["body"]),
        division=thai.one_line(header["division"]),
        year=year,
        month=month,
        reporter=thai.one_line(header["reporter"]),
        position=thai.one_line(header.get("position")),
        report_date=thai.parse_date(header.get("report_date")) if header.get("report_date") is not None else None,
        rows=rows,
        sheet=parsed.sheets["rows"],
        columns=dict(parsed.tables["rows"].columns) if "rows" in parsed.tables else {},
    )


def check_monthly(monthly: Monthly, parsed: ParsedFile, setup: Setup | None) -> list[Problem]:
    """Rules that need the year's setup."""
    header = parsed.blocks["header"]
    label = monthly_schema.HEADER.columns
    if setup is None:
        return [Problem(
            f"ไม่พบข้อมูลประจำปีของ '{monthly.body}' ปีงบประมาณ {monthly.fiscal_year} "
            "(ตรวจชื่อหน่วยงานและเดือนที่รายงาน)",
            sheet=monthly.sheet, row=header.rows.get("body", 0), col=2, label=label["body"].title,
            value=monthly.body,
            hint="ให้สำนักปลัดส่งไฟล์ข้อมูลประจำปีของปีงบประมาณนี้ก่อน หรือแก้ชื่อหน่วยงานให้ตรงกับข้อมูลประจำปี แล้วส่งไฟล์นี้อีกครั้ง",
        )]
    problems: list[Problem] = []
    division_keys = {thai.label_key(d): d for d in setup.divisions}
    if thai.label_key(monthly.division) not in division_keys:
        problems.append(Problem(
            "ส่วนราชการนี้ไม่อยู่ในรายชื่อส่วนราชการของข้อมูลประจำปี",
            sheet=monthly.sheet, row=header.rows.get("division", 0), col=2, label=label["division"].title,
            value=monthly.division, hint="ใช้ชื่อใดชื่อหนึ่งต่อไปนี้: " + ", ".join(setup.divisions),
        ))
        return problems
    division = division_keys[thai.label_key(monthly.division)]
    plan = {m.no: m for m in setup.measures}
    seen: set[int] = set()
    no_col = parsed.tables["rows"].columns.get("measure_no", 0)
    no_label = monthly_schema.ROWS.columns["measure_no"].title
    for row in monthly.rows:
        measure = plan.get(row.measure_no)
        if measure is None:
            problems.append(Problem(
                f"ไม่มีมาตรการลำดับที่ {row.measure_no} ในแผนของปีงบประมาณ {setup.fiscal_year}",
                sheet=monthly.sheet, row=row.row, col=no_col, label=no_label, value=str(row.measure_no),
                hint="ใช้ลำดับมาตรการตามแผ่นงานมาตรการของข้อมูลประจำปี (แบบฟอร์มจาก ita template มีให้แล้ว)",
            ))
        elif row.measure_no in seen:
            problems.append(Problem(
                f"มาตรการลำดับที่ {row.measure_no} ซ้ำกับแถวก่อนหน้า",
                sheet=monthly.sheet, row=row.row, col=no_col, label=no_label, value=str(row.measure_no),
                hint="รวมผลของมาตรการเดียวกันไว้ในแถวเดียว",
            ))
        elif division not in measure.divisions:
            problems.append(Problem(
                f"ส่วนราชการ {division} ไม่ได้เป็นผู้รับผิดชอบมาตรการลำดับที่ {row.measure_no} ตามแผน",
                sheet=monthly.sheet, row=row.row, col=no_col, label=no_label, value=str(row.measure_no),
                hint="ตรวจลำดับมาตรการอีกครั้ง ข้อมูลแถวนี้ยังถูกนำไปรวมตามปกติ", severity=WARNING,
            ))
        seen.add(row.measure_no)
    return problems
