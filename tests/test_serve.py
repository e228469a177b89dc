"""`ita serve` registers the nightly deployment on its own local Prefect
server, with the Bangkok cron schedule, and runs it when triggered."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

from conftest import copy_sample


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ita_serve_schedules_the_nightly_run_and_runs_it(tmp_path):
    from prefect import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    copy_sample(tmp_path)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(ITA_PREFECT_PORT=str(port), ITA_MEMO_DATE="2023-10-05", PREFECT_RUNNER_POLL_FREQUENCY="2")
    with (tmp_path / "serve.log").open("wb") as log:
        served = subprocess.Popen([sys.executable, "-m", "ita.cli", "serve", "--cron", "30 1 * * *"], cwd=tmp_path,
                                  env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        with temporary_settings({PREFECT_API_URL: f"http://127.0.0.1:{port}/api"}):
            deployment = None
            deadline = time.monotonic() + 240
            while deployment is None and time.monotonic() < deadline:
                assert served.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
                try:
                    with get_client(sync_client=True) as client:
                        deployment = client.read_deployment_by_name("ita-nightly/ita-nightly")
                except Exception:
                    time.sleep(2)
            assert deployment is not None, (tmp_path / "serve.log").read_text()[-3000:]
            (schedule,) = deployment.schedules
            assert schedule.schedule.cron == "30 1 * * *"
            assert schedule.schedule.timezone == "Asia/Bangkok"
            assert schedule.active and not deployment.paused
            assert deployment.global_concurrency_limit.limit == 1

            run = run_deployment("ita-nightly/ita-nightly", timeout=300)
            assert run.state.is_completed(), run.state
    finally:
        served.send_signal(signal.SIGINT)
        try:
            served.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(served.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert (tmp_path / "outbox" / "องค์การบริหารส่วนตำบลตาอ็อง" / "2566" / "บันทึกข้อความ_ITA_2566.docx").exists()
    assert (tmp_path / "data" / "prefect").is_dir()  # the server's database lives in the data folder


def test_local_server_ui_asks_its_own_api_on_any_port(tmp_path, monkeypatch):
    import json
    import urllib.request

    from ita import serving
    from ita.settings import resolve

    for name in [n for n in os.environ if n.startswith("PREFECT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    port = free_port()
    config = resolve(inbox=str(tmp_path / "inbox"), outbox=str(tmp_path / "outbox"), data=str(tmp_path / "data"))
    (tmp_path / "data").mkdir()
    with serving.local_server(config, port) as api:
        assert api == f"http://127.0.0.1:{port}/api"
        with urllib.request.urlopen(f"{serving.ui_address(api)}/ui-settings", timeout=30) as response:
            settings = json.load(response)
    assert settings["api_url"] == f"http://127.0.0.1:{port}/api"


def test_the_temporary_server_of_ita_run_prints_into_the_log_file(tmp_path, migrated_prefect_database):
    """Whatever Prefect's server prints (stopped with a request still open,
    its database pool logs a traceback) goes to data/ita.log, never between
    the Thai lines of the terminal: both its outputs are the log file."""
    from conftest import with_prefect_history

    data = with_prefect_history(tmp_path / "data", migrated_prefect_database)
    log = data / "ita.log"
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from ita.serving import temporary_server\n"
        "with temporary_server(Path(sys.argv[1])) as server:\n"
        "    pid = server.server_process.pid\n"
        "    print(os.readlink(f'/proc/{pid}/fd/1'))\n"
        "    print(os.readlink(f'/proc/{pid}/fd/2'))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(data / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="600")  # a bound on a busy machine
    done = subprocess.run([sys.executable, "-c", script, str(log)], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == [str(log), str(log)]
