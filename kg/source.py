"""Briefing text and its metadata, read exactly as stored, and split into sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import KgError
from .yamlfile import load_yaml

#: Metadata keys: required ones first. Values are strings unless said otherwise.
META_REQUIRED = ("title", "held", "publisher", "language", "event")
META_OPTIONAL = ("issued", "series", "series_number", "session", "theme", "source_url", "note")


@dataclass(frozen=True)
class Briefing:
    """One briefing: its slug (the file stem), its exact text and its metadata."""

    slug: str
    text: str
    meta: dict[str, Any]
    text_path: Path
    meta_path: Path


def load_briefing(text_path: Path) -> Briefing:
    """Read ``<slug>.txt`` byte-for-byte (no newline translation) and ``<slug>.meta.yaml`` beside it."""
    try:
        text = text_path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        line = text_path.read_bytes()[: e.start].count(b"\n") + 1
        raise KgError(f"not UTF-8 text ({e.reason})", text_path, line) from None
    meta_path = text_path.with_suffix(".meta.yaml")
    if not meta_path.is_file():
        raise KgError(f"briefing has no metadata file {meta_path.name}", text_path)
    m = load_yaml(meta_path)
    m.check_keys(META_REQUIRED, META_OPTIONAL)
    meta: dict[str, Any] = {k: m.str(k) for k in META_REQUIRED + META_OPTIONAL if k in m}
    for key in ("held", "issued"):
        if key in m:
            meta[key] = m.date(key)
    if "series_number" in m:
        meta["series_number"] = m.integer("series_number")
    return Briefing(text_path.stem, text, meta, text_path, meta_path)


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
