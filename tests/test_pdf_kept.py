"""A PDF is a document of the outbox like any other: the product replaces
only the PDFs it wrote; a PDF a person put in its place (a signed scan, an
export of their own) is kept, and the new one goes beside it. Real
LibreOffice conversions of the sample's own documents."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ita import pdf
from ita.outbox_files import NEW_VERSION
from ita.store import Store

YEAR = Path("องค์การบริหารส่วนตำบลตาอ็อง") / "2566"
MEMO = YEAR / "บันทึกข้อความ_ITA_2566.docx"
REPORT = YEAR / "รายงานผลการดำเนินการตามมาตรการ_2566.docx"
SIGNED = b"%PDF-1.4\n% the signed memo, scanned at the office\n%%EOF\n"

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                                reason="needs LibreOffice (.ci/run installs it; in CI this test always runs)")


@pytest.fixture
def documents(sample_run) -> dict[str, bytes]:
    root, _ = sample_run
    return {"memo": (root / "outbox" / MEMO).read_bytes(), "report": (root / "outbox" / REPORT).read_bytes()}


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "data" / "ita.duckdb") as s:
        yield s


def convert(tmp_path: Path, store: Store) -> pdf.PdfResult:
    return pdf.write_pdfs(tmp_path / "outbox", tmp_path / "data", store=store)


def test_a_pdf_is_made_once_per_content_of_its_docx(tmp_path, store, documents):
    docx = tmp_path / "outbox" / "บันทึก.docx"
    docx.parent.mkdir(parents=True)
    docx.write_bytes(documents["memo"])
    assert convert(tmp_path, store).written == [docx.with_suffix(".pdf")]
    first = docx.with_suffix(".pdf").read_bytes()
    assert first.startswith(b"%PDF")
    assert convert(tmp_path, store) == pdf.PdfResult()  # nothing new: not converted again
    docx.write_bytes(documents["report"])
    again = convert(tmp_path, store)
    assert (again.written, again.edited) == ([docx.with_suffix(".pdf")], [])  # the product's own PDF is replaced
    assert docx.with_suffix(".pdf").read_bytes() != first


def test_a_pdf_a_person_put_in_its_place_is_kept_and_the_new_one_goes_beside_it(tmp_path, store, documents):
    docx = tmp_path / "outbox" / "บันทึก.docx"
    docx.parent.mkdir(parents=True)
    docx.write_bytes(documents["memo"])
    convert(tmp_path, store)
    docx.with_suffix(".pdf").write_bytes(SIGNED)
    docx.write_bytes(documents["report"])  # the document changes after the clerk's scan
    made = convert(tmp_path, store)
    new = tmp_path / "outbox" / f"บันทึก_{NEW_VERSION}.pdf"
    assert docx.with_suffix(".pdf").read_bytes() == SIGNED
    assert made.written == [new] and new.read_bytes().startswith(b"%PDF")
    assert [(p.path, p.target) for p in made.edited] == [(docx.with_suffix(".pdf"), new)]
    assert convert(tmp_path, store) == pdf.PdfResult()


def test_the_new_pdf_does_not_take_the_place_of_another_documents_pdf(tmp_path, store, documents):
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    (outbox / "บันทึก.docx").write_bytes(documents["memo"])
    (outbox / "บันทึก.pdf").write_bytes(SIGNED)
    # The DOCX was edited by hand too: its new version has its own PDF.
    (outbox / f"บันทึก_{NEW_VERSION}.docx").write_bytes(documents["report"])
    store.command("remember_renders", paths=[str(outbox / "ของระบบ.pdf")], fingerprints=["f"], sha256s=["s"])
    made = convert(tmp_path, store)
    assert sorted(p.name for p in made.written) == sorted([f"บันทึก_{NEW_VERSION}.pdf", f"บันทึก_{NEW_VERSION}_2.pdf"])
    assert (outbox / "บันทึก.pdf").read_bytes() == SIGNED
    assert [p.target.name for p in made.edited] == [f"บันทึก_{NEW_VERSION}_2.pdf"]
    assert convert(tmp_path, store) == pdf.PdfResult()


def test_pdfs_an_earlier_version_wrote_are_taken_as_the_products_own_on_the_first_night(tmp_path, store, documents):
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    old, behind = outbox / "บันทึก.docx", outbox / "รายงาน.docx"
    old.write_bytes(documents["memo"])
    behind.write_bytes(documents["report"])
    legacy = b"%PDF-1.4\n% written by the earlier version\n%%EOF\n"
    old.with_suffix(".pdf").write_bytes(legacy)
    behind.with_suffix(".pdf").write_bytes(legacy)
    os.utime(behind.with_suffix(".pdf"), (behind.stat().st_mtime - 60,) * 2)  # older than its DOCX
    made = convert(tmp_path, store)
    assert old.with_suffix(".pdf").read_bytes() == legacy  # up to date for the earlier version: adopted, not redone
    assert made.written == [outbox / f"รายงาน_{NEW_VERSION}.pdf"]  # its record unknown: kept as a person's
    old.write_bytes(documents["report"])
    assert convert(tmp_path, store).written == [old.with_suffix(".pdf")]  # adopted: the product's to replace


def test_word_owner_files_and_files_being_written_are_not_documents(tmp_path, documents):
    outbox = tmp_path / "outbox" / "ก"
    outbox.mkdir(parents=True)
    (outbox / "บันทึก.docx").write_bytes(documents["memo"])
    (outbox / "~$บันทึก.docx").write_bytes(b"\x0bclerk name" + bytes(150))
    (outbox / ".บันทึก.docx.part").write_bytes(b"half")
    (outbox / ".ครึ่ง.docx").write_bytes(b"half")
    assert pdf.documents_in(tmp_path / "outbox") == [outbox / "บันทึก.docx"]


def test_a_kept_pdf_is_in_the_nights_summary_of_edited_documents(tmp_path, monkeypatch):
    from conftest import run_pipeline
    from ita.outbox_files import Placed

    (tmp_path / "inbox").mkdir()
    own = tmp_path / "outbox" / "บันทึก.pdf"
    beside = own.with_name(f"บันทึก_{NEW_VERSION}.pdf")

    def kept_one(outbox, data, *, store):
        return pdf.PdfResult(written=[beside], edited=[Placed(own, beside, written=True)])

    monkeypatch.setattr(pdf, "write_pdfs", kept_one)
    result = run_pipeline(tmp_path, pdf=True)
    assert result["edited"] == [{"path": str(own), "new_version": str(beside)}]
    assert result["pdf"] == [str(beside)]
