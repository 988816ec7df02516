"""rdflib graphs and datasets into bytes that are the same in every process (hash seed, locale, time zone).

rdflib's serialisers follow the order of its in-memory store, which keeps the named graphs of a dataset and
the triples of a graph in ``set``s: TriG and JSON-LD listed graphs in hash order, RDF/XML subjects too.
Here TriG gets its graphs sorted, RDF/XML reads a view of the graph that iterates sorted (by N-Triples
form, a total order), JSON-LD is put in a canonical order after rdflib writes it, and line formats are
sorted line by line. Turtle (and TriG within a graph) sorts subjects and objects itself.
"""

from __future__ import annotations

import io
import json
from typing import Any

import rdflib.namespace
from rdflib import Dataset, Graph
from rdflib.term import Node


def longest_namespace(trie: dict[str, Any], value: str) -> str | None:
    """The longest namespace of rdflib's trie that begins ``value``, as rdflib.namespace.get_longest_namespace
    finds it, by looking up the prefixes of ``value`` at each level instead of trying every key there.

    rdflib's Turtle writer puts every namespace it splits off an IRI into that trie, one per span IRI of a
    briefing, and then tries them all for each new IRI: quadratic, most of the time a briefing's Turtle
    took. No key of a level begins another (insert_trie nests those), so at most one key of a level begins
    ``value``, and both ways find the same one: the Turtle is the same bytes (tests/test_build.py).

    >>> longest_namespace({"http://a/": {"http://a/b#": {}}, "http://c/": {}}, "http://a/b#x")
    'http://a/b#'
    """
    found = None
    while True:
        for end in range(len(value), 0, -1):
            if value[:end] in trie:
                found = value[:end]
                trie = trie[found]
                break
        else:
            return found


RDFLIB_LONGEST_NAMESPACE = rdflib.namespace.get_longest_namespace  # rdflib's own, which tests compare with
rdflib.namespace.get_longest_namespace = longest_namespace  # the one caller, compute_qname, looks it up here


def sorted_lines(data: bytes) -> bytes:
    """N-Triples or N-Quads in a stable order (rdflib writes them in hash order), each line once."""
    return b"".join(sorted({line for line in data.splitlines(keepends=True) if line.strip()}))


def _n3(term: Node) -> str:
    return term.n3()


class SortedGraph(Graph):
    """A view of a graph (same store, no copy) that yields subjects and predicate-object pairs sorted by
    their N-Triples form: rdflib's in-memory store keeps a graph's triples in a set, so RDF/XML, which
    writes subjects in store order, came out in hash order."""

    def subjects(self, predicate: Any = None, object: Any = None, unique: bool = False) -> Any:
        return iter(sorted(set(super().subjects(predicate, object, unique=True)), key=_n3))

    def predicate_objects(self, subject: Any = None, unique: bool = False) -> Any:
        pairs = set(super().predicate_objects(subject, unique=True))
        return iter(sorted(pairs, key=lambda po: (po[0].n3(), po[1].n3())))


def serialize(data: Graph | Dataset, format: str) -> bytes:
    """``data`` in the rdflib ``format``, the same bytes in every process for the same triples."""
    if isinstance(data, Dataset):
        raw = _trig(data) if format == "trig" else data.serialize(format=format, encoding="utf-8")
    else:
        view = SortedGraph(store=data.store, identifier=data.identifier, namespace_manager=data.namespace_manager)
        raw = view.serialize(format=format, encoding="utf-8")
    if format in ("nt", "nquads", "ntriples", "nt11"):
        return sorted_lines(raw)
    if format in ("json-ld", "jsonld"):
        return _canonical_json(raw)
    return raw


def _trig(ds: Dataset) -> bytes:
    from rdflib.plugins.serializers.trig import TrigSerializer

    serializer = TrigSerializer(ds)
    serializer.contexts.sort(key=lambda g: g.identifier.n3())  # Memory.contexts() is a set: hash order
    out = io.BytesIO()
    serializer.serialize(out, encoding="utf-8")
    return out.getvalue()


def _canonical_json(raw: bytes) -> bytes:
    """JSON-LD with every array sorted (they are sets in JSON-LD) except the contents of ``@list``."""

    def canon(x: Any, ordered: bool = False) -> Any:
        if isinstance(x, dict):
            return {k: canon(v, k == "@list") for k, v in x.items()}
        if isinstance(x, list):
            items = [canon(v) for v in x]
            return items if ordered else sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return x

    text = json.dumps(canon(json.loads(raw)), indent=2, sort_keys=True, ensure_ascii=False)
    return text.encode("utf-8") + b"\n"
