"""The base IRI and the prefixes kg binds and shows, as plain strings: importable without rdflib, for the
query path.

Every IRI kg mints, every prefix a query sees and every namespace the ontology files must declare derives
from ``BASE``, here and nowhere else. ``BASE`` is the environment variable ``KG_BASE`` when it is set,
else the placeholder ``DEFAULT_BASE``. It is read from the environment, not from a project setting, because
the closed vocabularies of kg/vocab.py are built when the module is imported, before any project is found
(as ``KG_PROJECT`` chooses the project). A project whose ontology/*.ttl declare another base is refused by
``check_declared`` with one line naming the ``KG_BASE`` to set, so a forgotten variable is an error, not
a query that silently matches nothing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import KgError

#: The placeholder base (no permanent w3id path is registered for the project yet).
DEFAULT_BASE = "https://example.org/kg/"

#: What a base must look like: an absolute http(s) IRI ending in '/', so that "ontology#", "id/" and
#: "graph/" can follow it, with no character an IRI reference may not hold.
BASE_SYNTAX = re.compile(r"https?://[^\s<>\"{}|\\^`#?]+/")


def base_from(value: str | None) -> str:
    """The base a ``KG_BASE`` value names: the default when unset or empty; a KgError when malformed.

    >>> base_from(None) == DEFAULT_BASE, base_from("http://data.example.com/kg/")
    (True, 'http://data.example.com/kg/')
    >>> base_from("data.example.com/kg")
    Traceback (most recent call last):
    ...
    kg.errors.KgError: KG_BASE: 'data.example.com/kg' is not an http(s) IRI ending in '/' (e.g. https://example.org/kg/)
    """
    if not value:
        return DEFAULT_BASE
    if not BASE_SYNTAX.fullmatch(value):
        raise KgError(f"{value!r} is not an http(s) IRI ending in '/' (e.g. {DEFAULT_BASE})", "KG_BASE")
    return value


#: Everything kg mints lives under this one base.
BASE = base_from(os.environ.get("KG_BASE"))

#: Prefixes bound in every graph kg writes, declared for every query, and used to compact IRIs for people.
PREFIXES: dict[str, str] = {
    "kg": BASE + "ontology#",
    "kgr": BASE + "id/",
    "kgg": BASE + "graph/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "vann": "http://purl.org/vocab/vann/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "qb": "http://purl.org/linked-data/cube#",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "qudt": "http://qudt.org/schema/qudt/",
    "unit": "http://qudt.org/vocab/unit/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "time": "http://www.w3.org/2006/time#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "cpov": "http://data.europa.eu/m8g/",
    "wd": "http://www.wikidata.org/entity/",
}


def prologue(prefixes: dict[str, str] = PREFIXES) -> str:
    """The ``PREFIX`` lines kg declares for every query, for a tool that runs a catalogued query itself.

    >>> prologue().splitlines()[0] == f"PREFIX kg: <{BASE}ontology#>"
    True
    """
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())


def compact(iri: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """``iri`` as a prefixed name when a prefix covers it and the rest is a plain local name, else ``<iri>``.

    >>> compact(BASE + "id/minhang-district")
    'kgr:minhang-district'
    >>> compact(BASE + "id/doc/minhang-2023-09-07#char=0,5") == f"<{BASE}id/doc/minhang-2023-09-07#char=0,5>"
    True
    """
    best = ""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(prefixes.get(best, "")):
            best = prefix
    if best:
        local = iri[len(prefixes[best]):]
        if local == "" or (local[0] not in ".-" and local[-1] != "." and all(c.isalnum() or c in "_-." for c in local)):
            return f"{best}:{local}"
    return f"<{iri}>"


def local_name(iri: str) -> str:
    """The part of ``iri`` after its last ``#`` or ``/``: how annotations, types and messages name a term.

    >>> local_name(BASE + "ontology#Enterprise"), local_name("http://qudt.org/vocab/unit/NUM")
    ('Enterprise', 'NUM')
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def labelled(iri: str, label: str | None) -> str:
    """``Label (prefix:name)`` for people, or just the prefixed name when the label only repeats it.

    >>> labelled(BASE + "id/huawei", "Huawei")
    'kgr:huawei'
    >>> labelled(BASE + "id/hongqiao-cbd", "Hongqiao International Central Business District")
    'Hongqiao International Central Business District (kgr:hongqiao-cbd)'
    """
    short = compact(iri)
    if not label:
        return short
    label = " ".join(label.split())
    squeeze = lambda s: "".join(c for c in s.casefold() if c.isalnum())  # noqa: E731
    if squeeze(label) == squeeze(short.split(":", 1)[-1]):
        return short
    return f"{label} ({short})"


#: The prefixes that name kg's own namespaces: a file that declares one must declare it as PREFIXES does.
PROJECT_PREFIXES = ("kg", "kgr", "kgg")

_DECLARATION = re.compile(r"^[ \t]*(?:@prefix|PREFIX)[ \t]+([A-Za-z][\w.-]*)?:[ \t]*<([^>]*)>",
                          re.IGNORECASE | re.MULTILINE)


def declared_prefixes(text: str) -> list[tuple[str, str, int]]:
    """The ``PREFIX p: <iri>`` (SPARQL) and ``@prefix p: <iri> .`` (Turtle) declarations of ``text``, as
    (prefix, iri, line number), in order.

    >>> declared_prefixes("# a query\\nPREFIX kg: <http://x/ontology#>\\n@prefix : <http://y/> .\\nSELECT * {}")
    [('kg', 'http://x/ontology#', 2), ('', 'http://y/', 3)]
    """
    return [(m[1] or "", m[2], text.count("\n", 0, m.start()) + 1) for m in _DECLARATION.finditer(text)]


def check_declared(text: str, path: Path | str) -> None:
    """A KgError when ``text`` (an ontology, shapes or query file) declares one of kg's own prefixes with
    another namespace than kg's: its IRIs would name nothing kg builds, and every check of them would pass.

    >>> check_declared("@prefix kg: <%sontology#> ." % BASE, "kg.ttl")
    >>> check_declared("@prefix kg: <http://other.example/kg/ontology#> .", "kg.ttl")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.KgError: kg.ttl:1: declares kg: <http://other.example/kg/ontology#> \
but kg's namespace is <...ontology#>; to use this file, set KG_BASE=http://other.example/kg/
    """
    for prefix, iri, line in declared_prefixes(text):
        if prefix in PROJECT_PREFIXES and iri != PREFIXES[prefix]:
            suffix = PREFIXES[prefix][len(BASE):]
            hint = (f"; to use this file, set KG_BASE={iri[: -len(suffix)]}"
                    if iri.endswith(suffix) and BASE_SYNTAX.fullmatch(iri[: -len(suffix)]) else "")
            raise KgError(f"declares {prefix}: <{iri}> but kg's namespace is <{PREFIXES[prefix]}>{hint}", path, line)
