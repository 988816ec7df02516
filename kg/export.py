"""The built dataset into files other tools read: a registry of export formats, Turtle first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset

from .errors import KgError
from .rdffile import merged_graph
from .rdfwrite import serialize


@dataclass(frozen=True)
class Format:
    """An export format. ``quads`` formats keep the named graphs; the others merge them into one graph."""

    name: str
    rdflib_format: str
    extension: str
    media_type: str
    quads: bool
    write: Callable[[Dataset], bytes] | None = None

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension,)


def _graphml(ds: Dataset) -> bytes:
    """The entity network (entities, relations, figures as attributes) as GraphML; see kg/graphview.py."""
    from .graphview import write_graphml

    return write_graphml(ds)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", "turtle", "ttl", "text/turtle", quads=False),
        Format("nt", "nt", "nt", "application/n-triples", quads=False),
        Format("nquads", "nquads", "nq", "application/n-quads", quads=True),
        Format("trig", "trig", "trig", "application/trig", quads=True),
        Format("jsonld", "json-ld", "jsonld", "application/ld+json", quads=True),
        Format("xml", "xml", "rdf", "application/rdf+xml", quads=False),
        Format("graphml", "graphml", "graphml", "application/graphml+xml", quads=False, write=_graphml),
    )
}


def register_format(fmt: Format) -> None:
    """Add a format (e.g. graphml from the analytics stage) to the registry."""
    FORMATS[fmt.name] = fmt


def export_format(name: str) -> Format:
    """The registered format called ``name``, else a KgError listing them."""
    fmt = FORMATS.get(name)
    if fmt is None:
        raise KgError(f"unknown export format '{name}' (known: {', '.join(FORMATS)})")
    return fmt


def format_for_path(path: Path | None) -> str:
    """The format a file name asks for by its extension (``.nq`` → nquads); Turtle when none matches.

    >>> format_for_path(Path("all.nq")), format_for_path(Path("graph.GraphML")), format_for_path(None)
    ('nquads', 'graphml', 'turtle')
    """
    from .formats import by_extension

    return (by_extension(path, FORMATS.values()) if path is not None else None) or "turtle"


def export_bytes(ds: Dataset, format: str = "turtle") -> bytes:
    """The dataset in ``format``: the same bytes for the same dataset in every process (kg/rdfwrite.py)."""
    fmt = export_format(format)
    if fmt.write is not None:
        return fmt.write(ds)
    return serialize(ds if fmt.quads else merged_graph(ds), fmt.rdflib_format)
