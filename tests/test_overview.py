"""The province overview: one row per body, with the same counts as
`ita status`, the ITA score and level, and whether the year-end documents
are ready."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import REPO
from ita import ita_levels, overview, overview_workbook, settings, thai
from ita.cli import main
from ita.inbox import scan
from ita.ingest import load, read_and_validate
from ita.paths import memo_path, overview_path, report_path
from ita.store import Store

YEAR = 2566
FONT = settings.SETTINGS_BY_NAME["font"].default  # the font the runs here write in
MARKS = {"✓": "received", "✗": "rejected", "·": "missing"}


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> tuple[Path, dict]:
    """Two generated bodies; some months' only sheet is a rejected one, one
    month's sheet never came, the second body stops after a few months."""
    root = tmp_path_factory.mktemp("province")
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--sheets", "80", "--seed", "5",
                    "--jobs", "2", "--output", str(root / "gen")], check=True, capture_output=True, timeout=600)
    manifest = json.loads((root / "gen" / "manifest.json").read_text(encoding="utf-8"))
    inbox = root / "gen" / "inbox"
    for bad in manifest["bad_files"]:
        if bad["kind"] != "not_a_workbook":  # its month can be read: the month becomes rejected
            good = inbox / bad["path"].replace("สำเนาของ ", "")
            good.unlink()
    next(inbox.glob("body-0002/รายงาน_กองช่าง_*.xlsx")).unlink()
    config = settings.resolve(inbox=str(inbox), outbox=str(root / "outbox"), data=str(root / "data"))
    with Store(config.database) as store:
        load(read_and_validate(scan(config.inbox, 0).ready, isolated=False), store, config,
             now=datetime(2023, 5, 2, 8, 30))
    return root, manifest


def status_counts(data: Path, body: str) -> Counter:
    """What `ita status` shows for one body's year, mark by mark."""
    shown = CliRunner().invoke(main, ["status", "--data", str(data), "--body", body, "--year", str(YEAR)])
    assert shown.exit_code == 0, shown.output
    table = shown.output.rsplit("\n✓ ", 1)[0]  # the legend's marks are not counts
    return Counter({status: table.count(mark) for mark, status in MARKS.items()})


def test_overview_counts_equal_ita_status(province):
    root, manifest = province
    with Store(root / "data" / "ita.duckdb", read_only=True) as store:
        rows = overview.overview_rows(store, YEAR, date.today(), outbox=root / "outbox")
    assert [r["หน่วยงาน"] for r in rows] == sorted(r["หน่วยงาน"] for r in rows) and len(rows) == manifest["bodies"]
    for row in rows:
        expected = status_counts(root / "data", row["หน่วยงาน"])
        assert (row["ได้รับแล้ว"], row["ยังไม่ส่ง"], row["ถูกปฏิเสธและยังไม่ได้แก้"]) == \
            (expected["received"], expected["missing"], expected["rejected"]), row["หน่วยงาน"]
        assert row["จำนวนส่วนราชการ"] == len(manifest["divisions"])
        assert row["ได้รับแล้ว"] + row["ยังไม่ส่ง"] + row["ถูกปฏิเสธและยังไม่ได้แก้"] == 12 * len(manifest["divisions"])
    assert sum(r["ถูกปฏิเสธและยังไม่ได้แก้"] for r in rows) == sum(
        1 for b in manifest["bad_files"] if b["kind"] != "not_a_workbook")
    assert sum(r["ได้รับแล้ว"] for r in rows) == manifest["good_monthly"] - sum(
        1 for b in manifest["bad_files"] if b["kind"] != "not_a_workbook") - 1


@pytest.mark.parametrize("today", [date(2022, 12, 15), date(2023, 3, 1), date(2023, 9, 30)])
def test_months_not_yet_due_are_not_missing(province, today):
    root, _ = province
    with Store(root / "data" / "ita.duckdb", read_only=True) as store:
        rows = {r["หน่วยงาน"]: r for r in overview.overview_rows(store, YEAR, today, outbox=root / "outbox")}
        for setup in store.query("setups_all"):
            key = {"body_key": setup["body_key"], "fiscal_year": YEAR}
            shown = store.query("status_for", **key, today=today)
            # Long after the year every month is due: the status as received.
            final = store.query("status_for", **key, today=date(2100, 1, 1))
            for s, f in zip(shown, final, strict=True):
                next_month = date(s["month"].year + s["month"].month // 12, s["month"].month % 12 + 1, 1)
                assert s["status"] == ("not_due" if f["status"] == "missing" and today < next_month else f["status"])
            counted = Counter(s["status"] for s in shown)
            row = rows[setup["body"]]
            assert (row["ได้รับแล้ว"], row["ยังไม่ส่ง"], row["ถูกปฏิเสธและยังไม่ได้แก้"], row["ยังไม่ถึงกำหนด"]) == \
                (counted["received"], counted["missing"], counted["rejected"], counted["not_due"])
    assert any(r["ยังไม่ถึงกำหนด"] > 0 for r in rows.values())  # the body that stopped after a few months


def test_overview_names_score_level_and_why_documents_are_not_ready(province):
    root, _ = province
    with Store(root / "data" / "ita.duckdb", read_only=True) as store:
        rows = overview.overview_rows(store, YEAR, date.today(), outbox=root / "outbox")
        scores = {s["key"]: s["score"] for s in store.query("scores_of", sha256=store.query("setups_all")[0]["sha256"])
                  if s["year"] == YEAR}
    level = ita_levels.level_for(YEAR, scores["ภาพรวม"], scores)
    for row in rows:
        assert (row["คะแนน ITA"], row["ระดับ"]) == (scores["ภาพรวม"], level.name)
        not_in = row["ยังไม่ส่ง"] + row["ถูกปฏิเสธและยังไม่ได้แก้"]
        assert row["เอกสารสิ้นปี"] == (f"ยังไม่พร้อม: รายงานประจำเดือนยังไม่ครบ {not_in} รายการ (ส่วนราชการ × เดือน); "
                                      "ยังไม่ได้สร้างบันทึกข้อความหรือรายงาน")
        assert row["โฟลเดอร์"] == f"{row['หน่วยงาน']}/{YEAR}"


def test_the_workbook_is_the_same_rows_with_links_and_who_is_behind(province):
    root, _ = province
    outbox = root / "outbox"
    today = date(2023, 10, 1)
    with Store(root / "data" / "ita.duckdb", read_only=True) as store:
        data = overview_workbook.overview_workbook_bytes(store, YEAR, today, outbox=outbox, font=FONT)
        assert data == overview_workbook.overview_workbook_bytes(store, YEAR, today, outbox=outbox, font=FONT)
        rows = overview.overview_rows(store, YEAR, today, outbox=outbox)
        behind = [s for s in store.query("status_all", body_key="", today=today) if s["status"] in ("missing", "rejected")]
        assert overview.overview_years(store) == [YEAR]
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["ภาพรวม"]
    for r, row in enumerate(rows, start=5):
        values = [sheet.cell(r, c).value for c in range(1, len(overview.COLUMNS))]
        assert values == list(row.values())[:-1]
        assert sheet.cell(r, len(overview.COLUMNS)).hyperlink.target == row["โฟลเดอร์"]
    assert sheet.cell(len(rows) + 5, 1).value is None
    listed = {(r[0], r[1]): (r[2] or "", r[3] or "") for r in book["ส่วนราชการที่ค้างส่ง"].iter_rows(min_row=2, values_only=True)}
    assert len(listed) == len({(s["body"], s["division"]) for s in behind})
    for s in behind:
        missing, rejected = listed[(s["body"], s["division"])]
        month = thai.thai_month_abbr(s["month"].year, s["month"].month)
        assert month in (missing if s["status"] == "missing" else rejected)


def test_the_sample_year_is_written_but_waits_for_its_rejected_sheet(sample_run, tmp_path):
    root, _ = sample_run
    with Store(root / "data" / "ita.duckdb", read_only=True) as store:
        written = overview.overview_rows(store, YEAR, date(2023, 10, 5), outbox=root / "outbox")
        elsewhere = overview.overview_rows(store, YEAR, date(2023, 10, 5), outbox=tmp_path)
        assert overview.overview_years(store) == []  # one body: no overview
    (row,) = written
    not_in = row["ยังไม่ส่ง"] + row["ถูกปฏิเสธและยังไม่ได้แก้"]
    assert row["ยังไม่ถึงกำหนด"] == 0 and not_in == 72 - row["ได้รับแล้ว"] > 0
    assert row["เอกสารสิ้นปี"] == f"ยังไม่พร้อม: รายงานประจำเดือนยังไม่ครบ {not_in} รายการ (ส่วนราชการ × เดือน)"
    assert [r["เอกสารสิ้นปี"] for r in elsewhere] == [
        f"ยังไม่พร้อม: รายงานประจำเดือนยังไม่ครบ {not_in} รายการ (ส่วนราชการ × เดือน); ยังไม่ได้สร้างบันทึกข้อความหรือรายงาน"]

@pytest.mark.parametrize("body", ["องค์การบริหารส่วนตำบลตาอ็อง", "เทศบาลตำบลทดลอง", "อบต.ก"])
def test_a_complete_year_with_its_score_and_documents_is_ready(tmp_path, body):
    year = overview.BodyYear(body, thai.label_key(body), tmp_path / body / str(YEAR), ["กองคลัง"], score=88.5)
    year.counts["received"] = 12
    assert overview.waiting_for(year, YEAR) == [overview.NOT_WRITTEN]
    year.folder.mkdir(parents=True)
    for path in (memo_path(year.folder, YEAR), report_path(year.folder, YEAR)):
        path.write_bytes(b"docx")
    assert overview.waiting_for(year, YEAR) == []
    year.waiting_for = overview.waiting_for(year, YEAR)
    assert year.ready == "พร้อม"
    year.score = None
    assert overview.waiting_for(year, YEAR) == ["ยังไม่มีคะแนน ITA ภาพรวม"]


def test_a_later_day_of_the_same_month_rewrites_nothing(province):
    root, _ = province
    with Store(root / "data" / "ita.duckdb", read_only=True) as store:
        early, late, next_month = (overview_workbook.overview_workbook_bytes(store, YEAR, day, outbox=root / "outbox", font=FONT)
                                   for day in (date(2023, 3, 2), date(2023, 3, 30), date(2023, 4, 1)))
    assert early == late
    assert next_month != late  # March fell due: its missing sheets now count


def test_an_unchanged_overview_is_neither_built_nor_written_and_a_changed_one_is(province, tmp_path):
    root, _ = province
    shutil.copytree(root / "data", tmp_path / "data")
    config = settings.resolve(inbox=str(tmp_path / "inbox"), outbox=str(tmp_path / "outbox"), data=str(tmp_path / "data"))
    path = overview_path(config.outbox, YEAR)
    with Store(config.database) as store:
        assert [p.target for p in overview.write_overviews(store, config, date(2023, 3, 2)).written] == [path]
    first = path.read_bytes()
    # A later night of the same month, in a fresh process as the night's is.
    script = (
        "import sys\n"
        "from datetime import date\n"
        "from ita import overview, settings\n"
        "from ita.store import Store\n"
        f"config = settings.resolve(inbox={str(config.inbox)!r}, outbox={str(config.outbox)!r}, data={str(config.data)!r})\n"
        "with Store(config.database) as store:\n"
        f"    assert overview.write_overviews(store, config, date(2023, 3, 30)).written == []\n"
        "heavy = {'pandas', 'pandera', 'openpyxl', 'docx', 'docxtpl', 'matplotlib'} & set(sys.modules)\n"
        "sys.exit(', '.join(sorted(heavy)) or None)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert path.read_bytes() == first
    with Store(config.database) as store:  # March fell due: its missing sheets now count
        assert [p.target for p in overview.write_overviews(store, config, date(2023, 4, 1)).written] == [path]
        with Store(root / "data" / "ita.duckdb", read_only=True) as original:
            assert path.read_bytes() == overview_workbook.overview_workbook_bytes(
                original, YEAR, date(2023, 4, 1), outbox=config.outbox, font=config.font)
    assert path.read_bytes() != first


def test_the_runs_prefect_table_shows_the_overview_the_night_wrote(province, tmp_path):
    """Read once a night: the artifact is the rows the workbook was made from."""
    from ita import artifacts

    root, manifest = province
    shutil.copytree(root / "data", tmp_path / "data")
    config = settings.resolve(inbox=str(tmp_path / "inbox"), outbox=str(tmp_path / "outbox"), data=str(tmp_path / "data"))
    day = date(2023, 3, 2)
    with Store(config.database) as store:
        done = overview.write_overviews(store, config, day)
        tables = artifacts.run_tables(store, {}, day, config.outbox, overviews=done.rows)
        shown = overview.overview_rows(store, YEAR, day, outbox=config.outbox)
    assert list(done.rows) == [YEAR] and len(shown) == manifest["bodies"]
    rows, description = tables[f"ita-overview-{YEAR}"]
    assert rows == shown
    assert description == (f"ภาพรวมทุกหน่วยงาน ปีงบประมาณ {YEAR}: ใครส่งรายงานเดือนใดแล้ว "
                           "และเอกสารสิ้นปีพร้อมหรือไม่")


@pytest.mark.parametrize("today", [date(2023, 3, 2), date(2023, 10, 5)])
def test_the_runs_status_table_counts_each_divisions_months_as_ita_status_shows_them(province, today):
    """Counted in the store, one row per division and year: the same counts
    as the division-months `ita status` lists, in the same order."""
    from ita import artifacts
    from ita.submission_status import STATUS_WORDS

    root, manifest = province
    with Store(root / "data" / "ita.duckdb", read_only=True) as store:
        rows, _ = artifacts.run_tables(store, {}, today, root / "outbox", overviews={})["ita-submission-status"]
        months = store.query("status_all", body_key="", today=today)
    expected: dict[tuple, Counter] = {}
    for m in months:
        expected.setdefault((m["body"], m["fiscal_year"], m["division"]), Counter())[m["status"]] += 1
    assert [(r["หน่วยงาน"], r["ปีงบประมาณ"], r["ส่วนราชการ"]) for r in rows] == list(expected)
    for row, counted in zip(rows, expected.values()):
        assert {k: row[STATUS_WORDS[k]] for k in STATUS_WORDS if k != "superseded"} == \
            {k: counted[k] for k in STATUS_WORDS if k != "superseded"}
    assert len(rows) == manifest["bodies"] * len(manifest["divisions"])
