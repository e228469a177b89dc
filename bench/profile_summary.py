"""Summarise a py-spy "raw" (collapsed stacks) profile: where the samples are,
by process, by function inclusive (a function counted once per stack) and by
function self (the leaf frame).

    .venv/bin/python bench/profile_summary.py /tmp/ita-bench/run-7200-s1/profile-ingest.txt [--top 30]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

# py-spy frames look like "function (path/to/file.py:123)"; --subprocesses
# puts a "process 123:"command"" frame at the root.
_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def _name(frame: str) -> str:
    match = _FRAME.match(frame)
    if not match:
        return frame
    file = match["file"]
    for marker in ("site-packages/", "lib/python3.11/", "/work/main/"):
        if marker in file:
            file = file.split(marker, 1)[1]
    return f"{match['func']} ({file})"


def _process(frame: str) -> str:
    command = frame.split(":", 1)[1].strip('"') if ":" in frame else frame
    if "isolated_read" in command or "spawn_main" in command or "multiprocessing" in command:
        return "reader worker processes (ita.isolated_read)"
    if "render_workers" in command:
        return "render worker processes (ita.render_workers)"
    if "ita.cli" in command or "bench/run.py" in command or "/ita " in command:
        return "main process"
    return f"other: {command[:60]}"


def summarize(path: Path, top: int = 30, process: str | None = None) -> dict:
    """`process`: only stacks of processes whose label contains it
    ("worker", "main")."""
    inclusive: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    processes: Counter[str] = Counter()
    total = 0
    everything = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        owners = [f for f in frames if f.startswith("process ")]
        label = _process(owners[-1]) if owners else "main process"
        if process and process not in label:
            continue
        processes[label] += n
        everything += n
        frames = [f for f in frames if not f.startswith("process ")]
        # thread frames ("thread (0x…)") are not functions
        frames = [f for f in frames if not f.startswith("thread (")]
        if not frames:
            continue
        total += n
        names = [_name(f) for f in frames]
        for name in set(names):
            inclusive[name] += n
        leaf[names[-1]] += n

    def table(counter: Counter[str]) -> list[dict]:
        return [{"function": k, "samples": v, "percent": round(100 * v / total, 1)} for k, v in counter.most_common(top)]

    return {
        "samples": total,
        "by_process": {k: {"samples": v, "percent": round(100 * v / max(everything, 1), 1)} for k, v in processes.most_common()},
        "inclusive": table(inclusive),
        "self": table(leaf),
    }


def format_summary(summary: dict, top: int = 25) -> str:
    lines = [f"samples: {summary['samples']}"]
    for process, v in summary["by_process"].items():
        lines.append(f"  {process}: {v['percent']}%")
    lines.append("inclusive (function and what it calls):")
    lines += [f"  {row['percent']:5.1f}%  {row['function']}" for row in summary["inclusive"][:top]]
    lines.append("self (the frame on top of the stack):")
    lines += [f"  {row['percent']:5.1f}%  {row['function']}" for row in summary["self"][:top]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--process", default=None, help="only this process kind: worker | main")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    summary = summarize(args.raw, args.top, args.process)
    print(json.dumps(summary, ensure_ascii=False, indent=1) if args.json else format_summary(summary, args.top))


if __name__ == "__main__":
    main()
