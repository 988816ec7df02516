"""Export: every registered format round-trips to the built graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from conftest import run
from kg.export import FORMATS, export_bytes

RDF_FORMATS = [f for f in FORMATS.values() if f.write is None]


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.name)
def test_every_format_round_trips(fmt, dataset):
    data = export_bytes(dataset, fmt.name)
    if fmt.quads:
        back = Dataset()
        back.parse(data=data, format=fmt.rdflib_format)
        for g in dataset.graphs():
            if len(g):
                assert isomorphic(back.graph(g.identifier), g), g.identifier
    else:
        back = Graph().parse(data=data, format=fmt.rdflib_format)
        everything = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            everything.add((s, p, o))
        assert isomorphic(back, everything)


def test_export_nt_to_file_has_every_triple(built_project: Path, tmp_path: Path, dataset):
    out = tmp_path / "all.nt"
    result = run(built_project, "export", "--format", "nt", "-o", str(out))
    assert result.exit_code == 0, result.output
    lines = [x for x in out.read_text(encoding="utf-8").splitlines() if x.strip()]
    assert len(lines) == len({(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))})


def test_export_turtle_is_the_default_and_goes_to_stdout(built_project: Path):
    result = run(built_project, "export")
    assert result.exit_code == 0
    assert "@prefix kg: <https://example.org/kg/ontology#> ." in result.stdout


def test_unknown_format_is_one_line_exit_2(built_project: Path):
    result = run(built_project, "export", "--format", "docx")
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "unknown export format 'docx'" in result.stderr


OXIGRAPH = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG", "xml": "RDF_XML",
            "jsonld": "JSON_LD"}


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.name)
def test_every_format_loads_into_another_store(fmt, dataset):
    """What users load into their own stores: Oxigraph's strict parsers read every export, triple for triple."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(export_bytes(dataset, fmt.name), format=getattr(ox.RdfFormat, OXIGRAPH[fmt.name]))
    triples = {(q.subject, q.predicate, q.object) for q in store}
    expected = {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}
    assert len(triples) == len(expected)
    if fmt.quads:
        graphs = {str(g.value) for g in store.named_graphs()}
        assert graphs == {str(g.identifier) for g in dataset.graphs() if len(g)}


def test_export_takes_the_format_from_the_file_extension(built_project: Path, tmp_path: Path):
    out = tmp_path / "all.nq"
    assert run(built_project, "export", "-o", str(out)).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    graphs = [*(p.stem for p in (built_project / "data" / "briefings").glob("*.txt")), "entities", "ontology"]
    ends = tuple(f"<https://example.org/kg/graph/{g}> ." for g in graphs)
    assert lines and all(line.endswith(ends) for line in lines)
    assert any(line.endswith("<https://example.org/kg/graph/minhang-2023-09-07> .") for line in lines)
