"""A failure is never a quiet night: a folder the run cannot use, or one
body's year that cannot be rendered, fails the run with a Thai message
naming it, while every other body's work still completes; and a killed run
leaves no Prefect server behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import psutil
import pytest

from conftest import MEMO_DATE, SAMPLE_INBOX as REPO_INBOX, copy_sample
from ita import folders, settings
from ita.night_failure import NightFailed
from sample import fill
from workbooks import SAMPLE_SETUP

ITA = [sys.executable, "-m", "ita.cli"]
HINT = "ตรวจว่าโฟลเดอร์แชร์ต่ออยู่ และค่า --inbox หรือ ITA_INBOX ถูกต้อง"


def nightly_state(inbox: Path, outbox: Path, data: Path):
    from flows.nightly import nightly

    return nightly(settings={"inbox": str(inbox), "outbox": str(outbox), "data": str(data),
                             "memo_date": MEMO_DATE.isoformat()}, return_state=True)


def _plain_file(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("ไม่ใช่โฟลเดอร์", encoding="utf-8")
    return path


INBOXES = {
    "missing": (lambda root: root / "share" / "inbox", "ไม่พบโฟลเดอร์รับไฟล์ {inbox}: " + HINT),
    "a plain file": (lambda root: _plain_file(root / "inbox"), "โฟลเดอร์รับไฟล์ {inbox} เป็นไฟล์ ไม่ใช่โฟลเดอร์: " + HINT),
    "under a plain file": (lambda root: _plain_file(root / "share") / "inbox", "ไม่พบโฟลเดอร์รับไฟล์ {inbox}: " + HINT),
}


@pytest.mark.parametrize("case", INBOXES, ids=list(INBOXES))
def test_an_inbox_that_cannot_be_read_fails_the_run(tmp_path, case):
    make, message = INBOXES[case]
    inbox = make(tmp_path)
    state = nightly_state(inbox, tmp_path / "outbox", tmp_path / "data")
    assert state.is_failed()
    failure = state.result(raise_on_failure=False)
    assert isinstance(failure, NightFailed)
    assert failure.problems == [message.format(inbox=inbox)]
    assert not list((tmp_path / "outbox").rglob("*.*"))  # no status that says every division is missing


def test_an_unreadable_inbox_is_named_with_the_reason(tmp_path, monkeypatch):
    """Root reads every folder whatever its permissions, so the refusal a
    share gives (or a dead mount's) is made here."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    scandir = os.scandir

    def refuse(path="."):
        if Path(path) == inbox:
            raise PermissionError(13, "Permission denied", str(inbox))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    assert folders.inbox_problem(inbox) == f"อ่านโฟลเดอร์รับไฟล์ {inbox} ไม่ได้ (ไม่มีสิทธิ์เข้าถึง): {HINT}"


def test_an_empty_inbox_is_a_quiet_night(tmp_path):
    (tmp_path / "inbox").mkdir()
    state = nightly_state(tmp_path / "inbox", tmp_path / "outbox", tmp_path / "data")
    assert state.is_completed() and state.result()["problems"] == []


@pytest.mark.parametrize("where", ["outbox", "data"])
def test_a_folder_that_cannot_be_written_fails_the_run_before_anything_is_taken_in(tmp_path, where):
    copy_sample(tmp_path)
    before = sorted(p.name for p in (tmp_path / "inbox").iterdir())
    blocked = _plain_file(tmp_path / "mount") / where  # a path under a plain file: not even root can write it
    folders_ = {"outbox": tmp_path / "outbox", "data": tmp_path / "data", where: blocked}
    state = nightly_state(tmp_path / "inbox", folders_["outbox"], folders_["data"])
    assert state.is_failed()
    what = {"outbox": "ผลลัพธ์ (outbox)", "data": "ข้อมูล (data)"}[where]
    expected = f"เขียนโฟลเดอร์{what} {blocked} ไม่ได้ (มีไฟล์ธรรมดาอยู่ในเส้นทางนี้ ไม่ใช่โฟลเดอร์)"
    assert state.result(raise_on_failure=False).problems == [expected]
    assert sorted(p.name for p in (tmp_path / "inbox").iterdir()) == before  # nothing lost, nothing moved


def test_a_read_only_folder_is_named_as_such(tmp_path, monkeypatch):
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", read_only)
    assert folders.writable_problem(tmp_path, "ผลลัพธ์ (outbox)") == \
        f"เขียนโฟลเดอร์ผลลัพธ์ (outbox) {tmp_path} ไม่ได้ (ระบบไฟล์เป็นแบบอ่านอย่างเดียว)"


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}


def test_ita_run_says_what_is_wrong_in_thai_and_exits_non_zero(tmp_path):
    blocked = _plain_file(tmp_path / "data")
    run = subprocess.run([*ITA, "run", "--inbox", str(tmp_path / "none"), "--data", str(blocked)], cwd=tmp_path,
                         env=_env(), capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert f"เขียนโฟลเดอร์ข้อมูล (data) {blocked} ไม่ได้: เป็นไฟล์ ไม่ใช่โฟลเดอร์" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_ita_run_on_a_missing_inbox_exits_non_zero_naming_it(tmp_path):
    inbox = tmp_path / "share" / "inbox"
    run = subprocess.run([*ITA, "run", "--inbox", str(inbox)], cwd=tmp_path, env=_env(),
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 1, run.stderr[-2000:]
    assert "การทำงานรอบนี้ไม่สำเร็จ:" in run.stderr
    assert f"ไม่พบโฟลเดอร์รับไฟล์ {inbox}:" in run.stderr.replace("\n", "")
    assert "Traceback" not in run.stderr + run.stdout
    assert "พร้อม 0 ไฟล์" not in run.stdout + run.stderr


def _setup_for(body: str, target: Path) -> Path:
    shutil.copy(SAMPLE_SETUP, target)
    book = fill.open_book(target)
    fill.set_keys(book["หน่วยงาน"], {"ชื่อหน่วยงาน": body})
    fill.save(book, target, datetime(2023, 10, 2))
    return target


def test_one_bodys_year_that_cannot_be_rendered_does_not_stop_the_others(tmp_path, monkeypatch):
    from ita import outputs

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE_SETUP, inbox / "ตาอ็อง.xlsx")
    _setup_for("เทศบาลตำบลทดลอง", inbox / "ทดลอง.xlsx")
    write = outputs.write_year_documents

    def fails_for_one_body(store, config, body_key, fiscal_year, today):
        if "ทดลอง" in body_key:
            raise ValueError("ช่วงคะแนนของปีนี้ไม่ครบ")
        return write(store, config, body_key, fiscal_year, today)

    monkeypatch.setattr(outputs, "write_year_documents", fails_for_one_body)
    state = nightly_state(inbox, tmp_path / "outbox", tmp_path / "data")
    assert state.is_failed()
    failure = state.result(raise_on_failure=False)
    assert failure.problems == ["สร้างเอกสารของ เทศบาลตำบลทดลอง ปีงบประมาณ 2566 ไม่สำเร็จ: ช่วงคะแนนของปีนี้ไม่ครบ"]
    assert (tmp_path / "outbox" / "องค์การบริหารส่วนตำบลตาอ็อง" / "2566" / "บันทึกข้อความ_ITA_2566.docx").exists()
    assert not (tmp_path / "outbox" / "เทศบาลตำบลทดลอง").exists()
    assert sorted(failure.result["accepted"]) == ["ตาอ็อง.xlsx", "ทดลอง.xlsx"]
    monkeypatch.setattr(outputs, "write_year_documents", write)  # fixed: the next night writes it
    assert nightly_state(inbox, tmp_path / "outbox", tmp_path / "data").is_completed()
    assert (tmp_path / "outbox" / "เทศบาลตำบลทดลอง" / "2566" / "บันทึกข้อความ_ITA_2566.docx").exists()


def test_the_summary_names_the_rejected_files(tmp_path):
    from ita import cli

    config = settings.resolve(inbox=str(tmp_path), outbox=str(tmp_path / "o"), data=str(tmp_path / "d"))
    result = {"accepted": ["a.xlsx"], "rejected": ["รายงาน[กองคลัง].xlsx", "ว่าง.xlsx"], "duplicates": [],
              "waiting": [], "written": [], "pdf": []}
    with cli.console.capture() as captured:
        cli._print_summary(result, config)
    text = captured.get()
    assert "  - รายงาน[กองคลัง].xlsx\n" in text and "  - ว่าง.xlsx\n" in text


def _servers_of(data: Path) -> list[psutil.Process]:
    """Prefect API servers whose home is under `data`."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if "prefect.server.api.server:create_app" in " ".join(process.info["cmdline"] or []) \
                    and str(data) in process.environ().get("PREFECT_HOME", ""):
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return found


def test_a_killed_run_takes_its_prefect_server_with_it(tmp_path):
    copy_sample(tmp_path)
    data = tmp_path / "data"
    with (tmp_path / "run.log").open("wb") as log:
        run = subprocess.Popen([*ITA, "run", "--memo-date", "2023-10-05"], cwd=tmp_path, env=_env(),
                               stdout=log, stderr=log, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while not _servers_of(data) and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        servers = _servers_of(data)
        assert servers and run.poll() is None, (tmp_path / "run.log").read_text(errors="replace")[-2000:]
        run.send_signal(signal.SIGKILL)  # the run alone, not its process group
        run.wait(timeout=60)
        gone, alive = psutil.wait_procs(servers, timeout=60)
        assert alive == [] and _servers_of(data) == []
    finally:
        try:
            os.killpg(run.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        for process in _servers_of(data):
            process.kill()


def test_a_file_that_cannot_be_read_is_named_and_the_others_are_taken(tmp_path, monkeypatch):
    from ita import inbox as inbox_module

    (tmp_path / "กองคลัง").mkdir()
    shutil.copy(SAMPLE_SETUP, tmp_path / SAMPLE_SETUP.name)
    refused = tmp_path / "กองคลัง" / "รายงาน ต.ค.xlsx"
    shutil.copy(SAMPLE_SETUP, refused)
    fingerprint = inbox_module.sha256_of

    def refuse_one(path):
        if path == refused:
            raise PermissionError(13, "Permission denied", str(path))
        return fingerprint(path)

    monkeypatch.setattr(inbox_module, "sha256_of", refuse_one)
    scan = inbox_module.scan(tmp_path, settle_seconds=0)
    assert [f.name for f in scan.ready] == [SAMPLE_SETUP.name]
    assert scan.unreadable == ["กองคลัง/รายงาน ต.ค.xlsx: ไม่มีสิทธิ์เข้าถึง"]


def test_a_file_growing_while_it_is_fingerprinted_waits(tmp_path, monkeypatch):
    from ita import inbox as inbox_module

    growing = tmp_path / "รายงาน.xls"
    growing.write_bytes((REPO_INBOX / "รายงาน_กองการศึกษา_ต.ค.๖๕.xls").read_bytes())
    fingerprint = inbox_module.sha256_of

    def copy_goes_on(path):
        digest = fingerprint(path)
        with path.open("ab") as handle:
            handle.write(b"\0" * 512)
        return digest

    monkeypatch.setattr(inbox_module, "sha256_of", copy_goes_on)
    scan = inbox_module.scan(tmp_path, settle_seconds=0)
    assert scan.ready == [] and scan.waiting == ["รายงาน.xls"]
