"""The closed vocabulary matches the ontology file, and every term of the ontology is documented."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from conftest import ROOT
from kg.ontology import load_ontology
from kg.prefixes import PREFIXES
from kg.vocab import KG, ONTOLOGY_IRI

ONTOLOGY = Graph().parse(ROOT / "ontology" / "kg.ttl")
VOCAB = load_ontology(ROOT / "ontology" / "kg.ttl")
DECLARED = sorted({s for s in ONTOLOGY.subjects() if isinstance(s, URIRef) and str(s).startswith(str(KG._NS))})
DEFINED_HERE = sorted(
    t for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty) for t in ONTOLOGY.subjects(RDF.type, kind)
)


def test_closed_namespace_equals_the_ontology_terms():
    in_code = {KG[name] for name in KG.__annotations__}
    assert in_code == set(DECLARED)


def test_misspelt_term_is_an_error():
    with pytest.raises(AttributeError):
        KG.Enterprize  # noqa: B018


@pytest.mark.parametrize("term", DEFINED_HERE, ids=lambda t: t.n3(ONTOLOGY.namespace_manager))
def test_every_class_and_property_has_label_and_definition(term):
    assert ONTOLOGY.value(term, RDFS.label) is not None
    assert ONTOLOGY.value(term, SKOS.definition) is not None
    assert ONTOLOGY.value(term, RDFS.isDefinedBy) is not None


def test_ontology_header():
    for p in (OWL.versionIRI, OWL.versionInfo, URIRef("http://purl.org/dc/terms/title"),
              URIRef("http://purl.org/dc/terms/license"), URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix"),
              URIRef("http://purl.org/vocab/vann/preferredNamespaceUri")):
        assert ONTOLOGY.value(ONTOLOGY_IRI, p) is not None, p


@pytest.mark.parametrize("table", ["statuses", "qualifiers", "units"])
def test_every_concept_registry_entry_is_labelled(table):
    entries = getattr(VOCAB, table)
    assert entries
    for key, term in entries.items():
        assert ONTOLOGY.value(term, RDFS.label) is not None, key
        assert ONTOLOGY.value(term, SKOS.definition) is not None, key


def test_places_are_not_organisations():
    """ORG makes org:Organization and org:Site disjoint: no class may be both a place and an organisation."""
    org = URIRef("http://www.w3.org/ns/org#FormalOrganization")
    place = KG.Place

    def ancestors(c):
        return set(ONTOLOGY.transitive_objects(c, RDFS.subClassOf))

    for c in VOCAB.classes.values():
        a = ancestors(c)
        assert not (org in a and place in a), c


def test_the_ontology_declares_the_namespace_kg_mints():
    uri = ONTOLOGY.value(ONTOLOGY_IRI, URIRef("http://purl.org/vocab/vann/preferredNamespaceUri"))
    assert (str(uri), dict(ONTOLOGY.namespaces())["kg"]) == (PREFIXES["kg"], URIRef(PREFIXES["kg"]))
