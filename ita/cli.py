"""The `ita` command line."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

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
    its types reject), said in Thai; a database newer than the program, or
    held by a run still going, said without a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except Exception as error:
            # Only a store already imported can have refused its database.
            store = sys.modules.get("ita.store")
            if store and isinstance(error, (store.DatabaseTooNew, store.StoreBusy)):
                raise click.ClickException(str(error)) from None
            raise

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


@click.group(cls=_ThaiGroup, help="ระบบรวบรวมรายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส (ITA)")
def main() -> None:
    pass


@main.command(help="ทำงานทั้งกระบวนการหนึ่งรอบทันที: รับไฟล์ใหม่จากโฟลเดอร์รับ แล้วสร้างเอกสารทั้งหมดใหม่")
@setting_options(*SETTINGS_BY_NAME)
def run(**given: object) -> None:
    from ita.store import Store

    config = _config(**given)

    Store.refuse_if_newer(config.database)  # before any folder is made: a newer program's data is left as it is
    _stop_unless_writable(config)
    _prefect_home(config)
    from ita import terminal
    from ita.night_failure import NightFailed
    from ita.pipeline import nightly_flow  # Prefect is slow to import: only when running
    from ita.lock import RunInProgress, run_lock
    from ita.serving import ServerDidNotStart, temporary_server

    nightly = nightly_flow()  # imports Prefect, which sets up its console logging …
    log_file = terminal.log_to_file(config.data)  # … that then goes to the log file instead
    try:
        # The lock before the server: a run already going has Prefect's database (ita.lock).
        with terminal.shown(console), run_lock(config.data), temporary_server(log_file):
            state = nightly(settings=settings.as_mapping(config), return_state=True)
    except (ServerDidNotStart, RunInProgress) as error:
        _stop([str(error)])
    result = state.result(raise_on_failure=False)
    from ita.store import DatabaseTooNew

    if isinstance(result, DatabaseTooNew):  # the program is older than the data: said plainly
        raise click.ClickException(str(result))
    failure = result if isinstance(result, NightFailed) else None
    if isinstance(result, BaseException) and failure is None:
        failure = NightFailed([f"การทำงานรอบนี้หยุดกลางคันเพราะข้อผิดพลาดของโปรแกรม: {result} (ดูรายละเอียดในบันทึกของ Prefect)"])
    if failure:
        result = failure.result
    if result:
        _print_summary(result, config)
    console.print(f"บันทึกการทำงานโดยละเอียดอยู่ที่ {log_file}", markup=False, highlight=False)
    if failure:
        _stop(failure.problems)


def _stop_unless_writable(config: Config) -> None:
    """Before Prefect starts: its run history goes in the data folder, the documents in the outbox."""
    from ita import folders

    unusable = [problem for problem in (folders.writable_problem(config.outbox, "ผลลัพธ์ (outbox)"),
                                        folders.writable_problem(config.data, "ข้อมูล (data)")) if problem]
    if unusable:
        _stop(unusable)


def _print_summary(result: dict, config: Config) -> None:
    table = Table(title="ผลการทำงานรอบนี้", show_lines=False)
    table.add_column("รายการ")
    table.add_column("จำนวน", justify="right")
    for key, word in (("accepted", "ไฟล์ที่รับ"), ("rejected", "ไฟล์ที่ถูกปฏิเสธ"),
                      ("duplicates", "ไฟล์ซ้ำกับที่เคยรับ"), ("waiting", "ไฟล์ที่รอคัดลอกเสร็จ (รอบหน้า)"),
                      ("superseded_setups", "ข้อมูลประจำปีที่ถูกแทนที่ด้วยฉบับใหม่"),
                      ("written", "เอกสารที่เขียนใหม่"), ("edited", "เอกสารที่มีผู้แก้ไข (เขียนฉบับใหม่ไว้ข้างกัน)"),
                      ("pdf", "PDF ที่เขียนใหม่"), ("pdf_failed", "PDF ที่เขียนไม่สำเร็จ")):
        table.add_row(word, str(len(result.get(key, []))))
    for name in result.get("superseded_setups", []):
        console.print(f"ข้อมูลประจำปีที่ไม่ได้ใช้ (มีฉบับที่บันทึกภายหลังของปีเดียวกัน): {name}", markup=False)
    console.print(table)
    for docx, reason in result.get("pdf_failed", {}).items():
        console.print(f"เขียน PDF ของ {docx} ไม่ได้: {reason}", markup=False, highlight=False)
    for edited in result.get("edited", []):
        console.print(f"มีผู้แก้ไข {edited['path']} จึงไม่เขียนทับ ฉบับใหม่อยู่ที่ {edited['new_version']}",
                      soft_wrap=True, markup=False, highlight=False)
    if result["rejected"]:
        console.print("ไฟล์ที่ถูกปฏิเสธ:", markup=False)
        for name in result["rejected"]:
            console.print(f"  - {name}", markup=False, highlight=False)
        console.print(f"ดูเหตุผลของไฟล์ที่ถูกปฏิเสธได้ในโฟลเดอร์ '…/ไฟล์ที่ถูกปฏิเสธ' ใต้ {config.outbox}", markup=False)
    console.print(f"เอกสารอยู่ที่ {config.outbox}", markup=False)


def _stop(problems: list[str]) -> None:
    """The run could not do all its work: say what, in Thai, and exit 1."""
    errors = Console(stderr=True, width=None if sys.stderr.isatty() else 160)
    errors.print("การทำงานรอบนี้ไม่สำเร็จ:", style="bold red")
    for problem in problems:
        # One problem a line, unwrapped however long its path: the IT officer copies it.
        errors.print(f"  - {problem}", markup=False, highlight=False, soft_wrap=True)
    sys.exit(1)


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
    # Prefect's 20 s default on a busy machine (docs/performance.md, Prefect).
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


@main.group(help="เขียนแบบฟอร์มเปล่าที่พร้อมกรอก")
def template() -> None:
    pass


@template.command("setup", help="แบบฟอร์มข้อมูลประจำปี (หน่วยงาน ส่วนราชการ ผู้ลงนาม มาตรการ แนวทาง ผลITA)")
@click.option("--year", "year", type=YEAR, default=None, help="ปีงบประมาณ พ.ศ. [ค่าเริ่มต้น: ปีงบประมาณปัจจุบัน]")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="ไฟล์ .xlsx ที่จะเขียน")
@setting_options("font")
def template_setup(year: int | None, output: Path, **given: object) -> None:
    from ita.xlsx_templates import setup_template, today_fiscal_year

    fiscal_year = thai.be_year(year) if year else today_fiscal_year(date.today())
    _write(output, setup_template(fiscal_year, font=_config(**given).font))


@template.command("monthly", help="แบบรายงานผลการดำเนินงานประจำเดือนของส่วนราชการหนึ่ง (อ่านแผนจากข้อมูลประจำปี)")
@click.option("--division", required=True, help="ชื่อส่วนราชการตามข้อมูลประจำปี")
@click.option("--month", required=True, help="เดือนที่รายงาน เช่น 'ตุลาคม 2565', 'ต.ค. 65' หรือ 2022-10")
@click.option("--setup", "setup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="ไฟล์ข้อมูลประจำปี [ค่าเริ่มต้น: ข้อมูลประจำปีล่าสุดในฐานข้อมูล]")
@click.option("--body", default=None, help="ชื่อหน่วยงาน (เมื่อฐานข้อมูลมีหลายหน่วยงาน)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="ไฟล์ .xlsx ที่จะเขียน")
@setting_options("data", "font")
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
    _write(output, monthly_template(plan, known[thai.label_key(division)], year_month, font=_config(**given).font))


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
    from ita.submission_status import STATUS_WORDS

    config = _config(**given)
    if not config.database.exists():
        console.print("ยังไม่มีข้อมูล: ให้รัน ita run ก่อน")
        return
    with Store(config.database, read_only=True) as store:
        rows = store.query("status_all", body_key=thai.label_key(body), today=date.today())
    if year:
        rows = [r for r in rows if r["fiscal_year"] == thai.be_year(year)]
    if not rows:
        console.print("ไม่พบข้อมูลสถานะตามที่ระบุ")
        return
    marks = {"received": "[green]✓[/]", "rejected": "[red]✗[/]", "missing": "[yellow]·[/]", "not_due": " "}
    groups: dict[tuple[str, int], dict[str, dict]] = {}
    for r in rows:
        groups.setdefault((r["body"], r["fiscal_year"]), {}).setdefault(r["division"], {})[r["month"]] = r
    for (body_name, fiscal_year), divisions in groups.items():
        months = thai.fiscal_months(fiscal_year)
        cells = {division: [marks[by_month[date(y, m, 1)]["status"]]
                            for y, m in months] for division, by_month in divisions.items()}
        for table in status_tables(f"{body_name} ปีงบประมาณ {fiscal_year}", months, cells, console.width):
            console.print(table)
    console.print("✓ " + STATUS_WORDS["received"] + "   ✗ " + STATUS_WORDS["rejected"] + "   · " + STATUS_WORDS["missing"])


@main.command(help="ตรวจไฟล์ทันทีด้วยการตรวจเดียวกับรอบกลางคืน (เทียบกับข้อมูลประจำปีในฐานข้อมูล) "
                   "โดยไม่รับไฟล์เข้า ไม่ย้ายไฟล์ และไม่แก้ฐานข้อมูล — ออกด้วยรหัส 0 เมื่อทุกไฟล์ผ่าน, 1 เมื่อมีไฟล์ที่จะถูกปฏิเสธ")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="โฟลเดอร์ที่จะเขียนรายงานไฟล์ที่ถูกปฏิเสธและสำเนาที่ระบายเซลล์ที่ต้องแก้ [ค่าเริ่มต้น: ไม่เขียน]")
@setting_options("data", "font")
def check(files: tuple[Path, ...], out_dir: Path | None, **given: object) -> None:
    from ita.check import check_files, errors_of, write_reports

    config = _config(**given)
    with console.status("กำลังตรวจไฟล์ …"):
        results = check_files(list(files), config)
    for result in results:
        errors = errors_of(result)
        verdict = (f"[red]จะถูกปฏิเสธ[/] (ต้องแก้ {len(errors)} รายการ)" if result.rejected
                   else "[green]ผ่านการตรวจ[/]")
        # One problem a line, unwrapped: a clerk copies them into a reply.
        console.print(f"{result.path}: {verdict}", highlight=False, soft_wrap=True)
        for n, problem in enumerate(errors, start=1):
            console.print(f"  {n}. {problem.describe()}", markup=False, highlight=False, soft_wrap=True)
        for problem in (p for p in result.problems if p not in errors):
            console.print(f"  ข้อสังเกต: {problem.describe()}", markup=False, highlight=False, soft_wrap=True)
        if out_dir:
            for path in write_reports(result, out_dir, font=config.font):
                console.print(f"  เขียนแล้ว: {path}", markup=False, highlight=False, soft_wrap=True)
    if any(r.rejected for r in results):
        sys.exit(1)


@main.command(help="รายงานผลการดำเนินการตามมาตรการของช่วงเดือนหนึ่งในปีงบประมาณเดียว (เช่น ไตรมาส หรือตั้งแต่ต้นปีถึงเดือนนี้) "
                   "พร้อมบันทึกข้อความนำเสนอเพื่อโปรดทราบ จากรายงานประจำเดือนในฐานข้อมูล โดยไม่แก้ฐานข้อมูล "
                   "และไม่เขียนทับไฟล์เดิมที่มีอยู่ (เขียนฉบับใหม่ไว้ข้างกัน)")
@click.option("--from", "first", required=True, help="เดือนแรกของช่วง เช่น 'ม.ค. 66', 'มกราคม 2566' หรือ 2023-01")
@click.option("--to", "last", required=True, help="เดือนสุดท้ายของช่วง ในปีงบประมาณเดียวกับ --from")
@click.option("--body", default=None, help="ชื่อหน่วยงาน (เมื่อฐานข้อมูลมีหลายหน่วยงาน)")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="โฟลเดอร์ที่จะเขียน [ค่าเริ่มต้น: <โฟลเดอร์ผลลัพธ์>/<หน่วยงาน>/<ปีงบประมาณ>/รายงานตามช่วงเดือน]")
@setting_options("outbox", "data", "memo_date", "font")
def report(first: str, last: str, body: str | None, out_dir: Path | None, **given: object) -> None:
    from ita.period import BadPeriod, period_of
    from ita.period_report import CannotReport, write_period_documents
    from ita.xlsx_templates import month_of_fiscal_year

    months = []
    for option, text in (("--from", first), ("--to", last)):
        try:
            months.append(month_of_fiscal_year(text))
        except ValueError:
            raise ThaiError(f"{option}: อ่านเดือน '{text}' ไม่ได้ ใช้รูปแบบเช่น 'ตุลาคม 2565', 'ต.ค. 65' หรือ 2022-10") from None
    try:
        period = period_of(*months)
    except BadPeriod as error:
        raise ThaiError(str(error)) from None
    config = _config(**given)
    try:
        with console.status("กำลังสร้างรายงาน …"):
            written = write_period_documents(config, period, body, out_dir, date.today())
    except CannotReport as error:
        raise click.ClickException(str(error)) from None
    for w in written:
        state = "เขียนแล้ว" if w.changed else "ไม่เปลี่ยนแปลง (ไฟล์เดิมตรงกันแล้ว)"
        console.print(f"{state}: {w.path}", markup=False, highlight=False, soft_wrap=True)


# A bullet copied from a document often starts with "-": it is text, not an option.
@main.command(help="ที่มาของข้อความหนึ่งในเอกสาร: ไฟล์ที่ส่ง แผ่นงาน แถว เซลล์ และวันที่ได้รับ",
              context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True, metavar="TEXT")
@setting_options("data")
def trace(words: tuple[str, ...], **given: object) -> None:
    import duckdb

    from ita import trace as tracing
    from ita.store import Store

    config = _config(**given)
    text = " ".join(words)
    if not config.database.exists():
        console.print("ยังไม่มีข้อมูล: ให้รัน ita run ก่อน")
        sys.exit(1)
    try:
        with Store(config.database, read_only=True) as store:
            found = tracing.find(store, text, config.data)
    except duckdb.CatalogException:
        console.print("ฐานข้อมูลยังไม่มีข้อมูลที่มาของข้อความ: ให้รัน ita run อีกครั้งก่อน")
        sys.exit(1)
    if not found:
        console.print(f"ไม่พบข้อความ '{thai.one_line(text)}' ในเอกสารของหน่วยงานใด", markup=False)
        sys.exit(1)
    for n, f in enumerate(found, start=1):
        table = Table(title=f"ที่มา {n} จาก {len(found)}", show_header=False, title_justify="left")
        table.add_column("หัวข้อ", no_wrap=True)
        table.add_column("ค่า", overflow="fold")
        for label, value in tracing.lineage_lines(f):
            table.add_row(label, Text(value))
        console.print(table)


@main.command(help="ให้บริการรอบทำงานทุกคืนผ่าน Prefect ตามตารางเวลา (cron เวลาไทย)")
@click.option("--cron", default="0 2 * * *", show_default=True, help="ตารางเวลาแบบ cron")
@click.option("--timezone", default="Asia/Bangkok", show_default=True, help="เขตเวลาของตารางเวลา")
@setting_options(*SETTINGS_BY_NAME)
def serve(cron: str, timezone: str, **given: object) -> None:
    from ita import serving

    config = _config(**given)
    try:
        serving.check_schedule(cron, timezone)
    except ValueError as error:
        raise ThaiError(str(error)) from None
    _stop_unless_writable(config)
    _prefect_home(config)
    serving.serve(config, cron, timezone)


if __name__ == "__main__":
    sys.exit(main())
