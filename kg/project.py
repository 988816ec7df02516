"""Where a kg project keeps its inputs (data/, ontology/) and its built dataset (build/)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import KgError


@dataclass(frozen=True)
class Project:
    """The folders of one project; every path kg reads or writes is derived here."""

    root: Path

    @property
    def briefings_dir(self) -> Path:
        return self.root / "data" / "briefings"

    @property
    def annotations_dir(self) -> Path:
        return self.root / "data" / "annotations"

    @property
    def entities_dir(self) -> Path:
        """The registry of entities that more than one briefing names (``*.yaml``)."""
        return self.root / "data" / "entities"

    @property
    def ontology_file(self) -> Path:
        return self.root / "ontology" / "kg.ttl"

    @property
    def shapes_file(self) -> Path:
        return self.root / "ontology" / "kg-shapes.ttl"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    def inputs(self) -> list[Path]:
        """Every file whose change makes the built dataset stale, in a stable order."""
        files = [p for d in (self.root / "data", self.root / "ontology") for p in d.rglob("*") if p.is_file()]
        return sorted(files)


def find_project(root: Path | str | None = None) -> Project:
    """The project at ``root``, else $KG_PROJECT, else the working directory, else this checkout."""
    here = Path(__file__).parent.parent
    candidates = [root] if root is not None else [os.environ.get("KG_PROJECT"), Path.cwd(), here]
    for c in candidates:
        if c is None or c == "":
            continue
        p = Path(c)
        if (p / "data" / "briefings").is_dir() and (p / "ontology").is_dir():
            return Project(p.resolve())
        if root is not None:
            raise KgError("not a kg project (no data/briefings/ and ontology/ here)", p)
    raise KgError("no kg project found: run kg in a folder with data/briefings/ and ontology/, or pass --project")
