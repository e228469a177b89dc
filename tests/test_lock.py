"""One run at a time per data folder (ita.lock)."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from ita.lock import RunInProgress, run_lock

_HOLD = "import sys, time\nfrom pathlib import Path\nfrom ita.lock import run_lock\n" \
        "with run_lock(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(float(sys.argv[2]))\n"


def _holder(data, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(data), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "held\n"
    return holder


def test_a_second_process_waits_then_gives_up_in_thai(tmp_path, caplog):
    holder = _holder(tmp_path / "data", 60)
    caplog.set_level("INFO", logger="ita.lock")
    try:
        with pytest.raises(RunInProgress) as raised:
            with run_lock(tmp_path / "data", wait_seconds=3):
                pass
    finally:
        holder.kill()
        holder.wait()
    assert str(raised.value) == (
        f"รออีกรอบการทำงานที่ใช้โฟลเดอร์ข้อมูล {tmp_path / 'data'} อยู่นานเกิน 0.05 นาทีแล้ว "
        "จึงไม่ทำงานรอบนี้: ตรวจว่ารอบก่อนยังทำงานอยู่หรือค้าง (ดูในบันทึกของ Prefect)"
    )
    assert [r.getMessage() for r in caplog.records] == [
        f"รออีกรอบการทำงานที่ใช้โฟลเดอร์ข้อมูล {tmp_path / 'data'} อยู่ให้เสร็จก่อน"]  # once, not each try
    with run_lock(tmp_path / "data", wait_seconds=5):  # the kernel released the killed holder's lock
        pass


def test_the_same_process_takes_it_again_and_another_still_waits(tmp_path):
    """`ita run` holds the lock around Prefect's server and the flow takes it
    again: the same run, so it passes; another process must still wait until
    the outer hold ends."""
    data = tmp_path / "data"
    with run_lock(data):
        with run_lock(data, wait_seconds=1):
            pass
        # Still held after the inner block: a process cannot take it.
        probe = subprocess.run([sys.executable, "-c", "import sys\nfrom pathlib import Path\n"
                                "from ita.lock import RunInProgress, run_lock\n"
                                "try:\n    with run_lock(Path(sys.argv[1]), wait_seconds=0.5):\n        print('took')\n"
                                "except RunInProgress:\n    print('waited')\n", str(data)],
                               capture_output=True, text=True, timeout=120)
        assert probe.stdout == "waited\n", probe.stderr
    taken = threading.Event()

    def take() -> None:
        with run_lock(data, wait_seconds=5):
            taken.set()

    worker = threading.Thread(target=take)
    worker.start()
    worker.join(30)
    assert taken.is_set()


def test_a_store_held_by_a_run_is_said_in_thai_and_ita_run_still_waits_its_turn(tmp_path):
    """While a night's run has the database (DuckDB: one process at a time),
    `ita status` says so in Thai, and a second `ita run` does not crash on
    its version check: it waits for the run lock, then asks again."""
    from ita.store import Store

    data = tmp_path / "data"
    database = data / "ita.duckdb"
    Store(database).close()
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time, duckdb\ncon = duckdb.connect(sys.argv[1])\n"
                               "print('held', flush=True)\ntime.sleep(60)\n", str(database)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        status = subprocess.run([sys.executable, "-m", "ita.cli", "status", "--data", str(data)],
                                capture_output=True, text=True, timeout=120)
        assert Store.refuse_if_newer(database) is None
    finally:
        holder.kill()
        holder.wait()
    assert status.returncode == 1
    assert status.stderr.replace("\n", "") == (
        f"ผิดพลาด: ฐานข้อมูล {database} กำลังถูกใช้โดยโปรแกรมอีกตัวหนึ่ง (เช่น รอบการทำงาน ita run ที่ยังไม่เสร็จ) "
        "ให้รอจนรอบนั้นเสร็จแล้วสั่งงานอีกครั้ง"
    )
