"""PDF copies of the documents, through LibreOffice headless, for publishing
on the body's website (the ITA's OIT evidence)."""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 900


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def stale_pdfs(outbox: Path) -> list[Path]:
    """DOCX files whose PDF is missing or older than the DOCX."""
    stale = []
    for docx in sorted(outbox.rglob("*.docx")):
        pdf = docx.with_suffix(".pdf")
        if not pdf.exists() or pdf.stat().st_mtime < docx.stat().st_mtime:
            stale.append(docx)
    return stale


def write_pdfs(outbox: Path, profile: Path) -> list[Path]:
    """Convert every stale DOCX under `outbox`; without LibreOffice, say so
    once and carry on."""
    documents = stale_pdfs(outbox)
    if not documents:
        return []
    program = soffice()
    if program is None:
        log.warning("ไม่พบ LibreOffice (soffice) จึงไม่ได้เขียน PDF %d ไฟล์ — ติดตั้ง libreoffice-writer-nogui แล้วรันอีกครั้ง",
                    len(documents))
        return []
    by_folder: dict[Path, list[Path]] = defaultdict(list)
    for docx in documents:
        by_folder[docx.parent].append(docx)
    for folder, files in by_folder.items():
        # A profile of our own: a clerk's open LibreOffice would otherwise
        # take the conversion request and block it.
        subprocess.run(
            [program, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--convert-to", "pdf",
             "--outdir", str(folder), *map(str, files)],
            check=True, capture_output=True, timeout=TIMEOUT_SECONDS,
        )
    return [docx.with_suffix(".pdf") for docx in documents if docx.with_suffix(".pdf").exists()]
