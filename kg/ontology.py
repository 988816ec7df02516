"""The ontology file into a vocabulary (the classes, properties and concepts annotations may name), and
the shapes file into a checked shapes graph."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SH, SKOS, XSD

from .errors import KgError
from .prefixes import check_declared, local_name
from .rdffile import parse_rdf
from .readfile import read_text
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
    check_declared(read_text(path), path)
    notations = {s: str(o) for s, o in graph.subject_objects(SKOS.notation)}

    def named(kind: URIRef) -> list[URIRef]:
        """The IRIs of ``kind``, sorted (a blank node names no term)."""
        return sorted(t for t in graph.subjects(RDF.type, kind) if isinstance(t, URIRef))

    def by_local_name(kind: URIRef) -> dict[str, URIRef]:
        table: dict[str, URIRef] = {}
        for term in named(kind):
            name = local_name(term)
            if name in table and table[name] != term:
                raise KgError(f"two terms share the local name '{name}': {table[name]} and {term}", path)
            table[name] = term
        return table

    def by_notation(kind: URIRef) -> dict[str, URIRef]:
        return {notations[t]: t for t in named(kind) if t in notations}

    statuses = by_local_name(KG.Status) | by_notation(KG.Status)
    return Vocabulary(
        graph, by_local_name(OWL.Class), by_local_name(OWL.ObjectProperty), statuses,
        by_notation(KG.Qualifier), by_notation(QUDT.Unit),
    )


#: Shape parameters that are counts (SHACL: xsd:integer, 0 or more).
_COUNTS = (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength, SH.qualifiedMinCount, SH.qualifiedMaxCount)
#: Shape parameters whose value is an IRI.
_IRIS = (SH.datatype, SH["class"], SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint, SH.targetClass,
         SH.targetSubjectsOf, SH.targetObjectsOf, SH.severity, SH.nodeKind)
#: Shape parameters whose value is a literal.
_LITERALS = (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.pattern, SH.flags)


def load_shapes(path: Path) -> Graph:
    """Parse the SHACL shapes and check what pySHACL would otherwise trip over at validation time (a
    property shape without one sh:path, a count that is not a whole number, a sh:pattern that does not
    compile, a parameter of the wrong kind of term), as one line naming the file and, where the text
    shows it, the line."""
    g = parse_rdf(path, Graph(), "shapes", format="turtle")
    text = read_text(path)
    check_declared(text, path)  # a kg prefix of another base: its targets would match nothing

    def fail(message: str, *near: str) -> KgError:
        """The error at the first line holding one of ``near`` (most telling first), if any does."""
        at = next((i for i in (text.find(n) for n in near if n) if i >= 0), -1)
        return KgError(f"bad shapes: {message}", path, text.count("\n", 0, at) + 1 if at >= 0 else None)

    def written(param: URIRef, value: object) -> tuple[str, ...]:
        """How ``param value`` may be written in Turtle, to find its line."""
        short = f"sh:{param.removeprefix(str(SH))}"
        lexical = str(value)
        return (f'{short} "{lexical}"', f"{short} {lexical}", f'"{lexical}"', f"{short} <{lexical}>")

    def name(node: object) -> str:
        return f"<{node}>" if isinstance(node, URIRef) else "a blank node"

    for shape in sorted(set(g.objects(None, SH.property)) | set(g.subjects(SH.path, None)), key=str):
        paths = list(g.objects(shape, SH.path))
        message = g.value(shape, SH.message)
        near = str(message) if message is not None else (shape.n3() if isinstance(shape, URIRef) else "")
        if len(paths) != 1:
            raise fail(f"the property shape {name(shape)} has {len(paths)} sh:path values; it needs exactly one", near)
        if isinstance(paths[0], Literal):
            raise fail(f"the sh:path of {name(shape)} is a literal ({paths[0].n3()}), not a property",
                       *written(SH.path, paths[0]))
    for param in _COUNTS:
        for value in g.objects(None, param):
            if not (isinstance(value, Literal) and value.datatype == XSD.integer and isinstance(value.value, int)
                    and value.value >= 0):
                shown = value.n3() if not isinstance(value, BNode) else "a blank node"
                raise fail(f"sh:{param.removeprefix(str(SH))} must be a whole number of 0 or more, not {shown}",
                           *written(param, value))
    for param in _IRIS:
        for value in g.objects(None, param):
            if not isinstance(value, URIRef):
                raise fail(f"sh:{param.removeprefix(str(SH))} must be an IRI, not {value.n3()}", *written(param, value))
    for param in _LITERALS:
        for value in g.objects(None, param):
            if not isinstance(value, Literal):
                raise fail(f"sh:{param.removeprefix(str(SH))} must be a literal, not {name(value)}",
                           *written(param, value))
    for shape, pattern in g.subject_objects(SH.pattern):
        flags = str(g.value(shape, SH.flags) or "").lower()
        try:  # as pySHACL compiles it
            re.compile(str(pattern), (re.IGNORECASE if "i" in flags else 0) | (re.MULTILINE if "m" in flags else 0))
        except re.error as e:
            raise fail(f"sh:pattern {pattern.n3()} is not a regular expression: {e}",
                       *written(SH.pattern, pattern)) from None
    return g
