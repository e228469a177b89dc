"""Documents carry user text verbatim, in a Thai font with the complex-script
font and size set, open in LibreOffice, and do not change when nothing did."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from conftest import copy_sample, docx_text, run_pipeline
from ita.documents import KINDS, YearBuild, plan, template_path
from sample import fill
from workbooks import SAMPLE_SETUP

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HOSTILE = 'มาตรการ {{ 7*7 }} {% for x in y %} <w:p/> & "ทดสอบ" <b>'


def documents(root: Path) -> list[Path]:
    return sorted((root / "outbox").rglob("*.docx"))


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory) -> Path:
    """The sample year with template syntax and markup typed into the plan."""
    root = tmp_path_factory.mktemp("hostile")
    inbox = copy_sample(root)
    book = fill.open_book(inbox / SAMPLE_SETUP.name)
    sheet = book["มาตรการ"]
    top = fill.header_row(sheet, "กลุ่มการประเมิน")
    sheet.cell(top + 1, fill.header_columns(sheet, top)["มาตรการ/แนวทาง"]).value = HOSTILE
    fill.set_keys(book["หน่วยงาน"], {"ที่": "สร ๗๒๙๐๑/- & <ลับ>"})
    fill.save(book, inbox / SAMPLE_SETUP.name, __import__("datetime").datetime(2023, 10, 3))
    run_pipeline(root)
    return root


def test_user_text_is_printed_verbatim_never_evaluated(hostile_run):
    report = next(p for p in documents(hostile_run) if p.name.startswith("รายงานผล"))
    memo = next(p for p in documents(hostile_run) if p.name.startswith("บันทึก"))
    assert f"๑) {HOSTILE}" in docx_text(report)
    assert "สร ๗๒๙๐๑/- & <ลับ>" in docx_text(memo)
    assert "49" not in docx_text(report).split(HOSTILE)[0][-5:]


def test_every_run_has_a_thai_capable_complex_script_font(sample_run):
    root, _ = sample_run
    for path in documents(root):
        with zipfile.ZipFile(path) as package:
            styles = etree.fromstring(package.read("word/styles.xml"))
        defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        fonts = defaults.find(f"{W}rFonts")
        assert fonts.get(f"{W}cs") == "TH SarabunIT๙", path.name
        assert fonts.get(f"{W}ascii") == "TH SarabunIT๙"
        for style in styles.iter(f"{W}style"):
            rpr = style.find(f"{W}rPr")
            if rpr is not None and rpr.find(f"{W}sz") is not None:
                assert rpr.find(f"{W}szCs") is not None, (path.name, style.get(f"{W}styleId"))


def test_documents_are_valid_packages_with_fixed_timestamps(sample_run):
    root, _ = sample_run
    for path in documents(root):
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None
            assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            core = package.read("docProps/core.xml").decode()
            # Dated by its data (test_document_properties), not by a fixed stand-in.
            assert "<dcterms:created" in core and "2000-01-01" not in core


@pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                    reason="needs LibreOffice (.ci/run installs it; in CI this test always runs)")
def test_libreoffice_converts_every_document(sample_run, tmp_path):
    from ita import pdf

    root, _ = sample_run
    paths = documents(root)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *map(str, paths)],
        check=True, capture_output=True, timeout=600, env=pdf.soffice_environment(tmp_path / "data"),
    )
    pdfs = sorted(tmp_path.glob("*.pdf"))
    assert len(pdfs) == len(paths)
    assert all(p.stat().st_size > 10_000 for p in pdfs)


@pytest.mark.parametrize("kind", [k for k in KINDS if k.template], ids=lambda k: k.name)
def test_every_template_variable_is_provided(sample_run, kind):
    from docxtpl import DocxTemplate

    from ita import freshness, settings, thai
    from ita.store import Store

    root, _ = sample_run
    config = settings.resolve(inbox=str(root / "inbox"), outbox=str(root / "outbox"), data=str(root / "data"),
                              memo_date="2023-10-05")
    with Store(root / "data" / "ita.duckdb", read_only=True) as store:
        year = freshness.year_inputs(store, config, thai.label_key("องค์การบริหารส่วนตำบลตาอ็อง"), 2566,
                                     date(2023, 10, 5))
        build = YearBuild(store, year)
        given = [kind.build(build, d.month) for d in plan(year, (kind,))]
    assert given and all(given)
    for context in given:
        assert DocxTemplate(template_path(kind.template)).get_undeclared_template_variables(
            context=context) == set(), kind.name


def test_memo_carries_the_three_charts(sample_run):
    from docx import Document

    root, _ = sample_run
    memo = next(p for p in documents(root) if p.name.startswith("บันทึก"))
    assert len(Document(str(memo)).inline_shapes) == 3


def test_a_year_asks_the_store_each_thing_once_and_writes_its_documents_in_a_few_statements(sample_run, tmp_path):
    """The report and the trace workbook print the same bullets, the monthly
    reports and the trace the same rows, every document the same setup: at
    national scale each such query is a tenth of a second of the store's time
    per body. Its documents are journaled and remembered a phase at a time,
    not three statements a file."""
    from collections import Counter

    from ita import outputs, settings, thai
    from ita.documents import PHASES, YEAR_QUERIES
    from ita.store import Store

    root, _ = sample_run
    shutil.copytree(root / "data", tmp_path / "data")
    config = settings.resolve(inbox=str(root / "inbox"), outbox=str(tmp_path / "outbox"), data=str(tmp_path / "data"))
    asked: Counter = Counter()
    commands: Counter = Counter()

    class Counting(Store):
        def query(self, name, **params):
            asked[name, *sorted((k, repr(v)) for k, v in params.items())] += 1
            return super().query(name, **params)

        def command(self, name, **params):
            commands[name] += 1
            return super().command(name, **params)

    with Counting(config.database) as store:
        written = outputs.write_year_documents(store, config, thai.label_key("องค์การบริหารส่วนตำบลตาอ็อง"), 2566,
                                               date(2023, 10, 5))
    assert len(written) >= 20  # a fresh outbox: every document of the year is built
    assert {key[0] for key in asked} >= YEAR_QUERIES | {"form_carry_over_of"}
    # Only the year's own row is asked again: what the first phase wrote is part of what the next is made from.
    assert {key[0]: n for key, n in asked.items() if n > 1} == {"year_inputs": len(PHASES)}
    assert commands == {name: len(PHASES) for name in ("begin_writes", "remember_renders", "end_writes",
                                                       "remember_documents")}

def test_a_document_that_cannot_be_built_fails_its_year_but_those_built_before_it_are_written(sample_run, tmp_path,
                                                                                             monkeypatch):
    """A phase's files are written together: one that fails to build must
    not take the documents made before it down with it. The next night
    writes the rest, and rewrites none of those already written."""
    from dataclasses import replace

    from ita import documents, outputs, settings, thai
    from ita.store import Store

    root, _ = sample_run
    shutil.copytree(root / "data", tmp_path / "data")
    config = settings.resolve(inbox=str(root / "inbox"), outbox=str(tmp_path / "outbox"), data=str(tmp_path / "data"))
    body_key, day = thai.label_key("องค์การบริหารส่วนตำบลตาอ็อง"), date(2023, 10, 5)

    def broken(build, month):
        raise RuntimeError("the trace workbook could not be built")

    first_phase = documents.PHASES[0]
    assert first_phase[-1] is documents.TRACE  # built last in its phase: everything before it is at stake
    monkeypatch.setattr(documents, "PHASES", ((*first_phase[:-1], replace(documents.TRACE, build=broken)),
                                              *documents.PHASES[1:]))
    with Store(config.database) as store, pytest.raises(RuntimeError, match="could not be built"):
        outputs.write_year_documents(store, config, body_key, 2566, day)
    written = [p.name for p in config.outbox.rglob("*") if p.is_file()]
    assert len(written) >= 20 and "ที่มาของข้อมูล_2566.xlsx" not in written
    monkeypatch.undo()
    with Store(config.database) as store:
        again = outputs.write_year_documents(store, config, body_key, 2566, day)
    # The trace, and the status workbook of the phase after it, which the failure stopped.
    assert sorted(p.target.name for p in again) == ["ที่มาของข้อมูล_2566.xlsx", "สถานะการส่งรายงาน_2566.xlsx"]
