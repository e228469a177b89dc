"""A year of nights in the outbox: sheets arrive month by month, one is sent
again, a clerk edits the documents in Word and Excel and deletes some, the
level bands change, a new fiscal year starts. Each document is written again
only when what it is made from changed; a document a person edited is never
touched, and its new version goes beside it; a deleted document comes back."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import REPO
from ita import documents, ita_levels, settings, thai
from ita.outbox_files import NEW_VERSION, places
from sample import fill
from workbooks import SAMPLE_SETUP

BODY = "องค์การบริหารส่วนตำบลตาอ็อง"
RESUBMITTED = "รายงาน_กองคลัง_ม.ค.๖๖ (แก้ไข).xlsx"
REJECTED = "สำเนาของ รายงาน_กองช่าง_พ.ย.๖๕.xlsx"
CLERK_WORDS = "แก้ไขโดยเจ้าหน้าที่ธุรการ: ถ้อยคำที่ปรับให้ถูกต้อง"
ORIGINAL_BANDS = ita_levels.BANDS_FILE


def bring(root: Path, *months: str) -> list[str]:
    """The sample's sheets of these months (as named, e.g. "ต.ค.๖๕") into the
    inbox, their times kept (a fresh copy would wait for the next night)."""
    names = [p.name for p in sorted((REPO / "inbox").iterdir())
             if any(m in p.name for m in months) and p.name != RESUBMITTED]
    for name in names:
        shutil.copy2(REPO / "inbox" / name, root / "inbox" / name)
    return names


def night(root: Path, today: date) -> dict:
    from flows.nightly import nightly

    return nightly(settings={"inbox": str(root / "inbox"), "outbox": str(root / "outbox"), "data": str(root / "data")},
                   today=today.isoformat())


def outbox(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root / "outbox")): p.read_bytes()
            for p in sorted((root / "outbox").rglob("*")) if p.is_file() and not p.name.startswith(".")}


def names(paths: list[str], root: Path) -> set[str]:
    return {str(Path(p).relative_to(root / "outbox")) for p in paths}


def text(data: bytes) -> str:
    """A DOCX's text, from the bytes it had on a night."""
    from docx import Document

    document = Document(io.BytesIO(data))
    return "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for row in t.rows for c in row.cells])


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def edit_docx(path: Path) -> None:
    """As a clerk in Word: open, rewrite a sentence, save."""
    from docx import Document

    document = Document(str(path))
    paragraph = next(p for p in document.paragraphs if p.text.strip())
    paragraph.text = CLERK_WORDS
    document.save(str(path))


def edit_xlsx(path: Path) -> None:
    """As a clerk in Excel: open, type into a cell, save."""
    book = load_workbook(path)
    book.worksheets[0].cell(2, 1).value = CLERK_WORDS
    book.save(path)


def edit(path: Path) -> None:
    if path.suffix == ".docx":
        edit_docx(path)
    elif path.suffix == ".xlsx":
        edit_xlsx(path)
    else:
        path.write_text(path.read_text(encoding="utf-8") + "\n" + CLERK_WORDS + "\n", encoding="utf-8")


def new_version(path: str) -> str:
    return str(next(p for p in places(Path(path)) if p != Path(path)))


Y = f"{BODY}/2566"
MEMO = f"{Y}/บันทึกข้อความ_ITA_2566.docx"
REPORT = f"{Y}/รายงานผลการดำเนินการตามมาตรการ_2566.docx"
STATUS = f"{Y}/สถานะการส่งรายงาน_2566.xlsx"
TRACE = f"{Y}/ที่มาของข้อมูล_2566.xlsx"  # every line of the reports: new with every sheet
HALF_YEAR = {f"{Y}/รายงานผลการดำเนินการตามมาตรการ_รอบ6เดือน_2566.docx", f"{Y}/บันทึกข้อความ_รายงานรอบ6เดือน_2566.docx"}
OCT, NOV, DEC, JAN = (f"{Y}/รายงานประจำเดือน/{m}.docx"
                      for m in ("2565-10_ตุลาคม", "2565-11_พฤศจิกายน", "2565-12_ธันวาคม", "2566-01_มกราคม"))
FORMS = f"{Y}/แบบฟอร์ม/"  # each division's next monthly sheet (tests/test_forms.py)
DIVISIONS = ("สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสวัสดิการสังคม", "งานตรวจสอบภายใน")

@pytest.fixture(scope="module")
def year(tmp_path_factory) -> Iterator[dict]:
    """Every night of the story, in order: {night: (result, outbox after)}."""
    root = tmp_path_factory.mktemp("nights")
    (root / "inbox").mkdir()
    shutil.copy2(SAMPLE_SETUP, root / "inbox" / SAMPLE_SETUP.name)
    nights: dict = {"root": root}

    bring(root, "ต.ค.๖๕", "พ.ย.๖๕")
    nights["first"] = (night(root, date(2022, 12, 20)), outbox(root))
    nights["new month"] = (night(root, date(2023, 1, 2)), outbox(root))

    rejection = next(p for p in (root / "outbox").rglob("*.txt"))
    edited = [MEMO, REPORT, OCT, STATUS, str(rejection.relative_to(root / "outbox"))]
    edited += [str(p.relative_to(root / "outbox")) for p in rejection.parent.glob("*_ตรวจแล้ว.xlsx")]
    for name in edited:
        edit(root / "outbox" / name)
    nights["edited"] = edited
    nights["edits"] = outbox(root)

    bring(root, "ธ.ค.๖๕", "ม.ค.๖๖")
    nights["december"] = (night(root, date(2023, 1, 20)), outbox(root))
    shutil.copy2(REPO / "inbox" / RESUBMITTED, root / "inbox" / RESUBMITTED)
    nights["resubmitted"] = (night(root, date(2023, 2, 3)), outbox(root))

    (root / "outbox" / MEMO).unlink()
    (root / "outbox" / NOV).unlink()
    nights["deleted"] = (night(root, date(2023, 2, 3)), outbox(root))
    (root / "outbox" / REPORT).unlink()  # the clerk gives up their edit
    nights["edit deleted"] = (night(root, date(2023, 2, 3)), outbox(root))

    bands = root / "ita_bands.toml"
    original = ORIGINAL_BANDS.read_text(encoding="utf-8")
    before, after = original.split("from_year = 2566")
    reworded = ('meaning = "หมายถึง', 'meaning = "ซึ่งหมายถึง')
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ita_levels, "BANDS_FILE", bands)
        for name, text in (("older bands", before.replace(*reworded) + "from_year = 2566" + after),
                           ("bands", before + "from_year = 2566" + after.replace(*reworded))):
            bands.write_text(text, encoding="utf-8")
            ita_levels.schemes.cache_clear()
            nights[name] = (night(root, date(2023, 2, 3)), outbox(root))

        nights["march due"] = (night(root, date(2023, 4, 3)), outbox(root))
        bring(root, "เม.ย.๖๖")
        nights["april"] = (night(root, date(2023, 5, 3)), outbox(root))

        book = fill.open_book(SAMPLE_SETUP)
        fill.set_keys(book["หน่วยงาน"], {"ปีงบประมาณ": 2567})
        fill.save(book, root / "inbox" / "ข้อมูลประจำปี 2567.xlsx", datetime(2023, 9, 20))
        nights["new year"] = (night(root, date(2023, 10, 3)), outbox(root))
        nights["config"] = settings.resolve(inbox=str(root / "inbox"), outbox=str(root / "outbox"),
                                            data=str(root / "data"))
        yield nights
    ita_levels.schemes.cache_clear()


def test_the_first_night_writes_each_document_of_the_year(year):
    result, files = year["first"]
    assert names(result["written"], year["root"]) >= {MEMO, REPORT, OCT, NOV, STATUS}
    assert result["edited"] == []
    assert set(names(result["written"], year["root"])) == set(files)


def test_a_new_month_changes_the_status_workbook_alone(year):
    (_, first), (result, now) = year["first"], year["new month"]
    assert names(result["written"], year["root"]) == {STATUS}
    assert {k for k in now if now[k] != first.get(k)} == {STATUS}
    matrix = workbook(now[STATUS])["สถานะการส่ง"]
    december = [c.value for c in matrix[3]].index("ธ.ค.๖๕") + 1
    assert {matrix.cell(r, december).value for r in range(4, matrix.max_row + 1)} == {"ยังไม่ส่ง"}


NIGHTS = ("december", "resubmitted", "deleted", "edit deleted", "older bands", "bands", "march due", "april", "new year")


@pytest.mark.parametrize("night_name", NIGHTS)
def test_every_edit_stays_byte_for_byte(year, night_name):
    _, files = year[night_name]
    # The clerk deletes their memo before the night "deleted", their report before "edit deleted".
    nights = list(NIGHTS)
    gone = {MEMO: nights.index("deleted"), REPORT: nights.index("edit deleted")}
    for name in year["edited"]:
        if nights.index(night_name) < gone.get(name, len(nights)):
            assert files[name] == year["edits"][name], name


def test_an_edited_document_gets_its_new_version_beside_it(year):
    result, files = year["december"]
    root = year["root"]
    assert result["edited"] == [
        {"path": str(root / "outbox" / name), "new_version": str(root / "outbox" / new_version(name))}
        for name in (REPORT, STATUS)
    ]
    assert new_version(REPORT) == f"{Y}/รายงานผลการดำเนินการตามมาตรการ_2566_{NEW_VERSION}.docx"
    assert new_version(STATUS) == f"{Y}/สถานะการส่งรายงาน_2566_{NEW_VERSION}.xlsx"
    fresh = text(files[new_version(REPORT)])
    assert CLERK_WORDS not in fresh
    assert CLERK_WORDS in text(files[REPORT])
    # The new version holds December's work; the memo and October's report did not change, so none.
    assert fresh != text(year["first"][1][REPORT])
    # With January reported, every division's form is February's.
    assert names(result["written"], root) == {new_version(REPORT), new_version(STATUS), DEC, JAN, TRACE} | {
        f"{FORMS}{d}_กุมภาพันธ์_2566.xlsx" for d in DIVISIONS}
    listing = workbook(files[new_version(STATUS)])["เอกสารที่มีผู้แก้ไข"]
    rows = [tuple(c.value for c in row) for row in listing.iter_rows(min_row=4)]
    assert rows == [(REPORT.removeprefix(f"{Y}/"), new_version(REPORT).removeprefix(f"{Y}/"))]


def test_a_resubmitted_sheet_renders_what_it_is_part_of_and_not_the_memo(year):
    (_, before), (result, after) = year["december"], year["resubmitted"]
    root = year["root"]
    later_months = {n for n in after if "/รายงานประจำเดือน/2566-" in n and NEW_VERSION not in n}
    # The form carries over the sheet that was sent again.
    assert names(result["written"], root) == {new_version(REPORT), new_version(STATUS), TRACE} | later_months | {
        f"{FORMS}กองคลัง_กุมภาพันธ์_2566.xlsx"}
    assert after[new_version(REPORT)] != before[new_version(REPORT)]
    assert not any(n.startswith(MEMO.removesuffix(".docx") + "_") for n in after)
    assert {n for n in after if after[n] != before.get(n)} == names(result["written"], root)


def test_deleted_documents_come_back_and_only_they(year):
    (_, before), (result, after) = year["resubmitted"], year["deleted"]
    root = year["root"]
    assert names(result["written"], root) == {MEMO, NOV}
    assert after[NOV] == before[NOV]
    assert CLERK_WORDS not in text(after[MEMO])  # the clerk's edit was deleted: the product's comes back
    assert {n for n in after if after[n] != before.get(n)} == {MEMO}
    assert result["edited"] == []


def test_an_edit_deleted_by_the_clerk_gives_the_document_back_its_place(year):
    (_, before), (result, after) = year["deleted"], year["edit deleted"]
    root = year["root"]
    assert after[REPORT] == before[new_version(REPORT)]
    assert new_version(REPORT) not in after
    # The status workbook no longer lists the report (its own new version is still beside the clerk's copy).
    assert names(result["written"], root) == {REPORT, new_version(STATUS)}
    assert "เอกสารที่มีผู้แก้ไข" not in workbook(after[new_version(STATUS)]).sheetnames


def test_bands_of_another_year_change_nothing_and_the_years_own_re_render_its_memo_only(year):
    (_, before), (older, same) = year["edit deleted"], year["older bands"]
    assert older["written"] == [] and same == before
    result, after = year["bands"]
    assert names(result["written"], year["root"]) == {MEMO}
    assert {n for n in after if after[n] != same.get(n)} == {MEMO}
    assert "ซึ่งหมายถึง" in text(after[MEMO])


def test_the_half_year_documents_come_once_march_is_over_and_a_later_sheet_leaves_them(year):
    for name in ("first", "new month", "december", "resubmitted", "deleted", "edit deleted", "older bands", "bands"):
        assert not HALF_YEAR & set(year[name][1]), name  # March is not over yet
    (_, before), (result, after) = year["bands"], year["march due"]
    root = year["root"]
    # The status workbook was edited by hand: its new version; the trace gets the half-year's lines.
    assert names(result["written"], root) == HALF_YEAR | {new_version(STATUS), TRACE}
    assert {n for n in after if after[n] != before.get(n)} == names(result["written"], root)
    (_, march), (result, april) = year["march due"], year["april"]
    written = names(result["written"], root)
    assert new_version(REPORT) in written or REPORT in written  # April's bullets go into the year's report
    assert not HALF_YEAR & written
    assert all(april[n] == march[n] for n in HALF_YEAR)


def test_a_new_year_is_written_beside_the_last_and_changes_none_of_it(year):
    (_, before), (result, after) = year["april"], year["new year"]
    root = year["root"]
    written = names(result["written"], root) - {new_version(STATUS)}
    assert written and all(n.startswith(f"{BODY}/2567/") for n in written)
    # The 2567 setup has no 2567 score yet: no memo; the months due changed the 2566 status (a new version: it was edited).
    assert not any("บันทึกข้อความ" in n for n in written)
    assert {n for n in before if after[n] != before[n]} <= {new_version(STATUS)}


def test_a_night_after_all_of_it_has_nothing_to_do(year):
    from ita import freshness, rejections
    from ita.store import Store

    root, config = year["root"], year["config"]
    with Store(config.database) as store:
        assert freshness.years_to_write(store, config, date(2023, 10, 3)) == []
        assert rejections.reports_to_write(store, config) == []
        assert [y["fiscal_year"] for y in freshness.years_to_write(store, config, date(2023, 11, 1))] == [2567]


def test_the_registry_names_every_document_of_the_year(year):
    from ita import freshness
    from ita.store import Store

    root, config = year["root"], year["config"]
    with Store(config.database) as store:
        found = freshness.year_inputs(store, config, thai.label_key(BODY), 2566, date(2023, 10, 3))
    planned = {str(d.path.relative_to(root / "outbox")) for d in documents.plan(found)}
    assert planned == {n for n in year["new year"][1] if n.startswith(f"{Y}/") and NEW_VERSION not in n
                       and "ไฟล์ที่ถูกปฏิเสธ" not in n}
    # Next year's setup is not wanted: the office sent it (tests/test_forms.py follows it).
    assert {d.kind for d in documents.plan(found)} == set(documents.KINDS) - {documents.NEXT_SETUP}


@pytest.fixture(scope="module")
def every_kind_edited(tmp_path_factory) -> Iterator[dict]:
    """January's year, every document of it edited by hand, then a night on
    which each of them has something new: a resubmitted sheet and new bands."""
    from ita import freshness
    from ita.store import Store

    root = tmp_path_factory.mktemp("every-kind")
    (root / "inbox").mkdir()
    shutil.copy2(SAMPLE_SETUP, root / "inbox" / SAMPLE_SETUP.name)
    bring(root, "ม.ค.๖๖")
    today = date(2023, 4, 10)  # March is over: the half-year documents are there too
    bands = root / "ita_bands.toml"
    before, after = ORIGINAL_BANDS.read_text(encoding="utf-8").split("from_year = 2566")
    bands.write_text(before + "from_year = 2566" + after, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ita_levels, "BANDS_FILE", bands)
        ita_levels.schemes.cache_clear()
        night(root, today)
        config = settings.resolve(inbox=str(root / "inbox"), outbox=str(root / "outbox"), data=str(root / "data"))
        with Store(config.database) as store:
            planned = documents.plan(freshness.year_inputs(store, config, thai.label_key(BODY), 2566, today))
        # The other divisions' forms have nothing new that night: only the resubmitting division's.
        planned = [d for d in planned if d.kind is not documents.FORM or d.month == "กองคลัง"]
        for document in planned:
            edit(document.path)
        edits = outbox(root)
        shutil.copy2(REPO / "inbox" / RESUBMITTED, root / "inbox" / RESUBMITTED)
        bands.write_text(before + "from_year = 2566" + after.replace('meaning = "หมายถึง', 'meaning = "ซึ่งหมายถึง'),
                         encoding="utf-8")
        ita_levels.schemes.cache_clear()
        result = night(root, today)
        yield {"root": root, "planned": planned, "edits": edits, "result": result, "after": outbox(root)}
    ita_levels.schemes.cache_clear()


# Next year's setup is planned from October only; tests/test_forms.py edits the forms over a year's nights.
@pytest.mark.parametrize("kind", [k for k in documents.KINDS if k is not documents.NEXT_SETUP], ids=lambda k: k.name)
def test_every_kind_of_document_edited_by_hand_is_kept_and_its_new_version_is_beside_it(every_kind_edited, kind):
    root, result, after = every_kind_edited["root"], every_kind_edited["result"], every_kind_edited["after"]
    mine = [d for d in every_kind_edited["planned"] if d.kind is kind]
    assert mine
    for document in mine:
        own = str(document.path.relative_to(root / "outbox"))
        assert after[own] == every_kind_edited["edits"][own]
        fresh = after[new_version(own)]
        if document.path.suffix == ".docx":
            assert CLERK_WORDS in text(after[own]) and CLERK_WORDS not in text(fresh)
        else:
            assert workbook(fresh).worksheets[0].cell(2, 1).value != CLERK_WORDS
        assert {"path": str(document.path), "new_version": str(document.path.parent / Path(new_version(own)).name)} \
            in result["edited"]
    assert len(result["edited"]) == len(every_kind_edited["planned"])


def test_the_status_workbook_lists_every_other_edited_document(every_kind_edited):
    after, planned = every_kind_edited["after"], every_kind_edited["planned"]
    status = next(d for d in planned if d.kind is documents.STATUS)
    folder = status.path.parent
    listing = workbook(after[new_version(str(status.path.relative_to(every_kind_edited["root"] / "outbox")))])
    rows = [tuple(c.value for c in row) for row in listing["เอกสารที่มีผู้แก้ไข"].iter_rows(min_row=4)]
    assert sorted(rows) == sorted(
        (str(d.path.relative_to(folder)), str(Path(new_version(str(d.path))).relative_to(folder)))
        for d in planned if d is not status)


def test_the_prefect_artifact_lists_the_edited_documents_and_their_new_versions(every_kind_edited):
    from ita import artifacts
    from ita.store import Store

    root, result = every_kind_edited["root"], every_kind_edited["result"]
    with Store(root / "data" / "ita.duckdb") as store:
        rows, description = artifacts.run_tables(store, result, date(2023, 4, 10), root / "outbox",
                                                   overviews={})["ita-edited-documents"]
    assert description == "เอกสารที่มีผู้แก้ไขหลังระบบเขียน: ระบบไม่เขียนทับ และเขียนฉบับใหม่ไว้ข้างกันในโฟลเดอร์เดียวกัน"
    assert rows == [{"เอกสารที่มีผู้แก้ไข": str(Path(e["path"]).relative_to(root / "outbox")),
                     "ฉบับใหม่": str(Path(e["new_version"]).relative_to(root / "outbox"))} for e in result["edited"]]
    assert {r["เอกสารที่มีผู้แก้ไข"] for r in rows} == {str(d.path.relative_to(root / "outbox"))
                                                    for d in every_kind_edited["planned"]}
