"""Shared fixtures: a copy of the bundled project in a temporary folder, and an in-process CLI runner."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

os.environ.pop("KG_BASE", None)  # the tests run under the bundled ontology's base; tests/test_namespace.py sets another

from kg.cli import cli

ROOT = Path(__file__).resolve().parent.parent
BRIEFING = "minhang-2023-09-07"


def copy_project(dest: Path) -> Path:
    for sub in ("data", "ontology", "queries"):
        if (ROOT / sub).exists():
            shutil.copytree(ROOT / sub, dest / sub)
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of data/, ontology/ and queries/, so a test may break it freely."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """One shared, built copy of the bundled project, for tests that only read."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = CliRunner().invoke(cli, ["--project", str(root), "build"])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="session")
def dataset(built_project: Path):
    from kg.build import load_built
    from kg.project import find_project

    return load_built(find_project(built_project))


def run(root: Path, *args: str):
    """Run ``kg --project root ARGS`` in-process; returns click's Result (stdout and stderr apart)."""
    return CliRunner().invoke(cli, ["--project", str(root), *args], catch_exceptions=False)


def check_failure(result, expected: str) -> None:
    """Bad input as promised: exit code 2, one line on stderr holding ``expected``, no traceback, no output."""
    assert result.exit_code == 2, result.output
    err = result.stderr.strip()
    assert err.count("\n") == 0, err
    assert "Traceback" not in result.output
    assert expected in err, err
    assert result.stdout == ""
