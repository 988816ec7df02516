"""The ontology file into a vocabulary: the classes, properties and concepts annotations may name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from .errors import KgError
from .prefixes import check_declared, local_name
from .rdffile import parse_rdf
from .vocab import KG, QUDT


@dataclass(frozen=True)
class Vocabulary:
    """Lookup tables over the ontology graph, each keyed by the short name annotations use."""

    graph: Graph
    classes: dict[str, URIRef]  # local name → class
    properties: dict[str, URIRef]  # local name → object property
    statuses: dict[str, URIRef]  # local name and notation → kg:Status
    qualifiers: dict[str, URIRef]  # notation → kg:Qualifier
    units: dict[str, URIRef]  # notation → qudt:Unit


def load_ontology(path: Path) -> Vocabulary:
    """Parse the ontology Turtle; a syntax error, a clash of local names or a kg prefix declared with another
    base than kg's (kg/prefixes.py) names the file and line."""
    graph = parse_rdf(path, Graph(), "ontology", format="turtle")
    check_declared(path.read_text(encoding="utf-8"), path)
    notations = {s: str(o) for s, o in graph.subject_objects(SKOS.notation)}

    def by_local_name(kind: URIRef) -> dict[str, URIRef]:
        table: dict[str, URIRef] = {}
        for term in sorted(graph.subjects(RDF.type, kind)):
            if not isinstance(term, URIRef):
                continue
            name = local_name(term)
            if name in table and table[name] != term:
                raise KgError(f"two terms share the local name '{name}': {table[name]} and {term}", path)
            table[name] = term
        return table

    def by_notation(kind: URIRef) -> dict[str, URIRef]:
        return {notations[t]: t for t in sorted(graph.subjects(RDF.type, kind)) if t in notations}

    statuses = by_local_name(KG.Status) | by_notation(KG.Status)
    return Vocabulary(
        graph, by_local_name(OWL.Class), by_local_name(OWL.ObjectProperty), statuses,
        by_notation(KG.Qualifier), by_notation(QUDT.Unit),
    )
