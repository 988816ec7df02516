"""Sentences of a briefing, by spaCy's blank English pipeline and its rule-based sentencizer (no model)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..source import _add_trimmed as add_trimmed  # the build's trimming of a sentence


@lru_cache(maxsize=1)
def _nlp() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentences(text: str) -> list[tuple[int, int]]:
    """The (begin, end) code-point offsets of every sentence, trimmed of white space; a blank line ends one.

    >>> t = "Title line\\n\\nIt grew 24.5% in 2023. It has 9 parks."
    >>> [t[b:e] for b, e in sentences(t)]
    ['Title line', 'It grew 24.5% in 2023.', 'It has 9 parks.']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for block in text.split("\n\n"):
        doc = _nlp()(block)
        for sent in doc.sents:
            add_trimmed(text, start + sent.start_char, start + sent.end_char, spans)
        start += len(block) + 2
    return spans
