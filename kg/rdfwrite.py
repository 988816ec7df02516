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
import re
from collections.abc import Iterable
from typing import Any

import rdflib.namespace
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
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


# --- a graph's Turtle and N-Quads straight from its triples (the build's parts) --------------------------

#: Characters that make rdflib refuse to shorten an IRI (rdflib.term._is_valid_uri).
_NOT_IN_PNAME = '<>" {}|\\^`'
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def turtle(triples: Iterable[tuple[Node, Node, Node]], bindings: Iterable[tuple[str, str]]) -> bytes:
    """The Turtle rdflib's serializer writes for a graph of ``triples`` whose namespace manager binds
    ``bindings`` (prefix, namespace), byte for byte, without building the graph.

    rdflib spends most of a briefing's part in its serializer (a prefixed name is looked up afresh for
    each of the ~50,000 terms, through a trie of namespaces). This writes the same thing, as rdflib's
    TurtleSerializer does for a graph of IRIs and literals: prefixes used, sorted; subjects of type
    rdfs:Class first, then by how often each is an object, then by IRI; rdf:type and rdfs:label first,
    other predicates sorted; objects sorted as rdflib sorts terms. A prefixed name is as rdflib's
    compute_qname makes it: split_uri's namespace, or the longest bound namespace that begins the IRI
    beyond it (a namespace split_uri makes never does, so the order the IRIs come in does not matter).
    Blank nodes, which kg never mints, are left to rdflib's serializer. tests/test_incremental.py
    compares the two on every graph of the bundled briefing and the fictional series."""
    triples = set(triples)
    if any(issubclass(kind, BNode) for kind in {type(t) for triple in triples for t in triple}):
        g = Graph()
        for prefix, ns in bindings:
            g.bind(prefix, ns, override=True, replace=True)
        for triple in triples:
            g.add(triple)
        return serialize(g, "turtle")
    a, nil, label_p, klass = RDF.type, RDF.nil, RDFS.label, RDFS.Class
    prefix_of = {str(ns): prefix for prefix, ns in bindings}
    longer: dict[str, list[str]] = {}  # split_uri's namespace → the bound ones that begin with it, longest first
    declared: dict[str, str] = {}
    names: dict[tuple[str, bool], str | None] = {}

    def pname(node: Node, predicate: bool = False) -> str | None:
        """The prefixed name of an IRI, as rdflib's TurtleSerializer.get_pname makes it (None: none)."""
        if not isinstance(node, URIRef):
            return None
        uri = str(node)
        key = (uri, predicate)
        if key in names:
            return names[key]
        names[key] = found = _pname(uri, predicate)
        return found

    def _pname(uri: str, predicate: bool) -> str | None:
        if any(c in uri for c in _NOT_IN_PNAME):
            return None
        try:
            ns, _ = rdflib.namespace.split_uri(uri)
        except ValueError:
            ns = uri
        else:
            if ns not in longer:
                longer[ns] = sorted((b for b in prefix_of if len(b) > len(ns) and b.startswith(ns)),
                                    key=len, reverse=True)
            ns = next((b for b in longer[ns] if uri.startswith(b)), ns)
        prefix = prefix_of.get(ns)
        if prefix is None and predicate and ns != uri:
            num = 1  # a prefix made up for a predicate's namespace, as rdflib makes it
            while f"ns{num}" in prefix_of.values():
                num += 1
            prefix = prefix_of[ns] = f"ns{num}"
        elif prefix is None:  # the IRI may be a bound namespace itself
            if uri not in prefix_of:
                return None
            prefix, ns = prefix_of[uri], uri
        local = uri[len(ns):].replace("(", "\\(").replace(")", "\\)")
        if "%" in local:
            local = _PERCENT.sub("\\%", local)
        if local.endswith("."):
            return None
        declared[prefix] = ns
        return f"{prefix}:{local}"

    labels: dict[Node, str] = {}

    def label(node: Node) -> str:
        """A subject or object as rdflib's serializer writes it."""
        text = labels.get(node)
        if text is None:
            if node == nil:
                text = "()"
            elif isinstance(node, Literal):
                text = node._literal_n3(use_plain=True, qname_callback=pname)
            else:
                text = pname(node) or node.n3()
            labels[node] = text
        return text

    properties: dict[Node, dict[Node, list[Node]]] = {}
    references: dict[Node, int] = {}  # an IRI's, as an object (a literal is never a subject)
    datatypes: set[Node] = set()
    for s, p, o in triples:
        properties.setdefault(s, {}).setdefault(p, []).append(o)
        if isinstance(o, Literal):
            if o.datatype:
                datatypes.add(o.datatype)
        else:
            references[o] = references.get(o, 0) + 1
    # Every prefix declared before writing, as rdflib's preprocess does; the predicates' first, since a
    # prefix made up for one serves the subjects and objects of its namespace too. Made up for two
    # namespaces, rdflib numbers them (ns1, ns2) in hash order, which differs between processes; here in
    # IRI order. kg binds every namespace its predicates use, so its graphs never need one.
    verbs = {p: "a" if p == a else (pname(p, predicate=True) or p.n3())
             for p in sorted({p for _, p, _ in triples}, key=str)}
    for node in {*properties, *references, *datatypes}:
        pname(node)
    classes = sorted((s for s, props in properties.items() if klass in props.get(a, ())), key=str)
    top = set(classes)
    subjects = classes + sorted((s for s in properties if s not in top), key=lambda s: (references.get(s, 0), str(s)))
    first = [p for p in (a, label_p) if p in verbs]
    rest = [p for p in verbs if p not in first]  # verbs is in IRI order
    out = [f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in sorted(declared.items())]
    for s in subjects:
        props = properties[s]
        out.append(f"\n{label(s)}")
        sep = " "
        for p in first + rest:
            objects = props.get(p)
            if objects is None:
                continue
            if len(objects) > 1:
                objects.sort()  # type: ignore[call-arg]  # in rdflib's order of terms, as its serializer
            out.append(f"{sep}{verbs[p]} {label(objects[0])}")
            out.extend(f",\n        {label(o)}" for o in objects[1:])
            sep = " ;\n    "
        out.append(" .\n")
    out.append("\n")
    return "".join(out).encode("utf-8", "replace")


def nquads(triples: Iterable[tuple[Node, Node, Node]], graph: URIRef) -> bytes:
    """The N-Quads of ``triples`` in the named graph ``graph``, sorted, as kg writes a graph's N-Triples
    (rdflib's N-Triples rows, each line once) with the graph's IRI before the final dot."""
    from rdflib.plugins.serializers.nt import _quoteLiteral

    terms: dict[Node, str] = {}

    def nt(term: Node) -> str:  # as rdflib's _nt_row writes a term, once per term
        text = terms.get(term)
        if text is None:
            text = terms[term] = _quoteLiteral(term) if isinstance(term, Literal) else term.n3()
        return text

    iri = graph.n3()
    # str sorts by code point, as bytes of UTF-8 sort: the order of sorted_lines
    return "".join(sorted({f"{nt(s)} {nt(p)} {nt(o)} {iri} .\n" for s, p, o in triples})).encode("utf-8")
