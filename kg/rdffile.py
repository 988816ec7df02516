"""RDF files into rdflib graphs, with parser errors turned into one line naming the file and line; a
dataset's named graphs merged into one graph."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from rdflib import Dataset, Graph, URIRef
from rdflib.util import guess_format

from .errors import KgError
from .readfile import read_bytes, read_text
from .syntax import iri_problem

G = TypeVar("G", bound=Graph)


def parse_rdf(path: Path, into: G, what: str, format: str | None = None) -> G:
    """Parse ``path`` into ``into`` (format from the extension unless given); bad input is a KgError.

    Only a regular file is read (kg/readfile.py); every IRI parsed must be a valid IRI (rdflib keeps
    ``<a b>`` with a warning, and the N-Quads written from it would not parse); a literal that is not of
    its datatype is kept quietly, for validation to report."""
    fmt = format or guess_format(str(path)) or "turtle"
    # Every RDF syntax but RDF/XML is UTF-8 by definition: a bad byte is named with its line here.
    data: str | bytes = read_bytes(path) if fmt == "xml" else read_text(path)
    try:
        with _quiet_terms():
            into.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except Exception as e:  # noqa: BLE001  (rdflib's parsers raise many exception types)
        raise parse_error(e, path, f"malformed {what}") from None
    check_iris(into, path, what)
    return into


def check_iris(g: Graph, path: Path, what: str) -> None:
    """A KgError at the first IRI of ``g`` (graph names included) that is not a valid IRI."""
    quads = g.quads((None, None, None, None)) if isinstance(g, Dataset) else ((*t, None) for t in g)
    for quad in quads:
        for term in quad:
            ctx = getattr(term, "identifier", term)  # the graph of a quad may be a Graph
            if isinstance(ctx, URIRef):
                problem = iri_problem(str(ctx))
                if problem:
                    raise KgError(f"malformed {what}: the IRI <{ctx}> {problem}", path, _line_holding(path, str(ctx)))


def _line_holding(path: Path, needle: str) -> int | None:
    try:
        data = read_bytes(path)
    except KgError:
        return None
    at = data.find(needle.encode("utf-8"))
    return data[:at].count(b"\n") + 1 if at >= 0 else None


class _DropTermWarnings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


@contextmanager
def _quiet_terms() -> Iterator[None]:
    """Silence rdflib's term warnings while parsing: it logs a traceback for every ill-typed literal
    (validation reports those) and a warning for every bad IRI (check_iris refuses those)."""
    logger = logging.getLogger("rdflib.term")
    f = _DropTermWarnings()
    logger.addFilter(f)
    try:
        yield
    finally:
        logger.removeFilter(f)


def merged_graph(ds: Dataset) -> Graph:
    """Every triple of every graph of ``ds`` (ontology and briefings together) in one graph, with its prefixes."""
    g = Graph()
    for prefix, ns in ds.namespaces():
        g.bind(prefix, ns, override=True, replace=True)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def parse_error(e: Exception, path: Path, what: str) -> KgError:
    """An rdflib parser error as a one-line KgError at the line it names (clamped to the file)."""
    text = str(e)
    m = re.search(r"line (\d+)", text)
    line = int(m.group(1)) if m else None
    invalid = re.search(r"Invalid line: (.+)", text)  # the N-Triples and N-Quads parsers quote the line instead
    if line is None and invalid:
        line = _line_holding(path, invalid.group(1).strip())
    if line is not None:
        with contextlib.suppress(OSError):
            line = min(line, max(1, path.read_bytes().count(b"\n")))
    reason = re.search(r"Bad syntax \(([^)]*)\)", text)
    first = next((x.strip() for x in text.splitlines() if x.strip() and not x.startswith("at line")), type(e).__name__)
    return KgError(f"{what}: {reason.group(1) if reason else first}", path, line)
