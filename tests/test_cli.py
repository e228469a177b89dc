"""The `ita` command as an IT officer and a clerk use it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import copy_sample
from ita.cli import main

ITA = [sys.executable, "-m", "ita.cli"]


@pytest.mark.parametrize("command", [[], ["run"], ["status"], ["serve"], ["report"], ["template"], ["template", "setup"],
                                     ["template", "monthly"]])
def test_every_command_has_thai_help(command):
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in result.output)


def test_settings_come_from_the_environment(tmp_path):
    from ita import settings

    env = {"ITA_INBOX": str(tmp_path / "in"), "ITA_OUTBOX": str(tmp_path / "out"), "ITA_DATA": str(tmp_path / "d")}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        config = settings.resolve()
        assert (config.inbox, config.outbox, config.data) == (tmp_path / "in", tmp_path / "out", tmp_path / "d")
        assert settings.resolve(inbox=str(tmp_path / "x")).inbox == tmp_path / "x"
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k)
            else:
                os.environ[k] = v


def test_ita_run_in_a_fresh_process_with_the_embedded_defaults(tmp_path):
    """What the README's first command does: Prefect's ephemeral API, a
    DuckDB file, nothing started by hand; then `ita status` reads the result."""
    copy_sample(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    run = subprocess.run([*ITA, "run", "--memo-date", "2023-10-05"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "ไฟล์ที่รับ" in run.stdout
    assert (tmp_path / "data" / "ita.duckdb").exists()
    assert (tmp_path / "data" / "prefect").is_dir()  # run history kept in the data folder
    assert len(list((tmp_path / "outbox").rglob("*.docx"))) == 16  # with the half-year report and its cover memo
    # A progress bar with counts per stage; Prefect's English chatter only in the log file.
    terminal = run.stdout + run.stderr
    for stage, count in (("อ่านและตรวจไฟล์", "74/74"), ("บันทึกไฟล์ลงฐานข้อมูล", "74/74"),
                         ("เขียนเอกสาร (หน่วยงาน-ปีงบประมาณ)", "1/1")):
        assert any(stage in line and count in line for line in terminal.splitlines()), stage
    assert "รับ 73 ไฟล์, ปฏิเสธ 1 ไฟล์, ซ้ำกับที่เคยรับ 0 ไฟล์" in terminal
    for noise in ("Starting temporary server", "prefect.io", "Finished in state", "Beginning flow run"):
        assert noise not in terminal, noise
    log = (tmp_path / "data" / "ita.log").read_text(encoding="utf-8")
    assert "Starting temporary server" in log and "Finished in state Completed()" in log
    assert f"บันทึกการทำงานโดยละเอียดอยู่ที่ {tmp_path / 'data' / 'ita.log'}" in run.stdout
    status = subprocess.run([*ITA, "status"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert status.returncode == 0
    assert "กองสวัสดิการสังคม" in status.stdout and "✓" in status.stdout


def test_status_before_any_run(tmp_path):
    result = CliRunner().invoke(main, ["status", "--data", str(tmp_path)])
    assert result.exit_code == 0 and "ยังไม่มีข้อมูล" in result.output


def test_the_run_summary_says_which_documents_were_edited_by_hand(tmp_path, monkeypatch):
    import flows.nightly

    own = tmp_path / "outbox" / "องค์การบริหารส่วนตำบลตาอ็อง" / "2566" / "บันทึกข้อความ_ITA_2566.docx"
    new = own.with_name("บันทึกข้อความ_ITA_2566_ฉบับใหม่.docx")
    done = {"accepted": ["a.xlsx"], "rejected": [], "duplicates": [], "waiting": [], "written": [str(new)],
            "edited": [{"path": str(own), "new_version": str(new)}], "pdf": []}
    from prefect.states import Completed

    # The command line asks the flow for its final state (a failed night is a state too).
    monkeypatch.setattr(flows.nightly, "nightly", lambda **given: Completed(data=done))
    result = CliRunner().invoke(main, ["run", "--inbox", str(tmp_path / "inbox"), "--outbox", str(tmp_path / "outbox"),
                                       "--data", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    assert "เอกสารที่มีผู้แก้ไข (เขียนฉบับใหม่ไว้ข้างกัน)" in result.output
    assert f"มีผู้แก้ไข {own} จึงไม่เขียนทับ ฉบับใหม่อยู่ที่ {new}" in result.output
