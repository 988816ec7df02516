"""The docs stay honest: every command has help with an example, and the README shows every command."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import ROOT
from kg.cli import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_with_an_example(name: str):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert cli.commands[name].help and cli.commands[name].help.strip()


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_readme_shows_every_command(name: str):
    assert f"kg {name}" in README


def test_readme_has_the_two_setup_commands_and_ci_runs_the_second():
    assert "pip install -e . && kg build" in README
    assert "pip install -e '.[test]' && pytest" in README
    assert "pip install -e '.[test]' && pytest" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_changelog_has_an_unreleased_section():
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
