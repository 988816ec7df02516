"""RDF files into rdflib graphs, with parser errors turned into one line naming the file and line; a
dataset's named graphs merged into one graph."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeVar

from rdflib import Dataset, Graph
from rdflib.util import guess_format

from .errors import KgError

G = TypeVar("G", bound=Graph)


def parse_rdf(path: Path, into: G, what: str, format: str | None = None) -> G:
    """Parse ``path`` into ``into`` (format from the extension unless given); bad input is a KgError."""
    fmt = format or guess_format(str(path)) or "turtle"
    try:
        into.parse(path, format=fmt)
    except FileNotFoundError:
        raise KgError(f"{what} not found", path) from None
    except Exception as e:  # rdflib's parsers raise many exception types
        raise parse_error(e, path, f"malformed {what}") from None
    return into


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
    if line is not None:
        try:
            line = min(line, max(1, path.read_bytes().count(b"\n")))
        except OSError:
            pass
    reason = re.search(r"Bad syntax \(([^)]*)\)", text)
    first = next((x.strip() for x in text.splitlines() if x.strip() and not x.startswith("at line")), type(e).__name__)
    return KgError(f"{what}: {reason.group(1) if reason else first}", path, line)
