"""The built dataset as a pyoxigraph store: the generation's on-disk store opened read-only in milliseconds,
or N-Quads loaded into memory.

This module and the query path import pyoxigraph but never rdflib: `kg query` pays for the interpreter,
click and pyoxigraph, and little else. It reads what kg/build.py writes (the store itself is written
there, inside the build's generation folder); kg/build.py never imports this module.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .build import ensure_built, fill
from .project import Project


def load_store(nquads: Path | bytes) -> ox.Store:
    """An in-memory store of an N-Quads file (or its bytes), filled as the on-disk one (when there is none,
    and for the GraphML export, which starts from rdflib)."""
    store = ox.Store()
    fill(store, nquads)
    return store


def open_store(project: Project) -> ox.Store:
    """The project's built dataset as a store, rebuilding first when the inputs changed.

    Opens the on-disk store of the current generation read-only; when there is none (a build folder written
    by an older kg), or it cannot be opened, loads that generation's kg.nq into memory instead, so a query
    never fails for want of a cache. A build that switches generations and prunes this one between our
    look and our open sends us round once more, to the new generation."""
    for attempt in range(3):
        built = ensure_built(project)
        try:
            if built.store is not None:
                try:
                    return ox.Store.read_only(str(built.store))
                except OSError:
                    pass
            return load_store(built.nquads)
        except OSError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
