"""Every declared setting reaches the pipeline: as an option or as its
environment variable, through `ita run` and through the deployment that
`ita serve` registers, as the one `settings` mapping the flow takes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from conftest import SAMPLE_INBOX
from ita import pipeline, serving, settings
from ita.cli import main
from ita.settings import SETTINGS, Config

PATHS = ("inbox", "outbox", "data")


def given_value(name: str, tmp_path: Path) -> tuple[str, object]:
    """(what a person types, what Config must then hold) for each setting:
    never its default, so a setting that is dropped on the way shows."""
    if name in PATHS:
        folder = tmp_path / f"ที่ตั้ง {name} ของสำนักปลัด"
        return str(folder), folder
    return {
        "memo_date": ("2566-10-05", __import__("datetime").date(2023, 10, 5)),
        "font": ("TH Sarabun New", "TH Sarabun New"),
        "settle_seconds": ("7.5", 7.5),
        "pdf": ("1", True),
        "dask_address": ("tcp://127.0.0.1:8786", "tcp://127.0.0.1:8786"),
    }[name]


def invocation(setting: settings.Setting, how: str, value: str, tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    """Command-line arguments and environment for one way of giving one
    setting; the other folders point into tmp_path through the environment."""
    env = {settings.SETTINGS_BY_NAME[p].env: str(tmp_path / f"base-{p}") for p in PATHS}
    if how == "environment":
        return [], {**env, setting.env: value}
    option = f"--{setting.name.replace('_', '-')}"
    return ([option] if setting.flag else [option, value]), env


WAYS = [pytest.param(s, how, id=f"{s.name}-{how}") for s in SETTINGS for how in ("option", "environment")]


@pytest.mark.parametrize(("setting", "how"), WAYS)
def test_each_setting_reaches_the_flow_through_ita_run(tmp_path, monkeypatch, setting, how):
    value, expected = given_value(setting.name, tmp_path)
    received: list[dict] = []

    def flow(**parameters):
        from prefect.states import Completed

        received.append(parameters)
        return Completed(data={key: [] for key in ("accepted", "rejected", "duplicates", "waiting", "written", "pdf")})

    monkeypatch.setattr(pipeline, "nightly_flow", lambda: flow)
    args, env = invocation(setting, how, value, tmp_path)
    result = CliRunner().invoke(main, ["run", *args], env=env)
    assert result.exit_code == 0, result.output
    (parameters,) = received
    # The command line asks for the final state: a failed night is a state, not an exception.
    assert set(parameters) == {"settings", "return_state"} and set(parameters["settings"]) == {s.name for s in SETTINGS}
    config = settings.resolve(**parameters["settings"])
    assert getattr(config, setting.name) == expected
    assert getattr(config, setting.name) != getattr(settings.resolve(**_only_paths(tmp_path)), setting.name)


def _only_paths(tmp_path: Path) -> dict[str, str]:
    return {p: str(tmp_path / f"base-{p}") for p in PATHS}


@pytest.mark.parametrize(("setting", "how"), WAYS)
def test_each_setting_reaches_the_deployment_ita_serve_registers(tmp_path, monkeypatch, setting, how):
    from flows.nightly import nightly

    value, expected = given_value(setting.name, tmp_path)
    registered = []
    monkeypatch.setattr(serving, "serve", lambda config, cron, timezone: registered.append(
        serving.deployment(config, cron, timezone)))
    args, env = invocation(setting, how, value, tmp_path)
    result = CliRunner().invoke(main, ["serve", "--cron", "30 1 * * *", *args], env=env)
    assert result.exit_code == 0, result.output
    (deployment,) = registered
    assert deployment.name == "ita-nightly"
    # What a scheduled run is called with, once Prefect has checked it against the flow's signature.
    parameters = nightly.validate_parameters(deployment.parameters)
    assert getattr(settings.resolve(**parameters["settings"]), setting.name) == expected


def test_the_mapping_is_the_config_wherever_it_is_resolved(tmp_path, monkeypatch):
    config = settings.resolve(inbox=str(tmp_path / "รับ"), memo_date="2023-10-05", font="TH Sarabun New",
                              settle_seconds="0", pdf="1", dask_address="tcp://127.0.0.1:1")
    mapping = settings.as_mapping(config)
    monkeypatch.chdir(tmp_path.parent)
    for setting in SETTINGS:
        monkeypatch.setenv(setting.env, "")
    assert settings.resolve(**mapping) == config


def test_an_undeclared_setting_is_an_error():
    with pytest.raises(TypeError, match="not declared in ita/settings.py: fonts"):
        settings.resolve(fonts="TH Sarabun New")


def test_ita_run_honours_font_and_settle_seconds_end_to_end(tmp_path):
    """The two options ignored before: the font reaches the memo, the report,
    the monthly reports and the status workbook; a half-copied file is
    taken in (and rejected) at once when the settle time is 0, where the
    default 60 s would leave it for the next run."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("ข้อมูลประจำปี 2566.xlsx", "รายงาน_กองคลัง_ต.ค.๖๕.xlsx"):
        shutil.copy2(SAMPLE_INBOX / name, inbox / name)
    whole = (SAMPLE_INBOX / "รายงาน_กองช่าง_พ.ย.๖๕.xlsx").read_bytes()
    (inbox / "รายงาน_กองช่าง_พ.ย.๖๕.xlsx").write_bytes(whole[: len(whole) // 2])  # still being copied
    result = CliRunner().invoke(main, [
        "run", "--inbox", str(inbox), "--outbox", str(tmp_path / "outbox"), "--data", str(tmp_path / "data"),
        "--memo-date", "2023-10-05", "--font", "TH Sarabun New", "--settle-seconds", "0",
    ])
    assert result.exit_code == 0, result.output
    assert not any(inbox.iterdir())  # nothing left waiting
    assert len(list((tmp_path / "data" / "quarantine").iterdir())) == 1
    documents = sorted((tmp_path / "outbox").rglob("*.docx"))
    assert len(documents) == 5  # memo, report, the half-year report and its cover memo, one monthly
    for path in documents:
        fonts = {run.font.name for p in Document(str(path)).paragraphs for run in p.runs if run.font.name}
        styles = {s.font.name for s in Document(str(path)).styles if getattr(s, "font", None) and s.font.name}
        assert "TH Sarabun New" in fonts | styles, path.name
        assert not (fonts | styles) - {"TH Sarabun New"}, (path.name, fonts | styles)
    (status,) = (tmp_path / "outbox").rglob("สถานะการส่งรายงาน_2566.xlsx")
    workbook_fonts = {c.font.name for sheet in load_workbook(status) for row in sheet.iter_rows() for c in row
                      if c.value is not None}
    assert workbook_fonts == {"TH Sarabun New"}


@pytest.mark.parametrize("font", ["TH Sarabun New", "TH SarabunPSK", "TH SarabunIT๙"])
@pytest.mark.parametrize("kind", ["setup", "monthly"])
def test_ita_template_writes_in_the_font_setting(tmp_path, font, kind):
    output = tmp_path / f"แบบฟอร์ม_{kind}.xlsx"
    if kind == "setup":
        args = ["template", "setup", "--year", "2567", "-o", str(output)]
    else:
        args = ["template", "monthly", "--setup", str(SAMPLE_INBOX / "ข้อมูลประจำปี 2566.xlsx"),
                "--division", "กองคลัง", "--month", "ตุลาคม 2565", "-o", str(output)]
    result = CliRunner().invoke(main, args, env={"ITA_FONT": font})
    assert result.exit_code == 0, result.output
    fonts = {c.font.name for sheet in load_workbook(output) for row in sheet.iter_rows() for c in row
             if c.value is not None and sheet.sheet_state == "visible"}
    assert fonts == {font}


def test_config_declares_a_field_for_every_setting():
    assert [f for f in Config.__dataclass_fields__] == [s.name for s in SETTINGS]
