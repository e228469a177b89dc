"""Comments and docs cite only what a reader of the checkout has."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    return [REPO / n for n in names.split("\0")
            if n and Path(n).suffix in {".py", ".md", ".sql", ".toml", ".sh", ".cfg", ".conf"}
            and not n.startswith("tests/fixtures/")]


def test_nothing_cites_the_team_notes_outside_the_repository():
    citing = [str(p.relative_to(REPO)) for p in tracked_text_files()
              if re.search(r"notes/[\w-]+\.md", p.read_text(encoding="utf-8"))]
    assert citing == []


def test_every_cited_docs_file_exists():
    cited = {m for p in tracked_text_files() for m in re.findall(r"docs/[\w-]+\.md", p.read_text(encoding="utf-8"))}
    assert cited, "nothing cites docs/: the pattern is wrong"
    assert sorted(c for c in cited if not (REPO / c).is_file()) == []
