"""What is declared once is documented: settings, commands, SQL models."""

from __future__ import annotations

import re

import pytest

from conftest import REPO
from ita.cli import main
from ita.settings import SETTINGS

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_each_setting_is_documented(setting):
    assert f"`--{setting.name.replace('_', '-')}`" in README
    assert f"`{setting.env}`" in README


@pytest.mark.parametrize("command", sorted(main.commands))
def test_each_command_is_shown_in_the_readme(command):
    assert f"ita {command}" in README


@pytest.mark.parametrize("model", sorted((REPO / "sql").glob("0[1-9]*.sql")), ids=lambda p: p.name)
def test_each_sql_model_states_its_grain_and_creates_the_view_it_is_named_for(model):
    text = model.read_text(encoding="utf-8")
    assert text.startswith("-- Grain: one row per")
    name = re.sub(r"^\d+_", "", model.stem)
    # A model of a period is a table macro: a view with the period's months as parameters.
    assert f"create or replace view {name} as" in text or re.search(rf"create or replace macro {name}\(\w+(, \w+)*\) as table", text)


def test_ci_runs_the_readme_test_command():
    """CI runs what the README tells a developer to run, options and all."""
    (command,) = re.findall(r"Run the tests:\n\n```sh\n(.+)\n```", README)
    assert command.startswith(".venv/bin/python -m pytest")
    assert command in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
