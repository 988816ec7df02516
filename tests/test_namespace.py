"""One namespace, in one place: kg/prefixes.py derives every project IRI from BASE (``KG_BASE``), query files
declare none of kg's prefixes, and a project built under another base answers every catalogued query as the
bundled one does (issue 12, class 10).

Before this, the base was written in about 41 files: changing it where the README said (kg/prefixes.py and
ontology/*.ttl) left the queries' own ``PREFIX kg: <https://example.org/kg/ontology#>`` behind, so
``kg query linked-to-zone`` answered 0 rows with exit 0 and five ``*-violation`` checks printed ``ok`` while
checking nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run
from kg.catalogue import load_catalogue
from kg.prefixes import BASE, PREFIXES

CATALOGUE = load_catalogue(ROOT / "queries")
DEFAULT_BASE = "https://example.org/kg/"    # the placeholder base these tests run under
PROJECT_PREFIXES = ("kg", "kgr", "kgg")     # kg's own namespaces: no query file may declare them
OTHER_BASE = "http://data.other-base.test/graphs/kg/"
KG = shutil.which("kg", path=str(Path(sys.executable).parent)) or "kg"

# PREFIX lines, written out here rather than taken from kg/prefixes.py, so the test does not trust the code
# it tests; a Turtle-style "@prefix" in a query would be a syntax error, but is caught all the same.
DECLARATION = re.compile(r"^\s*@?prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


# --- declared once ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("q", CATALOGUE, ids=lambda q: q.name)
def test_no_query_file_redeclares_a_prefix(q):
    declared = {(m[1] or ""): m[2] for m in DECLARATION.finditer(q.text)}
    assert not declared.keys() & set(PROJECT_PREFIXES), f"{q.path.name} declares kg's own prefix: {declared}"
    wrong = {p: iri for p, iri in declared.items() if p in PREFIXES and iri != PREFIXES[p]}
    assert not wrong, f"{q.path.name} declares {wrong}, not as kg/prefixes.py does"


def test_every_project_namespace_derives_from_the_base():
    from kg.vocab import GRAPH, ID, KG, ONTOLOGY_IRI

    assert [PREFIXES[p] for p in PROJECT_PREFIXES] == [BASE + "ontology#", BASE + "id/", BASE + "graph/"]
    assert (str(KG.Figure), str(ID["x"]), str(GRAPH["x"]), str(ONTOLOGY_IRI)) == (
        BASE + "ontology#Figure", BASE + "id/x", BASE + "graph/x", BASE + "ontology")


def test_no_module_writes_the_base_but_kg_prefixes():
    """Outside kg/prefixes.py, the placeholder may stand in docs and in tests of the default base only."""
    code = [*sorted((ROOT / "kg").rglob("*.py")), *sorted((ROOT / "kg" / "templates").glob("*")),
            *sorted((ROOT / "benchmarks").glob("*.py")), *sorted((ROOT / "notebooks").glob("*.ipynb")),
            *sorted((ROOT / "queries").glob("*.rq")), ROOT / "tests" / "synthetic.py"]
    hits = [str(p.relative_to(ROOT)) for p in code
            if p.name != "prefixes.py" and DEFAULT_BASE in p.read_text(encoding="utf-8")]
    assert hits == []


@pytest.mark.parametrize("which", ["kg.ttl", "kg-shapes.ttl"])
def test_an_ontology_file_of_another_base_is_one_clear_error(project: Path, which: str, monkeypatch):
    monkeypatch.chdir(project)
    path = project / "ontology" / which
    path.write_text(path.read_text(encoding="utf-8").replace(BASE, OTHER_BASE), encoding="utf-8")
    result = run(project, "validate")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: ontology/{which}:1: declares kg: <{OTHER_BASE}ontology#> but kg's namespace "
                             f"is <{BASE}ontology#>; to use this file, set KG_BASE={OTHER_BASE}\n")
    assert "Traceback" not in result.output


def test_a_malformed_kg_base_is_one_clear_error(tmp_path: Path):
    done = in_subprocess([KG, "--project", str(ROOT), "query", "-e", "ASK {}"], "example.org/kg", tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("Error: KG_BASE: 'example.org/kg' is not an http(s) IRI ending in '/' "
                           "(e.g. https://example.org/kg/)\n")


# --- another base: same answers --------------------------------------------------------------------------

# Runs in a subprocess, so that kg/prefixes.py reads KG_BASE at import: every catalogued query through the
# CLI (in-process there), with its default parameters; prints {name: rows (SELECT), triples (CONSTRUCT,
# DESCRIBE) or the boolean (ASK)}.
COUNT_EVERY_QUERY = textwrap.dedent("""
    import json, sys
    from click.testing import CliRunner
    from kg.catalogue import load_catalogue
    from kg.cli import cli

    root = sys.argv[1]
    counts = {}
    for q in load_catalogue(__import__("pathlib").Path(root) / "queries"):
        r = CliRunner().invoke(cli, ["--project", root, "query", q.name, "--format", "json"])
        if r.exit_code == 2 and "CONSTRUCT" in r.output:
            r = CliRunner().invoke(cli, ["--project", root, "query", q.name, "--format", "nt"])
            counts[q.name] = len([line for line in r.output.splitlines() if line.strip()])
            continue
        assert r.exit_code in (0, 1), (q.name, r.output)
        answer = json.loads(r.output)
        counts[q.name] = answer["boolean"] if "boolean" in answer else len(answer["results"]["bindings"])
    print(json.dumps(counts))
""")


def in_subprocess(args: list[str], base: str | None, cwd: Path) -> subprocess.CompletedProcess:
    """``args`` run in ``cwd`` with ``KG_BASE=base`` (unset for None), its output captured."""
    env = {k: v for k, v in os.environ.items() if k not in ("KG_BASE", "KG_PROJECT")}
    env = env if base is None else {**env, "KG_BASE": base}
    return subprocess.run(args, env=env, cwd=cwd, check=False, capture_output=True, text=True, timeout=600)


def count_every_query(root: Path, base: str | None) -> dict[str, int | bool]:
    done = in_subprocess([sys.executable, "-c", COUNT_EVERY_QUERY, str(root)], base, root)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_project_of_another_base_answers_every_query_alike(built_project: Path, tmp_path: Path):
    other = copy_project(tmp_path / "other")
    for ttl in (other / "ontology").glob("*.ttl"):
        ttl.write_text(ttl.read_text(encoding="utf-8").replace(DEFAULT_BASE, OTHER_BASE), encoding="utf-8")
    assert not any(DEFAULT_BASE in p.read_text(encoding="utf-8") for p in other.rglob("*") if p.is_file())

    built = in_subprocess([KG, "build"], OTHER_BASE, other)
    assert built.returncode == 0, built.stderr
    nquads = (other / "build" / "kg.nq").read_text(encoding="utf-8")
    assert DEFAULT_BASE not in nquads and f"<{OTHER_BASE}graph/ontology> .\n" in nquads

    checks = in_subprocess([KG, "queries", "--check"], OTHER_BASE, other)
    assert checks.returncode == 0, checks.stderr
    names = [q.name for q in CATALOGUE if q.is_check]
    assert checks.stdout.splitlines() == [f"ok   {n}" for n in names]

    # the same project under the default base (KG_BASE forgotten): the build is stale, and its rebuild refused,
    # where a query used to answer 0 rows with exit 0
    forgot = in_subprocess([KG, "query", "linked-to-zone"], None, other)
    assert (forgot.returncode, forgot.stdout) == (2, "")
    assert forgot.stderr.startswith("Error: ontology/kg.ttl:1: declares kg: "), forgot.stderr
    assert f"KG_BASE={OTHER_BASE}" in forgot.stderr

    expected = count_every_query(built_project, None)
    assert set(expected) == {q.name for q in CATALOGUE}
    assert expected["linked-to-zone"] == 5                   # the README's answer, under the default base
    assert count_every_query(other, OTHER_BASE) == expected
