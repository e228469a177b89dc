"""The emblem (ตราครุฑ) comes from the setup workbook or the one emblem
folder of the data folder, never from elsewhere on the server; a bad one is a
warning on the setup and a blank space in the memo, never a failed night."""

from __future__ import annotations

import io
import os
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl.drawing.image import Image as SheetImage
from PIL import Image

from checks_helpers import config_of, problems_of, take_in
from ita import contexts, thai
from ita.render import Picture
from ita.store import Store
from ita.year_setup import year_setup
from sample import fill
from workbooks import SAMPLE_SETUP

BODY_KEY = thai.label_key("องค์การบริหารส่วนตำบลตาอ็อง")
HINT = ("วางรูปตราครุฑ (PNG หรือ JPEG ไม่เกิน 2 MB) ลงในแผ่นงานหน่วยงาน หรือเก็บไฟล์รูปไว้ในโฟลเดอร์ 'ตราครุฑ' "
        "ของโฟลเดอร์ข้อมูลแล้วกรอกชื่อไฟล์ที่หัวข้อตราครุฑ บันทึกข้อความจะเว้นที่ของตราครุฑไว้จนกว่าจะแก้")
NOT_A_NAME = ("ตราครุฑต้องเป็นชื่อไฟล์รูปในโฟลเดอร์ 'ตราครุฑ' ของโฟลเดอร์ข้อมูลเท่านั้น ไม่ใช่ที่อยู่ไฟล์ "
              "ระบบจึงไม่ได้เปิดไฟล์นี้")


def image_bytes(kind: str, size: tuple[int, int] = (90, 100)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 20, 20)).save(buffer, kind)
    return buffer.getvalue()


def setup_with(root: Path, emblem_name: str | None = None, pasted: bytes | None = None) -> None:
    inbox = root / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    book = fill.open_book(SAMPLE_SETUP)
    sheet = book["หน่วยงาน"]
    if emblem_name is not None:
        rows = fill.key_rows(sheet)
        row = rows.get(thai.label_key("ตราครุฑ")) or sheet.max_row + 1
        sheet.cell(row, 1).value = "ตราครุฑ"
        sheet.cell(row, 2).value = emblem_name
    if pasted is not None:
        sheet.add_image(SheetImage(io.BytesIO(pasted)), "D3")
    fill.save(book, inbox / SAMPLE_SETUP.name, datetime(2022, 9, 1))


def memo_emblem(root: Path) -> Picture | str:
    config = config_of(root)
    with Store(config.database) as store:
        setup = year_setup(store, BODY_KEY, 2566)
        return contexts.memo_context(setup, date(2023, 10, 5), config.data)["emblem"]


def emblem_warnings(root: Path) -> list[tuple]:
    return [(p["severity"], p["value"], p["message"], p["hint"]) for p in problems_of(root, SAMPLE_SETUP.name)
            if p["label"] == "ตราครุฑ"]


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_an_image_pasted_into_the_setup_is_the_emblem(tmp_path, kind):
    data = image_bytes(kind)
    setup_with(tmp_path, pasted=data)
    assert take_in(tmp_path).accepted == [SAMPLE_SETUP.name]
    assert emblem_warnings(tmp_path) == []
    picture = memo_emblem(tmp_path)
    assert isinstance(picture, Picture) and picture.data == data


@pytest.mark.parametrize("name", ["garuda.png", "ตราครุฑ อบต.jpg"])
def test_an_emblem_named_from_the_emblem_folder(tmp_path, name):
    folder = tmp_path / "data" / "ตราครุฑ"
    folder.mkdir(parents=True)
    data = image_bytes("PNG" if name.endswith("png") else "JPEG")
    (folder / name).write_bytes(data)
    setup_with(tmp_path, emblem_name=name)
    take_in(tmp_path)
    assert emblem_warnings(tmp_path) == []
    assert memo_emblem(tmp_path).data == data


def test_a_pasted_picture_that_is_not_png_or_jpeg_is_a_warning(tmp_path):
    setup_with(tmp_path, pasted=image_bytes("GIF"))
    assert take_in(tmp_path).accepted == [SAMPLE_SETUP.name]
    assert emblem_warnings(tmp_path) == [
        ("warning", "", "รูปที่วางในแผ่นงานใช้เป็นตราครุฑไม่ได้: รูปตราครุฑเป็นชนิด GIF ระบบรับเฉพาะ PNG หรือ JPEG", HINT)]
    assert memo_emblem(tmp_path) == ""


OUTSIDE = {
    "parent folder": "../../../../etc/hostname",
    "absolute path": "/dev/zero",
    "windows path": "C:\\ตราครุฑ\\garuda.png",
    "sub folder": "ย่อย/garuda.png",
}


@pytest.mark.parametrize("case", OUTSIDE, ids=list(OUTSIDE))
def test_a_path_is_never_followed(tmp_path, case):
    folder = tmp_path / "data" / "ตราครุฑ"
    (folder / "ย่อย").mkdir(parents=True)
    (folder / "ย่อย" / "garuda.png").write_bytes(image_bytes("PNG"))
    setup_with(tmp_path, emblem_name=OUTSIDE[case])
    assert take_in(tmp_path).accepted == [SAMPLE_SETUP.name]
    assert emblem_warnings(tmp_path) == [("warning", OUTSIDE[case], NOT_A_NAME, HINT)]
    assert memo_emblem(tmp_path) == ""


def _not_an_image(folder: Path) -> str:
    (folder / "garuda.png").write_text("ไม่ใช่รูป", encoding="utf-8")
    return "garuda.png"


def _too_large(folder: Path) -> str:
    (folder / "garuda.png").write_bytes(image_bytes("PNG") + b"\0" * (3 * 1024 * 1024))
    return "garuda.png"


def _link_out(folder: Path) -> str:
    os.symlink("/etc/hostname", folder / "garuda.png")
    return "garuda.png"


BAD_FILES = {
    "missing": (lambda folder: "garuda.png",
                "ไม่พบไฟล์รูปตราครุฑ 'garuda.png' ในโฟลเดอร์ 'ตราครุฑ' ของโฟลเดอร์ข้อมูล ({folder})"),
    "not an image": (_not_an_image, "ไฟล์ตราครุฑไม่ใช่รูปภาพที่อ่านได้ (ต้องเป็นไฟล์ .png หรือ .jpg)"),
    "too large": (_too_large, "รูปตราครุฑใหญ่เกินกำหนด (3.0 MB) ระบบรับได้ไม่เกิน 2 MB"),
    "a link out of the folder": (_link_out,
                                 "ไม่พบไฟล์รูปตราครุฑ 'garuda.png' ในโฟลเดอร์ 'ตราครุฑ' ของโฟลเดอร์ข้อมูล ({folder})"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_bad_emblem_file_is_a_warning_and_a_blank_space(tmp_path, case):
    make, message = BAD_FILES[case]
    folder = tmp_path / "data" / "ตราครุฑ"
    folder.mkdir(parents=True)
    setup_with(tmp_path, emblem_name=make(folder))
    assert take_in(tmp_path).accepted == [SAMPLE_SETUP.name]
    [(severity, _, found, hint)] = emblem_warnings(tmp_path)
    assert (severity, found, hint) == ("warning", message.format(folder=folder), HINT)
    assert memo_emblem(tmp_path) == ""


def test_an_emblem_dropped_in_the_inbox_is_told_where_it_goes(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "ตราครุฑ.png").write_bytes(image_bytes("PNG"))
    assert take_in(tmp_path).rejected == ["ตราครุฑ.png"]
    [problem] = problems_of(tmp_path, "ตราครุฑ.png")
    assert problem["message"] == (
        "ไฟล์นี้เป็นรูปภาพ ไม่ใช่ไฟล์ Excel — ถ้าเป็นรูปตราครุฑ ให้วางรูปลงในแผ่นงาน 'หน่วยงาน' ของไฟล์ข้อมูลประจำปี "
        "หรือเก็บไว้ในโฟลเดอร์ 'ตราครุฑ' ของโฟลเดอร์ข้อมูลแล้วกรอกชื่อไฟล์ที่หัวข้อตราครุฑ (ไม่ต้องวางไว้ในโฟลเดอร์รับไฟล์)")
