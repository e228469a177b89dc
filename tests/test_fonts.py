"""Thai charts and PDFs on a machine with no Thai font: the packaged Sarabun
is used by matplotlib and by LibreOffice, an installed TH Sarabun is
preferred, and a chart drawn without a Thai font is drawn again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import MEMO_DATE, REPO, copy_sample, run_pipeline
from ita import charts, contexts, pdf, thai_fonts
from ita.store import Store

VENV_BIN = Path(sys.executable).parent
MEMO = Path("องค์การบริหารส่วนตำบลตาอ็อง") / "2566" / "บันทึกข้อความ_ITA_2566.docx"


def _chart_images(docx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(docx) as package:
        return {name: package.read(name) for name in package.namelist()
                if name.startswith("word/media/") and name.endswith(".png")}


def _renamed_sarabun(target: Path, family: str) -> Path:
    """The packaged Sarabun under another family name: what an installed TH
    Sarabun looks like to a font lookup (the TH faces are not redistributable)."""
    from fontTools.ttLib import TTFont

    font = TTFont(thai_fonts.packaged_font_dir() / "Sarabun-Regular.ttf")
    names = font["name"]
    # Only the Windows (Unicode) records: Mac Roman cannot spell "๙".
    names.names = [record for record in names.names if record.platformID == 3]
    for name_id, text in ((1, family), (4, family), (6, family.replace(" ", "")), (16, family)):
        names.setName(text, name_id, 3, 1, 0x409)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)
    return target


def test_packaged_sarabun_is_there_with_thai_glyphs():
    from matplotlib.ft2font import FT2Font

    files = thai_fonts.packaged_font_files()
    assert [p.name for p in files] == ["Sarabun-Regular.ttf", "Sarabun-Bold.ttf"]
    for path in files:
        font = FT2Font(str(path))
        assert font.family_name == "Sarabun"
        assert all(font.get_char_index(ord(c)) for c in "ค่าเป้าหมาย๘๕คะแนนปี๒๕๖๖")


@pytest.mark.parametrize("family", ["TH Sarabun New", "TH SarabunPSK", "TH SarabunIT๙"])
def test_th_sarabun_installed_after_matplotlib_built_its_cache_is_preferred(tmp_path, family):
    home, mplconfig = tmp_path / "home", tmp_path / "mpl"
    environment = {**os.environ, "HOME": str(home), "MPLCONFIGDIR": str(mplconfig)}
    # matplotlib builds its font cache with no TH Sarabun on the machine ...
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], check=True, env=environment, timeout=300)
    assert list(mplconfig.glob("fontlist-*.json"))
    # ... then the clerk installs one in their font folder.
    _renamed_sarabun(home / ".local" / "share" / "fonts" / f"{family.replace(' ', '')}.ttf", family)
    code = "from ita import charts, thai_fonts; print(charts.thai_font()); print(thai_fonts.installed_th_sarabun())"
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                          env=environment, cwd=REPO, timeout=300)
    assert done.stdout.splitlines() == [family, str([family])]


@pytest.mark.parametrize("installed, expected", [
    ([], ['<alias binding="same"><family>TH Sarabun New</family><prefer><family>Sarabun</family></prefer></alias>',
          '<alias binding="same"><family>TH SarabunPSK</family><prefer><family>Sarabun</family></prefer></alias>',
          '<alias binding="same"><family>TH SarabunIT๙</family><prefer><family>Sarabun</family></prefer></alias>']),
    (["TH SarabunPSK"],
     ['<alias binding="same"><family>TH Sarabun New</family><prefer><family>TH SarabunPSK</family>'
      '<family>Sarabun</family></prefer></alias>',
      '<alias binding="same"><family>TH SarabunIT๙</family><prefer><family>TH SarabunPSK</family>'
      '<family>Sarabun</family></prefer></alias>']),
    (["TH Sarabun New", "TH SarabunPSK", "TH SarabunIT๙"], []),
])
def test_libreoffice_fontconfig_maps_only_the_missing_th_sarabun_names(tmp_path, installed, expected):
    system = tmp_path / "fonts.conf"
    system.write_text("<fontconfig/>")
    font_dir = tmp_path / "ฟอนต์ & co"
    text = pdf.fontconfig_text(font_dir, tmp_path / "cache", installed, system)
    lines = [line.strip() for line in text.splitlines()]
    assert [line for line in lines if line.startswith("<alias")] == expected
    # The aliases come first, so a system alias of those names to another face does not win.
    assert lines.index(f'<include ignore_missing="yes">{system}</include>') > max(
        (lines.index(line) for line in expected), default=-1)
    assert f"<dir>{tmp_path}/ฟอนต์ &amp; co</dir>" in lines
    assert f"<cachedir>{tmp_path}/cache</cachedir>" in lines


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                                   reason="needs LibreOffice (.ci/run installs it; in CI this test always runs)")


@needs_soffice
def test_a_pdf_that_cannot_be_written_is_reported_and_the_others_are_made(sample_run, tmp_path):
    root, _ = sample_run
    outbox = tmp_path / "outbox"
    for folder in ("ก", "ข"):
        (outbox / folder).mkdir(parents=True)
        shutil.copy(root / "outbox" / MEMO, outbox / folder / "บันทึก.docx")
    # A DOCX LibreOffice cannot open: it writes no PDF (and still exits 0).
    unreadable = _empty_zip()
    (outbox / "ข" / "บันทึก.docx").write_bytes(unreadable)
    with Store(tmp_path / "data" / "ita.duckdb") as store:
        made = pdf.write_pdfs(outbox, tmp_path / "data", store=store)
    assert made.written == [outbox / "ก" / "บันทึก.pdf"]
    assert made.failed == {outbox / "ข" / "บันทึก.docx": "LibreOffice ไม่ได้เขียนไฟล์ PDF"}
    assert (outbox / "ก" / "บันทึก.docx").read_bytes() == (root / "outbox" / MEMO).read_bytes()
    assert (outbox / "ข" / "บันทึก.docx").read_bytes() == unreadable


def _empty_zip() -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("nothing.txt", "")
    return buffer.getvalue()


def test_without_libreoffice_the_night_completes_and_every_pdf_is_reported(tmp_path, monkeypatch):
    copy_sample(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    result = run_pipeline(tmp_path, pdf=True)
    docx = sorted(str(p) for p in (tmp_path / "outbox").rglob("*.docx"))
    assert len(docx) == len(result["written"]) - len([p for p in result["written"] if not p.endswith(".docx")])
    assert result["pdf"] == []
    assert sorted(result["pdf_failed"]) == docx
    assert set(result["pdf_failed"].values()) == {"ไม่พบ LibreOffice (soffice) — ติดตั้ง libreoffice-writer-nogui แล้วรันอีกครั้ง"}


def test_charts_drawn_without_a_thai_font_are_drawn_again_once_it_is_there(tmp_path, monkeypatch, caplog):
    copy_sample(tmp_path)
    memo = tmp_path / "outbox" / MEMO
    with monkeypatch.context() as broken:
        broken.setattr(charts, "thai_font", lambda: None)
        first = run_pipeline(tmp_path)
    assert str(memo) in first["written"]
    assert contexts.NO_CHART_FONT in caplog.messages
    boxes = _chart_images(memo)
    second = run_pipeline(tmp_path)
    assert second["written"] == [str(memo)]
    drawn = _chart_images(memo)
    assert len(drawn) == len(boxes) == 3 and drawn.keys() == boxes.keys()
    assert all(drawn[name] != boxes[name] for name in drawn)
    assert run_pipeline(tmp_path)["written"] == []


def _no_system_fonts_available() -> bool:
    if shutil.which("unshare") is None or not Path("/usr/share/fonts").is_dir():
        return False
    probe = subprocess.run(["unshare", "-m", "mount", "--bind", "/tmp", "/usr/share/fonts"], capture_output=True)
    return probe.returncode == 0


@needs_soffice
@pytest.mark.skipif(not _no_system_fonts_available(),
                    reason="needs `unshare -m` and bind mounts (root) to hide the system's fonts")
def test_on_a_machine_with_no_fonts_run_draws_thai_charts_and_pdf_embeds_sarabun(sample_run, tmp_path):
    """The README's first command where no system font is visible: an empty
    folder over /usr/share/fonts (and the user's font folders), a fresh
    matplotlib cache."""
    root = tmp_path / "fresh"
    copy_sample(root)
    empty = tmp_path / "empty"
    empty.mkdir()
    hide = " && ".join(f"mount --bind {empty} {folder}" for folder in
                       ("/usr/share/fonts", "/usr/local/share/fonts", Path.home() / ".fonts", Path.home() / ".local/share/fonts")
                       if Path(folder).is_dir())
    command = (f"{hide} && test -z \"$(fc-list)\" && exec {VENV_BIN / 'ita'} run --pdf --memo-date {MEMO_DATE.isoformat()} "
               f"--inbox {root / 'inbox'} --outbox {root / 'outbox'} --data {root / 'data'}")
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("PREFECT_API", "PREFECT_HOME"))}
    environment["MPLCONFIGDIR"] = str(tmp_path / "mpl")
    done = subprocess.run(["unshare", "-m", "sh", "-c", command], env=environment, cwd=tmp_path,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    # The same charts as drawn on this machine with its fonts: Thai glyphs, not boxes.
    normal, _ = sample_run
    assert not thai_fonts.installed_th_sarabun(), "this machine draws with a TH Sarabun: nothing to compare with"
    assert _chart_images(root / "outbox" / MEMO) == _chart_images(normal / "outbox" / MEMO)
    fonts = subprocess.run(["pdffonts", str((root / "outbox" / MEMO).with_suffix(".pdf"))],
                           check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    embedded = {(line.split()[0].split("+")[-1], line.split()[-5]) for line in fonts}
    assert embedded == {("Sarabun-Regular", "yes"), ("Sarabun-Bold", "yes")}, fonts
