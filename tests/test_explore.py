"""The entity view, the network page (as HTML), analytics, paths and GraphML, on the bundled briefing.

Expected counts are derived from the built dataset itself, so they hold while the annotations grow.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from rdflib import RDF, SKOS, URIRef

from conftest import BRIEFING, run
from kg.graphview import find_entity, load_view
from kg.project import find_project
from kg.viz import SMALL_LIMIT, STYLES, page_for, select_nodes
from kg.vocab import ID, KG

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="session")
def view(built_project: Path):
    return load_view(find_project(built_project))


def page_data(html: str) -> dict:
    """The JSON the page script starts from (its ``kg-data`` block)."""
    return json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html).group(1))


def test_nodes_are_the_entities_and_nothing_else(view, dataset):
    entities = {s for s in dataset.subjects(SKOS.prefLabel, None) if (s, RDF.type, KG.Indicator) not in dataset}
    assert set(view) == {str(e) for e in entities}
    assert all(n.startswith(str(ID)) and "/" not in n[len(str(ID)):] for n in view)  # no spans, figures, assertions


def test_edges_are_the_asserted_relations_between_entities(view, dataset):
    expected = set()
    for a in dataset.subjects(RDF.type, KG.Assertion):
        s, p, o = (dataset.value(a, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if p != KG.status and str(s) in view and str(o) in view:
            expected.add((str(s), str(o), str(p)))
    assert set(view.edges(keys=True)) == expected
    assert all(d["label"] and d["sentences"] for *_, d in view.edges(keys=True, data=True))


def test_huawei_is_linked_to_the_mindspore_partnership_with_its_sentence(view):
    huawei = find_entity(view, "Huawei")
    partners = [n for n in nx.all_neighbors(view, huawei) if view.nodes[n]["type_name"] == "Partnership"]
    assert any("MindSpore" in view.nodes[n]["label"] for n in partners)
    facts = [f for f in view.nodes[huawei]["facts"] if "MindSpore" in f.text]
    assert facts and any("in partnership with Huawei" in s for f in facts for s in f.sentences)


def test_figures_sit_on_their_entity_with_their_sentence(view):
    minhang = view.nodes[find_entity(view, "minhang-district")]
    revenue = [f for f in minhang["figures"] if "18.137 billion yuan" in f.text]
    assert revenue and "24.5% year on year" in revenue[0].text
    assert any("fiscal revenue achieved an impressive milestone" in s for s in revenue[0].sentences)


def test_find_entity_by_slug_name_alias_and_case(view):
    iri = str(ID["minhang-district"])
    for ref in ("minhang-district", "kgr:minhang-district", "Minhang District", "minhang district", iri, "闵行区"):
        assert find_entity(view, ref) == iri


# --- the page as HTML --------------------------------------------------------------------------------

def test_page_is_self_contained_utf8_and_has_every_entity(built_project: Path, tmp_path: Path, view):
    out = tmp_path / "page.html"
    result = run(built_project, "viz", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"({view.number_of_nodes()} entities, {view.number_of_edges()} relations" in result.output
    html = out.read_bytes().decode("utf-8")
    assert '<meta charset="utf-8">' in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.IGNORECASE), "a resource from the network"
    assert not re.search(r"@import|url\(\s*[\"']?https?:", html), "a style from the network"
    data = page_data(html)
    assert len(data["details"]) == view.number_of_nodes()
    assert len(data["edges"]) == view.number_of_edges()
    assert data["details"][str(ID["minhang-district"])]["zh"] == "闵行区"
    assert {entry["key"] for entry in data["legend"]} <= {s.key for s in STYLES} | {"other"}
    assert data["small"] is (view.number_of_nodes() <= SMALL_LIMIT)


def test_page_template_never_uses_inner_html():
    template = (Path(__file__).parent.parent / "kg" / "templates" / "viz.html").read_text(encoding="utf-8")
    assert "innerHTML" not in template and "insertAdjacentHTML" not in template and "document.write" not in template


def test_hostile_label_is_escaped_in_the_page(project: Path, tmp_path: Path):
    people = project / "data" / "entities" / "people.yaml"
    text = people.read_text(encoding="utf-8")
    assert "name: Xu Hao" in text
    people.write_text(text.replace("name: Xu Hao", f'name: "{HOSTILE}"'), encoding="utf-8")
    out = tmp_path / "page.html"
    assert run(project, "viz", "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert HOSTILE not in html  # only ever as JSON with \u003c escapes
    assert HOSTILE in [d["label"] for d in page_data(html)["details"].values()]


def test_focus_keeps_the_neighbourhood(built_project: Path, view):
    result = run(built_project, "viz", "--focus", "huawei", "--depth", "2", "-o", "-")
    assert result.exit_code == 0
    data = page_data(result.stdout)
    huawei = find_entity(view, "huawei")
    expected = nx.ego_graph(view.to_undirected(as_view=True), huawei, radius=2)
    assert set(data["details"]) == set(expected)
    assert "around \u2068Huawei\u2069 (depth 2)" in data["notes"]  # the name isolated for bidi text


def test_type_and_sector_filters(view):
    page = page_for(view, types=["Place"])
    details = page_data(page.html)["details"]
    selected = {n for n, d in details.items() if not d["context"]}
    assert selected and all(details[n]["kind"] in ("place", "facility") for n in selected)
    # the direct neighbours come along as context, nothing further
    neighbours = {m for n in selected for m in (*view.predecessors(n), *view.successors(n))} - selected
    assert {n for n, d in details.items() if d["context"]} == neighbours
    assert page.context == len(neighbours) and page.nodes == len(selected)
    ai = find_entity(view, "Artificial intelligence")
    details = page_data(page_for(view, sectors=["Artificial intelligence"]).html)["details"]
    assert {n for n, d in details.items() if not d["context"]} == {ai, *view.predecessors(ai), *view.successors(ai)}


def test_type_filter_keeps_relations_to_neighbours_but_none_between_them(view):
    page = page_for(view, types=["Enterprise"])
    data = page_data(page.html)
    context = {n for n, d in data["details"].items() if d["context"]}
    assert page.edges > 0 and context
    sub, _ = select_nodes(view, types=["Enterprise"])
    assert all(not (u in context and v in context) for u, v in sub.edges())
    assert all(u not in context or v not in context for u, v in sub.edges())


def test_csp_allows_exactly_the_page_scripts_by_hash(view):
    html = page_for(view).html
    csp = re.search(r'Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert "unsafe-inline" not in csp.split("style-src")[0] and "unsafe-eval" not in csp
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    hashes = ["'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts]
    assert len(scripts) == 2 and all(h in csp for h in hashes)
    # every other script element is data the browser never runs
    blocks = {tag for tag in re.findall(r"<script[^>]*>", html) if tag != "<script>"}
    assert blocks == {f'<script type="application/json" id="kg-{name}">' for name in ("data", "nodes", "edges")}


def test_line_separators_show_as_spaces(view):
    g = view.copy()
    huawei = find_entity(g, "huawei")
    g.nodes[huawei]["label"] = "Hua\u2028wei\u2029Tech"
    details = page_data(page_for(g).html)["details"]
    assert details[huawei]["label"] == "Hua wei Tech"


def test_page_shows_inline_in_a_notebook(view):
    shown = page_for(view, focus="huawei")._repr_html_()
    assert shown.startswith('<iframe sandbox="allow-scripts" srcdoc="&lt;!DOCTYPE html&gt;')


@pytest.mark.parametrize("args, message", [
    (["viz", "--focus", "huwei"], "unknown entity 'huwei'; did you mean huawei (Huawei)?"),
    (["viz", "--type", "Enterprize"], "unknown type 'Enterprize'; did you mean Enterprise?"),
    (["viz", "--sector", "huawei"], "'huawei' is a enterprise, not a sector"),
    (["viz", "--sector", "quantum cooking"], "unknown sector 'quantum cooking'"),
    (["path", "huawei", "nowhere-at-all"], "unknown entity 'nowhere-at-all'"),
])
def test_bad_input_is_one_line_exit_2(built_project: Path, args, message):
    result = run(built_project, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().count("\n") == 0
    assert message in result.stderr


def test_unwritable_output_is_one_line_exit_2(built_project: Path, tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = run(built_project, "viz", "-o", str(blocker / "page.html"))
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "cannot write the page" in result.stderr
    assert not list(tmp_path.glob("**/*.html"))


# --- analytics ---------------------------------------------------------------------------------------

def test_stats_counts_match_the_dataset(built_project: Path, dataset, view):
    result = run(built_project, "stats", "--json")
    assert result.exit_code == 0
    s = json.loads(result.stdout)
    assert s["triples"] == len(list(dataset.quads((None, None, None, None))))
    assert s["entities"] == len(set(dataset.subjects(SKOS.prefLabel, None)))
    assert s["figures"] == len(set(dataset.subjects(RDF.type, KG.Figure)))
    assert s["relations"] == len(set(dataset.subjects(RDF.type, KG.Assertion)))
    assert s["provenance"]["share"] == 1.0  # every fact is built from a quote
    assert s["view"] == {"nodes": view.number_of_nodes(), "edges": view.number_of_edges()}
    table = run(built_project, "stats").stdout
    assert f"{s['triples']} triples" in table and "Facts traced to a sentence" in table


def test_analyze_is_deterministic_and_consistent(built_project: Path, view):
    first = run(built_project, "analyze", "--json", "--top", "5")
    assert first.exit_code == 0
    a = json.loads(first.stdout)
    assert a == json.loads(run(built_project, "analyze", "--json", "--top", "5").stdout)
    assert len(a["degree"]) == 5 and len(a["betweenness"]) == 5
    assert [r["score"] for r in a["degree"]] == sorted((r["score"] for r in a["degree"]), reverse=True)
    assert sum(a["components"]["sizes"]) == a["nodes"] == view.number_of_nodes()
    assert sum(g["size"] for g in a["communities"]["groups"]) == a["nodes"]
    assert a["communities"]["seed"] == 42
    top = find_entity(view, a["degree"][0]["entity"])
    assert nx.Graph(view.to_undirected()).degree(top) == a["degree"][0]["degree"]
    text = run(built_project, "analyze", "--top", "3").stdout
    assert "Degree centrality" in text and "Louvain communities (seed 42)" in text
    assert a["degree"][0]["label"][:20] in text


def test_path_chains_relations_between_two_entities(built_project: Path):
    result = run(built_project, "path", "huawei", "Minhang District")
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert lines and all(x.startswith("Huawei ") and x.endswith(" Minhang District") for x in lines)
    assert len({x.count("->") + x.count("<-") for x in lines}) == 1  # all shortest: the same length
    assert any("MindSpore" in x for x in lines)


def test_no_path_is_exit_1(project: Path):
    extra = project / "data" / "annotations" / BRIEFING / "zz-test-isolated.yaml"
    extra.write_text("entities:\n  - id: isolated-office\n    type: PublicAuthority\n    name: Isolated Office\n"
                     "    quote: \"the Information Office of Shanghai Municipality held\"\n", encoding="utf-8")
    result = run(project, "path", "huawei", "isolated-office")
    assert result.exit_code == 1, result.output
    assert "No path between 'huawei' and 'isolated-office'." in result.stdout


# --- GraphML -----------------------------------------------------------------------------------------

def test_graphml_export_reads_back_as_the_view(built_project: Path, tmp_path: Path, view):
    out = tmp_path / "kg.graphml"
    assert run(built_project, "export", "--format", "graphml", "-o", str(out)).exit_code == 0
    back = nx.read_graphml(out)
    assert back.number_of_nodes() == view.number_of_nodes()
    assert back.number_of_edges() == view.number_of_edges()
    huawei = str(URIRef(ID["huawei"]))
    assert back.nodes[huawei]["label"] == "Huawei" and back.nodes[huawei]["type"] == "Enterprise"
    assert out.read_bytes() == run(built_project, "export", "--format", "graphml").stdout_bytes


@pytest.mark.parametrize("size", [150, 600])
def test_a_page_is_laid_out_the_same_in_every_process(size: int):
    """A small page's layout (networkx, then vis-network's forces in numpy) and a large one's (igraph's) are
    seeded: a fresh process (another hash seed, another state of Python's random) writes the same page
    bytes, and no two entities are drawn on one spot."""
    import hashlib
    import os
    import subprocess
    import sys

    script = (
        "import hashlib, sys; sys.path.insert(0, 'tests'); import random; random.seed(sys.argv[1]);"
        "from synthetic import synthetic_view; from kg.viz import page_for;"
        f"print(hashlib.sha256(page_for(synthetic_view({size})).html.encode()).hexdigest())"
    )
    root = Path(__file__).resolve().parent.parent
    digests = {
        subprocess.run([sys.executable, "-c", script, salt], cwd=root, capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": salt}).stdout.strip()
        for salt in ("1", "2")
    }
    assert len(digests) == 1, digests
    from kg.graphview import simple_graph
    from kg.viz import SMALL_LIMIT, layout
    from synthetic import synthetic_view

    g = simple_graph(synthetic_view(size))
    assert (g.number_of_nodes() > SMALL_LIMIT) is (size > SMALL_LIMIT)
    pos = layout(g)
    assert len({(round(x), round(y)) for x, y in pos.values()}) > 0.95 * len(pos)
    assert hashlib.sha256(repr(sorted(pos.items())).encode()).hexdigest() == hashlib.sha256(
        repr(sorted(layout(g).items())).encode()).hexdigest()
