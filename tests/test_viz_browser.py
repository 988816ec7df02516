"""The network page in a real browser (headless Debian chromium over the DevTools protocol).

Skipped, with the reason, where chromium is missing; CI installs it (.ci/run). Set KG_SCREENSHOTS=DIR
to keep the screenshots.
"""

from __future__ import annotations

import json
import os
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
    assert (ready["nodes"], ready["edges"]) == (view.number_of_nodes(), view.number_of_edges())
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
    assert hidden == tab.evaluate("nodes.get({filter: n => n.kind === 'sector'}).length") > 0
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
    assert (ready["nodes"], ready["edges"], ready["physics"]) == (5000, view.number_of_edges(), False)
    assert tab.evaluate("network.physics.physicsEnabled") is False
    tab.screenshot(shots(tmp_path) / "viz-5000.png")
