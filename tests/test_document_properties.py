"""What the documents say about themselves (Word's File > Info): the title
and author their text gives, the date of their data, and no part that is
not ours (python-docx's sample thumbnail and bibliography)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document

from ita.render import period_end, render_bytes
from ita.paths import TEMPLATES

FONT = "TH SarabunIT๙"
FOREIGN = ("docProps/thumbnail", "customXml/", "word/stylesWithEffects")


def docx_files(root: Path) -> list[Path]:
    return sorted((root / "outbox").rglob("*.docx"))


def test_no_document_carries_the_sample_thumbnail_or_bibliography(sample_run):
    root, _ = sample_run
    for path in docx_files(root) + sorted(TEMPLATES.glob("*.docx")):
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            app = archive.read("docProps/app.xml").decode()
        assert [n for n in names if n.startswith(FOREIGN)] == [], path.name
        assert "Microsoft" not in app and "<Pages>" not in app, path.name


def test_properties_name_the_document_and_its_body_and_no_invented_date(sample_run):
    root, _ = sample_run
    seen = {}
    for path in docx_files(root):
        properties = Document(str(path)).core_properties
        assert properties.author == "สำนักปลัด องค์การบริหารส่วนตำบลตาอ็อง", path.name
        assert properties.last_modified_by == properties.author
        assert properties.comments == "" and "docxtpl" not in properties.title
        assert properties.language == "th-TH"
        assert properties.created is not None and properties.created == properties.modified
        assert properties.created.year >= 2022 and properties.last_printed is None
        seen[path.stem] = properties.title
    assert seen["บันทึกข้อความ_ITA_2566"] == (
        "บันทึกข้อความ เรื่อง รายงานการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน")
    assert seen["รายงานผลการดำเนินการตามมาตรการ_2566"] == (
        "รายงานการดำเนินการตามมาตรการ ส่งเสริมคุณธรรมและความโปร่งใส องค์การบริหารส่วนตำบลตาอ็อง "
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖")
    assert seen["2565-11_พฤศจิกายน"].startswith(
        "รายงานผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำเดือน พฤศจิกายน ๒๕๖๕ ")


ORGS = [
    {"name": "องค์การบริหารส่วนตำบลตาอ็อง", "owner_division": "สำนักปลัด"},
    {"name": "เทศบาลตำบลบ้านใหม่ไชยพจน์", "owner_division": "กองคลัง"},
    {"name": "องค์การบริหารส่วนจังหวัดนครศรีธรรมราช", "owner_division": "สำนักปลัดองค์การบริหารส่วนจังหวัด"},
]


@pytest.mark.parametrize("org", ORGS)
@pytest.mark.parametrize("created", [datetime(2023, 9, 12, 16, 45, 3), datetime(2022, 10, 31, 8, 0)])
def test_the_date_the_caller_gives_is_the_documents_date(org, created):
    data = render_bytes(TEMPLATES / "monthly.docx", {"org": org, "month_text": "กันยายน ๒๕๖๖"}, FONT, created=created)
    properties = Document(io.BytesIO(data)).core_properties
    assert properties.created.replace(tzinfo=None) == properties.modified.replace(tzinfo=None) == created
    assert properties.author == f"{org['owner_division']} {org['name']}"
    assert org["name"] in properties.title and "กันยายน ๒๕๖๖" in properties.title


@pytest.mark.parametrize("context, end", [
    ({"month_text": "กันยายน ๒๕๖๖"}, datetime(2023, 9, 30)),
    ({"month_text": "กุมภาพันธ์ ๒๕๖๗", "fiscal_year": "๒๕๖๗"}, datetime(2024, 2, 29)),
    ({"fiscal_year": "๒๕๖๖"}, datetime(2023, 9, 30)),
    ({"last_month_text": "มีนาคม ๒๕๖๖", "fiscal_year": "๒๕๖๖"}, datetime(2023, 3, 31)),  # a period's report
    ({"fiscal_year": "2570"}, datetime(2027, 9, 30)),
    ({}, None),
])
def test_without_a_date_the_document_is_dated_by_the_end_of_its_period(context, end):
    assert period_end(context) == end
    data = render_bytes(TEMPLATES / "report.docx", {"org": ORGS[0], **context}, FONT)
    created = Document(io.BytesIO(data)).core_properties.created
    assert (created and created.replace(tzinfo=None)) == end
    assert render_bytes(TEMPLATES / "report.docx", {"org": ORGS[0], **context}, FONT) == data
