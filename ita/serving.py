"""`ita serve`: the nightly deployment on a cron schedule.

Prefect cannot schedule against its ephemeral API (notes/ecosystem.md §2.5),
so when no PREFECT_API_URL is given a local server is started on loopback,
its database under the data folder, and stopped on exit."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from collections.abc import Iterator

from ita.settings import Config


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def local_server(config: Config, port: int | None = None) -> Iterator[str]:
    port = port or int(os.environ.get("ITA_PREFECT_PORT", "4200"))
    url = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": os.environ.get("PREFECT_HOME", str(config.data / "prefect")),
        # The UI asks /ui-settings where its API is; unless told, Prefect
        # answers port 4200 whatever port the server listens on.
        "PREFECT_UI_API_URL": url,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("เริ่ม Prefect server ไม่สำเร็จ")
            time.sleep(1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def check_schedule(cron: str, timezone: str) -> None:
    """The schedule as Prefect will read it, checked before a server starts;
    a ValueError in Thai names the option and shows what is accepted."""
    from prefect.client.schemas.schedules import CronSchedule, is_valid_timezone

    if not is_valid_timezone(timezone):
        raise ValueError(f"--timezone: ไม่รู้จักเขตเวลา '{timezone}' ใช้ชื่อเขตเวลาแบบ IANA เช่น Asia/Bangkok")
    try:
        CronSchedule(cron=cron, timezone=timezone)
    except ValueError:  # pydantic's ValidationError is one
        raise ValueError(f"--cron: อ่านตารางเวลา '{cron}' ไม่ได้ ใช้รูปแบบ cron 5 ช่อง "
                         "(นาที ชั่วโมง วัน เดือน วันในสัปดาห์) เช่น \"0 2 * * *\" = ทุกคืนเวลา 02:00") from None


def ui_address(api_url: str) -> str:
    """The UI's address for the server whose API is `api_url`."""
    return api_url.removesuffix("/").removesuffix("/api")


def serve(config: Config, cron: str, timezone: str) -> None:
    if os.environ.get("PREFECT_API_URL"):
        _serve(config, cron, timezone)
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with local_server(config) as url:
        os.environ["PREFECT_API_URL"] = url  # for the flow-run processes
        print(f"หน้าจอ Prefect (UI): {ui_address(url)}", flush=True)
        # Prefect read its settings when `check_schedule` imported it: the
        # environment alone would no longer reach this process.
        with temporary_settings({PREFECT_API_URL: url}):
            _serve(config, cron, timezone)


def _serve(config: Config, cron: str, timezone: str) -> None:
    from prefect import serve
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.schedules import Cron

    from flows.nightly import nightly
    from ita import terminal

    log_file = terminal.log_to_file(config.data)

    deployment = nightly.to_deployment(
        name="ita-nightly",
        schedule=Cron(cron, timezone=timezone),
        parameters={"inbox_dir": str(config.inbox), "outbox_dir": str(config.outbox), "data_dir": str(config.data),
                    "dask_address": config.dask_address},
        # A run still going when the next is due waits for it, never overlaps it.
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
    )
    print(f"ให้บริการรอบทำงาน ita-nightly/ita-nightly ตามตารางเวลา '{cron}' ({timezone}) แล้ว กด Ctrl+C เพื่อหยุด "
          f"บันทึกการทำงานอยู่ที่ {log_file}", flush=True)
    # Not paused on shutdown: a restarted machine must keep its nightly schedule.
    # Prefect's English start-up panel is left out (print_starting_message).
    serve(deployment, pause_on_shutdown=False, limit=1, print_starting_message=False)
