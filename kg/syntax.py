"""Strings into verdicts: the grammars of what kg writes into RDF (slugs, IRIs, language tags), each
defined once, so every reader checks a value against the same rule before anything is minted from it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: The one slug grammar: briefing file names and every id of the annotations (ASCII lowercase letters and
#: digits, single hyphens between them), so every IRI minted from a slug is valid in every RDF syntax.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_RULE = "a slug of lowercase ASCII letters, digits and single hyphens (like minhang-2023-09-07)"


def is_slug(value: str) -> bool:
    """
    >>> [is_slug(s) for s in ("minhang-2023-09-07", "a b", "Caf\u00e9", "x--y", "ok\\n")]
    [True, False, False, False, False]
    """
    return SLUG.fullmatch(value) is not None


# RFC 3987: characters an IRI may not hold anywhere (space and controls, and the delimiters N-Triples,
# Turtle and RDF/XML cannot carry), and percent signs must start an escape.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")


def iri_problem(iri: str) -> str | None:
    """Why ``iri`` is not an absolute IRI (RFC 3987), or None.

    >>> iri_problem("https://example.org/a%20b"), iri_problem("https://example.org/a b")
    (None, "holds ' '")
    """
    bad = _NOT_IN_IRI.search(iri)
    if bad:
        return f"holds {bad.group()!r}"
    if _BAD_ESCAPE.search(iri):
        return "holds a '%' that starts no escape"
    scheme, colon, _ = iri.partition(":")
    if not colon or not _SCHEME.fullmatch(scheme):
        return "has no scheme"
    return None


def web_url_problem(url: str) -> str | None:
    """Why ``url`` is not an http(s) IRI with a host, or None.

    >>> web_url_problem("javascript:alert(1)"), web_url_problem("https://www.shanghai.gov.cn/x")
    ("is not http(s) (scheme 'javascript')", None)
    """
    problem = iri_problem(url)
    if problem:
        return problem
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return f"is not http(s) (scheme {parts.scheme!r})"
    try:
        host = parts.hostname
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError as e:
        return f"has a bad host or port ({e})"
    if not host:
        return "has no host"
    return None


# RFC 5646 section 2.1, the ABNF of a well-formed language tag (case-insensitive), grandfathered tags included.
_ALNUM = "[a-z0-9]"
_LANGTAG = (
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"  # language, with up to three extlangs
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    rf"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    rf"(?:-[0-9a-wyz](?:-{_ALNUM}{{2,8}})+)*"  # extensions
    rf"(?:-x(?:-{_ALNUM}{{1,8}})+)?"  # private use
)
_GRANDFATHERED = [
    "en-GB-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux", "i-mingo",
    "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE", "art-lojban",
    "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu", "zh-hakka", "zh-min", "zh-min-nan", "zh-xiang",
]
_LANGUAGE_TAG = re.compile(
    rf"{_LANGTAG}|x(?:-{_ALNUM}{{1,8}})+|" + "|".join(re.escape(t) for t in _GRANDFATHERED),
    re.IGNORECASE | re.ASCII,
)


def is_language_tag(tag: str) -> bool:
    """A well-formed BCP 47 language tag (RFC 5646), as ``dcterms:language`` and ``rdf:langString`` need.

    >>> [is_language_tag(t) for t in ("en", "zh-Hans-CN", "de-CH-1996", "en-", "english language", "e")]
    [True, True, True, False, False, False]
    """
    return _LANGUAGE_TAG.fullmatch(tag) is not None
