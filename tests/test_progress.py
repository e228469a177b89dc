"""Progress reports from the flow's steps, and which log lines reach the
terminal during `ita run` (the rest go to the log file only)."""

from __future__ import annotations

import logging
import threading

import pytest

from ita import progress, terminal


def test_listener_sees_counts_per_stage_from_many_threads():
    seen: list[tuple[str, int, int | None]] = []
    with progress.listening(lambda *report: seen.append(report)):
        progress.start("read", 600)
        threads = [threading.Thread(target=lambda: [progress.advance("read", 3) for _ in range(50)]) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        progress.start("write", 2)
        progress.advance("write")
    assert seen[0] == ("read", 0, 600)
    assert [done for stage, done, _ in seen if stage == "read"] == list(range(0, 601, 3))
    assert seen[-2:] == [("write", 0, 2), ("write", 1, 2)]


def test_reports_with_nobody_listening_do_nothing():
    progress.advance("read", 5)  # a stage never started: ignored
    seen = []
    with progress.listening(lambda *report: seen.append(report)):
        progress.advance("read", 5)
    assert seen == []


def record(name: str, level: int, message: str) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


@pytest.mark.parametrize("name, level, message, line", [
    ("prefect.flow_runs", logging.INFO, "รับ 73 ไฟล์, ปฏิเสธ 1 ไฟล์, ซ้ำกับที่เคยรับ 0 ไฟล์",
     "รับ 73 ไฟล์, ปฏิเสธ 1 ไฟล์, ซ้ำกับที่เคยรับ 0 ไฟล์"),
    ("ita.pdf", logging.WARNING, "เขียน PDF ของ /srv/ita/บันทึก.docx ไม่ได้: LibreOffice ไม่ได้เขียนไฟล์ PDF",
     "คำเตือน: เขียน PDF ของ /srv/ita/บันทึก.docx ไม่ได้: LibreOffice ไม่ได้เขียนไฟล์ PDF"),
    ("prefect.task_runs", logging.ERROR, "Task run failed with exception: OSError('disk full')\nTraceback ...\n  File",
     "ผิดพลาด: Task run failed with exception: OSError('disk full')"),
    ("prefect.flow_runs", logging.CRITICAL, "Crash detected!", "ผิดพลาดร้ายแรง: Crash detected!"),
])
def test_the_terminal_gets_thai_lines_and_every_warning(name, level, message, line):
    assert terminal.for_the_terminal(record(name, level, message))
    assert terminal.terminal_line(record(name, level, message)) == line


@pytest.mark.parametrize("name, message", [
    ("prefect", "Starting temporary server on http://127.0.0.1:8169\nSee https://www.prefect.io/docs/v3/concepts/server"),
    ("prefect.task_runs", "Finished in state Completed()"),
    ("prefect.flow_runs", "Beginning flow run 'delightful-lobster' for flow 'ita-nightly'"),
])
def test_prefects_english_information_stays_in_the_log_file(name, message):
    assert not terminal.for_the_terminal(record(name, logging.INFO, message))
