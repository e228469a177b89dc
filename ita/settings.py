"""Every setting of the pipeline, declared once with its default and help.

The command line, the environment variables and the README are all generated
from (or tested against) this one table, in the manner of datasette's settings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    env: str
    help: str
    flag: bool = False  # an on/off switch: --name on the command line, 1/true/yes in the environment


SETTINGS: tuple[Setting, ...] = (
    Setting("inbox", "inbox", "ITA_INBOX",
            "โฟลเดอร์ที่ส่วนราชการวางไฟล์ Excel (มักเป็นโฟลเดอร์แชร์)"),
    Setting("outbox", "outbox", "ITA_OUTBOX",
            "โฟลเดอร์ที่เขียนบันทึกข้อความ รายงาน และสถานะการส่ง"),
    Setting("data", "data", "ITA_DATA",
            "โฟลเดอร์ข้อมูล: ฐานข้อมูล DuckDB คลังไฟล์ที่รับแล้ว และไฟล์ที่ถูกปฏิเสธ"),
    Setting("memo_date", "", "ITA_MEMO_DATE",
            "วันที่ของบันทึกข้อความ (YYYY-MM-DD ค.ศ. หรือ พ.ศ.) ว่างไว้ = วันที่สร้างเอกสาร"),
    Setting("font", "TH SarabunIT๙", "ITA_FONT",
            "ชื่อฟอนต์ของเอกสาร เช่น TH SarabunIT๙, TH SarabunPSK, TH Sarabun New"),
    Setting("settle_seconds", "60", "ITA_SETTLE_SECONDS",
            "ไฟล์ที่เพิ่งถูกแก้ไขภายในกี่วินาทีถือว่ากำลังคัดลอกอยู่ และรอรอบถัดไป"),
    Setting("pdf", "", "ITA_PDF",
            "เขียน PDF คู่กับ DOCX ทุกไฟล์ด้วย LibreOffice (สำหรับเผยแพร่บนเว็บไซต์)", flag=True),
    Setting("dask_address", "", "ITA_DASK_ADDRESS",
            "ที่อยู่ Dask scheduler ที่มีอยู่แล้ว เช่น tcp://10.0.0.5:8786 เพื่อกระจายงานอ่านและตรวจไฟล์ "
            "(โฟลเดอร์ข้อมูลต้องเป็นโฟลเดอร์แชร์ที่ทุกเครื่องเห็น) ว่างไว้ = ใช้เครื่องนี้"),
)

SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Config:
    """Resolved settings for one run; paths are absolute."""

    inbox: Path
    outbox: Path
    data: Path
    memo_date: date | None = None
    font: str = SETTINGS_BY_NAME["font"].default
    settle_seconds: float = float(SETTINGS_BY_NAME["settle_seconds"].default)
    pdf: bool = False
    dask_address: str = ""

    @property
    def database(self) -> Path:
        return self.data / "ita.duckdb"

    @property
    def archive(self) -> Path:
        return self.data / "archive"

    @property
    def quarantine(self) -> Path:
        return self.data / "quarantine"


def resolve(**given: object) -> Config:
    """Build a Config from explicit values, then environment, then defaults.
    `given` is keyed by the declared setting names; any other key is an error
    (a setting that would silently not reach the pipeline)."""
    unknown = set(given) - set(SETTINGS_BY_NAME)
    if unknown:
        raise TypeError(f"not declared in ita/settings.py: {', '.join(sorted(unknown))}")
    values: dict[str, object] = {}
    for setting in SETTINGS:
        value = given.get(setting.name)
        if value is None or value == "":
            value = os.environ.get(setting.env, setting.default)
        values[setting.name] = value
    memo = str(values["memo_date"] or "").strip()
    return Config(
        inbox=Path(str(values["inbox"])).expanduser().resolve(),
        outbox=Path(str(values["outbox"])).expanduser().resolve(),
        data=Path(str(values["data"])).expanduser().resolve(),
        memo_date=parse_memo_date(memo) if memo else None,
        font=str(values["font"]),
        settle_seconds=parse_seconds(str(values["settle_seconds"])),
        pdf=str(values["pdf"]).strip().lower() in ("1", "true", "yes", "on"),
        dask_address=str(values["dask_address"]).strip(),
    )


def as_mapping(config: Config) -> dict[str, str]:
    """The resolved settings as one mapping of text keyed by the declared
    names: what the command line hands the flow, and what `ita serve`
    stores as the deployment's parameter. resolve(**as_mapping(c)) == c
    wherever it runs (paths are absolute, the switch and the date explicit)."""
    return {s.name: _as_text(getattr(config, s.name)) for s in SETTINGS}


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def parse_iso_date(text: str) -> date:
    """YYYY-MM-DD; a year above 2400 is read as Buddhist Era."""
    from ita.thai import BE_OFFSET

    y, m, d = (int(part) for part in text.split("-"))
    if y > 2400:
        y -= BE_OFFSET
    return date(y, m, d)


def _named(name: str) -> str:
    """How a person gives a setting: its option, or its environment variable."""
    return f"--{name.replace('_', '-')} (หรือ {SETTINGS_BY_NAME[name].env})"


def parse_memo_date(text: str) -> date:
    """`parse_iso_date`, with a Thai message naming the setting when it cannot be read."""
    try:
        return parse_iso_date(text)
    except ValueError:
        raise ValueError(f"{_named('memo_date')}: อ่านวันที่ '{text}' ไม่ได้ "
                         "ใช้รูปแบบ ปี-เดือน-วัน เช่น 2023-10-05 หรือ 2566-10-05") from None


def parse_seconds(text: str) -> float:
    """A number of seconds, zero or more."""
    try:
        seconds = float(text.strip())
    except ValueError:
        seconds = float("nan")
    if not seconds >= 0 or seconds == float("inf"):
        raise ValueError(f"{_named('settle_seconds')}: '{text}' ไม่ใช่จำนวนวินาที ใช้ตัวเลข 0 ขึ้นไป เช่น 60 หรือ 0.5")
    return seconds

