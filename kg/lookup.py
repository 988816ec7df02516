"""A name, an alias or an IRI into an entity of the store, and an entity into what the briefings say of it.

Backs `kg describe` and `kg search`, and the ``entity`` parameters of catalogued queries. :func:`resolve`
is the one way kg turns what a user typed into an entity; the network view (kg/graphview.py, behind
`kg viz --focus` and `kg path`) uses it too, over the names of its nodes.
"""

from __future__ import annotations

import re
import textwrap
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from .errors import KgError
from .prefixes import PREFIXES, compact, labelled
from .query import Term, iri_of, run_query, value
from .suggest import did_you_mean, suggest

RDF_TYPE = PREFIXES["rdf"] + "type"
KG = PREFIXES["kg"]
KGR = PREFIXES["kgr"]

_NAMES = """
SELECT ?e ?name ?kind WHERE {
  { ?e skos:prefLabel ?name BIND(0 AS ?kind) }
  UNION { ?e skos:prefLabel [] ; skos:altLabel ?name BIND(1 AS ?kind) }
}"""


@dataclass(frozen=True)
class Name:
    """One name of an entity: its label (``alias`` False) or one of its aliases (Chinese names among them)."""

    iri: str
    name: str
    alias: bool


def entity_names(store: ox.Store) -> list[Name]:
    """Every name of every entity (things with a skos:prefLabel), labels and aliases."""
    rows = run_query(store, _NAMES).rows
    return sorted({Name(value(e), value(n), int(value(k)) == 1) for e, n, k in rows}, key=lambda n: (n.name, n.iri))


#: Abbreviations as people type them, each read as the words it stands for (names and typed text alike).
ABBREVIATIONS = {"cbd": "central business district", "sjtu": "shanghai jiao tong university",
                 "ai": "artificial intelligence", "r&d": "research and development"}


def _norm(text: str) -> str:
    """Case, curly apostrophes, runs of white space and abbreviations (``CBD``) folded away.

    >>> _norm("Hongqiao  International CBD") == _norm("Hongqiao International Central Business District")
    True
    """
    words = text.replace("’", "'").casefold().split()
    return " ".join(ABBREVIATIONS.get(w, w) for w in words)


def find_entity(store: ox.Store, text: str) -> ox.NamedNode:
    """The entity ``text`` names in the store: any IRI or prefixed name with triples (an ontology class or a
    figure too), else what :func:`resolve` finds among the entities' names."""
    iri = iri_of(text)
    if iri is not None and run_query(store, "ASK { ?_e ?p ?o }", {"_e": iri}).boolean:
        return iri
    return ox.NamedNode(resolve(entity_names(store), text))


def resolve(names: Iterable[Name], text: str, what: str = "entity", cite: str = "name") -> str:
    """The IRI of the entity ``text`` means among ``names``: its IRI or prefixed name, a label, an alias (a
    Chinese name is one) or its kgr: id, in any case. A label beats an alias, an alias an id.

    Two entities with one name are an error listing both. No match is an error suggesting the closest
    names, written (``cite``) as names to type again, ``"Huawei"``, or as ids, ``huawei (Huawei)``.

    >>> names = [Name(KGR + "huawei", "Huawei", False), Name(KGR + "huawei", "华为", True)]
    >>> [resolve(names, t).removeprefix(KGR) for t in ("HUAWEI", "华为", "kgr:huawei", "Huawei ")]
    ['huawei', 'huawei', 'huawei', 'huawei']
    >>> resolve(names, "huwei", cite="id")
    Traceback (most recent call last):
    kg.errors.KgError: unknown entity 'huwei'; did you mean huawei (Huawei)?
    """
    names = list(names)
    iris = {n.iri for n in names}
    iri = iri_of(text)
    if iri is not None and iri.value in iris:
        return iri.value
    key = _norm(text)
    label = {n.iri: n.name for n in names if not n.alias}
    for alias in (False, True):
        found = sorted({n.iri for n in names if n.alias == alias and _norm(n.name) == key})
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = "; ".join(f"{compact(i)} ({label.get(i, '')})" for i in found)
            raise KgError(f"'{text}' names {len(found)} entities: {listed}; give one by its prefixed name")
    by_id = {i.removeprefix(KGR).casefold(): i for i in iris if i.startswith(KGR)}
    if key.removeprefix("kgr:") in by_id:
        return by_id[key.removeprefix("kgr:")]
    # a partial name, ranked as kg search ranks it: taken only when one entity alone matches best
    best: dict[str, int] = {}
    for n in names:
        rank = match_rank(n.name, n.alias, text)
        if rank is not None:
            best[n.iri] = min(best.get(n.iri, rank // 2), rank // 2)
    top = [i for i, r in best.items() if r == min(best.values(), default=None)]
    if len(top) == 1:
        return top[0]
    close = suggestions(names, text)
    if cite == "id":
        offers = [f"{i.removeprefix(KGR)} ({label.get(i, '')})" for i in list(dict.fromkeys(n.iri for n in close))[:5]]
    else:
        offers = [f'"{n}"' for n in dict.fromkeys(n.name for n in close)]
    hint = did_you_mean(offers, "; kg search TEXT finds entities by name")
    # the same lookup, two wordings: ``kg describe`` and the query parameters say "no entity called",
    # ``kg viz`` and ``kg path`` "unknown entity"/"unknown sector"
    head = f"unknown {what} '{text}'" if cite == "id" else f"no {what} called '{text}'"
    raise KgError(head + hint)


def suggestions(names: list[Name], text: str, n: int = 5) -> list[Name]:
    """The names most like ``text``: close spellings first, then names that contain it, shortest first; one
    name (the first given) for each of at most ``n`` spellings."""
    by_norm: dict[str, Name] = {}
    for name in names:
        by_norm.setdefault(_norm(name.name), name)
    key = _norm(text)
    return [by_norm[k] for k in suggest(key, by_norm, n, containing=True)]


# --- search ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hit:
    """A search result: the entity, its label and type, the name that matched, and one line of context."""

    iri: str
    label: str
    type: str
    matched: str
    rank: int
    context: str


#: How well a name matches, best first (a label before an alias of the same kind of match).
RANKS = ("label is the text", "alias is the text", "label starts with it", "alias starts with it",
         "a word of the label starts with it", "a word of an alias starts with it",
         "label contains it", "alias contains it", "label has every word", "alias has every word")


def match_rank(name: str, alias: bool, text: str) -> int | None:
    """The rank (index into RANKS) of ``name`` matching ``text``, or None.

    >>> match_rank("Greater Neo Bay Library", False, "neo bay")
    4
    >>> match_rank("Greater Neo Bay", True, "greater neo bay") , match_rank("Huawei", False, "bay")
    (1, None)
    """
    n, t = _norm(name), _norm(text)
    if not t:
        return None
    if n == t:
        rank = 0
    elif n.startswith(t):
        rank = 2
    elif re.search(rf"(?<![\w]){re.escape(t)}", n):
        rank = 4
    elif t in n:
        rank = 6
    elif all(w in n for w in t.split()):
        rank = 8
    else:
        return None
    return rank + alias


_CONTEXT = """
SELECT ?e ?type ?quote ?sentence WHERE {
  ?e a ?type .
  FILTER(STRSTARTS(STR(?type), STR(kg:)))
  OPTIONAL { ?e prov:wasDerivedFrom ?span . ?span nif:anchorOf ?quote .
             OPTIONAL { ?span nif:sentence ?s . ?s nif:anchorOf ?sentence } }
}"""


def search(store: ox.Store, text: str, limit: int = 20) -> list[Hit]:
    """Entities whose label or alias matches ``text``, best match first (see RANKS), then shortest label."""
    names = entity_names(store)
    label = {n.iri: n.name for n in names if not n.alias}
    # the kind of match first, then the shortest matching name: "Greater Neo Bay" (an alias) before
    # "Greater Neo Bay Library" (a label), both matching "neo bay" at the start of a word
    key = lambda rank, name: (rank // 2, len(name), rank)  # noqa: E731
    best: dict[str, tuple[int, str]] = {}
    for n in names:
        rank = match_rank(n.name, n.alias, text)
        if rank is not None and (n.iri not in best or key(rank, n.name) < key(*best[n.iri])):
            best[n.iri] = (rank, n.name)
    order = sorted(best, key=lambda i: (key(*best[i]), label.get(i, ""), i))[:limit]
    info = _entity_context(store, order)
    return [
        Hit(i, label.get(i, compact(i)), info.get(i, ("", ""))[0], best[i][1], best[i][0],
            context_line(info.get(i, ("", ""))[1], best[i][1]))
        for i in order
    ]


def _entity_context(store: ox.Store, iris: list[str]) -> dict[str, tuple[str, str]]:
    """Each entity's ontology type (local name) and the sentence (else the quote) that first names it."""
    out: dict[str, tuple[str, str]] = {}
    for iri in iris:
        rows = run_query(store, _CONTEXT, {"e": ox.NamedNode(iri)}).rows
        if rows:
            _, _, quote, sentence = rows[0]
            types = sorted(value(r[1]).removeprefix(KG) for r in rows)
            said = sentence if sentence is not None else quote
            out[iri] = (types[0] if len(set(types)) == 1 else ", ".join(sorted(set(types))),
                        value(said) if said is not None else "")
    return out


def context_line(sentence: str, name: str, width: int = 100) -> str:
    """One line of ``sentence`` around the first occurrence of ``name``, cut to about ``width`` characters.

    >>> context_line("Alpha beta gamma delta epsilon zeta eta theta", "delta", width=20)
    '… gamma delta epsilon …'
    """
    s = " ".join(sentence.split())
    if len(s) <= width:
        return s
    found = s.casefold().find(" ".join(name.split()).casefold())
    at, after = (found, found + len(name)) if found >= 0 else (0, 0)
    start = max(0, min(at - (width - len(name)) // 2, len(s) - width))
    end = min(len(s), start + width)
    if start > 0:  # cut at word boundaries
        start = s.find(" ", start, max(at, start) + 1) + 1 or start
    if end < len(s):
        cut = s.rfind(" ", max(after, start), end + 1)
        end = cut if cut != -1 else end
    return ("… " if start > 0 else "") + s[start:end].strip() + (" …" if end < len(s) else "")


# --- labels ----------------------------------------------------------------------------------------------

def labels_for(store: ox.Store, iris: set[str]) -> dict[str, str]:
    """An rdfs:label for each IRI that has one (English first), for showing IRIs to people."""
    if not iris:
        return {}
    values = " ".join(str(ox.NamedNode(i)) for i in sorted(iris))
    query = f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} ?s rdfs:label ?l }}"  # terms serialised by pyoxigraph
    best: dict[str, tuple[int, str]] = {}
    for s, label in run_query(store, query).rows:
        lang = (label.language if isinstance(label, ox.Literal) else None) or ""
        rank = 0 if lang == "en" else 1 if lang == "" else 2
        iri, text = value(s), value(label)
        if iri not in best or (rank, text) < best[iri]:
            best[iri] = (rank, text)
    return {iri: label for iri, (_, label) in best.items()}


# --- describe --------------------------------------------------------------------------------------------

@dataclass
class Fact:
    """A relation of the entity: ``outgoing`` (entity → other) or incoming, with the sentence stating it."""

    predicate: str
    outgoing: bool
    other: str
    sentence: str
    briefing: str = ""  # the slug of the briefing stating it, and the day it was held (kg:asOf)
    held: str = ""
    graph: str = ""  # the named graph (briefing) that states it


@dataclass
class FigureFact:
    label: str
    value: str
    unit: str
    period: str
    details: list[str]
    sentence: str
    briefing: str = ""
    held: str = ""


@dataclass
class Description:
    iri: str
    label: str
    types: list[str]
    aliases: list[str]
    notes: list[str]
    same_as: list[str]
    named_in: str
    facts: list[Fact] = field(default_factory=list)
    figures: list[FigureFact] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)


# LATERAL evaluates each OPTIONAL once per row on its left, by index lookups: as plain OPTIONALs the
# engine joined them by hash, reading every period, span and assertion of the dataset for each entity
# (230 ms instead of 11 at 100k triples; kg serve's entity pages run these on every request).
_FACTS = """
SELECT ?out ?p ?other ?sentence ?quote ?g ?briefing ?held WHERE {
  { ?a rdf:subject ?_e . ?a a kg:Assertion ; rdf:predicate ?p ; rdf:object ?other BIND(true AS ?out) }
  UNION { ?a rdf:object ?_e . ?a a kg:Assertion ; rdf:predicate ?p ; rdf:subject ?other BIND(false AS ?out) }
  LATERAL { OPTIONAL { GRAPH ?g { ?a a kg:Assertion } } }
  LATERAL { OPTIONAL { ?a prov:wasDerivedFrom ?span . ?span nif:anchorOf ?quote .
                       OPTIONAL { ?span nif:sentence ?s . ?s nif:anchorOf ?sentence } } }
  LATERAL { OPTIONAL { ?a prov:hadPrimarySource ?doc . ?doc dcterms:identifier ?briefing ; dcterms:date ?held } }
}"""

_FIGURES = """
SELECT ?f ?label ?value ?unit ?period ?qualifier ?upper ?yoy ?status ?stated ?sentence ?briefing ?held WHERE {
  ?f schema:observationAbout ?_e ; rdfs:label ?label ; sdmx-measure:obsValue ?value ;
     sdmx-attribute:unitMeasure ?unit .
  LATERAL { OPTIONAL { ?f sdmx-dimension:refPeriod ?p . ?p rdfs:label ?period } }
  LATERAL { OPTIONAL { ?f kg:qualifier ?qualifier } }
  LATERAL { OPTIONAL { ?f kg:upperBound ?upper } }
  LATERAL { OPTIONAL { ?f kg:yoyChangePercent ?yoy } }
  LATERAL { OPTIONAL { ?f kg:status ?status } }
  LATERAL { OPTIONAL { ?f kg:statedAs ?stated } }
  LATERAL { OPTIONAL { ?f prov:wasDerivedFrom ?span . ?span nif:sentence ?s . ?s nif:anchorOf ?sentence } }
  LATERAL { OPTIONAL { ?f prov:hadPrimarySource ?doc . ?doc dcterms:identifier ?briefing ; dcterms:date ?held } }
}
ORDER BY ?label"""


_NAMED_IN = """
SELECT ?t ?held ?briefing WHERE {
  ?_s nif:sentence ?x . ?x nif:anchorOf ?t .
  OPTIONAL { ?_s nif:referenceContext ?doc . ?doc dcterms:date ?held ; dcterms:identifier ?briefing }
}"""


def _value(term: Term | None) -> str:
    """The text of a cell an OPTIONAL may leave unbound: empty then."""
    return "" if term is None else value(term)


def describe(store: ox.Store, entity: ox.NamedNode) -> Description:
    """What the graph says of ``entity``: types, names, relations with their sentences, figures."""
    props: dict[str, list[Term]] = defaultdict(list)
    for p, o in run_query(store, "SELECT ?p ?o WHERE { ?_e ?p ?o }", {"_e": entity}).rows:
        if o is not None:
            props[value(p)].append(o)
    values = lambda prop: sorted(value(o) for o in props.get(PREFIXES[prop[0]] + prop[1], []))  # noqa: E731
    named_in = ""
    first: tuple[str, str] | None = None  # the earliest briefing naming the entity: (held, slug)
    for span in props.get(PREFIXES["prov"] + "wasDerivedFrom", []):
        rows = run_query(store, _NAMED_IN, {"_s": span}).rows
        for anchor, held, slug in rows[:1]:
            when = (_value(held), _value(slug))
            if first is None or when < first:
                first, named_in = when, _value(anchor)
    pref = [o for o in props.get(PREFIXES["skos"] + "prefLabel", [])]
    label = value(pref[0]) if pref else compact(entity.value)
    d = Description(
        iri=entity.value,
        label=label,
        types=values(("rdf", "type")),
        aliases=[a for a in values(("skos", "altLabel")) if a != label],
        notes=values(("rdfs", "comment")),
        same_as=values(("schema", "sameAs")),
        named_in=named_in,
    )
    for out, p, other, sentence, quote, g, briefing, held in run_query(store, _FACTS, {"_e": entity}).rows:
        said = sentence if sentence is not None else quote
        d.facts.append(Fact(value(p), value(out) == "true", value(other), _value(said), _value(briefing),
                            _value(held), _value(g)))
    d.facts.sort(key=lambda f: (f.predicate, not f.outgoing, f.other, f.graph))
    for row in run_query(store, _FIGURES, {"_e": entity}).rows:
        _, flabel, amount, unit, period, qualifier, upper, yoy, status, stated, sentence, briefing, held = row
        details = []
        if qualifier is not None:
            details.append(f"qualifier: {compact(value(qualifier))}" + (f" (up to {value(upper)})" if upper else ""))
        if yoy is not None:
            details.append(f"year on year: {'+' if not value(yoy).startswith('-') else ''}{value(yoy)}%")
        if status is not None:
            details.append(f"status: {compact(value(status))}")
        if stated is not None:
            details.append(f"stated as: “{value(stated)}”")
        d.figures.append(FigureFact(value(flabel), value(amount), value(unit), _value(period), details,
                                    _value(sentence), _value(briefing), _value(held)))
    iris = {t for t in d.types} | {f.predicate for f in d.facts} | {f.other for f in d.facts}
    iris |= {f.unit for f in d.figures}
    d.labels = labels_for(store, iris)
    return d


def render_description(d: Description, width: int = 100) -> str:
    """The description as text for a terminal: sections per relation, the sentence under each fact."""
    name = lambda iri: labelled(iri, d.labels.get(iri))  # noqa: E731
    quote = lambda s: textwrap.fill(f"“{' '.join(s.split())}”", width, initial_indent=" " * 6,  # noqa: E731
                                    subsequent_indent=" " * 7)
    lines = [d.label, f"  {compact(d.iri)}", f"  type: {', '.join(name(t) for t in d.types)}"]
    if d.aliases:
        lines.append(f"  also called: {'; '.join(d.aliases)}")
    lines += [f"  note: {n}" for n in d.notes]
    lines += [f"  same as: {compact(s)}" for s in d.same_as]
    if d.named_in:
        lines += ["  first named in:", quote(d.named_in)]
    # One briefing: its facts by relation. Several: grouped by briefing, newest first, each as of its day.
    stated: list[Fact | FigureFact] = [*d.facts, *d.figures]
    briefings = sorted({(f.held, f.briefing) for f in stated}, reverse=True)
    if len(briefings) <= 1:
        lines += _sections(d, d.facts, d.figures, name, quote)
    else:
        for held, slug in briefings:
            lines += ["", f"== {slug or '(no briefing)'}" + (f", as of {held}" if held else "")]
            lines += _sections(d, [f for f in d.facts if (f.held, f.briefing) == (held, slug)],
                               [g for g in d.figures if (g.held, g.briefing) == (held, slug)], name, quote)
    if not d.facts and not d.figures:
        lines += ["", "(no relations or figures)"]
    return "\n".join(lines) + "\n"


def _sections(d: Description, facts: list[Fact], figures: list[FigureFact], name: Callable[[str], str],
              quote: Callable[[str], str]) -> list[str]:
    """Facts under one heading per relation, then the figures, each with its sentence."""
    lines: list[str] = []
    by_predicate: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        by_predicate[f.predicate].append(f)
    for predicate, group in sorted(by_predicate.items(), key=lambda kv: d.labels.get(kv[0], kv[0])):
        lines += ["", f"{d.labels.get(predicate, compact(predicate))} ({compact(predicate)})"]
        for f in group:
            lines.append(f"  {'→' if f.outgoing else '←'} {name(f.other)}")
            if f.sentence:
                lines.append(quote(f.sentence))
    if figures:
        lines += ["", "figures"]
        for fig in figures:
            unit = d.labels.get(fig.unit, compact(fig.unit))
            lines.append(f"  {fig.label}")
            lines.append(f"      value: {fig.value} {unit}" + (f" · period: {fig.period}" if fig.period else ""))
            lines += [f"      {x}" for x in fig.details]
            if fig.sentence:
                lines.append(quote(fig.sentence))
    return lines


def render_hits(hits: list[Hit]) -> str:
    """Search hits as text: rank, label, type and IRI on one line, the context under it."""
    if not hits:
        return ""
    lines = []
    for n, h in enumerate(hits, 1):
        also = f" — matched “{h.matched}”" if h.matched != h.label else ""
        lines.append(f"{n:>2}. {h.label} [{h.type}] {compact(h.iri)}{also}")
        if h.context:
            lines.append(f"      {h.context}")
    return "\n".join(lines) + "\n"
