"""Benchmark of the network page: how long it takes to settle in headless chromium, and to build in Python.

    python benchmarks/bench_viz.py              # briefing graph and 5,000 synthetic nodes, 3 loads each
    python benchmarks/bench_viz.py --runs 5 --nodes 5000 10000

"Settled" is the moment the page marks itself ready (window.kgReady): for small graphs when vis-network's
brief physics refinement has stopped and the network is drawn, for large ones (physics off) at the first
drawing; it is measured from navigation start with performance.now(). The baseline, measured in the same
run, is the same page with no nodes at all: the cost of parsing the inline vis-network script and drawing
an empty canvas. Goal: the briefing graph settles within 2 s; 5,000 nodes stay usable (settle < 5 s).
Pages go to benchmarks/out/ (ignored by git). Needs chromium (Debian package) and websocket-client.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from chromium import Browser, why_no_browser
from kg.graphview import load_view
from kg.project import find_project
from kg.viz import build_page, page_for
from synthetic import synthetic_view


def settle(browser: Browser, path: Path, runs: int) -> tuple[float, dict]:
    times, ready = [], {}
    for _ in range(runs):
        tab = browser.open(path.as_uri())
        ready = tab.wait_for("window.kgReady", timeout=300)
        times.append(ready["ms"])
        tab.send("Page.close")
    return statistics.median(times), ready


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--nodes", type=int, nargs="+", default=[5000])
    args = ap.parse_args()
    if why_no_browser():
        sys.exit(f"cannot run: {why_no_browser()}")
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    view = load_view(find_project())
    cases = [("baseline: empty page", lambda: build_page(view.subgraph([]).copy(), "empty")),
             ("briefing graph", lambda: page_for(view))]
    cases += [(f"synthetic, {n:,} nodes", lambda n=n: page_for(synthetic_view(n))) for n in args.nodes]
    print(f"{'page':<26} {'nodes':>6} {'edges':>6} {'physics':>7} {'MB':>5} {'python s':>8} {'settle ms':>9}"
          f" {'vs baseline':>11}")
    base = None
    with Browser(width=1440, height=900) as browser:
        for name, make in cases:
            t = time.perf_counter()
            page = make()
            built = time.perf_counter() - t
            path = out / (name.split(":")[0].replace(" ", "-").replace(",", "") + ".html")
            page.write(path)
            ms, ready = settle(browser, path, args.runs)
            base = ms if base is None else base
            print(f"{name:<26} {ready['nodes']:>6} {ready['edges']:>6} {ready['physics']!s:>7} "
                  f"{len(page.html.encode()) / 1e6:>5.2f} {built:>8.2f} {ms:>9.0f} {ms / base:>10.1f}x", flush=True)


if __name__ == "__main__":
    main()
