"""Curated annotation files (YAML) into plain records, each remembering its file and line."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .errors import KgError
from .suggest import did_you_mean, suggest
from .syntax import SLUG
from .yamlfile import Mapping, load_yaml

__all__ = ["DRAFT_FILE", "SLUG", "Annotations", "DraftMark", "Drafting", "EntityAnn", "FigureAnn", "Loc", "MentionAnn",
           "RegistryAnn", "RelationAnn", "SectionAnn", "load_annotations", "load_registry"]
#: SLUG: the one slug grammar (kg/syntax.py), for ids here and briefing names in kg/source.py.


@dataclass(frozen=True)
class Loc:
    """Where an annotation was written, and which one it is (``entity 'huawei'``), for error messages."""

    path: Path
    line: int
    what: str

    def error(self, message: str) -> KgError:
        return KgError(f"{self.what}: {message}", self.path, self.line)


@dataclass(frozen=True)
class DraftMark:
    """What ``kg draft`` says of an item it proposed: the rule that proposed it and how sure it is (0 to 1)."""

    confidence: Decimal
    rule: str


@dataclass(frozen=True)
class Drafting:
    """The header of a draft file (``draft: {generator: kg draft, version: ...}``): which tool wrote it."""

    path: Path
    generator: str
    version: str


@dataclass(frozen=True)
class EntityAnn:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    name_zh: str | None
    same_as: str | None
    note: str | None
    quote: str
    loc: Loc
    generic: bool = False  # an unnamed or collective mention ("a batch of key parks"), not a named individual
    draft: DraftMark | None = None  # set on an item of draft.yaml: not reviewed yet


@dataclass(frozen=True)
class MentionAnn:
    """A briefing naming a registry entity: where it does (``quote``) and how it spells it (``aliases``)."""

    id: str
    aliases: tuple[str, ...]
    quote: str
    loc: Loc
    draft: DraftMark | None = None  # set on an item of draft.yaml: not reviewed yet


@dataclass(frozen=True)
class RegistryAnn:
    """An entity of the registry (data/entities/*.yaml): declared once for every briefing, with no quote."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    name_zh: str | None
    same_as: str | None
    note: str | None
    loc: Loc
    generic: bool = False


@dataclass(frozen=True)
class RelationAnn:
    s: str
    p: str
    o: str
    quote: str
    loc: Loc
    period: str | None = None  # when the fact holds or happened, as the text dates it (2023-02, 2021/2023-09-07)
    when: str | None = None  # the words that date it, inside the quote ("in February of this year")
    antecedent: str | None = None  # a quote in an earlier sentence naming what "these ... respectively" means
    draft: DraftMark | None = None  # set on an item of draft.yaml: not reviewed yet


@dataclass(frozen=True)
class FigureAnn:
    id: str
    indicator: str
    about: str
    value: Decimal
    unit: str
    period: str | None
    qualifier: str | None
    upper: Decimal | None
    yoy: Decimal | None
    status: str | None
    stated: str | None
    quote: str
    loc: Loc
    counts: str | None = None  # what a count counts: an entity id (a group) or a class of the ontology (Park)
    antecedent: str | None = None
    draft: DraftMark | None = None  # set on an item of draft.yaml: not reviewed yet


@dataclass(frozen=True)
class SectionAnn:
    """A part of the briefing: from its heading sentence (``quote``) to the next section's heading."""

    id: str
    name: str
    quote: str
    part_of: str | None
    about: tuple[str, ...]  # the places the section is about, where its heading says so
    loc: Loc


@dataclass(frozen=True)
class Annotations:
    entities: tuple[EntityAnn, ...]
    relations: tuple[RelationAnn, ...]
    figures: tuple[FigureAnn, ...]
    mentions: tuple[MentionAnn, ...] = ()
    sections: tuple[SectionAnn, ...] = ()
    drafting: Drafting | None = None  # the header of draft.yaml, when the folder holds a draft

    def reviewed(self) -> bool:
        """Whether any item is reviewed (written by hand or moved out of the draft)."""
        items: tuple[EntityAnn | MentionAnn | RelationAnn | FigureAnn, ...] = (
            *self.entities, *self.mentions, *self.relations, *self.figures)
        return any(item.draft is None for item in items)


ENTITY_KEYS = (("id", "type", "name", "quote"), ("aliases", "name_zh", "same_as", "note", "generic"))
MENTION_KEYS = (("id", "quote"), ("aliases",))
REGISTRY_KEYS = (("id", "type", "name"), ("aliases", "name_zh", "same_as", "note", "generic"))
RELATION_KEYS = (("s", "p", "o", "quote"), ("period", "when", "antecedent"))
FIGURE_KEYS = (
    ("id", "indicator", "about", "value", "unit", "quote"),
    ("period", "qualifier", "upper", "yoy", "status", "stated", "counts", "antecedent"),
)
SECTION_KEYS = (("id", "name", "quote"), ("part_of", "about"))


#: The one file of a folder that ``kg draft`` writes. With a top-level ``draft:`` header it is a draft: its
#: items carry ``confidence`` and ``rule``, keys no other file may use (``generic`` is a curated key). Without
#: the header it is an ordinary curated file of that name.
DRAFT_FILE = "draft.yaml"
DRAFT_HEADER_KEYS = (("generator", "version"), ())
#: Keys an item of a draft carries beyond the curated format: required, then optional.
DRAFT_ITEM_KEYS = (("confidence", "rule"), ())


def load_annotations(folder: Path, registry: dict[str, RegistryAnn] | None = None,
                     reviewed_only: bool = False) -> Annotations:
    """Read every ``*.yaml`` in ``folder`` in name order and merge them.

    An entity entry of only ``id`` and ``quote`` (and ``aliases``, as this briefing spells the name) is a
    mention of the ``registry`` entity of that id; an entry that gives more for a registry id redeclares it,
    and is refused naming both places.

    A folder that does not exist, or holds no annotation file, is a briefing not annotated yet: no items.
    ``draft.yaml`` with a ``draft:`` header is read as a draft (see DRAFT_FILE), or skipped with
    ``reviewed_only``.

    Annotation files are spelt ``.yaml`` only: a ``.yml`` (or ``.YAML``) file is refused rather than read,
    so a file is never silently ignored and one name order holds for the whole folder."""
    if not folder.is_dir():
        return Annotations((), (), ())
    for other in sorted(folder.glob("*")):
        if other.suffix.lower() in (".yml", ".yaml") and other.suffix != ".yaml":
            raise KgError(f"annotation files end in .yaml, not {other.suffix}: rename it to {other.stem}.yaml", other)
    registry = registry or {}
    entities: list[EntityAnn] = []
    mentions: list[MentionAnn] = []
    relations: list[RelationAnn] = []
    figures: list[FigureAnn] = []
    sections: list[SectionAnn] = []
    drafting: Drafting | None = None
    for path in sorted(folder.glob("*.yaml")):
        doc = load_yaml(path)
        is_draft = path.name == DRAFT_FILE and "draft" in doc
        if is_draft and reviewed_only:
            continue
        doc.check_keys((), ("draft", "entities", "relations", "figures", "sections") if is_draft else
                       ("entities", "relations", "figures", "sections"))
        if is_draft:
            drafting = _drafting(doc)
        for m in doc.mappings("entities"):
            m, mark = _draft_mark(m) if is_draft else (m, None)
            if set(m.nodes) <= {*MENTION_KEYS[0], *MENTION_KEYS[1]} and "id" in m:
                mentions.append(dataclasses.replace(_mention(m, registry), draft=mark))
            else:
                entities.append(dataclasses.replace(_entity(m, registry), draft=mark))
        for m in doc.mappings("relations"):
            m, mark = _draft_mark(m) if is_draft else (m, None)
            relations.append(dataclasses.replace(_relation(m), draft=mark))
        for m in doc.mappings("figures"):
            m, mark = _draft_mark(m) if is_draft else (m, None)
            figures.append(dataclasses.replace(_figure(m), draft=mark))
        sections += [_section(m) for m in doc.mappings("sections")]
    return Annotations(tuple(entities), tuple(relations), tuple(figures), tuple(mentions), tuple(sections),
                       drafting)


def _drafting(doc: Mapping) -> Drafting:
    """The ``draft:`` header of a draft file."""
    header = doc.mapping("draft")
    header.check_keys(*DRAFT_HEADER_KEYS)
    return Drafting(doc.path, _req(header, "generator"), _req(header, "version"))


def _draft_mark(m: Mapping) -> tuple[Mapping, DraftMark]:
    """An item of a draft: its draft keys read and checked, and the item without them (a curated item)."""
    required, optional = DRAFT_ITEM_KEYS
    for key in required:
        if key not in m:
            raise m.error(f"missing key '{key}' (every item of a draft says which rule proposed it, and how surely)")
    confidence = m.decimal("confidence")
    if confidence is None or not 0 <= confidence <= 1:
        raise m.error(f"'confidence' must be a number from 0 to 1, not {m.str('confidence')}", "confidence")
    rest = Mapping(m.path, m.line, {k: v for k, v in m.nodes.items() if k not in (*required, *optional)})
    return rest, DraftMark(confidence.normalize(), _req(m, "rule"))


def load_registry(folder: Path) -> dict[str, RegistryAnn]:
    """Read every ``*.yaml`` of the registry ``folder`` (data/entities/) in name order: one mapping with an
    ``entities`` list per file. Each id is declared once in the whole registry; a second declaration (of
    the same type or another) is refused naming both places. A missing folder is an empty registry."""
    if not folder.is_dir():
        return {}
    for other in sorted(folder.glob("*")):
        if other.suffix.lower() in (".yml", ".yaml") and other.suffix != ".yaml":
            raise KgError(f"registry files end in .yaml, not {other.suffix}: rename it to {other.stem}.yaml", other)
    registry: dict[str, RegistryAnn] = {}
    for path in sorted(folder.glob("*.yaml")):
        doc = load_yaml(path)
        doc.check_keys((), ("entities",))
        for m in doc.mappings("entities"):
            if "quote" in m:
                raise m.error("the registry is not a text: its entities have no 'quote' (a briefing that names "
                              "one gives it, in an entry of only 'id' and 'quote')", "quote")
            m.check_keys(*REGISTRY_KEYS)
            e = RegistryAnn(_slug(m, "id"), _req(m, "type"), _req(m, "name"), m.strs("aliases"), m.str("name_zh"),
                            _same_as(m), m.str("note"), Loc(m.path, m.line, f"entity '{m.str('id')}'"),
                            bool(m.bool("generic")))
            first = registry.get(e.id)
            if first is not None:
                clash = (f"typed {e.type} here but {first.type} at {_where(first.loc)}; one entity has one type"
                         if e.type != first.type else f"declared twice in the registry (first at {_where(first.loc)})")
                raise e.loc.error(clash)
            registry[e.id] = e
    return registry


def _where(loc: Loc) -> str:
    """``folder/file.yaml:line``: enough to find a declaration among the briefings' folders and the registry."""
    return f"{loc.path.parent.name}/{loc.path.name}:{loc.line}"


def _same_as(m: Mapping) -> str | None:
    same_as = m.str("same_as")
    if same_as is not None and not re.fullmatch(r"Q[1-9][0-9]*", same_as):
        raise m.error(f"'same_as' must be a Wikidata id like Q8686, not '{same_as}'", "same_as")
    return same_as


def _slug(m: Mapping, key: str) -> str:
    value = m.slug(key)
    if value is None:
        raise m.error(f"'{key}' must not be empty", key)
    return value


def _req(m: Mapping, key: str) -> str:
    value = m.str(key)
    if value is None:
        raise m.error(f"'{key}' must not be empty", key)
    return value


def _mention(m: Mapping, registry: dict[str, RegistryAnn]) -> MentionAnn:
    ident = _slug(m, "id")
    loc = Loc(m.path, m.line, f"entity '{ident}'")
    if ident not in registry:
        known = sorted(registry)
        hint = did_you_mean(suggest(ident, known)) if known else ""
        raise loc.error(f"has no type or name, and the registry (data/entities/) declares no entity '{ident}'{hint}")
    return MentionAnn(ident, m.strs("aliases"), _req(m, "quote"), loc)


def _entity(m: Mapping, registry: dict[str, RegistryAnn]) -> EntityAnn:
    ident = m.slug("id")
    if ident is not None and ident in registry:
        extra = ", ".join(k for k in m.nodes if k not in ("id", *MENTION_KEYS[0], *MENTION_KEYS[1]))
        raise m.error(
            f"entity '{ident}' redeclares the registry entity declared at {_where(registry[ident].loc)} (it gives "
            f"{extra}); name it here with only 'id' and 'quote' (and 'aliases')", "id")
    m.check_keys(*ENTITY_KEYS)
    return EntityAnn(
        _slug(m, "id"), _req(m, "type"), _req(m, "name"), m.strs("aliases"), m.str("name_zh"),
        _same_as(m), m.str("note"), _req(m, "quote"), Loc(m.path, m.line, f"entity '{m.str('id')}'"),
        bool(m.bool("generic")),
    )


def _relation(m: Mapping) -> RelationAnn:
    m.check_keys(*RELATION_KEYS)
    s, p, o = _slug(m, "s"), _req(m, "p"), _req(m, "o")
    return RelationAnn(s, p, o, _req(m, "quote"), Loc(m.path, m.line, f"relation {s} {p} {o}"), m.str("period"),
                       m.str("when"), m.str("antecedent"))


def _figure(m: Mapping) -> FigureAnn:
    m.check_keys(*FIGURE_KEYS)
    value = m.decimal("value")
    if value is None:
        raise m.error("'value' must not be empty", "value")
    return FigureAnn(
        _slug(m, "id"), _slug(m, "indicator"), _slug(m, "about"), value, _req(m, "unit"), m.str("period"),
        m.str("qualifier"), m.decimal("upper"), m.decimal("yoy"), m.str("status"), m.str("stated"),
        _req(m, "quote"), Loc(m.path, m.line, f"figure '{m.str('id')}'"), m.str("counts"), m.str("antecedent"),
    )


def _section(m: Mapping) -> SectionAnn:
    m.check_keys(*SECTION_KEYS)
    ident = _slug(m, "id")
    return SectionAnn(ident, _req(m, "name"), _req(m, "quote"), m.slug("part_of"), m.strs("about"),
                      Loc(m.path, m.line, f"section '{ident}'"))
