"""Benchmark of the network page in headless chromium: writing it, settling, hovering and panning.

    python benchmarks/bench_viz.py                      # briefing graph, 5,000 and 20,000 synthetic nodes
    python benchmarks/bench_viz.py --runs 5 --nodes 5000
    python benchmarks/bench_viz.py --layout --nodes 5000 20000   # also networkx's spring layout vs igraph's

Per page: "written" is the Python time to build the page (layout included) and write it; "settle" the
moment the page marks itself ready (window.kgReady: when vis-network has drawn the opening view, its first
and only drawing, as the page runs no physics), from navigation start; "hover" the time from the mouse
event onto the best-connected entity to the end of the frame that shows it highlighted (the panel filled);
"pan" the frames drawn per second while a real mouse drags the
canvas for 1.5 s (events every 8 ms, as a 125 Hz mouse). Medians of --runs loads. The baseline, measured in
the same run, is the same page with no nodes at all. Goals (issue 10): briefing page settles < 0.5 s and
pans at >= 30 fps; 5,000 entities settle < 1.5 s, hover < 100 ms; 20,000 entities: written < 10 s,
settles < 4 s, hover < 200 ms, pans at >= 10 fps. Headless chromium caps frames at 60 per second.
Pages go to benchmarks/out/ (ignored by git). Needs chromium (Debian package) and websocket-client.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from chromium import Browser, Tab, why_no_browser
from kg.graphview import load_view, simple_graph
from kg.project import find_project
from kg.viz import Page, build_page, page_for
from synthetic import synthetic_view

WATCH = """
window.__draws = 0; window.__hoverMs = null; window.__moveAt = 0;
document.addEventListener("mousemove", function () { window.__moveAt = performance.now(); }, true);
window.addEventListener("load", function () {
  var wait = setInterval(function () {
    if (typeof network === "undefined" || !network) return;
    clearInterval(wait);
    network.on("afterDrawing", function () { window.__draws++; });
    network.on("hoverNode", function () {
      var at = window.__moveAt;
      network.once("afterDrawing", function () { window.__hoverMs = performance.now() - at; });
    });
  }, 5);
});
"""


def one_load(browser: Browser, path: Path) -> dict:
    tab = browser.open(path.as_uri(), init_script=WATCH)
    ready = tab.wait_for("window.kgReady", timeout=300)
    out = {"settle": ready["ms"], "nodes": ready["nodes"], "edges": ready["edges"], "small": ready["small"]}
    if ready["nodes"]:
        out["hover"] = hover(browser, tab)
        out["pan"] = pan(browser, tab)
    tab.send("Page.close")
    return out


def hover(browser: Browser, tab: Tab) -> float | None:
    """Milliseconds from the mouse event onto the best-connected entity to its highlighted frame."""
    x, y = tab.evaluate("(function () { var p = network.canvasToDOM(network.getPosition(ordered[0])), "
                        "r = network.canvas.frame.canvas.getBoundingClientRect(); "
                        "return [r.left + p.x, r.top + p.y]; })()")
    tab.mouse("moved", x + 60, y + 60)
    browser.pump(0.3)
    tab.mouse("moved", x, y)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ms = tab.evaluate("window.__hoverMs")
        if ms is not None:
            tab.mouse("moved", 5, 5)
            browser.pump(0.3)
            return ms
        browser.pump(0.01)
    return None


def pan(browser: Browser, tab: Tab, seconds: float = 1.5) -> float:
    """Frames per second drawn while the mouse drags the canvas from an empty spot."""
    x, y = tab.evaluate("""(function () {
      var r = network.canvas.frame.canvas.getBoundingClientRect();
      for (var i = 0; i < 400; i++) {
        var px = 40 + (i * 37) % (r.width - 80), py = 40 + (i * 53) % (r.height - 80);
        if (network.getNodeAt({x: px, y: py}) === undefined && network.getEdgeAt({x: px, y: py}) === undefined)
          return [r.left + px, r.top + py];
      }
      return [r.left + 40, r.top + 40];
    })()""")
    tab.mouse("moved", x, y)
    tab.mouse("pressed", x, y)
    browser.pump(0.05)
    start_draws, t0 = tab.evaluate("[window.__draws, performance.now()]")
    step, i = 0.008, 0  # a 125 Hz mouse; each event is sent once the browser has taken the last
    begin = time.monotonic()
    while time.monotonic() - begin < seconds:
        i += 1
        d = 3 * min(i % 80, 80 - i % 80)  # 0 to 120 px and back, so the graph stays in view
        tab.mouse("moved", x + d, y + d / 2, buttons=1)
        browser.pump(step)
    end_draws, t1 = tab.evaluate("[window.__draws, performance.now()]")
    tab.mouse("released", x, y)
    browser.pump(0.3)
    return (end_draws - start_draws) / ((t1 - t0) / 1000)


def layouts(sizes: list[int]) -> None:
    """networkx's spring layout against igraph's Fruchterman-Reingold, as kg.viz.layout chooses between them."""
    import math

    import networkx as nx

    from kg.viz import _igraph_layout

    print(f"\n{'layout':<34} {'nodes':>6} {'seconds':>8}")
    for n in sizes:
        g = simple_graph(synthetic_view(n))
        t = time.perf_counter()
        nx.spring_layout(g, seed=42, iterations=100, k=2.5 / math.sqrt(n))
        spring = time.perf_counter() - t
        t = time.perf_counter()
        _igraph_layout(g, 42)
        fr = time.perf_counter() - t
        print(f"{'networkx spring_layout (Python)':<34} {n:>6} {spring:>8.2f}")
        print(f"{'igraph fruchterman_reingold':<34} {n:>6} {fr:>8.2f}   ({spring / fr:.1f}x faster)", flush=True)


#: Issue 10's goals, each (page, figure, comparison, bound): a page is "briefing" or a synthetic size.
GOALS = [("briefing", "settle", "<", 500), ("briefing", "pan", ">=", 30),
         (5000, "settle", "<", 1500), (5000, "hover", "<", 100),
         (20000, "written", "<", 10), (20000, "settle", "<", 4000), (20000, "hover", "<", 200),
         (20000, "pan", ">=", 10)]
UNITS = {"written": "s", "settle": "ms", "hover": "ms", "pan": "fps"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--nodes", type=int, nargs="+", default=[5000, 20000])
    ap.add_argument("--layout", action="store_true", help="also time networkx's layout against igraph's")
    args = ap.parse_args()
    if why_no_browser():
        sys.exit(f"cannot run: {why_no_browser()}")
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    view = load_view(find_project())
    cases: list[tuple[str, str | int, Callable[[], Page]]] = [
        ("baseline: empty page", "empty", lambda: build_page(view.subgraph([]).copy(), "empty")),
        ("briefing graph", "briefing", lambda: page_for(view))]
    views = {n: synthetic_view(n) for n in args.nodes}  # made before the clock starts: test data, not the page
    cases += [(f"synthetic, {n:,} nodes", n, lambda n=n: page_for(views[n])) for n in args.nodes]
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; medians of {args.runs} loads")
    print(f"{'page':<24} {'nodes':>6} {'edges':>6} {'small':>7} {'MB':>5} {'written s':>9} {'settle ms':>9}"
          f" {'x empty':>7} {'hover ms':>8} {'pan fps':>7}")
    base = None
    figures: dict[str | int, dict[str, float | None]] = {}
    with Browser(width=1440, height=900) as browser:
        for name, key, make in cases:
            t = time.perf_counter()
            page = make()
            path = out / (name.split(":")[0].replace(" ", "-").replace(",", "") + ".html")
            page.write(path)
            written = time.perf_counter() - t
            loads = [one_load(browser, path) for _ in range(args.runs)]

            def med(k: str, loads: list[dict] = loads) -> float | None:
                values = [r[k] for r in loads if r.get(k) is not None]
                return statistics.median(values) if values else None

            settle = med("settle") or 0.0
            base = settle if base is None else base
            figures[key] = {"written": written, "settle": settle, "hover": med("hover"), "pan": med("pan")}
            hover_ms, fps = figures[key]["hover"], figures[key]["pan"]
            r = loads[0]
            print(f"{name:<24} {r['nodes']:>6} {r['edges']:>6} {r['small']!s:>7} "
                  f"{len(page.html.encode()) / 1e6:>5.2f} {written:>9.2f} {settle:>9.0f} {settle / base:>6.1f}x "
                  f"{'-' if hover_ms is None else f'{hover_ms:.0f}':>8} {'-' if fps is None else f'{fps:.0f}':>7}",
                  flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}\n")
    print(f"{'goal (issue 10)':<34} {'measured':>9} {'goal':>9}  met")
    for page_key, what, op, bound in GOALS:
        value = figures.get(page_key, {}).get(what)
        if page_key not in figures:
            continue
        met = value is not None and (value < bound if op == "<" else value >= bound)
        label = f"{'briefing graph' if page_key == 'briefing' else f'{page_key:,} entities'}: {what} {UNITS[what]}"
        shown = "-" if value is None else f"{value:.1f}" if UNITS[what] == "s" else f"{value:.0f}"
        print(f"{label:<34} {shown:>9} {op + ' ' + str(bound):>9}  {'yes' if met else 'NO'}")
    if args.layout:
        layouts(args.nodes)


if __name__ == "__main__":
    main()
