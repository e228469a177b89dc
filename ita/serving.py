"""The Prefect servers the product starts, and `ita serve`: the nightly
deployment on a cron schedule.

Prefect cannot schedule against its ephemeral API (docs/prefect.md), so when no
PREFECT_API_URL is given `ita serve` starts a local server on loopback, its
database under the data folder, and stops it on exit. `ita run` starts
Prefect's temporary server itself (`temporary_server`) for the same reason
as both: a server started by a process that is then killed (SIGKILL, the
OOM killer) would live on, holding its port and memory, one more each
killed night. Every server started here is told by the kernel to stop
when the process that started it dies (`die_with_parent`)."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ita import settings
from ita.pipeline import nightly_flow
from ita.settings import Config

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


class ServerDidNotStart(RuntimeError):
    pass


def die_with_parent() -> Callable[[], None] | None:
    """A `preexec_fn` for a child that must not outlive this process: the
    kernel sends it SIGTERM when this process's current thread ends (so
    start such children from the main thread). None where there is no
    prctl (not Linux). prctl is looked up here, before the fork: the child
    of a threaded process should do no more than call it."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def in_child() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the signal was asked for
            os.kill(os.getpid(), signal.SIGTERM)

    return in_child


@contextmanager
def temporary_server(log_file: Path) -> Iterator[Any]:
    """Prefect's temporary (ephemeral-mode) API server for one `ita run`, as
    Prefect itself would start it on first use, except that it dies with
    this process and what it prints goes to `log_file`; nothing (None) when
    a PREFECT_API_URL is given.

    What it prints is English for the log, not the person: stopped while a
    request of the run's last moments is still open, its database pool logs
    "Exception during reset or similar" with a traceback."""
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    if get_current_settings().api.url:
        yield None
        return
    server = _server_class(log_file)()
    try:
        server.start()
    except Exception as error:
        raise ServerDidNotStart(f"เริ่ม Prefect server ชั่วคราวของรอบนี้ไม่สำเร็จ: {error}") from error
    try:
        with temporary_settings({PREFECT_API_URL: server.api_url}):
            try:
                yield server
            finally:
                # The run's last log lines go to the server before it stops,
                # not into an English "Error logging to API" on the terminal.
                from prefect.logging.handlers import APILogHandler

                APILogHandler().flush()
    finally:
        server.stop()


def _server_class(log_file: Path) -> type:
    import prefect
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import get_current_settings

    class DyingWithParent(SubprocessASGIServer):
        """Prefect's SubprocessASGIServer (its start, health wait and port
        retry), with the command it runs given `die_with_parent` and its
        output sent to the log file."""

        def _run_uvicorn_command(self) -> subprocess.Popen[Any]:
            with _appending(log_file) as log:
                return subprocess.Popen(
                    [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent),
                     "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
                     "--port", str(self.port), "--log-level", "error", "--lifespan", "on"],
                    env={**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
                         "PREFECT__SERVER_FINAL": "1",
                         **get_current_settings().to_environment_variables(exclude_unset=True)},
                    preexec_fn=die_with_parent(), stdout=log, stderr=subprocess.STDOUT,
                )

    return DyingWithParent


def _appending(log_file: Path) -> IO[bytes]:
    """The log file opened to be a child's output; the child holds its own
    descriptor, so this one is closed once the child has started."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    return open(log_file, "ab")


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
    from ita.terminal import LOG_NAME

    with _appending(config.data / LOG_NAME) as log:  # its errors are kept, as `ita run`'s server's are
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent(),
        )
    try:
        # A bound on a hang, not a timing: a first start migrates the database,
        # minutes on a slow or busy machine.
        deadline = time.monotonic() + 600
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

    from ita import terminal

    log_file = terminal.log_to_file(config.data)
    print(f"ให้บริการรอบทำงาน ita-nightly/ita-nightly ตามตารางเวลา '{cron}' ({timezone}) แล้ว กด Ctrl+C เพื่อหยุด "
          f"บันทึกการทำงานอยู่ที่ {log_file}", flush=True)
    # Not paused on shutdown: a restarted machine must keep its nightly schedule.
    # Prefect's English start-up panel is left out (print_starting_message).
    serve(deployment(config, cron, timezone), pause_on_shutdown=False, limit=1, print_starting_message=False)
