"""A new briefing's file (a .txt kept byte-for-byte, or a saved web page's main text) into data/briefings/."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .annotations import load_registry
from .build import _umask
from .errors import KgError
from .project import Project
from .readfile import decode_utf8, read_bytes
from .source import load_briefing, sentence_spans
from .syntax import SLUG_RULE, is_slug

__all__ = ["Added", "add_briefing", "page_text"]

#: What ``kg add`` reads, by file name ending.
TEXT_SUFFIXES = (".txt",)
PAGE_SUFFIXES = (".html", ".htm")
#: The byte order marks kg add refuses rather than strips: a briefing's text is kept byte-for-byte.
_BOMS = {b"\xef\xbb\xbf": "UTF-8", b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}
#: The option of kg add that fills each metadata key, so an error about a value names what the user typed.
_OPTION_OF = {"title": "--title", "held": "--date", "publisher": "--publisher", "source_url": "--url",
              "series": "--series", "series_number": "--number", "language": "--language"}


@dataclass(frozen=True)
class Added:
    """What kg add wrote: the slug, the two files, where each metadata value came from, what it could not find."""

    slug: str
    text_path: Path
    meta_path: Path
    sentences: int
    sources: dict[str, str] = field(default_factory=dict)  # metadata key → where its value came from
    missing: tuple[str, ...] = ()  # one line per value it could not fill


@dataclass(frozen=True)
class Page:
    """The main text of a saved web page and what the page says of itself (None where it says nothing)."""

    text: str
    title: str | None
    date: str | None
    url: str | None


def page_text(data: bytes, path: Path) -> Page:
    """The main text of an HTML page (trafilatura: boilerplate, menus and comments left out), one paragraph
    per block separated by blank lines, and the page's title, date and URL when it gives them."""
    import trafilatura

    doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False, include_tables=True)
    body = (getattr(doc, "text", None) or "") if doc is not None else ""
    paragraphs = [" ".join(line.split()) for line in body.splitlines() if line.strip()]
    # trafilatura falls back to whatever text the page has (a menu's "Home"): a main text states something,
    # so it has at least one sentence that ends as one does.
    if not any(re.search(r"\w[.!?。]", p) for p in paragraphs):
        raise KgError("no main text found in the page (no sentence, only headings, menus or boilerplate): "
                      "nothing to add", path)

    def meta(name: str) -> str | None:
        value = getattr(doc, name, None)
        return " ".join(value.split()) if isinstance(value, str) and value.strip() else None

    return Page("\n\n".join(paragraphs) + "\n", meta("title"), meta("date"), meta("url"))


def add_briefing(project: Project, source: Path, *, slug: str | None = None, date: str | None = None,
                 title: str | None = None, publisher: str | None = None, url: str | None = None,
                 series: str | None = None, number: int | None = None, language: str | None = None) -> Added:
    """Register ``source`` as a new briefing of ``project``: ``<slug>.txt`` and ``<slug>.meta.yaml`` in
    data/briefings/. A .txt is copied byte-for-byte (UTF-8 without a byte order mark: anything else is
    refused, never converted); an .html/.htm page gives its main text, title, date and URL.

    Every value is checked by the reader the build uses (kg/source.py) before anything is written; an
    existing briefing of that slug is never overwritten; both files appear or neither does."""
    data = read_bytes(source)
    suffix = source.suffix.lower()
    if suffix not in TEXT_SUFFIXES + PAGE_SUFFIXES:
        raise KgError(f"kg add reads a .txt text or a saved .html/.htm page, not '{source.suffix or source.name}'",
                      source)
    _check_bytes(data, source)
    sources: dict[str, str] = {}
    missing: list[str] = []
    page: Page | None = None
    if suffix in PAGE_SUFFIXES:
        page = page_text(data, source)
        text_bytes = page.text.encode("utf-8")
        text = page.text
    else:
        text_bytes = data
        text = decode_utf8(data, source)
    if not sentence_spans(text):
        raise KgError("empty text: it holds only white space, nothing to add", source)

    slug = slug if slug is not None else _slug_of(source)
    if not is_slug(slug):
        raise KgError(f"--slug must be {SLUG_RULE}, not {slug!r}", source)
    text_path = project.briefings_dir / f"{slug}.txt"
    meta_path = project.briefings_dir / f"{slug}.meta.yaml"
    for taken in (text_path, meta_path, project.annotations_dir / slug):
        if taken.exists():
            raise KgError(f"briefing '{slug}' exists already ({taken.relative_to(project.root)}): kg add never "
                          "overwrites one; give another --slug", source)

    meta: dict[str, Any] = {}

    def fill(key: str, value: object, came_from: str) -> None:
        if value is not None and value != "":
            meta[key] = value
            sources[key] = came_from

    fill("title", title, "--title")
    if "title" not in meta and page is not None:
        fill("title", page.title, "the page's title")
    if "title" not in meta and page is None:
        first = text[slice(*sentence_spans(text)[0])]
        fill("title", " ".join(first.split()) if len(first) <= 300 else None, "the text's first line")
    if "title" not in meta:
        raise KgError("no title found: give --title", source)
    fill("held", date, "--date")
    if page is not None and page.date:
        fill("issued", page.date, "the page's date")
        if "held" not in meta:
            fill("held", page.date, "the page's date (its publication day: give --date if it was held earlier)")
    if "held" not in meta:
        raise KgError("no date found: give --date, the day the briefing was held (like 2024-03-12)", source)
    if publisher is not None:
        registry = load_registry(project.entities_dir)
        if publisher in registry:
            fill("publisher", publisher, "--publisher (an entity of the registry)")
        else:
            missing.append(f"publisher: '{publisher}' is not an entity of the registry (data/entities/); left out: "
                           "add it to the metadata once the annotations declare it")
    else:
        missing.append("publisher: not given (--publisher, a registry entity); add it to the metadata once the "
                       "annotations declare it")
    missing.append("event: the briefing as an event is an entity of its annotations (kg draft proposes one); "
                   "add 'event: ID' to the metadata when reviewing")
    fill("series", series, "--series")
    fill("series_number", number, "--number")
    fill("language", language, "--language")
    if "language" not in meta:
        fill("language", "en", "the default (--language to say otherwise)")
    fill("source_url", url, "--url")
    if "source_url" not in meta and page is not None:
        fill("source_url", page.url, "the page's address")
    if "source_url" not in meta:
        missing.append("source_url: not given (--url)" + (" and the page names none" if page is not None else ""))

    meta_bytes = _meta_yaml(slug, source, meta)
    _check_meta(slug, text_bytes, meta_bytes, meta, source)
    _write_new(meta_path, meta_bytes, source)
    try:
        _write_new(text_path, text_bytes, source)
    except BaseException:
        meta_path.unlink(missing_ok=True)
        raise
    return Added(slug, text_path, meta_path, len(sentence_spans(text)), sources, tuple(missing))


def _check_bytes(data: bytes, source: Path) -> None:
    """Refuse what is not a text: nothing at all, a byte order mark, a NUL byte (a binary file)."""
    if not data.strip():
        raise KgError("empty file: nothing to add", source)
    for bom, name in _BOMS.items():
        if data.startswith(bom):
            raise KgError(f"starts with a {name} byte order mark: save it as UTF-8 without one (kg add keeps the "
                          "text byte-for-byte and converts nothing)", source)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise KgError(f"a binary file, not a text (a NUL byte at offset {nul})", source)


def _slug_of(source: Path) -> str:
    """A slug from the file name (``Larkmoor Briefing 2024-03-12.txt`` → ``larkmoor-briefing-2024-03-12``)."""
    return re.sub(r"[^a-z0-9]+", "-", source.stem.lower()).strip("-")


def _meta_yaml(slug: str, source: Path, meta: dict[str, Any]) -> bytes:
    head = f"# Metadata of {slug}.txt, written by kg add from {source.name}.\n"
    body = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)
    return (head + body).encode("utf-8")


def _check_meta(slug: str, text: bytes, meta_bytes: bytes, meta: dict[str, Any], source: Path) -> None:
    """Read the two files as the build will (kg/source.py: dates not after today, URLs, language tags, ...),
    from a scratch folder, so a bad value is refused before anything is written."""
    with tempfile.TemporaryDirectory(prefix="kg-add-") as tmp:
        (Path(tmp) / f"{slug}.txt").write_bytes(text)
        (Path(tmp) / f"{slug}.meta.yaml").write_bytes(meta_bytes)
        try:
            load_briefing(Path(tmp) / f"{slug}.txt")
        except KgError as e:
            key = _key_at(meta_bytes, e.line)
            option = _OPTION_OF.get(key or "", "")
            raise KgError(f"{option + ': ' if option else ''}{e.message}", source) from None


def _key_at(meta_bytes: bytes, line: int | None) -> str | None:
    """The metadata key written at ``line`` of the file kg add composed."""
    if not line:
        return None
    lines = meta_bytes.decode("utf-8").splitlines()
    if not 0 < line <= len(lines):
        return None
    key, colon, _ = lines[line - 1].partition(":")
    return key if colon and not key.startswith(("#", " ")) else None


def _write_new(path: Path, data: bytes, source: Path) -> None:
    """Write ``path``, which must not exist, in one step: a scratch file beside it, linked into place (a
    link never replaces an existing file, even one that appeared since the check), then removed."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.link(tmp, path)
    except FileExistsError:
        raise KgError(f"{path.name} appeared meanwhile: kg add never overwrites a briefing", source) from None
    except OSError as e:
        raise KgError(f"cannot write {path.name}: {e.strerror or e}", source) from None
    finally:
        Path(tmp).unlink(missing_ok=True)

