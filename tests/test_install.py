"""A real install: the wheel alone carries sql/, templates/ and the ITA
bands, and the `ita` it installs runs the whole pipeline from a folder
outside the checkout, with the checkout nowhere on its path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from conftest import REPO, SAMPLE_INBOX, with_prefect_history

FILES = ("ข้อมูลประจำปี 2566.xlsx", "รายงาน_กองคลัง_ต.ค.๖๕.xlsx", "รายงาน_กองช่าง_พ.ย.๖๕.xlsx",
         "สำเนาของ รายงาน_กองช่าง_พ.ย.๖๕.xlsx")


def build_wheel(target: Path) -> Path:
    """The wheel of the checkout as it is now, built from a copy of it (the
    build leaves nothing in the checkout)."""
    source = target / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "*.egg-info", "__pycache__", "data", "outbox", ".pytest_cache", ".hypothesis"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(target), str(source)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = target.glob("ita_reports-*.whl")
    return wheel


def fresh_venv(target: Path, wheel: Path) -> Path:
    """A virtualenv with only the wheel installed in it; the locked
    dependencies come from this test's own site-packages through a .pth
    line, which adds that folder to the path without running its .pth files
    (so not the checkout's editable install)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(target)], check=True, timeout=120)
    python = target / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "locked-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    return target


def test_the_wheel_installs_an_ita_that_runs_the_pipeline_anywhere(tmp_path, migrated_prefect_database):
    wheel = build_wheel(tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in ("ita/sql/migrations/001_tables.sql", "ita/sql/010_latest_setups.sql", "ita/sql/queries/status_all.sql",
                 "ita/sql/commands/remember_renders.sql", "ita/templates/memo.docx", "ita/templates/report.docx",
                 "ita/templates/monthly.docx", "ita/ita_bands.toml"):
        assert data in names

    venv = fresh_venv(tmp_path / "venv", wheel)
    office = tmp_path / "สำนักงาน"
    (office / "inbox").mkdir(parents=True)
    for name in FILES:
        shutil.copy2(SAMPLE_INBOX / name, office / "inbox" / name)
    # Prefect's history already migrated: its first start is test_cli's.
    with_prefect_history(office / "data", migrated_prefect_database)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ITA_", "PYTHON"))}

    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import ita, ita.sql, ita.templates, flows.nightly, sys; "
         "print(ita.__file__, ita.sql.__file__, ita.templates.__file__, flows.nightly.__file__, *sys.path, sep='\\n')"],
        cwd=office, env=env, capture_output=True, text=True, check=True)
    dependencies = sysconfig.get_paths()["purelib"]
    assert [line for line in where.stdout.splitlines()
            if line.startswith(str(REPO)) and not line.startswith(dependencies)] == [], where.stdout
    assert where.stdout.splitlines()[0].startswith(str(venv))

    run = subprocess.run([str(venv / "bin" / "ita"), "run", "--memo-date", "2023-10-05"], cwd=office, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    year = office / "outbox" / "องค์การบริหารส่วนตำบลตาอ็อง" / "2566"
    assert (year / "บันทึกข้อความ_ITA_2566.docx").is_file()
    assert (year / "รายงานผลการดำเนินการตามมาตรการ_2566.docx").is_file()
    assert len(list((year / "รายงานประจำเดือน").glob("*.docx"))) == 2
    assert (year / "สถานะการส่งรายงาน_2566.xlsx").is_file()
    assert len(list((year / "ไฟล์ที่ถูกปฏิเสธ").rglob("*.txt"))) == 1
    assert not any((office / "inbox").iterdir())
