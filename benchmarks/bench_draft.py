"""Draft the bundled briefing with its curated annotations and the registry entities only it names removed
(no answers leak in through the gazetteer), each fictional fixture briefing with its own annotations
removed, and each held-out briefing (benchmarks/heldout/, written without reading the drafter's rules) alone
beside the bundled briefing and registry, and score each draft against the curated annotations. Prints
P/R/F1 per kind and the time per briefing (wall clock and CPU, the median of 5 drafts, each reading the
registry and the other briefings' entities afresh),
beside a baseline measured in the same run (splitting the text into sentences, the median of 5).

    python benchmarks/bench_draft.py
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.annotations import load_annotations, load_registry
from kg.draft.draft import draft_briefing, write_draft
from kg.draft.link import pattern
from kg.draft.text import sentences
from kg.project import Project
from kg.score import score

SERIES = ROOT / "tests" / "fixtures" / "series"
DRAFTING = ROOT / "tests" / "fixtures" / "drafting"  # fictional briefings written to test the rules' reach
HELDOUT = ROOT / "benchmarks" / "heldout"  # fictional briefings written without reading the rules
RUNS = 5  # each time is the median of this many runs (the machine is shared)


def named_by(folder: Path, registry: dict) -> set[str]:
    return {m.id for m in load_annotations(folder, registry).mentions}


def reachable(curated: Path, registry: dict, text: str, result: dict) -> tuple[int, int, float]:
    """The curated relations whose both ends the text names, out of all, and the draft's recall on those. An end
    is named when it is a status, the briefing or a role (which rules compose from the metadata and "Name,
    Post of Body"), or not a collective mention and a name or alias of it occurs in the text (spelt as the
    linker compares names) capitalised, or in lower case for a sector, which lists name. A relation to an
    unnamed notion ("partnership of the district with nine universities") is out of the rules' reach."""
    ann = load_annotations(curated, registry)
    ends = {c.id: (c.type, c.generic, (c.name, *c.aliases)) for c in ann.entities}
    for m in ann.mentions:
        r = registry[m.id]
        ends[m.id] = (r.type, r.generic, (r.name, *r.aliases, *m.aliases))

    def named(i: str) -> bool:
        if i in ("Planned", "UnderWay", "InOperation"):
            return True
        type_, generic, names = ends.get(i, ("", True, ()))
        if type_ in ("Briefing", "Role"):
            return True
        found = (m.group() for n in names for m in re.finditer(rf"(?<![\w-]){pattern(n)}(?![\w-])", text, re.I))
        return not generic and any(type_ == "Sector" or f != f.lower() for f in found)

    reach = {(r.s, r.p, r.o) for r in ann.relations if named(r.s) and named(r.o)}
    missed = {tuple(x) for x in result["relations"]["misses"]} & reach
    return len(reach), len(ann.relations), (len(reach) - len(missed)) / len(reach) if reach else 1.0


def case(tmp: Path, slug: str, fixtures: Path | None, alone: bool = False) -> tuple[
        dict, tuple[float, float], float, tuple[int, int, float]]:
    """Draft and score one briefing. With fixtures, their briefings, annotations and registry join the project;
    alone, only this briefing of them joins (no registry, no other briefing of its set): the drafter meets it
    as a new briefing of a project that knows only the bundled one."""
    root = tmp / slug
    for sub in ("data", "ontology"):
        shutil.copytree(ROOT / sub, root / sub)
    if fixtures is not None and alone:
        for name in (f"{slug}.txt", f"{slug}.meta.yaml"):
            shutil.copyfile(fixtures / "briefings" / name, root / "data" / "briefings" / name)
        shutil.copytree(fixtures / "annotations" / slug, root / "data" / "annotations" / slug)
    elif fixtures is not None:
        for sub in ("briefings", "annotations", "entities"):
            if (fixtures / sub).is_dir():
                shutil.copytree(fixtures / sub, root / "data" / sub, dirs_exist_ok=True)
    full = load_registry(ROOT / "data" / "entities")  # the registry with what only this briefing names
    if fixtures is not None and (fixtures / "entities").is_dir():
        full |= load_registry(fixtures / "entities")
    project = Project(root)
    registry = load_registry(project.entities_dir)
    curated = tmp / "curated" / slug
    shutil.move(project.annotations_dir / slug, curated)
    others = set().union(*(named_by(f, registry) for f in project.annotations_dir.iterdir() if f.is_dir()))
    only_here = named_by(curated, full) - others
    for f in sorted(project.entities_dir.glob("*.yaml")):  # the registry without what only this briefing names
        doc = yaml.safe_load(f.read_text())
        doc["entities"] = [e for e in doc.get("entities") or [] if e["id"] not in only_here]
        f.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    text = (project.briefings_dir / f"{slug}.txt").read_text()
    base = median(timed(lambda: sentences(text))[0] for _ in range(RUNS))
    runs = [timed(lambda: write_draft(project, draft_briefing(project, slug))) for _ in range(RUNS)]
    target = project.annotations_dir / slug / "draft.yaml"
    result = score(target, curated, full)
    return result, (median(r[0] for r in runs), median(r[1] for r in runs)), base, \
        reachable(curated, full, text, result)


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of fn() (CPU time is less moved by other work on a shared machine)."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    sentences("Warm up. The pipeline is built once.")  # spaCy's import and pipeline: once per process
    blocks: list[tuple[str, list[tuple[str, Path | None, bool]]]] = [
        ("read while the rules were written", [("minhang-2023-09-07", None, False)]
         + [(p.name, folder, False) for folder in (SERIES, DRAFTING)
            for p in sorted((folder / "annotations").iterdir())]),
        ("held-out: written without reading the rules (benchmarks/heldout/)",
         [(p.name, HELDOUT, True) for p in sorted((HELDOUT / "annotations").iterdir())]),
    ]
    print(f"{'briefing':34} {'entities P/R/F1':>18} {'figures P/R/F1':>18} {'relations P/R/F1':>18} "
          f"{'draft s':>8} {'cpu s':>6} {'baseline s':>10} {'rel R on reachable':>19}")
    with tempfile.TemporaryDirectory() as tmp:
        for heading, cases in blocks:
            print(f"-- {heading}")
            for slug, fixtures, alone in cases:
                s, took, base, (n_reach, n_all, r_reach) = case(Path(tmp), slug, fixtures, alone)
                cells = [f"{s[k]['precision']:.2f}/{s[k]['recall']:.2f}/{s[k]['f1']:.2f}" for k in
                         ("entities", "figures", "relations")]
                print(f"{slug:34} {cells[0]:>18} {cells[1]:>18} {cells[2]:>18} {took[0]:8.2f} {took[1]:6.2f} "
                      f"{base:10.3f} {f'{r_reach:.2f} ({n_reach}/{n_all})':>19}")
    print("goals: entity F1 >= 0.9, figure F1 >= 0.9, relation F1 >= 0.6, < 2 s per briefing; "
          f"times: median of {RUNS}; baseline = sentence splitting alone; spaCy's import is outside the times;\n"
          "rel R on reachable: relation recall on the curated relations whose two ends the text names (how many of "
          "all)")


if __name__ == "__main__":
    main()
