"""Briefing text and its metadata, read exactly as stored, and split into sentences."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import KgError
from .readfile import read_text
from .syntax import SLUG_RULE, is_language_tag, is_slug, web_url_problem
from .yamlfile import load_yaml

#: Metadata keys: required ones first. Values are strings unless said otherwise.
META_REQUIRED = ("title", "held", "language")
#: Metadata keys whose value is an entity id of the briefing's annotations (kg/facts.py checks they are
#: declared). Required once the briefing has reviewed annotations (kg/facts.py checks that too): a briefing
#: just added (kg add) has no entities to name yet.
META_REFERENCES = ("publisher", "event")
META_OPTIONAL = ("issued", "series", "series_number", "session", "theme", "source_url", "note", "fictional")


@dataclass(frozen=True)
class Briefing:
    """One briefing: its slug (the file stem), its exact text and its metadata."""

    slug: str
    text: str
    meta: dict[str, Any]
    text_path: Path
    meta_path: Path
    meta_lines: dict[str, int] = field(default_factory=dict, compare=False)  # key → line in meta_path

    def meta_error(self, key: str, message: str) -> KgError:
        """A KgError at the line of metadata ``key``."""
        return KgError(message, self.meta_path, self.meta_lines.get(key))


def load_briefing(text_path: Path) -> Briefing:
    """Read ``<slug>.txt`` byte-for-byte (no newline translation) and ``<slug>.meta.yaml`` beside it; the
    slug and every metadata value are checked here, before anything is minted from them."""
    slug = text_path.name.removesuffix(".txt")
    if not is_slug(slug):
        raise KgError(f"a briefing's file name must be {SLUG_RULE} followed by .txt, not {slug!r}", text_path)
    text = read_text(text_path)
    meta_path = text_path.with_suffix(".meta.yaml")
    if not meta_path.exists():
        raise KgError(f"briefing has no metadata file {meta_path.name}", text_path)
    m = load_yaml(meta_path)
    m.check_keys(META_REQUIRED, META_REFERENCES + META_OPTIONAL)
    meta: dict[str, Any] = {k: m.str(k) for k in META_REQUIRED + META_OPTIONAL if k in m}
    for key in META_REFERENCES:
        if key in m:
            meta[key] = m.slug(key)
    for key in ("held", "issued"):
        if key in m:
            meta[key] = m.date(key)
    if "fictional" in m:
        meta["fictional"] = m.bool("fictional")
    held = meta.get("held")
    if held is not None and held > dt.date.today():
        raise m.error(f"'held' is {held.isoformat()}, after today ({dt.date.today().isoformat()}): a briefing "
                      "is added once it was held", "held")
    if "series_number" in m:
        number = meta["series_number"] = m.integer("series_number")
        if number is not None and number < 1:
            raise m.error(f"'series_number' must be 1 or more, not {number}", "series_number")
    language = meta.get("language")
    if language is not None and not is_language_tag(language):
        raise m.error(f"'language' must be a BCP 47 language tag like en or zh-Hans, not '{language}'", "language")
    url = meta.get("source_url")
    problem = web_url_problem(url) if url is not None else None
    if problem:
        raise m.error(f"'source_url' must be an http(s) address: '{url}' {problem}", "source_url")
    for key in META_REQUIRED + META_REFERENCES:
        if (key in META_REQUIRED or key in m) and meta.get(key) is None:
            raise m.error(f"'{key}' must not be empty", key)
    return Briefing(slug, text, meta, text_path, meta_path, {k: m.line_of(k) for k in m.nodes})


# A sentence ends at . ! or ? (and any closing quote or bracket) before white space, or at a blank line.
_SENTENCE_END = re.compile(r"[.!?][”’\"')]*(?=\s)|\n\s*\n")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    r"""The (begin, end) code-point offsets of every sentence, trimmed of surrounding white space.

    >>> text = "Title line\n\nIt grew 24.5%. It said “yes.” Then\nmore."
    >>> [text[b:e] for b, e in sentence_spans(text)]
    ['Title line', 'It grew 24.5%.', 'It said “yes.”', 'Then\nmore.']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        _add_trimmed(text, start, m.end() if not m.group().isspace() else m.start(), spans)
        start = m.end()
    _add_trimmed(text, start, len(text), spans)
    return spans


def _add_trimmed(text: str, begin: int, end: int, spans: list[tuple[int, int]]) -> None:
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    if begin < end:
        spans.append((begin, end))
