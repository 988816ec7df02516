"""Facts into an RDF dataset: one named graph per briefing plus the ontology. The only place IRIs are minted."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from urllib.parse import quote

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, QB, RDF, RDFS, SKOS, TIME, XSD

from . import __version__
from .annotations import DraftMark
from .errors import KgError
from .facts import Entity, Facts, Period, Shared, Span
from .vocab import GRAPH, ID, KG, NIF, PREFIXES, SCHEMA, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE, WD

ONTOLOGY_GRAPH = GRAPH["ontology"]
#: The graph of the registry of shared entities (data/entities/); the IRI also names the registry itself.
ENTITIES = "entities"


def mint(kind: str, *parts: str) -> URIRef:
    """The IRI of a thing kg describes: stable, readable, built from slugs. Nothing else builds IRIs."""
    if kind == "entity":
        return ID[parts[0]]
    if kind == "span":  # RFC 5147 fragment on the document IRI, as NIF does
        doc, begin, end = parts
        return URIRef(f"{mint('doc', doc)}#char={begin},{end}")
    if kind == "graph":
        return GRAPH[parts[0]]
    return ID["/".join((kind, *parts))]


def graph_iri(slug: str) -> URIRef:
    return mint("graph", slug)


def new_dataset() -> Dataset:
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    return ds


@functools.cache
def bindings() -> tuple[tuple[str, str], ...]:
    """The prefixes a graph of the dataset binds (rdflib's own and kg's), for kg.rdfwrite.turtle."""
    return tuple((prefix, str(ns)) for prefix, ns in new_dataset().namespaces())


#: Graph IRIs a briefing may not take.
RESERVED = {ONTOLOGY_GRAPH: "the graph of the ontology (ontology/kg.ttl)",
            graph_iri(ENTITIES): "the graph of the entity registry (data/entities/)"}


def briefing_graph(facts: Facts) -> tuple[URIRef, list[tuple]]:
    """A briefing's named graph: its IRI and its triples (kg/parts.py writes them without an rdflib graph)."""
    iri = graph_iri(facts.briefing.slug)
    if iri in RESERVED:
        raise KgError(f"this briefing's graph would be <{iri}>, {RESERVED[iri]}; rename the briefing",
                      facts.briefing.text_path)
    return iri, list(briefing_triples(facts))


def build_graphs(ontology: Graph, briefings: Iterable[Facts], registry: dict[str, Shared] | None = None) -> Dataset:
    """The dataset: the ontology in its own named graph, the registry of shared entities in another (when
    there is one), each briefing's facts in another."""
    ds = new_dataset()
    og = ds.graph(ONTOLOGY_GRAPH)
    for t in ontology:
        og.add(t)
    if registry:
        rg = ds.graph(graph_iri(ENTITIES))
        for t in registry_triples(registry):
            rg.add(t)
    for facts in briefings:
        iri, triples = briefing_graph(facts)
        g = ds.graph(iri)
        for t in triples:
            g.add(t)
    return ds


def registry_triples(registry: dict[str, Shared]) -> Iterable[tuple]:
    """The shared entities, each described once: type, names, note and Wikidata id, defined by the registry.

    The registry is named by its graph's IRI (a kg:EntityRegistry); where each briefing names an entity is
    in that briefing's graph (see briefing_triples)."""
    reg = graph_iri(ENTITIES)
    out: list[tuple] = [(reg, RDF.type, KG.EntityRegistry), (reg, RDFS.label, Literal("entity registry", lang="en"))]
    for e in sorted(registry.values(), key=lambda e: e.id):
        out += [(mint("entity", e.id), RDFS.isDefinedBy, reg), *_entity_triples(e)]
    return out


def _entity_triples(e: Shared | Entity) -> list[tuple]:
    """An entity's type, labels, note and Wikidata id (the same for one declared by a briefing)."""
    node = mint("entity", e.id)
    name = Literal(e.name, lang="en")
    out: list[tuple] = [(node, RDF.type, e.type), (node, RDFS.label, name), (node, SKOS.prefLabel, name)]
    out += [(node, SKOS.altLabel, Literal(a, lang="en")) for a in e.aliases if a != e.name]
    if e.name_zh:
        zh = Literal(e.name_zh, lang="zh")
        out += [(node, RDFS.label, zh), (node, SKOS.altLabel, zh)]
    if e.note:
        out.append((node, RDFS.comment, Literal(e.note, lang="en")))
    if e.same_as:
        out.append((node, SCHEMA.sameAs, WD[e.same_as]))
    if e.generic:
        out.append((node, KG.generic, Literal(True)))
    return out


def briefing_triples(facts: Facts) -> Iterable[tuple]:
    b = facts.briefing
    slug, meta = b.slug, b.meta
    doc = mint("doc", slug)
    run = mint("activity", "build", slug)
    agent = mint("agent", "kg")
    dataset = mint("dataset", slug)
    en = lambda s: Literal(s, lang="en")  # noqa: E731

    def span(s: Span, *types: URIRef) -> URIRef:
        node = mint("span", slug, str(s.begin), str(s.end))
        out.extend((node, RDF.type, t) for t in types)
        out.extend([
            (node, NIF.referenceContext, doc),
            (node, NIF.beginIndex, Literal(s.begin, datatype=XSD.nonNegativeInteger)),
            (node, NIF.endIndex, Literal(s.end, datatype=XSD.nonNegativeInteger)),
            (node, NIF.anchorOf, Literal(s.text)),
        ])
        return node

    def evidence(s: Span) -> URIRef:
        node = span(s, KG.TextSpan, NIF.OffsetBasedString)
        for sentence in facts.sentences_of(s):
            out.append((node, NIF.sentence, mint("span", slug, str(sentence.begin), str(sentence.end))))
        return node

    def referring(fact: URIRef, antecedent: Span | None) -> None:
        # on the fact, not its span: three figures of one "respectively" sentence share that span
        if antecedent is not None:
            out.append((fact, KG.antecedent, evidence(antecedent)))

    def dated(fact: URIRef, p: Period) -> None:
        period = mint("period", p.key.replace("/", "--"))
        out.extend(_period(period, p))
        out.append((fact, KG.period, period))

    def placed(fact: URIRef, s: Span) -> None:
        section = facts.section_of(s)
        if section is not None:
            out.append((fact, KG.inSection, mint("section", slug, section.id)))

    out: list[tuple] = []
    # The source document, the build that read it, and the figures' data set.
    out += [
        (doc, RDF.type, KG.SourceDocument), (doc, RDF.type, NIF.Context),
        (doc, DCTERMS.title, en(meta["title"])), (doc, DCTERMS.identifier, Literal(slug)),
        (doc, DCTERMS.language, Literal(meta["language"], datatype=XSD.language)),
        (doc, NIF.isString, Literal(b.text)),
        (doc, DCTERMS.date, Literal(meta["held"], datatype=XSD.date)),
        (run, RDF.type, PROV.Activity), (run, RDFS.label, en(f"kg build of {slug}")),
        (run, PROV.used, doc), (run, PROV.wasAssociatedWith, agent),
        (agent, RDF.type, PROV.SoftwareAgent), (agent, RDFS.label, Literal(f"kg {__version__}")),
        (dataset, RDF.type, QB.DataSet), (dataset, QB.structure, KG.FigureStructure),
        (dataset, RDFS.label, en(f"Figures of {meta['title']}")), (dataset, DCTERMS.source, doc),
    ]
    if meta.get("publisher"):  # a briefing not annotated yet may have none (kg/facts.py)
        publisher = mint("entity", meta["publisher"])
        out += [(doc, DCTERMS.publisher, publisher), (doc, PROV.wasAttributedTo, publisher)]
    if meta.get("issued"):
        out.append((doc, DCTERMS.issued, Literal(meta["issued"], datatype=XSD.date)))
    if meta.get("source_url"):
        out.append((doc, NIF.sourceUrl, URIRef(meta["source_url"])))
    if meta.get("note"):
        out.append((doc, RDFS.comment, en(meta["note"])))
    if meta.get("event"):  # the briefing as an event: its series, session and theme are the event's
        event = mint("entity", meta["event"])
        out += [(doc, KG.describes, event), (event, SCHEMA.startDate, Literal(meta["held"], datatype=XSD.date))]
        for key, prop in (("series", KG.series), ("session", KG.session), ("theme", KG.theme)):
            if meta.get(key):
                out.append((event, prop, en(meta[key])))
        if meta.get("series_number") is not None:
            out.append((event, KG.seriesNumber, Literal(meta["series_number"], datatype=XSD.integer)))

    # What kg draft proposed and nobody has reviewed yet: generated by the drafting activity of this
    # briefing's draft file (not by the build), with the rule that proposed it and its confidence.
    drafting = mint("activity", "draft", slug)
    if facts.drafting is not None:
        d = facts.drafting
        drafter = mint("agent", "draft", quote(d.version, safe=".-_"))
        out += [
            (drafting, RDF.type, PROV.Activity), (drafting, RDF.type, KG.Drafting),
            (drafting, RDFS.label, en(f"{d.generator} of {slug}")), (drafting, PROV.used, doc),
            (drafting, PROV.wasAssociatedWith, drafter),
            (drafter, RDF.type, PROV.SoftwareAgent), (drafter, RDFS.label, Literal(f"{d.generator} {d.version}")),
        ]

    def generated(node: URIRef, mark: DraftMark | None) -> list[tuple]:
        """Who made ``node``: the build from reviewed annotations, or kg draft (with its rule and confidence)."""
        if mark is None:
            return [(node, PROV.wasGeneratedBy, run)]
        return [(node, PROV.wasGeneratedBy, drafting), (node, KG.draftRule, Literal(mark.rule)),
                (node, KG.confidence, Literal(mark.confidence, datatype=XSD.decimal))]

    for sentence in facts.sentences:
        span(sentence, NIF.Sentence)
    for section in facts.sections:
        node = mint("section", slug, section.id)
        out += [
            (node, RDF.type, KG.Section), (node, RDFS.label, en(section.name)),
            (node, KG.heading, evidence(section.heading)),
            (node, PROV.wasDerivedFrom, span(section.span, KG.TextSpan, NIF.OffsetBasedString)),
            (node, DCTERMS.isPartOf, mint("section", slug, section.part_of) if section.part_of else doc),
        ]
        out += [(node, KG.sectionAbout, mint("entity", place)) for place in section.about]

    names = facts.names()
    for e in facts.entities:
        out += _entity_triples(e)
        out.append((mint("entity", e.id), PROV.wasDerivedFrom, evidence(e.span)))
        if e.draft is not None:  # declared by the draft only: marked as drafted too
            out += generated(mint("entity", e.id), e.draft)
    # A registry entity is described in the registry's graph; here only where this briefing names it, as
    # for an entity it declares (prov:wasDerivedFrom the quote's span), and the spellings only it uses.
    for m in facts.shared:
        node = mint("entity", m.entity.id)
        out.append((node, PROV.wasDerivedFrom, evidence(m.span)))
        out += [(node, SKOS.altLabel, en(a)) for a in m.aliases if a != m.entity.name]

    # Every fact is stated by this briefing's document, as of the day the briefing was held: a later
    # briefing may state another status or figure without contradicting this one.
    held = mint("instant", meta["held"].isoformat())
    out += [(held, RDF.type, TIME.Instant), (held, TIME.inXSDDate, Literal(meta["held"], datatype=XSD.date))]

    for r in facts.relations:
        s, o = mint("entity", r.s), (r.o if isinstance(r.o, URIRef) else mint("entity", r.o))
        digest = hashlib.sha1(f"{s} {r.p} {o}".encode()).hexdigest()[:16]
        a = mint("assertion", slug, digest)
        out += [(s, r.p, o), (a, RDF.type, KG.Assertion), (a, RDF.type, RDF.Statement), (a, RDF.subject, s),
                (a, RDF.predicate, r.p), (a, RDF.object, o), (a, PROV.wasDerivedFrom, evidence(r.span)),
                *generated(a, r.draft), (a, PROV.hadPrimarySource, doc), (a, KG.asOf, held)]
        out += [(s, implied, o) for implied in r.implied]  # kg:keySector is a kg:focusSector too
        if r.period:
            dated(a, r.period)
        if r.when:
            out.append((a, KG.statedWhen, Literal(" ".join(r.when.text.split()))))
        placed(a, r.span)
        referring(a, r.antecedent)

    for f in facts.figures:
        node = mint("figure", slug, f.id)
        amount = f.stated.text if f.stated else f"{f.value}"
        label = f"{names[f.indicator]}: {' '.join(amount.split())}" + (f" ({f.period.label})" if f.period else "")
        out += [
            (node, RDF.type, KG.Figure), (node, RDF.type, QB.Observation), (node, QB.dataSet, dataset),
            (node, RDFS.label, en(label)),
            (node, KG.indicator, mint("entity", f.indicator)), (node, SCHEMA.observationAbout, mint("entity", f.about)),
            (node, SDMX_MEASURE.obsValue, Literal(f.value, datatype=XSD.decimal)),
            (node, SDMX_ATTRIBUTE.unitMeasure, f.unit),
            (node, PROV.wasDerivedFrom, evidence(f.span)), *generated(node, f.draft),
            (node, PROV.hadPrimarySource, doc), (node, KG.asOf, held),
        ]
        placed(node, f.span)
        referring(node, f.antecedent)
        if f.counts is not None:
            out.append((node, KG.counts, f.counts if isinstance(f.counts, URIRef) else mint("entity", f.counts)))
        if f.period:
            period = mint("period", f.period.key.replace("/", "--"))
            out += list(_period(period, f.period))
            out.append((node, SDMX_DIMENSION.refPeriod, period))
        for prop, value in ((KG.qualifier, f.qualifier), (KG.status, f.status)):
            if value is not None:
                out.append((node, prop, value))
        for prop, number in ((KG.upperBound, f.upper), (KG.yoyChangePercent, f.yoy)):
            if number is not None:
                out.append((node, prop, Literal(number, datatype=XSD.decimal)))
        if f.stated:
            out.append((node, KG.statedAs, Literal(" ".join(f.stated.text.split()))))

    for mention, ident in facts.mentions:
        node = evidence(mention)
        out.append((node, KG.mentions, mint("entity", ident)))
    return out


def _period(node: URIRef, p: Period) -> Iterable[tuple]:
    yield node, RDFS.label, Literal(p.label, lang="en")
    if p.end is None:
        yield node, RDF.type, TIME.Instant
        yield node, TIME.inXSDDate, Literal(p.begin, datatype=XSD.date)
        return
    yield node, RDF.type, TIME.ProperInterval
    for prop, day in ((TIME.hasBeginning, p.begin), (TIME.hasEnd, p.end)):
        instant = mint("instant", day.isoformat())
        yield node, prop, instant
        yield instant, RDF.type, TIME.Instant
        yield instant, TIME.inXSDDate, Literal(day, datatype=XSD.date)
