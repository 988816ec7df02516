"""Benchmark of `kg query`: start-up against the bare interpreter, and the catalogue on scaled data.

    python benchmarks/bench_query.py               # start-up, then 100k and 1M triples (a few minutes)
    python benchmarks/bench_query.py --quick       # start-up and 100k only
    python benchmarks/bench_query.py --scales 100000 --runs 3

Part 1 times whole processes: `kg query officials --format csv` on the bundled briefing beside
`python -c "import click, pyoxigraph"`, in the same run, median of several runs; goal: ratio <= 3.
It also times, in-process, the two ways kg could load the built dataset: opening the on-disk store
that `kg build` writes (what kg does) and bulk-loading build/kg.nq into memory.

Part 2 generates datasets of the same shape as the bundled one (the ontology graph plus many copies of
the briefing graph, each copy with its own entity, figure and span IRIs, sharing the sectors and places
every briefing names), then runs every catalogued query with its default parameters on kg's engine
(run_query on the on-disk store), on raw pyoxigraph (the same store, the parameters written into the
text as constants) and on rdflib's own SPARQL engine, checks that the three return the same rows, and
prints per-query medians and ratios. Goals: kg within 1.5x of raw pyoxigraph on every query; 1M triples
loaded in under 15 s and under 1 GiB. Loading is timed in a child process so its peak memory is its own.
Files go to benchmarks/out/ (ignored by git).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kg.prefixes import BASE, PREFIXES

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PY = sys.executable
KG = str(Path(PY).parent / "kg")
ID, GRAPH = PREFIXES["kgr"], PREFIXES["kgg"]
SHARED = re.compile(r"^(sector-|ind-|shanghai$|china$|yangtze-river-delta$|period/|instant/|agent/)")


# --- part 1: start-up -----------------------------------------------------------------------------------

def whole_process(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def startup(runs: int) -> dict:
    subprocess.run([KG, "build"], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    subprocess.run([KG, "query", "officials", "--format", "csv"], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    bare = whole_process([PY, "-c", "import click, pyoxigraph"], runs)
    python = whole_process([PY, "-c", "pass"], runs)
    kg = whole_process([KG, "query", "officials", "--format", "csv"], runs)
    code = ("import time, pyoxigraph as ox, kg.store as s, kg.project as p, kg.build as b\n"
            "built = b.ensure_built(p.find_project())\n"
            "t = time.perf_counter(); st = {how}; n = bool(st.query('ASK {{ ?s ?p ?o }}'))\n"
            "print(time.perf_counter() - t)")
    how = {"on-disk store, read-only (kg)": "ox.Store.read_only(str(built.store))",
           "in-memory bulk load of kg.nq": "s.load_store(built.nquads)"}
    loads = {}
    for name, expr in how.items():
        loads[name] = statistics.median(
            float(subprocess.run([PY, "-c", code.format(how=expr)], check=True, capture_output=True, text=True,
                                 cwd=ROOT).stdout) for _ in range(runs))
    print(f"\n== start-up: whole process, median of {runs} runs (bundled briefing)")
    print(f"  python -c pass                          {python * 1000:7.1f} ms")
    print(f"  python -c 'import click, pyoxigraph'    {bare * 1000:7.1f} ms   (baseline)")
    print(f"  kg query officials --format csv         {kg * 1000:7.1f} ms   ratio {kg / bare:.2f}x (goal <= 3x)")
    print("  loading the built dataset, in-process:")
    for name, t in loads.items():
        print(f"    {name:<34}  {t * 1000:7.1f} ms")
    return {"python": python, "bare": bare, "kg": kg, "ratio": kg / bare, "loads": loads}


# --- part 2: scaled data --------------------------------------------------------------------------------

def scaled_dataset(triples: int) -> Path:
    """build/kg.nq plus copies of its briefing graph until about ``triples`` quads (cached in OUT)."""
    path = OUT / f"scaled-{triples}.nq"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    lines = (ROOT / "build" / "kg.nq").read_text(encoding="utf-8").splitlines(keepends=True)
    ontology = {ln for ln in lines if ln.rstrip().endswith(f"<{GRAPH}ontology> .")}
    briefing = [ln for ln in lines if ln not in ontology]
    iri = re.compile(rf"<{re.escape(BASE)}(id|graph)/([^>]*)>")

    def copy(k: int, line: str) -> str:
        def sub(m: re.Match) -> str:
            kind, rest = m[1], m[2]
            if kind == "graph":
                return f"<{GRAPH}{rest}-c{k}>"
            if SHARED.match(rest):
                return m[0]
            return f"<{ID}c{k}/{rest}>"
        return iri.sub(sub, line)

    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.writelines(lines)
        n, k = len(lines), 0
        while n < triples:
            k += 1
            f.writelines(copy(k, ln) for ln in briefing)
            n += len(briefing)
    tmp.replace(path)
    return path


def load_in_child(what: str, nquads: Path, dest: Path | None = None) -> tuple[float, float]:
    """Seconds and peak MiB of loading ``nquads`` in a fresh process: "kg" (kg's on-disk store) or
    "rdflib" (an rdflib Dataset)."""
    code = {
        "kg": "from kg.build import write_store; write_store(Path(sys.argv[1]), Path(sys.argv[2]))",
        "memory": "import pyoxigraph as ox; s = ox.Store(); s.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)",
        "rdflib": "import rdflib; d = rdflib.Dataset(default_union=True); d.parse(sys.argv[1], format='nquads')",
    }[what]
    script = ("import sys, time, resource\nfrom pathlib import Path\nt = time.perf_counter()\n" + code +
              "\nprint(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    out = subprocess.run([PY, "-c", script, str(nquads), str(dest or "")], check=True, capture_output=True,
                         text=True, cwd=ROOT).stdout.split()
    return float(out[0]), float(out[1])


def canonical(term) -> str:
    """A term from either engine as comparable text (numbers by value, so 18.90 equals 18.9)."""
    if term is None:
        return ""
    import pyoxigraph as ox
    import rdflib

    if isinstance(term, (ox.NamedNode, rdflib.URIRef)):
        return f"<{term.value if isinstance(term, ox.NamedNode) else str(term)}>"
    if isinstance(term, (ox.BlankNode, rdflib.BNode)):
        return "_:b"
    if isinstance(term, ox.Literal):
        value, lang, dt = term.value, term.language, term.datatype.value
    else:
        value, lang = str(term), term.language
        dt = str(term.datatype) if term.datatype else ("" if lang else "http://www.w3.org/2001/XMLSchema#string")
    if lang:
        return f'"{value}"@{lang.lower()}'
    if dt.rsplit("#", 1)[-1] in ("integer", "decimal", "double", "float", "nonNegativeInteger", "int", "long"):
        try:
            return f"{Decimal(value).normalize()}^^number"
        except InvalidOperation:
            pass
    return f'"{value}"^^<{dt}>'


def rows_of(answer) -> list:
    """Sorted canonical rows (SELECT), sorted triples (CONSTRUCT, DESCRIBE) or the boolean (ASK)."""
    import pyoxigraph as ox

    if isinstance(answer, bool):
        return [answer]
    if isinstance(answer, ox.QueryBoolean):
        return [bool(answer)]
    if hasattr(answer, "askAnswer") and answer.type == "ASK":
        return [bool(answer.askAnswer)]
    if hasattr(answer, "type") and answer.type in ("CONSTRUCT", "DESCRIBE"):
        return sorted(" ".join(canonical(t) for t in triple) for triple in answer.graph)
    if isinstance(answer, ox.QueryTriples):
        return sorted(" ".join(canonical(t) for t in (tr.subject, tr.predicate, tr.object)) for tr in answer)
    return sorted(tuple(canonical(t) for t in row) for row in answer)


def timed(fn, runs: int, budget: float = 20.0) -> tuple[float, object]:
    """Median seconds of ``fn()`` over ``runs`` (fewer when one run takes longer than ``budget``)."""
    times, result = [], None
    for _ in range(runs):
        gc.collect()
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
        if sum(times) > budget:
            break
    return statistics.median(times), result


def catalogue_on(nquads: Path, runs: int, with_rdflib: bool) -> dict:
    import pyoxigraph as ox

    from kg.catalogue import load_catalogue
    from kg.query import bind_params, run_query

    with open(nquads, "rb") as lines:
        triples = sum(1 for _ in lines)
    print(f"\n== {triples:,} triples ({nquads.relative_to(ROOT)})")
    dest = OUT / f"store-{nquads.stem}"
    shutil.rmtree(dest, ignore_errors=True)
    kg_load, kg_mem = load_in_child("kg", nquads, dest)
    mem_load, mem_mem = load_in_child("memory", nquads)
    print(f"  load, kg (on-disk store, bulk load)       {kg_load:7.2f} s   peak {kg_mem:7.0f} MiB"
          f"   (goal at 1M: < 15 s, < 1024 MiB)")
    print(f"  load, pyoxigraph in memory                {mem_load:7.2f} s   peak {mem_mem:7.0f} MiB")
    ds = None
    if with_rdflib:
        rl_load, rl_mem = load_in_child("rdflib", nquads)
        print(f"  load, rdflib Dataset                      {rl_load:7.2f} s   peak {rl_mem:7.0f} MiB")
        import rdflib

        t = time.perf_counter()
        ds = rdflib.Dataset(default_union=True)
        ds.parse(str(nquads), format="nquads")
        print(f"  (rdflib loaded again in this process for the queries: {time.perf_counter() - t:.1f} s)")

    store = ox.Store.read_only(str(dest))
    header = f"  {'query':<34}{'rows':>7}{'kg ms':>10}{'raw ms':>10}{'kg/raw':>8}"
    header += f"{'rdflib ms':>12}{'rdflib/raw':>11}  same" if with_rdflib else "  same"
    print(header)
    worst, report = 0.0, []
    for q in load_catalogue(ROOT / "queries"):
        bindings = bind_params(store, q.params, [], q.name)
        # Each timed function is called at once, within this iteration; the defaults only say which values it uses.
        kg_time, kg_result = timed(lambda q=q, bindings=bindings: run_query(store, q.text, bindings), runs)
        constant = q.text
        for name, term in bindings.items():  # raw: the values written into the text as constants
            constant = re.sub(rf"\?{name}\b", str(term).replace("\\", "\\\\"), constant)
        raw_time, raw_rows = timed(
            lambda constant=constant: rows_of(store.query(constant, prefixes=PREFIXES)), runs)
        kg_rows = ([kg_result.boolean] if kg_result.kind == "ask" else
                   sorted(" ".join(canonical(t) for t in (tr.subject, tr.predicate, tr.object))
                          for tr in kg_result.triples) if kg_result.kind == "graph" else
                   sorted(tuple(canonical(t) for t in row) for row in kg_result.rows))
        same = kg_rows == raw_rows
        line = (f"  {q.name:<34}{len(kg_rows):>7}{kg_time * 1000:>10.1f}{raw_time * 1000:>10.1f}"
                f"{kg_time / raw_time:>8.2f}")
        rl_time = None
        if ds is not None:
            from rdflib import Literal, URIRef

            init = {name[0:]: (URIRef(t.value) if isinstance(t, ox.NamedNode) else
                               Literal(t.value, lang=t.language,
                                       datatype=None if t.language else URIRef(t.datatype.value)))
                    for name, t in bindings.items()}
            rl_time, rl_rows = timed(
                lambda q=q, init=init: rows_of(ds.query(q.text, initNs=PREFIXES, initBindings=init)), runs)
            rl_same = rl_rows == raw_rows
            same = same and rl_same
            line += f"{rl_time * 1000:>12.1f}{rl_time / raw_time:>11.1f}"
        line += "  yes" if same else "  NO"
        print(line)
        worst = max(worst, kg_time / raw_time)
        report.append({"query": q.name, "rows": len(kg_rows), "kg": kg_time, "raw": raw_time, "rdflib": rl_time,
                       "same": same})
    print(f"  worst kg/raw ratio: {worst:.2f}x (goal <= 1.5x); "
          f"queries whose engines disagree: {[r['query'] for r in report if not r['same']] or 'none'}")
    store = None  # drop the last reference, closing the store (pyoxigraph has no close()), before removing it
    shutil.rmtree(dest, ignore_errors=True)
    return {"triples": triples, "kg_load": kg_load, "kg_peak_mib": kg_mem, "memory_load": mem_load,
            "memory_peak_mib": mem_mem, "worst_ratio": worst, "queries": report}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="start-up and 100k triples only")
    ap.add_argument("--scales", type=int, nargs="*", help="dataset sizes in triples (default 100000 1000000)")
    ap.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    ap.add_argument("--rdflib-max", type=int, default=200_000,
                    help="run rdflib's engine only up to this many triples (it is slow: see the issue)")
    args = ap.parse_args()
    scales = args.scales or ([100_000] if args.quick else [100_000, 1_000_000])
    sys.path.insert(0, str(ROOT))
    print(f"kg query benchmark: python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    results = {"startup": startup(max(args.runs, 7))}
    for n in scales:
        results[str(n)] = catalogue_on(scaled_dataset(n), args.runs, with_rdflib=n <= args.rdflib_max)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str))
    print(f"\nfigures written to {(OUT / 'results.json').relative_to(ROOT)}; "
          f"peak memory of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
