"""Shared fixtures: one real Prefect test server for the session, and the
bundled sample inbox run through the nightly flow once."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_INBOX = REPO / "inbox"
MEMO_DATE = date(2023, 10, 5)

# Prefect keeps its state in a temporary home, never in ~/.prefect.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="ita-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DISABLE_PANDERA_IMPORT_WARNING", "True")


@pytest.fixture(scope="session", autouse=True)
def prefect_server():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


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
