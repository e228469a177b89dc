"""The benchmark (bench/) at a small scale, so that it cannot rot: a two-body
inbox is generated and bench/run.py runs on it end to end (floor, ingest,
render, a night with nothing new against Prefect's floor). The figures must
all be there and the ingest must have accepted the good files and rejected
the bad ones. Timings are never asserted: BENCHMARKS.md has them."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHEETS = 144  # two bodies × 6 divisions × 12 months
SEED = 7

@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> dict:
    workdir = tmp_path_factory.mktemp("bench")
    output = workdir / "results.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--sheets", str(SHEETS), "--seed", str(SEED),
         "--workdir", str(workdir), "--repeats", "1", "--alone-repeats", "1", "--no-prefect-warmup",
         "--json", str(output)],
        # A bound on a hang: beside the other workers the run takes several times its 2 min alone.
        capture_output=True, text=True, timeout=1200, cwd=str(REPO),
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    results = json.loads(output.read_text(encoding="utf-8"))
    results["_stdout"] = done.stdout
    results["_workdir"] = workdir
    return results


def test_every_figure_is_measured(bench):
    for section, keys in {
        "machine": ["nproc", "memory_gib", "python", "packages"],
        "floor": ["files", "raw_read_s", "calamine_read_s", "calamine_ms_per_file"],
        "ingest": ["scan_s", "read_validate_load_s", "total_s", "ratio_to_floor", "peak_rss_mib",
                   "breakdown_thread_seconds", "database"],
        "render": ["year_documents_s", "rejection_reports_s", "per_body_in_run_s", "one_body_alone_s",
                   "one_body_profile_top", "peak_rss_mib", "workers"],
        "second_run": ["ita_run_s", "trivial_flow_s", "ratio", "ita_run_peak_rss_mib", "trivial_flow_peak_rss_mib",
                       "ita_run_exit_code"],
    }.items():
        for key in keys:
            assert bench[section].get(key) is not None, f"{section}.{key} missing"
    for name in ("ingest_within_3x_floor", "peak_rss_below_1GB", "nothing_new_within_1.3x_prefect",
                 "one_body_render_below_1s", "bounded_render_concurrency"):
        assert set(bench["targets"][name]) == {"measured", "target", "met"}
    for label in ("FLOOR: bare calamine read", "INGEST total", "ONE BODY", "NOTHING NEW"):
        assert label in bench["_stdout"]
    assert (bench["_workdir"] / f"run-{SHEETS}-s{SEED}" / "results.json").exists()


def test_ingest_accepts_the_good_files_and_rejects_the_bad_ones(bench):
    inbox, ingest = bench["inbox"], bench["ingest"]
    assert inbox["bodies"] == 2
    assert inbox["good_monthly"] == SHEETS
    assert inbox["files"] == SHEETS + inbox["setups"] + inbox["bad"]
    assert all(inbox["bad_by_kind"][kind] >= 1 for kind in
               ("bad_status", "progress_120", "missing_column", "not_a_workbook"))
    assert ingest["accepted"] == inbox["setups"] + SHEETS
    assert ingest["rejected"] == inbox["bad"]
    assert ingest["duplicates"] == 0
    assert all(name.startswith("สำเนาของ ") for name in ingest["rejected_files"])
    assert ingest["as_expected"]
    assert ingest["database"]["submissions"] == SHEETS
    assert bench["floor"]["files"] == inbox["files"]
    assert bench["floor"]["unreadable"] == inbox["bad_by_kind"]["not_a_workbook"]


def test_render_and_the_night_with_nothing_new(bench):
    render, second = bench["render"], bench["second_run"]
    assert render["bodies"] == 2
    assert render["year_documents_written"] >= 2 * 15  # memo, report, 12 monthly reports, status
    assert render["rejection_outputs_written"] >= bench["inbox"]["bad"]
    assert second["inbox_files_left"] == 0
    # `ita run` itself, with two bodies rendered on two threads
    assert second["ita_run_exit_code"] == 0, second["ita_run_first"].get("error")
    assert second["exit_codes"] == [0]
    started = datetime.strptime(bench["params"]["started"], "%Y-%m-%d %H:%M:%S").date()
    if started == datetime.now().date():  # the status workbook carries today's date
        assert second["outbox_files_changed"] == 0


def test_generated_workbooks_are_deterministic_and_in_excel_layout(tmp_path):
    def generate(output: Path) -> dict:
        subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--sheets", "72", "--seed", "3",
                        "--output", str(output)], check=True, capture_output=True, timeout=300)
        return json.loads((output / "manifest.json").read_text(encoding="utf-8"))

    def digest(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    a = generate(tmp_path / "a")
    generate(tmp_path / "b")
    assert digest(tmp_path / "a" / "inbox") == digest(tmp_path / "b" / "inbox")
    assert a["bodies"] == 1 and a["good_monthly"] == 72 and a["bad"] == 4
    sheet = next((tmp_path / "a" / "inbox").rglob("รายงาน_กองคลัง_*.xlsx"))
    with zipfile.ZipFile(sheet) as archive:
        names = set(archive.namelist())
        assert "xl/sharedStrings.xml" in names  # Excel's layout, not openpyxl's inline strings
        assert b"inlineStr" not in archive.read("xl/worksheets/sheet1.xml")
