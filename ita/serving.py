"""`ita serve`: the nightly deployment on a cron schedule.

Prefect cannot schedule against its ephemeral API (docs/prefect.md),
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

from ita import settings
from ita.pipeline import nightly_flow
from ita.settings import Config


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def local_server(config: Config, port: int | None = None) -> Iterator[str]:
    port = port or int(os.environ.get("ITA_PREFECT_PORT", "4200"))
    env = {**os.environ, "PREFECT_HOME": os.environ.get("PREFECT_HOME", str(config.data / "prefect"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api"
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


def serve(config: Config, cron: str, timezone: str) -> None:
    if os.environ.get("PREFECT_API_URL"):
        _serve(config, cron, timezone)
        return
    with local_server(config) as url:
        os.environ["PREFECT_API_URL"] = url
        _serve(config, cron, timezone)


def deployment(config: Config, cron: str, timezone: str):
    """The nightly deployment, its one parameter every resolved setting."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.schedules import Cron

    return nightly_flow().to_deployment(
        name="ita-nightly",
        schedule=Cron(cron, timezone=timezone),
        parameters={"settings": settings.as_mapping(config)},
        # A run still going when the next is due waits for it, never overlaps it.
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
    )


def _serve(config: Config, cron: str, timezone: str) -> None:
    from prefect import serve

    # Not paused on shutdown: a restarted machine must keep its nightly schedule.
    serve(deployment(config, cron, timezone), pause_on_shutdown=False, limit=1)
