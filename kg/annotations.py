"""Curated annotation files (YAML) into plain records, each remembering its file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .errors import KgError
from .syntax import SLUG
from .yamlfile import Mapping, load_yaml

__all__ = ["SLUG", "Annotations", "EntityAnn", "FigureAnn", "Loc", "RelationAnn", "load_annotations"]
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


@dataclass(frozen=True)
class RelationAnn:
    s: str
    p: str
    o: str
    quote: str
    loc: Loc


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


@dataclass(frozen=True)
class Annotations:
    entities: tuple[EntityAnn, ...]
    relations: tuple[RelationAnn, ...]
    figures: tuple[FigureAnn, ...]


ENTITY_KEYS = (("id", "type", "name", "quote"), ("aliases", "name_zh", "same_as", "note"))
RELATION_KEYS = (("s", "p", "o", "quote"), ())
FIGURE_KEYS = (
    ("id", "indicator", "about", "value", "unit", "quote"),
    ("period", "qualifier", "upper", "yoy", "status", "stated"),
)


def load_annotations(folder: Path) -> Annotations:
    """Read every ``*.yaml`` in ``folder`` in name order and merge them.

    Annotation files are spelt ``.yaml`` only: a ``.yml`` (or ``.YAML``) file is refused rather than read,
    so a file is never silently ignored and one name order holds for the whole folder."""
    for other in sorted(folder.glob("*")):
        if other.suffix.lower() in (".yml", ".yaml") and other.suffix != ".yaml":
            raise KgError(f"annotation files end in .yaml, not {other.suffix}: rename it to {other.stem}.yaml", other)
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise KgError("no annotation files (*.yaml) for this briefing", folder)
    entities: list[EntityAnn] = []
    relations: list[RelationAnn] = []
    figures: list[FigureAnn] = []
    for path in files:
        doc = load_yaml(path)
        doc.check_keys((), ("entities", "relations", "figures"))
        entities += [_entity(m) for m in doc.mappings("entities")]
        relations += [_relation(m) for m in doc.mappings("relations")]
        figures += [_figure(m) for m in doc.mappings("figures")]
    return Annotations(tuple(entities), tuple(relations), tuple(figures))


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


def _entity(m: Mapping) -> EntityAnn:
    m.check_keys(*ENTITY_KEYS)
    same_as = m.str("same_as")
    if same_as is not None and not re.fullmatch(r"Q[1-9][0-9]*", same_as):
        raise m.error(f"'same_as' must be a Wikidata id like Q8686, not '{same_as}'", "same_as")
    return EntityAnn(
        _slug(m, "id"), _req(m, "type"), _req(m, "name"), m.strs("aliases"), m.str("name_zh"),
        same_as, m.str("note"), _req(m, "quote"), Loc(m.path, m.line, f"entity '{m.str('id')}'"),
    )


def _relation(m: Mapping) -> RelationAnn:
    m.check_keys(*RELATION_KEYS)
    s, p, o = _slug(m, "s"), _req(m, "p"), _req(m, "o")
    return RelationAnn(s, p, o, _req(m, "quote"), Loc(m.path, m.line, f"relation {s} {p} {o}"))


def _figure(m: Mapping) -> FigureAnn:
    m.check_keys(*FIGURE_KEYS)
    value = m.decimal("value")
    if value is None:
        raise m.error("'value' must not be empty", "value")
    return FigureAnn(
        _slug(m, "id"), _slug(m, "indicator"), _slug(m, "about"), value, _req(m, "unit"), m.str("period"),
        m.str("qualifier"), m.decimal("upper"), m.decimal("yoy"), m.str("status"), m.str("stated"),
        _req(m, "quote"), Loc(m.path, m.line, f"figure '{m.str('id')}'"),
    )
