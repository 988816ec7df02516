"""Project inputs into the built dataset on disk (build/), rebuilt only when an input changed."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import KgError
from .project import Project

# rdflib and the stages before the dataset are imported inside the functions that build: ensure_built()
# (the freshness check every command runs first) must stay cheap for `kg query`, which never needs rdflib.
if TYPE_CHECKING:
    from rdflib import Dataset

    from .facts import Facts
    from .ontology import Vocabulary


@dataclass(frozen=True)
class Built:
    """What a build wrote. ``nquads`` is the whole dataset; ``graphs`` one Turtle file per named graph."""

    dir: Path
    trig: Path
    nquads: Path
    graphs: dict[str, Path]
    triples: int
    rebuilt: bool
    store: Path | None = None  # the pyoxigraph store of kg.nq that queries open (kg/store.py)


def read_facts(project: Project, vocab: Vocabulary | None = None) -> list[Facts]:
    """Every briefing of the project with its annotations, checked against the ontology (``vocab``, if the
    caller has read it already)."""
    from .annotations import load_annotations
    from .facts import check_across, derive_facts
    from .ontology import load_ontology
    from .source import load_briefing

    if vocab is None:
        vocab = load_ontology(project.ontology_file)
    texts = sorted(project.briefings_dir.glob("*.txt"))
    if not texts:
        raise KgError("no briefing texts (*.txt)", project.briefings_dir)
    facts = [
        derive_facts(b, load_annotations(project.annotations_dir / b.slug), vocab)
        for b in map(load_briefing, texts)
    ]
    check_across(facts)
    return facts


def build_dataset(project: Project) -> Dataset:
    """The dataset in memory: ontology graph plus one graph per briefing."""
    from .dataset import build_graphs
    from .ontology import load_ontology, load_shapes

    vocab = load_ontology(project.ontology_file)
    load_shapes(project.shapes_file)  # an input too: a broken shapes file fails the build before it writes
    return build_graphs(vocab.graph, read_facts(project, vocab))


def input_digest(project: Project) -> str:
    h = hashlib.sha256(f"kg {__version__}\n".encode())
    for path in project.inputs():
        h.update(f"{path.relative_to(project.root)}\n".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def write_build(project: Project, digest: str | None = None) -> Built:
    """Build and write build/: kg.trig, kg.nq, graphs/<name>.ttl and a stamp of the inputs (``digest``,
    if the caller has taken it already).

    Nothing is written unless the whole build succeeds; each file is written to a temporary file and
    renamed into place, and the stamp goes last, so an interrupted build is simply rebuilt next time."""
    from .dataset import ONTOLOGY_GRAPH, graph_iri
    from .store import remove_stale_stores, write_store

    if digest is None:
        digest = input_digest(project)
    ds = build_dataset(project)
    out = project.build_dir
    names = {"ontology": ONTOLOGY_GRAPH, **{p.stem: graph_iri(p.stem) for p in sorted(project.briefings_dir.glob("*.txt"))}}
    files = {
        out / "kg.trig": ds.serialize(format="trig", encoding="utf-8"),
        out / "kg.nq": sorted_lines(ds.serialize(format="nquads", encoding="utf-8")),
    }
    graphs = {}
    for name, iri in names.items():
        path = out / "graphs" / f"{name}.ttl"
        files[path] = ds.graph(iri).serialize(format="turtle", encoding="utf-8")
        graphs[name] = path
    for path, data in files.items():
        atomic_write(path, data)
    store = write_store(out / "kg.nq", store_path(out, digest))
    stamp = {"inputs": digest, "triples": len(ds)}  # the count saves reading kg.nq on every command
    atomic_write(out / "stamp.json", json.dumps(stamp, indent=2).encode() + b"\n")
    remove_stale_stores(out, keep=store)
    for path in (out / "graphs").glob("*.ttl"):  # the graph of a briefing since removed
        if path not in graphs.values():
            path.unlink(missing_ok=True)
    return Built(out, out / "kg.trig", out / "kg.nq", graphs, len(ds), True, store)


def ensure_built(project: Project) -> Built:
    """The built dataset, rebuilding it first when data/ or ontology/ changed since the last build (or a
    built file is missing)."""
    out = project.build_dir
    stamp = out / "stamp.json"
    digest = input_digest(project)
    try:
        recorded = json.loads(stamp.read_text())
        fresh = recorded["inputs"] == digest and (out / "kg.trig").is_file() and (out / "kg.nq").is_file()
    except (OSError, ValueError, KeyError, TypeError):
        fresh = False
    if not fresh:
        return write_build(project, digest)
    graphs = {p.stem: p for p in sorted((out / "graphs").glob("*.ttl"))}
    triples = recorded.get("triples")
    if not isinstance(triples, int):
        with open(out / "kg.nq", "rb") as f:
            triples = sum(1 for _ in f)
    store = store_path(out, digest)
    return Built(out, out / "kg.trig", out / "kg.nq", graphs, triples, False, store if store.is_dir() else None)


#: The start of the folder name of a pyoxigraph store in build/ (kg/store.py writes, opens and prunes them).
STORE_PREFIX = "oxigraph-"


def store_path(build_dir: Path, digest: str) -> Path:
    """Where the pyoxigraph store of the inputs with ``digest`` lives (kg/store.py writes and opens it)."""
    return build_dir / f"{STORE_PREFIX}{digest[:16]}"


def load_built(project: Project) -> Dataset:
    """The built dataset parsed back with rdflib (for validation, export and analytics)."""
    from rdflib import Dataset

    built = ensure_built(project)
    ds = Dataset(default_union=True)  # triple patterns see every named graph
    ds.parse(built.trig, format="trig")
    return ds


def atomic_write(path: Path, data: bytes, what: str = "the file") -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place (creating folders).

    An unwritable place is a KgError naming ``path``, not the temporary file."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise KgError(f"cannot write {what}: {e.strerror or e}", path) from None
    finally:
        if tmp is not None:  # interrupted or failed: leave nothing behind
            Path(tmp).unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def sorted_lines(data: bytes) -> bytes:
    """N-Triples or N-Quads in a stable order (rdflib writes them in hash order), each line once."""
    return b"".join(sorted({line for line in data.splitlines(keepends=True) if line.strip()}))
