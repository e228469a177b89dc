"""Every DOCX and XLSX the sample run writes is valid Office Open XML
(ISO/IEC 29500 Transitional, read from ../shared/ooxml_schemas), and the
check itself catches a broken part."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import ooxml
from ita import xlsx_templates
from workbooks import SAMPLE_SETUP, run_ita

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def document(body: str, *, root_attributes: str = "") -> bytes:
    return (f'<w:document xmlns:w="{W}" xmlns:mc="{MC}" xmlns:w14="{W14}" {root_attributes}>'
            f"<w:body>{body}</w:body></w:document>").encode()


def run(properties: str) -> str:
    return f"<w:p><w:r><w:rPr>{properties}</w:rPr><w:t>ทดสอบ</w:t></w:r></w:p>"


def messages(problems: list[ooxml.Invalid]) -> str:
    return "\n".join(str(p) for p in problems)


def written(root: Path) -> list[Path]:
    return sorted(p for suffix in ("*.docx", "*.xlsx") for p in (root / "outbox").rglob(suffix))


def test_every_document_and_workbook_of_the_sample_run_is_valid(sample_run):
    root, _ = sample_run
    packages = written(root)
    assert len([p for p in packages if p.suffix == ".docx"]) >= 14  # memo, report, twelve monthly reports
    assert any(p.name.startswith("สถานะการส่งรายงาน") for p in packages)
    assert any(p.name.endswith("_ตรวจแล้ว.xlsx") for p in packages)  # a marked copy of a rejected file
    invalid = {p.name: messages(ooxml.validate_package(p)) for p in packages}
    assert {name: text for name, text in invalid.items() if text} == {}


@pytest.mark.parametrize("name", ["memo.docx", "report.docx", "monthly.docx", "period_report.docx", "period_memo.docx"])
def test_the_templates_are_valid(name):
    assert messages(ooxml.validate_package(TEMPLATES / name)) == ""


def test_the_blank_workbooks_clerks_fill_in_are_valid(tmp_path):
    setup = tmp_path / "setup.xlsx"
    setup.write_bytes(xlsx_templates.setup_template(2567))
    monthly = tmp_path / "monthly.xlsx"
    run_ita("template", "monthly", "--setup", SAMPLE_SETUP, "--division", "กองคลัง", "--month", "ม.ค. 66", "-o", monthly)
    assert messages(ooxml.validate_package(setup)) == ""
    assert messages(ooxml.validate_package(monthly)) == ""


def test_run_properties_in_the_order_word_expects_are_valid():
    assert ooxml.validate_part("word/document.xml", document(run('<w:b/><w:bCs/><w:sz w:val="32"/>'))) == []


@pytest.mark.parametrize("properties", [
    '<w:sz w:val="32"/><w:b/>',  # size before bold
    '<w:lang w:val="th-TH"/><w:rFonts w:cs="TH SarabunIT๙"/>',  # fonts after language
])
def test_run_properties_out_of_order_are_invalid(properties):
    problems = ooxml.validate_part("word/document.xml", document(run(properties)))
    assert problems and all(p.part == "word/document.xml" for p in problems)
    assert "This element is not expected" in messages(problems)


def test_an_element_the_schema_does_not_know_is_invalid():
    problems = ooxml.validate_part("word/document.xml", document("<w:p><w:paragraphMark/></w:p>"))
    assert "paragraphMark" in messages(problems)


def test_an_ignorable_extension_is_tolerated_and_the_same_markup_without_it_is_not():
    body = '<w:p w14:paraId="1A2B3C4D"><w:r><w:t>ก</w:t></w:r></w:p>'
    assert ooxml.validate_part("word/document.xml", document(body, root_attributes='mc:Ignorable="w14"')) == []
    assert "paraId" in messages(ooxml.validate_part("word/document.xml", document(body)))


@pytest.mark.parametrize("fallback, valid", [
    ("<w:r><w:t>ก</w:t></w:r>", True),
    ("<w:r><w:notARunChild/></w:r>", False),
])
def test_alternate_content_is_read_as_its_fallback(fallback, valid):
    body = (f'<w:p><mc:AlternateContent><mc:Choice Requires="w14"><w14:unknown/></mc:Choice>'
            f"<mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent></w:p>")
    assert (ooxml.validate_part("word/document.xml", document(body)) == []) is valid


def test_a_deliberately_broken_part_of_a_real_document_fails(sample_run, tmp_path):
    root, _ = sample_run
    memo = next((root / "outbox").rglob("บันทึกข้อความ_*.docx"))
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(memo) as source, zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                # Swap the first run's properties into an order Word refuses.
                data = data.replace(b"<w:rPr><w:rStyle", b"<w:rPr><w:sz w:val=\"40\"/><w:rStyle", 1)
                assert data != source.read(name)
            target.writestr(name, data)
    problems = ooxml.validate_package(broken)
    assert [p.part for p in problems] == ["word/document.xml"]
    assert "rStyle" in problems[0].message


def test_a_workbook_with_a_broken_part_fails(tmp_path):
    good = xlsx_templates.setup_template(2567)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/workbook.xml":
                data = data.replace(b"<sheets>", b"<sheets><calcPr/>", 1)
            target.writestr(name, data)
    assert [p.part for p in ooxml.validate_package(broken)] == ["xl/workbook.xml"]
