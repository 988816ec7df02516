"""Validation: the bundled data conforms; data that breaks each shape does not (exit code 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
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


#: One span, named, so that a breaker changes it and no other (the README's fiscal-revenue span).
SPAN = ID["doc/minhang-2023-09-07#char=1711,1897"]


def replace(s, p, o):
    """Give ``s`` the one value ``o`` for ``p``, in the graph that holds ``s``."""
    def mutate(ds):
        graph = _first(ds, s)[3]
        for q in list(ds.quads((s, p, None, None))):
            ds.remove(q)
        ds.add((s, p, o, graph))
    return mutate


BREAKERS = {
    # every entity has a label
    "entity-without-label": drop(RDFS.label, ID["huawei"]),
    "entity-without-preflabel": drop(SKOS.prefLabel, ID["huawei"]),
    # every entity points to its span (one that a briefing declares), or is defined by the registry
    "entity-without-provenance": drop(PROV.wasDerivedFrom, ID["shanghai-mindspore-ai-framework-innovation-center"]),
    "registry-entity-without-registry": lambda ds: [
        drop(PROV.wasDerivedFrom, ID["huawei"])(ds), drop(RDFS.isDefinedBy, ID["huawei"])(ds)],
    # whatever a fact relates has a type
    "related-thing-without-type": drop(RDF.type, ID["huawei"]),
    # every figure has a value, a unit, provenance, one indicator
    "figure-without-value": drop(SDMX_MEASURE.obsValue, FIGURE),
    "figure-without-unit": drop(SDMX_ATTRIBUTE.unitMeasure, FIGURE),
    "figure-without-provenance": drop(PROV.wasDerivedFrom, FIGURE),
    "figure-without-subject": drop(SCHEMA.observationAbout, FIGURE),
    "figure-with-bad-unit": add(lambda ds: [(FIGURE, SDMX_ATTRIBUTE.unitMeasure, ID["huawei"], _first(ds, FIGURE)[3])]),
    "figure-value-not-decimal": replace(FIGURE, SDMX_MEASURE.obsValue, Literal("lots")),
    # every fact has provenance, a source document and a date
    "figure-without-source": drop(PROV.hadPrimarySource, FIGURE),
    "figure-without-date": drop(KG.asOf, FIGURE),
    "assertion-without-date": lambda ds: [
        ds.remove(q) for q in list(ds.quads((_first(ds, None, RDF.type, KG.Assertion)[0], KG.asOf, None, None)))
    ],
    "assertion-with-two-dates": lambda ds: [
        ds.add((q[0], KG.asOf, ID["instant/2023-06-30"], q[3]))
        for q in list(ds.quads((_first(ds, None, RDF.type, KG.Assertion)[0], KG.asOf, None, None)))
    ],
    "assertion-without-provenance": lambda ds: [
        ds.remove(q)
        for q in list(ds.quads((_first(ds, None, RDF.type, KG.Assertion)[0], PROV.wasDerivedFrom, None, None)))
    ],
    # every span's begin < end
    "span-begin-after-end": replace(SPAN, NIF.beginIndex, Literal(99999, datatype=XSD.nonNegativeInteger)),
    # the span-text check (not SHACL): one span, one anchor, the wrong text
    "span-text-differs": replace(SPAN, NIF.anchorOf, Literal("not what the text says")),
    # a post sits in an organisation
    "post-without-organisation": drop(URIRef("http://www.w3.org/ns/org#postIn"), ID["post-secretary-cpc-minhang"]),
    # a partnership names a partner
    # a section opens with its heading sentence (issue 9: the briefing's parts)
    "section-without-heading": lambda ds: drop(KG.heading, _first(ds, None, RDF.type, KG.Section)[0])(ds),
    # a generic mention ("a batch of key parks") is flagged by one boolean
    "generic-not-boolean": lambda ds: replace(_first(ds, None, KG.generic)[0], KG.generic, Literal("yes"))(ds),
    # only a count counts a class or group ("193 parks")
    "counting-figure-not-a-count": lambda ds: replace(
        _first(ds, None, KG.counts)[0], SDMX_ATTRIBUTE.unitMeasure, URIRef("http://qudt.org/vocab/unit/M2"))(ds),
    # a dated fact has one period, with a label
    "fact-with-two-periods": lambda ds: add(lambda ds: [
        (q[0], KG.period, ID["period/2021"], q[3]) for q in [_first(ds, None, KG.period)]])(ds),
    "period-without-label": lambda ds: drop(RDFS.label, _first(ds, None, KG.period)[2])(ds),
    "partnership-without-member": lambda ds: [
        ds.remove(q) for q in list(ds.quads((_first(ds, None, RDF.type, KG.Partnership)[0],
                                              URIRef("http://www.w3.org/ns/org#hasMember"), None, None)))
    ],
}


#: Which check each breaker must set off, and nothing else: the sh:message of every SHACL result it gives
#: (kg-shapes.ttl), and whether the span-text check (kg/validate.py check_spans) reports its span.
SPAN_CHECK = "span-text check"
ENTITY_SOURCE = "An entity points to the text span that names it, or is defined by the entity registry."
FIRES: dict[str, set[str]] = {
    "entity-without-label": {"An entity has a label.", "A related thing has a label."},
    "entity-without-preflabel": {"An entity has exactly one preferred label."},
    "entity-without-provenance": {ENTITY_SOURCE},
    "registry-entity-without-registry": {ENTITY_SOURCE},
    "figure-without-source": {"Every figure has one source: the document of its briefing."},
    "figure-without-date": {"Every figure is dated: as of the day its briefing was held."},
    "assertion-without-date": {"Every fact is dated: as of the day its briefing was held."},
    "assertion-with-two-dates": {"Every fact is dated: as of the day its briefing was held."},
    "related-thing-without-type": {"A related thing has a type."},
    "figure-without-value": {"A figure has one decimal value."},
    "figure-without-unit": {"A figure has one unit, a QUDT unit."},
    "figure-without-provenance": {"Every figure points to the text span that states it."},
    "figure-without-subject": {"A figure says what it is about."},
    "figure-with-bad-unit": {"A figure has one unit, a QUDT unit."},
    # a value that is no number is not below the bound either (sh:maxExclusive cannot compare it)
    "figure-value-not-decimal": {"A figure has one decimal value.", "A figure's value lies below 10^18 in magnitude."},
    "assertion-without-provenance": {"Every fact points to the text span that states it."},
    # a begin after the end breaks the shape, and leaves no text between the offsets
    "span-begin-after-end": {"A span has one begin offset, before its end.", SPAN_CHECK},
    "span-text-differs": {SPAN_CHECK},
    "post-without-organisation": {"A post is a post in an organisation."},
    "partnership-without-member": {"A partnership names at least one partner."},
    "section-without-heading": {"A section has one heading: the sentence that opens it."},
    "generic-not-boolean": {"Whether an entity is a generic mention is one boolean."},
    "counting-figure-not-a-count": {"Only a count (unit:NUM) counts something."},
    "fact-with-two-periods": {"A fact has at most one period."},
    "period-without-label": {"A fact's period has a label, as a figure's does."},
}


def fired(report) -> set[str]:
    """The checks a report says fired: the expected SHACL messages its results carry, the span check if it
    reports a span, and any result that carries none of the expected messages, whole."""
    messages = {m for ms in FIRES.values() for m in ms if m != SPAN_CHECK}
    found = {next((m for m in messages if m in r), r) for r in report.shacl_results}
    return found | ({SPAN_CHECK} if report.span_problems else set())


def test_every_breaker_names_the_check_it_sets_off():
    assert set(FIRES) == set(BREAKERS)


def _copy(dataset) -> Dataset:
    ds = Dataset()
    for q in dataset.quads((None, None, None, None)):
        ds.add(q)
    return ds


@pytest.mark.parametrize("name", sorted(BREAKERS))
def test_data_that_breaks_a_shape_does_not_conform(name, dataset, built_project: Path):
    ds = _copy(dataset)
    before = len(ds)
    BREAKERS[name](ds)
    assert len(ds) != before or name in (
        "span-begin-after-end", "span-text-differs", "figure-value-not-decimal", "generic-not-boolean",
        "counting-figure-not-a-count")
    report = validate_dataset(ds, load_shapes(find_project(built_project).shapes_file))
    assert report.exit_code == 1
    assert not report.conforms
    assert fired(report) == FIRES[name]  # that check, and no other
    if SPAN_CHECK in FIRES[name]:
        [problem] = report.span_problems
        assert problem.startswith(f"{SPAN}: records ") and "but its offsets hold" in problem


#: Breakers that hide others when applied together: an entity without a type is no longer a target of the
#: entity shapes; a value replaced by "lots" and then dropped leaves no value to be out of bounds.
MASKING = {"related-thing-without-type", "figure-value-not-decimal"}


def test_validate_command_reports_every_breaker_at_once(dataset, built_project: Path, tmp_path: Path):
    """Through the command, on a file: the breakers applied together to one copy (one run, not one each),
    and the report names every check they set off."""
    ds = _copy(dataset)
    together = sorted(set(BREAKERS) - MASKING)
    for name in together:
        BREAKERS[name](ds)
    broken = tmp_path / "broken.trig"
    broken.write_bytes(ds.serialize(format="trig", encoding="utf-8"))
    result = run(built_project, "validate", str(broken))
    assert result.exit_code == 1, result.output
    assert "Conforms: no" in result.output
    expected = set().union(*(FIRES[n] for n in together)) - {SPAN_CHECK}
    assert {m for m in expected if m not in result.output} == set()
    assert f"{SPAN}: records " in result.output  # the span check, by the span it reports


def test_validate_unparseable_file_is_exit_2(built_project: Path, tmp_path: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <y#> .\nx:a x:b .\n", encoding="utf-8")
    result = run(built_project, "validate", str(bad))
    assert result.exit_code == 2
    assert "bad.ttl:2:" in result.stderr


def test_a_blank_focus_node_is_shown_as_one():
    """A SHACL result about a blank node names it _:id, not <id> as if it were an IRI (normalizeUri did)."""
    shapes = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .""")
    ds = Dataset()
    ds.graph(URIRef("http://example.org/g")).parse(format="turtle", data="""
        @prefix ex: <http://example.org/> .
        [] a ex:T .
        ex:named a ex:T .""")
    [blank, named] = sorted(validate_dataset(ds, shapes).shacl_results, key=lambda r: "named" in r)
    assert blank.startswith("_:") and " ex:p: " in blank, blank
    assert named.startswith("ex:named ex:p: "), named  # an IRI as before: a prefixed name
