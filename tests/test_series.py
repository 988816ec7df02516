"""The series: many briefings in one dataset, shared entities declared once in the registry (data/entities/),
every fact dated and sourced by its briefing. Run on the bundled briefing plus the fictional series of
tests/fixtures/series/ (whatever $KG_TEST_SERIES says), and on inline bad input."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from conftest import BRIEFING, SERIES, check_failure, copy_project, run
from kg.annotations import load_registry
from kg.dataset import graph_iri, mint
from kg.prefixes import prologue
from kg.vocab import KG, NIF

MARCH, SEPTEMBER = "aurelport-larkmoor-2024-03-12", "aurelport-larkmoor-2024-09-10"
COURIER, WRENFIELD = "aurelport-courier-2024-03-13", "aurelport-wrenfield-2024-05-21"
FIXTURES = (COURIER, MARCH, SEPTEMBER, WRENFIELD)


@pytest.fixture(scope="module")
def series(tmp_path_factory) -> Path:
    """The bundled project with the fictional series added, built."""
    root = copy_project(tmp_path_factory.mktemp("series") / "project", series=True)
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def ds(series: Path):
    from kg.build import load_built
    from kg.project import find_project

    return load_built(find_project(series))


def select(series: Path, query: str) -> list[tuple[str, ...]]:
    """Rows of a SELECT on the built store, each term as its plain value."""
    store = ox.Store.read_only(str(series / "build" / "current" / "oxigraph"))
    return [tuple(t.value if t is not None else "" for t in row) for row in store.query(prologue() + query)]


def registry_ids(series: Path) -> dict[str, str]:
    return {e.id: e.name for e in load_registry(series / "data" / "entities").values()}


# --- the fixtures are what they claim -----------------------------------------------------------------

def test_fixture_briefings_are_marked_fictional():
    from kg.source import load_briefing

    for slug in FIXTURES:
        b = load_briefing(SERIES / "briefings" / f"{slug}.txt")
        assert b.meta["fictional"] is True, slug
        assert "Fictional" in b.meta["note"]


def test_build_says_how_entities_are_shared(series: Path):
    result = run(series, "build")
    assert result.exit_code == 0, result.output
    # The fixtures' registry: 15 entities. Named by all four fixture briefings: brightwater-robotics and
    # ind-high-tech-enterprise-count; by three: aurelport-information-office, larkmoor-district,
    # larkmoor-district-committee, mara-kellen, post-secretary-larkmoor-committee, the computing centre,
    # harbour-crescent-innovation-zone, ind-general-budget-revenue; by two: aurelport,
    # briefing-larkmoor-2024-03-12, role-secretary, tovin-ashgrove; by one: wrenfield-district. The bundled
    # briefing's 140 are named by it alone.
    assert "Registry: 155 shared entities: 141 named in 1 briefing, 4 in 2 briefings, 8 in 3 briefings, " \
           "2 in 4 briefings." in result.stdout
    assert result.stderr == ""


def test_bundled_alone_says_each_is_named_in_one_briefing(project: Path):
    for slug in FIXTURES:  # whatever $KG_TEST_SERIES says: the bundled briefing alone
        (project / "data" / "briefings" / f"{slug}.txt").unlink(missing_ok=True)
        (project / "data" / "briefings" / f"{slug}.meta.yaml").unlink(missing_ok=True)
    (project / "data" / "entities" / "aurelport.yaml").unlink(missing_ok=True)
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    assert "Registry: 140 shared entities, each named in 1 briefing." in result.stdout


def test_the_collection_validates(series: Path):
    result = run(series, "validate")
    assert result.exit_code == 0, result.output
    checks = run(series, "queries", "--check")
    assert checks.exit_code == 0 and "FAIL" not in checks.output, checks.output


# --- one identity per entity --------------------------------------------------------------------------

def test_one_iri_per_registry_entity_across_all_graphs(ds, series: Path):
    ids = registry_ids(series)
    entities_graph = graph_iri("entities")
    fixtures = set(load_registry(SERIES / "entities"))
    assert fixtures <= set(ids)
    for ident, name in ids.items():
        iri = mint("entity", ident)
        if ident in fixtures:  # the series names each by several spellings; all of them label one node
            for spelling in (name, *_aliases(ds, iri)):
                assert {s for s in ds.subjects(None, Literal(spelling, lang="en"))
                        if (s, RDF.type, None) in ds} == {iri}, (ident, spelling)
        # described (typed, labelled) once, in the registry's graph, never again in a briefing's graph
        typed_in = {g for _, _, _, g in ds.quads((iri, RDF.type, None, None))}
        assert typed_in == {entities_graph}, ident
        assert (iri, RDFS.isDefinedBy, entities_graph) in ds
    # ... and the briefings that name one point to that IRI, each in its own graph
    hub = mint("entity", "harbour-crescent-innovation-zone")
    named_in = {g for _, _, _, g in ds.quads((hub, PROV.wasDerivedFrom, None, None))}
    assert named_in == {graph_iri(s) for s in (COURIER, MARCH, SEPTEMBER)}


def _aliases(ds, iri) -> list[str]:
    return [str(o) for o in ds.objects(iri, SKOS.altLabel)]


def test_a_briefings_own_spelling_stays_in_its_graph(ds):
    hub = mint("entity", "harbour-crescent-innovation-zone")
    spellings = {(str(o), g) for _, _, o, g in ds.quads((hub, SKOS.altLabel, None, None))}
    assert spellings == {("Harbour Crescent Innovation Area", graph_iri(SEPTEMBER)),
                         ("Harbor Crescent Innovation Zone", graph_iri(COURIER))}


def test_mentions_are_recorded_per_briefing_with_their_spans(ds, series: Path):
    """Where each briefing names the zone: the quote of its mention (prov:wasDerivedFrom) and every
    occurrence of a name it goes by there (kg:mentions), each span the exact characters of its own text."""
    hub = mint("entity", "harbour-crescent-innovation-zone")
    expected = {
        MARCH: ["Harbour Crescent\nInnovation Zone", "Harbour Crescent Innovation Zone"],
        SEPTEMBER: ["Harbour Crescent Innovation Area"],
        COURIER: ["Harbor Crescent Innovation Zone"],
    }
    for slug, names in expected.items():
        text = (series / "data" / "briefings" / f"{slug}.txt").read_text(encoding="utf-8")
        g = ds.graph(graph_iri(slug))
        spans = sorted(g.subjects(KG.mentions, hub), key=lambda s: int(g.value(s, NIF.beginIndex)))
        found = []
        for span in spans:
            b, e = int(g.value(span, NIF.beginIndex)), int(g.value(span, NIF.endIndex))
            assert str(span).startswith(str(mint("doc", slug)) + "#char=")
            assert str(g.value(span, NIF.anchorOf)) == text[b:e]
            found.append(text[b:e])
        assert found == names, slug
    [quote] = ds.graph(graph_iri(SEPTEMBER)).objects(hub, PROV.wasDerivedFrom)
    begin, end = _offsets(series, SEPTEMBER, "Harbour Crescent Innovation Area")
    assert str(quote).endswith(f"#char={begin},{end}")


def _offsets(series: Path, slug: str, words: str) -> tuple[int, int]:
    text = (series / "data" / "briefings" / f"{slug}.txt").read_text(encoding="utf-8")
    b = text.index(words)
    return b, b + len(words)


def test_the_bundled_briefing_names_its_registry_entities(ds):
    """Moving Minhang's entities into the registry kept where the briefing names them."""
    g = ds.graph(graph_iri(BRIEFING))
    huawei = mint("entity", "huawei")
    assert (huawei, RDF.type, KG.Enterprise) not in g  # described in the registry's graph
    assert (huawei, RDF.type, KG.Enterprise) in ds.graph(graph_iri("entities"))
    [span] = g.objects(huawei, PROV.wasDerivedFrom)
    assert " ".join(str(g.value(span, NIF.anchorOf)).split()) == "in partnership with Huawei"


# --- time and source on every fact ---------------------------------------------------------------------

STATUS_AS_OF = """
SELECT ?briefing ?date ?status WHERE {
  GRAPH ?g { ?a a kg:Assertion ; rdf:subject kgr:larkmoor-quantum-computing-centre ; rdf:predicate kg:status ;
                rdf:object ?status ; kg:asOf/time:inXSDDate ?date ; prov:hadPrimarySource/dcterms:identifier ?briefing }
} ORDER BY ?date ?briefing
"""


def test_a_status_is_the_status_as_of_its_briefing(series: Path):
    """Planned on 12 March (by two outlets), in operation on 10 September: both stand, each dated."""
    kg = "https://example.org/kg/ontology#"
    assert select(series, STATUS_AS_OF) == [
        (COURIER, "2024-03-12", kg + "Planned"),
        (MARCH, "2024-03-12", kg + "Planned"),
        (SEPTEMBER, "2024-09-10", kg + "InOperation"),
    ]


def test_every_fact_and_figure_is_dated_by_its_briefing(ds, series: Path):
    held = {}
    for slug in (*FIXTURES, BRIEFING):
        from kg.source import load_briefing
        held[slug] = load_briefing(series / "data" / "briefings" / f"{slug}.txt").meta["held"]
    checked = 0
    for slug, day in held.items():
        g = ds.graph(graph_iri(slug))
        doc = mint("doc", slug)
        for kind in (KG.Assertion, KG.Figure):
            for fact in g.subjects(RDF.type, kind):
                assert list(g.objects(fact, PROV.hadPrimarySource)) == [doc]
                [instant] = g.objects(fact, KG.asOf)
                in_date = g.value(instant, URIRef("http://www.w3.org/2006/time#inXSDDate"))
                assert in_date == Literal(day, datatype=XSD.date)
                checked += 1
    assert checked > 300


def test_a_changed_figure_keeps_both_values_each_dated(series: Path):
    rows = select(
        series,
        """
        SELECT ?date ?value ?briefing WHERE {
          ?f kg:indicator kgr:ind-high-tech-enterprise-count ; schema:observationAbout kgr:larkmoor-district ;
             sdmx-measure:obsValue ?value ; kg:asOf/time:inXSDDate ?date ;
             prov:hadPrimarySource/dcterms:identifier ?briefing
        } ORDER BY ?date ?briefing""",
    )
    assert rows == [("2024-03-12", "310", COURIER), ("2024-03-12", "310", MARCH), ("2024-09-10", "355", SEPTEMBER)]


def test_posts_are_held_as_stated_on_each_date(series: Path):
    rows = select(
        series,
        """
        SELECT ?date ?post WHERE {
          ?a rdf:subject kgr:tovin-ashgrove ; rdf:predicate org:holds ; rdf:object ?p ; kg:asOf/time:inXSDDate ?date .
          ?p skos:prefLabel ?post
        } ORDER BY ?date""",
    )
    assert rows == [
        ("2024-03-12", "Director of the Larkmoor District Science Bureau"),
        ("2024-09-10", "Deputy chief of Larkmoor District"),
    ]


# --- bad input: one line naming the file and line, exit 2, nothing written ---------------------------------

REGISTRY_ENTRY = """entities:
  - id: test-place
    type: District
    name: Test Place
"""


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


ANN = f"data/annotations/{BRIEFING}"
META = f"data/briefings/{BRIEFING}.meta.yaml"

BAD = {
    # a briefing that redeclares a registry entity: both places
    "redeclares-registry-entity": (
        lambda root: _write(
            root,
            f"{ANN}/99-test.yaml",
            'entities:\n  - id: huawei\n    type: Enterprise\n    name: Huawei\n    quote: "Huawei"\n',
        ),
        "99-test.yaml:2: entity 'huawei' redeclares the registry entity declared at entities/organisations.yaml:",
    ),
    "redeclares-with-a-name-only": (
        lambda root: _write(
            root, f"{ANN}/99-test.yaml", 'entities:\n  - id: huawei\n    name: Huawei Ltd\n    quote: "Huawei"\n'
        ),
        "(it gives name)",
    ),
    # two registry declarations of one id, in two files; or typed differently
    "registry-declared-twice": (
        lambda root: _write(
            root,
            "data/entities/zz-test.yaml",
            REGISTRY_ENTRY.replace("test-place", "huawei").replace("District", "Enterprise"),
        ),
        "zz-test.yaml:2: entity 'huawei': declared twice in the registry (first at entities/organisations.yaml:",
    ),
    "registry-typed-twice": (
        lambda root: _write(root, "data/entities/zz-test.yaml", REGISTRY_ENTRY.replace("test-place", "huawei")),
        "zz-test.yaml:2: entity 'huawei': typed District here but Enterprise at entities/organisations.yaml:",
    ),
    "registry-unknown-type": (
        lambda root: _write(root, "data/entities/zz-test.yaml", REGISTRY_ENTRY.replace("District", "Distrikt")),
        "zz-test.yaml:2: entity 'test-place': unknown type 'Distrikt'; did you mean District?",
    ),
    "registry-with-a-quote": (
        lambda root: _write(root, "data/entities/zz-test.yaml", REGISTRY_ENTRY + '    quote: "Minhang"\n'),
        "zz-test.yaml:5: the registry is not a text",
    ),
    "registry-unknown-key": (
        lambda root: _write(root, "data/entities/zz-test.yaml", REGISTRY_ENTRY + "    colour: red\n"),
        "zz-test.yaml:5: unknown key 'colour' (allowed: id, type, name, aliases, name_zh, same_as, note, generic)",
    ),
    "registry-yml": (
        lambda root: _write(root, "data/entities/zz-test.yml", REGISTRY_ENTRY),
        "zz-test.yml: registry files end in .yaml, not .yml",
    ),
    # a mention of an id that no registry declares (and no type or name to declare it here)
    "mention-of-no-registry-entity": (
        lambda root: _write(root, f"{ANN}/99-test.yaml", 'entities:\n  - id: huawie\n    quote: "Huawei"\n'),
        (
            "99-test.yaml:2: entity 'huawie': has no type or name, and the registry (data/entities/) declares no "
            "entity 'huawie'; did you mean huawei?"
        ),
    ),
    # a registry id used in a relation by a briefing that does not name it
    "registry-entity-used-unnamed": (
        lambda root: (
            _write(root, "data/entities/zz-test.yaml", REGISTRY_ENTRY),
            _write(
                root,
                f"{ANN}/99-test.yaml",
                'relations:\n  - {s: huawei, p: locatedIn, o: test-place, quote: "Huawei"}\n',
            ),
        ),
        (
            "99-test.yaml:2: relation huawei locatedIn test-place: object 'test-place' is a registry entity this "
            "briefing does not name"
        ),
    ),
    # an annotation naming an id declared nowhere
    "declared-nowhere": (
        lambda root: _write(
            root, f"{ANN}/99-test.yaml", 'relations:\n  - {s: huawei, p: locatedIn, o: nowhere-land, quote: "Huawei"}\n'
        ),
        "99-test.yaml:2: relation huawei locatedIn nowhere-land: object 'nowhere-land' is not a declared entity",
    ),
    # two briefings with the same date and title (the slug is the file name, so it cannot repeat)
    "same-title-and-date": (
        lambda root: _second(root, "minhang-copy"),
        (
            "minhang-copy.meta.yaml:2: briefing minhang-copy has the title and date of minhang-2023-09-07 "
            "(minhang-2023-09-07.meta.yaml:2)"
        ),
    ),
    # a briefing whose date is after today, or not a date
    "held-after-today": (
        lambda root: _replace(root, META, "held: 2023-09-07", f"held: {dt.date.today() + dt.timedelta(days=1)}"),
        f"{BRIEFING}.meta.yaml:3: 'held' is {dt.date.today() + dt.timedelta(days=1)}, after today",
    ),
    "held-not-a-date": (
        lambda root: _replace(root, META, "held: 2023-09-07", "held: early September"),
        f"{BRIEFING}.meta.yaml:3: 'held' must be a date like 2023-09-07, not 'early September'",
    ),
    "fictional-not-a-boolean": (
        lambda root: _append(root, META, "fictional: yes\n"),
        f"{BRIEFING}.meta.yaml:13: 'fictional' must be true or false, not 'yes'",
    ),
    # a briefing whose graph would be the registry's
    "slug-is-entities": (
        lambda root: _second(root, "entities", title="Another title"),
        "entities.txt: this briefing's graph would be <https://example.org/kg/graph/entities>, "
        "the graph of the entity registry",
    ),
}


def _replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _second(root: Path, slug: str, title: str | None = None) -> None:
    import shutil

    briefings = root / "data" / "briefings"
    shutil.copy(briefings / f"{BRIEFING}.txt", briefings / f"{slug}.txt")
    shutil.copy(briefings / f"{BRIEFING}.meta.yaml", briefings / f"{slug}.meta.yaml")
    shutil.copytree(root / ANN, root / "data" / "annotations" / slug)
    if title:
        _replace(root, f"data/briefings/{slug}.meta.yaml", "title: Press Release", f"title: {title}")


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_series_input_is_one_clear_line(project: Path, name: str):
    breaker, expected = BAD[name]
    breaker(project)
    check_failure(run(project, "build"), expected)
    assert not (project / "build").exists()  # nothing half-written: the build stopped before build/


def test_unnamed_registry_entity_is_a_warning(project: Path):
    """A registry entity that no briefing names: one warning line, exit 0, and the build validates."""
    _write(project, "data/entities/zz-test.yaml", REGISTRY_ENTRY)
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    [warning] = result.stderr.splitlines()
    assert warning.startswith("Warning: ") and warning.endswith(
        "data/entities/zz-test.yaml:2: registry entity 'test-place' is named by no briefing "
        "(mention it in a briefing's annotations, or remove it)"
    )
    assert "1 named in no briefing" in result.stdout
    validated = run(project, "validate")
    assert validated.exit_code == 0, validated.output
    checks = run(project, "queries", "--check")
    assert "FAIL" not in checks.output, checks.output


def test_a_new_briefing_joins_registry_entities_with_no_other_step(project: Path):
    """A user adds a briefing by hand that refers to registry ids: its facts join the existing entities."""
    briefings = project / "data" / "briefings"
    (briefings / "tiny-2024-01-01.txt").write_text("Huawei opened an office in Minhang District.\n", encoding="utf-8")
    (briefings / "tiny-2024-01-01.meta.yaml").write_text(
        "title: A tiny fictional note\nheld: 2024-01-01\npublisher: shanghai-information-office\n"
        "event: tiny-event\nlanguage: en\nfictional: true\n",
        encoding="utf-8",
    )
    _write(
        project,
        "data/annotations/tiny-2024-01-01/00.yaml",
        """entities:
  - {id: huawei, quote: "Huawei"}
  - {id: minhang-district, quote: "Minhang District"}
  - {id: shanghai-information-office, quote: "opened an office"}
  - {id: tiny-event, type: Event, name: Tiny event, quote: "opened an office in"}
relations:
  - {s: huawei, p: locatedIn, o: minhang-district, quote: "Huawei opened an office in Minhang District"}
""",
    )
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    rows = run(
        project,
        "query",
        "-e",
        "SELECT ?g WHERE { GRAPH ?g { kgr:huawei kg:locatedIn kgr:minhang-district } }",
        "--format",
        "csv",
    )
    assert rows.stdout.split() == ["g", "https://example.org/kg/graph/tiny-2024-01-01"]
    described = run(project, "describe", "huawei")
    assert "Minhang District" in described.stdout


# --- questions across briefings: the catalogue's series queries, exact rows on the fictional series ----------

KG_NS, KGR = "https://example.org/kg/ontology#", "https://example.org/kg/id/"


def rows(series: Path, name: str, **params: str) -> list[tuple[str, ...]]:
    """A catalogued query's rows on the built series, IRIs as prefixed names, literals as their text."""
    from kg.catalogue import load_catalogue
    from kg.prefixes import compact
    from kg.query import bind_params, run_query

    [q] = [q for q in load_catalogue(series / "queries") if q.name == name]
    store = ox.Store.read_only(str(series / "build" / "current" / "oxigraph"))
    result = run_query(store, q.text, bind_params(store, q.params, list(params.items()), q.name))

    def show(t) -> str:
        return "" if t is None else compact(t.value) if isinstance(t, ox.NamedNode) else t.value

    return [tuple(show(t) for t in row) for row in result.rows]


def test_briefings_naming(series: Path):
    # "Larkmoor District lies on the eastern shore" (March: its revenue and count figures, the zone in it,
    # and Larkmoor in Aurelport); "officials of Larkmoor District" (Courier: the count); "returning to
    # Larkmoor District" (September: its revenue and count figures)
    assert rows(series, "briefings-naming", entity="larkmoor-district") == [
        (SEPTEMBER, "2024-09-10", "returning to Larkmoor District", "2"),
        (COURIER, "2024-03-12", "officials of Larkmoor District", "1"),
        (MARCH, "2024-03-12", "Larkmoor District lies on the eastern shore", "4"),
    ]


def test_said_about(series: Path):
    centre, hub, bright = (
        "larkmoor-quantum-computing-centre",
        "kgr:harbour-crescent-innovation-zone",
        "kgr:brightwater-robotics",
    )
    assert rows(series, "said-about", entity=centre) == [
        (
            "2024-09-10",
            SEPTEMBER,
            "→",
            "kg:locatedIn",
            hub,
        ),  # "now in operation in the Harbour Crescent Innovation Area"
        ("2024-09-10", SEPTEMBER, "→", "kg:status", "kg:InOperation"),
        ("2024-03-12", COURIER, "→", "kg:launchedBy", bright),  # "would be built with Brightwater Robotics"
        ("2024-03-12", COURIER, "→", "kg:locatedIn", hub),
        ("2024-03-12", COURIER, "→", "kg:status", "kg:Planned"),
        ("2024-03-12", MARCH, "→", "kg:launchedBy", bright),  # "building together with Brightwater Robotics"
        ("2024-03-12", MARCH, "→", "kg:locatedIn", hub),
        ("2024-03-12", MARCH, "→", "kg:status", "kg:Planned"),  # "is planned to open"
    ]


def test_status_changes(series: Path):
    # "is planned to open ... next year" (March) → "is now in operation" (September); the greenway and the
    # sensor laboratory are named once, so they have no change
    assert rows(series, "status-changes") == [
        ("kgr:larkmoor-quantum-computing-centre", "kg:Planned", "2024-03-12", "kg:InOperation", "2024-09-10")
    ]


def test_indicator_across(series: Path):
    assert rows(series, "indicator-across", indicator="ind-general-budget-revenue") == [
        ("kgr:larkmoor-district", "4200000000", "unit:CCY_CNY", "2023", "2024-03-12", MARCH),  # "4.2 billion yuan"
        (
            "kgr:larkmoor-district",
            "2500000000",
            "unit:CCY_CNY",
            "H1 2024",
            "2024-09-10",
            SEPTEMBER,
        ),  # "2.5 billion yuan"
        ("kgr:wrenfield-district", "3100000000", "unit:CCY_CNY", "2023", "2024-05-21", WRENFIELD),  # "3.1 billion yuan"
    ]


def test_figure_changes(series: Path):
    # "counts 310 high-tech enterprises" (March, and the Courier) → "has risen to 355" (September); the
    # revenues are of other periods (2023, H1 2024), so not a change
    assert rows(series, "figure-changes") == [
        ("kgr:ind-high-tech-enterprise-count", "kgr:larkmoor-district", "310", "2024-03-12", "355", "2024-09-10")
    ]


def test_posts_across(series: Path):
    fixture_rows = [r for r in rows(series, "posts-across") if r[3] in FIXTURES]
    assert fixture_rows == [
        ("Ilsa Fenwright", "Chief of Wrenfield District", "2024-05-21", WRENFIELD),
        ("Mara Kellen", "Secretary of the Larkmoor District Committee", "2024-03-12", COURIER),  # "who leads"
        ("Mara Kellen", "Secretary of the Larkmoor District Committee", "2024-03-12", MARCH),
        ("Mara Kellen", "Secretary of the Larkmoor District Committee", "2024-09-10", SEPTEMBER),
        ("Tovin Ashgrove", "Director of the Larkmoor District Science Bureau", "2024-03-12", MARCH),
        ("Tovin Ashgrove", "Deputy chief of Larkmoor District", "2024-09-10", SEPTEMBER),
    ]


def test_named_in_briefings(series: Path):
    # Brightwater Robotics: all four; the count: "310 high-tech enterprises", "The number of high-tech
    # enterprises", "high-tech enterprises" (Courier), "190 high-tech enterprises"
    assert rows(series, "named-in-briefings", min="4") == [
        ("kgr:brightwater-robotics", "Brightwater Robotics", "4"),
        ("kgr:ind-high-tech-enterprise-count", "number of high-tech enterprises", "4"),
    ]
    three = {r[0] for r in rows(series, "named-in-briefings", min="3")} - {
        r[0] for r in rows(series, "named-in-briefings", min="4")
    }
    assert three == {
        f"kgr:{i}"
        for i in (
            "aurelport-information-office",
            "harbour-crescent-innovation-zone",
            "ind-general-budget-revenue",
            "larkmoor-district",
            "larkmoor-district-committee",
            "larkmoor-quantum-computing-centre",
            "mara-kellen",
            "post-secretary-larkmoor-committee",
        )
    }


def test_series_in_order(series: Path):
    growing = "Growing Together in Aurelport"
    assert [r[:4] for r in rows(series, "series-in-order")] == [
        (growing, "4", "2024-03-12", COURIER),  # the Courier reports the 4th briefing
        (growing, "4", "2024-03-12", MARCH),
        (growing, "7", "2024-05-21", WRENFIELD),
        (growing, "11", "2024-09-10", SEPTEMBER),
        ("High-Quality Development in Shanghai", "10", "2023-09-07", BRIEFING),
    ]


def test_new_entities(series: Path):
    # what the September follow-up names that no earlier briefing did: itself, and Tovin Ashgrove's new post
    assert rows(series, "new-entities", briefing=SEPTEMBER) == [
        ("kgr:briefing-larkmoor-2024-09-10", "Aurelport press briefing on Larkmoor District, 10 September 2024"),
        ("kgr:larkmoor-district-government", "Larkmoor District People's Government"),
        ("kgr:post-deputy-chief-larkmoor", "Deputy chief of Larkmoor District"),
        ("kgr:role-deputy-district-chief", "Deputy district chief"),
    ]
    # the Courier, held the same day as the March briefing, names nothing the March briefing did not, but
    # neither is earlier than the other: both count as new there
    assert ("kgr:aurelport-courier", "Aurelport Courier") in rows(series, "new-entities", briefing=COURIER)


def test_describe_groups_facts_by_briefing_newest_first(series: Path):
    out = run(series, "describe", "Larkmoor Quantum Computing Center").stdout  # the Courier's spelling
    heads = [line for line in out.splitlines() if line.startswith("== ")]
    assert heads == [
        f"== {SEPTEMBER}, as of 2024-09-10",
        f"== {MARCH}, as of 2024-03-12",
        f"== {COURIER}, as of 2024-03-12",
    ]
    september = out.split(heads[0])[1].split(heads[1])[0]
    assert "kg:InOperation" in september and "kg:Planned" not in september
    assert "kg:Planned" in out.split(heads[1])[1]


def test_describe_of_an_entity_of_one_briefing_has_no_briefing_headings(series: Path):
    out = run(series, "describe", "huawei").stdout
    assert "== " not in out and "launched by (kg:launchedBy)" in out


# --- the rest of kg sees the collection: the view, the page and the analytics by briefing --------------------

def _view(series: Path):
    from kg.graphview import load_view
    from kg.project import find_project

    return load_view(find_project(series))


def _slugs(g, *ids: str) -> set[str]:
    return {g.nodes[n]["slug"] for n in g} & set(ids)


def test_the_view_knows_which_briefings_state_what(series: Path):
    from kg.graphview import in_briefings

    g = _view(series)
    assert [b.slug for b in g.graph["briefings"]][-4:] == [COURIER, MARCH, WRENFIELD, SEPTEMBER]  # by day held
    centre = KGR + "larkmoor-quantum-computing-centre"
    # a status is as of its briefing: the whole collection shows the newest; March alone, March's
    assert g.nodes[centre]["status"] == "in operation"
    march = in_briefings(g, [MARCH])
    assert march.nodes[centre]["status"] == "planned"
    assert [f.text for f in march.nodes[centre]["facts"]] == [
        "launched by → Brightwater Robotics", "located in → Harbour Crescent Innovation Zone", "status: planned"]
    # figures of one indicator, each in the briefing that states it
    district = KGR + "larkmoor-district"
    assert [f.text for f in in_briefings(g, [SEPTEMBER]).nodes[district]["figures"]] == [
        "general budget revenue: 2.5 billion yuan (H1 2024), +8.3% year on year",
        "number of high-tech enterprises: 355 (as of 10 September 2024)"]
    assert [f.text for f in in_briefings(g, [COURIER]).nodes[district]["figures"]] == [
        "number of high-tech enterprises: 310 (as of 12 March 2024)"]
    # entities: Wrenfield's official only in Wrenfield's briefing; the zone in all three Larkmoor reports
    assert _slugs(march, "ilsa-fenwright", "harbour-crescent-innovation-zone") == {"harbour-crescent-innovation-zone"}
    assert _slugs(in_briefings(g, [WRENFIELD]), "ilsa-fenwright", "harbour-crescent-innovation-zone") == {
        "ilsa-fenwright"}
    # relations: Tovin Ashgrove's post is stated in September only
    holds = (KGR + "tovin-ashgrove", KGR + "post-deputy-chief-larkmoor", "http://www.w3.org/ns/org#holds")
    assert g.edges[holds]["briefings"] == [SEPTEMBER]
    assert holds in in_briefings(g, [SEPTEMBER]).edges and holds not in march.edges


def _wrote(result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout.split(" (", 1)[1]


@pytest.mark.parametrize(("args", "kept"), [
    (("--briefing", MARCH), [MARCH]),
    (("--briefing", WRENFIELD.upper(), "--briefing", COURIER), [COURIER, WRENFIELD]),
    (("--since", "2024-05-01"), [WRENFIELD, SEPTEMBER]),
    (("--since", "2024-03-12", "--until", "2024-03-12"), [COURIER, MARCH]),
])
def test_kg_viz_and_analyze_keep_what_the_chosen_briefings_state(series: Path, tmp_path: Path, args, kept):
    import json

    from kg.analytics import analyze
    from kg.graphview import in_briefings
    from kg.viz import select_nodes

    sub = in_briefings(_view(series), kept)
    page = tmp_path / "p.html"
    expected = select_nodes(sub)[0]
    assert _wrote(run(series, "viz", *args, "-o", str(page))) == (
        f"{expected.number_of_nodes()} entities, {expected.number_of_edges()} relations).\n")
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>',
                                page.read_text(encoding="utf-8")).group(1))
    assert [b["slug"] for b in data["briefings"]] == kept
    assert any(kept[0] in note or "briefings" in note for note in data["notes"])
    result = run(series, "analyze", "--json", *args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(json.dumps(analyze(sub)))


@pytest.mark.parametrize(("args", "expected"), [
    (("--briefing", "aurelport-larkmor-2024-03-12"),
     f"unknown briefing 'aurelport-larkmor-2024-03-12'; did you mean {MARCH}"),
    (("--since", "2024-02-30"), "--since '2024-02-30' is not a date (YYYY-MM-DD)"),
    (("--until", "2000-01-01"), "no briefing held on or before 2000-01-01"),
    (("--briefing", WRENFIELD, "--since", "2024-06-01"), f"no briefing named {WRENFIELD}, held on or after 2024-06-01"),
])
def test_a_bad_briefing_choice_is_one_line(series: Path, tmp_path: Path, args, expected):
    page = tmp_path / "p.html"
    for command in (("viz", "-o", str(page)), ("analyze",)):
        check_failure(run(series, *command, *args), expected)
    assert not page.exists()


def test_stats_and_analyze_report_per_briefing_and_across(series: Path):
    import json

    from kg.dataset import graph_iri
    from kg.graphview import in_briefings

    s = json.loads(run(series, "stats", "--json").stdout)
    per = {b["briefing"]: b for b in s["briefings"]}
    assert list(per)[-4:] == [COURIER, MARCH, WRENFIELD, SEPTEMBER]
    # every relation and figure has one source: the briefings' counts add up to the totals
    assert sum(b["relations"] for b in per.values()) == s["relations"]
    assert sum(b["figures"] for b in per.values()) == s["figures"]
    assert all(b["triples"] == s["graphs"][str(graph_iri(slug))] for slug, b in per.items())
    # September names its four own entities and the registry's Larkmoor entities it mentions
    assert per[SEPTEMBER]["figures"] == 2 and per[COURIER]["figures"] == 1
    text = run(series, "stats").stdout
    assert "entities named" in text and f"{WRENFIELD}  2024-05-21" in text
    a = json.loads(run(series, "analyze", "--json").stdout)
    g = _view(series)
    for b in a["briefings"]:
        sub = in_briefings(g, [b["briefing"]])
        assert b["nodes"] == sub.number_of_nodes()
    assert "Per briefing" in run(series, "analyze").stdout


def test_the_export_keeps_one_named_graph_per_briefing(series: Path, tmp_path: Path):
    out = tmp_path / "all.trig"
    assert run(series, "export", "-o", str(out)).exit_code == 0
    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.TRIG)
    built = ox.Store.read_only(str(series / "build" / "current" / "oxigraph"))
    graphs = {g.value for g in built.named_graphs()}
    assert {str(graph_iri(s)) for s in FIXTURES} <= graphs
    assert {g.value for g in store.named_graphs()} == graphs
    for g in sorted(graphs):
        assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(g)))) == len(
            list(built.quads_for_pattern(None, None, None, ox.NamedNode(g)))), g
