"""Write the bundled sample inbox: FY 2566 of อบต.ตาอ็อง (sample/taong_fy2566.py,
transcribed from the seed memo and report).

The workbooks are made the way clerks get theirs, through `ita template`, and
then filled in as clerks do: each division copies last month's sheet and adds
to it, so bullets repeat month after month and the consolidation must keep
each once, in the order first reported. A few sheets use other notations the
SPEC allows (abbreviated months, Thai digits, date cells), one month is
resubmitted with a later report date, one sheet is rejected, and one division
misses the last month.

    .venv/bin/python scripts/make_sample_inbox.py [--output inbox]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from datetime import date, datetime
from pathlib import Path

from ita import thai
from ita.cli import main as ita
from ita.records import divisions_named
from sample import fill
from sample import taong_fy2566 as sample
from schemas import monthly as monthly_schema

FISCAL_YEAR = sample.ORGANISATION["ปีงบประมาณ"]
MONTHS = thai.fiscal_months(FISCAL_YEAR)
REPORTERS = {
    "สำนักปลัด": ("จ่าสิบเอกสมปอง เอ็บอิม", "เจ้าพนักงานธุรการชำนาญงาน"),
    "กองคลัง": ("นางสาวกาญจนา ศรีสุข", "นักวิชาการเงินและบัญชีชำนาญการ"),
    "กองช่าง": ("นายประเสริฐ มั่นคง", "นายช่างโยธาชำนาญงาน"),
    "กองการศึกษา": ("นางสุภาพร ใจงาม", "นักวิชาการศึกษาชำนาญการ"),
    "กองสวัสดิการสังคม": ("นางสาวมาลี บุญมา", "นักพัฒนาชุมชนชำนาญการ"),
    "งานตรวจสอบภายใน": ("นายอนุชา ทองดี", "นักวิชาการตรวจสอบภายในชำนาญการ"),
}
# The last month a division reports (missing months show in the status).
LAST_MONTH = {"กองสวัสดิการสังคม": 10}
RESUBMITTED = ("กองคลัง", 3)  # (division, month index): a corrected second version
REJECTED = ("กองช่าง", 1)  # a first attempt with mistakes, then the good sheet


def run_ita(*args: str) -> None:
    ita.main(list(args), standalone_mode=False)


def first_month(index: int, count: int) -> int:
    """The month (0 = October) in which bullet `index` of `count` is first
    reported: spread over the year, the last one in September."""
    if count <= 1:
        return 0
    return round(index * 11 / (count - 1))


def fill_setup(path: Path) -> None:
    book = fill.open_book(path)
    fill.set_keys(book["หน่วยงาน"], sample.ORGANISATION)
    fill.set_rows(book["ส่วนราชการ"], "ส่วนราชการ", [{"ส่วนราชการ": d} for d in sample.DIVISIONS])
    fill.set_rows(book["ผู้ลงนาม"], "บทบาท", [{"ลำดับ": o, "บทบาท": role, "ชื่อ": name, "ตำแหน่ง": pos}
                                           for o, role, name, pos in sample.SIGNATORIES])
    fill.set_rows(book["มาตรการ"], "กลุ่มการประเมิน", [
        {"ลำดับ": m["no"], "กลุ่มการประเมิน": m["group"], "มาตรการ/แนวทาง": m["title"],
         "ขั้นตอนหรือวิธีการดำเนินงาน": "\n".join(m["steps"]), "ผู้รับผิดชอบ": "\n".join(m["responsible"]),
         "ระยะเวลาดำเนินการ": m["period"]}
        for m in sample.MEASURES
    ])
    fill.set_rows(book["แนวทาง"], "แนวทาง", [{"ลำดับ": n, "แนวทาง": t} for n, t in enumerate(sample.GUIDELINES, start=1)])
    ita_sheet = book["ผลITA"]
    columns = fill.header_columns(ita_sheet, 1)
    keys = fill.key_rows(ita_sheet)
    for key, (name, values) in sample.ITA_SCORES.items():
        row = keys[thai.label_key(key)]
        if name:
            ita_sheet.cell(row, 2, name)
        for year, value in zip(sample.ITA_YEARS, values):
            ita_sheet.cell(row, columns[thai.label_key(f"ปี {year}")], value)
    note_col = ita_sheet.max_column + 1
    ita_sheet.cell(1, note_col, "หมายเหตุ")
    ita_sheet.cell(2, note_col, sample.INVENTED_NOTE)
    fill.save(book, path, datetime(2023, 10, 2, 9, 0))


def measure_divisions() -> dict[int, list[str]]:
    return {m["no"]: divisions_named("\n".join(m["responsible"]), sample.DIVISIONS) for m in sample.MEASURES}


def bullets_until(items: list[str], month: int, lag: int = 0) -> list[str]:
    return [b for i, b in enumerate(items) if first_month(i, len(items)) + lag <= month]


def retyped(bullet: str) -> str:
    """How another division retypes a bullet it copies: its own dash and spacing."""
    return "- " + bullet.lstrip("-– ").strip()


def fill_monthly(path: Path, division: str, month: int, variant: str = "") -> None:
    book = fill.open_book(path)
    sheet = book[monthly_schema.SHEET]
    rows = fill.key_rows(sheet)
    year, month_number = MONTHS[month]
    reporter, position = REPORTERS[division]
    sheet.cell(rows[thai.label_key("ผู้รายงาน")], 2, reporter)
    sheet.cell(rows[thai.label_key("ตำแหน่ง")], 2, position)
    report_day = date(year + (month_number == 12), month_number % 12 + 1, 5)
    if variant == "resubmitted":
        report_day = report_day.replace(day=12)
    # Divisions write the month and date their own way; all are SPEC notations.
    if division == "กองคลัง":
        sheet.cell(rows[thai.label_key("ประจำเดือน")], 2, f"{thai.thai_month_abbr(year, month_number)[:-2]} {str(year + 543)[2:]}")
        sheet.cell(rows[thai.label_key("วันที่รายงาน")], 2, datetime(report_day.year, report_day.month, report_day.day))
    elif division == "กองการศึกษา":
        sheet.cell(rows[thai.label_key("ประจำเดือน")], 2, datetime(year, month_number, 1))
        sheet.cell(rows[thai.label_key("วันที่รายงาน")], 2, f"{report_day.day:02d}/{report_day.month:02d}/{report_day.year + 543}")
    else:
        sheet.cell(rows[thai.label_key("วันที่รายงาน")], 2, thai.thai_date(report_day))

    header_row = fill.header_row(sheet, "ลำดับมาตรการ")
    columns = fill.header_columns(sheet, header_row)
    col = {name: columns[thai.label_key(c.title)] for name, c in monthly_schema.ROWS.columns.items()}
    plan = {m["no"]: m for m in sample.MEASURES}
    owners = measure_divisions()
    r = header_row + 1
    while sheet.cell(r, col["measure_no"]).value is not None:
        measure = plan[int(sheet.cell(r, col["measure_no"]).value)]
        primary = owners[measure["no"]][0] == division
        lag = 0 if primary else 1
        summary = bullets_until(measure["summary"], month, lag)
        outcomes = bullets_until(measure["outcomes"], month, lag)
        if not primary:
            summary, outcomes = [retyped(b) for b in summary], [retyped(b) for b in outcomes]
        if variant == "superseded" and summary:
            summary = summary + ["-ร่างรายงาน (ฉบับนี้ถูกแทนที่ด้วยฉบับแก้ไข)"]
        steps = measure["steps"]
        activity = f"ดำเนินการตามขั้นตอน {steps[month % len(steps)]}"
        sheet.cell(r, col["activity"], activity)
        sheet.cell(r, col["result"], "\n".join(summary) or None)
        sheet.cell(r, col["outcome"], "\n".join(outcomes) or None)
        done = month == 11
        progress = round((month + 1) * 100 / 12)
        if variant == "rejected":
            sheet.cell(r, col["status"], "เสร็จแล้ว")
            sheet.cell(r, col["progress"], progress + 100)
        else:
            sheet.cell(r, col["status"], "ดำเนินการแล้ว" if done else "อยู่ระหว่างดำเนินการ")
            # Some clerks type Thai digits.
            sheet.cell(r, col["progress"], thai.to_thai_digits(progress) if division == "สำนักปลัด" else progress)
        if month in (2, 5, 8, 11):
            sheet.cell(r, col["evidence"], f"https://www.taong.go.th/ita/{FISCAL_YEAR}/m{measure['no']}/{month + 1}")
        r += 1
    fill.save(book, path, datetime(report_day.year, report_day.month, report_day.day, 16, 0))


def convert(path: Path, suffix: str, filter_name: str) -> Path | None:
    """Save a copy in an older format through LibreOffice, when installed."""
    soffice = shutil.which("soffice")
    if not soffice:
        return None
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as out:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                        f"{suffix.lstrip('.')}:{filter_name}", "--outdir", out, str(path)],
                       check=True, capture_output=True, timeout=180)
        (converted,) = Path(out).iterdir()
        target = path.with_suffix(suffix)
        shutil.move(converted, target)
    path.unlink()
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("inbox"))
    output = parser.parse_args().output
    output.mkdir(parents=True, exist_ok=True)
    for old in output.iterdir():
        if old.is_file():
            old.unlink()
    setup = output / f"ข้อมูลประจำปี {FISCAL_YEAR}.xlsx"
    run_ita("template", "setup", "--year", str(FISCAL_YEAR), "-o", str(setup))
    fill_setup(setup)

    owners = measure_divisions()
    reporting = [d for d in sample.DIVISIONS if any(d in owned for owned in owners.values())]
    for division in reporting:
        for month in range(LAST_MONTH.get(division, 11) + 1):
            year, month_number = MONTHS[month]
            stem = f"รายงาน_{division}_{thai.thai_month_abbr(year, month_number)}"
            versions = [("", stem)]
            if (division, month) == RESUBMITTED:
                versions = [("superseded", stem), ("resubmitted", f"{stem} (แก้ไข)")]
            if (division, month) == REJECTED:
                versions = [("rejected", f"สำเนาของ {stem}"), ("", stem)]
            for variant, name in versions:
                path = output / f"{name}.xlsx"
                run_ita("template", "monthly", "--setup", str(setup), "--division", division,
                        "--month", f"{thai.thai_month_year(year, month_number)}", "-o", str(path))
                fill_monthly(path, division, month, variant)
    # Divisions still save in older formats: one sheet each as .xls and .ods.
    convert(output / f"รายงาน_กองการศึกษา_{thai.thai_month_abbr(*MONTHS[0])}.xlsx", ".xls", "MS Excel 97")
    convert(output / f"รายงาน_งานตรวจสอบภายใน_{thai.thai_month_abbr(*MONTHS[0])}.xlsx", ".ods", "calc8")


if __name__ == "__main__":
    main()
