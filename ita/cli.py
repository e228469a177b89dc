"""The `ita` command line."""

from __future__ import annotations

import errno
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ita import settings, thai
from ita.settings import SETTINGS_BY_NAME, Config

# Piped output (a log, a cron mail) gets room for the twelve month columns.
console = Console(width=None if sys.stdout.isatty() else 160)


def setting_options(*names: str) -> Callable:
    """Click options for the named settings, with their env var and help."""

    def decorate(command: Callable) -> Callable:
        for name in reversed(names):
            s = SETTINGS_BY_NAME[name]
            if s.flag:
                option = click.option(f"--{name.replace('_', '-')}", name, is_flag=True, default=None,
                                      envvar=s.env, show_envvar=True, help=s.help)
            else:
                option = click.option(f"--{name.replace('_', '-')}", name, default=None, envvar=s.env,
                                      show_envvar=True, help=f"{s.help} [ค่าเริ่มต้น: {s.default or 'ไม่มี'}]")
            command = option(command)
        return command

    return decorate


class ThaiError(click.BadParameter):
    """A value the user gave that cannot be used: one Thai line naming the
    option and an example of what is accepted, exit status 2, no traceback
    and none of click's English framing ("Usage:", "Invalid value for")."""

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:
        click.echo(f"ผิดพลาด: {self.format_message()}", file=file, err=file is None)


class _ThaiGroup(click.Group):
    """Click's own usage errors (an unknown option, a missing one, a value
    its types reject), said in Thai."""

    def main(self, *args, **kwargs):
        kwargs["prog_name"] = "ita"  # also under `python -m ita.cli`
        if not kwargs.pop("standalone_mode", True):  # a caller that handles click's exceptions itself
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.Abort:
            click.echo("ยกเลิก", err=True)
            sys.exit(1)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except ThaiError as error:
            error.show()
            sys.exit(error.exit_code)
        except click.UsageError as error:
            ThaiError(_thai_usage(error)).show()
            sys.exit(error.exit_code)
        except click.ClickException as error:
            click.echo(f"ผิดพลาด: {error.format_message()}", err=True)
            sys.exit(error.exit_code)


def _thai_usage(error: click.UsageError) -> str:
    command = error.ctx.command_path if error.ctx else "ita"
    see = f"ดูตัวเลือกทั้งหมดด้วย {command} --help"
    if isinstance(error, click.exceptions.NoSuchOption):
        close = f" (หมายถึง {' หรือ '.join(error.possibilities)} หรือไม่)" if error.possibilities else ""
        return f"ไม่มีตัวเลือก {error.option_name}{close} {see}"
    if isinstance(error, click.exceptions.MissingParameter) and error.param is not None:
        return f"ต้องระบุ {error.param.opts[0] if error.param.opts else error.param.name} {see}"
    if isinstance(error, click.exceptions.BadOptionUsage):
        return f"ตัวเลือก {error.option_name} ต้องมีค่าตามหลัง {see}"
    if isinstance(error, click.BadParameter) and error.param is not None:
        return f"{error.param.opts[0] if error.param.opts else error.param.name}: ค่า '{error.message}' ใช้ไม่ได้ {see}"
    return f"{error.format_message()} {see}"


class _Year(click.ParamType):
    """A year, Buddhist or Common Era."""

    name = "ปี"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if not (text.isdigit() and 1900 <= int(text) <= 2700):
            raise ThaiError(f"{param.opts[0]}: '{value}' ไม่ใช่ปี ใช้ปี พ.ศ. หรือ ค.ศ. เช่น 2567 หรือ 2024")
        return int(text)


YEAR = _Year()


def _config(**given: object) -> Config:
    try:
        return settings.resolve(**given)
    except ValueError as error:
        raise ThaiError(str(error)) from None


# errno → what is wrong with a folder, in words a clerk's IT officer can act on
_FOLDER_PROBLEMS = {
    errno.ENOTDIR: "มีไฟล์ที่ไม่ใช่โฟลเดอร์อยู่ในเส้นทางนี้",
    errno.EEXIST: "มีไฟล์ที่ไม่ใช่โฟลเดอร์ชื่อนี้อยู่แล้ว",
    errno.EACCES: "ไม่มีสิทธิ์เขียน",
    errno.EPERM: "ไม่มีสิทธิ์เขียน",
    errno.EROFS: "ระบบไฟล์นี้อ่านได้อย่างเดียว",
    errno.ENOSPC: "พื้นที่ดิสก์เต็ม",
}


def _check_writable(config: Config, *names: str) -> None:
    """Each named folder exists or can be made, and takes a file: found
    before the run starts, not as a traceback half-way through it."""
    for name in names:
        folder: Path = getattr(config, name)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as error:
            why = _FOLDER_PROBLEMS.get(error.errno, error.strerror or str(error))
            setting = SETTINGS_BY_NAME[name]
            raise ThaiError(f"--{name} (หรือ {setting.env}): เขียนโฟลเดอร์ '{folder}' ไม่ได้ ({why}) "
                            f"ระบุโฟลเดอร์ที่เขียนได้ เช่น --{name} /srv/share/ita-{name}") from None


@click.group(cls=_ThaiGroup, help="ระบบรวบรวมรายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส (ITA)")
def main() -> None:
    pass


@main.command(help="ทำงานทั้งกระบวนการหนึ่งรอบทันที: รับไฟล์ใหม่จากโฟลเดอร์รับ แล้วสร้างเอกสารทั้งหมดใหม่")
@setting_options("inbox", "outbox", "data", "memo_date", "font", "settle_seconds", "pdf", "dask_address")
def run(**given: object) -> None:
    config = _config(**given)
    _check_writable(config, "outbox", "data")
    _prefect_home(config)
    from flows.nightly import nightly  # Prefect is slow to import: only when running
    from ita import terminal

    log_file = terminal.log_to_file(config.data)
    with terminal.shown(console):
        result = nightly(
            inbox_dir=str(config.inbox), outbox_dir=str(config.outbox), data_dir=str(config.data),
            memo_date=config.memo_date.isoformat() if config.memo_date else "", pdf=config.pdf,
            dask_address=config.dask_address,
        )
    table = Table(title="ผลการทำงานรอบนี้", show_lines=False)
    table.add_column("รายการ")
    table.add_column("จำนวน", justify="right")
    for key, word in (("accepted", "ไฟล์ที่รับ"), ("rejected", "ไฟล์ที่ถูกปฏิเสธ"),
                      ("duplicates", "ไฟล์ซ้ำกับที่เคยรับ"), ("waiting", "ไฟล์ที่รอคัดลอกเสร็จ (รอบหน้า)"),
                      ("written", "เอกสารที่เขียนใหม่"), ("pdf", "PDF ที่เขียนใหม่"),
                      ("pdf_failed", "PDF ที่เขียนไม่สำเร็จ")):
        table.add_row(word, str(len(result[key])))
    console.print(table)
    for docx, reason in result["pdf_failed"].items():
        console.print(f"เขียน PDF ของ {docx} ไม่ได้: {reason}")
    if result["rejected"]:
        console.print(f"ดูเหตุผลของไฟล์ที่ถูกปฏิเสธได้ในโฟลเดอร์ '…/ไฟล์ที่ถูกปฏิเสธ' ใต้ {config.outbox}")
    console.print(f"เอกสารอยู่ที่ {config.outbox}")
    console.print(f"บันทึกการทำงานโดยละเอียดอยู่ที่ {log_file}")


def _prefect_home(config: Config) -> None:
    """Prefect's run history lives in the data folder unless the IT officer
    points it elsewhere, so nothing is written to the home directory."""
    os.environ.setdefault("PREFECT_HOME", str(config.data / "prefect"))
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The client's usage data too, and with it Prefect's English notice about
    # it on a person's terminal.
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # A fresh PREFECT_HOME migrates its database first: ~17 s here, past
    # Prefect's 20 s default on a busy machine (notes/perf-detail.md §5).
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


@main.group(help="เขียนแบบฟอร์มเปล่าที่พร้อมกรอก")
def template() -> None:
    pass


@template.command("setup", help="แบบฟอร์มข้อมูลประจำปี (หน่วยงาน ส่วนราชการ ผู้ลงนาม มาตรการ แนวทาง ผลITA)")
@click.option("--year", "year", type=YEAR, default=None, help="ปีงบประมาณ พ.ศ. [ค่าเริ่มต้น: ปีงบประมาณปัจจุบัน]")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="ไฟล์ .xlsx ที่จะเขียน")
def template_setup(year: int | None, output: Path) -> None:
    from ita.xlsx_templates import setup_template, today_fiscal_year

    fiscal_year = thai.be_year(year) if year else today_fiscal_year(date.today())
    _write(output, setup_template(fiscal_year))


@template.command("monthly", help="แบบรายงานผลการดำเนินงานประจำเดือนของส่วนราชการหนึ่ง (อ่านแผนจากข้อมูลประจำปี)")
@click.option("--division", required=True, help="ชื่อส่วนราชการตามข้อมูลประจำปี")
@click.option("--month", required=True, help="เดือนที่รายงาน เช่น 'ตุลาคม 2565', 'ต.ค. 65' หรือ 2022-10")
@click.option("--setup", "setup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="ไฟล์ข้อมูลประจำปี [ค่าเริ่มต้น: ข้อมูลประจำปีล่าสุดในฐานข้อมูล]")
@click.option("--body", default=None, help="ชื่อหน่วยงาน (เมื่อฐานข้อมูลมีหลายหน่วยงาน)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="ไฟล์ .xlsx ที่จะเขียน")
@setting_options("data")
def template_monthly(division: str, month: str, setup_file: Path | None, body: str | None, output: Path, **given: object) -> None:
    from ita import plans
    from ita.xlsx_templates import month_of_fiscal_year, monthly_template

    try:
        year_month = month_of_fiscal_year(month)
    except ValueError:
        raise ThaiError(f"--month: อ่านเดือน '{month}' ไม่ได้ ใช้รูปแบบเช่น 'ตุลาคม 2565', 'ต.ค. 65' หรือ 2022-10") from None
    fiscal_year = thai.fiscal_year(*year_month)
    try:
        plan = (plans.plan_from_file(setup_file) if setup_file
                else plans.plan_from_store(_config(**given).database, fiscal_year, body))
    except plans.PlanNotFound as error:
        raise ThaiError(str(error)) from None
    if plan.fiscal_year != fiscal_year:
        raise ThaiError(f"--month: เดือน '{month}' ไม่อยู่ในปีงบประมาณ {plan.fiscal_year} ของข้อมูลประจำปี "
                        f"ใช้เดือนตั้งแต่ ต.ค. {plan.fiscal_year - 1} ถึง ก.ย. {plan.fiscal_year}")
    known = {thai.label_key(d): d for d in plan.divisions}
    if thai.label_key(division) not in known:
        raise ThaiError(f"--division: ไม่มีส่วนราชการ '{division}' ในข้อมูลประจำปี ใช้ชื่อใดชื่อหนึ่งต่อไปนี้: " + ", ".join(plan.divisions))
    _write(output, monthly_template(plan, known[thai.label_key(division)], year_month))


def _write(output: Path, data: bytes) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    console.print(f"เขียนแบบฟอร์มแล้ว: {output}")


@main.command(help="สถานะการส่งรายงานประจำเดือนของแต่ละส่วนราชการ")
@click.option("--body", default="", help="แสดงเฉพาะหน่วยงานนี้")
@click.option("--year", "year", type=YEAR, default=None, help="แสดงเฉพาะปีงบประมาณนี้ (พ.ศ.)")
@setting_options("data")
def status(body: str, year: int | None, **given: object) -> None:
    from ita.status_view import status_tables
    from ita.store import Store
    from ita.submission_status import STATUS_WORDS, effective_status

    config = _config(**given)
    if not config.database.exists():
        console.print("ยังไม่มีข้อมูล: ให้รัน ita run ก่อน")
        return
    with Store(config.database, read_only=True) as store:
        rows = store.query("status_all", body_key=thai.label_key(body))
    if year:
        rows = [r for r in rows if r["fiscal_year"] == thai.be_year(year)]
    if not rows:
        console.print("ไม่พบข้อมูลสถานะตามที่ระบุ")
        return
    marks = {"received": "[green]✓[/]", "rejected": "[red]✗[/]", "missing": "[yellow]·[/]", "not_due": " "}
    today = date.today()
    groups: dict[tuple[str, int], dict[str, dict]] = {}
    for r in rows:
        groups.setdefault((r["body"], r["fiscal_year"]), {}).setdefault(r["division"], {})[r["month"]] = r
    for (body_name, fiscal_year), divisions in groups.items():
        months = thai.fiscal_months(fiscal_year)
        cells = {division: [marks[effective_status(by_month[date(y, m, 1)]["status"], date(y, m, 1), today)]
                            for y, m in months] for division, by_month in divisions.items()}
        for table in status_tables(f"{body_name} ปีงบประมาณ {fiscal_year}", months, cells, console.width):
            console.print(table)
    console.print("✓ " + STATUS_WORDS["received"] + "   ✗ " + STATUS_WORDS["rejected"] + "   · " + STATUS_WORDS["missing"])


@main.command(help="ให้บริการรอบทำงานทุกคืนผ่าน Prefect ตามตารางเวลา (cron เวลาไทย)")
@click.option("--cron", default="0 2 * * *", show_default=True, help="ตารางเวลาแบบ cron")
@click.option("--timezone", default="Asia/Bangkok", show_default=True, help="เขตเวลาของตารางเวลา")
@setting_options("inbox", "outbox", "data", "dask_address")
def serve(cron: str, timezone: str, **given: object) -> None:
    from ita import serving

    config = _config(**given)
    try:
        serving.check_schedule(cron, timezone)
    except ValueError as error:
        raise ThaiError(str(error)) from None
    _check_writable(config, "outbox", "data")
    _prefect_home(config)
    serving.serve(config, cron, timezone)


if __name__ == "__main__":
    sys.exit(main())
