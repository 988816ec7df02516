"""The built dataset into a networkx view of its entities: names, types, relations, figures, their sentences.

The view is what the network page, the analytics and the GraphML export share. It is read from the store
kg/store.py opens (the one `kg query` uses) with kg/query.py's run_query, and never written back. Nodes
are entity IRIs; each edge is one asserted relation, keyed by its predicate IRI. Spans, assertions,
figures and ontology terms are not nodes: figures and the briefing sentences behind each fact are
attributes of the entities they concern.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx
import pyoxigraph as ox

from .errors import KgError
from .lookup import Name, resolve
from .prefixes import local_name
from .project import Project
from .query import run_query, value
from .store import load_store, open_store
from .suggest import did_you_mean, suggest
from .vocab import ID, KG

if TYPE_CHECKING:
    from rdflib import Dataset

#: Entity classes left out of the view. Indicators say what a figure measures; they link to nothing but
#: their figures, which already show on the entity they are about, so as nodes they would float loose.
EXCLUDED_TYPES = frozenset({str(KG.Indicator)})


@dataclass(frozen=True)
class TypeInfo:
    """An ontology class: its IRI, local name, English label and every superclass (itself first)."""

    iri: str
    name: str
    label: str
    lineage: tuple[str, ...]


@dataclass
class Fact:
    """One statement shown on an entity: a relation (from its side) or a figure, with its sentences and
    the briefings (slugs) that state it."""

    text: str
    sentences: list[str] = field(default_factory=list)
    briefings: list[str] = field(default_factory=list)
    measure: Measure | None = None  # a figure's number, unit and indicator (None for a relation)


@dataclass(frozen=True)
class Measure:
    """A figure as a number: its value, its unit's label, what it measures (the indicator's label) and its
    period as ISO days: ``start`` and ``end`` of an interval, or only ``end`` for an instant ("as of")."""

    value: float
    unit: str
    indicator: str
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class Briefing:
    """A briefing of the dataset as the view knows it: slug, day held (ISO date) and title."""

    slug: str
    held: str
    title: str


def select(store: ox.Store, query: str) -> Iterable[dict[str, str]]:
    """Rows of a SELECT over every named graph at once (run_query: the default graph is their merge), as
    plain strings (unbound variables left out)."""
    result = run_query(store, query)
    for row in result.rows:
        yield {n: value(t) for n, t in zip(result.variables, row, strict=True) if t is not None}


def load_view(project: Project) -> nx.MultiDiGraph:
    """The entity view of a project's built dataset (rebuilt first when data/ or ontology/ changed)."""
    return entity_view(open_store(project))


def entity_view(store: ox.Store) -> nx.MultiDiGraph:
    """Entities as nodes, asserted relations as edges, figures and provenance sentences as attributes.

    Node attributes: ``label``, ``slug``, ``type`` (class IRI), ``type_name``, ``type_label``, ``aliases``,
    ``label_zh``, ``note``, ``same_as``, ``status``, ``sentences`` (where the entity is introduced),
    ``facts`` (relations seen from this entity), ``figures`` and ``briefings`` (the slugs of the briefings
    that name it, by a span or a mention). Edge attributes: ``predicate``, ``label``, ``sentences``,
    ``briefings`` (the briefings that state it). ``G.graph["types"]`` maps class IRIs to :class:`TypeInfo`;
    ``G.graph["events"]`` names the events the dataset describes; ``G.graph["briefings"]`` lists its
    :class:`Briefing` s, oldest first.
    """
    types = _types(store)
    events = [r["l"] for r in select(store, """
        SELECT DISTINCT ?l WHERE { ?d kg:describes ?e . ?e skos:prefLabel ?l } ORDER BY ?l""")]
    briefings = [Briefing(r["b"], r["held"], r.get("title", r["b"])) for r in select(store, """
        SELECT ?b ?held (SAMPLE(?t) AS ?title) WHERE {
          ?doc a kg:SourceDocument ; dcterms:identifier ?b ; dcterms:date ?held . OPTIONAL { ?doc dcterms:title ?t }
        } GROUP BY ?b ?held ORDER BY ?held ?b""")]
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph(types=types, events=events, briefings=briefings)
    for row in select(store, """
        SELECT ?e ?name ?type (SAMPLE(?zh) AS ?zh_) (SAMPLE(?note) AS ?note_) (SAMPLE(?same) AS ?same_) WHERE {
          ?e skos:prefLabel ?name ; a ?type .
          OPTIONAL { ?e rdfs:label ?zh FILTER(LANGMATCHES(LANG(?zh), "zh")) }
          OPTIONAL { ?e rdfs:comment ?note }
          OPTIONAL { ?e schema:sameAs ?same }
        } GROUP BY ?e ?name ?type ORDER BY ?e"""):
        if row["type"] in EXCLUDED_TYPES or row["e"] in g:
            continue
        t = types.get(row["type"]) or TypeInfo(row["type"], local_name(row["type"]), local_name(row["type"]),
                                               (row["type"],))
        g.add_node(row["e"], label=row["name"], slug=_slug(row["e"]), type=t.iri, type_name=t.name,
                   type_label=t.label, aliases=[], label_zh=row.get("zh_"), note=row.get("note_"),
                   same_as=row.get("same_"), status=None, sentences=[], facts=[], figures=[], briefings=[])
    for row in select(store, """
        SELECT ?e ?alias WHERE { ?e skos:altLabel ?alias FILTER(LANGMATCHES(LANG(?alias), 'en')) }
        ORDER BY ?e ?alias"""):
        if row["e"] in g:
            g.nodes[row["e"]]["aliases"].append(row["alias"])
    sentences = _sentences(store)
    for row in select(store, """
        SELECT ?e ?span ?b WHERE { ?e skos:prefLabel ?n ; prov:wasDerivedFrom ?span .
                                   ?span nif:referenceContext/dcterms:identifier ?b } ORDER BY ?e ?span"""):
        if row["e"] in g:
            _extend(g.nodes[row["e"]]["sentences"], sentences.get(row["span"], []))
            _extend(g.nodes[row["e"]]["briefings"], [row["b"]])
    for row in select(store, """
        SELECT DISTINCT ?e ?b WHERE { ?span kg:mentions ?e ; nif:referenceContext/dcterms:identifier ?b }"""):
        if row["e"] in g:
            _extend(g.nodes[row["e"]]["briefings"], [row["b"]])

    for row in select(store, """
        SELECT ?s ?p ?o ?span ?b (SAMPLE(?plabel) AS ?label) (SAMPLE(?olabel) AS ?olabel_) WHERE {
          ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?span .
          ?span nif:referenceContext/dcterms:identifier ?b .
          OPTIONAL { ?p rdfs:label ?plabel FILTER(LANGMATCHES(LANG(?plabel), "en")) }
          OPTIONAL { ?o rdfs:label ?olabel FILTER(LANGMATCHES(LANG(?olabel), "en")) }
        } GROUP BY ?s ?p ?o ?span ?b ORDER BY ?s ?p ?o ?span"""):
        s, p, o, b = row["s"], row["p"], row["o"], row["b"]
        label = row.get("label") or local_name(p)
        said = sentences.get(row["span"], [])
        if s not in g:
            continue
        if p == str(KG.status):  # a status is a value of the entity, not a neighbour
            _add_fact(g.nodes[s], f"{STATUS}{row.get('olabel_') or local_name(o)}", said, b)
            continue
        if o not in g:
            continue
        if g.has_edge(s, o, key=p):
            _extend(g.edges[s, o, p]["sentences"], said)
            _extend(g.edges[s, o, p]["briefings"], [b])
        else:
            g.add_edge(s, o, key=p, predicate=p, label=label, sentences=list(said), briefings=[b])
        _add_fact(g.nodes[s], f"{label} → {g.nodes[o]['label']}", said, b)
        _add_fact(g.nodes[o], f"← {label} {g.nodes[s]['label']}", said, b)

    for row in select(store, """
        SELECT ?f ?about ?label ?yoy ?span ?b ?value ?unit ?indicator ?start ?end WHERE {
          ?f a kg:Figure ; schema:observationAbout ?about ; rdfs:label ?label ; prov:wasDerivedFrom ?span ;
             sdmx-measure:obsValue ?value ; sdmx-attribute:unitMeasure ?u ; kg:indicator ?i .
          ?span nif:referenceContext/dcterms:identifier ?b .
          OPTIONAL { ?f kg:yoyChangePercent ?yoy }
          OPTIONAL { ?u rdfs:label ?ul FILTER(LANGMATCHES(LANG(?ul), "en")) }
          OPTIONAL { ?i skos:prefLabel ?il }
          OPTIONAL { ?f sdmx-dimension:refPeriod ?p .
                     OPTIONAL { ?p time:inXSDDate ?at }
                     OPTIONAL { ?p time:hasBeginning/time:inXSDDate ?start ; time:hasEnd/time:inXSDDate ?to } }
          BIND(COALESCE(?ul, STR(?u)) AS ?unit) BIND(COALESCE(?il, STR(?i)) AS ?indicator)
          BIND(COALESCE(?to, ?at) AS ?end)
        } ORDER BY ?about ?f"""):
        if row["about"] not in g:
            continue
        text = row["label"]
        if "yoy" in row:
            yoy = row["yoy"]
            text += f", {'' if yoy.startswith('-') else '+'}{yoy}% year on year"
        _add_fact(g.nodes[row["about"]], text, sentences.get(row["span"], []), row["b"], "figures",
                  Measure(float(row["value"]), row["unit"], row["indicator"], row.get("start"), row.get("end")))
    _set_statuses(g)
    return g


STATUS = "status: "


def _set_statuses(g: nx.MultiDiGraph) -> None:
    """Each node's ``status``: the one stated by the newest briefing that states one (a status is as of
    its briefing's day, so a later "in operation" supersedes an earlier "planned")."""
    held = {b.slug: (b.held, b.slug) for b in g.graph["briefings"]}
    for _, d in g.nodes(data=True):
        stated = [f for f in d["facts"] if f.text.startswith(STATUS)]
        latest = max(stated, key=lambda f: max(held.get(b, ("", b)) for b in f.briefings), default=None)
        d["status"] = latest.text.removeprefix(STATUS) if latest else None


def _types(store: ox.Store) -> dict[str, TypeInfo]:
    parents: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for row in select(store, """
        SELECT ?c ?label ?super WHERE {
          ?c a owl:Class .
          OPTIONAL { ?c rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
          OPTIONAL { ?c rdfs:subClassOf ?super }
        }"""):
        c = row["c"]
        labels.setdefault(c, row.get("label") or local_name(c))
        parents.setdefault(c, set())
        if "super" in row:
            parents[c].add(row["super"])

    def lineage(c: str) -> tuple[str, ...]:
        seen, todo = [c], [c]
        while todo:
            for p in sorted(parents.get(todo.pop(0), ())):
                if p not in seen and p in labels:
                    seen.append(p)
                    todo.append(p)
        return tuple(seen)

    return {c: TypeInfo(c, local_name(c), labels[c], lineage(c)) for c in sorted(labels)}


def _sentences(store: ox.Store) -> dict[str, list[str]]:
    """Every evidence span's sentences, in text order, with line breaks folded into spaces."""
    out: dict[str, list[str]] = {}
    for row in select(store, """
        SELECT ?span ?text WHERE { ?span nif:sentence ?s . ?s nif:anchorOf ?text ; nif:beginIndex ?b }
        ORDER BY ?span ?b"""):
        out.setdefault(row["span"], []).append(" ".join(row["text"].split()))
    return out


def _extend(target: list[str], items: Iterable[str]) -> None:
    target.extend(i for i in items if i not in target)


def _add_fact(node: dict, text: str, sentences: list[str], briefing: str, kind: str = "facts",
              measure: Measure | None = None) -> None:
    for f in node[kind]:
        if f.text == text:
            _extend(f.sentences, sentences)
            _extend(f.briefings, [briefing])
            return
    node[kind].append(Fact(text, list(sentences), [briefing], measure))


def _slug(iri: str) -> str:
    return iri.removeprefix(str(ID))


# --- finding entities and types by what a user types -------------------------------------------------

def find_entity(g: nx.MultiDiGraph, ref: str, what: str = "entity") -> str:
    """The node a user means by ``ref``: its id, IRI, ``kgr:`` name, name, Chinese name or alias (any case),
    resolved as ``kg describe`` resolves it (:func:`kg.lookup.resolve`), among the nodes of the view.

    >>> g = nx.MultiDiGraph(); g.add_node(ID["huawei"], slug="huawei", label="Huawei", aliases=[])
    >>> find_entity(g, "HUAWEI") == ID["huawei"]
    True
    """
    return resolve(_names(g), ref, what, cite="id")


def _names(g: nx.MultiDiGraph) -> list[Name]:
    """Every name of every node: its label, then its Chinese name and aliases (as aliases)."""
    names = set()
    for n, d in g.nodes(data=True):
        names.add(Name(n, d["label"], False))
        names.update(Name(n, a, True) for a in (d.get("label_zh"), *d.get("aliases", ())) if a)
    return sorted(names, key=lambda n: (n.name, n.iri))


def find_type(g: nx.MultiDiGraph, ref: str) -> TypeInfo:
    """The ontology class a user means: its local name or its label, in any case (``enterprise``, ``Place``)."""
    types: dict[str, TypeInfo] = g.graph["types"]
    folded = ref.strip().casefold()
    for t in types.values():
        if folded in (t.name.casefold(), t.label.casefold(), t.iri.casefold()):
            return t
    used = sorted({t.name for t in types.values() if _is_entity_type(g, t)})
    hint = did_you_mean(suggest(ref, [t.name for t in types.values()]))
    raise KgError(f"unknown type '{ref}'{hint} (types with entities: {', '.join(used)})")


def _is_entity_type(g: nx.MultiDiGraph, t: TypeInfo) -> bool:
    types = g.graph["types"]
    return any(t.iri in types[d["type"]].lineage for _, d in g.nodes(data=True) if d["type"] in types)


def is_a(g: nx.MultiDiGraph, node: str, t: TypeInfo) -> bool:
    """Whether the node's class is ``t`` or one of its subclasses."""
    info = g.graph["types"].get(g.nodes[node]["type"])
    return info is not None and t.iri in info.lineage


# --- narrowing the view -------------------------------------------------------------------------------

def pick_briefings(g: nx.MultiDiGraph, refs: Iterable[str] = (), since: str | None = None,
                   until: str | None = None) -> list[Briefing]:
    """The briefings a user means, oldest first: those named in ``refs`` by slug (any case; all when none
    is named), held on or after ``since`` and on or before ``until`` (ISO dates, both inclusive).

    An unknown slug, a date that is not YYYY-MM-DD, or a choice that leaves no briefing raises a KgError.
    """
    known: list[Briefing] = g.graph.get("briefings", [])
    by_slug = {b.slug.casefold(): b for b in known}
    chosen = set()
    for ref in refs:
        b = by_slug.get(ref.strip().casefold())
        if b is None:
            slugs = [b.slug for b in known]
            hint = did_you_mean(suggest(ref, slugs), f" (briefings: {', '.join(slugs)})")
            raise KgError(f"unknown briefing '{ref}'{hint}")
        chosen.add(b.slug)
    bounds = {name: _iso_date(day, name) for name, day in (("--since", since), ("--until", until)) if day is not None}
    picked = [b for b in known if (not chosen or b.slug in chosen)
              and bounds.get("--since", b.held) <= b.held <= bounds.get("--until", b.held)]
    if not picked:
        said = [f"named {', '.join(sorted(chosen))}"] * bool(chosen) + [
            f"held on or {when} {day}" for when, day in (("after", since), ("before", until)) if day is not None]
        raise KgError("no briefing " + ", ".join(said))
    return picked


def _iso_date(day: str, option: str) -> str:
    import datetime

    try:
        return datetime.date.fromisoformat(day.strip()).isoformat()
    except ValueError:
        raise KgError(f"{option} {day!r} is not a date (YYYY-MM-DD)") from None


def by_briefing(g: nx.MultiDiGraph, refs: Iterable[str] = (), since: str | None = None,
                until: str | None = None) -> tuple[nx.MultiDiGraph, list[str]]:
    """The view narrowed to the briefings the user chose (:func:`pick_briefings`; all when none is chosen)
    and a note saying which, for a title (none when all are kept)."""
    refs = tuple(refs)
    if not refs and since is None and until is None:
        return g, []
    picked = pick_briefings(g, refs, since, until)
    if len(picked) == len(g.graph.get("briefings", [])):
        return g, []
    note = ("briefings " + ", ".join(b.slug for b in picked) if len(picked) <= 3
            else f"{len(picked)} briefings held {picked[0].held} to {picked[-1].held}")
    return in_briefings(g, [b.slug for b in picked]), [note]


def in_briefings(g: nx.MultiDiGraph, slugs: Iterable[str]) -> nx.MultiDiGraph:
    """The view as the briefings ``slugs`` state it: the entities they name, the relations they assert
    between them, and of each entity's facts and figures those they state (the others dropped)."""
    wanted = set(slugs)
    if wanted >= {b.slug for b in g.graph.get("briefings", [])}:
        return g
    keep = [n for n, d in g.nodes(data=True) if wanted.intersection(d["briefings"])]
    sub = g.subgraph(keep).copy()
    sub.remove_edges_from([(u, v, k) for u, v, k, d in sub.edges(keys=True, data=True)
                           if not wanted.intersection(d["briefings"])])
    for n in sub:  # copy() gave every node its own attribute dict
        d = sub.nodes[n]
        for kind in ("facts", "figures"):
            d[kind] = [f for f in d[kind] if wanted.intersection(f.briefings)]
        d["briefings"] = [b for b in d["briefings"] if b in wanted]
    sub.graph["briefings"] = [b for b in g.graph["briefings"] if b.slug in wanted]
    _set_statuses(sub)
    return sub


def neighbourhood(g: nx.MultiDiGraph, centre: str, depth: int) -> set[str]:
    """The nodes within ``depth`` relations of ``centre``, whichever way the relations point."""
    return set(nx.single_source_shortest_path_length(g.to_undirected(as_view=True), centre, cutoff=depth))


def in_sector(g: nx.MultiDiGraph, sector: str) -> set[str]:
    """A sector and every entity related to it (in the sector, focused on it, ...)."""
    return {sector, *g.predecessors(sector), *g.successors(sector)}


def simple_graph(g: nx.MultiDiGraph) -> nx.Graph:
    """One undirected edge per related pair: the graph that centrality, components and paths are taken on."""
    s: nx.Graph[str] = nx.Graph()
    s.add_nodes_from(g.nodes(data=True))
    s.add_edges_from((u, v) for u, v in g.edges() if u != v)
    return s


def graphml_bytes(g: nx.MultiDiGraph) -> bytes:
    """The view as GraphML for Gephi, Cytoscape and yEd: scalar attributes only, in a stable order."""
    out: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for n in sorted(g):
        d = g.nodes[n]
        out.add_node(n, label=d["label"], slug=d["slug"], type=d["type_name"], type_label=d["type_label"],
                     label_zh=d["label_zh"] or "", aliases="; ".join(d["aliases"]), status=d["status"] or "",
                     figures="; ".join(f.text for f in d["figures"]))
    for u, v, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        out.add_edge(u, v, key=local_name(k), predicate=k, label=d["label"],
                     sentence=" | ".join(d["sentences"]))
    buf = io.BytesIO()
    # key ids d0, d1..: node and edge "label" may not share one
    nx.write_graphml(out, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def write_graphml(ds: Dataset) -> bytes:
    """The export registry's writer: an rdflib Dataset into GraphML of its entity view."""
    return graphml_bytes(entity_view(load_store(ds.serialize(format="nquads", encoding="utf-8"))))
