"""The documents as a person sees them: converted to PDF by LibreOffice with
the packaged Sarabun, checked for page size, margins, fonts, header rows and
charts."""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import date
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import copy_sample, run_pipeline
from ita.pdf import soffice_environment
from ita.year_setup import year_setup

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="needs LibreOffice and poppler-utils (.ci/run installs them; in CI these tests always run)",
)
A4 = (595.0, 842.0)  # points
CM = 72 / 2.54


def sh(*args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=300, env=env).stdout


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
def sample_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pdf")
    copy_sample(root)
    result = run_pipeline(root, pdf=True)
    assert len(result["pdf"]) == len(list((root / "outbox").rglob("*.docx")))
    return root


@pytest.fixture(scope="module")
def pdfs(sample_root) -> dict[str, Path]:
    folder = sample_root / "outbox" / "องค์การบริหารส่วนตำบลตาอ็อง" / "2566"
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


THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def page_number_words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """The words of the top band of a page (above the 2 cm top margin) that
    are a number."""
    return [w for w in words(pdf, page) if w[1] < 2 * CM and w[4].translate(THAI_DIGITS).isdigit()]


@pytest.mark.parametrize("document", ["memo", "report", "monthly"])
def test_every_page_but_the_first_is_numbered_at_the_top_centre(pdfs, document):
    pdf = pdfs[document]
    count = len(page_sizes(pdf))
    assert count >= 2
    assert page_number_words(pdf, 1) == []
    for page in range(2, count + 1):
        width = page_sizes(pdf)[page - 1][0]
        found = page_number_words(pdf, page)
        assert [w[4].translate(THAI_DIGITS) for w in found] == [str(page)], f"page {page}"
        x_min, _, x_max, _, _ = found[0]
        assert abs((x_min + x_max) / 2 - width / 2) < 1 * CM, f"page {page}"
        assert re.search(rf"-\s*{found[0][4]}\s*-", page_texts(pdf)[page - 1]), f"page {page}"


@pytest.mark.parametrize("document", ["memo", "report", "monthly"])
def test_the_page_number_is_a_page_field_in_thai_digits(pdfs, document):
    """What Word shows: a PAGE field (kept right after edits) in the Thai
    digits of the sections' page-number format; none on the first page."""
    docx = pdfs[document].with_suffix(".docx")
    with zipfile.ZipFile(docx) as archive:
        body = archive.read("word/document.xml").decode()
        headers = [archive.read(n).decode() for n in archive.namelist() if n.startswith("word/header")]
    sections = re.findall(r"<w:sectPr\b.*?</w:sectPr>", body, re.S)
    assert sections and all('<w:pgNumType w:fmt="thaiNumbers"/>' in s for s in sections)
    assert "<w:titlePg/>" in sections[0]
    numbered = [h for h in headers if 'w:instr=" PAGE "' in h]
    assert len(numbered) == 1 and re.search(r"- </w:t>.*PAGE.*<w:t[^>]*> -<", numbered[0], re.S)
    first = re.search(r'<w:headerReference w:type="first" r:id="(\w+)"', sections[0])
    default = re.search(r'<w:headerReference w:type="default" r:id="(\w+)"', sections[0])
    assert first and default and first.group(1) != default.group(1)


EMBLEM_HEIGHT_CM = 1.5


def emblem_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (540, 600), "white")
    ImageDraw.Draw(image).ellipse((20, 20, 520, 580), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def images(pdf: Path, page: int = 1) -> list[tuple[float, float, float, float]]:
    """(left, top, width, height) in points of each picture on `page`."""
    xml = sh("pdftohtml", "-xml", "-stdout", "-zoom", "1", "-f", str(page), "-l", str(page), str(pdf))
    return [tuple(float(v) for v in m) for m in
            re.findall(r'<image top="([\d.]+)" left="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', xml)]


@pytest.fixture(scope="module")
def memo_with_emblem(sample_root, tmp_path_factory) -> Path:
    from ita import contexts
    from ita.paths import TEMPLATES
    from ita.render import Picture, render_bytes
    from ita.store import Store

    with Store(sample_root / "data" / "ita.duckdb", read_only=True) as store:
        setup = year_setup(store, contexts.thai.label_key("องค์การบริหารส่วนตำบลตาอ็อง"), 2566)
        context = contexts.memo_context(setup, date(2023, 10, 5))
    context["emblem"] = Picture(emblem_png(), height_mm=EMBLEM_HEIGHT_CM * 10)
    folder = tmp_path_factory.mktemp("emblem")
    docx = folder / "memo.docx"
    docx.write_bytes(render_bytes(TEMPLATES / "memo.docx", context, "TH SarabunIT๙"))
    # With the fonts the product gives LibreOffice (ita.pdf): on a machine
    # without a Thai font, a bare soffice sets the title in a fallback font
    # of another width, and the title would seem to move.
    sh("soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
       "--convert-to", "pdf", "--outdir", str(folder), str(docx), env=soffice_environment(folder))
    return docx.with_suffix(".pdf")


def test_the_emblem_is_1_5_cm_high_at_the_top_left_level_with_the_title(memo_with_emblem):
    top, left, width, height = min(images(memo_with_emblem))  # the topmost picture
    assert abs(height - EMBLEM_HEIGHT_CM * CM) < 0.1 * CM
    assert abs(left - 3 * CM) < 0.5 * CM  # at the left margin
    title = [w for w in words(memo_with_emblem) if "บันทึกข้อความ" in w[4]]
    assert len(title) == 1
    _, title_top, _, title_bottom, _ = title[0]
    # On the title's line, not in a paragraph above it: the two overlap in height.
    assert top < title_bottom and title_top < top + height
    assert not [w for w in words(memo_with_emblem) if w[3] < title_top]  # nothing printed above the line


def test_without_an_emblem_the_title_stands_where_it_does_with_one(pdfs, memo_with_emblem):
    plain = [w for w in words(pdfs["memo"]) if "บันทึกข้อความ" in w[4]][0]
    emblem = [w for w in words(memo_with_emblem) if "บันทึกข้อความ" in w[4]][0]
    assert abs(plain[0] - emblem[0]) < 0.2 * CM and abs(plain[2] - emblem[2]) < 0.2 * CM
