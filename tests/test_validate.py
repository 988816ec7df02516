"""Validation: the bundled data conforms; data that breaks each shape does not (exit code 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from conftest import run
from kg.project import find_project
from kg.validate import load_shapes, validate_dataset
from kg.vocab import ID, KG, NIF, SCHEMA, SDMX_ATTRIBUTE, SDMX_MEASURE

FIGURE = ID["figure/minhang-2023-09-07/fiscal-revenue-2023-h1"]


def test_bundled_data_conforms(built_project: Path):
    result = run(built_project, "validate")
    assert result.exit_code == 0, result.output
    assert "Conforms: yes" in result.output


def _first(ds, s=None, p=None, o=None):
    return next(iter(ds.quads((s, p, o, None))))


def drop(p, s=None):
    def mutate(ds):
        for q in list(ds.quads((s, p, None, None))):
            ds.remove(q)
    return mutate


def add(make):
    def mutate(ds):
        for q in make(ds):
            ds.add(q)
    return mutate


def _span(ds):
    return _first(ds, None, NIF.anchorOf)[0]


BREAKERS = {
    # every entity has a label
    "entity-without-label": drop(RDFS.label, ID["huawei"]),
    "entity-without-preflabel": drop(SKOS.prefLabel, ID["huawei"]),
    # every entity points to its span
    "entity-without-provenance": drop(PROV.wasDerivedFrom, ID["huawei"]),
    # whatever a fact relates has a type
    "related-thing-without-type": drop(RDF.type, ID["huawei"]),
    # every figure has a value, a unit, provenance, one indicator
    "figure-without-value": drop(SDMX_MEASURE.obsValue, FIGURE),
    "figure-without-unit": drop(SDMX_ATTRIBUTE.unitMeasure, FIGURE),
    "figure-without-provenance": drop(PROV.wasDerivedFrom, FIGURE),
    "figure-without-subject": drop(SCHEMA.observationAbout, FIGURE),
    "figure-with-bad-unit": add(lambda ds: [(FIGURE, SDMX_ATTRIBUTE.unitMeasure, ID["huawei"], _first(ds, FIGURE)[3])]),
    "figure-value-not-decimal": lambda ds: [
        ds.remove(q) for q in list(ds.quads((FIGURE, SDMX_MEASURE.obsValue, None, None)))
    ] and ds.add((FIGURE, SDMX_MEASURE.obsValue, Literal("lots"), _first(ds, FIGURE)[3])),
    # every fact has provenance
    "assertion-without-provenance": lambda ds: [
        ds.remove(q) for q in list(ds.quads((_first(ds, None, RDF.type, KG.Assertion)[0], PROV.wasDerivedFrom, None, None)))
    ],
    # every span's begin < end
    "span-begin-after-end": lambda ds: [
        ds.remove(q) for q in list(ds.quads((_span(ds), NIF.beginIndex, None, None)))
    ] and ds.add((_span(ds), NIF.beginIndex, Literal(99999, datatype=XSD.nonNegativeInteger), _first(ds, _span(ds))[3])),
    # the span-text check (not SHACL)
    "span-text-differs": lambda ds: [
        ds.remove(q) for q in list(ds.quads((_span(ds), NIF.anchorOf, None, None)))
    ] and ds.add((_span(ds), NIF.anchorOf, Literal("not what the text says"), _first(ds, _span(ds))[3])),
    # a post sits in an organisation
    "post-without-organisation": drop(URIRef("http://www.w3.org/ns/org#postIn"), ID["post-secretary-cpc-minhang"]),
    # a partnership names a partner
    "partnership-without-member": lambda ds: [
        ds.remove(q) for q in list(ds.quads((_first(ds, None, RDF.type, KG.Partnership)[0],
                                              URIRef("http://www.w3.org/ns/org#hasMember"), None, None)))
    ],
}


def _copy(dataset) -> Dataset:
    ds = Dataset()
    for q in dataset.quads((None, None, None, None)):
        ds.add(q)
    return ds


@pytest.mark.parametrize("name", sorted(BREAKERS))
def test_data_that_breaks_a_shape_does_not_conform(name, dataset, built_project: Path, tmp_path: Path):
    ds = _copy(dataset)
    before = len(ds)
    BREAKERS[name](ds)
    assert len(ds) != before or name in ("span-begin-after-end", "span-text-differs", "figure-value-not-decimal")
    report = validate_dataset(ds, load_shapes(find_project(built_project).shapes_file))
    assert report.exit_code == 1
    assert not report.conforms
    # and through the command, on a file
    broken = tmp_path / "broken.trig"
    broken.write_bytes(ds.serialize(format="trig", encoding="utf-8"))
    result = run(built_project, "validate", str(broken))
    assert result.exit_code == 1, result.output
    assert "Conforms: no" in result.output


def test_validate_unparseable_file_is_exit_2(built_project: Path, tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <y#> .\nx:a x:b .\n", encoding="utf-8")
    result = run(built_project, "validate", str(bad))
    assert result.exit_code == 2
    assert "bad.ttl:2:" in result.stderr
