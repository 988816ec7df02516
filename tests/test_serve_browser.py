"""kg serve's pages in a real browser (headless Debian chromium over the DevTools protocol): an entity page
shows its sentences and links, the index runs a catalogued query and frames the network page, and nothing
is fetched from anywhere but kg serve. Skipped, with the reason, where chromium is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from servers import KgServer

from chromium import Browser, why_no_browser

pytestmark = pytest.mark.skipif(why_no_browser() is not None, reason=str(why_no_browser()))


@pytest.fixture(scope="module")
def server(built_project: Path):
    s = KgServer(built_project)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def browser():
    with Browser(width=1280, height=900) as b:
        yield b


def loaded(browser: Browser, url: str):
    tab = browser.open(url)
    tab.wait_for("document.readyState === 'complete'", timeout=60)
    browser.pump(0.3)
    return tab


def test_entity_page_shows_its_sentences_and_follows_a_link(browser, server):
    tab = loaded(browser, server.url + "id/huawei")
    assert tab.evaluate("document.querySelector('h1').textContent") == "Huawei"
    sentences = tab.evaluate("[...document.querySelectorAll('blockquote.sentence')].map(b => b.innerText)")
    assert any("in partnership with Huawei" in " ".join(s.split()) for s in sentences)
    assert tab.evaluate("document.querySelectorAll('section.relation').length") >= 2
    assert tab.console_errors() == [] and tab.dialogs() == []
    assert all(u.startswith(server.url) for u in tab.requests()), tab.requests()
    # follow the link to a related entity, as a reader would
    tab.evaluate("document.querySelector('a[href=\"/id/partnership-huawei-mindspore\"]').click()")
    tab.wait_for("location.pathname === '/id/partnership-huawei-mindspore' && document.readyState === 'complete'")
    assert "Partnership" in tab.evaluate("document.querySelector('h1').textContent")


def test_index_runs_a_catalogued_query_and_frames_the_network_page(browser, server):
    tab = loaded(browser, server.url + "?name=officials")
    rows = tab.evaluate("document.querySelectorAll('#results tbody tr').length")
    assert rows > 3
    assert "Xu Hao" in tab.evaluate("document.querySelector('#results').innerText")
    tab.wait_for("!!document.querySelector('iframe').contentWindow.kgReady", timeout=90)
    assert tab.evaluate("document.querySelector('iframe').contentWindow.kgReady.nodes") > 50
    browser.pump(0.3)
    assert tab.console_errors() == [] and tab.dialogs() == []
    assert all(u.startswith(server.url) for u in tab.requests()), tab.requests()
