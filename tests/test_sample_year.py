"""The bundled sample (FY 2566 of อบต.ตาอ็อง) through the nightly flow gives
the seed's memo and report."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

from conftest import REPO, docx_text, run_pipeline
from sample import taong_fy2566 as sample

SEED = REPO.parent / "shared" / "seed" / "000_557e4edfc99950d9.txt"
GOLDEN = Path(__file__).parent / "golden"
TYPOS = ("ตาอ้ออง", "ต่าอ้ออง", "เยี่ยม")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def year_folder(root: Path) -> Path:
    return root / "outbox" / "องค์การบริหารส่วนตำบลตาอ็อง" / "2566"


@pytest.fixture(scope="module")
def memo(sample_run) -> str:
    root, _ = sample_run
    return docx_text(year_folder(root) / "บันทึกข้อความ_ITA_2566.docx")


@pytest.fixture(scope="module")
def report(sample_run) -> str:
    root, _ = sample_run
    return docx_text(year_folder(root) / "รายงานผลการดำเนินการตามมาตรการ_2566.docx")


def test_sample_data_is_the_seed_with_its_typos_fixed():
    seed = squeeze(SEED.read_text(encoding="utf-8"))
    seed = seed.replace("ต่าอ้ออง", "ตาอ็อง").replace("ตาอ้ออง", "ตาอ็อง").replace("เยี่ยม", "ยืม")
    for measure in sample.MEASURES:
        for text in [measure["title"], *measure["steps"], *measure["summary"], *measure["outcomes"]]:
            assert squeeze(text) in seed, text
    for guideline in sample.GUIDELINES:
        assert squeeze(guideline) in seed


def test_run_accepts_every_sample_sheet_but_the_one_with_mistakes(sample_run):
    _, result = sample_run
    assert result["rejected"] == ["สำเนาของ รายงาน_กองช่าง_พ.ย.๖๕.xlsx"]
    assert len(result["accepted"]) == len(list((REPO / "inbox").iterdir())) - 1
    assert any(name.endswith(".xls") for name in result["accepted"])
    assert any(name.endswith(".ods") for name in result["accepted"])


def test_memo_states_score_level_and_signatories(memo):
    assert "๙๘.๑๓ คะแนน" in memo
    assert "โดยมีผลการประเมินระดับ ผ่านดี หมายถึง" in memo
    assert "วันที่ ๕ ตุลาคม ๒๕๖๖" in memo
    assert "ที่ สร ๗๒๙๐๑/-" in memo
    assert "เรียน นายกองค์การบริหารส่วนตำบลตาอ็อง" in memo
    for _, _, name, position in sample.SIGNATORIES:
        assert f"( {name} )" in memo
        assert position in memo


def test_memo_lists_the_17_guidelines_in_order(memo):
    positions = [memo.index(f"{number}) {text}") for number, text in
                 zip("๑ ๒ ๓ ๔ ๕ ๖ ๗ ๘ ๙ ๑๐ ๑๑ ๑๒ ๑๓ ๑๔ ๑๕ ๑๖ ๑๗".split(), sample.GUIDELINES)]
    assert positions == sorted(positions) and len(positions) == 17


def test_memo_indicator_table(memo):
    for key in map(str, range(1, 11)):
        name, scores = sample.ITA_SCORES[key]
        assert f"{key}\n{name}\n{scores[-1]:.2f}" in memo


@pytest.fixture(scope="module")
def report_rows(sample_run) -> list[list[str]]:
    from docx import Document

    root, _ = sample_run
    document = Document(str(year_folder(root) / "รายงานผลการดำเนินการตามมาตรการ_2566.docx"))
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


@pytest.mark.parametrize("measure", sample.MEASURES, ids=lambda m: f"measure-{m['no']}")
def test_report_row_of_each_measure_holds_the_seed_texts_once_in_order(report_rows, measure):
    rows = [r for r in report_rows if squeeze(measure["title"]) in squeeze(r[0])]
    assert len(rows) == 1
    cells = dict(zip(("title", "steps", "responsible", "period", "summary", "outcomes"), rows[0]))
    assert cells["period"] == measure["period"]
    for field in ("steps", "responsible", "summary", "outcomes"):
        # One paragraph per item, in the seed's order, each once: the
        # monthly repeats are consolidated away.
        assert [squeeze(line) for line in cells[field].split("\n") if line.strip()] == \
            [squeeze(item) for item in measure[field]], field


def test_report_uses_only_the_latest_version_of_a_resubmitted_sheet(report):
    assert "ฉบับนี้ถูกแทนที่" not in report


@pytest.mark.parametrize("document", ["memo", "report"])
def test_hand_process_typos_are_gone(request, document):
    text = request.getfixturevalue(document)
    for typo in TYPOS:
        assert typo not in text


@pytest.mark.parametrize("document", ["memo", "report"])
def test_document_text_matches_golden(request, document):
    """The documents' words must not drift; UPDATE_GOLDEN=1 rewrites them."""
    text = request.getfixturevalue(document)
    golden = GOLDEN / f"{document}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_monthly_reports_for_each_month_and_who_is_missing(sample_run):
    root, _ = sample_run
    monthly = sorted((year_folder(root) / "รายงานประจำเดือน").glob("*.docx"))
    assert [p.name[:7] for p in monthly] == [f"{y}-{m:02d}" for y, m in
                                            [(2565, 10), (2565, 11), (2565, 12)] + [(2566, m) for m in range(1, 10)]]
    september = docx_text(monthly[-1])
    assert "กองสวัสดิการสังคม" in september.split("ส่วนราชการที่ยังไม่ส่งรายงาน")[1].split("\n")[0]
    october = docx_text(monthly[0])
    assert "ทุกส่วนราชการส่งรายงานครบแล้ว" in october
    # Sheets repeat last month's bullets; a month's report shows what was added.
    first_bullet = sample.MEASURES[1]["summary"][0]
    assert first_bullet in october and first_bullet not in september


def test_second_run_changes_nothing(tmp_path, sample_run):
    root, _ = sample_run
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (root / "outbox").rglob("*") if p.is_file()}
    import duckdb

    def counts() -> dict:
        with duckdb.connect(str(root / "data" / "ita.duckdb"), read_only=True) as con:
            return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0]
                    for t in ("files", "submissions", "submission_rows", "submission_bullets", "setups")}

    rows_before = counts()
    result = run_pipeline(root)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (root / "outbox").rglob("*") if p.is_file()}
    assert result["accepted"] == [] and result["written"] == []
    assert after == before
    assert counts() == rows_before


def test_every_original_is_archived_or_quarantined_unchanged(sample_run):
    root, _ = sample_run
    stored = {p.name.split(".")[0] for p in (root / "data").glob("*/*") if p.is_file()}
    for original in (REPO / "inbox").iterdir():
        assert hashlib.sha256(original.read_bytes()).hexdigest() in stored, original.name
    assert list((root / "inbox").iterdir()) == []
