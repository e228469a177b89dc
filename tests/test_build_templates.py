"""templates/build_templates.py: the committed templates are what it builds,
and it never overwrites a template a clerk restyled in Word."""

from __future__ import annotations

import importlib.util
import io
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NAMES = ["memo.docx", "report.docx", "monthly.docx", "period_report.docx", "period_memo.docx"]


def builder():
    spec = importlib.util.spec_from_file_location("build_templates", TEMPLATES / "build_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def build():
    return builder()


def restyle(path: Path, size: int) -> bytes:
    """What a clerk does in Word: the body text a size larger, saved."""
    document = Document(str(path))
    document.styles["Normal"].font.size = Pt(size)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def test_the_committed_templates_are_what_the_builder_builds(build):
    built = build.last_built()
    for name, make in build.BUILDERS.items():
        data = make()
        assert (TEMPLATES / name).read_bytes() == data, f"{name}: run python templates/build_templates.py"
        assert built[name] == __import__("hashlib").sha256(data).hexdigest()


def test_building_twice_writes_nothing_the_second_time(build, tmp_path):
    assert sorted(p.name for p in build.write_templates(tmp_path)) == sorted(NAMES)
    before = {n: (tmp_path / n).read_bytes() for n in NAMES}
    assert build.write_templates(tmp_path) == []
    assert {n: (tmp_path / n).read_bytes() for n in NAMES} == before


@pytest.mark.parametrize("name, size", [("memo.docx", 18), ("report.docx", 15), ("monthly.docx", 20)])
def test_a_template_restyled_in_word_is_not_overwritten(build, tmp_path, name, size):
    build.write_templates(tmp_path)
    others = {n: (tmp_path / n).read_bytes() for n in NAMES if n != name}
    restyled = restyle(tmp_path / name, size)
    with pytest.raises(SystemExit) as refused:
        build.write_templates(tmp_path)
    assert str(refused.value) == (
        f"ไม่เขียนทับแม่แบบที่มีผู้แก้ไขรูปแบบใน Word แล้ว: {tmp_path / name} "
        "— เก็บสำเนาไฟล์เหล่านี้ไว้ก่อน แล้วรันอีกครั้งด้วย --force หากต้องการสร้างใหม่จากโค้ด")
    assert (tmp_path / name).read_bytes() == restyled
    assert {n: (tmp_path / n).read_bytes() for n in others} == others


def test_force_rebuilds_a_restyled_template_from_the_code(build, tmp_path):
    build.write_templates(tmp_path)
    original = (tmp_path / "memo.docx").read_bytes()
    restyle(tmp_path / "memo.docx", 18)
    assert [p.name for p in build.write_templates(tmp_path, force=True)] == ["memo.docx"]
    assert (tmp_path / "memo.docx").read_bytes() == original
    assert build.write_templates(tmp_path) == []


def test_a_folder_of_templates_never_built_here_is_left_alone(build, tmp_path):
    for name in NAMES:
        shutil.copy(TEMPLATES / name, tmp_path / name)
    restyle(tmp_path / "report.docx", 15)  # no built.sha256: the others equal a fresh build
    with pytest.raises(SystemExit, match="report.docx"):
        build.write_templates(tmp_path)
    assert not (tmp_path / "built.sha256").exists()
