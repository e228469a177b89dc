"""The ITA level of a year's scores, by that year's official bands
(`ita_bands.toml`: data, because NACC changes them)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from ita.package_data import ITA_BANDS as BANDS_FILE
from schemas.ita_scores import ITA_TOTAL_KEY


@dataclass(frozen=True)
class Level:
    name: str
    min_total: float
    min_each_tool: float | None
    meaning: str


@dataclass(frozen=True)
class Scheme:
    from_year: int
    tools: tuple[str, ...]
    levels: tuple[Level, ...]
    parts: dict[str, tuple[str, ...]]  # tool → the parts it may be published in

    def tool_scores(self, tool: str, scores: dict[str, float]) -> list[float]:
        """The scores that stand for `tool`: its own and those of its parts
        (each must meet a minimum); none when neither was entered."""
        keys = (tool, *self.parts.get(tool, ()))
        return [scores[k] for k in keys if k in scores]


def schemes() -> tuple[Scheme, ...]:
    """The bands as ita_bands.toml has them now: read again when the file
    changes, so an edit reaches a long-running `ita serve` too."""
    stat = BANDS_FILE.stat()
    return _schemes(BANDS_FILE, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _schemes(path, mtime_ns: int, size: int) -> tuple[Scheme, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(
        sorted(
            (
                Scheme(
                    s["from_year"],
                    tuple(s.get("tools", ())),
                    tuple(
                        Level(l["name"], float(l["min_total"]), l.get("min_each_tool"), l["meaning"])
                        for l in s["level"]
                    ),
                    {tool: tuple(parts) for tool, parts in s.get("parts", {}).items()},
                )
                for s in data["scheme"]
            ),
            key=lambda s: s.from_year,
        )
    )


def first_year() -> int:
    return schemes()[0].from_year


def covers(year_be: int) -> bool:
    """Whether the bands say anything about this year."""
    return year_be >= first_year()


def scheme_for(year_be: int) -> Scheme:
    applicable = [s for s in schemes() if s.from_year <= year_be]
    if not applicable:
        raise ValueError(f"no ITA bands for {year_be}")
    return applicable[-1]


def level_for(year_be: int, total: float, scores: dict[str, float]) -> Level:
    """The first level of the year's scheme whose minima the scores meet.
    `scores`: the year's scores by ผลITA key; the scheme picks its tools."""
    scheme = scheme_for(year_be)
    for level in scheme.levels:
        if total < level.min_total:
            continue
        if level.min_each_tool is not None and not all(
            (found := scheme.tool_scores(tool, scores)) and min(found) >= level.min_each_tool
            for tool in scheme.tools
        ):
            continue
        return level
    return scheme.levels[-1]


def level_of_scores(year_be: int, scores: dict[str, float]) -> Level | None:
    """The level a year's scores (key → score) earn; None without an overall score."""
    total = scores.get(ITA_TOTAL_KEY)
    if total is None:
        return None
    return level_for(year_be, total, scores)


def meaning(level: Level, body: str) -> str:
    return level.meaning.format(body=body)


schemes.cache_clear = _schemes.cache_clear  # as functools' caches have it
