"""The query catalogue: every query parses, has a header and a test; its rows, checked against the text.

Expected rows are written from the briefing text (data/briefings/minhang-2023-09-07.txt), quoted beside
them. Small answers are compared whole. For the listings that grow with every annotation (all figures,
all initiatives, ...) the test compares the whole slice that one passage of the text settles (the
museums, the funds, the figures about the Hongqiao CBD, ...), so it stays exact without going stale.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import BRIEFING, ROOT, WITH_SERIES, briefing_store
from kg.catalogue import PARAM_TYPES, find_query, load_catalogue, parse_header
from kg.errors import KgError
from kg.prefixes import PREFIXES, compact, prologue
from kg.project import find_project
from kg.query import bind_params, run_query
from kg.store import load_store, open_store

CATALOGUE = load_catalogue(ROOT / "queries")
BY_NAME = {q.name: q for q in CATALOGUE}
TEXT = (ROOT / "data" / "briefings" / f"{BRIEFING}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def store(built_project: Path) -> ox.Store:
    """What the bundled briefing says (with the ontology and the registry entities it names), whatever
    other briefings the test project holds; on the bundled project alone, the same rows as the built store."""
    if not WITH_SERIES:
        assert {p.stem for p in (built_project / "data" / "briefings").glob("*.txt")} == {BRIEFING}
        return open_store(find_project(built_project))
    return briefing_store(built_project, BRIEFING)


def rows(store: ox.Store, name: str, **params: str) -> list[tuple]:
    """The query's rows with IRIs as prefixed names and literals as their text (None when unbound)."""
    q = BY_NAME[name]
    result = run_query(store, q.text, bind_params(store, q.params, list(params.items()), q.name))
    show = lambda t: None if t is None else compact(t.value) if isinstance(t, ox.NamedNode) else t.value  # noqa: E731
    return [tuple(show(t) for t in row) for row in result.rows]


def in_text(quote: str) -> tuple[int, int]:
    """Where ``quote`` stands in the briefing (a space matches any run of white space); exactly once."""
    pattern = r"\s+".join(map(re.escape, quote.split()))
    found = [(m.start(), m.end()) for m in re.finditer(pattern, TEXT)]
    assert len(found) == 1, f"{quote!r} occurs {len(found)} times in the text"
    return found[0]


# --- the catalogue itself ------------------------------------------------------------------------------

def test_catalogue_has_at_least_25_queries_and_checks():
    assert len(CATALOGUE) >= 25
    assert sum(q.is_check for q in CATALOGUE) >= 5


@pytest.mark.parametrize("q", CATALOGUE, ids=lambda q: q.name)
def test_every_query_parses_and_has_a_header(q):
    assert re.fullmatch(r"\d{3}_[a-z0-9-]+\.rq", q.path.name)
    assert q.summary and q.description and q.tags
    assert set(parse_header(q.text, q.path)) >= {"summary", "description", "tags"}
    for p in q.params:
        assert p.type in PARAM_TYPES and p.default, f"{q.name}: parameter {p.name} needs a type and a default"
    # parses on its own given kg's prologue (valid SPARQL for any tool; kg declares those prefixes itself)
    ox.Store().query(prologue() + q.text)


def test_every_query_has_a_test_here():
    """Here, or (the questions across briefings, tested on the fictional series) in tests/test_series.py, or
    (the drafts) in tests/test_add.py."""
    here = "".join((Path(__file__).parent / name).read_text(encoding="utf-8")
                   for name in ("test_catalogue.py", "test_series.py", "test_add.py"))
    tested = set(re.findall(r'"([a-z0-9-]+)"', here))
    assert {q.name for q in CATALOGUE} <= tested


def test_unknown_query_name_suggests_the_closest():
    with pytest.raises(KgError, match="no query named 'officals' in the catalogue; did you mean officials"):
        find_query(CATALOGUE, "officals", ROOT / "queries")


# --- the checks: no rows on the bundled briefing, and each catches the fault it names --------------------

#: For every check of the catalogue, Turtle that breaks it (kg's prefixes declared; "kgr:doc" is the bundled
#: briefing's document). The check must return a row whose first column is the first term of the fault.
FAULTS = {
    "figure-without-unit-violation": "kgr:figure-x a kg:Figure .",
    "entity-without-label-violation": "kgr:nameless-fact a kg:Assertion ; rdf:subject kgr:nameless ; "
                                      "rdf:predicate kg:linkedTo ; rdf:object kgr:huawei .",
    "fact-without-source-violation": "kgr:unsourced skos:prefLabel \"Unsourced\"@en .",
    "span-text-mismatch-violation": "<kgr:doc#char=0,5> nif:referenceContext <kgr:doc> ; "
                                    "nif:beginIndex 0 ; nif:endIndex 5 ; nif:anchorOf \"Wrong\" .",
    "status-outside-scheme-violation": "kgr:huawei kg:status kg:Cancelled .",
    "untyped-entity-violation": "kgr:untyped skos:prefLabel \"Untyped\"@en .",
    "post-without-holder-violation": "kgr:post-nobody a org:Post .",
}
#: The term each fault's check must name: the first term of the fault (the entity, for a nameless relation).
CULPRIT = {"entity-without-label-violation": "kgr:nameless"}


@pytest.mark.parametrize("name", [q.name for q in CATALOGUE if q.is_check])
def test_check_returns_no_rows_on_the_bundled_briefing(name: str, store):
    assert rows(store, name) == []


@pytest.mark.parametrize("name", [q.name for q in CATALOGUE if q.is_check])
def test_check_catches_its_fault(name: str, built_project: Path):
    assert name in FAULTS, f"the check {name} has no fault in FAULTS to show that it can fire"
    broken = load_store(built_project / "build" / "kg.nq")
    doc = f"{PREFIXES['kgr']}doc/{BRIEFING}"
    prologue = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    fault = FAULTS[name].replace("<kgr:doc", f"<{doc}")
    graph = ox.NamedNode(PREFIXES["kgg"] + BRIEFING)
    for t in ox.parse((prologue + fault).encode(), format=ox.RdfFormat.TURTLE):  # as kg/store.py fills a store:
        broken.add(ox.Quad(t.subject, t.predicate, t.object, graph))         # into the briefing's graph
        broken.add(ox.Quad(t.subject, t.predicate, t.object))                # and the merged default graph
    culprit = CULPRIT.get(name, fault.split()[0])  # as rows() shows a term: a prefixed name, else <iri>
    assert culprit in [row[0] for row in rows(broken, name)], f"{name} did not catch {fault}"


# --- overview --------------------------------------------------------------------------------------------

def test_counts_by_type(store):
    counts = {row[0]: int(row[2]) for row in rows(store, "counts-by-type")}
    # "Chen Yujian, ... Chen Huawen, ... Han Yongqiang, ... and Xu Hao"
    assert counts["kg:Person"] == 4
    # Secretary; Deputy Party Secretary; chief of Minhang District; two directors
    assert counts["org:Post"] == 5
    # "the Shanghai Style Art Museum, the Powerlong Museum, the Wu Yiren Art Museum, the Zhang Yuan Art Museum",
    # "the Minhang Museum", "the Fengyuan Art Museum"
    assert counts["kg:Museum"] == 6
    assert (counts["kg:Library"], counts["kg:District"], counts["kg:City"], counts["kg:Country"]) == (1, 1, 1, 1)


def test_graph_summary(built_project: Path):
    store = open_store(find_project(built_project))  # every graph of the build, whatever it holds
    quads = (built_project / "build" / "kg.nq").read_text(encoding="utf-8").splitlines()
    graphs = sorted([*(p.stem for p in (built_project / "data" / "briefings").glob("*.txt")), "entities", "ontology"])
    assert BRIEFING in graphs
    per_graph = {g: str(sum(ln.endswith(f"<{PREFIXES['kgg']}{g}> .") for ln in quads)) for g in graphs}
    assert rows(store, "graph-summary") == [(f"kgg:{g}", per_graph[g]) for g in graphs]


def test_briefings(store):
    from kg.source import sentence_spans

    [row] = rows(store, "briefings")
    # first line: "Press Release for Media Briefing of the Shanghai Municipal Government on September 7, 2023"
    assert row[:5] == (f"<{PREFIXES['kgr']}doc/{BRIEFING}>",
                       "Press Release for Media Briefing of the Shanghai Municipal Government on September 7, 2023",
                       "2023-09-07", "kgr:shanghai-information-office", f"kgr:briefing-{BRIEFING}")
    assert int(row[5]) == len(sentence_spans(TEXT))


# --- enterprises, sectors --------------------------------------------------------------------------------

def test_enterprises_by_zone(store):
    cbd, bio, energy = "kgr:hongqiao-cbd", "kgr:sector-biomedicine", "kgr:sector-new-energy"
    assert rows(store, "enterprises-by-zone") == [
        ("kgr:catl", "CATL", None, None),                      # "the CATL Future Energy Research Institute"
        ("kgr:cttq-pharma", "CTTQ Pharma", cbd, bio),          # "In the biopharmaceutical sector, over 600
        ("kgr:huawei", "Huawei", None, None),                  #  companies, including Innovent Bio, WEGO,
        ("kgr:innovent-bio", "Innovent Bio", cbd, bio),        #  Yunnan Baiyao, and CTTQ Pharma"
        ("kgr:jinko-solar", "Jinko Solar", cbd, energy),       # "Eminent new energy corporations such as Runergy,
        ("kgr:runergy", "Runergy", cbd, energy),               #  Trina Solar, Sungrow, and Jinko Solar have established
        ("kgr:shanghai-land", "Shanghai Land", None, None),    #  their presence in the Hongqiao International
        ("kgr:shanghai-municipal-state-owned-enterprises", "Shanghai municipal state-owned enterprises", None, None),
        ("kgr:shui-on", "Shui On", None, None),                #  Central Business District"
        ("kgr:sungrow", "Sungrow", cbd, energy),
        ("kgr:trina-solar", "Trina Solar", cbd, energy),
        ("kgr:wego", "WEGO", cbd, bio),
        ("kgr:yunnan-baiyao", "Yunnan Baiyao", cbd, bio),
    ]


def test_organisations_in_sector(store):
    assert rows(store, "organisations-in-sector") == [  # default: new energy
        # "key sectors such as biomedicine, new energy, the digital economy" (the CBD)
        ("kgr:hongqiao-cbd", "Hongqiao International Central Business District", "focus sector"),
        # "core enterprises in burgeoning fields such as aerospace, new energy, ..."
        ("kgr:minhang-district", "Minhang District", "focus sector"),
        ("kgr:jinko-solar", "Jinko Solar", "in sector"),
        ("kgr:runergy", "Runergy", "in sector"),
        ("kgr:sungrow", "Sungrow", "in sector"),
        ("kgr:trina-solar", "Trina Solar", "in sector"),
    ]


def test_zone_sectors_of_the_hongqiao_cbd(store):
    # "with a dedicated focus on key sectors such as biomedicine, new energy, the digital economy, and high-end
    # professional services ... iconic and leading industries in trade, talent, legal services, and finance"
    cbd = [row[3] for row in rows(store, "zone-sectors") if row[0] == "kgr:hongqiao-cbd"]
    assert cbd == ["Biomedicine", "Digital economy", "Finance", "High-end professional services", "Legal services",
                   "New energy", "Talent services", "Trade"]


# --- figures ---------------------------------------------------------------------------------------------

def test_figures_include_the_headline_numbers(store):
    got = {(r[0], r[1], r[3], r[4]): r for r in rows(store, "figures")}
    # "fiscal revenue ... totaling 18.137 billion yuan, marking a substantial year-on-year growth of 24.5%"
    assert got[("district-level fiscal revenue", "kgr:minhang-district", "unit:CCY_CNY", "H1 2023")] == (
        "district-level fiscal revenue", "kgr:minhang-district", "18137000000", "unit:CCY_CNY", "H1 2023",
        None, None, "24.5", None, "18.137 billion yuan")
    values = {(r[0], r[2], r[3]) for r in rows(store, "figures")}
    # "65 regional headquarters of multinational corporations, 87 foreign-funded research and development
    # centers, and a total of 51 listed companies"; "3,386 high-tech enterprises and 1,213 specialized ..."
    # "a total of 193 parks"; "forest coverage rate of 18.9%"; "740,000 square meters"
    assert {("regional headquarters of multinational corporations", "65", "unit:NUM"),
            ("foreign-funded research and development centers", "87", "unit:NUM"),
            ("listed companies", "51", "unit:NUM"),
            ("certified high-tech enterprises", "3386", "unit:NUM"),
            ("specialized and sophisticated enterprises", "1213", "unit:NUM"),
            ("public parks", "193", "unit:NUM"),
            ("forest coverage rate", "18.9", "unit:PERCENT"),
            ("floor area", "740000", "unit:M2")} <= values


def test_every_figure_is_stated_in_the_text(store):
    for row in rows(store, "figures"):  # the words of every figure are words of the text
        assert row[9] is not None and re.search(r"\s+".join(map(re.escape, row[9].split())), TEXT), row


def test_figures_about_the_hongqiao_cbd(store):
    # "In the biopharmaceutical sector, over 600 companies ... are swiftly congregating"
    assert rows(store, "figures-about", entity="Hongqiao International Central Business District") == [
        ("biopharmaceutical companies", "600", "unit:NUM", None, "kg:MoreThan", "over 600")]


def test_growth_figures(store):
    # the only year-on-year change in the text: "year-on-year growth of 24.5%"
    assert rows(store, "growth-figures") == [
        ("district-level fiscal revenue", "kgr:minhang-district", "18137000000", "unit:CCY_CNY", "H1 2023", "24.5")]


def test_figure_targets(store):
    assert rows(store, "figure-targets") == [
        # "with plans to create an additional 3-4 municipal-level exemplary high-quality school districts"
        ("additional municipal-level exemplary high-quality school districts (groups)", "3", "4", "unit:NUM",
         "kg:Planned", "3-4"),
        # not "with five high-level hospitals already in operation": a result, not a target (issue 9)
    ]


def test_indicators(store):
    got = {r[1]: (int(r[2]), r[3]) for r in rows(store, "indicators")}
    # "comprising 600-plus, 155 and 52, respectively": one indicator, three figures
    assert got["leading enterprises and service institutions attracted"] == (3, "http://qudt.org/vocab/unit/NUM")
    assert got["district-level fiscal revenue"] == (1, "http://qudt.org/vocab/unit/CCY_CNY")


# --- people and bodies -----------------------------------------------------------------------------------

def test_officials(store):
    # "Chen Yujian, Secretary of the CPC Minhang District Committee, ... Chen Huawen, Deputy Party Secretary and
    # chief of Minhang District, Han Yongqiang, director of Minhang District Development and Reform Commission,
    # and Xu Hao, director of Minhang District Science and Technology Commission"
    assert rows(store, "officials") == [
        ("kgr:chen-huawen", "Chen Huawen", "kgr:post-deputy-secretary-cpc-minhang", "kgr:role-deputy-party-secretary",
         "kgr:cpc-minhang-district-committee"),
        ("kgr:chen-huawen", "Chen Huawen", "kgr:post-minhang-district-chief", "kgr:role-district-chief",
         "kgr:minhang-district-government"),
        ("kgr:chen-yujian", "Chen Yujian", "kgr:post-secretary-cpc-minhang", "kgr:role-party-secretary",
         "kgr:cpc-minhang-district-committee"),
        ("kgr:han-yongqiang", "Han Yongqiang", "kgr:post-director-minhang-drc", "kgr:role-director",
         "kgr:minhang-development-reform-commission"),
        ("kgr:xu-hao", "Xu Hao", "kgr:post-director-minhang-stc", "kgr:role-director",
         "kgr:minhang-science-technology-commission"),
    ]


def test_briefing_participants(store):
    b = f"kgr:briefing-{BRIEFING}"
    # "the Information Office of Shanghai Municipality held the 10th press briefing"; "Chen Yujian ... introduced
    # the details"; "Chen Huawen, ..., Han Yongqiang, ..., and Xu Hao ... attended the press briefing"
    assert rows(store, "briefing-participants") == [
        (b, "attendee", "kgr:chen-huawen", "Chen Huawen"),
        (b, "attendee", "kgr:chen-yujian", "Chen Yujian"),
        (b, "attendee", "kgr:han-yongqiang", "Han Yongqiang"),
        (b, "attendee", "kgr:xu-hao", "Xu Hao"),
        (b, "organizer", "kgr:shanghai-information-office", "Information Office of Shanghai Municipality"),
        (b, "presenter", "kgr:chen-yujian", "Chen Yujian"),
    ]


def test_public_bodies(store):
    got = {(r[0], r[2]) for r in rows(store, "public-bodies")}
    assert {("kgr:minhang-development-reform-commission", "kgr:minhang-district-government"),
            ("kgr:minhang-science-technology-commission", "kgr:minhang-district-government"),
            ("kgr:shanghai-information-office", "kgr:shanghai-municipal-government")} <= got


# --- partnerships and initiatives ------------------------------------------------------------------------

def test_partnerships_of_huawei_and_sjtu(store):
    got = rows(store, "partnerships")
    # "the Shanghai MindSpore AI Framework Innovation Center in partnership with Huawei"
    assert [r[1:] for r in got if r[0] == "kgr:partnership-huawei-mindspore"] == [
        ("member", "kgr:huawei", "Huawei"),
        ("member", "kgr:minhang-district-government", "Minhang District People's Government"),
        ("established", "kgr:shanghai-mindspore-ai-framework-innovation-center",
         "Shanghai MindSpore AI Framework Innovation Center")]
    # "joined forces with Shanghai Jiao Tong University to create a future energy and intelligent robotics
    # industrial science and technology park"
    assert [r[1:] for r in got if r[0] == "kgr:partnership-sjtu-future-energy-robotics-park"] == [
        ("member", "kgr:minhang-district-government", "Minhang District People's Government"),
        ("member", "kgr:shanghai-jiao-tong-university", "Shanghai Jiao Tong University"),
        ("established", "kgr:future-energy-intelligent-robotics-park",
         "Future energy and intelligent robotics industrial science and technology park")]


def test_partners_of_huawei(store):
    assert rows(store, "partners-of") == [
        ("kgr:partnership-huawei-mindspore", "Minhang District People's Government",
         "Shanghai MindSpore AI Framework Innovation Center")]


def test_initiatives_include_the_funds(store):
    funds = [(r[1], r[3]) for r in rows(store, "initiatives") if r[0] == "kg:Fund"]
    # "the Greater Neo Bay special fund and district-university cooperation special fund" (allocated now);
    # "Central to this approach is the creation of the Greater Neo Bay venture capital fund" (under way)
    assert sorted(set(funds)) == [("kgr:district-university-cooperation-special-fund", "kg:InOperation"),
                                  ("kgr:greater-neo-bay-special-fund", "kg:InOperation"),
                                  ("kgr:greater-neo-bay-venture-capital-fund", "kg:UnderWay")]


def test_initiatives_by_status_under_way(store):
    under_way = {r[1] for r in rows(store, "initiatives-by-status")}
    # "We’ve embarked on the establishment of the Shanghai MindSpore AI Framework Innovation Center";
    # "with additional efforts underway ... to establish the Shanghai Minhang Vocational and Technical College"
    assert {"kgr:shanghai-mindspore-ai-framework-innovation-center",
            "kgr:shanghai-minhang-vocational-technical-college",
            "kgr:greater-neo-bay-venture-capital-fund"} <= under_way
    planned = {r[1] for r in rows(store, "initiatives-by-status", status="kg:Planned")}
    assert not planned & under_way


def test_initiatives_of_kind_fund(store):
    supported = ["kgr:global-talent-attraction-program", "kgr:local-universities",
                 "kgr:sci-tech-achievement-transformation-pilot-initiatives",
                 "kgr:university-basic-research-special-zone"]
    # "dedicated funds, including the Greater Neo Bay special fund and district-university cooperation special
    # fund. These financial mechanisms actively support universities in their pursuit of basic research in the
    # specialized zone, global talent attraction program, and experimental initiatives for translating ..."
    assert rows(store, "initiatives-of-kind") == [
        *[("kgr:district-university-cooperation-special-fund", "District-university cooperation special fund",
           "kg:InOperation", s) for s in supported],
        ("kgr:greater-neo-bay-venture-capital-fund", "Greater Neo Bay Venture Capital Fund", "kg:UnderWay", None),
        *[("kgr:greater-neo-bay-special-fund", "Greater Neo Bay special fund", "kg:InOperation", s) for s in supported],
    ]


def test_facilities_museums_and_library(store):
    got = [(r[1], r[4]) for r in rows(store, "facilities") if r[0] in ("kg:Museum", "kg:Library")]
    assert got == [
        ("kgr:greater-neo-bay-library", "kg:InOperation"),       # "creation of ... the Greater Neo Bay Library"
        ("kgr:fengyuan-art-museum", "kg:UnderWay"),              # "actively promoting the development of ... the
        ("kgr:minhang-museum", "kg:InOperation"),                #  Fengyuan Art Museum"; "the Minhang Museum has
                                                                 #  earned its place among the top 100 museums"
        ("kgr:powerlong-museum", "kg:InOperation"),
        ("kgr:shanghai-style-art-museum", "kg:InOperation"),
        ("kgr:wu-yiren-art-museum", "kg:InOperation"),
        ("kgr:zhang-yuan-art-museum", "kg:InOperation"),
    ]


# --- places ----------------------------------------------------------------------------------------------

def test_linked_to_greater_neo_bay(store):
    # "This dynamic ecosystem is seamlessly linked with Minhang’s key industrial parks, including the Maqiao
    # Artificial Intelligence Innovation Pilot Zone, Minhang Economic and Technological Development Zone, Zizhu
    # National High-tech Industrial Development Zone, Lingang Pujiang Science and Technology City, and the
    # Xinzhuang Industrial Zone."
    assert rows(store, "linked-to-zone") == [
        ("kgr:lingang-pujiang-science-technology-city", "Lingang Pujiang Science and Technology City",
         "kg:IndustrialPark"),
        ("kgr:maqiao-ai-innovation-pilot-zone", "Maqiao Artificial Intelligence Innovation Pilot Zone",
         "kg:IndustrialPark"),
        ("kgr:minhang-economic-technological-development-zone", "Minhang Economic and Technological Development Zone",
         "kg:IndustrialPark"),
        ("kgr:xinzhuang-industrial-zone", "Xinzhuang Industrial Zone", "kg:IndustrialPark"),
        ("kgr:zizhu-national-high-tech-zone", "Zizhu National High-tech Industrial Development Zone",
         "kg:IndustrialPark"),
    ]


def test_in_the_hongqiao_cbd(store):
    located = [r[1] for r in rows(store, "in-place") if r[3] == "kg:locatedIn" and r[2] == "kg:Enterprise"]
    # the four new energy corporations and the four biopharmaceutical companies of the CBD
    assert located == ["CTTQ Pharma", "Innovent Bio", "Jinko Solar", "Runergy", "Sungrow", "Trina Solar", "WEGO",
                       "Yunnan Baiyao"]
    # "the 48-square-kilometer Hongqiao International Central Business District (Minhang Section)"
    assert ("kgr:hongqiao-cbd-minhang-section", "Hongqiao International Central Business District (Minhang Section)",
            "kg:FunctionalZone", "schema:containedInPlace") in rows(store, "in-place")


def test_place_hierarchy_of_minhang(store):
    # "geographically situated at the heart of Shanghai"; "China’s modernization"
    assert [r[3] for r in rows(store, "place-hierarchy") if r[0] == "kgr:minhang-district"] == ["China", "Shanghai"]


# --- provenance and mentions -----------------------------------------------------------------------------

SENTENCE_HUAWEI = ("We’ve embarked on the establishment of the Shanghai MindSpore AI Framework Innovation Center in "
                   "partnership with Huawei, and joined forces with Shanghai Jiao Tong University to create a future "
                   "energy and intelligent robotics industrial science and technology park.")


def test_fact_sources_of_huawei(store):
    got = [(*r[:6], " ".join(r[6].split())) for r in rows(store, "fact-sources")]
    launched = in_text("Shanghai MindSpore AI Framework Innovation Center in partnership with Huawei")
    member = in_text("Innovation Center in partnership with Huawei")
    assert [(r[0], r[1], r[2], " ".join(r[3].split()), int(r[4]), int(r[5]), r[6]) for r in got] == [
        ("kgr:shanghai-mindspore-ai-framework-innovation-center", "kg:launchedBy", "kgr:huawei",
         "Shanghai MindSpore AI Framework Innovation Center in partnership with Huawei", *launched, SENTENCE_HUAWEI),
        ("kgr:partnership-huawei-mindspore", "org:hasMember", "kgr:huawei",
         "Innovation Center in partnership with Huawei", *member, SENTENCE_HUAWEI),
    ]


def test_figure_sources_point_at_the_text(store):
    got = rows(store, "figure-sources")
    begins = [int(r[2]) for r in got]
    assert begins == sorted(begins)
    fiscal = [r for r in got if r[0].endswith("fiscal-revenue-2023-h1>")]
    [(_, label, begin, end, sentence)] = fiscal
    assert label == "district-level fiscal revenue: 18.137 billion yuan (H1 2023)"
    assert "18.137 billion yuan" in TEXT[int(begin):int(end)]
    assert " ".join(sentence.split()) == ("In the first half of this year, Minhang’s district-level fiscal revenue "
                                          "achieved an impressive milestone, totaling 18.137 billion yuan, marking a "
                                          "substantial year-on-year growth of 24.5%.")


def test_co_mentioned_with_huawei(store):
    # the one sentence naming Huawei (SENTENCE_HUAWEI) also names these three
    assert rows(store, "co-mentioned") == [
        ("kgr:future-energy-intelligent-robotics-park",
         "Future energy and intelligent robotics industrial science and technology park", "1"),
        ("kgr:shanghai-jiao-tong-university", "Shanghai Jiao Tong University", "1"),
        ("kgr:shanghai-mindspore-ai-framework-innovation-center", "Shanghai MindSpore AI Framework Innovation Center",
         "1"),
    ]


def test_most_mentioned(store):
    got = {r[0]: (int(r[2]), int(r[3])) for r in rows(store, "most-mentioned")}
    assert got["kgr:huawei"] == (TEXT.count("Huawei"), 1)
    # "joined forces with Shanghai Jiao Tong University"; "in partnership with Shanghai Jiao Tong University"
    assert got["kgr:shanghai-jiao-tong-university"] == (TEXT.count("Shanghai Jiao Tong University"), 2) == (2, 2)
    assert rows(store, "most-mentioned")[0][0] == "kgr:minhang-district"


def test_search_labels_finds_every_hongqiao_name_of_the_text(store):
    got = rows(store, "search-labels")
    assert all("hongqiao" in matched.casefold() for _, matched in got)
    names = {matched for _, matched in got}
    # every proper name of the text that starts with "Hongqiao" or "New Hongqiao"
    in_the_text = {"Hongqiao International Opening-up Hub", "Hongqiao International Central Business District",
                   "Hongqiao Import Commodity Exhibition and Trade Center",
                   "Hongqiao International Business Talent Port",
                   "Hongqiao International Central Legal District", "New Hongqiao International Medical Center",
                   "Hongqiao Fulcrum", "Hongqiao Qianwan Center", "Hongqiao Future Center",
                   "Hongqiao International Culture and Art Center"}
    assert in_the_text <= names


# --- graph and yes/no answers ----------------------------------------------------------------------------

def test_entity_card_of_the_mindspore_center(store):
    q = BY_NAME["entity-card"]
    result = run_query(store, q.text, bind_params(store, q.params, [], q.name))
    triples = {tuple(compact(t.value) if isinstance(t, ox.NamedNode) else t.value
                     for t in (tr.subject, tr.predicate, tr.object))
               for tr in result.triples}
    c = "kgr:shanghai-mindspore-ai-framework-innovation-center"
    assert triples == {
        (c, "rdf:type", "kg:Platform"),
        (c, "rdfs:label", "Shanghai MindSpore AI Framework Innovation Center"),
        (c, "kg:launchedBy", "kgr:huawei"),                          # "in partnership with Huawei"
        (c, "kg:launchedBy", "kgr:minhang-district-government"),     # "We’ve embarked on the establishment"
        (c, "kg:status", "kg:UnderWay"),
        (c, "kg:focusSector", "kgr:sector-artificial-intelligence"),  # an "AI Framework Innovation Center"
        ("kgr:huawei", "rdfs:label", "Huawei"),
        ("kgr:minhang-district-government", "rdfs:label", "Minhang District People's Government"),
        ("kgr:sector-artificial-intelligence", "rdfs:label", "Artificial intelligence"),
        ("kg:UnderWay", "rdfs:label", "under way"),
    }


def test_describe_entity_huawei(store):
    q = BY_NAME["describe-entity"]
    result = run_query(store, q.text, bind_params(store, q.params, [], q.name))
    assert result.kind == "graph"
    triples = {(compact(tr.predicate.value), tr.object.value) for tr in result.triples}
    assert {("rdf:type", PREFIXES["kg"] + "Enterprise"), ("rdfs:label", "Huawei"),
            ("skos:prefLabel", "Huawei")} <= triples
    [span] = [o for p, o in triples if p == "prov:wasDerivedFrom"]
    begin, end = map(int, span.rsplit("#char=", 1)[1].split(","))
    assert TEXT[begin:end].endswith("Huawei")  # where the text first names it: "in partnership with Huawei"


def test_has_figure_about(store):
    q = BY_NAME["has-figure-about"]
    ask = lambda **p: run_query(store, q.text, bind_params(store, q.params, list(p.items()), q.name)).boolean  # noqa: E731
    assert ask() is True                      # Minhang: "fiscal revenue ... 18.137 billion yuan"
    assert ask(entity="Huawei") is False      # the text gives no number about Huawei
