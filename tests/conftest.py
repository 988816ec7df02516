"""Shared fixtures: a copy of the bundled project in a temporary folder, and an in-process CLI runner.

With ``KG_TEST_SERIES=1`` in the environment the copy also holds the fictional briefings of
tests/fixtures/series/ (their texts, annotations and registry file), so the whole suite runs on a
collection of briefings as well as on the bundled one alone (.ci/run does both)."""

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
SERIES = ROOT / "tests" / "fixtures" / "series"
#: Whether the test project holds the fictional series beside the bundled briefing.
WITH_SERIES = os.environ.get("KG_TEST_SERIES", "") not in ("", "0")


def copy_project(dest: Path, series: bool | None = None) -> Path:
    """The bundled project at ``dest``; with ``series`` (default: $KG_TEST_SERIES) the fixture series too."""
    for sub in ("data", "ontology", "queries"):
        if (ROOT / sub).exists():
            shutil.copytree(ROOT / sub, dest / sub)
    if WITH_SERIES if series is None else series:
        add_series(dest)
    return dest


def add_series(root: Path, folder: Path = SERIES) -> Path:
    """Copy the fictional briefings of ``folder`` (tests/fixtures/series/, or benchmarks/heldout/), their
    annotations and registry, into the project at ``root``."""
    for sub in ("briefings", "annotations", "entities"):
        shutil.copytree(folder / sub, root / "data" / sub, dirs_exist_ok=True)
    return root


def check_spans(dataset, root: Path, slug: str, at_least: int) -> None:
    """In the briefing's graph of the built ``dataset`` (of the project at ``root``), each span's text is the
    text between its offsets in that briefing (so every quote matches its span), and there are more than
    ``at_least`` of them."""
    from kg.dataset import graph_iri, mint
    from kg.vocab import NIF

    text = (root / "data" / "briefings" / f"{slug}.txt").read_text(encoding="utf-8")
    g = dataset.graph(graph_iri(slug))
    spans = list(g.subject_objects(NIF.anchorOf))
    assert len(spans) > at_least, slug
    for span, anchor in spans:
        begin = int(g.value(span, NIF.beginIndex))
        end = int(g.value(span, NIF.endIndex))
        assert text[begin:end] == str(anchor), (slug, begin, end)
        assert str(span).startswith(f"{mint('doc', slug)}#char={begin},{end}")


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


def briefing_store(root: Path, slug: str = BRIEFING):
    """An in-memory store of what one briefing of the built project at ``root`` says: its named graph, the
    ontology, and the registry's description of the entities it names, with the default graph their merge
    (as in the built store). Tests that check exact rows of "the" briefing query this, so the rows are the
    same whatever other briefings the project holds."""
    import pyoxigraph as ox
    from rdflib.namespace import PROV

    from kg.build import fill
    from kg.dataset import ENTITIES, graph_iri

    quads = list(ox.parse(path=str(root / "build" / "kg.nq"), format=ox.RdfFormat.N_QUADS))
    own, ontology, registry = (ox.NamedNode(str(graph_iri(g))) for g in (slug, "ontology", ENTITIES))
    derived = ox.NamedNode(str(PROV.wasDerivedFrom))
    named = {q.subject for q in quads if q.graph_name == own and q.predicate == derived}
    keep = [q for q in quads if q.graph_name in (own, ontology)
            or (q.graph_name == registry and (q.subject in named or q.subject == registry))]
    store = ox.Store()
    fill(store, ox.serialize(keep, format=ox.RdfFormat.N_QUADS))
    return store


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
