"""The entity view into an interactive network page: one self-contained, offline HTML file (vis-network).

Everything the page needs is inside it: vis-network's script and style come from the pyvis package, the
data is JSON, and the page's own script builds its legend, search results and detail panel with
``textContent`` only, so a name such as ``<img src=x onerror=alert(1)>`` is shown as text. Neither pyvis's
template nor its ``Network`` class is used: the template loads Bootstrap from a CDN whatever
``cdn_resources`` says and writes node titles into ``innerHTML``, and ``add_node``/``add_edge`` scan every
node already added (quadratic: seconds at 5,000 entities). Our nodes carry no ``title`` and no ``label``
at all: the page draws the labels itself (most connected first, none over another) and runs only its own
scripts, named by hash in its Content-Security-Policy. The layout is computed here, whole (networkx and a
refinement by vis-network's forces for small graphs, igraph's compiled layout for large ones), so the page
runs no physics: it draws the entities where they are.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import networkx as nx
from jinja2 import ChoiceLoader, Environment, FileSystemLoader

from .errors import KgError
from .graphview import (
    Measure,
    TypeInfo,
    by_briefing,
    find_entity,
    find_type,
    in_sector,
    is_a,
    neighbourhood,
    simple_graph,
)

#: Up to this many nodes a page is small: laid out by networkx and refined by vis-network's forces in
#: Python, drawn with curved relations and animated moves. Above it, igraph lays it out and relations are
#: straight lines hidden while the view moves.
SMALL_LIMIT = 400
#: Seed for every layout and community detection, so the same graph gives the same picture.
SEED = 7


@dataclass(frozen=True)
class Style:
    """How one group of types looks: the legend entry, its colour and its vis-network shape."""

    key: str
    label: str
    classes: tuple[str, ...]  # ontology classes (local names) that fall in this group, with their subclasses
    color: str
    shape: str


#: Most specific first: a node takes the first style one of whose classes is in its type's lineage.
STYLES: tuple[Style, ...] = (
    Style("person", "Person", ("Person",), "#d1495b", "star"),
    Style("post", "Post or role", ("Post", "Role"), "#e38fb8", "triangleDown"),
    Style("enterprise", "Enterprise", ("Enterprise",), "#2f6fb0", "dot"),
    Style("authority", "Public authority", ("PublicAuthority",), "#3b3f8f", "square"),
    Style("institution", "Institution", ("Institution",), "#1a9e9e", "triangle"),
    Style("partnership", "Partnership", ("Partnership",), "#f08a24", "hexagon"),
    Style("initiative", "Initiative", ("Initiative",), "#4f9d3a", "diamond"),
    Style("facility", "Facility", ("Facility",), "#9a6b46", "square"),
    Style("place", "Place", ("Place",), "#8e63b8", "dot"),
    Style("event", "Event", ("Event",), "#c9a227", "star"),
    Style("sector", "Sector", ("Sector",), "#8c939d", "triangle"),
)
OTHER = Style("other", "Other", (), "#b7bcc4", "dot")


def style_of(types: dict[str, TypeInfo], type_iri: str) -> Style:
    info = types.get(type_iri)
    names = {types[c].name for c in info.lineage if c in types} if info else set()
    return next((s for s in STYLES if names.intersection(s.classes)), OTHER)


@dataclass(frozen=True)
class Page:
    """A finished page. In Jupyter it displays itself inline (in an iframe, which notebooks do not sandbox away)."""

    html: str
    nodes: int
    edges: int
    small: bool  # SMALL_LIMIT entities or fewer
    context: int = 0  # direct neighbours of a filtered view, drawn dimmed

    def _repr_html_(self) -> str:
        return iframe(self.html)

    def write(self, path: Path) -> None:
        """Write the page as UTF-8, atomically; an unwritable place is a KgError naming ``path``."""
        from .build import atomic_write

        atomic_write(path, self.html.encode("utf-8"), what="the page")


def iframe(page: str, height: int = 640) -> str:
    """The page inside a sandboxed ``<iframe srcdoc>`` (scripts only: no same origin, forms, pop-ups or
    navigation of the notebook): how a notebook shows a whole HTML document inline."""
    return (
        f'<iframe sandbox="allow-scripts" srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:{height}px;'
        f'border:1px solid #ddd;border-radius:4px" title="kg network"></iframe>'
    )


def select_nodes(
    g: nx.MultiDiGraph, focus: str | None = None, depth: int = 1, types: Iterable[str] = (), sectors: Iterable[str] = ()
) -> tuple[nx.MultiDiGraph, list[str]]:
    """The part of the view the filters keep, and a note of each filter for the page title.

    ``focus``: the neighbourhood of one entity within ``depth`` relations. ``types``: entities of these
    classes or their subclasses (the focus entity is always kept). ``sectors``: the sectors and the entities
    related to them. Every name is resolved as :func:`kg.graphview.find_entity` does; unknown ones raise.
    """
    keep = set(g)
    notes = []
    centre = None
    if focus is not None:
        if depth < 0:
            raise KgError(f"--depth must be 0 or more, not {depth}")
        centre = find_entity(g, focus)
        keep &= neighbourhood(g, centre, depth)
        notes.append(f"around {_iso(g.nodes[centre]['label'])} (depth {depth})")
    sector_nodes = [find_entity(g, s, "sector") for s in sectors]
    if sector_nodes:
        sector_type = find_type(g, "Sector")
        for s in sector_nodes:
            if not is_a(g, s, sector_type):
                raise KgError(f"'{g.nodes[s]['slug']}' is a {g.nodes[s]['type_label']}, not a sector")
        keep &= set().union(*(in_sector(g, s) for s in sector_nodes))
        notes.append("sector " + ", ".join(_iso(g.nodes[s]["label"]) for s in sector_nodes))
    wanted = [find_type(g, t) for t in types]
    if wanted:
        keep = {n for n in keep if n == centre or any(is_a(g, n, t) for t in wanted)}
        notes.append("types " + ", ".join(t.label for t in wanted))
    context: set[str] = set()
    if wanted or sector_nodes:
        scope = neighbourhood(g, centre, depth) if centre is not None else set(g)
        context = {m for n in keep for m in (*g.predecessors(n), *g.successors(n))} & scope - keep
    if centre is None and not context and len(keep) == len(g):
        return g, notes  # nothing filtered: the view itself, unchanged (a copy costs seconds at 20,000 entities)
    sub = g.subgraph(sorted(keep | context)).copy()
    sub.remove_edges_from([(u, v, k) for u, v, k in sub.edges(keys=True) if u in context and v in context])
    for n in sub:
        sub.nodes[n]["context"] = n in context
    sub.graph["focus"] = centre
    return sub, notes


def layout(g: nx.Graph, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Node positions in screen pixels: for small graphs networkx's spring layout refined by the forces
    vis-network's physics would apply (:func:`_refine`), for large ones igraph's.

    networkx's spring layout is pure Python and quadratic; igraph's Fruchterman-Reingold is compiled and
    uses a grid above 1,000 nodes: on this machine 1.3 s instead of 10 s at 5,000 nodes and 8.5 s instead
    of 83 s at 20,000 (benchmarks/bench_viz.py --layout). Both start from seeded positions and igraph draws
    from a seeded generator, so the same graph gives the same picture, and the same page bytes, every time.
    """
    n = g.number_of_nodes()
    if n == 0:
        return {}
    if n <= SMALL_LIMIT:
        pos = nx.spring_layout(g, seed=seed, iterations=100, k=2.5 / math.sqrt(n))
        return _refine(g, {v: (x * 55 * math.sqrt(n), y * 55 * math.sqrt(n)) for v, (x, y) in pos.items()})
    return _igraph_layout(g, seed)


def _refine(g: nx.Graph, pos: dict[str, tuple[float, float]], steps: int = 60) -> dict[str, tuple[float, float]]:
    """``pos`` after ``steps`` steps of the forces of vis-network's barnesHut physics with the page's former
    settings: every pair repels (by the inverse square of its distance; computed exactly, as vis-network
    only approximates it for speed), each relation is a spring, a weak gravity pulls to the centre.

    The page used to run these 60 steps itself before its first drawing, which was most of the briefing
    page's time to settle (benchmarks/bench_viz.py); here they take 0.17 s of CPU for the briefing's 196
    entities on the loaded project machine. The sums are numpy's, not BLAS's, whose threads may add in any order.
    """
    import numpy as np

    order = sorted(g)
    index = {v: i for i, v in enumerate(order)}
    p = np.array([pos[v] for v in order], dtype=float)
    ends = np.array([(index[u], index[v]) for u, v in g.edges()], dtype=int).reshape(-1, 2)
    speed = np.zeros_like(p)
    repulsion, gravity, length, stiffness, damping, step, fastest = -3200.0, 0.12, 110.0, 0.03, 0.5, 0.5, 40.0
    for _ in range(steps):
        x, y = p[:, 0], p[:, 1]
        dist = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
        np.fill_diagonal(dist, np.inf)  # no force of a node on itself
        w = repulsion / np.maximum(dist, 0.1) ** 3  # the force on i is the sum over j of w[i, j] (p[j] - p[i])
        force = np.stack([(w * x).sum(1), (w * y).sum(1)], 1) - p * w.sum(1)[:, None]
        span = p[ends[:, 0]] - p[ends[:, 1]]
        spanned = np.maximum(np.hypot(span[:, 0], span[:, 1]), 0.01)
        pull = (stiffness * (length - spanned) / spanned)[:, None] * span
        np.add.at(force, ends[:, 0], pull)
        np.add.at(force, ends[:, 1], -pull)
        force -= gravity * p / np.maximum(np.hypot(x, y), 0.01)[:, None]
        speed = np.clip(speed + (force - damping * speed) * step, -fastest, fastest)
        p += speed * step
    return {v: (float(x), float(y)) for v, (x, y) in zip(order, p, strict=True)}


def _igraph_layout(g: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    import random

    import igraph as ig

    order = sorted(g)
    index = {v: i for i, v in enumerate(order)}
    h = ig.Graph(n=len(order), edges=sorted((index[u], index[v]) for u, v in g.edges()))
    rnd = random.Random(seed)
    half = math.sqrt(len(order)) / 2  # as spread as igraph's own start: packed tighter, its grid would not help
    start = [[rnd.uniform(-half, half), rnd.uniform(-half, half)] for _ in order]
    ig.set_random_number_generator(random.Random(seed))
    try:
        coords = h.layout_fruchterman_reingold(seed=start, niter=300, grid="auto").coords
    finally:
        ig.set_random_number_generator(random)
    cx = sum(x for x, _ in coords) / len(coords)
    cy = sum(y for _, y in coords) / len(coords)
    rms = math.sqrt(sum((x - cx) ** 2 + (y - cy) ** 2 for x, y in coords) / len(coords)) or 1.0
    k = 30 * math.sqrt(len(order)) / rms  # about as spread as a small graph's layout at the limit
    return {v: ((x - cx) * k, (y - cy) * k) for v, (x, y) in zip(order, coords, strict=True)}


def build_page(g: nx.MultiDiGraph, title: str = "kg network", notes: Iterable[str] = ()) -> Page:
    """The page for the view ``g`` (already filtered): nodes, edges, legend, search, details, all inline.

    Nodes carry no vis-network ``label``: the page draws the labels itself, the most connected first and
    none over another (level of detail), at a legible size whatever the zoom. Every text is shown with
    line and paragraph separators as spaces (:func:`_text`).
    """
    types: dict[str, TypeInfo] = g.graph["types"]
    simple = simple_graph(g)
    small = g.number_of_nodes() <= SMALL_LIMIT
    pos = layout(simple)
    focus = g.graph.get("focus")
    sentences: dict[str, int] = {}

    def said(items: Iterable[str]) -> list[int]:
        return [sentences.setdefault(_text(s), len(sentences)) for s in items]

    briefings = g.graph.get("briefings", [])
    index = {b.slug: i for i, b in enumerate(briefings)}

    def stated_in(slugs: Iterable[str]) -> list[int]:
        return sorted(index[b] for b in slugs if b in index)

    vis_nodes: list[dict] = []
    details: dict[str, dict] = {}
    styles: Counter[str] = Counter()
    sizes: dict[str, float] = {}
    style: dict[str, Style] = {}  # by type: thousands of entities share a handful of types
    degrees = dict(simple.degree())
    low, high = min(degrees.values(), default=0), max(degrees.values(), default=0)

    def size(degree: int) -> float:
        """7 to 34 px by the square root of the degree, so hubs stand out without dwarfing the rest (computed
        here: vis-network's value scaling costs a second and a half at 20,000 entities)."""
        return round(7 + 27 * (math.sqrt((degree - low) / (high - low)) if high > low else 0.5), 1)

    for n in sorted(g):
        d = g.nodes[n]
        st = style.get(d["type"]) or style.setdefault(d["type"], style_of(types, d["type"]))
        context = bool(d.get("context"))
        if not context:
            styles[st.key] += 1
        degree = degrees[n]
        x, y = pos[n]
        node = {
            "id": n,
            "shape": st.shape,
            "color": st.color,
            "x": round(x),  # vis-network keeps whole pixels (parseInt) whatever it is given
            "y": round(y),
            "size": sizes.setdefault(n, size(degree)),
        }
        if context:
            node["opacity"] = 0.35
        if n == focus:
            node["borderWidth"] = 4
            node["color"] = {"background": st.color, "border": "#111111"}
        vis_nodes.append(node)
        relations = [  # read from the adjacency itself: networkx's edge views cost more than the work
            [way, _text(e["label"]), m, said(e["sentences"])]
            for way, adjacent in (("out", g.succ[n]), ("in", g.pred[n]))
            for _, m, e in sorted(((e["label"], m, e) for m, keyed in adjacent.items() for e in keyed.values()),
                                  key=lambda r: r[:2])
        ]
        details[n] = {
            "label": _text(d["label"]),
            "zh": _text(d["label_zh"]),
            "type": d["type_label"],
            "kind": st.key,
            "id": d["slug"],
            "aliases": [_text(a) for a in d["aliases"]],
            "note": _text(d["note"]),
            "sameAs": d["same_as"],
            "status": _text(d["status"]),
            "said": said(d["sentences"]),
            "context": context,
            "degree": degree,
            "figures": [[_text(f.text), said(f.sentences), _measure(f.measure, stated_in(f.briefings))]
                        for f in d["figures"]],
            "relations": relations,
            "briefings": stated_in(d.get("briefings", ())),
        }
    vis_edges, edge_details = [], []
    for i, (u, v, _, d) in enumerate(sorted(g.edges(keys=True, data=True), key=lambda e: e[:3])):
        extra = {"color": {"opacity": 0.35}} if details[u]["context"] or details[v]["context"] else {}
        vis_edges.append({"id": i, "from": u, "to": v, **extra})
        edge_details.append({"label": _text(d["label"]), "said": said(d["sentences"]),
                             "briefings": stated_in(d.get("briefings", ()))})
    legend = [
        {"key": s.key, "label": s.label, "color": s.color, "shape": s.shape, "count": styles[s.key]}
        for s in (*STYLES, OTHER)
        if styles[s.key]
    ]
    context_count = sum(1 for d in details.values() if d["context"])
    data = {
        "title": _text(title),
        "notes": [_text(n) for n in notes],
        "details": details,
        # what drawing the labels reads, most connected first: [id, short label, size]
        "ranked": [[n, _short(details[n]["label"]), sizes[n]] for n in sorted(g, key=lambda n: (-degrees[n], n))],
        "edges": edge_details,
        "sentences": list(sentences),
        "legend": legend,
        "small": small,
        "focus": focus,
        "context": context_count,
        "briefings": [
            {"slug": b.slug, "held": b.held, "title": _text(b.title),
             "count": sum(1 for d in details.values() if not d["context"] and i in d["briefings"])}
            for i, b in enumerate(briefings)
        ],
    }
    template = _environment(data).get_template("viz.html")
    page = _with_script_hashes(template.render(heading=_text(title), nodes=vis_nodes, edges=vis_edges,
                                               options=json.dumps(_options(small))))
    return Page(page, g.number_of_nodes() - context_count, g.number_of_edges(), small, context_count)


_HASHES = "'kg-script-hashes'"


def _with_script_hashes(page: str) -> str:
    """The page with its CSP allowing exactly its own inline scripts, by their SHA-256 (no 'unsafe-inline').

    The placeholder sits in the CSP ``<meta>``, which comes before every script, so the first occurrence
    is the one replaced even if a name in the data happens to spell it. JSON in the scripts escapes ``<``,
    so no data can end a script early. (The scripts are found with ``str.find``: a non-greedy regular
    expression over a 20 MB page takes a second.)
    """
    hashes, at = [], page.find("<script>")
    while at >= 0:
        end = page.index("</script>", at)
        script = page[at + len("<script>") : end].encode("utf-8")
        hashes.append("'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'")
        at = page.find("<script>", end)
    return page.replace(_HASHES, " ".join(hashes), 1)


def _environment(data: dict) -> Environment:
    from importlib.util import find_spec

    here = Path(__file__).parent
    pyvis = find_spec("pyvis")  # where its vis-network files are, without importing it
    assert pyvis is not None and pyvis.origin is not None, "pyvis is a dependency of kg"
    env = Environment(
        loader=ChoiceLoader(
            [FileSystemLoader(here / "templates"), FileSystemLoader(Path(pyvis.origin).parent / "templates")]
        ),
        autoescape=True,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}  # no spaces: MBs less
    env.globals["kg"] = data
    env.globals["favicon"] = "data:image/svg+xml;base64," + base64.b64encode(_FAVICON.encode()).decode()
    return env


# An inline icon: without one, a browser asks the file system (or server) for /favicon.ico.
_FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="4" cy="4" r="3" fill="#2f6fb0"/>'
    '<circle cx="12" cy="6" r="3" fill="#d1495b"/><circle cx="7" cy="12" r="3" fill="#4f9d3a"/></svg>'
)


#: Line breaks and separators that would otherwise vanish (U+2028, U+2029) or break a one-line name.
_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]")


@overload
def _text(s: str) -> str: ...
@overload
def _text(s: None) -> None: ...
def _text(s: str | None) -> str | None:
    """A name or sentence as the page shows it: every line or paragraph separator a space.

    >>> _text("Minhang\u2028District")
    'Minhang District'
    """
    return None if s is None else _BREAKS.sub(" ", s)


def _iso(name: str) -> str:
    """A name set inside a sentence, isolated for bidirectional text (U+2068 ... U+2069): a right-to-left
    override in it ends at its end instead of flipping the words around it."""
    return "\u2068" + (_text(name) or "") + "\u2069"


def _measure(m: Measure | None, briefings: list[int]) -> dict | None:
    """A figure as the panel's charts read it: value, unit, indicator, period days, briefings (indices)."""
    if m is None or not math.isfinite(m.value):
        return None
    return {"value": m.value, "unit": _text(m.unit), "indicator": _text(m.indicator), "start": m.start,
            "end": m.end, "briefings": briefings}


def _short(label: str, limit: int = 34) -> str:
    """A canvas label: long names are cut at a word (the panel shows them whole)."""
    if len(label) <= limit:
        return label
    cut = label[:limit]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:(") + "…"


def _options(small: bool) -> dict:
    """vis-network's options: no physics (the layout is final), straight relations hidden while a large
    graph's view moves."""
    return {
        "autoResize": True,
        "nodes": {"borderWidth": 1, "borderWidthSelected": 3},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "width": 1,
            "color": {"color": "#c3c8d0", "highlight": "#30363d", "hover": "#30363d", "inherit": False},
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3} if small else False,
            "selectionWidth": 1.5,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": not small,
            "hideEdgesOnZoom": not small,
            "multiselect": False,
            "navigationButtons": False,
            "keyboard": False,
        },
        "layout": {"improvedLayout": False, "randomSeed": SEED},
        "physics": {"enabled": False},
    }


def page_for(
    g: nx.MultiDiGraph,
    focus: str | None = None,
    depth: int = 1,
    types: Iterable[str] = (),
    sectors: Iterable[str] = (),
    title: str | None = None,
    briefings: Iterable[str] = (),
    since: str | None = None,
    until: str | None = None,
) -> Page:
    """Filter the view and build its page: what ``kg viz`` does, for notebooks and scripts.

    ``briefings`` (slugs), ``since`` and ``until`` (ISO dates) keep what those briefings state
    (:func:`kg.graphview.in_briefings`) before the other filters apply."""
    g, notes = by_briefing(g, briefings, since, until)
    sub, more = select_nodes(g, focus, depth, types, sectors)
    notes += more
    events, shown = g.graph.get("events", []), g.graph.get("briefings", [])
    if title is None:
        title = (events[0] if len(events) == 1 else shown[0].title if len(shown) == 1
                 else f"kg network of {len(shown)} briefings")
    return build_page(sub, title, notes)
