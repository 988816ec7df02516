"""The network page in a real browser (headless Debian chromium over the DevTools protocol).

Skipped, with the reason, where chromium is missing; CI installs it (.ci/run). Set KG_SCREENSHOTS=DIR
to keep the screenshots.
"""

from __future__ import annotations

import json
import math
import os
import re
import time
from pathlib import Path

import pytest

from chromium import Browser, why_no_browser
from conftest import run
from kg.graphview import find_entity, load_view
from kg.project import find_project

pytestmark = pytest.mark.skipif(why_no_browser() is not None, reason=str(why_no_browser()))

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def browser():
    with Browser(width=1440, height=900) as b:
        yield b


def shots(tmp_path: Path) -> Path:
    keep = os.environ.get("KG_SCREENSHOTS")
    out = Path(keep) if keep else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    return out


def open_page(browser: Browser, path: Path):
    tab = browser.open(path.as_uri())
    tab.wait_for("window.kgReady", timeout=60)
    browser.pump(0.3)  # late console messages or requests
    return tab


def assert_clean(tab, path: Path) -> None:
    assert tab.console_errors() == []
    assert tab.dialogs() == []
    assert tab.requests() == [path.as_uri()], "the page asked for something besides itself"


def test_page_loads_offline_with_every_node_edge_and_the_legend(browser, built_project: Path, tmp_path: Path):
    view = load_view(find_project(built_project))
    page = tmp_path / "kg.html"
    assert run(built_project, "viz", "-o", str(page)).exit_code == 0
    tab = open_page(browser, page)
    assert_clean(tab, page)
    ready = tab.evaluate("window.kgReady")
    assert (ready["nodes"], ready["edges"], ready["small"]) == (view.number_of_nodes(), view.number_of_edges(), True)
    # no physics runs in the page, not even on a small one: every entity is where Python laid it out
    assert tab.evaluate("network.physics.physicsEnabled") is False
    moved = tab.evaluate("nodes.get().filter(function (n) { var p = network.getPosition(n.id); "
                         "return p.x !== n.x || p.y !== n.y; }).length")
    assert moved == 0
    drawn = tab.evaluate("[network.body.nodeIndices.length, network.body.edgeIndices.length]")
    assert drawn == [view.number_of_nodes(), view.number_of_edges()]
    legend = tab.evaluate("Array.from(document.querySelectorAll('#legend li')).map(li => li.textContent)")
    assert any(x.startswith("Enterprise") for x in legend) and any(x.startswith("Place") for x in legend)
    assert tab.evaluate("document.querySelectorAll('#legend svg').length") == len(legend)
    counts = tab.evaluate("document.getElementById('counts').textContent")
    assert counts.startswith(f"{view.number_of_nodes()} entities"), counts
    png = tab.screenshot(shots(tmp_path) / "viz-overview.png")
    assert png.stat().st_size > 20_000  # a drawn network, not a blank page


def test_search_select_and_details_show_the_sentence(browser, built_project: Path, tmp_path: Path):
    page = tmp_path / "kg.html"
    assert run(built_project, "viz", "-o", str(page)).exit_code == 0
    tab = open_page(browser, page)
    tab.evaluate("var s = document.getElementById('search'); s.value = 'huawei'; s.dispatchEvent(new Event('input'));")
    results = tab.evaluate("Array.from(document.querySelectorAll('#results li')).map(li => li.textContent)")
    assert results and results[0].startswith("Huawei")
    tab.evaluate("document.getElementById('search').dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}))")
    tab.wait_for("document.querySelector('#details h3') && "
                 "document.querySelector('#details h3').textContent === 'Huawei'")
    details = tab.evaluate("document.getElementById('details').textContent")
    assert "MindSpore" in details and "in partnership with Huawei" in details
    assert tab.evaluate("network.getSelectedNodes()") == [find_entity(load_view(find_project(built_project)), "huawei")]
    tab.evaluate("document.querySelectorAll('#details details').forEach(d => d.open = true)")
    browser.pump(0.6)  # the focus animation
    tab.screenshot(shots(tmp_path) / "viz-huawei.png")
    # the type filter hides and shows nodes
    tab.evaluate("document.querySelector('#legend input[data-kind=sector]').click()")
    hidden = tab.evaluate("nodes.get({filter: n => n.hidden}).length")
    assert hidden == tab.evaluate("nodes.get({filter: n => KG.details[n.id].kind === 'sector'}).length") > 0
    assert_clean(tab, page)


def test_hostile_label_shows_as_text_and_runs_nothing(browser, project: Path, tmp_path: Path):
    people = project / "data" / "entities" / "people.yaml"  # Xu Hao is a registry entity
    text = people.read_text(encoding="utf-8")
    assert "name: Xu Hao" in text
    people.write_text(text.replace("name: Xu Hao", f'name: "{HOSTILE}"'), encoding="utf-8")
    page = tmp_path / "hostile.html"
    assert run(project, "viz", "--focus", "xu-hao", "--depth", "2", "-o", str(page)).exit_code == 0
    tab = open_page(browser, page)
    node = tab.evaluate(f"Object.keys(KG.details).find(k => KG.details[k].label === {json.dumps(HOSTILE)})")
    assert node
    tab.evaluate(f"showNode({json.dumps(node)})")
    assert tab.evaluate("document.querySelector('#details h3').textContent") == HOSTILE
    tab.evaluate("var s = document.getElementById('search'); s.value = 'onerror'; s.dispatchEvent(new Event('input'));")
    assert HOSTILE in tab.evaluate("document.getElementById('results').textContent")
    assert HOSTILE in tab.evaluate("document.getElementById('notes').textContent")  # the focus, named in the header
    browser.pump(0.3)
    assert tab.evaluate("document.querySelectorAll('img').length") == 0
    assert_clean(tab, page)  # no alert dialog, no request for "x"


def test_five_thousand_nodes_draw_without_physics(browser, tmp_path: Path):
    from kg.viz import page_for
    from synthetic import synthetic_view

    view = synthetic_view(5000)
    page = tmp_path / "big.html"
    page_for(view).write(page)
    tab = open_page(browser, page)
    assert_clean(tab, page)
    ready = tab.evaluate("window.kgReady")
    assert (ready["nodes"], ready["edges"], ready["small"]) == (5000, view.number_of_edges(), False)
    assert tab.evaluate("network.physics.physicsEnabled") is False
    tab.screenshot(shots(tmp_path) / "viz-5000.png")


# --- what an analyst sees: measured in the browser ------------------------------------------------------

#: Records every text the network's canvas draws, with its box in CSS pixels, and every CSP violation.
#: It watches the canvas API itself, so it measures whatever draws labels (the page or vis-network).
WATCH = r"""
window.__texts = []; window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) { window.__csp.push(e.violatedDirective); });
(function () {
  var P = CanvasRenderingContext2D.prototype, fill = P.fillText, stroke = P.strokeText;
  function watch(orig) {
    return function (text, x, y) {
      if (this.canvas.isConnected) {
        var m = this.getTransform(), r = window.devicePixelRatio || 1, px = parseFloat(/([\d.]+)px/.exec(this.font)[1]);
        var w = this.measureText(text).width * m.a / r,
            h = px * m.d / r, sx = (m.a * x + m.e) / r, sy = (m.d * y + m.f) / r;
        var left = {center: sx - w / 2, right: sx - w, end: sx - w}[this.textAlign];
        var top = {top: sy, hanging: sy, middle: sy - h / 2}[this.textBaseline];
        window.__texts.push({text: String(text), x: left === undefined ? sx : left, y: top === undefined ? sy - h : top,
                             w: w, h: h, alpha: this.globalAlpha});
      }
      return orig.apply(this, arguments);
    };
  }
  P.fillText = watch(fill); P.strokeText = watch(stroke);
})();
"""


def open_watched(browser: Browser, path: Path):
    tab = browser.open(path.as_uri(), init_script=WATCH)
    tab.wait_for("window.kgReady", timeout=60)
    browser.pump(0.3)
    return tab


def drawn_labels(tab, browser: Browser) -> list[dict]:
    """The texts of one fresh frame at rest that lie on the visible canvas (one entry per text and place).

    While the view moves (a wheel step, a drag) frames re-place the last labels; the full choice is made
    once it rests, so the frame is taken after that."""
    tab.wait_for("!moving")
    tab.evaluate("window.__texts = []; network.redraw()")
    browser.pump(0.3)
    w, h = tab.evaluate("[network.canvas.frame.canvas.clientWidth, network.canvas.frame.canvas.clientHeight]")
    seen = {}
    for t in tab.evaluate("window.__texts"):
        if t["x"] + t["w"] > 0 and t["x"] < w and t["y"] + t["h"] > 0 and t["y"] < h:
            seen[(t["text"], round(t["x"]), round(t["y"]))] = t
    return list(seen.values())


def overlaps(labels: list[dict]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if (
                a["x"] < b["x"] + b["w"] - 0.5
                and b["x"] < a["x"] + a["w"] - 0.5
                and a["y"] < b["y"] + b["h"] - 0.5
                and b["y"] < a["y"] + a["h"] - 0.5
            ):
                out.append((a["text"], b["text"]))
    return out


def screen_of(tab, node: str) -> tuple[float, float]:
    """Where a node is on the page, in CSS pixels."""
    return tuple(
        tab.evaluate(f"""(function () {{ var p = network.canvasToDOM(network.getPosition({json.dumps(node)})),
        r = document.getElementById('mynetwork').getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }})()""")
    )


def canvas_centre(tab) -> tuple[float, float]:
    return tuple(
        tab.evaluate("""(function () { var r = document.getElementById('mynetwork').getBoundingClientRect();
        return [r.left + r.width / 2, r.top + r.height / 2]; })()""")
    )


@pytest.fixture(scope="module")
def briefing_page(built_project: Path, tmp_path_factory) -> Path:
    page = tmp_path_factory.mktemp("page") / "kg.html"
    assert run(built_project, "viz", "-o", str(page)).exit_code == 0
    return page


def test_labels_are_legible_and_apart_at_the_opening_view_and_more_show_zoomed_in(
    browser, briefing_page: Path, tmp_path: Path
):
    tab = open_watched(browser, briefing_page)
    opening = drawn_labels(tab, browser)
    assert len(opening) >= 15, [t["text"] for t in opening]
    assert min(t["h"] for t in opening) >= 11
    assert overlaps(opening) == []
    tab.screenshot(shots(tmp_path) / "viz-opening.png")
    # the most connected entity is labelled at the opening view
    assert tab.evaluate("shortAt[0]") in {t["text"] for t in opening}
    x, y = canvas_centre(tab)
    for _ in range(4):  # four wheel steps in
        tab.mouse("wheel", x, y, deltaX=0, deltaY=-120)
        browser.pump(0.1)
    zoomed = drawn_labels(tab, browser)
    assert tab.evaluate("network.getScale()") > tab.evaluate("openingView.scale") * 1.3
    assert min(t["h"] for t in zoomed) >= 11 and overlaps(zoomed) == []
    # zoomed in, entities that had no room for a label at the opening view get one
    assert {t["text"] for t in zoomed} - {t["text"] for t in opening}
    tab.screenshot(shots(tmp_path) / "viz-zoomed.png")
    assert_clean(tab, briefing_page)
    assert tab.evaluate("window.__csp") == []


def test_controls_fit_zoom_and_reset(browser, briefing_page: Path):
    tab = open_watched(browser, briefing_page)
    tab.evaluate("window.moves = 0; network.on('animationFinished', function () { window.moves += 1; }); 0")
    start = tab.evaluate("network.getScale()")

    def click(button: str) -> None:
        """Click a control and wait for its move to end (it is animated on a small page): a control
        clicked mid-move would start from wherever the previous one had got to."""
        moves = tab.evaluate("window.moves")
        tab.evaluate(f"document.getElementById('{button}').click()")
        if tab.evaluate("KG.small"):
            tab.wait_for(f"window.moves > {moves}", timeout=15)

    def scale_is(expected: float) -> None:
        tab.wait_for(f"Math.abs(network.getScale() - {expected}) < {expected / 100}", timeout=15)

    click("zoom-in")
    scale_is(start * 1.5)
    click("zoom-out")
    scale_is(start)
    click("zoom-out")
    scale_is(start / 1.5)
    tab.evaluate("network.moveTo({position: {x: 5000, y: 5000}, scale: 3})")
    tab.evaluate("document.getElementById('reset').click()")  # reset jumps, without a move to wait for
    scale_is(start)
    tab.evaluate("network.moveTo({position: {x: 5000, y: 5000}, scale: 3})")
    click("fit")
    tab.wait_for("network.getScale() < 1", timeout=15)


def pixel(tab, x: float, y: float) -> int:
    """Brightness (R+G+B) of the canvas at a page position."""
    return tab.evaluate(f"""(function () {{ var c = network.canvas.frame.canvas, r = c.getBoundingClientRect(),
        d = window.devicePixelRatio || 1;
        var p = c.getContext('2d').getImageData(
            Math.round(({x} - r.left) * d), Math.round(({y} - r.top) * d), 1, 1).data;
        return p[0] + p[1] + p[2]; }})()""")


def test_hover_highlights_the_neighbourhood_and_dims_the_rest(browser, briefing_page: Path):
    tab = open_watched(browser, briefing_page)
    hub = tab.evaluate("ordered[0]")
    hood = set(tab.evaluate(f"network.getConnectedNodes({json.dumps(hub)})")) | {hub}
    left, top = tab.evaluate(
        "(function () { var r = document.getElementById('mynetwork').getBoundingClientRect(); "
        "return [r.left, r.top]; })()"
    )

    def bare(n):  # a node whose centre no label covers (label boxes are in canvas pixels)
        x, y = screen_of(tab, n)
        x, y = x - left, y - top
        return not any(
            b["x"] <= x <= b["x"] + b["w"] and b["y"] <= y <= b["y"] + b["h"] for b in tab.evaluate("window.kgLabels")
        )

    def off_the_hubs_edges(n):  # hovering draws the hub's relations on top: a far node must not lie under one
        px, py = screen_of(tab, n)
        (hx, hy), far_enough = screen_of(tab, hub), True
        for m in hood - {hub}:
            mx, my = screen_of(tab, m)
            dx, dy = mx - hx, my - hy
            t = max(0.0, min(1.0, ((px - hx) * dx + (py - hy) * dy) / ((dx * dx + dy * dy) or 1)))
            far_enough &= math.hypot(px - hx - t * dx, py - hy - t * dy) > 12
        return far_enough

    candidates = [n for n in tab.evaluate("ordered") if n in hood and n != hub and bare(n)]
    far_candidates = [
        n
        for n in tab.evaluate("ordered")
        if n not in hood and tab.evaluate(f"network.getConnectedNodes({json.dumps(n)}).length") > 2 and bare(n)
    ]
    tab.evaluate(f"hovered = {json.dumps(hub)}; network.redraw()")
    browser.pump(0.2)
    # Hovering gives the neighbourhood's labels the first places: both nodes must stay bare under them too.
    near = next(n for n in candidates if bare(n))
    far = next(n for n in far_candidates if bare(n) and off_the_hubs_edges(n))
    tab.evaluate("hovered = null; network.redraw()")
    browser.pump(0.2)
    before_far, before_near = pixel(tab, *screen_of(tab, far)), pixel(tab, *screen_of(tab, near))
    tab.mouse("moved", *screen_of(tab, hub))
    browser.pump(0.4)
    assert tab.evaluate("hovered") == hub
    after_far, after_near = pixel(tab, *screen_of(tab, far)), pixel(tab, *screen_of(tab, near))
    assert after_far > before_far + 150, (before_far, after_far)  # washed out towards white
    assert abs(after_near - before_near) < 40, (before_near, after_near)
    dimmed = [t for t in drawn_labels(tab, browser) if t["alpha"] < 1]
    assert dimmed and tab.evaluate("shortAt[0]") in {
        t["text"] for t in drawn_labels(tab, browser) if t["alpha"] == 1
    }


def test_a_pinned_panel_stays_across_a_mouse_path_over_relations(browser, briefing_page: Path, tmp_path: Path):
    tab = open_watched(browser, briefing_page)
    tab.evaluate("window.__edgeHovers = 0; network.on('hoverEdge', function () { window.__edgeHovers++; }); 0")
    hub = tab.evaluate("ordered[0]")
    x, y = screen_of(tab, hub)
    tab.mouse("moved", x, y)
    browser.pump(0.2)
    assert tab.evaluate("[details.dataset.shows, details.dataset.state]") == [hub, "preview"]
    tab.mouse("pressed", x, y)
    tab.mouse("released", x, y)
    browser.pump(0.3)
    assert tab.evaluate("[details.dataset.shows, details.dataset.state]") == [hub, "pinned"]
    ax, ay = tab.evaluate(
        "(function () { var r = document.querySelector('aside').getBoundingClientRect(); "
        "return [r.left + 40, r.top + r.height / 2]; })()"
    )
    # a wandering path over the graph, then into the panel
    points = [
        (x + (cx - x) * i / 30, y + (cy - y) * i / 30) for cx, cy in ((x - 300, y + 250), (ax, ay)) for i in range(31)
    ]
    paused = False
    for px, py in points:
        tab.mouse("moved", px, py)
        browser.pump(0.02)
        if not paused and tab.evaluate("window.__edgeHovers"):
            browser.pump(0.7)  # rest on the relation longer than a preview takes
            paused = True
    browser.pump(0.6)
    assert tab.evaluate("window.__edgeHovers") > 0, "the path crossed no relation: the test proves nothing"
    assert tab.evaluate("[details.dataset.shows, details.dataset.state]") == [hub, "pinned"]
    # the panel scrolls within itself; the page itself never scrolls
    assert tab.evaluate("document.scrollingElement.scrollHeight <= window.innerHeight")
    assert tab.evaluate("document.querySelector('aside').getBoundingClientRect().bottom <= window.innerHeight")
    summaries = tab.evaluate("Array.from(document.querySelectorAll('#details summary')).map(s => s.textContent)")
    assert any(re.search(r"\(\d+\)$", s) for s in summaries)
    # a related entity is a link that selects it, pins it and centres it
    other = tab.evaluate("document.querySelector('#details button.link').dataset.id")
    tab.evaluate("document.querySelector('#details button.link').click()")
    browser.pump(0.6)
    assert tab.evaluate("[details.dataset.shows, details.dataset.state]") == [other, "pinned"]
    assert tab.evaluate("network.getSelectedNodes()") == [other]

    def centred() -> bool:
        return all(abs(a - b) < 3 for a, b in zip(screen_of(tab, other), canvas_centre(tab), strict=True))

    deadline = time.monotonic() + 10  # the move is animated on this page: on a loaded machine it takes longer
    while not centred() and time.monotonic() < deadline:
        browser.pump(0.1)
    assert centred()
    tab.evaluate("document.getElementById('unpin').click()")
    assert tab.evaluate("details.dataset.state") == ""
    tab.screenshot(shots(tmp_path) / "viz-panel.png")


def test_the_largest_panel_is_grouped_and_short(browser, built_project: Path, briefing_page: Path, tmp_path: Path):
    tab = open_watched(browser, briefing_page)
    minhang = find_entity(load_view(find_project(built_project)), "minhang-district")
    tab.evaluate(f"select({json.dumps(minhang)})")
    browser.pump(0.5)
    height = tab.evaluate("document.getElementById('details').scrollHeight")
    assert height < 1400, height  # was 3,656 px with every list open
    tab.screenshot(shots(tmp_path) / "viz-minhang.png")


def test_a_type_filter_shows_relations_and_dimmed_neighbours(browser, built_project: Path, tmp_path: Path):
    page = tmp_path / "enterprise.html"
    assert run(built_project, "viz", "--type", "Enterprise", "-o", str(page)).exit_code == 0
    tab = open_watched(browser, page)
    assert_clean(tab, page)
    assert tab.evaluate("network.body.edgeIndices.length") > 0
    context = tab.evaluate("nodes.get({filter: n => KG.details[n.id].context}).map(n => n.id)")
    assert context and all(tab.evaluate(f"network.body.nodes[{json.dumps(c)}].options.opacity") < 0.5 for c in context)
    assert all(
        tab.evaluate(f"network.body.nodes[{json.dumps(c)}].options.opacity") is None
        for c in tab.evaluate("nodes.get({filter: n => !KG.details[n.id].context}).map(n => n.id)")
    )
    tab.screenshot(shots(tmp_path) / "viz-enterprise.png")
    # neighbours of types outside the legend stay when a type is switched off and on
    tab.evaluate("document.querySelector('#legend input').click(); document.querySelector('#legend input').click()")
    assert tab.evaluate("nodes.get({filter: n => KG.details[n.id].context && !n.hidden}).length") == len(context)
    tab.evaluate("document.querySelector('#context-toggle input').click()")
    assert tab.evaluate("nodes.get({filter: n => KG.details[n.id].context && !n.hidden}).length") == 0
    assert "neighbours (hidden)" in tab.evaluate("document.getElementById('counts').textContent")


def test_the_focus_is_marked_centred_and_selected_on_load(browser, built_project: Path, tmp_path: Path):
    page = tmp_path / "huawei.html"
    assert run(built_project, "viz", "--focus", "huawei", "--depth", "2", "-o", str(page)).exit_code == 0
    tab = open_watched(browser, page)
    huawei = find_entity(load_view(find_project(built_project)), "huawei")
    assert tab.evaluate("network.getSelectedNodes()") == [huawei]
    assert tab.evaluate("[details.dataset.shows, details.dataset.state]") == [huawei, "pinned"]
    assert all(abs(a - b) < 3 for a, b in zip(screen_of(tab, huawei), canvas_centre(tab), strict=True))
    assert tab.evaluate(f"network.body.nodes[{json.dumps(huawei)}].options.borderWidth") == 4
    assert "Huawei" in {t["text"] for t in drawn_labels(tab, browser)}
    tab.screenshot(shots(tmp_path) / "viz-focus.png")


def test_a_changed_script_is_refused_by_the_csp_and_the_test_sees_it(browser, built_project: Path, tmp_path: Path):
    """The CSP names the page's scripts by hash: a script that differs by one character does not run, and
    the violation is reported (so the zero-violation checks above can fail)."""
    page = tmp_path / "tampered.html"
    assert run(built_project, "viz", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace('"use strict";', '"use strict"; ', 1), encoding="utf-8")
    tab = browser.open(page.as_uri(), init_script=WATCH)
    browser.pump(1.0)
    assert tab.evaluate("window.__csp") == ["script-src-elem"]
    assert tab.evaluate("typeof window.kgReady") == "undefined"
    assert any("Content Security Policy" in e for e in tab.console_errors())


LONG = "Very Long Name " * 666 + "End"  # about 10,000 characters
RLO = "\u202eevil override"  # an unclosed right-to-left override
SEPARATED = "Line\u2028Paragraph\u2029Name"


def test_hostile_names_keep_the_layout_and_their_neighbours(browser, built_project: Path, tmp_path: Path):
    from kg.viz import page_for

    view = load_view(find_project(built_project))
    huawei = find_entity(view, "huawei")
    view.nodes[huawei]["label"] = LONG
    partner = next(iter(view.successors(huawei)), None) or next(iter(view.predecessors(huawei)))
    near = set(view.to_undirected(as_view=True).subgraph(view)[huawei]) | {huawei}
    rlo = next(u for u, v in view.edges() if u not in (huawei, partner) and (u in near or v in near))
    view.nodes[rlo]["label"] = RLO
    view.nodes[partner]["label"] = SEPARATED
    page = tmp_path / "hostile-names.html"
    page_for(view, focus="huawei", depth=2).write(page)
    tab = open_watched(browser, page)
    assert_clean(tab, page)
    assert tab.evaluate("document.querySelector('header').getBoundingClientRect().height") < 60
    assert tab.evaluate("document.getElementById('mynetwork').getBoundingClientRect().height") > 700
    assert tab.evaluate("document.querySelector('#details h3').textContent") == LONG  # whole in the panel
    texts = {t["text"] for t in drawn_labels(tab, browser)}
    assert any(t.endswith("…") and len(t) <= 35 and t.startswith("Very Long") for t in texts)  # cut on the canvas
    assert tab.evaluate(f"KG.details[{json.dumps(partner)}].label") == "Line Paragraph Name"
    tab.screenshot(shots(tmp_path) / "viz-hostile-names.png")
    # the override stays inside its name: the words after it in the header still run left to right, after it
    page_for(view, focus=view.nodes[rlo]["slug"]).write(page)
    tab = open_watched(browser, page)
    name_right, after_left = (
        tab.evaluate("""(function () { var t = document.getElementById('notes').firstChild, s = t.data;
        function box(a, b) { var r = document.createRange();
            r.setStart(t, a); r.setEnd(t, b); return r.getBoundingClientRect(); }
        var i = s.indexOf('evil'), j = s.indexOf('depth');
        return [box(i, i + 'evil override'.length).right, box(j, j + 5).left]; })()""")
    )
    assert after_left >= name_right - 1, (name_right, after_left)


def test_in_a_notebook_the_frame_is_sandboxed_and_the_wheel_scrolls_until_one_clicks_in(
    browser, built_project: Path, tmp_path: Path
):
    from kg.viz import page_for

    shown = page_for(load_view(find_project(built_project)), focus="huawei")._repr_html_()
    notebook = tmp_path / "notebook.html"
    notebook.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><div style="height:200px">cell</div>{shown}'
        f'<div style="height:3000px">more cells</div></body></html>',
        encoding="utf-8",
    )
    tab = browser.open(notebook.as_uri())
    browser.pump(3.0)
    assert tab.evaluate("document.querySelector('iframe').getAttribute('sandbox')") == "allow-scripts"
    x, y = 700, 200 + 320
    tab.mouse("moved", x, y)
    tab.mouse("wheel", x, y, deltaX=0, deltaY=200)
    browser.pump(0.6)
    scrolled = tab.evaluate("window.scrollY")
    assert scrolled > 0, "the wheel over the graph did not scroll the notebook"
    y -= scrolled
    tab.mouse("pressed", x, y)
    tab.mouse("released", x, y)
    browser.pump(0.3)
    tab.mouse("wheel", x, y, deltaX=0, deltaY=200)
    browser.pump(0.6)
    assert tab.evaluate("window.scrollY") == scrolled, "after a click into the graph the wheel zooms it"


@pytest.fixture(scope="module")
def series_page(tmp_path_factory) -> Path:
    """The page of the bundled briefing and the fictional series together."""
    from conftest import copy_project

    out = tmp_path_factory.mktemp("series")
    root = copy_project(out / "project", series=True)
    page = out / "series.html"
    assert run(root, "viz", "-o", str(page)).exit_code == 0
    return page


def test_the_briefing_boxes_hide_what_only_unticked_briefings_state(browser, series_page: Path, tmp_path: Path):
    page = series_page
    tab = open_watched(browser, page)
    assert_clean(tab, page)
    ids = "https://example.org/kg/id/"
    fenwright, zone = ids + "ilsa-fenwright", ids + "harbour-crescent-innovation-zone"
    ashgrove, post = ids + "tovin-ashgrove", ids + "post-deputy-chief-larkmoor"
    boxes = tab.evaluate("Array.from(document.querySelectorAll('#briefings input')).map(b => b.dataset.briefing)")
    assert boxes[-4:] == ["aurelport-courier-2024-03-13", "aurelport-larkmoor-2024-03-12",
                          "aurelport-wrenfield-2024-05-21", "aurelport-larkmoor-2024-09-10"]
    assert tab.evaluate("document.getElementById('briefings').hidden") is False

    def hidden(node: str) -> bool:
        return bool(tab.evaluate(f"!!nodes.get({json.dumps(node)}).hidden"))

    def untick(slug: str) -> None:
        tab.evaluate(f"document.querySelector('#briefings input[data-briefing=\"{slug}\"]').click()")

    untick("aurelport-wrenfield-2024-05-21")
    assert hidden(fenwright) and not hidden(zone)
    for slug in ("aurelport-courier-2024-03-13", "aurelport-larkmoor-2024-03-12"):
        untick(slug)
    assert not hidden(zone)  # September names it too
    assert not hidden(ashgrove)
    edge = tab.evaluate(
        f"edges.get({{filter: e => e.from === {json.dumps(ashgrove)} && e.to === {json.dumps(post)}}})[0]")
    assert not edge.get("hidden")
    untick("aurelport-larkmoor-2024-09-10")
    assert hidden(zone) and hidden(ashgrove)
    assert tab.evaluate(f"edges.get({edge['id']}).hidden") is True
    assert "of" in tab.evaluate("document.getElementById('counts').textContent")
    # selecting a hidden entity (search) ticks a briefing that names it again
    tab.evaluate(f"select({json.dumps(fenwright)})")
    assert not hidden(fenwright)
    assert tab.evaluate("document.querySelector('#briefings input[data-briefing=\"aurelport-wrenfield-2024-05-21\"]')"
                        ".checked") is True
    panel = tab.evaluate("document.getElementById('details').textContent")
    assert "Named in briefings" in panel and "2024-05-21" in panel
    tab.screenshot(shots(tmp_path) / "viz-series.png")


def test_one_briefing_shows_no_briefing_boxes(browser, built_project: Path, tmp_path: Path):
    page = tmp_path / "one.html"
    assert run(built_project, "viz", "--briefing", "minhang-2023-09-07", "-o", str(page)).exit_code == 0
    tab = open_page(browser, page)
    assert tab.evaluate("document.getElementById('briefings').hidden") is True
    assert tab.evaluate("KG.briefings.map(b => b.slug)") == ["minhang-2023-09-07"]


CHARTS = """Array.from(document.querySelectorAll('#details figure.chart')).map(f => ({
  kind: f.dataset.kind, caption: f.querySelector('figcaption').textContent,
  values: Array.from(f.querySelectorAll('[data-value]')).map(e => Number(e.dataset.value)),
  widths: Array.from(f.querySelectorAll('rect')).map(r => Number(r.getAttribute('width'))),
  ends: Array.from(f.querySelectorAll('circle')).map(c => c.dataset.end),
  labels: Array.from(f.querySelectorAll('text')).map(t => t.textContent)}))"""


def test_figures_that_share_a_unit_are_bars_and_one_indicator_over_dates_a_line(browser, series_page: Path):
    tab = open_watched(browser, series_page)
    tab.evaluate("pin('https://example.org/kg/id/larkmoor-district')")
    charts = tab.evaluate(CHARTS)
    # 310 high-tech enterprises as of 12 March (two outlets: one point), 355 as of 10 September
    [line] = [c for c in charts if c["kind"] == "line"]
    assert line["caption"] == "number of high-tech enterprises (count)"
    assert (line["values"], line["ends"]) == ([310, 355], ["2024-03-12", "2024-09-10"])
    # a year's revenue and a half-year's are not one line; they are bars in yuan, each with its date
    bars = {c["caption"]: c for c in charts if c["kind"] == "bars"}
    assert set(bars) == {"Figures in count", "Figures in yuan"}
    assert bars["Figures in yuan"]["values"] == [4.2e9, 2.5e9]
    assert "general bud… · 2023-12-31" in bars["Figures in yuan"]["labels"]
    for c in bars.values():  # bar lengths in proportion to the values
        a, b = c["widths"]
        assert abs(a / b - c["values"][0] / c["values"][1]) < 0.01
    tab.evaluate("pin('https://example.org/kg/id/minhang-district')")
    [count] = [c for c in tab.evaluate(CHARTS) if c["caption"].startswith("Figures in count")]
    assert count["caption"] == "Figures in count (largest 12 of 13)"
    # "the certification of 3,386 high-tech enterprises" is the largest count stated about the district
    assert count["values"] == sorted(count["values"], reverse=True) and count["values"][0] == 3386
    assert tab.console_errors() == []
