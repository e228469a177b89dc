"""Building blocks shared by the schemas: a column with a Thai label and the
element checks that use the project's own normalisers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pandera.pandas as pa

from ita import thai

URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)


def column(
    label: str,
    *,
    help: str,
    checks: Iterable[pa.Check] = (),
    value_required: bool = False,
    column_required: bool = True,
    width: int = 20,
    choices: Iterable[str] = (),
) -> pa.Column:
    """A text-valued column. Values stay as written (dtype None): pandera's
    dtype coercion hides the row of a failed cell (pandera #1080) and costs
    more per call than the checks (docs/performance.md, Validating)."""
    return pa.Column(
        None,
        checks=list(checks),
        nullable=not value_required,
        required=column_required,
        title=label,
        description=help,
        metadata={"width": width, "choices": list(choices)},
    )


def element_check(test: Callable[[object], bool], error: str) -> pa.Check:
    """A per-cell check whose `error` is the Thai sentence a clerk reads."""
    return pa.Check(test, element_wise=True, error=error)


def is_whole_number(low: int, high: int, error: str) -> pa.Check:
    def test(value: object) -> bool:
        number = thai.parse_number(value)
        return number is not None and number.is_integer() and low <= number <= high

    return element_check(test, error)


def is_number_between(low: float, high: float, error: str) -> pa.Check:
    def test(value: object) -> bool:
        if thai.one_line(value) == "":
            return True
        number = thai.parse_number(value)
        return number is not None and low <= number <= high

    return element_check(test, error)


def is_one_of(choices: Iterable[str], error: str) -> pa.Check:
    keys = {thai.label_key(choice) for choice in choices}

    def test(value: object) -> bool:
        return thai.one_line(value) == "" or thai.label_key(value) in keys

    return element_check(test, error)


def is_not_blank(error: str) -> pa.Check:
    return element_check(lambda value: thai.one_line(value) != "", error)


def parses_with(parser: Callable[[object], object], error: str) -> pa.Check:
    return element_check(lambda value: thai.one_line(value) == "" or parser(value) is not None, error)


def links_per_line(error: str) -> pa.Check:
    def test(value: object) -> bool:
        lines = [line.strip() for line in thai.clean_text(value).split("\n") if line.strip()]
        return all(URL.fullmatch(line) for line in lines)

    return element_check(test, error)

