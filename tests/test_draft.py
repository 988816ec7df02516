"""kg draft: every rule family on sentences written for these tests (fictional Fenwick and Tallowmere), the
proposal's validity against the text and the ontology, bad input, --json shape and determinism."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SERIES, check_failure, run
from kg.draft import rules
from kg.draft.draft import draft_briefing
from kg.ontology import load_ontology
from kg.project import Project

MARCH = "aurelport-larkmoor-2024-03-12"


def tiny(tmp_path: Path, text: str | bytes, slug: str = "fenwick-2024-01-01", meta: bool = False) -> Path:
    """A project of one fictional briefing (no registry, no other briefing)."""
    root = tmp_path / "p"
    (root / "data" / "briefings").mkdir(parents=True)
    (root / "ontology").mkdir()
    for f in ("kg.ttl", "kg-shapes.ttl"):
        (root / "ontology" / f).write_bytes((ROOT / "ontology" / f).read_bytes())
    path = root / "data" / "briefings" / f"{slug}.txt"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return root


def draft_of(tmp_path: Path, text: str):
    """The proposal for ``text`` as the one briefing of a tiny project."""
    return draft_briefing(Project(tiny(tmp_path, text)), "fenwick-2024-01-01")


def series_project(tmp_path: Path) -> Path:
    """The fictional series with the March briefing's curated annotations removed (the registry stays)."""
    root = tmp_path / "s"
    for sub in ("briefings", "annotations", "entities"):
        (root / "data" / sub).parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(SERIES / sub, root / "data" / sub)
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.rmtree(root / "data" / "annotations" / MARCH)
    return root


@pytest.mark.parametrize(("family", "sentence", "expected"),
                         [(f.name, s, e) for f in rules.FAMILIES.values() for s, e in f.examples])
def test_rule_family_examples(tmp_path, family, sentence, expected):
    """Each family's own example sentences yield what the family says (entities' names, figures' values,
    relations' objects or whole relations as "s p o", figures as "value unit about", or the series number)."""
    root = tiny(tmp_path, "Fenwick briefing\n\n" + sentence + "\n")
    p = draft_briefing(Project(root), "fenwick-2024-01-01")
    found = ({e["name"] for e in p.entities} | {" ".join(e["quote"].split()) for e in p.entities}
             | {str(f["value"]) for f in p.figures} | {r["o"] for r in p.relations}
             | {f"{r['s']} {r['p']} {r['o']}" for r in p.relations}
             | {f"{f['value']} {f['unit']} {f['about']}" for f in p.figures})
    if family == "event":
        found |= {re.sub(r"\D", "", e["quote"]) for e in p.entities if e["type"] == "Briefing"}
    for item in expected:
        assert item in found, (item, found)


def test_people_posts_and_figures(tmp_path):
    text = ("Fenwick briefing\n\nIda Brannock, Deputy Director of the Fenwick District Health Commission,\n"
            "presented the plan. In 2023, Fenwick District’s tax revenue reached 3.25 billion yuan, up 7.5%.\n"
            "Over 450 enterprises settled in the Tallowmere Quantum Science Zone, which covers\n"
            "120,000 square meters.\n")
    p = draft_of(tmp_path, text)
    types = {e["name"]: e["type"] for e in p.entities}
    assert types["Ida Brannock"] == "Person"
    assert types["Fenwick District Health Commission"] == "PublicAuthority"
    assert types["Deputy Director of the Fenwick District Health Commission"] == "Post"
    rels = {(r["s"], r["p"], r["o"]) for r in p.relations}
    assert ("ida-brannock", "holds", "post-deputy-director-of-the-fenwick-district-health-commission") in rels
    figs = {(f["value"], f["unit"]): f for f in p.figures}
    money = figs[(3250000000, "CNY")]
    assert money["yoy"] == 7.5 and money["period"] == "2023"
    assert figs[(450, "count")]["qualifier"] == "more-than"
    assert (120000, "m2") in figs


def test_figures_are_about_the_genres_subjects(tmp_path):
    """What a figure is about: the name a measure stands before, the name a count is "of", the nearest name
    before it (not a list's example), a place it is "in", else the district the briefing names most."""
    text = ("Fenwick briefing\n\nFenwick District is on the coast. It plans the 36-square-kilometer Corrin\n"
            "Innovation Zone. The Ashby Works have four halls of the Dunmore Art Museum. We built 40 parks,\n"
            "including Tallow Park, with a forest coverage rate of 21.5%. Over 450 firms have settled in\n"
            "Brannock Town. Fenwick’s revenue reached 3.1 billion yuan. The district has 12 museums. The\n"
            "Tallow Bay Marine Science Zone opened. Over 300 firms have settled within the Tallow Bay.\n")
    p = draft_of(tmp_path, text)
    about = {(f["value"], f["unit"]): f["about"] for f in p.figures}
    assert about == {(36, "km2"): "corrin-innovation-zone", (4, "count"): "dunmore-art-museum",
                     (40, "count"): "fenwick-district", (21.5, "percent"): "fenwick-district",
                     (450, "count"): "brannock-town", (3100000000, "CNY"): "fenwick-district",
                     (12, "count"): "fenwick-district", (300, "count"): "tallow-bay-marine-science-zone"}
    names = {e["id"]: e["name"] for e in p.entities}
    measures = {(f["value"], f["unit"]): names[f["indicator"]] for f in p.figures}
    assert measures[(21.5, "percent")] == "forest coverage rate" and measures[(3100000000, "CNY")] == "revenue"
    assert measures[(450, "count")] == "firms"


def test_a_briefing_in_another_style(tmp_path):
    """A fictional new area's briefing, written in another outlet's style: a body that does not say its kind
    ("Vice Mayor of Gullhaven"), "the Development of X", a name that ends a sentence, a zone the briefing is
    about (not the city it names less), statuses from the nearest verb."""
    text = ("Press Conference on the Development of Tallow New Area\n\nOn 3 January, Gullhaven held a press "
            "conference. Pera Dunn, Vice Mayor of Gullhaven, and Osk Varr, Director of the Tallow New Area "
            "Administrative Committee, introduced the area.\n\nIn 2024, the regional GDP of Tallow New Area "
            "reached 312.5 billion yuan. Tallow New Area has 2,314 high-tech enterprises. Grants come from the "
            "Tallow Blue Economy Fund. The Gullhaven Deepwater Port is under construction and the Tallow Seawall "
            "Greenway is already in operation.\n")
    p = draft_of(tmp_path, text)
    names = {e["name"]: e["type"] for e in p.entities}
    assert names["Tallow New Area"] == "FunctionalZone" and "Development of Tallow New Area" not in names
    assert names["Tallow Blue Economy Fund"] == "Fund" and names["Gullhaven"] == "City"
    rels = {(r["s"], r["p"], r["o"]) for r in p.relations}
    assert ("pera-dunn", "holds", "post-vice-mayor-of-gullhaven") in rels
    assert {("gullhaven-deepwater-port", "status", "UnderWay"),
            ("tallow-seawall-greenway", "status", "InOperation")} <= rels
    assert {f["about"] for f in p.figures} == {"tallow-new-area"}


def test_figures_of_a_news_report(tmp_path):
    """A fictional news report's figures: "RMB 2.3 billion", a change before "to" ("grew 9.4 percent to 58.7
    billion yuan"), a bare scaled count ("its population reached 1.2 million"), no count of years, none about
    a government named only through a post, and "the hub" as the hub named before."""
    text = ("Brinmouth report\n\nBrinmouth District will invest RMB 2.3 billion in the Tidal Valley Innovation "
            "Hub over the next three years. Lin Cavell, deputy head of Brinmouth District, said the hub would "
            "host 150 to 200 companies. The district's industrial output grew 9.4 percent to 58.7 billion yuan "
            "last year, while its population reached 1.2 million.\n")
    p = draft_of(tmp_path, text)
    names = {e["id"]: e["name"] for e in p.entities}
    got = {(f["value"], f["unit"], f["about"], names[f["indicator"]], f["yoy"]) for f in p.figures}
    assert got == {(2300000000, "CNY", "brinmouth-district", "amount", None),
                   (150, "count", "tidal-valley-innovation-hub", "companies", None),  # "the hub would host"
                   (58700000000, "CNY", "brinmouth-district", "industrial output", 9.4),
                   (1200000, "count", "brinmouth-district", "population", None)}


def test_what_a_draft_leaves_out(tmp_path):
    """Dollars are no unit of the dataset, and a figure with nothing to be about leaves no indicator behind;
    "per cent", "some" and "Director-General" are read."""
    text = ("Quarry note\n\nExports reached US$3.4 billion. Output rose 12 per cent in Quarry Hill District, "
            "where some 45% of firms are green. Vey Sand, Director-General of the Quarry Hill Bureau, spoke.\n")
    p = draft_of(tmp_path, text)
    assert {(f["value"], f["unit"], f["qualifier"]) for f in p.figures} == {(12, "percent", None),
                                                                            (45, "percent", "approximately")}
    assert {e["name"] for e in p.entities if e["type"] == "Indicator"} == {"output", "share"}
    assert "Director-General of the Quarry Hill Bureau" in {e["name"] for e in p.entities}


def test_the_publisher_the_metadata_names_is_declared(tmp_path):
    """Another outlet's report: its metadata names a publisher nothing declares; the text's dateline spells the
    id's words, so the draft declares it (a briefing's publisher must be declared for it to build)."""
    root = tiny(tmp_path, "Gull Report\n\nFenwick Harbour Gazette, May 2, 2024\n\nAt a press briefing held in "
                          "Fenwick District on May 1, officials spoke.\n")
    (root / "data" / "briefings" / "fenwick-2024-01-01.meta.yaml").write_text(
        "title: Gull Report\nheld: 2024-05-01\npublisher: fenwick-harbour-gazette\nlanguage: en\nfictional: true\n")
    p = draft_briefing(Project(root), "fenwick-2024-01-01")
    ents = {e["id"]: e for e in p.entities}
    assert ents["fenwick-harbour-gazette"]["name"] == "Fenwick Harbour Gazette"
    assert ents["fenwick-harbour-gazette"]["rule"] == "event/publisher"


def test_a_drafted_figure_never_takes_a_curated_figures_id(tmp_path):
    """Regression: drafting a briefing beside its curated annotations once gave a figure the id of a curated
    one ('declared twice' at the build)."""
    root = tiny(tmp_path, "Fenwick briefing\n\nFenwick District has a forest coverage rate of 21.5%.\n")
    folder = root / "data" / "annotations" / "fenwick-2024-01-01"
    folder.mkdir(parents=True)
    (folder / "00-core.yaml").write_text(
        "figures:\n  - {id: forest-coverage-rate, indicator: x, about: y, value: 1, unit: count, quote: Fenwick}\n")
    ids = [f["id"] for f in draft_briefing(Project(root), "fenwick-2024-01-01").figures]
    assert ids and "forest-coverage-rate" not in ids


def test_a_known_post_keeps_its_one_role(tmp_path):
    """Regression: a post another briefing declares, with its role "Party Secretary" (alias "Secretary"), was
    given a second role "Committee Secretary" by a draft, which SHACL refused (a post has one role)."""
    root = tiny(tmp_path, "Fenwick briefing\n\nIda Brannock, Secretary of the Fenwick District Committee, "
                          "spoke.\n")
    other = root / "data" / "annotations" / "fenwick-2023-01-01"
    other.mkdir(parents=True)
    (other / "00-core.yaml").write_text(
        "entities:\n"
        "  - {id: post-sec, type: Post, name: Secretary of the Fenwick District Committee, quote: x}\n"
        "  - {id: role-party-secretary, type: Role, name: Party Secretary, aliases: [Secretary], quote: x}\n"
        "  - {id: fenwick-committee, type: PublicAuthority, name: Fenwick District Committee, quote: x}\n"
        "relations:\n  - {s: post-sec, p: role, o: role-party-secretary, quote: x}\n"
        "  - {s: post-sec, p: postIn, o: fenwick-committee, quote: x}\n")
    rels = {(r["s"], r["p"], r["o"]) for r in draft_briefing(Project(root), "fenwick-2024-01-01").relations}
    assert {r for r in rels if r[0] == "post-sec"} == {("post-sec", "role", "role-party-secretary"),
                                                       ("post-sec", "postIn", "fenwick-committee")}
    assert ("ida-brannock", "holds", "post-sec") in rels


def test_a_count_is_not_the_known_group_it_counts(tmp_path):
    """Regression: "five high-level hospitals" counted is an indicator even where the registry has a group of
    hospitals by that name (the draft once made the group the figure's indicator, and the build refused it)."""
    root = tiny(tmp_path, "Fenwick briefing\n\nFenwick District has five high-level hospitals.\n")
    (root / "data" / "entities").mkdir()
    (root / "data" / "entities" / "places.yaml").write_text(
        "entities:\n  - id: fenwick-hospitals\n    type: Hospital\n    name: high-level hospitals\n")
    p = draft_briefing(Project(root), "fenwick-2024-01-01")
    types = {e["id"]: e["type"] for e in p.entities}
    assert [types[f["indicator"]] for f in p.figures] == ["Indicator"]


def test_valid_against_text_and_ontology(tmp_path):
    """Every quote occurs once in the text at its offsets; every type and property is the ontology's; ids
    are slugs and none collides with a registry id the draft does not mean."""
    root = series_project(tmp_path)
    text = (root / "data" / "briefings" / f"{MARCH}.txt").read_text()
    vocab = load_ontology(root / "ontology" / "kg.ttl")
    p = draft_briefing(Project(root), MARCH)
    assert p.entities and p.figures and p.relations
    ids = {e["id"] for e in p.entities}
    for item in p.entities + p.figures + p.relations:
        pattern = r"\s+".join(re.escape(w) for w in item["quote"].split())
        assert len(re.findall(pattern, text)) == 1, item["quote"]
        assert " ".join(text[item["begin"]:item["end"]].split()) == item["quote"]
        assert 0 < item["confidence"] <= 1 and item["rule"].split("/")[0] in rules.FAMILIES
    for e in p.entities:
        assert e["type"] in vocab.classes or e["type"] in ("Post", "Role"), e
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", e["id"])
    for r in p.relations:
        assert r["p"] in vocab.properties or r["p"] in ("holds", "postIn", "role", "containedInPlace", "hasMember")
        assert r["s"] in ids or r["s"].startswith(("larkmoor", "aurelport", "brightwater"))
    # known entities are linked, not redeclared
    known = {e["id"] for e in p.entities if e["known"]}
    assert {"larkmoor-district", "mara-kellen", "harbour-crescent-innovation-zone"} <= known


def test_json_shape(tmp_path):
    root = series_project(tmp_path)
    result = run(root, "draft", MARCH, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert list(doc) == ["briefing", "entities", "figures", "relations"]
    assert set(doc["entities"][0]) == {"id", "type", "name", "aliases", "quote", "begin", "end", "known", "generic",
                                       "confidence", "rule"}
    assert set(doc["figures"][0]) >= {"id", "value", "unit", "indicator", "about", "period", "qualifier", "yoy",
                                      "stated", "quote", "begin", "end", "confidence", "rule"}
    assert set(doc["relations"][0]) == {"s", "p", "o", "quote", "begin", "end", "confidence", "rule"}
    assert not (root / "data" / "annotations" / MARCH / "draft.yaml").exists()


def test_writes_replaces_own_draft_and_refuses_reviewed(tmp_path):
    root = series_project(tmp_path)
    target = root / "data" / "annotations" / MARCH / "draft.yaml"
    assert run(root, "draft", MARCH).exit_code == 0
    doc = yaml.safe_load(target.read_text())
    assert doc["draft"]["generator"] == "kg draft"
    assert run(root, "draft", MARCH).exit_code == 0  # its own earlier draft: replaced
    del doc["draft"]
    target.write_text(yaml.safe_dump(doc))
    before = target.read_bytes()
    check_failure(run(root, "draft", MARCH), "reviewed")
    assert target.read_bytes() == before


def test_deterministic_across_hash_seeds(tmp_path):
    root = series_project(tmp_path)
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "kg.cli", "--project", str(root), "draft", MARCH], check=True, env=env,
                       capture_output=True) if False else subprocess.run(
            [sys.executable, "-c", "from kg.cli import main; main()", "--project", str(root), "draft", MARCH],
            check=True, env=env, capture_output=True)
        outs.append((root / "data" / "annotations" / MARCH / "draft.yaml").read_bytes())
    assert outs[0] == outs[1]


@pytest.mark.parametrize(("content", "says"), [
    (b"", "empty text"), (b"  \n\n", "empty text"), (b"Fenwick\x00\x01\x02", "binary"),
    (b"Fenwick caf\xe9 district", "not UTF-8")])
def test_bad_text(tmp_path, content, says):
    root = tiny(tmp_path, content)
    check_failure(run(root, "draft", "fenwick-2024-01-01"), says)
    assert not (root / "data" / "annotations").exists()


@pytest.mark.parametrize(("content", "says"), [
    ("entities:\n  - id: ashby-park\n    name: [unclosed\n", "02-other.yaml:4: malformed YAML"),
    ("entities: not-a-list\n", "02-other.yaml: 'entities' must be a list")])
def test_bad_other_annotations(tmp_path, content, says):
    """Another briefing's annotation file read for the gazetteer: a broken one is one line naming it."""
    root = series_project(tmp_path)
    (root / "data" / "annotations" / "aurelport-courier-2024-03-13" / "02-other.yaml").write_text(content)
    check_failure(run(root, "draft", MARCH), says)
    assert not (root / "data" / "annotations" / MARCH).exists()


def test_unknown_slug(tmp_path):
    root = tiny(tmp_path, "Fenwick text.")
    check_failure(run(root, "draft", "no-such-briefing"), "no briefing")


def test_nothing_recognised_is_an_empty_draft(tmp_path):
    root = tiny(tmp_path, "the weather was mild and everyone went home early.\n")
    result = run(root, "draft", "fenwick-2024-01-01")
    assert result.exit_code == 0 and "empty draft" in result.stdout
    doc = yaml.safe_load((root / "data" / "annotations" / "fenwick-2024-01-01" / "draft.yaml").read_text())
    assert doc["entities"] == [] and doc["figures"] == [] and doc["relations"] == []


def test_score_matches_through_names(tmp_path):
    """A draft id and a curated id for the same name and type match; a wrong type, a wrong figure value and
    a relation to an unmatched entity count as extras and misses."""
    root = series_project(tmp_path)
    curated = tmp_path / "cur"
    shutil.copytree(SERIES / "annotations" / MARCH, curated)
    draft = tmp_path / "draft.yaml"
    draft.write_text(yaml.safe_dump({"draft": {"generator": "kg draft", "version": "0"}, "entities": [
        {"id": "larkmoor-district", "quote": "x"},
        {"id": "saltmarsh-lab", "type": "Platform", "name": "Saltmarsh Sensor Laboratory", "quote": "x"},
        {"id": "science-bureau", "type": "University", "name": "Larkmoor District Science Bureau", "quote": "x"}],
        "figures": [{"id": "f", "value": 310, "unit": "count", "about": "larkmoor-district"},
                    {"id": "g", "value": 311, "unit": "count", "about": "larkmoor-district"}],
        "relations": [{"s": "saltmarsh-lab", "p": "status", "o": "Planned"},
                      {"s": "science-bureau", "p": "locatedIn", "o": "larkmoor-district"}]}))
    result = run(root, "score", str(draft), str(curated), "--json")
    assert result.exit_code == 0, result.output
    s = json.loads(result.stdout)
    assert s["entities"]["precision"] == round(2 / 3, 3) and s["entities"]["curated"] == 18
    assert s["figures"]["precision"] == 0.5
    assert s["relations"]["precision"] == 0.5 and ["saltmarsh-sensor-laboratory", "status", "Planned"] not in \
        s["relations"]["misses"]


def test_score_refuses_a_reviewed_file(tmp_path):
    root = series_project(tmp_path)
    curated = SERIES / "annotations" / MARCH
    check_failure(run(root, "score", str(curated / "00-core.yaml"), str(curated)), "not a draft")


def test_a_draft_builds_and_validates_joined_to_what_the_dataset_knows(tmp_path):
    """kg add → kg draft → kg build → kg validate: the drafted entities join the registry's and other
    briefings' ones (one IRI each), and are marked as drafted in the graph."""
    root = series_project(tmp_path)
    shutil.copytree(ROOT / "queries", root / "queries")
    assert run(root, "draft", MARCH).exit_code == 0
    built = run(root, "build")
    assert built.exit_code == 0, built.output
    assert run(root, "validate").exit_code == 0
    drafted = run(root, "query", "drafted-items", "-p", "briefing", MARCH, "-f", "json")
    assert drafted.exit_code == 0, drafted.output
    rows = json.loads(drafted.stdout)["results"]["bindings"]
    assert rows and all(0 < float(r["confidence"]["value"]) <= 1 for r in rows)
    # a registry entity the draft names is the registry's IRI, stated in this briefing's graph
    ask = ("ASK { GRAPH kgg:" + MARCH + " { ?a rdf:subject kgr:larkmoor-district ; kg:draftRule ?r } "
           "GRAPH kgg:entities { kgr:larkmoor-district a ?t } }")
    answer = run(root, "query", "-e", ask)
    assert answer.exit_code == 0 and "true" in answer.stdout.lower(), answer.output


DRAFTING = ROOT / "tests" / "fixtures" / "drafting"
#: Entity, figure and relation F1 floors of the round-2 fixtures (written to probe figures' subjects).
ROUND2_FLOORS = {"tarrow-wrenfield-2025-10-21": (0.85, 0.9, 0.75), "portcresswick-halloway-2025-11-04": (0.8, 0.9, 0.8)}


@pytest.mark.parametrize("slug", sorted(p.name for p in (DRAFTING / "annotations").iterdir()))
def test_drafts_of_briefings_written_to_test_generalising(tmp_path, slug):
    """The fictional briefings of tests/fixtures/drafting/ (curated before the rules were tuned on them),
    drafted in a project of the registry alone, score at least these F1s against their curated annotations
    (the first two measured: entities 0.895-0.925, figures 1.00, relations 0.875-0.917; the round-2 pair has
    its own floors, just under what it measured; bench_draft.py prints them)."""
    root = tmp_path / "p"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "data" / "entities", root / "data" / "entities")
    (root / "data" / "briefings").mkdir()
    for suffix in (".txt", ".meta.yaml"):
        shutil.copyfile(DRAFTING / "briefings" / f"{slug}{suffix}", root / "data" / "briefings" / f"{slug}{suffix}")
    assert run(root, "draft", slug).exit_code == 0
    result = run(root, "score", str(root / "data" / "annotations" / slug / "draft.yaml"),
                 str(DRAFTING / "annotations" / slug), "--json")
    assert result.exit_code == 0, result.output
    s = json.loads(result.stdout)
    floors = ROUND2_FLOORS.get(slug, (0.8, 0.9, 0.75))
    assert all(s[k]["f1"] >= f for k, f in zip(("entities", "figures", "relations"), floors, strict=True)), \
        {k: v["f1"] for k, v in s.items()}


def test_a_lists_head_types_its_parks(tmp_path):
    """"Industrial parks, such as the X Photonics Park": the head says what kind of park a "Park" is."""
    p = draft_of(tmp_path, "Fenwick briefing\n\nFenwick will build two industrial parks, such as the Dunmore "
                           "Photonics Park. Ashby Country Park and the Corrin Park are open.\n")
    types = {e["name"]: e["type"] for e in p.entities}
    assert (types["Dunmore Photonics Park"], types["Ashby Country Park"], types["Corrin Park"]) == \
        ("IndustrialPark", "Park", "Park")
