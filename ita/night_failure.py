"""A night that could not do all its work: what failed, in Thai, with what
the night did all the same (light to import)."""

from __future__ import annotations


class NightFailed(Exception):
    """The night's Prefect state is Failed with this as its result, so the
    run history says so and `ita run` exits non-zero; `result` is what the
    night did all the same (empty when it stopped before taking anything in)."""

    def __init__(self, problems: list[str], result: dict | None = None):
        super().__init__(problems, result)
        self.problems = problems
        self.result = result or {}

    def __str__(self) -> str:
        return "\n".join(self.problems)
