"""build/current into the store a request reads: the current generation, reopened when a build switches it.

kg serve never builds while it serves and takes no lock: ``kg build`` (in another process) writes a new
generation and switches ``build/current`` to it in one rename (kg/build.py). Each request reads the link
once (one ``readlink``, microseconds) and, when it names another generation than the open one, opens the
new generation's store read-only and answers from it; a request already running keeps the store it
started with, so it sees the old complete build or the new complete one, never a mix. The old store is
closed when its last request ends; its files, pruned by the build, are freed by the system then.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..build import CURRENT, STORE_NAME
from ..errors import KgError
from ..store import load_store

#: Linked-data documents (entity pages, their Turtle and JSON-LD) remembered per generation.
DOCUMENTS = 4096


@dataclass
class View:
    """One generation as requests see it: its folder, its store, its triple count, and what was computed
    from it once (the network page), kept as long as the generation is current."""

    generation: Path
    store: ox.Store
    triples: int | None
    link: str = ""  # what build/current said when this was opened
    cache: dict[str, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    documents: OrderedDict[tuple, Any] = field(default_factory=OrderedDict)

    def recall(self, key: tuple) -> Any:
        """What ``remembered`` keeps under ``key``, or None."""
        with self.lock:
            return self.documents.get(key)

    def remembered(self, key: tuple, make: Callable[[], Any]) -> Any:
        """``make()``, remembered under ``key`` for this generation (which never changes), the
        DOCUMENTS most recently used kept. Two requests at once may both make it; the answer is the same."""
        with self.lock:
            if key in self.documents:
                self.documents.move_to_end(key)
                return self.documents[key]
        value = make()
        with self.lock:
            self.documents[key] = value
            while len(self.documents) > DOCUMENTS:
                self.documents.popitem(last=False)
        return value


class Generations:
    """The current generation of ``build_dir``, opened once and reopened when build/current moves."""

    def __init__(self, build_dir: Path):
        self.build_dir = build_dir
        self._link = str(build_dir / CURRENT)
        self._lock = threading.Lock()
        self._view: View | None = None

    def current(self) -> View:
        """The view of the generation build/current names now."""
        for _ in range(3):
            try:
                link = os.readlink(self._link)  # as kg.build.current_generation reads it, without its Paths
            except OSError:
                raise KgError("no built dataset here: run kg build", self.build_dir) from None
            view = self._view
            if view is not None and view.link == link:
                return view
            with self._lock:
                if self._view is not None and self._view.link == link:
                    return self._view
                try:
                    self._view = _open(self.build_dir / link, link)
                    return self._view
                except OSError:  # pruned by a newer build between our look and our open: look again
                    continue
        raise KgError("the built dataset keeps changing; try again", self.build_dir)


def _open(gen: Path, link: str) -> View:
    try:
        triples = json.loads((gen / "stamp.json").read_bytes()).get("triples")
    except (OSError, ValueError):
        triples = None
    store_dir = gen / STORE_NAME
    if store_dir.is_dir():
        try:
            return View(gen, ox.Store.read_only(str(store_dir)), triples, link)
        except OSError:
            pass
    return View(gen, load_store(gen / "kg.nq"), triples, link)  # a build by an older kg: no store on disk
