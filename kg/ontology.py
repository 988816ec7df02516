"""The ontology file into a vocabulary: the classes, properties and concepts annotations may name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from .errors import KgError
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
    """Parse the ontology Turtle; a syntax error or a clash of local names names the file and line."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise KgError("ontology file not found", path) from None
    except Exception as e:  # rdflib raises several exception types for bad Turtle
        raise parse_error(e, path, "malformed ontology") from None
    notations = {s: str(o) for s, o in graph.subject_objects(SKOS.notation)}

    def by_local_name(kind: URIRef) -> dict[str, URIRef]:
        table: dict[str, URIRef] = {}
        for term in sorted(graph.subjects(RDF.type, kind)):
            if not isinstance(term, URIRef):
                continue
            name = _local_name(term)
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


def _local_name(term: URIRef) -> str:
    return re.split(r"[#/]", str(term))[-1]


def parse_error(e: Exception, path: Path, what: str) -> KgError:
    """An rdflib parser error as a one-line KgError at the line it names (clamped to the file)."""
    text = str(e)
    m = re.search(r"line (\d+)", text)
    line = int(m.group(1)) if m else None
    if line is not None:
        try:
            line = min(line, max(1, path.read_bytes().count(b"\n")))
        except OSError:
            pass
    reason = re.search(r"Bad syntax \(([^)]*)\)", text)
    first = next((x.strip() for x in text.splitlines() if x.strip() and not x.startswith("at line")), type(e).__name__)
    return KgError(f"{what}: {reason.group(1) if reason else first}", path, line)
