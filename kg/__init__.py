"""kg: government press briefings into an RDF knowledge graph, with the sentence behind every fact.

The library behind the ``kg`` command, for notebooks and scripts::

    >>> import kg
    >>> project = kg.find_project()
    >>> ds = kg.load_built(project)            # builds first if data/ or ontology/ changed
    >>> kg.validate_dataset(ds, kg.load_shapes(project.shapes_file)).conforms
    True

Names are imported on first use, so ``import kg`` stays cheap for the command line.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_API = {
    "find_project": "project", "Project": "project", "KgError": "errors",
    "build_dataset": "build", "write_build": "build", "ensure_built": "build", "load_built": "build",
    "read_facts": "build", "validate_dataset": "validate", "load_shapes": "validate",
    "export_bytes": "export", "FORMATS": "export",
    "open_store": "store", "run_query": "query", "load_catalogue": "catalogue", "bind_params": "query",
    "find_entity": "lookup", "describe": "lookup", "search": "lookup",
}
__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
