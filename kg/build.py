"""Project inputs into the built dataset on disk (build/), rebuilt only when an input changed.

Each build writes a fresh generation folder ``build/gen-XXXXXXXX/`` (kg.trig, kg.nq, graphs/*.ttl, the
pyoxigraph store ``oxigraph/``, and stamp.json last) and then switches the symlink ``build/current`` to
it in one rename, all under a lock on build/ (``build/.lock``, filelock), and removes the older
generations. ``build/kg.trig``, ``build/kg.nq``, ``build/graphs`` and ``build/stamp.json`` are fixed
symlinks into ``current/``, so the documented paths stay. A reader resolves ``current`` once and reads
that one generation, so it sees the old complete build or the new complete one, never a mix; reading a
fresh build takes no lock. A generation's files are joined from one part per named graph, cached in
``build/cache/`` and derived again only when that graph's inputs changed (kg/parts.py); its store is the
previous generation's, updated, when few graphs changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import io
import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .errors import KgError
from .project import Project

# rdflib and the stages before the dataset are imported inside the functions that build: ensure_built()
# (the freshness check every command runs first) must stay cheap for `kg query`, which never needs rdflib.
if TYPE_CHECKING:
    import pyoxigraph as ox
    from filelock import FileLock
    from rdflib import Dataset

    from .facts import Facts, Sharing
    from .ontology import Vocabulary
    from .parts import Part, Plan, Progress


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
    generation: Path | None = None  # the generation folder all of the above lie in
    sharing: Sharing | None = None  # how the registry's entities are shared (set when this call built)


def read_facts(project: Project, vocab: Vocabulary | None = None, reviewed_only: bool = False) -> list[Facts]:
    """Every briefing of the project with its annotations, checked against the ontology (``vocab``, if the
    caller has read it already) and the entity registry; with ``reviewed_only``, without the drafts."""
    return read_collection(project, vocab, reviewed_only)[0]


def read_collection(project: Project, vocab: Vocabulary | None = None,
                    reviewed_only: bool = False) -> tuple[list[Facts], Sharing]:
    """Every briefing's facts, and how the registry's entities (data/entities/) are shared among them."""
    from .annotations import load_annotations, load_registry
    from .facts import check_across, check_registry, derive_facts, sharing
    from .ontology import load_ontology
    from .source import load_briefing

    if vocab is None:
        vocab = load_ontology(project.ontology_file)
    texts = sorted(project.briefings_dir.glob("*.txt"))
    if not texts:
        raise KgError("no briefing texts (*.txt)", project.briefings_dir)
    raw = load_registry(project.entities_dir)
    registry = check_registry(raw, vocab)
    facts = [
        derive_facts(b, load_annotations(project.annotations_dir / b.slug, raw, reviewed_only), vocab, registry)
        for b in map(load_briefing, texts)
    ]
    outlines = [f.outline() for f in facts]
    check_across(outlines)
    return facts, sharing(registry, outlines)


def build_dataset(project: Project, reviewed_only: bool = False) -> Dataset:
    """The dataset in memory: ontology graph, registry graph (if any) plus one graph per briefing; with
    ``reviewed_only``, leaving out what kg draft proposed (data/annotations/*/draft.yaml)."""
    from .dataset import build_graphs
    from .ontology import load_ontology, load_shapes

    vocab = load_ontology(project.ontology_file)
    load_shapes(project.shapes_file)  # an input too, as for a build
    facts, shared = read_collection(project, vocab, reviewed_only)
    return build_graphs(vocab.graph, facts, shared.registry)


def input_digest(project: Project, reviewed_only: bool = False) -> str:
    """The digest of every input (kg/parts.py), which the stamp of a build records."""
    from .parts import plan

    return plan(project, reviewed_only).digest


def write_build(project: Project, reviewed_only: bool = False, progress: Progress | None = None) -> Built:
    """Build the dataset and write a new generation of build/ (see the module docstring), under the lock.

    Only the briefings whose inputs changed are read and derived again (kg/parts.py), ``progress`` told
    as each is. Nothing is switched into place unless the whole build succeeds; a build killed at any
    moment leaves the previous generation current and a half-written folder that the next build removes.
    With ``reviewed_only`` the drafts are left out, and the commands that rebuild keep leaving them out
    (ensure_built) until a build without it."""
    return _rebuild(project, reviewed_only, progress)


def ensure_built(project: Project, progress: Progress | None = None) -> Built:
    """The built dataset, rebuilding it first when data/ or ontology/ changed since the last build (or a
    built file is missing).

    A fresh build is read without the lock; a rebuild takes it (once the parts are derived) and checks
    again once it has it, since another process may have just built the same inputs.

    A rebuild keeps the mode of the current build: after ``kg build --reviewed-only`` the drafts stay out."""
    from .parts import plan

    reviewed_only = _reviewed_only(project)
    the_plan = plan(project, reviewed_only)
    built = _current(project, the_plan.digest)
    if built is not None:
        return built
    return _rebuild(project, reviewed_only, progress, the_plan)


def _rebuild(project: Project, reviewed_only: bool, progress: Progress | None, the_plan: Plan | None = None) -> Built:
    """Derive the parts that are not cached, check the collection, then write a generation under the lock.

    Given ``the_plan`` (a stale build was found from it), the inputs are not digested again, and no
    generation is written if one from the same inputs is current once the lock is held."""
    from .annotations import load_registry
    from .facts import check_across, check_registry, sharing
    from .ontology import load_ontology, load_shapes
    from .parts import CACHE, derive, keep, plan, prune

    recheck = the_plan is not None
    if the_plan is None:
        the_plan = plan(project, reviewed_only)  # before the inputs are read: a change meanwhile makes it stale
    vocab = load_ontology(project.ontology_file)
    load_shapes(project.shapes_file)  # an input too: a broken shapes file fails the build before it writes
    if not the_plan.texts:
        raise KgError("no briefing texts (*.txt)", project.briefings_dir)
    raw = load_registry(project.entities_dir)
    registry = check_registry(raw, vocab)
    made = [d for d in (project.build_dir, project.build_dir / CACHE) if not d.exists()]
    stage = None
    try:  # bad input fails here, and leaves build/ as it was (not even made)
        parts, stage = derive(project, the_plan, vocab, raw, registry, reviewed_only, progress)
        outlines = [p.outline for p in parts if p.outline is not None]
        check_across(outlines)
        shared = sharing(registry, outlines)
    except BaseException:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        for d in reversed(made):
            with contextlib.suppress(OSError):  # not empty: another build wrote there meanwhile
                d.rmdir()
        raise
    with build_lock(project):
        built = _current(project, the_plan.digest) if recheck else None
        if built is not None:
            keep(stage, [])
            return built
        parts = keep(stage, parts)
        if not all((p.dir / "part.json").is_file() for p in parts):  # pruned by another build meanwhile
            parts, stage = derive(project, the_plan, vocab, raw, registry, reviewed_only)
            parts = keep(stage, parts)
        built = _write_generation(project, the_plan.digest, parts, reviewed_only)
        prune(project.build_dir / CACHE, parts)
    return dataclasses.replace(built, sharing=shared)


def _reviewed_only(project: Project) -> bool:
    """Whether the current build left the drafts out (its stamp says so); False before the first build."""
    gen = current_generation(project.build_dir)
    try:
        return json.loads((gen / "stamp.json").read_bytes()).get("reviewed_only") is True if gen else False
    except (OSError, ValueError, AttributeError):
        return False


#: Inside build/: the lock every writer takes, the symlink to the current generation, the start of a
#: generation's folder name, and the fixed symlinks into ``current/`` that keep the documented paths.
LOCK = ".lock"
CURRENT = "current"
GENERATION_PREFIX = "gen-"
STORE_NAME = "oxigraph"
LINKS = ("kg.trig", "kg.nq", "graphs", "stamp.json")


def build_lock(project: Project) -> FileLock:
    """The lock on build/ that every build takes (a process killed while holding it releases it)."""
    # imported here, not at the top: a fresh build is read without it
    from filelock import FileLock

    project.build_dir.mkdir(parents=True, exist_ok=True)
    return FileLock(project.build_dir / LOCK)


def current_generation(build_dir: Path) -> Path | None:
    """The generation folder build/current points to, read once, or None before the first build."""
    try:
        target = os.readlink(build_dir / CURRENT)
    except OSError:
        return None
    return build_dir / target


def _current(project: Project, digest: str) -> Built | None:
    """The current generation as a Built when it is complete and built from inputs with ``digest``."""
    out = project.build_dir
    gen = current_generation(out)
    if gen is None:
        return None
    try:
        recorded = json.loads((gen / "stamp.json").read_bytes())
        fresh = recorded["inputs"] == digest
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not fresh or not all((out / name).exists() for name in LINKS):  # a documented path removed
        return None
    graphs = {p.stem: p for p in sorted((gen / "graphs").glob("*.ttl"))}
    triples = recorded.get("triples")
    if not isinstance(triples, int):
        return None
    store = gen / STORE_NAME
    return Built(out, gen / "kg.trig", gen / "kg.nq", graphs, triples, False, store if store.is_dir() else None, gen)


def _write_generation(project: Project, digest: str, parts: list[Part], reviewed_only: bool = False) -> Built:
    """Write a new generation folder from ``parts``, switch build/current to it in one rename, prune the
    others.

    The caller holds the lock. Every file of the generation is written before its stamp, and the stamp
    before the switch, so build/current always points to a complete generation."""
    from .parts import join

    out = project.build_dir
    previous = current_generation(out)
    parts = [p for p in parts if p.triples]  # no registry: no graph of it
    triples = sum(p.triples for p in parts)
    gen = Path(tempfile.mkdtemp(prefix=GENERATION_PREFIX, dir=out))
    try:
        os.chmod(gen, 0o777 & ~_umask())  # mkdtemp makes it 0700; build/ is as readable as before
        graphs = join(parts, gen)
        store = _write_store(gen, parts, previous)
        stamp: dict[str, object] = {"inputs": digest, "triples": triples,  # the count saves reading kg.nq
                                    "parts": {p.name: p.dir.name for p in parts}}
        if reviewed_only:
            stamp["reviewed_only"] = True
        (gen / "stamp.json").write_bytes(json.dumps(stamp, indent=2).encode() + b"\n")
        _switch(out, gen)
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise
    _prune(out, keep=gen)
    return Built(out, gen / "kg.trig", gen / "kg.nq", graphs, triples, True, store, gen)


def _write_store(gen: Path, parts: list[Part], previous: Path | None) -> Path:
    """The generation's store: the previous generation's, updated for the graphs that changed, when few
    did (a checkpoint of it, so the previous stays as readers see it); else loaded from kg.nq."""
    dest = gen / STORE_NAME
    try:
        before = json.loads((previous / "stamp.json").read_bytes())["parts"] if previous else None
    except (OSError, ValueError, KeyError, TypeError):
        before = None
    if not isinstance(before, dict) or not (previous and (previous / STORE_NAME).is_dir()):
        return write_store(gen / "kg.nq", dest)
    now = {p.name: p for p in parts}
    gone = [name for name, key in before.items() if name not in now or now[name].dir.name != key]
    new = [p for p in parts if before.get(p.name) != p.dir.name]
    if len(gone) + len(new) > len(parts) // 2:  # as fast to load all of it
        return write_store(gen / "kg.nq", dest)
    from .dataset import graph_iri
    from .parts import CACHE

    cache = previous.parent / CACHE
    changed: dict[str, tuple[Path | None, Path | None]] = {
        str(graph_iri(name)): (cache / before[name] / "graph.nq", None) for name in gone}
    for p in new:
        was = cache / before[p.name] / "graph.nq" if p.name in before else None
        changed[str(graph_iri(p.name))] = (was, p.dir / "graph.nq")
    update_store(previous / STORE_NAME, dest, changed)
    return dest


def _switch(out: Path, gen: Path) -> None:
    """Point build/current at ``gen`` in one rename, and the documented paths at current/."""
    _symlink(out / CURRENT, gen.name)
    for name in LINKS:
        link = out / name
        if link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}":
            continue
        if link.is_dir() and not link.is_symlink():  # build/graphs/ of a kg before generations
            shutil.rmtree(link)
        _symlink(link, f"{CURRENT}/{name}")


def _symlink(link: Path, target: str) -> None:
    """Make ``link`` a symlink to ``target`` in one rename (readers see the old link or the new one)."""
    tmp = link.with_name(f"{link.name}.tmp")
    tmp.unlink(missing_ok=True)  # left by a build killed here
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _prune(out: Path, keep: Path) -> None:
    """Remove every generation but ``keep`` (and the stores of a kg before generations); the caller holds
    the lock. A reader that still has an old store open keeps reading it (Linux frees it when closed)."""
    for path in out.iterdir():
        if path == keep or not path.is_dir() or path.is_symlink():
            continue
        if path.name.startswith((GENERATION_PREFIX, "oxigraph-", ".oxigraph-")):
            shutil.rmtree(path, ignore_errors=True)


def load_built(project: Project) -> Dataset:
    """The built dataset parsed back with rdflib (for validation, export and analytics)."""
    from rdflib import Dataset

    built = ensure_built(project)
    ds = Dataset(default_union=True)  # triple patterns see every named graph
    ds.parse(built.trig, format="trig")
    return ds


def update_store(source: Path, dest: Path, changed: dict[str, tuple[Path | None, Path | None]]) -> None:
    """A checkpoint of the store at ``source`` into ``dest`` (hard links: no copy), with each named graph
    of ``changed`` (IRI → the N-Quads files of what it held and holds now; None for none) changed by
    removing and adding only the quads that differ. The default graph stays the merge of the named graphs:
    a triple leaves it when no named graph states it any more."""
    import pyoxigraph as ox

    ox.Store.read_only(str(source)).backup(str(dest))
    store = ox.Store(str(dest))

    def lines(store: ox.Store, path: Path | None, iri: str) -> set[bytes]:
        if path is None:
            return set()
        if path.is_file():
            return set(path.read_bytes().splitlines(keepends=True))
        # the part is gone from the cache (another build pruned it): what the store holds of the graph
        quads = store.quads_for_pattern(None, None, None, ox.NamedNode(iri))
        return set((ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"").splitlines(keepends=True))

    plus: list[bytes] = []
    minus: list[bytes] = []
    for iri, (was, now) in changed.items():
        old, new = lines(store, was, iri), lines(store, now, iri)
        plus += new - old
        minus += old - new
    removed = list(ox.parse(b"".join(minus), format=ox.RdfFormat.N_QUADS))
    for q in removed:
        store.remove(q)
    fill(store, b"".join(plus))
    default = ox.DefaultGraph()
    for q in removed:
        if not any(other.graph_name != default for other in store.quads_for_pattern(q.subject, q.predicate, q.object)):
            store.remove(ox.Quad(q.subject, q.predicate, q.object, default))
    store.flush()
    del store  # closes the database


def write_store(nquads: Path, dest: Path) -> Path:
    """Bulk-load ``nquads`` into a new pyoxigraph store at ``dest`` (a folder that must not exist yet)."""
    import pyoxigraph as ox

    store = ox.Store(str(dest))
    fill(store, nquads)
    store.flush()  # no optimize(): at a million triples it adds 2.7 s to the build and saves ms per query
    del store  # closes the database
    return dest


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


def split_quad(line: bytes) -> tuple[bytes, bytes]:
    """A line of kg's N-Quads as its triple (a line of N-Triples) and its graph's IRI. kg writes every quad
    in a named graph, the last term before " .", so the last " <" starts the graph.

    >>> split_quad(b'<http://e.org/s> <http://e.org/p> "a <b>" <http://e.org/g> .\\n')
    (b'<http://e.org/s> <http://e.org/p> "a <b>" .\\n', b'http://e.org/g')
    """
    cut = line.rfind(b" <")
    return line[:cut] + b" .\n", line[cut + 2 : line.rfind(b">")]


#: Fewer N-Quads lines than this are added in one transaction: the bulk loader writes and ingests files,
#: about 0.1-0.4 s whatever the size, which is most of the work of a rebuild's few changed quads.
SMALL = 1_000


def _load_chunk(store: ox.Store, lines: list[bytes]) -> None:
    import pyoxigraph as ox

    # Each quad, and its triple once more for the default graph. The input is kg's own output, so the
    # loader may skip IRI validation (lenient).
    doubled = b"".join(line + split_quad(line)[0] for line in lines)
    try:
        if len(lines) < SMALL:
            store.extend(list(ox.parse(doubled, format=ox.RdfFormat.N_QUADS, lenient=True)))
        else:
            store.bulk_load(doubled, format=ox.RdfFormat.N_QUADS, lenient=True)
    except SyntaxError:  # a quad in the default graph after all: the slow, exact way
        quads = list(ox.parse(b"".join(lines), format=ox.RdfFormat.N_QUADS))
        store.bulk_extend(quads + [ox.Quad(q.subject, q.predicate, q.object) for q in quads])


# --- writing an output file: one mechanism for kg build, -o FILE of every command, and the viz page ------

def atomic_write(path: Path, data: bytes, what: str = "the file") -> None:
    """Write ``data`` to ``path`` as :func:`writing` does (atomically when it is a regular file)."""
    with writing(path, what) as f:
        f.write(data)


@contextmanager
def writing(path: Path, what: str = "the file") -> Iterator[IO[bytes]]:
    """A binary file to write ``path`` through; for streaming writers (``atomic_write`` for bytes).

    - ``-`` is standard output.
    - A device, pipe or socket (``/dev/null``, ``/dev/full``, ``/dev/stdout``, a FIFO) is opened and
      written directly: it is never replaced by a regular file.
    - Anything else is a regular file: written to a temporary file beside it (beside the target of a
      symlink, which stays a symlink) and renamed into place when the block ends without an exception,
      so the old content stays until the new is complete; an existing file keeps its permission bits.

    A failure is a KgError naming ``path`` and the reason (``No space left on device`` for ENOSPC)."""
    if str(path) == "-":
        yield sys.stdout.buffer
        _flush(sys.stdout.buffer, path, what)
        return
    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise _write_error(e, path, what) from None
    if (st is not None and not stat.S_ISREG(st.st_mode)) or _is_special(path):
        try:
            f = open(path, "wb")  # noqa: SIM115  (closed below)
        except OSError as e:
            raise _write_error(e, path, what) from None
        try:
            yield f
            f.flush()
        except OSError as e:
            raise _write_error(e, path, what) from None
        finally:
            with contextlib.suppress(OSError):  # the flush failed already and said why
                f.close()
        return
    target = Path(os.path.realpath(path))  # a symlink is written through, to its target
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
        os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
        tmp = None
    except OSError as e:
        raise _write_error(e, path, what) from None
    finally:
        if tmp is not None:  # interrupted or failed: leave nothing behind
            Path(tmp).unlink(missing_ok=True)


def _is_special(path: Path) -> bool:
    """Paths that name a process's files (/dev/stdout -> /proc/self/fd/1): never replace, only write."""
    return str(path).startswith(("/dev/", "/proc/")) or os.path.realpath(path).startswith(("/dev/", "/proc/"))


def _flush(f: IO[bytes], path: Path, what: str) -> None:
    try:
        f.flush()
    except OSError as e:
        raise _write_error(e, path, what) from None


def _write_error(e: OSError, path: Path | str, what: str) -> KgError:
    # the reason as the system words it, with its errno name to search for: "No space left on device (ENOSPC)"
    code = errno.errorcode.get(e.errno) if e.errno is not None else None
    reason = f"{e.strerror} ({code})" if e.strerror and code else str(e.strerror or e)
    return KgError(f"cannot write {what}: {reason}", path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
