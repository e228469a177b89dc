"""The documents as a person sees them: converted to PDF by LibreOffice with
the packaged Sarabun, checked for page size, margins, fonts, header rows and
charts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import copy_sample, run_pipeline

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="needs LibreOffice and poppler-utils (.ci/run installs them; in CI these tests always run)",
)
A4 = (595.0, 842.0)  # points
CM = 72 / 2.54


def sh(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=300).stdout


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = sh("pdfinfo", "-f", "1", "-l", "999", str(pdf))
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def page_texts(pdf: Path) -> list[str]:
    # In content order: laid out by position, Sarabun's raised vowels and
    # tone marks land on a line of their own and split the words they belong to.
    return sh("pdftotext", "-raw", str(pdf), "-").split("\f")[:-1]


def words(pdf: Path, page: int = 1) -> list[tuple[float, float, float, float, str]]:
    html = sh("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-")
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("pdf")
    copy_sample(root)
    result = run_pipeline(root, pdf=True)
    folder = root / "outbox" / "องค์การบริหารส่วนตำบลตาอ็อง" / "2566"
    assert len(result["pdf"]) == len(list((root / "outbox").rglob("*.docx")))
    return {
        "memo": folder / "บันทึกข้อความ_ITA_2566.pdf",
        "report": folder / "รายงานผลการดำเนินการตามมาตรการ_2566.pdf",
        "monthly": folder / "รายงานประจำเดือน" / "2566-09_กันยายน.pdf",
    }


@pytest.mark.parametrize("document", ["memo", "report", "monthly"])
def test_thai_text_is_set_in_the_sarabun_shape_with_no_fallback_font(pdfs, document):
    fonts = sh("pdffonts", str(pdfs[document])).splitlines()[2:]
    families = {line.split()[0].split("+")[-1] for line in fonts}
    # The packaged Sarabun, or a TH Sarabun where the machine has one (PostScript names).
    assert families and all(f.startswith(("Sarabun-", "THSarabun")) for f in families), families


def test_memo_is_a4_portrait_with_the_official_margins(pdfs):
    sizes = page_sizes(pdfs["memo"])
    assert all(abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1 for w, h in sizes)
    body = [w for w in words(pdfs["memo"]) if w[1] > 150]  # below the title block
    left = min(w[0] for w in body)
    right = max(w[2] for w in body)
    assert abs(left - 3 * CM) < 4, left  # 3 cm
    assert right <= A4[0] - 2 * CM + 2, right  # 2 cm


def test_memo_title_is_29_point_and_the_date_in_thai_digits(pdfs):
    title = [w for w in words(pdfs["memo"]) if "บันทึกข้อความ" in w[4]]
    assert title
    height = title[0][3] - title[0][1]
    body = [w[3] - w[1] for w in words(pdfs["memo"]) if w[4] == "เรียน"]
    assert height / body[0] == pytest.approx(29 / 16, rel=0.2)
    assert "๕ ตุลาคม ๒๕๖๖" in page_texts(pdfs["memo"])[0]


def test_memo_charts_are_images(pdfs):
    images = sh("pdfimages", "-list", str(pdfs["memo"])).splitlines()[2:]
    assert len(images) >= 3
    assert all(int(line.split()[3]) >= 1000 for line in images[:3])  # ≥ 200 dpi at 15 cm


def test_report_title_page_portrait_then_landscape_tables_with_header_on_every_page(pdfs):
    sizes = page_sizes(pdfs["report"])
    assert sizes[0][0] < sizes[0][1]
    assert len(sizes) > 3 and all(w > h for w, h in sizes[1:])
    for number, text in enumerate(page_texts(pdfs["report"])[1:], start=2):
        # Header cells wrap in the PDF's text layer, so look for words that fit on one line.
        assert "ผู้รับผิดชอบ" in text and "ระยะเวลา" in text and "มาตรการ/แนวทาง" in text, f"page {number}"


def test_monthly_report_pages_repeat_the_header_and_highlight_who_is_missing(pdfs):
    texts = page_texts(pdfs["monthly"])
    assert "ส่วนราชการที่ยังไม่ส่งรายงาน" in texts[0]
    table_pages = [t for t in texts[1:] if t.strip()]
    assert table_pages and all("มาตรการ/แนวทาง" in t and "สถานะ" in t for t in table_pages)
