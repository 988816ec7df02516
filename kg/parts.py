"""Each named graph of the build into its part, kept in build/cache/ under a digest of its inputs.

A part is one graph's Turtle (``graph.ttl``), N-Quads (``graph.nq``, sorted), TriG block (``graph.trig``)
and a small ``part.json`` (its triple count, the prefixes its Turtle declares and, for a briefing, its
Outline: what the checks across briefings need). A briefing's part depends on its text, metadata and
annotations folder and on what every part depends on (the ontology, the shapes, the registry and any other
input that is not a briefing's, kg's version, KG_BASE, --reviewed-only); the ontology's and the registry's
parts on the latter only. A build derives only the parts whose key is not cached, the briefings in worker
processes (one per core), and writes the dataset's files by joining the parts in a fixed order (see
:func:`join`), so a build that reuses parts writes the bytes a build from scratch writes.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import hashlib
import json
import multiprocessing as mp
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import KgError
from .prefixes import BASE, PREFIXES
from .project import Project

if TYPE_CHECKING:
    from rdflib import URIRef

    from .annotations import RegistryAnn
    from .facts import Outline, Shared
    from .ontology import Vocabulary

#: build/cache/: one folder per part, named by its key.
CACHE = "cache"
#: The graphs every build has before its briefings': the ontology's, and the registry's (when there is one).
ONTOLOGY, ENTITIES = "ontology", "entities"
#: The start of the name of a build's staging folder in build/cache/, while it derives parts.
STAGE = ".new-"

#: Called as parts are derived: (briefings derived so far, briefings to derive).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Plan:
    """The inputs of a build, digested: ``digest`` of all of them (the stamp's), ``keys`` of each part."""

    digest: str
    keys: dict[str, str]  # ontology, entities, then each briefing's slug → the key of its part
    texts: dict[str, Path]  # briefing slug → its text, in slug order


def plan(project: Project, reviewed_only: bool = False) -> Plan:
    """Read every input once: the whole digest, and the key of each part."""
    # another KG_BASE is another build, and so is one without the drafts
    head = f"kg {__version__} {BASE}{' reviewed-only' if reviewed_only else ''}\n".encode()
    whole, common = hashlib.sha256(head), hashlib.sha256(head)
    texts = {p.name.removesuffix(".txt"): p for p in sorted(project.briefings_dir.glob("*.txt"))}
    own = {slug: hashlib.sha256() for slug in texts}
    for path in project.inputs():
        rel = path.relative_to(project.root)
        line = f"{rel}\n".encode() + hashlib.sha256(path.read_bytes()).digest()
        whole.update(line)
        (own.get(_owner(rel), common)).update(line)
    base = common.hexdigest()
    keys = {name: _key(base, name) for name in (ONTOLOGY, ENTITIES)}
    keys |= {slug: _key(base, f"briefing {slug}", h.hexdigest()) for slug, h in own.items()}
    return Plan(whole.hexdigest(), keys, texts)


def _owner(rel: Path) -> str:
    """The briefing an input belongs to (its slug), or "" for an input of every part."""
    parts = rel.parts
    if parts[:2] == ("data", "briefings") and len(parts) == 3:
        return parts[2].removesuffix(".txt").removesuffix(".meta.yaml")
    if parts[:2] == ("data", "annotations") and len(parts) > 3:
        return parts[2]
    return ""


def _key(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Part:
    """A part in the cache: its graph's name, its folder, its triple count, prefixes and outline."""

    name: str
    dir: Path
    triples: int
    prefixes: tuple[tuple[str, str], ...]
    outline: Outline | None


def derive(project: Project, the_plan: Plan, vocab: Vocabulary, raw: dict[str, RegistryAnn],
           registry: dict[str, Shared], reviewed_only: bool = False,
           progress: Progress | None = None) -> tuple[list[Part], Path | None]:
    """Every part of the plan, in graph order: read from the cache, or derived into a staging folder in
    build/cache/ (returned, to be moved in with :func:`keep` once the whole build succeeded).

    The first briefing (in slug order) that fails raises its KgError, and the staging folder is removed."""
    cache = project.build_dir / CACHE
    todo = [name for name, key in the_plan.keys.items() if not (cache / key / "part.json").is_file()]
    if not todo:
        return [read_part(cache / key, name, project.root) for name, key in the_plan.keys.items()], None
    cache.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=STAGE, dir=cache))
    try:
        if ONTOLOGY in todo or ENTITIES in todo:
            _global_parts(stage, the_plan, vocab, registry)
        slugs = [name for name in todo if name in the_plan.texts]
        _briefing_parts(project, stage, the_plan, slugs, (vocab, raw, registry), reviewed_only, progress)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    parts = [read_part(stage / key if name in todo else cache / key, name, project.root)
             for name, key in the_plan.keys.items()]
    return parts, stage


def keep(stage: Path | None, parts: list[Part]) -> list[Part]:
    """Move the parts derived into ``stage`` into the cache (the caller holds the lock on build/)."""
    if stage is None:
        return parts
    out = []
    for part in parts:
        if part.dir.parent == stage:
            dest = stage.parent / part.dir.name
            if dest.exists():  # another build derived the same part meanwhile
                shutil.rmtree(part.dir)
            else:
                os.replace(part.dir, dest)
            part = Part(part.name, dest, part.triples, part.prefixes, part.outline)
        out.append(part)
    shutil.rmtree(stage, ignore_errors=True)
    return out


def prune(cache: Path, parts: Iterable[Part]) -> None:
    """Remove every cached part but ``parts`` (the caller holds the lock), and the staging folders of
    builds killed over a day ago (a staging folder of a day is another build's, deriving now)."""
    used = {p.dir.name for p in parts}
    for path in cache.iterdir():
        if path.name.startswith(STAGE) and time.time() - path.stat().st_mtime < 86400:
            continue
        if path.name not in used:
            shutil.rmtree(path, ignore_errors=True)


# --- deriving parts -------------------------------------------------------------------------------------

def _global_parts(stage: Path, the_plan: Plan, vocab: Vocabulary, registry: dict[str, Shared]) -> None:
    from .dataset import build_graphs, graph_iri

    ds = build_graphs(vocab.graph, [], registry)
    for name in (ONTOLOGY, ENTITIES):  # an empty registry's part is empty, and cached as such
        write_part(stage / the_plan.keys[name], name, graph_iri(name), list(ds.graph(graph_iri(name))), None,
                   Path("/"))


#: What a worker derives briefings with: the ontology, the registry as read and as checked.
Context = tuple["Vocabulary", dict[str, "RegistryAnn"], dict[str, "Shared"]]
_context: Context | None = None


def _briefing_parts(project: Project, stage: Path, the_plan: Plan, slugs: list[str], context: Context,
                    reviewed_only: bool, progress: Progress | None) -> None:
    """Derive each briefing of ``slugs``: in this process when there is one, else in a pool of processes."""
    global _context
    _context = context  # a forked worker inherits it; another kind reads the inputs again (_start)
    total = len(slugs)
    if progress is not None:
        progress(0, total)
    if total <= 1:
        for slug in slugs:
            _briefing_part(project, slug, reviewed_only, stage / the_plan.keys[slug])
            if progress is not None:
                progress(1, 1)
        return
    workers = min(total, os.cpu_count() or 1)
    # fork shares what this process has read; forking a process that runs other threads (kg serve) may
    # copy a lock some thread holds, so such a process starts fresh workers, which read the inputs again
    fork = threading.active_count() == 1 and "fork" in mp.get_all_start_methods()
    start = mp.get_context("fork" if fork else "spawn")
    with cf.ProcessPoolExecutor(workers, start, initializer=_start, initargs=(project, reviewed_only)) as pool:
        futures = {pool.submit(_briefing_part, project, slug, reviewed_only, stage / the_plan.keys[slug]): i
                   for i, slug in enumerate(slugs)}
        failed: dict[int, BaseException] = {}
        for done, future in enumerate(cf.as_completed(futures), 1):
            if progress is not None:
                progress(done, total)
            if future.cancelled():  # a later briefing's, after an error: as_completed yields those too
                continue
            error = future.exception()
            if error is not None:
                i = futures[future]
                failed[i] = error
                for other, j in futures.items():  # the briefings before it still run: the first error wins
                    if j > i:
                        other.cancel()
        if failed:
            raise failed[min(failed)]


def _start(project: Project, reviewed_only: bool) -> None:
    global _context
    if _context is None:
        from .annotations import load_registry
        from .facts import check_registry
        from .ontology import load_ontology

        vocab = load_ontology(project.ontology_file)
        raw = load_registry(project.entities_dir)
        _context = (vocab, raw, check_registry(raw, vocab))


def _briefing_part(project: Project, slug: str, reviewed_only: bool, dest: Path) -> None:
    from .annotations import load_annotations
    from .dataset import briefing_graph
    from .facts import derive_facts
    from .source import load_briefing

    assert _context is not None
    vocab, raw, registry = _context
    b = load_briefing(project.briefings_dir / f"{slug}.txt")
    facts = derive_facts(b, load_annotations(project.annotations_dir / slug, raw, reviewed_only), vocab, registry)
    iri, triples = briefing_graph(facts)
    write_part(dest, slug, iri, triples, facts.outline(), project.root)


def write_part(dest: Path, name: str, iri: URIRef, triples: list[tuple], outline: Outline | None,
               root: Path) -> None:
    """Write the part of the graph ``iri`` of ``triples`` into the folder ``dest`` (made here), part.json
    last. No rdflib graph is built: kg.rdfwrite writes the bytes rdflib's serializers would."""
    from .dataset import bindings
    from .rdfwrite import nquads, turtle

    ttl = turtle(triples, bindings())
    nq = nquads(triples, iri)
    prefixes, block = trig_block(name, ttl)
    dest.mkdir()
    (dest / "graph.ttl").write_bytes(ttl)
    (dest / "graph.nq").write_bytes(nq)
    (dest / "graph.trig").write_bytes(block)
    summary = {"name": name, "triples": nq.count(b"\n"), "prefixes": prefixes,
               "outline": None if outline is None else outline_json(outline, root)}
    (dest / "part.json").write_bytes(json.dumps(summary, ensure_ascii=False, sort_keys=True).encode())


#: An unescaped triple quote: where a long literal of rdflib's Turtle opens or closes.
_LONG_QUOTE = re.compile(rb'(\\*)"""')
_PREFIX = re.compile(rb"@prefix ([^:]*): <([^>]*)> \.\n")


def trig_block(name: str, ttl: bytes) -> tuple[list[list[str]], bytes]:
    """The prefixes a graph's Turtle declares, and its block of the dataset's TriG: ``kgg:NAME { ... }``,
    the Turtle's statements indented by four spaces (not the lines inside a long literal)."""
    lines = ttl.splitlines(keepends=True)
    prefixes = []
    while lines and (m := _PREFIX.fullmatch(lines[0])):
        prefixes.append([m[1].decode(), m[2].decode()])
        lines.pop(0)
    out = [f"\nkgg:{name} {{".encode()]
    inside = False
    for line in lines:
        out.append(line if inside or line == b"\n" else b"    " + line)
        if b'"""' in line:
            for m in _LONG_QUOTE.finditer(line):
                if len(m[1]) % 2 == 0:
                    inside = not inside
    return prefixes, b"".join(out).rstrip(b"\n") + b"\n}\n"


# --- the dataset's files from the parts -----------------------------------------------------------------

def join(parts: list[Part], gen: Path) -> dict[str, Path]:
    """Write kg.nq, kg.trig and graphs/*.ttl of the generation folder ``gen`` from ``parts`` (in graph
    order): kg.nq is each graph's sorted N-Quads in turn; kg.trig declares every prefix a graph uses (and
    kgg:) then has each graph's block; graphs/NAME.ttl is the part's own file, hard-linked when it can be."""
    prefixes = {("kgg", PREFIXES["kgg"])} | {(p, uri) for part in parts for p, uri in part.prefixes}
    with open(gen / "kg.trig", "wb") as out:
        out.write(b"".join(f"@prefix {p}: <{uri}> .\n".encode() for p, uri in sorted(prefixes)))
        _concat(out, [p.dir / "graph.trig" for p in parts])
        out.write(b"\n")
    with open(gen / "kg.nq", "wb") as out:
        _concat(out, [p.dir / "graph.nq" for p in parts])
    (gen / "graphs").mkdir()
    graphs = {}
    for part in parts:
        graphs[part.name] = gen / "graphs" / f"{part.name}.ttl"
        try:
            os.link(part.dir / "graph.ttl", graphs[part.name])
        except OSError:  # a file system without hard links
            shutil.copyfile(part.dir / "graph.ttl", graphs[part.name])
    return graphs


def _concat(out: Any, files: list[Path]) -> None:
    out.flush()
    for path in files:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            sent = 0
            while sent < size:  # in the kernel, no copy through Python
                n = os.sendfile(out.fileno(), f.fileno(), sent, size - sent)
                if n == 0:
                    break
                sent += n


# --- part.json ------------------------------------------------------------------------------------------

def read_part(folder: Path, name: str, root: Path) -> Part:
    """The part in ``folder`` as :func:`write_part` wrote it (paths of its outline below ``root``)."""
    try:
        data = json.loads((folder / "part.json").read_bytes())
        outline = None if data["outline"] is None else outline_from(data["outline"], root)
        return Part(name, folder, data["triples"], tuple((p, u) for p, u in data["prefixes"]), outline)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise KgError(f"damaged build cache ({e}); remove build/{CACHE}/ and build again", folder) from None


def outline_json(o: Outline, root: Path) -> dict[str, Any]:
    def rel(path: Path) -> str:
        return str(path.relative_to(root))

    return {"slug": o.slug, "title": o.title, "held": o.held.isoformat(), "event": o.event,
            "meta_path": rel(o.meta_path), "meta_lines": o.meta_lines, "named": list(o.named),
            "entities": [[e.id, str(e.type), e.name, list(e.aliases), e.name_zh, e.same_as, e.note,
                          None if e.loc is None else [rel(e.loc.path), e.loc.line, e.loc.what]]
                         for e in o.entities]}


def outline_from(data: dict[str, Any], root: Path) -> Outline:
    from rdflib import URIRef

    from .annotations import Loc
    from .facts import Outline, Shared

    paths: dict[str, Path] = {}  # a part's entities lie in a few files: one Path each (pathlib is slow)
    kinds: dict[str, URIRef] = {}

    def declared(e: list[Any]) -> Shared:
        ident, kind, name, aliases, name_zh, same_as, note, loc = e
        if loc is None:
            where = None
        else:
            path = paths.get(loc[0]) or paths.setdefault(loc[0], root / loc[0])
            where = Loc(path, loc[1], loc[2])
        kind = kinds.get(kind) or kinds.setdefault(kind, URIRef(kind))
        return Shared(ident, kind, name, tuple(aliases), name_zh, same_as, note, where)

    return Outline(data["slug"], data["title"], dt.date.fromisoformat(data["held"]), data["event"],
                   root / data["meta_path"], data["meta_lines"], tuple(map(declared, data["entities"])),
                   tuple(data["named"]))
