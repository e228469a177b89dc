"""Validated workbooks as plain records, and the rules that need more than one
cell to judge (cross-checks a clerk expects: a known division, a measure that
exists in the plan, a signatory list that starts with the preparer …)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ita import emblem, ita_levels, thai
from ita.parse import ParsedFile
from ita.problems import WARNING, Problem, error_cells
from schemas import monthly as monthly_schema
from schemas import setup as setup_schema


SETUP_SCHEMAS = {
    "divisions": setup_schema.DIVISIONS,
    "signatories": setup_schema.SIGNATORIES,
    "measures": setup_schema.MEASURES,
    "guidelines": setup_schema.GUIDELINES,
}


def lines(value: object) -> list[str]:
    """A multi-line cell as its non-empty lines, each folded to single spaces."""
    # Each line of cleaned text is clean: only its spaces are folded.
    return [line for line in (" ".join(x.split()) for x in thai.clean_text(value).split("\n")) if line]


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
    emblem_image: bytes | None = None  # pasted into the หน่วยงาน sheet, checked

    @property
    def body_key(self) -> str:
        return thai.label_key(self.body)


def build_setup(parsed: ParsedFile) -> tuple[Setup, list[Problem]]:
    """The Setup of a workbook, with its cross-check problems. Rows whose
    cells a schema rejected are left out (their problem is already listed),
    so a rejected workbook still gets every other check in the same pass."""
    org_block = parsed.blocks.get("organisation")
    org = org_block.values if org_block else {}
    t = parsed.tables
    bad = error_cells(parsed.problems)
    problems: list[Problem] = []
    sheet = parsed.sheets.get

    def clean(block: str) -> list:
        """The block's rows that the schemas passed; none when a column the
        cross-checks need is missing (its own problem is listed)."""
        if block not in t:
            return []
        name = sheet(block, "")
        if block in SETUP_SCHEMAS and any(f not in t[block].columns for f in SETUP_SCHEMAS[block].columns):
            return []
        return [r for r in t[block].records if not any((name, r.row, c) in bad for c in r.cols.values())]

    divisions: list[str] = []
    seen: set[str] = set()
    for record in clean("divisions"):
        key = thai.label_key(record.values["division"])
        if key in seen:
            problems.append(Problem("ชื่อส่วนราชการซ้ำ", sheet=sheet("divisions", ""), row=record.row,
                                    col=record.cols["division"], value=thai.one_line(record.values["division"]),
                                    hint="ลบแถวที่ซ้ำออก"))
        else:
            divisions.append(thai.one_line(record.values["division"]))
        seen.add(key)
    if not divisions and "divisions" in t and not t["divisions"].records:
        problems.append(Problem("ไม่มีรายชื่อส่วนราชการ", sheet=sheet("divisions", "ส่วนราชการ"),
                                hint="กรอกชื่อส่วนราชการที่ต้องรายงาน แถวละหนึ่งส่วนราชการ"))

    signatory_records = clean("signatories")
    signatories = sorted(
        (Signatory(_int(r.values["order"]), thai.one_line(r.values["role"]), thai.one_line(r.values["name"]),
                   thai.one_line(r.values["position"])) for r in signatory_records),
        key=lambda s: s.order,
    )
    if "signatories" in t and len(signatory_records) == len(t["signatories"].records):
        if not signatories or thai.label_key(signatories[0].role) != thai.label_key(setup_schema.PREPARER_ROLE):
            problems.append(Problem(f"ผู้ลงนามลำดับแรกต้องมีบทบาท '{setup_schema.PREPARER_ROLE}'",
                                    sheet=sheet("signatories", "ผู้ลงนาม"),
                                    hint="ใส่ผู้จัดทำเป็นลำดับ 1 แล้วตามด้วยผู้พิจารณาตามลำดับการเสนอ"))
        if len(signatories) < 2:
            problems.append(Problem("ต้องมีผู้พิจารณาอย่างน้อยหนึ่งคนต่อจากผู้จัดทำ", sheet=sheet("signatories", "ผู้ลงนาม"),
                                    hint="เพิ่มผู้พิจารณา เช่น หัวหน้าสำนักปลัด ปลัด และนายก"))

    measures: list[Measure] = []
    numbers: set[int] = set()
    for r in clean("measures"):
        no = _int(r.values["no"])
        if no in numbers:
            problems.append(Problem("ลำดับมาตรการซ้ำ", sheet=sheet("measures", ""), row=r.row, col=r.cols["no"],
                                    label=setup_schema.MEASURES.columns["no"].title, value=str(no),
                                    hint="ให้แต่ละมาตรการมีลำดับไม่ซ้ำกัน"))
        numbers.add(no)
        responsible = thai.clean_text(r.values["responsible"])
        named = divisions_named(responsible, divisions)
        if not named and divisions:
            problems.append(Problem("ผู้รับผิดชอบไม่ได้ระบุส่วนราชการใดในรายชื่อส่วนราชการ จึงไม่มีผู้รายงานมาตรการนี้",
                                    sheet=sheet("measures", ""), row=r.row, col=r.cols["responsible"],
                                    label=setup_schema.MEASURES.columns["responsible"].title,
                                    value=thai.one_line(responsible),
                                    hint="ระบุชื่อส่วนราชการให้ตรงกับแผ่นงาน 'ส่วนราชการ'", severity=WARNING))
        group = next(g for g in setup_schema.GROUPS if thai.label_key(g) == thai.label_key(r.values["group"]))
        measures.append(Measure(no, group, thai.one_line(r.values["title"]), lines(r.values["steps"]),
                                lines(responsible), thai.one_line(r.values["period"]), named, r.row))
    measures.sort(key=lambda m: m.no)

    guidelines = sorted((_int(r.values["no"]), thai.one_line(r.values["text"])) for r in clean("guidelines"))

    scores = [
        Score(setup_schema.ita_key(r.values["key"]), parsed.ita_names.get(r.values["key"], ""), r.values["year"],
              float(thai.parse_number(r.values["score"])), r.row, r.cols["score"])
        for r in clean("ita")
        if thai.parse_number(r.values["score"]) is not None
    ]
    levels = {r.values["year"]: (thai.one_line(r.values["level"]), r.row, r.cols["score"]) for r in parsed.ita_levels}
    year_row = org_block.rows.get("fiscal_year", 0) if org_block else 0
    year_ok = org.get("fiscal_year") is not None and (sheet("organisation", ""), year_row, 2) not in bad
    setup = Setup(
        body=thai.one_line(org.get("name")),
        owner_division=thai.one_line(org.get("owner_division")),
        doc_no=thai.one_line(org.get("doc_no")),
        address=thai.one_line(org.get("address")),
        fiscal_year=thai.be_year(_int(org.get("fiscal_year"))) if year_ok else 0,
        phone=thai.one_line(org.get("phone")),
        emblem=thai.one_line(org.get("emblem")),
        divisions=divisions,
        signatories=signatories,
        measures=measures,
        guidelines=guidelines,
        scores=scores,
        levels=levels,
    )
    problems += _check_emblem(setup, parsed)
    if not setup.fiscal_year:
        return setup, problems
    if not ita_levels.covers(setup.fiscal_year):
        problems.append(Problem(
            f"ไม่มีเกณฑ์ระดับผลการประเมิน ITA ของปีงบประมาณ {setup.fiscal_year} "
            f"(ระบบมีเกณฑ์ตั้งแต่ปี {ita_levels.first_year()} เป็นต้นไป)",
            sheet=sheet("organisation", ""), row=year_row, col=2,
            label=setup_schema.ORGANISATION.columns["fiscal_year"].title, value=str(setup.fiscal_year),
            hint="ตรวจปีงบประมาณ (ปี พ.ศ. เช่น 2566) ให้ถูกต้อง แล้วส่งไฟล์อีกครั้ง",
        ))
        return setup, problems
    problems += _check_entered_levels(setup, sheet("ita", "ผลITA"))
    if not any(s.key == setup_schema.ITA_TOTAL_KEY and s.year == setup.fiscal_year for s in scores):
        problems.append(Problem(f"ยังไม่มีคะแนน ITA ภาพรวมของปี {setup.fiscal_year} จึงยังออกบันทึกข้อความไม่ได้",
                                sheet=sheet("ita", "ผลITA"), label=f"ปี {setup.fiscal_year}",
                                hint="กรอกคะแนนเมื่อ ป.ป.ช. ประกาศผลแล้วส่งไฟล์ข้อมูลประจำปีอีกครั้ง", severity=WARNING))
    return setup, problems


EMBLEM_HINT = (f"วางรูปตราครุฑ (PNG หรือ JPEG ไม่เกิน {emblem.MAX_BYTES // (1024 * 1024)} MB) ลงในแผ่นงานหน่วยงาน "
               f"หรือเก็บไฟล์รูปไว้ในโฟลเดอร์ '{emblem.FOLDER}' ของโฟลเดอร์ข้อมูลแล้วกรอกชื่อไฟล์ที่หัวข้อตราครุฑ "
               "บันทึกข้อความจะเว้นที่ของตราครุฑไว้จนกว่าจะแก้")


def _check_emblem(setup: Setup, parsed: ParsedFile) -> list[Problem]:
    """A pasted image is checked here; a file name is only checked for its
    form (the folder is looked at when the setup is taken in: `emblem_problem`)."""
    sheet = parsed.sheets.get("organisation", "")
    block = parsed.blocks.get("organisation")
    label = setup_schema.ORGANISATION.columns["emblem"].title
    if parsed.emblem_image is not None:
        try:
            setup.emblem_image = emblem.check_image(parsed.emblem_image)
        except emblem.BadEmblem as error:
            return [Problem(f"รูปที่วางในแผ่นงานใช้เป็นตราครุฑไม่ได้: {error.reason}", sheet=sheet, label=label,
                            hint=EMBLEM_HINT, severity=WARNING)]
        return []
    if setup.emblem and not emblem.plain_file_name(setup.emblem):
        name = setup.emblem
        setup.emblem = ""
        return [Problem(f"ตราครุฑต้องเป็นชื่อไฟล์รูปในโฟลเดอร์ '{emblem.FOLDER}' ของโฟลเดอร์ข้อมูลเท่านั้น "
                        "ไม่ใช่ที่อยู่ไฟล์ ระบบจึงไม่ได้เปิดไฟล์นี้",
                        sheet=sheet, row=block.rows.get("emblem", 0) if block else 0, col=2, label=label,
                        value=name, hint=EMBLEM_HINT, severity=WARNING)]
    return []


def emblem_problem(setup: Setup, parsed: ParsedFile, data_dir: Path) -> Problem | None:
    """A warning when the emblem file the setup names is not a usable image
    of the emblem folder."""
    if setup.emblem_image is not None or not setup.emblem:
        return None
    try:
        emblem.named_image(data_dir, setup.emblem)
    except emblem.BadEmblem as error:
        block = parsed.blocks.get("organisation")
        return Problem(error.reason, sheet=parsed.sheets.get("organisation", ""),
                       row=block.rows.get("emblem", 0) if block else 0, col=2,
                       label=setup_schema.ORGANISATION.columns["emblem"].title, value=setup.emblem,
                       hint=EMBLEM_HINT, severity=WARNING)
    return None


def scores_of_year(setup: Setup, year: int) -> dict[str, float]:
    return {s.key: s.score for s in setup.scores if s.year == year}


def derived_level(setup: Setup, year: int) -> ita_levels.Level | None:
    return ita_levels.level_of_scores(year, scores_of_year(setup, year))


def _check_entered_levels(setup: Setup, sheet: str) -> list[Problem]:
    """SPEC: an entered ระดับ that disagrees with the year's bands is flagged."""
    problems = []
    for year, (text, row, col) in sorted(setup.levels.items()):
        if not ita_levels.covers(year):
            continue  # a year before every band: nothing to compare with
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
    """A monthly sheet as read. `year` and `month` are None when the
    ประจำเดือน cell cannot be read (the schema has said so): the rest is
    still read, so one rejection names every problem of the file."""

    body: str
    division: str
    year: int | None  # CE
    month: int | None
    reporter: str
    position: str
    report_date: date | None
    rows: list[MonthlyRow]
    sheet: str
    columns: dict[str, int] = field(default_factory=dict)  # field → Excel column of the table
    # (Excel row, measure number) of each row: what the checks need of the
    # rows, kept when a sheet read elsewhere comes without its rows' texts.
    measure_rows: list[tuple[int, int]] = field(default_factory=list)

    @property
    def fiscal_year(self) -> int | None:
        return thai.fiscal_year(self.year, self.month) if self.month else None

    @property
    def body_key(self) -> str:
        return thai.label_key(self.body)


def build_monthly(parsed: ParsedFile) -> Monthly:
    """The sheet as records, whatever the schemas found wrong with it:
    unreadable cells become None (or 0 for a measure number)."""
    header = parsed.blocks["header"].values
    month = thai.parse_month(header["month"]) if header.get("month") is not None else None
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
        body=thai.one_line(header.get("body")),
        division=thai.one_line(header.get("division")),
        year=month[0] if month else None,
        month=month[1] if month else None,
        reporter=thai.one_line(header.get("reporter")),
        position=thai.one_line(header.get("position")),
        report_date=thai.parse_date(header.get("report_date")) if header.get("report_date") is not None else None,
        rows=rows,
        sheet=parsed.sheets["rows"],
        columns=dict(parsed.tables["rows"].columns) if "rows" in parsed.tables else {},
        measure_rows=[(r.row, r.measure_no) for r in rows],
    )


def filing_year(monthly: Monthly, setup_years: list[int]) -> int | None:
    """The fiscal year a sheet of a known body is filed under (its status
    workbook, its rejection report's folder): the month's own year when it
    has a setup, else the setup year nearest to the month's (or to the
    report date's, when the month cannot be read; the later of two equally
    near), else the latest setup year."""
    if not setup_years:
        return monthly.fiscal_year
    wanted = monthly.fiscal_year
    if wanted is None and monthly.report_date:
        wanted = thai.fiscal_year(monthly.report_date.year, monthly.report_date.month)
    if wanted is None:
        return max(setup_years)
    return min(setup_years, key=lambda y: (abs(y - wanted), -y))


# A sheet is usually dated within weeks of its month's end; further than
# this from it, the month or the date is more likely mistyped than late.
REPORT_DATE_SLACK_DAYS = 92


def check_monthly(monthly: Monthly, parsed: ParsedFile, setup: Setup | None, setup_years: list[int],
                  today: date) -> list[Problem]:
    """Rules that need the year's setup (`setup`: the one of the year the
    sheet is filed under, see `filing_year`; `setup_years`: every fiscal
    year of the body that has one) and the run's date."""
    header = parsed.blocks["header"]
    label = monthly_schema.HEADER.columns
    bad = error_cells(parsed.problems)
    sheet = monthly.sheet
    problems = _check_month(monthly, header.rows, today)
    month_row = header.rows.get("month", 0)
    if not setup_years:
        if (sheet, header.rows.get("body", 0), 2) in bad:
            return problems
        where = f" ปีงบประมาณ {monthly.fiscal_year}" if monthly.fiscal_year else ""
        return problems + [Problem(
            f"ไม่พบข้อมูลประจำปีของ '{monthly.body}'{where} "
            "(ตรวจชื่อหน่วยงานและเดือนที่รายงาน)",
            sheet=sheet, row=header.rows.get("body", 0), col=2, label=label["body"].title,
            value=monthly.body,
            hint="ให้สำนักปลัดส่งไฟล์ข้อมูลประจำปีของปีงบประมาณนี้ก่อน หรือแก้ชื่อหน่วยงานให้ตรงกับข้อมูลประจำปี แล้วส่งไฟล์นี้อีกครั้ง",
        )]
    if monthly.fiscal_year is not None and monthly.fiscal_year not in setup_years:
        years = ", ".join(str(y) for y in sorted(setup_years))
        problems.append(Problem(
            f"เดือนที่รายงานอยู่ในปีงบประมาณ {monthly.fiscal_year} ซึ่งยังไม่มีข้อมูลประจำปีของ '{monthly.body}' "
            f"(มีข้อมูลประจำปีของปีงบประมาณ {years})",
            sheet=sheet, row=month_row, col=2, label=label["month"].title,
            value=thai.one_line(header.values.get("month")),
            hint=f"ตรวจเดือนและปี พ.ศ. ที่รายงานให้ถูกต้อง หรือถ้าเป็นเดือนของปีงบประมาณ {monthly.fiscal_year} จริง "
                 "ให้สำนักปลัดส่งไฟล์ข้อมูลประจำปีของปีนั้นก่อน แล้วส่งไฟล์นี้อีกครั้ง",
        ))
    if setup is None:
        return problems
    division_keys = {thai.label_key(d): d for d in setup.divisions}
    if (sheet, header.rows.get("division", 0), 2) in bad:
        return problems
    if thai.label_key(monthly.division) not in division_keys:
        problems.append(Problem(
            "ส่วนราชการนี้ไม่อยู่ในรายชื่อส่วนราชการของข้อมูลประจำปี",
            sheet=sheet, row=header.rows.get("division", 0), col=2, label=label["division"].title,
            value=monthly.division, hint="ใช้ชื่อใดชื่อหนึ่งต่อไปนี้: " + ", ".join(setup.divisions),
        ))
        return problems
    division = division_keys[thai.label_key(monthly.division)]
    plan = {m.no: m for m in setup.measures}
    seen: set[int] = set()
    no_col = parsed.tables["rows"].columns.get("measure_no", 0)
    no_label = monthly_schema.ROWS.columns["measure_no"].title
    for row, measure_no in monthly.measure_rows:
        if (sheet, row, no_col) in bad:
            continue
        measure = plan.get(measure_no)
        if measure is None:
            problems.append(Problem(
                f"ไม่มีมาตรการลำดับที่ {measure_no} ในแผนของปีงบประมาณ {setup.fiscal_year}",
                sheet=sheet, row=row, col=no_col, label=no_label, value=str(measure_no),
                hint="ใช้ลำดับมาตรการตามแผ่นงานมาตรการของข้อมูลประจำปี (แบบฟอร์มจาก ita template มีให้แล้ว)",
            ))
        elif measure_no in seen:
            problems.append(Problem(
                f"มาตรการลำดับที่ {measure_no} ซ้ำกับแถวก่อนหน้า",
                sheet=sheet, row=row, col=no_col, label=no_label, value=str(measure_no),
                hint="รวมผลของมาตรการเดียวกันไว้ในแถวเดียว",
            ))
        elif division not in measure.divisions:
            problems.append(Problem(
                f"ส่วนราชการ {division} ไม่ได้เป็นผู้รับผิดชอบมาตรการลำดับที่ {measure_no} ตามแผน",
                sheet=sheet, row=row, col=no_col, label=no_label, value=str(measure_no),
                hint="ตรวจลำดับมาตรการอีกครั้ง ข้อมูลแถวนี้ยังถูกนำไปรวมตามปกติ", severity=WARNING,
            ))
        seen.add(measure_no)
    return problems


def _check_month(monthly: Monthly, rows: dict[str, int], today: date) -> list[Problem]:
    """Warnings on a month that reads but looks mistyped."""
    if monthly.month is None:
        return []
    label = monthly_schema.HEADER.columns
    first = date(monthly.year, monthly.month, 1)
    month_text = thai.thai_month_year(monthly.year, monthly.month)
    problems = []
    if first > today:
        problems.append(Problem(
            f"เดือนที่รายงาน ({month_text}) ยังมาไม่ถึง (วันที่ประมวลผล {thai.thai_date(today)})",
            sheet=monthly.sheet, row=rows.get("month", 0), col=2, label=label["month"].title, value=month_text,
            hint="ตรวจเดือนและปี พ.ศ. ที่รายงาน ถ้าพิมพ์ผิดให้แก้แล้วส่งอีกครั้ง", severity=WARNING,
        ))
    if monthly.report_date:
        last = date(monthly.year + monthly.month // 12, monthly.month % 12 + 1, 1)
        if monthly.report_date < first or (monthly.report_date - last).days > REPORT_DATE_SLACK_DAYS:
            problems.append(Problem(
                f"วันที่รายงาน ({thai.thai_date(monthly.report_date)}) ห่างจากเดือนที่รายงาน ({month_text}) มากผิดปกติ",
                sheet=monthly.sheet, row=rows.get("month", 0), col=2, label=label["month"].title, value=month_text,
                hint="ตรวจเดือนที่รายงานและวันที่รายงานว่าพิมพ์ปี พ.ศ. หรือเดือนผิดหรือไม่", severity=WARNING,
            ))
    return problems
