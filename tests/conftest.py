"""Shared fixtures: one real Prefect test server for the session, and the
bundled sample inbox run through the nightly flow once.

The suite runs on several pytest-xdist workers (README): each worker is its
own session, with its own Prefect home and test server; what is costly and
the same for every worker (a migrated Prefect database) is made once, under a
lock, in the folder the workers' temporary folders share."""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_INBOX = REPO / "inbox"
MEMO_DATE = date(2023, 10, 5)

# Prefect keeps its state in a temporary home, never in ~/.prefect; one per
# xdist worker (the workers inherit the controller's environment), so that no
# two workers share Prefect's files.
_home = Path(os.environ.get("PREFECT_HOME") or tempfile.mkdtemp(prefix="ita-prefect-"))
if os.environ.get("PYTEST_XDIST_WORKER"):
    _home = _home / os.environ["PYTEST_XDIST_WORKER"]
    _home.mkdir(parents=True, exist_ok=True)
os.environ["PREFECT_HOME"] = str(_home)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DISABLE_PANDERA_IMPORT_WARNING", "True")


def shared_folder(tmp_path_factory) -> Path:
    """The temporary folder all workers of this test session share (the
    session's own when it runs without workers)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _locked(path: Path):
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def made_once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """shared_folder/name, made by `make(folder)` by the first worker that
    asks and used as it is by the others; `make` writes into a fresh folder
    that is renamed into place only once complete."""
    shared = shared_folder(tmp_path_factory)
    target = shared / name
    with _locked(shared / f"{name}.lock"):
        if not target.exists():
            building = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=shared))
            make(building)
            building.rename(target)
    return target


def _migrate_prefect_database(folder: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(folder / "home"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    done = subprocess.run([sys.executable, "-m", "prefect", "server", "database", "upgrade", "-y"], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    # One self-contained file: what the migrations left in the write-ahead log too.
    with sqlite3.connect(folder / "home" / "prefect.db") as source, sqlite3.connect(folder / "prefect.db") as copy:
        source.backup(copy)
    shutil.rmtree(folder / "home")


@pytest.fixture(scope="session")
def migrated_prefect_database(tmp_path_factory) -> Path:
    """A Prefect database already migrated to the installed Prefect's schema:
    a fresh one takes the temporary server ~15 s of CPU to migrate."""
    return made_once(tmp_path_factory, "prefect-migrated", _migrate_prefect_database) / "prefect.db"


@pytest.fixture(scope="session", autouse=True)
def prefect_server(migrated_prefect_database):
    """Prefect's test server (prefect_test_harness), its database a copy of
    the migrated one. The harness makes its database as prefect-test.db in a
    fresh mkdtemp() folder (Prefect 3.9): that folder is given the copy.
    Were Prefect to name it otherwise, its server would migrate an empty
    database as before, only slower."""
    from unittest import mock

    from prefect.testing import utilities

    def folder_with_migrated_database() -> str:
        folder = tempfile.mkdtemp(prefix="ita-prefect-test-")
        shutil.copyfile(migrated_prefect_database, Path(folder, "prefect-test.db"))
        return folder

    # Several workers start their servers at once, next to other work: a
    # bound on a hang, not a timing.
    harness = utilities.prefect_test_harness(server_startup_timeout=600)
    with mock.patch.object(utilities, "mkdtemp", folder_with_migrated_database):  # only while it starts
        harness.__enter__()
    try:
        yield
    finally:
        harness.__exit__(None, None, None)


def with_prefect_history(data: Path, migrated: Path) -> Path:
    """A data folder whose Prefect history (data/prefect, where `ita run`
    keeps it) is already migrated, as after the office's first night: for
    tests of later nights, not of the first one."""
    (data / "prefect").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(migrated, data / "prefect" / "prefect.db")
    return data


def copy_sample(target: Path) -> Path:
    inbox = target / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    return inbox


def run_pipeline(root: Path, memo_date: date | None = MEMO_DATE, pdf: bool = False) -> dict:
    from flows.nightly import nightly

    return nightly(settings={
        "inbox": str(root / "inbox"), "outbox": str(root / "outbox"), "data": str(root / "data"),
        "memo_date": memo_date.isoformat() if memo_date else "", "pdf": "1" if pdf else "0",
    })


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> tuple[Path, dict]:
    """The sample inbox after one nightly run: (root folder, flow result)."""
    root = tmp_path_factory.mktemp("sample")
    copy_sample(root)
    return root, run_pipeline(root)


def docx_text(path: Path) -> str:
    """A document's text in reading order: paragraphs, then tables cell by cell."""
    from docx import Document

    document = Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            seen = []
            for cell in row.cells:
                if cell._tc not in seen:  # merged cells repeat
                    seen.append(cell._tc)
                    lines.append(cell.text)
    return "\n".join(lines)
