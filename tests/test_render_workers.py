"""A night with many body-years renders them in worker processes
(ita.render_workers): the same documents, byte for byte, as a render in the
night's own process; the workers' warnings in the night's log; a worker that
dies fails its body-years alone, and the next night writes them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import MEMO_DATE, run_pipeline
from ita import outputs, render_workers, thai
from ita.outbox_files import NEW_VERSION
from ita.render_workers import RenderWorkerDied
from ita.settings import resolve
from ita.store import Store
from test_emblem import setup_with
from test_failures import nightly_state
from test_many_bodies import ROW, setup_for
from workbooks import monthly_sheet

BODIES = ("เทศบาลตำบลหนึ่ง", "เทศบาลตำบลสอง", "องค์การบริหารส่วนตำบลสาม")
MISSING_EMBLEM = "ไม่มีไฟล์นี้.png"


def many_bodies(root: Path) -> Path:
    """The sample body (its setup naming an emblem file that is not there)
    and three more, one with a monthly sheet: four body-years."""
    setup_with(root, emblem_name=MISSING_EMBLEM)
    inbox = root / "inbox"
    for n, body in enumerate(BODIES):
        setup_for(body, inbox / f"ข้อมูลประจำปี-{n}.xlsx")
    monthly_sheet(inbox / "หนึ่ง-กองคลัง.xlsx", setup=inbox / "ข้อมูลประจำปี-0.xlsx", rows=[ROW])
    return inbox


def outbox_files(root: Path, suffix: str = "") -> dict[str, bytes]:
    outbox = root / "outbox"
    return {str(p.relative_to(outbox)): p.read_bytes() for p in sorted(outbox.rglob(f"*{suffix}")) if p.is_file()}


def workers_started(monkeypatch) -> list[object]:
    started: list[object] = []
    original = render_workers._Worker.__init__

    def counted(self, *args, **kwargs):
        started.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(render_workers._Worker, "__init__", counted)
    return started


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    return many_bodies(tmp_path_factory.mktemp("many"))


@pytest.fixture(scope="module")
def in_process(tmp_path_factory, inbox) -> Path:
    """The same inbox rendered in the night's own process."""
    root = tmp_path_factory.mktemp("in-process")
    shutil.copytree(inbox, root / "inbox")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render_workers, "IN_PROCESSES_FROM", 10**6)
        started = workers_started(patch)
        result = run_pipeline(root)
    assert started == [] and len(result["accepted"]) == 5
    return root


def copy_of(inbox: Path, root: Path) -> Path:
    shutil.copytree(inbox, root / "inbox")
    return root


def test_four_body_years_are_rendered_in_workers_into_the_same_documents_even_after_a_worker_died(
        tmp_path, inbox, in_process, monkeypatch, caplog):
    root = copy_of(inbox, tmp_path)
    started = workers_started(monkeypatch)

    # A first night whose workers die at their first store command: each body-year fails alone.
    monkeypatch.setenv("ITA_CRASH_AT", "in_render_worker")
    failure = nightly_state(root / "inbox", root / "outbox", root / "data").result(raise_on_failure=False)
    died = str(RenderWorkerDied(root / "data" / "ita.log"))
    assert sorted(failure.problems) == sorted(
        f"สร้างเอกสารของ {body} ปีงบประมาณ 2566 ไม่สำเร็จ: {died}"
        for body in ("องค์การบริหารส่วนตำบลตาอ็อง", *BODIES))
    assert len(failure.result["accepted"]) == 5  # what was taken in stays taken in
    assert len(started) == 4  # a fresh worker for each body-year after a death

    # The next night writes them, in workers.
    monkeypatch.delenv("ITA_CRASH_AT")
    caplog.clear()
    started.clear()
    result = run_pipeline(root)
    assert 1 <= len(started) <= 2  # one per render thread of the night
    assert render_workers._idle.processes == []  # stopped once the night's render is over
    assert result["problems"] == [] and result["edited"] == []
    assert not [name for name in outbox_files(root) if NEW_VERSION in name]  # a half-written file is still its own
    # Documents hold no receipt time, so they match another data folder's byte for byte.
    assert outbox_files(root, ".docx") == outbox_files(in_process, ".docx")
    assert outbox_files(root).keys() == outbox_files(in_process).keys()
    # Logged in the worker, logged here.
    assert any(MISSING_EMBLEM in m and "เว้นที่ว่างไว้แทน" in m for m in caplog.messages)

    # Every file, workbooks too, against the same data folder's render in this process.
    by_workers = outbox_files(root)
    shutil.rmtree(root / "outbox")
    monkeypatch.setattr(render_workers, "IN_PROCESSES_FROM", 10**6)
    started.clear()
    again = run_pipeline(root)
    assert started == [] and again["problems"] == []
    assert outbox_files(root) == by_workers


def test_an_error_a_render_meets_in_a_worker_is_raised_here_as_itself(tmp_path, in_process):
    """Not a dead worker: the body-year's own error, as a render in this
    process raises it (the night reports it for that body-year alone)."""
    shutil.copytree(in_process / "data", tmp_path / "data")
    config = resolve(inbox=tmp_path / "inbox", outbox=tmp_path / "outbox", data=tmp_path / "data")
    (tmp_path / "outbox").mkdir()
    (tmp_path / "outbox" / BODIES[1]).write_text("ไม่ใช่โฟลเดอร์", encoding="utf-8")  # where its year's folder goes
    raised = {}
    for way, write in (("in a worker", render_workers.write_year_documents), ("here", outputs.write_year_documents)):
        with Store(config.database) as store, pytest.raises(OSError) as error:
            write(store, config, thai.label_key(BODIES[1]), 2566, MEMO_DATE)
        raised[way] = type(error.value), str(error.value)
    render_workers.stop_workers()
    assert raised["in a worker"] == raised["here"]
    assert raised["here"][0] is NotADirectoryError


def test_a_worker_that_does_not_start_in_time_is_a_thai_problem(tmp_path, monkeypatch):
    config = resolve(inbox=tmp_path / "inbox", outbox=tmp_path / "outbox", data=tmp_path / "data")
    monkeypatch.setattr(render_workers, "START_SECONDS", 0.001)  # it imports matplotlib first: never this fast
    with pytest.raises(RenderWorkerDied) as died:
        render_workers.write_year_documents(None, config, "body", 2566, None)
    assert str(died.value) == ("โปรแกรมย่อยที่สร้างเอกสารหยุดทำงาน เอกสารที่ยังเขียนไม่เสร็จจะเขียนในรอบถัดไป "
                               f"หากเกิดซ้ำ ดูรายละเอียดใน {tmp_path / 'data' / 'ita.log'}")
    assert render_workers._idle.processes == []
