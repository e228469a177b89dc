"""PDF copies of the documents, through LibreOffice headless, for publishing
on the body's website (the ITA's OIT evidence).

LibreOffice finds fonts through fontconfig. It is given a fontconfig file of
its own (under the data folder, for the soffice process only) that adds the
packaged Sarabun (ita.thai_fonts) and puts it in place of each TH Sarabun name
the machine lacks, so a PDF made on a machine without Thai fonts embeds a
Thai font rather than a fallback, and one made without any font at all is
made at all (LibreOffice refuses to start without one)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from ita import outbox_files, thai_fonts

if TYPE_CHECKING:
    from ita.outbox_files import Placed
    from ita.store import Store

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 900
SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")


@dataclass
class PdfResult:
    written: list[Path] = field(default_factory=list)
    # DOCX → why its PDF could not be made (Thai, for the run's summary)
    failed: dict[Path, str] = field(default_factory=dict)
    # PDFs a person replaced, kept; the new one went beside each
    edited: list[Placed] = field(default_factory=list)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def documents_in(outbox: Path) -> list[Path]:
    """The DOCX documents under the outbox: not Word's owner files (`~$name.docx`,
    there while a clerk has a document open on the share) nor hidden ones
    (a file being written)."""
    return sorted(p for p in outbox.rglob("*.docx") if not p.name.startswith(("~$", ".")))


def pdf_places(pdf: Path) -> Iterator[Path]:
    """Where a DOCX's PDF goes: beside it, or, when a person replaced that PDF
    (a signed scan, an export of their own), at its new version's place —
    skipping a place that is the PDF of another DOCX (`memo_ฉบับใหม่.pdf` is
    also the PDF of `memo_ฉบับใหม่.docx`)."""
    for n, candidate in enumerate(outbox_files.places(pdf)):
        if n == 0 or not candidate.with_suffix(".docx").exists():
            yield candidate


def pdf_fingerprint(docx: Path) -> str:
    """A PDF is made from its DOCX's bytes alone (LibreOffice's PDF bytes
    differ at each conversion, so it is the DOCX that says whether it is up to date)."""
    return "pdf:" + outbox_files.sha256_of(docx.read_bytes())


def stale_pdfs(store: Store, outbox: Path) -> dict[Path, str]:
    """DOCX → fingerprint, of the documents whose PDF is not up to date where
    it goes (missing, made from other bytes of the DOCX, or replaced by a person)."""
    _adopt_unrecorded(store, outbox)
    stale = {}
    for docx in documents_in(outbox):
        fingerprint = pdf_fingerprint(docx)
        if not outbox_files.holds(store, docx.with_suffix(".pdf"), fingerprint, places_of=pdf_places,
                                  recognise=False):
            stale[docx] = fingerprint
    return stale


def _adopt_unrecorded(store: Store, outbox: Path) -> None:
    """Versions of the product before this one kept no record of the PDFs they wrote. On the
    first night that records them, a PDF at least as new as its DOCX — what
    those versions counted as up to date — is taken to be the product's, so
    an upgrade does not make every PDF look replaced by hand. From then on a
    PDF the product has no record of is a person's."""
    if store.query("pdfs_recorded")[0]["n"]:
        return
    for docx in documents_in(outbox):
        pdf = docx.with_suffix(".pdf")
        if pdf.is_file() and pdf.stat().st_mtime >= docx.stat().st_mtime:
            outbox_files.remember_renders(store, {pdf: (pdf_fingerprint(docx),
                                                        outbox_files.sha256_of(pdf.read_bytes()))})


def fontconfig_text(font_dir: Path | None, cache_dir: Path, installed: list[str],
                    system: Path | None = SYSTEM_FONTCONFIG) -> str:
    """A fontconfig file: the system's configuration, the packaged fonts, and
    each TH Sarabun name the system lacks mapped to the TH Sarabun it has, then
    to the packaged Sarabun. The aliases come before the system's rules so a
    system alias for those names (to some other Thai face) does not win."""
    substitutes = [*installed, thai_fonts.PACKAGED_FAMILY]
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">', "<fontconfig>"]
    for name in thai_fonts.DOCUMENT_FAMILIES:
        if name not in installed:
            prefer = "".join(f"<family>{escape(s)}</family>" for s in substitutes)
            lines.append(f'  <alias binding="same"><family>{escape(name)}</family><prefer>{prefer}</prefer></alias>')
    if system is not None and system.exists():
        lines.append(f'  <include ignore_missing="yes">{escape(str(system))}</include>')
    if font_dir is not None:
        lines.append(f"  <dir>{escape(str(font_dir))}</dir>")
    lines.append(f"  <cachedir>{escape(str(cache_dir))}</cachedir>")
    lines.append("</fontconfig>")
    return "\n".join(lines) + "\n"


def write_fontconfig(folder: Path) -> Path:
    """The soffice process's fontconfig file under `folder`, rewritten only when it changes."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "fonts.conf"
    text = fontconfig_text(thai_fonts.packaged_font_dir(), folder / "cache", thai_fonts.installed_th_sarabun(),
                           Path(os.environ["FONTCONFIG_FILE"]) if os.environ.get("FONTCONFIG_FILE") else SYSTEM_FONTCONFIG)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        temporary = target.with_name(".fonts.conf.part")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)
    return target


def soffice_environment(data: Path) -> dict[str, str]:
    """The environment for a soffice process: this one's, with the fonts above."""
    return {**os.environ, "FONTCONFIG_FILE": str(write_fontconfig(data / "fonts"))}


def write_pdfs(outbox: Path, data: Path, *, store: Store) -> PdfResult:
    """Convert every DOCX under `outbox` whose PDF is not up to date, with
    LibreOffice's profile and fonts under the data folder. Each PDF is made in
    a scratch folder and then placed like any document: a PDF a person put in
    its place is never overwritten (the new one goes beside it, reported as
    edited). A PDF that cannot be made is reported in the result and the log,
    and the DOCX and the other PDFs are kept."""
    documents = stale_pdfs(store, outbox)
    result = PdfResult()
    if not documents:
        return result
    program = soffice()
    if program is None:
        reason = "ไม่พบ LibreOffice (soffice) — ติดตั้ง libreoffice-writer-nogui แล้วรันอีกครั้ง"
        log.warning("เขียน PDF %d ไฟล์ไม่ได้: %s", len(documents), reason)
        result.failed = dict.fromkeys(documents, reason)
        return result
    environment = soffice_environment(data)
    profile = (data / "libreoffice").resolve().as_uri()
    by_folder: dict[Path, list[Path]] = defaultdict(list)
    for docx in documents:
        by_folder[docx.parent].append(docx)
    scratch_root = data / "pdf-scratch"
    scratch_root.mkdir(parents=True, exist_ok=True)
    for files in by_folder.values():
        with tempfile.TemporaryDirectory(dir=scratch_root) as scratch:
            # A profile of our own: a clerk's open LibreOffice would otherwise
            # take the conversion request and block it.
            reason = _convert(program, profile, Path(scratch), files, environment)
            for docx in files:
                made = Path(scratch) / f"{docx.stem}.pdf"
                if not made.is_file() or made.stat().st_size == 0:
                    result.failed[docx] = reason or "LibreOffice ไม่ได้เขียนไฟล์ PDF"
                    log.warning("เขียน PDF ของ %s ไม่ได้: %s (ไฟล์ DOCX ยังอยู่ครบ)", docx, result.failed[docx])
                    continue
                placed = outbox_files.place(store, docx.with_suffix(".pdf"), made.read_bytes, documents[docx],
                                            places_of=pdf_places, recognise=False)
                if placed.written:
                    result.written.append(placed.target)
                if placed.edited:
                    result.edited.append(placed)
    return result


def _convert(program: str, profile: str, folder: Path, files: list[Path], environment: dict[str, str]) -> str:
    """Run one conversion; '' when LibreOffice reported success, else why not."""
    try:
        subprocess.run(
            [program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(folder), *map(str, files)],
            check=True, capture_output=True, timeout=TIMEOUT_SECONDS, env=environment,
        )
    except subprocess.TimeoutExpired:
        return f"LibreOffice ทำงานเกิน {TIMEOUT_SECONDS // 60} นาที"
    except subprocess.CalledProcessError as error:
        said = " ".join((error.stderr or b"").decode(errors="replace").split())[-300:]
        return f"LibreOffice จบด้วยรหัส {error.returncode}" + (f": {said}" if said else "")
    except OSError as error:
        return f"เรียก LibreOffice ไม่ได้: {error}"
    return ""
