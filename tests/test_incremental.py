"""A build that reads again only the briefings whose inputs changed (kg/parts.py) writes what a build from
scratch writes, byte for byte, and its store answers the same (issue 7, part 6)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BRIEFING, check_failure, copy_project, run
from kg.build import current_generation, write_build
from kg.project import find_project

WRENFIELD = "aurelport-wrenfield-2024-05-21"
LARKMOOR = "aurelport-larkmoor-2024-03-12"
OLD_NAME = "name: Aurelport press briefing on Wrenfield District, 21 May 2024"
NEW_NAME = "name: Aurelport press briefing on Wrenfield District (renamed)"


@pytest.fixture
def series(tmp_path: Path) -> Path:
    """The fictional series alone (the bundled briefing, the slowest to derive, taken out)."""
    root = copy_project(tmp_path / "series", series=True)
    (root / "data" / "briefings" / f"{BRIEFING}.txt").unlink()
    (root / "data" / "briefings" / f"{BRIEFING}.meta.yaml").unlink()
    shutil.rmtree(root / "data" / "annotations" / BRIEFING)
    return root


def outputs(root: Path) -> dict[str, bytes]:
    """Every file a build writes but its stamp (which names the cached parts), by path below build/."""
    gen = current_generation(root / "build")
    assert gen is not None
    return {str(p.relative_to(gen)): p.read_bytes() for p in sorted(gen.rglob("*"))
            if p.is_file() and p.name != "stamp.json" and "oxigraph" not in p.parts}


def store_quads(root: Path) -> set[ox.Quad]:
    gen = current_generation(root / "build")
    assert gen is not None
    return set(ox.Store.read_only(str(gen / "oxigraph")))


def from_scratch(root: Path, tmp_path: Path) -> Path:
    """A copy of the project at ``root`` without its build/, built."""
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build"))
    assert run(fresh, "build").exit_code == 0
    return fresh


def edit(root: Path, slug: str, old: str, new: str) -> None:
    path = root / "data" / "annotations" / slug / "00-core.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_rebuild_after_one_change_derives_only_that_briefing_and_equals_a_build_from_scratch(
        series: Path, tmp_path: Path, monkeypatch):
    project = find_project(series)
    counts: list[tuple[int, int]] = []
    write_build(project, progress=lambda done, total: counts.append((done, total)))
    assert counts[-1] == (4, 4)  # the first build derives every briefing
    before = outputs(series)

    edit(series, WRENFIELD, OLD_NAME, NEW_NAME)
    import kg.build

    def no_full_load(*args: object) -> None:
        raise AssertionError("the store was loaded again from kg.nq")

    monkeypatch.setattr(kg.build, "write_store", no_full_load)  # the previous store, updated
    counts.clear()
    built = write_build(project, progress=lambda done, total: counts.append((done, total)))
    monkeypatch.undo()
    assert counts[-1] == (1, 1), "only the changed briefing is derived again"
    after = outputs(series)
    assert [k for k in after if after[k] != before.get(k)] == ["graphs/" + WRENFIELD + ".ttl", "kg.nq", "kg.trig"]
    assert b"(renamed)" in after["kg.trig"] and b"(renamed)" in after["kg.nq"]
    assert b'"Aurelport press briefing on Wrenfield District, 21 May 2024"' not in after["kg.trig"]

    fresh = from_scratch(series, tmp_path)
    assert outputs(fresh) == after  # byte for byte, the whole dataset's files and each graph's
    assert store_quads(fresh) == store_quads(series)  # named graphs and their merge, the default graph
    assert built.triples == sum(1 for _ in after["kg.nq"].splitlines())


def test_a_removed_briefing_leaves_the_store_and_the_files(series: Path, tmp_path: Path):
    assert run(series, "build").exit_code == 0
    for path in (series / "data" / "briefings").glob(f"{LARKMOOR}.*"):
        path.unlink()
    shutil.rmtree(series / "data" / "annotations" / LARKMOOR)
    assert run(series, "build").exit_code == 0
    quads = store_quads(series)
    graph = ox.NamedNode(f"https://example.org/kg/graph/{LARKMOOR}")
    assert not [q for q in quads if q.graph_name == graph]
    assert f"graphs/{LARKMOOR}.ttl" not in outputs(series)
    # a triple only the removed briefing stated is gone from the default graph too; a shared one stays
    fresh = from_scratch(series, tmp_path)
    assert store_quads(fresh) == quads
    assert outputs(fresh) == outputs(series)


def test_a_clash_with_an_unchanged_briefing_is_caught_when_only_one_changed(series: Path):
    assert run(series, "build").exit_code == 0
    build = series / "build"
    before = {p: p.read_bytes() for p in build.rglob("*") if p.is_file()}
    meta = series / "data" / "briefings" / f"{WRENFIELD}.meta.yaml"
    text = meta.read_text(encoding="utf-8")
    text = text.replace("Wrenfield District, May 21, 2024", "Larkmoor District, March 12, 2024")
    meta.write_text(text.replace("held: 2024-05-21", "held: 2024-03-12"), encoding="utf-8")
    result = run(series, "build")
    check_failure(result, f"briefing {WRENFIELD} has the title and date of {LARKMOOR} ({LARKMOOR}.meta.yaml:2)")
    assert {p: p.read_bytes() for p in build.rglob("*") if p.is_file()} == before, "nothing written"


def declare(root: Path, slug: str, name: str) -> None:
    """Declare the entity test-thing in the briefing ``slug``, quoting 30 characters of its text."""
    text = (root / "data" / "briefings" / f"{slug}.txt").read_text(encoding="utf-8")
    quote = next(text[i:i + 30] for i in range(200, len(text)) if text.count(text[i:i + 30]) == 1)
    (root / "data" / "annotations" / slug / "99-thing.yaml").write_text(
        f"entities:\n  - id: test-thing\n    type: Enterprise\n    name: {name}\n    quote: {json.dumps(quote)}\n",
        encoding="utf-8")


def test_a_declaration_that_differs_from_an_unchanged_briefing_is_caught(series: Path):
    declare(series, LARKMOOR, "Test Thing")
    declare(series, WRENFIELD, "Test Thing")
    assert run(series, "build").exit_code == 0  # declared alike by two briefings: one entity
    declare(series, WRENFIELD, "Test Thing Ltd")  # only this briefing changes; larkmoor's part is cached
    check_failure(run(series, "build"),
                  f"{WRENFIELD}/99-thing.yaml:2: entity 'test-thing': declared with a different name at "
                  f"{LARKMOOR}/99-thing.yaml:2")


def test_parallel_derivation_reports_the_first_bad_briefing_in_order(series: Path):
    assert run(series, "build").exit_code == 0
    for slug in (WRENFIELD, LARKMOOR):  # both change, so both are derived, in worker processes
        (series / "data" / "annotations" / slug / "99-bad.yaml").write_text(
            "entities:\n  - id: bad-one\n    type: NoSuchType\n    name: Bad\n    quote: \"x\"\n", encoding="utf-8")
    check_failure(run(series, "build"), f"{LARKMOOR}/99-bad.yaml:")  # larkmoor comes first by name


def test_a_rebuild_with_nothing_changed_derives_nothing(series: Path):
    project = find_project(series)
    write_build(project)
    counts: list[tuple[int, int]] = []
    before = outputs(series)
    write_build(project, progress=lambda done, total: counts.append((done, total)))
    assert counts == []
    assert outputs(series) == before


@given(st.lists(st.text(alphabet="ab/#", min_size=1, max_size=6), max_size=12),
       st.text(alphabet="ab/#", max_size=8))
def test_longest_namespace_is_rdflibs(namespaces: list[str], value: str):
    """kg.rdfwrite's lookup finds what rdflib's own get_longest_namespace finds, in any trie rdflib builds."""
    from rdflib.namespace import insert_trie

    from kg.rdfwrite import RDFLIB_LONGEST_NAMESPACE, longest_namespace

    trie: dict = {}
    for ns in namespaces:
        insert_trie(trie, ns)
    assert longest_namespace(trie, value) == RDFLIB_LONGEST_NAMESPACE(trie, value)


def test_a_terminal_shows_a_bar_with_counts_and_a_pipe_shows_none(series: Path):
    import os
    import pty
    import subprocess
    import sys

    kg = [sys.executable, "-m", "kg.cli", "--project", str(series), "build"]
    leader, follower = pty.openpty()
    with subprocess.Popen(kg, stdout=subprocess.DEVNULL, stderr=follower) as p:
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the build exited and closed its end
                break
            if not chunk:
                break
            seen += chunk
    os.close(leader)
    assert p.returncode == 0
    assert b"Building briefings" in seen and b"4/4" in seen, seen
    edit(series, WRENFIELD, OLD_NAME, NEW_NAME)
    piped = subprocess.run(kg, capture_output=True, check=True)
    assert b"Building briefings" not in piped.stderr and b"1/1" not in piped.stderr


def test_parts_are_written_as_rdflib_writes_them(tmp_path: Path):
    """kg.rdfwrite's Turtle and N-Quads of a graph's triples are the bytes rdflib's serializers write for
    the graph, for every graph of the bundled briefing and the fictional series."""
    from kg.build import build_dataset
    from kg.dataset import bindings
    from kg.rdfwrite import nquads, serialize, sorted_lines, turtle

    root = copy_project(tmp_path / "project", series=True)
    ds = build_dataset(find_project(root))
    graphs = [g for g in ds.graphs() if len(g)]
    assert len(graphs) == 7  # the ontology, the registry, the bundled briefing and the series' four
    for g in graphs:
        triples = list(g)
        assert turtle(triples, bindings()) == serialize(g, "turtle"), g.identifier
        iri = f" <{g.identifier}> .\n".encode()
        nt = serialize(g, "nt").splitlines(keepends=True)
        assert nquads(triples, g.identifier) == sorted_lines(b"".join(line[:-3] + iri for line in nt))


def test_turtle_is_rdflibs_for_odd_iris_and_literals():
    """The corners of rdflib's Turtle: IRIs that cannot be prefixed names, a bound namespace as an IRI,
    a predicate of no bound namespace (a made-up ns1:), classes first, literals of every kind, blank nodes."""
    import datetime as dt

    from rdflib import RDF, RDFS, XSD, BNode, Literal, URIRef

    from kg.dataset import bindings
    from kg.rdfwrite import turtle

    ex = "https://example.org/kg/id/"
    s1, s2, s3 = URIRef(ex + "a(b)"), URIRef(ex + "c%zz"), URIRef(ex + "ends.")
    other = URIRef("http://other.example/vocab/p")
    triples = [
        (s1, RDF.type, RDFS.Class), (s2, RDF.type, URIRef(ex + "K")), (s2, RDFS.label, Literal("x", lang="en")),
        (s2, RDFS.isDefinedBy, URIRef("http://qudt.org/vocab/unit/")), (s2, other, s1),
        (URIRef("http://other.example/vocab/thing"), RDFS.seeAlso, URIRef("http://other.example/vocab/q")),
        (s3, RDFS.seeAlso, s2), (s3, RDFS.seeAlso, URIRef(ex + "doc/x#char=1,2")),
        (s3, RDFS.comment, Literal("line one\nline \"two\"")), (s3, RDFS.comment, Literal(3)),
        (s3, RDFS.comment, Literal(2.5, datatype=XSD.decimal)), (s3, RDFS.comment, Literal(True)),
        (s3, RDFS.comment, Literal(dt.date(2024, 3, 12))), (s3, RDFS.comment, Literal("y", datatype=URIRef(ex + "T"))),
        (URIRef(ex + "z"), RDF.value, RDF.nil), (URIRef(ex + "z"), URIRef(ex + "q-"), s3),
    ]
    for case in (triples, [*triples, (BNode("b1"), RDFS.seeAlso, s1), (s1, RDFS.seeAlso, BNode("b2"))]):
        assert turtle(case, bindings()) == rdflib_turtle(case)


def rdflib_turtle(triples: list[tuple]) -> bytes:
    """The Turtle rdflib writes for a graph of ``triples`` that binds the prefixes kg's graphs bind."""
    from rdflib import Graph

    from kg.dataset import bindings
    from kg.rdfwrite import serialize

    g = Graph()
    for prefix, ns in bindings():
        g.bind(prefix, ns, override=True, replace=True)
    for t in triples:
        g.add(t)
    return serialize(g, "turtle")


_IRIS = st.builds(lambda ns, local: ns + local,
                  st.sampled_from(["https://example.org/kg/id/", "https://example.org/kg/id/doc/x#char=",
                                   "http://www.w3.org/2000/01/rdf-schema#", "http://qudt.org/vocab/unit/",
                                   "http://other.example/vocab/"]),
                  st.text(alphabet="aZ9-._%()/#,", max_size=5))
#: Predicates in bound namespaces or in one that is not (two would get made-up prefixes in hash order).
_PREDICATES = st.builds(lambda ns, local: ns + local,
                        st.sampled_from(["https://example.org/kg/id/", "http://www.w3.org/2000/01/rdf-schema#",
                                         "http://other.example/vocab/"]),
                        st.text(alphabet="aZ9", min_size=1, max_size=3))
_LITERALS = st.one_of(st.text(alphabet="a\"\\\n 书", max_size=4), st.integers(-3, 3),
                      st.decimals(places=1, min_value=-9, max_value=9), st.booleans())


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(_IRIS, _PREDICATES, st.one_of(_IRIS, _LITERALS)), min_size=1, max_size=8))
def test_turtle_is_rdflibs_for_any_small_graph(raw: list[tuple]):
    """kg.rdfwrite.turtle against rdflib's Turtle on small graphs of odd IRIs and literals."""
    from rdflib import Literal, URIRef

    from kg.dataset import bindings
    from kg.rdfwrite import turtle

    triples = [(URIRef(s), URIRef(p), URIRef(o) if isinstance(o, str) and "/" in o[:8] else Literal(o))
               for s, p, o in raw]
    assert turtle(triples, bindings()) == rdflib_turtle(triples)
