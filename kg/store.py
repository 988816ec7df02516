"""The built N-Quads into a pyoxigraph store on disk, which every query opens read-only in milliseconds.

This module and the query path import pyoxigraph but never rdflib: `kg query` pays for the interpreter,
click and pyoxigraph, and little else.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from .build import STORE_PREFIX, ensure_built
from .project import Project


def write_store(nquads: Path, dest: Path) -> Path:
    """Bulk-load ``nquads`` into a new store at ``dest``; built beside it and renamed into place."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{STORE_PREFIX}", dir=dest.parent))
    try:
        store = ox.Store(str(tmp))
        fill(store, nquads)
        store.flush()  # no optimize(): at a million triples it adds 2.7 s to the build and saves ms per query
        del store  # closes the database before the folder moves
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def remove_stale_stores(build_dir: Path, keep: Path) -> None:
    """Delete the stores of earlier inputs (and any left half-written by an interrupted build)."""
    for path in build_dir.glob(f"*{STORE_PREFIX}*"):
        if path != keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def load_store(nquads: Path | bytes) -> ox.Store:
    """An in-memory store of an N-Quads file (or its bytes), filled as the on-disk one (when there is none,
    and for the GraphML export, which starts from rdflib)."""
    store = ox.Store()
    fill(store, nquads)
    return store


#: N-Quads lines per bulk load: bounds the loader's memory (about 0.5 GiB at a million triples, against 2
#: GiB in one go) and is no slower.
CHUNK = 100_000


def fill(store: ox.Store, nquads: Path | bytes) -> None:
    """Every quad of ``nquads`` into its named graph, and every triple once more into the default graph.

    The default graph is then the RDF merge of all named graphs, with set semantics: a triple that two
    briefings both state (a shared place's label) matches once. pyoxigraph's own union default graph
    (use_default_graph_as_union) matches it once per graph, duplicating rows and counts, and was far
    slower on some catalogue queries."""
    lines: list[bytes] = []
    with io.BytesIO(nquads) if isinstance(nquads, bytes) else open(nquads, "rb") as f:
        for line in f:
            if line.strip() and not line.startswith(b"#"):
                lines.append(line)
                if len(lines) == CHUNK:
                    _load_chunk(store, lines)
                    lines = []
    _load_chunk(store, lines)


def _load_chunk(store: ox.Store, lines: list[bytes]) -> None:
    # kg writes every quad in a named graph, last term before " ."; dropping it gives the triple. The
    # input is kg's own output, so the loader may skip IRI validation (lenient).
    doubled = b"".join(line + line[: line.rfind(b" <")] + b" .\n" for line in lines)
    try:
        store.bulk_load(doubled, format=ox.RdfFormat.N_QUADS, lenient=True)
    except SyntaxError:  # a quad in the default graph after all: the slow, exact way
        quads = list(ox.parse(b"".join(lines), format=ox.RdfFormat.N_QUADS))
        store.bulk_extend(quads + [ox.Quad(q.subject, q.predicate, q.object) for q in quads])


def open_store(project: Project) -> ox.Store:
    """The project's built dataset as a store, rebuilding first when the inputs changed.

    Opens the on-disk store read-only; when there is none (a build folder written by an older kg), or it
    cannot be opened, loads build/kg.nq into memory instead, so a query never fails for want of a cache."""
    built = ensure_built(project)
    if built.store is not None:
        try:
            return ox.Store.read_only(str(built.store))
        except OSError:
            pass
    return load_store(built.nquads)
