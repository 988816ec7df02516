"""The prefixes kg binds and shows, as plain strings: importable without rdflib, for the query path."""

from __future__ import annotations

#: Everything kg mints lives under this one base. It is a placeholder (no permanent w3id path is
#: registered for the project yet); change it here and in ontology/*.ttl together.
BASE = "https://example.org/kg/"

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


def compact(iri: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """``iri`` as a prefixed name when a prefix covers it and the rest is a plain local name, else ``<iri>``.

    >>> compact("https://example.org/kg/id/minhang-district")
    'kgr:minhang-district'
    >>> compact("https://example.org/kg/id/doc/minhang-2023-09-07#char=0,5")
    '<https://example.org/kg/id/doc/minhang-2023-09-07#char=0,5>'
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

    >>> local_name("https://example.org/kg/ontology#Enterprise"), local_name("http://qudt.org/vocab/unit/NUM")
    ('Enterprise', 'NUM')
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def labelled(iri: str, label: str | None) -> str:
    """``Label (prefix:name)`` for people, or just the prefixed name when the label only repeats it.

    >>> labelled("https://example.org/kg/id/huawei", "Huawei")
    'kgr:huawei'
    >>> labelled("https://example.org/kg/id/hongqiao-cbd", "Hongqiao International Central Business District")
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
