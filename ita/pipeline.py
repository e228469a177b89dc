"""The nightly flow, as the flows package declares it: the entry point
`nightly` of group `ita.pipeline` (pyproject.toml). The command line and
`ita serve` reach the pipeline only through it, so the library imports
nothing of the flows that use it; `./setup.sh` or `pip install .` registers it."""

from __future__ import annotations

from importlib.metadata import entry_points

GROUP = "ita.pipeline"


def nightly_flow():
    """The Prefect flow, called with one parameter: `settings`, the mapping
    of settings.as_mapping."""
    found = list(entry_points(group=GROUP, name="nightly"))
    if not found:
        raise RuntimeError(f"no entry point 'nightly' in group {GROUP}: reinstall the package (./setup.sh)")
    return found[0].load()
