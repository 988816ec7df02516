"""Annotations checked against the text and the ontology, into facts with resolved character spans."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDFS

from .annotations import (
    DRAFT_FILE,
    Annotations,
    Drafting,
    DraftMark,
    EntityAnn,
    Loc,
    MentionAnn,
    RegistryAnn,
    SectionAnn,
)
from .errors import KgError
from .ontology import Vocabulary
from .prefixes import local_name
from .source import META_REFERENCES, Briefing, sentence_spans
from .suggest import did_you_mean, suggest
from .vocab import KG, UNIT

#: Terms the build sets itself; annotations may not use them.
BUILD_ONLY = {KG.Figure, KG.Assertion, KG.SourceDocument, KG.TextSpan, KG.Status, KG.Qualifier, KG.EntityRegistry,
              KG.Section, KG.indicator, KG.qualifier, KG.describes, KG.mentions, KG.asOf, KG.counts, KG.period,
              KG.antecedent, KG.inSection, KG.heading, KG.sectionAbout,
              KG.Drafting, KG.draftRule, KG.confidence}

#: Units of quantities that cannot be negative (counts and areas); ontology/kg-shapes.ttl says the same.
NON_NEGATIVE_UNITS = frozenset({UNIT.NUM, UNIT.KiloM2, UNIT.M2})
#: A year-on-year change in percent: nothing falls by more than all of it, and a rise beyond
#: ten-thousandfold (10^6 %) is a typo; ontology/kg-shapes.ttl says the same.
YOY_MIN, YOY_MAX = Decimal(-100), Decimal(1_000_000)
#: What each metadata reference must be: its entity must be of this class or one below it.
META_REFERENCE_CLASSES = {"event": KG.Event}


@dataclass(frozen=True, order=True)
class Span:
    """Characters ``text[begin:end]`` of the briefing (0-based code points, end excluded)."""

    begin: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity:
    id: str
    type: URIRef
    name: str
    aliases: tuple[str, ...]
    name_zh: str | None
    same_as: str | None
    note: str | None
    span: Span
    loc: Loc | None = field(default=None, compare=False)  # where it was declared
    generic: bool = False
    draft: DraftMark | None = field(default=None, compare=False)  # declared by a draft, not reviewed yet


@dataclass(frozen=True)
class Shared:
    """An entity of the registry, checked against the ontology: declared once, named by briefings."""

    id: str
    type: URIRef
    name: str
    aliases: tuple[str, ...]
    name_zh: str | None
    same_as: str | None
    note: str | None
    loc: Loc | None = field(default=None, compare=False)
    generic: bool = False


@dataclass(frozen=True)
class Mention:
    """Where a briefing names a registry entity (its quote), and the spellings only this briefing uses."""

    entity: Shared
    span: Span
    aliases: tuple[str, ...]  # beyond the registry's
    draft: DraftMark | None = None


@dataclass(frozen=True)
class Period:
    """A reference period: an instant (``end`` is None) or an interval of whole days."""

    key: str
    label: str
    begin: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class Relation:
    s: str
    p: URIRef
    o: str | URIRef  # an entity id, or a concept of the ontology (a status)
    span: Span
    period: Period | None = None  # when it holds or happened, as the text dates it
    when: Span | None = None  # the words that date it
    antecedent: Span | None = None  # where an earlier sentence names what this one's "these ..." means
    implied: tuple[URIRef, ...] = ()  # the ontology's super-properties of ``p`` (kg:keySector → kg:focusSector)
    draft: DraftMark | None = None


@dataclass(frozen=True)
class Section:
    """A part of the briefing: its heading sentence and the span from it to the next part."""

    id: str
    name: str
    heading: Span
    span: Span
    part_of: str | None
    about: tuple[str, ...]


@dataclass(frozen=True)
class Figure:
    id: str
    indicator: str
    about: str
    value: Decimal
    unit: URIRef
    period: Period | None
    qualifier: URIRef | None
    upper: Decimal | None
    yoy: Decimal | None
    status: URIRef | None
    stated: Span | None
    span: Span
    counts: str | URIRef | None = None  # a group (entity id) or a class of what a count counts
    antecedent: Span | None = None
    draft: DraftMark | None = None


@dataclass(frozen=True)
class Facts:
    briefing: Briefing
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    figures: tuple[Figure, ...]
    sentences: tuple[Span, ...]
    mentions: tuple[tuple[Span, str], ...]  # (span, entity id), every name or alias in the text
    shared: tuple[Mention, ...] = ()  # the registry entities this briefing names, in id order
    sections: tuple[Section, ...] = ()  # in text order
    drafting: Drafting | None = None  # the draft some of these facts come from (kg draft), if any

    def section_of(self, span: Span) -> Section | None:
        """The innermost section a span begins in (None before the first heading)."""
        inside = [s for s in self.sections if s.span.begin <= span.begin < s.span.end]
        return max(inside, key=lambda s: s.span.begin, default=None)

    def spellings(self) -> dict[str, tuple[URIRef, tuple[str, ...]]]:
        """Entity id → its type and every name it goes by in this briefing (registry names included)."""
        return _spellings(self.entities, self.shared)

    def names(self) -> dict[str, str]:
        """Entity id → canonical name, for every entity this briefing declares or names."""
        return {**{m.entity.id: m.entity.name for m in self.shared}, **{e.id: e.name for e in self.entities}}

    def sentences_of(self, span: Span) -> list[Span]:
        """The sentences a span overlaps (usually one)."""
        return [s for s in self.sentences if s.begin < span.end and span.begin < s.end]

    def outline(self) -> Outline:
        """What the checks across briefings need of this one (see Outline)."""
        b = self.briefing
        declared = tuple(Shared(e.id, e.type, e.name, e.aliases, e.name_zh, e.same_as, e.note, e.loc)
                         for e in self.entities)
        return Outline(b.slug, b.meta["title"], b.meta["held"], b.meta.get("event"), b.meta_path,
                       {k: v for k, v in b.meta_lines.items() if k in ("title", "held")}, declared,
                       tuple(m.entity.id for m in self.shared))


@dataclass(frozen=True)
class Outline:
    """What no single briefing can check, of one briefing: its title, day and event, the entities it
    declares and the registry entities it names. Small enough for the build to keep (kg/parts.py), so a
    collection is checked without reading its unchanged briefings again."""

    slug: str
    title: str
    held: dt.date
    event: str | None
    meta_path: Path
    meta_lines: dict[str, int]  # line of "title" and "held" in meta_path
    entities: tuple[Shared, ...]  # those it declares, described as the registry's are (without their quotes)
    named: tuple[str, ...]  # the registry entities it names, in id order

    def meta_error(self, key: str, message: str) -> KgError:
        return KgError(message, self.meta_path, self.meta_lines.get(key))


def check_registry(registry: dict[str, RegistryAnn], vocab: Vocabulary) -> dict[str, Shared]:
    """The registry's entities with their types resolved against the ontology."""
    return {
        e.id: Shared(e.id, _known(vocab.classes, e.type, e.loc, "type"), e.name, e.aliases, e.name_zh, e.same_as,
                     e.note, e.loc, e.generic)
        for e in registry.values()
    }


def derive_facts(briefing: Briefing, ann: Annotations, vocab: Vocabulary,
                 registry: dict[str, Shared] | None = None) -> Facts:
    """Check every annotation and locate its quote; the first problem raises a KgError. ``registry`` holds
    the shared entities that the annotations' mentions refer to (kg/annotations.py checked the ids)."""
    text = briefing.text
    where = str(briefing.text_path.name)
    registry = registry or {}
    ids: dict[str, EntityAnn | Shared] = {}
    first_at: dict[str, Loc] = {}
    declared: list[EntityAnn | MentionAnn] = [*ann.entities, *ann.mentions]
    for d in declared:
        if d.id in first_at:
            first = first_at[d.id]
            raise d.loc.error(f"declared twice (first at {first.path.name}:{first.line}){_moved(d.loc, first)}")
        first_at[d.id] = d.loc
        ids[d.id] = d if isinstance(d, EntityAnn) else registry[d.id]

    def entity_ref(ref: str, loc: Loc, what: str, want: URIRef | None = None) -> str:
        if ref in registry and ref not in ids:
            raise loc.error(f"{what} '{ref}' is a registry entity this briefing does not name: add an entry of "
                            f"only its id and quote ({{id: {ref}, quote: ...}}) to the entities")
        if ref not in ids:
            raise loc.error(f"{what} '{ref}' is not a declared entity{did_you_mean(suggest(ref, ids))}")
        if want is not None and _type_of(ids[ref], vocab) != want:
            raise loc.error(f"{what} '{ref}' must be of type {local_name(want)}, not {_type_name(ids[ref])}")
        return ref

    def locate(quote: str, loc: Loc, within: Span | None = None) -> Span:
        return find_quote(text, quote, loc, where, within)

    reviewed = ann.reviewed()
    for key in META_REFERENCES:  # the metadata names entities of this briefing's annotations
        ref = briefing.meta.get(key)
        if ref is None:
            if reviewed:
                raise briefing.meta_error(key, f"missing key '{key}': a briefing with reviewed annotations names its "
                                               f"{key} (an entity id of its annotations)")
            continue
        if ref in registry and ref not in ids and not reviewed:
            continue  # not annotated yet: the registry declares it; the review adds where the text names it
        if ref in registry and ref not in ids:
            raise briefing.meta_error(key, f"'{key}' '{ref}' is a registry entity the annotations of {briefing.slug} "
                                           "do not name: add an entry of only its id and quote")
        if ref not in ids:
            raise briefing.meta_error(
                key, f"'{key}' '{ref}' is not an entity declared in the annotations of {briefing.slug}")
        want = META_REFERENCE_CLASSES.get(key)
        have = _type_of(ids[ref], vocab)
        if want is not None and have is not None and want not in vocab.graph.transitive_objects(have, RDFS.subClassOf):
            raise briefing.meta_error(
                key, f"'{key}' '{ref}' must be an entity of type {local_name(want)} or below it, "
                     f"not {_type_name(ids[ref])}")

    entities = tuple(
        Entity(e.id, _known(vocab.classes, e.type, e.loc, "type"), e.name, e.aliases, e.name_zh, e.same_as,
               e.note, locate(e.quote, e.loc), e.loc, e.generic, e.draft)
        for e in ann.entities
    )
    shared = tuple(sorted(
        (Mention(registry[m.id], locate(m.quote, m.loc), tuple(a for a in m.aliases if a not in registry[m.id].aliases),
                 m.draft)
         for m in ann.mentions),
        key=lambda m: (m.entity.id, m.draft is not None),
    ))
    def antecedent(quote: str | None, span: Span, loc: Loc) -> Span | None:
        if quote is None:
            return None
        found = locate(quote, loc)
        if found.end > span.begin:
            raise loc.error(f"the antecedent \"{quote}\" must stand before the quote, in an earlier sentence")
        return found

    usable = set(vocab.properties.values())
    relations = []
    for r in ann.relations:
        p = _known(vocab.properties, r.p, r.loc, "property")
        entity_ref(r.s, r.loc, "subject")
        o: str | URIRef = r.o if r.o in ids or r.o not in vocab.statuses else vocab.statuses[r.o]
        if not isinstance(o, URIRef):
            entity_ref(o, r.loc, "object")
        if r.when is not None and r.period is None:
            raise r.loc.error("'when' (the words that date a fact) goes with 'period'")
        span = locate(r.quote, r.loc)
        implied = tuple(sorted(q for q in vocab.graph.transitive_objects(p, RDFS.subPropertyOf)
                               if q != p and isinstance(q, URIRef) and q in usable))
        relations.append(Relation(
            r.s, p, o, span, parse_period(r.period, r.loc) if r.period else None,
            locate(r.when, r.loc, within=span) if r.when else None, antecedent(r.antecedent, span, r.loc),
            implied, r.draft))
    # A drafted relation that a reviewed one states already is nothing to review: the reviewed one stands.
    stated = {(r.s, r.p, r.o) for r in relations if r.draft is None}
    relations = [r for r in relations if r.draft is None or (r.s, r.p, r.o) not in stated]

    def counted(ref: str, loc: Loc) -> str | URIRef:
        if ref in ids or ref in registry:
            return entity_ref(ref, loc, "counts")
        if ref in vocab.classes and vocab.classes[ref] not in BUILD_ONLY:
            return vocab.classes[ref]
        known = [*ids, *(k for k, v in vocab.classes.items() if v not in BUILD_ONLY)]
        raise loc.error(f"'counts' '{ref}' is neither a declared entity nor a class{did_you_mean(suggest(ref, known))}")

    figures: list[Figure] = []
    figure_ids: dict[str, Loc] = {}
    for f in ann.figures:
        if f.id in figure_ids:
            first = figure_ids[f.id]
            raise f.loc.error(f"declared twice (first at {first.path.name}:{first.line}){_moved(f.loc, first)}")
        figure_ids[f.id] = f.loc
        span = locate(f.quote, f.loc)
        if (f.qualifier == "range") != (f.upper is not None):
            raise f.loc.error("'upper' goes with 'qualifier: range', and only with it")
        unit = _known(vocab.units, f.unit, f.loc, "unit")
        _check_numbers(f.value, unit, f.upper, f.yoy, f.unit, f.loc)
        figures.append(Figure(
            f.id, entity_ref(f.indicator, f.loc, "indicator", KG.Indicator), entity_ref(f.about, f.loc, "about"),
            f.value, unit,
            parse_period(f.period, f.loc) if f.period else None,
            _known(vocab.qualifiers, f.qualifier, f.loc, "qualifier") if f.qualifier else None,
            f.upper, f.yoy,
            _known(vocab.statuses, f.status, f.loc, "status") if f.status else None,
            locate(f.stated, f.loc, within=span) if f.stated else None,
            span, counted(f.counts, f.loc) if f.counts else None, antecedent(f.antecedent, span, f.loc), f.draft,
        ))
    sentences = tuple(Span(b, e, text[b:e]) for b, e in sentence_spans(text))
    named = [(ident, names) for ident, (_, names) in _spellings(entities, shared).items()]
    sections = _sections(ann.sections, text, locate, lambda ref, loc: entity_ref(ref, loc, "about"))
    return Facts(briefing, entities, tuple(relations), tuple(figures), sentences, find_mentions(text, named), shared,
                 sections, ann.drafting)


def _sections(declared: Sequence[SectionAnn], text: str, locate: Callable[[str, Loc], Span],
              place: Callable[[str, Loc], str]) -> tuple[Section, ...]:
    """Each section runs from its heading to the next heading that is not inside it (or the end of the text)."""
    by_id: dict[str, SectionAnn] = {}
    for d in declared:
        if d.id in by_id:
            raise d.loc.error("declared twice")
        by_id[d.id] = d
    for d in declared:
        if d.part_of is not None and d.part_of not in by_id:
            raise d.loc.error(f"'part_of' '{d.part_of}' is not a section{did_you_mean(suggest(d.part_of, by_id))}")
        seen, up = {d.id}, d.part_of
        while up is not None:
            if up in seen:
                raise d.loc.error(f"sections are part of each other in a cycle ({' → '.join(sorted(seen))})")
            seen.add(up)
            up = by_id[up].part_of

    def ancestors(ident: str) -> set[str]:
        out, up = set(), by_id[ident].part_of
        while up is not None:
            out.add(up)
            up = by_id[up].part_of
        return out

    headed = sorted(((locate(d.quote, d.loc), d) for d in declared), key=lambda h: h[0].begin)
    out = []
    for i, (heading, d) in enumerate(headed):
        end = next((h.begin for h, later in headed[i + 1:] if d.id not in ancestors(later.id)), len(text))
        if d.part_of is not None:
            parent = next(h for h, p in headed if p.id == d.part_of)
            if parent.begin > heading.begin:
                raise d.loc.error(f"its heading stands before the heading of the section it is part of, '{d.part_of}'")
        out.append(Section(d.id, d.name, heading, Span(heading.begin, end, text[heading.begin:end]), d.part_of,
                           tuple(place(a, d.loc) for a in d.about)))
    return tuple(out)


def _moved(here: Loc, first: Loc) -> str:
    """The hint for an id both in the draft and in a curated file: reviewing moves an item, it does not copy it."""
    if DRAFT_FILE not in (here.path.name, first.path.name):
        return ""
    return f"; an item moved out of {DRAFT_FILE} into a curated file is removed from {DRAFT_FILE}"


def _spellings(entities: Sequence[Entity], shared: Sequence[Mention]) -> dict[str, tuple[URIRef, tuple[str, ...]]]:
    out = {e.id: (e.type, (e.name, *e.aliases)) for e in entities}
    out |= {m.entity.id: (m.entity.type, (m.entity.name, *m.entity.aliases, *m.aliases)) for m in shared}
    return out


def _type_of(e: EntityAnn | Shared, vocab: Vocabulary) -> URIRef | None:
    return e.type if isinstance(e, Shared) else vocab.classes.get(e.type)


def _type_name(e: EntityAnn | Shared) -> str:
    return local_name(e.type) if isinstance(e, Shared) else e.type


def _check_numbers(value: Decimal, unit: URIRef, upper: Decimal | None, yoy: Decimal | None, unit_name: str,
                   loc: Loc) -> None:
    """What a figure's numbers must satisfy beyond being numbers (kg/yamlfile.py bounds their size)."""
    if unit in NON_NEGATIVE_UNITS and value < 0:
        raise loc.error(f"a figure in {unit_name} cannot be negative: {value}")
    if upper is not None and upper <= value:
        raise loc.error(f"'upper' ({upper}) must be greater than 'value' ({value})")
    if yoy is not None and not YOY_MIN <= yoy <= YOY_MAX:
        raise loc.error(f"'yoy' must be a change in percent between {YOY_MIN} and {YOY_MAX}, not {yoy}")


def check_across(briefings: Sequence[Outline]) -> None:
    """What no single briefing can see: an entity declared in two briefings has one type and one
    description (better: it is in the registry), an event one date, and no two briefings share a title
    and a date; the first clash is a KgError naming both places."""
    first_entity: dict[str, Shared] = {}
    first_held: dict[str, Outline] = {}
    first_copy: dict[tuple[object, str], Outline] = {}
    for b in briefings:
        for e in b.entities:
            first = first_entity.setdefault(e.id, e)
            if first.type != e.type and e.loc is not None and first.loc is not None:
                raise e.loc.error(
                    f"typed {local_name(e.type)} here but {local_name(first.type)} at "
                    f"{first.loc.path.parent.name}/{first.loc.path.name}:{first.loc.line}; one entity has one type"
                )
            fields = ("name", "aliases", "name_zh", "same_as", "note")
            differ = [k for k in fields if getattr(first, k) != getattr(e, k)]
            if differ and e.loc is not None and first.loc is not None:
                field = differ[0]
                raise e.loc.error(
                    f"declared with a different {field.replace('_', ' ')} at "
                    f"{first.loc.path.parent.name}/{first.loc.path.name}:{first.loc.line}; "
                    "an entity two briefings declare is declared once, in the registry (data/entities/)"
                )
        same = first_copy.setdefault((b.held, b.title), b)
        if same is not b:
            raise b.meta_error(
                "title",
                f"briefing {b.slug} has the title and date of {same.slug} ({same.meta_path.name}:"
                f"{same.meta_lines.get('title')}): the same briefing twice? Keep one, or give each its own title",
            )
        if b.event is None:  # not annotated yet: no event to compare
            continue
        a = first_held.setdefault(b.event, b)
        if a.held != b.held:
            raise b.meta_error(
                "held",
                f"event '{b.event}' is held on {b.held} here but on {a.held} at "
                f"{a.meta_path.name}:{a.meta_lines.get('held')}; one event has one date",
            )


@dataclass(frozen=True)
class Sharing:
    """How the registry's entities are shared: for each, the briefings that name it (slugs, in order)."""

    named_by: dict[str, tuple[str, ...]]  # registry id → briefing slugs
    registry: dict[str, Shared]

    def counts(self) -> dict[int, int]:
        """Number of briefings → number of registry entities named by that many, fewest briefings first."""
        out: dict[int, int] = {}
        for slugs in self.named_by.values():
            out[len(slugs)] = out.get(len(slugs), 0) + 1
        return dict(sorted(out.items()))

    def unnamed(self) -> list[Shared]:
        """Registry entities no briefing names, in registry order."""
        return [e for e in self.registry.values() if not self.named_by[e.id]]

    def summary(self) -> str:
        """``120 shared entities: 118 named in 1 briefing, 2 in 3 briefings.`` (plurals right).

        >>> Sharing({"a": ("x",), "b": ("x", "y"), "c": ()}, {}).summary()
        '3 shared entities: 1 named in no briefing, 1 in 1 briefing, 1 in 2 briefings.'
        >>> Sharing({"a": ("x",)}, {}).summary()
        '1 shared entity named in 1 briefing.'
        >>> Sharing({"a": ("x", "y"), "b": ("x", "y")}, {}).summary()
        '2 shared entities, each named in 2 briefings.'
        """
        total = len(self.named_by)
        counts = self.counts()
        head = f"{total} shared {'entity' if total == 1 else 'entities'}"
        if len(counts) <= 1:
            return f"{head}{', each' if total > 1 else ''} named in {_briefings(next(iter(counts), 0))}."
        parts = [f"{n} in {_briefings(k)}" for k, n in counts.items()]
        parts[0] = parts[0].replace(" in ", " named in ", 1)
        return f"{head}: {', '.join(parts)}."


def _briefings(n: int) -> str:
    return "no briefing" if n == 0 else f"{n} briefing{'' if n == 1 else 's'}"


def sharing(registry: dict[str, Shared], briefings: Sequence[Outline]) -> Sharing:
    """Which briefings name each registry entity (an entity a briefing mentions, or uses, counts)."""
    named: dict[str, list[str]] = {ident: [] for ident in registry}
    for b in briefings:
        for ident in b.named:
            named[ident].append(b.slug)
    return Sharing({k: tuple(v) for k, v in named.items()}, registry)


def _known(table: dict[str, URIRef], name: str, loc: Loc, what: str) -> URIRef:
    term = table.get(name)
    if term is None or term in BUILD_ONLY:
        usable = sorted(k for k, v in table.items() if v not in BUILD_ONLY)
        hint = did_you_mean(suggest(name, usable), f" (known: {', '.join(usable)})")
        raise loc.error(f"unknown {what} '{name}'{hint}")
    return term


@functools.lru_cache(maxsize=4)
def _folded(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` with each run of white space as one space, and where each of its characters stands in
    ``text``: quotes are found in it by plain search, each run of white space in a quote matching any run
    (the text is wrapped), as a regular expression of the quote's words joined by ``\\s+`` would find
    them, without compiling one per quote.

    >>> _folded("a \\n b")
    ('a b', (0, 1, 4))
    """
    out: list[str] = []
    where: list[int] = []
    for m in re.finditer(r"\s+|\S+", text):
        if m.group()[0].isspace():
            out.append(" ")
            where.append(m.start())
        else:
            out.append(m.group())
            where.extend(range(m.start(), m.end()))
    return "".join(out), tuple(where)


def _occurrences(text: str, quote: str, whole_words: bool = False) -> list[tuple[int, int]]:
    """Where the words of ``quote`` occur in ``text``, as (begin, end) offsets of ``text``, leftmost first and
    not overlapping; with ``whole_words``, only where no letter, digit or underscore touches either end."""
    words = quote.split()
    if not words:
        return []
    folded, where = _folded(text)
    needle = " ".join(words)
    hits: list[tuple[int, int]] = []
    i = folded.find(needle)
    while i >= 0:
        b, e = where[i], where[i + len(needle) - 1] + 1
        if not whole_words or not (_word(text, b - 1) or _word(text, e)):
            hits.append((b, e))
            i = folded.find(needle, i + len(needle))
        else:
            i = folded.find(needle, i + 1)
    return hits


def _word(text: str, i: int) -> bool:
    """Whether ``text[i]`` is a word character (as ``\\w`` is), False outside the text."""
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")


def find_quote(text: str, quote: str, loc: Loc, where: str, within: Span | None = None) -> Span:
    """The one place ``quote`` occurs (inside ``within`` if given); else a KgError with the nearest match."""
    begin, end = (within.begin, within.end) if within else (0, len(text))
    hits = [(b + begin, e + begin) for b, e in _occurrences(text[begin:end], quote)]
    if len(hits) == 1:
        b, e = hits[0]
        return Span(b, e, text[b:e])
    if not hits:
        scope = "the quote of its figure" if within else where
        raise loc.error(f"quote not found in {scope}: \"{quote}\"{_nearest(text[begin:end], quote)}")
    lines = ", ".join(str(text.count("\n", 0, b) + 1) for b, _ in hits)
    raise loc.error(f"quote is ambiguous: \"{quote}\" occurs {len(hits)} times in {where} (lines {lines}); lengthen it")


def _nearest(text: str, quote: str) -> str:
    words = text.split()
    n = max(1, len(quote.split()))
    windows = [" ".join(words[i : i + n]) for i in range(max(1, len(words) - n + 1))]
    close = suggest(" ".join(quote.split()), windows, n=1)
    return f"; nearest: \"{close[0]}\"" if close else ""


_PERIOD = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|\d{2})(?:-(\d{2}))?)?$")


def parse_period(key: str, loc: Loc) -> Period:
    """``2023``, ``2023-H1``, ``2023-Q3``, ``2023-02``, ``2023-09-07`` (an instant: as of that day),
    or ``START/END`` with any of those (``2021/2023-09-07``: from the start of 2021 to that day).

    >>> p = parse_period("2023-H1", None)
    >>> p.label, p.begin.isoformat(), p.end.isoformat()
    ('H1 2023', '2023-01-01', '2023-06-30')
    >>> parse_period("2021/2023-09-07", None).label
    '2021 to 7 September 2023'
    >>> parse_period("2023-09-07", None).end is None  # an instant
    True
    """
    try:
        if "/" in key:
            first, last = key.split("/")
            a, b = _bounds(first), _bounds(last)
            if b[1] < a[0]:
                raise ValueError
            return Period(key, f"{_label(first)} to {_label(last)}", a[0], b[1])
        b0, b1 = _bounds(key)
        instant = key.count("-") == 2
        return Period(key, ("as of " if instant else "") + _label(key), b0, None if instant else b1)
    except ValueError:
        raise loc.error(f"bad period '{key}' (use 2023, 2023-H1, 2023-Q3, 2023-02, 2023-09-07 or START/END)") from None


def _bounds(key: str) -> tuple[dt.date, dt.date]:
    m = _PERIOD.match(key)
    if not m:
        raise ValueError(key)
    year, part, day = int(m.group(1)), m.group(2), m.group(3)
    if part is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if day is not None:
        d = dt.date(year, int(part), int(day))
        return d, d
    if part[0] == "H":
        first = 1 if part == "H1" else 7
        months = 6
    elif part[0] == "Q":
        first, months = 3 * int(part[1]) - 2, 3
    else:
        first, months = int(part), 1
    start = dt.date(year, first, 1)
    last_month = first + months - 1
    end = (dt.date(year + (last_month == 12), last_month % 12 + 1, 1) - dt.timedelta(days=1))
    return start, end


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]


def _label(key: str) -> str:
    m = _PERIOD.match(key)
    assert m
    year, part, day = m.group(1), m.group(2), m.group(3)
    if part is None:
        return year
    if day is not None:
        return f"{int(day)} {_MONTHS[int(part) - 1]} {year}"
    if part[0] in "HQ":
        return f"{part} {year}"
    return f"{_MONTHS[int(part) - 1]} {year}"


def find_mentions(text: str, named: Sequence[tuple[str, Sequence[str]]]) -> tuple[tuple[Span, str], ...]:
    """Every occurrence of an entity's name or alias (``named``: entity id with its names) as whole words;
    where names overlap the longest wins."""
    candidates = []
    for ident, names in named:
        for name in set(names):
            for b, e in _occurrences(text, name, whole_words=True):
                candidates.append((b, e, ident))
    taken: list[tuple[int, int, str]] = []
    covered: set[int] = set()
    # Longest first; among equals the earliest, then the entity id, so the choice is deterministic.
    for begin, end, ident in sorted(set(candidates), key=lambda c: (c[0] - c[1], c[0], c[2])):
        if covered.isdisjoint(range(begin, end)):
            taken.append((begin, end, ident))
            covered.update(range(begin, end))
    return tuple((Span(b, e, text[b:e]), ident) for b, e, ident in sorted(taken))
