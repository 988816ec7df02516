"""Benchmark of `kg build` on collections of 1 to 1,000 briefings: full build, rebuild after one change.

    python benchmarks/bench_build.py                     # 1, 10, 100 and 1,000 briefings (hours when loaded)
    python benchmarks/bench_build.py --sizes 1 10 100
    python benchmarks/bench_build.py --queries-only benchmarks/out/collection-100   # a collection built before
    python benchmarks/bench_build.py --sizes 1 10 100 --no-queries   # the builds only

Each collection is a temporary project (in benchmarks/out/, ignored by git): the ontology, the queries,
the registry, and N synthetic copies of the bundled briefing (its text and annotations), each with its
own slug, title, day held (one day earlier per copy, never after today), event id and `fictional: true`.
For each size it times, as whole `kg build` processes: the full build from nothing, and the rebuild after
one briefing changed (an alias of its event removed from its annotations). It reports the triples, the
store's size on disk, the CPU time of all the build's processes (the fairer figure on a loaded machine),
and peak memory: the largest resident set of one process of the build (the main
process or a worker; getrusage RUSAGE_CHILDREN of a wrapper around the one build) and the sum over all
of them, sampled every 0.2 s. At the largest size it runs every catalogued query with its defaults on the
built store and reports the slowest (wall and CPU time, rows); --queries-only times them on a collection
an earlier run built (this checkout's catalogue). Baseline, in the same run: the full build of one briefing.
Goals (issue 7): a one-briefing change rebuilt in under 3 s at 100 briefings, whatever the size; 1,000
briefings built in under 10 minutes and under 2 GiB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PY = sys.executable
KG = str(Path(PY).parent / "kg")
BRIEFING = "minhang-2023-09-07"
EVENT = f"briefing-{BRIEFING}"
ALIASES = "aliases: [10th press briefing on “High-Quality Development in Shanghai”, Minhang District special session]"
#: Seconds a catalogued query may take at the largest size before it counts as timed out.
QUERY_TIMEOUT = 30
EDITED = "aliases: [10th press briefing on “High-Quality Development in Shanghai”]"

#: Runs one build and prints its wall time, the peak RSS of its largest process (KiB, Linux) and the CPU
#: time (user and system) of all its processes, workers included: on a loaded machine the CPU time is the
#: fairer figure, since the wall clock counts the time other processes had the cores.
WRAPPER = """
import resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - t, r.ru_maxrss, r.ru_utime + r.ru_stime)
"""


def collection(n: int) -> Path:
    """A project of ``n`` synthetic copies of the bundled briefing."""
    root = OUT / f"collection-{n}"
    shutil.rmtree(root, ignore_errors=True)
    for sub in ("ontology", "queries", "data/entities"):
        shutil.copytree(ROOT / sub, root / sub)
    text = (ROOT / "data" / "briefings" / f"{BRIEFING}.txt").read_bytes()
    meta = (ROOT / "data" / "briefings" / f"{BRIEFING}.meta.yaml").read_text(encoding="utf-8")
    annotations = {p.name: p.read_text(encoding="utf-8")
                   for p in sorted((ROOT / "data" / "annotations" / BRIEFING).glob("*.yaml"))}
    (root / "data" / "briefings").mkdir(parents=True)
    held0 = dt.date(2023, 9, 7)
    for i in range(n):
        held = held0 - dt.timedelta(days=i)
        slug = f"synthetic-{i:04d}-{held.isoformat()}"
        event = f"briefing-{slug}"
        m = re.sub(r"(?m)^held: .*$", f"held: {held.isoformat()}", meta)
        m = re.sub(r"(?m)^issued: .*$", f"issued: {(held + dt.timedelta(days=1)).isoformat()}", m)
        m = re.sub(r"(?m)^title: (.*)$", rf"title: \1 (synthetic copy {i})", m)
        m = m.replace(EVENT, event) + "fictional: true\n"
        (root / "data" / "briefings" / f"{slug}.txt").write_bytes(text)
        (root / "data" / "briefings" / f"{slug}.meta.yaml").write_text(m, encoding="utf-8")
        folder = root / "data" / "annotations" / slug
        folder.mkdir(parents=True)
        for name, body in annotations.items():
            (folder / name).write_text(body.replace(EVENT, event), encoding="utf-8")
    return root


def timed_build(root: Path) -> tuple[float, float, float, float]:
    """Wall seconds, peak RSS of the largest process (MiB), peak RSS summed over the build's processes (MiB),
    CPU seconds of all of them."""
    p = subprocess.Popen([PY, "-c", WRAPPER, KG, "--project", str(root), "build"], stdout=subprocess.PIPE,
                         text=True)
    total = 0
    while p.poll() is None:
        total = max(total, _tree_rss(p.pid))
        time.sleep(0.2)
    out, _ = p.communicate()
    if p.returncode != 0:
        raise SystemExit(f"kg build failed in {root}")
    wall, largest, cpu = out.split()
    return float(wall), int(largest) / 1024, total / 1024, float(cpu)


def _tree_rss(pid: int) -> int:
    """Resident set, KiB, of ``pid`` and all its descendants (0 for what has gone meanwhile)."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status)[1]) if "VmRSS" in status else 0
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, TypeError):
            continue
    return total


def size_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def worst_query(root: Path) -> tuple[str, float, int]:
    """The slowest catalogued query (this checkout's queries/) with its defaults on the built store of
    ``root``: name, seconds, queries run."""
    import pyoxigraph as ox

    from kg.build import current_generation
    from kg.catalogue import load_catalogue
    from kg.query import QueryTimeout, bind_params, run_query

    gen = current_generation(root / "build")
    assert gen is not None
    store = ox.Store.read_only(str(gen / "oxigraph"))
    times = {}
    print(f"    {'query':<34} {'wall':>9} {'CPU':>9} {'rows':>7}")
    for q in load_catalogue(ROOT / "queries"):
        bindings = bind_params(store, q.params, [], q.name)
        t, cpu = time.perf_counter(), time.process_time()  # CPU: every thread of this process
        try:
            rows = len(run_query(store, q.text, bindings, timeout=QUERY_TIMEOUT).rows)  # the whole answer, read
            times[q.name] = time.perf_counter() - t
            shown = f"{times[q.name] * 1000:>6.0f} ms {(time.process_time() - cpu) * 1000:>6.0f} ms {rows:>7,}"
        except QueryTimeout:
            times[q.name] = float("inf")
            shown = f"{'timed out':>9}"
        print(f"    {q.name:<34} {shown}", flush=True)
    name = max(times, key=lambda k: times[k])
    return name, times[name], len(times)


def _shown(seconds: float) -> str:
    return f"over {QUERY_TIMEOUT} s (timed out)" if seconds == float("inf") else f"{seconds * 1000:.0f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[1, 10, 100, 1000], help="numbers of briefings")
    ap.add_argument("--queries-only", type=Path, metavar="DIR",
                    help="only time the catalogued queries on the collection DIR built before")
    ap.add_argument("--no-queries", action="store_true", help="skip the catalogued queries at the largest size")
    args = ap.parse_args()
    if args.queries_only:
        stamp = args.queries_only / "build" / "stamp.json"
        if not stamp.is_file():
            print(f"{stamp}: no such file: --queries-only takes a collection this benchmark built", file=sys.stderr)
            raise SystemExit(2)
        triples = json.loads(stamp.read_bytes())["triples"]
        print(f"catalogued queries on {args.queries_only.name} ({triples:,} triples; "
              f"timeout {QUERY_TIMEOUT} s each); {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M')}")
        name, worst, count = worst_query(args.queries_only)
        print(f"\nslowest of {count} catalogued queries ({triples:,} triples): {name}, {_shown(worst)}")
        return
    print(f"kg build on synthetic collections; {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M')}")
    rows = []
    sizes = sorted(set(args.sizes) | {1})  # one briefing is the baseline
    for n in sizes:
        root = collection(n)
        full, largest, total, full_cpu = timed_build(root)
        stamp = json.loads((root / "build" / "stamp.json").read_bytes())
        folder = root / "data" / "annotations" / sorted(p.name for p in (root / "data" / "annotations").iterdir())[0]
        core = folder / "00-core.yaml"
        core.write_text(core.read_text(encoding="utf-8").replace(ALIASES, EDITED, 1), encoding="utf-8")
        rebuild, r_largest, r_total, rebuild_cpu = timed_build(root)
        gen = root / "build" / "current"
        rows.append({"briefings": n, "triples": stamp["triples"], "full_s": full, "rebuild_s": rebuild,
                     "full_cpu_s": full_cpu, "rebuild_cpu_s": rebuild_cpu,
                     "store_mib": size_mib(gen / "oxigraph"), "nq_mib": (gen / "kg.nq").stat().st_size / 2**20,
                     "peak_one_mib": largest, "peak_all_mib": total,
                     "rebuild_peak_one_mib": r_largest, "rebuild_peak_all_mib": r_total})
        print(f"  {n} briefings: full build {full:.1f} s ({full_cpu:.1f} s CPU), rebuild after one change "
              f"{rebuild:.1f} s ({rebuild_cpu:.1f} s CPU)", flush=True)
        (OUT / "bench_build.json").write_text(json.dumps({"rows": rows}, indent=2))  # so far
    base = rows[0]["full_s"]
    print("\n== kg build, whole processes (baseline: the full build of 1 briefing, "
          f"{base:.1f} s, this run)")
    print(f"{'briefings':>9} {'triples':>11} {'full build':>11} {'x baseline':>10} {'per briefing':>12} "
          f"{'CPU/briefing':>12} {'rebuild 1':>10} {'its CPU':>8} {'store':>9} {'kg.nq':>9} "
          f"{'peak RSS 1 proc':>15} {'peak RSS all':>12}")
    for r in rows:
        print(f"{r['briefings']:>9,} {r['triples']:>11,} {r['full_s']:>9.1f} s {r['full_s'] / base:>9.1f}x "
              f"{r['full_s'] / r['briefings']:>10.2f} s {r['full_cpu_s'] / r['briefings']:>10.2f} s "
              f"{r['rebuild_s']:>8.1f} s {r['rebuild_cpu_s']:>6.1f} s {r['store_mib']:>5.0f} MiB "
              f"{r['nq_mib']:>5.0f} MiB {r['peak_one_mib']:>11.0f} MiB {r['peak_all_mib']:>8.0f} MiB")
    print("\ngoals: rebuild after one change < 3 s at 100 briefings; 1,000 built < 600 s and < 2048 MiB")
    if args.no_queries:
        return
    largest = rows[-1]
    print(f"\ncatalogued queries at {largest['briefings']:,} briefings (timeout {QUERY_TIMEOUT} s each):")
    name, worst, count = worst_query(OUT / f"collection-{largest['briefings']}")
    print(f"\nslowest of {count} catalogued queries at {largest['briefings']:,} briefings "
          f"({largest['triples']:,} triples): {name}, {_shown(worst)}")
    (OUT / "bench_build.json").write_text(json.dumps({"rows": rows, "worst_query": [name, worst]}, indent=2))


if __name__ == "__main__":
    main()
