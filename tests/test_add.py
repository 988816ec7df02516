"""kg add (a new briefing from a .txt or a saved page), drafts in the graph, kg build --reviewed-only.

Every text and page here is fictional (Aurelport, see tests/fixtures/series/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import PROV, XSD

from conftest import check_failure, run
from kg.vocab import KG

SLUG = "aurelport-harbour-2024-04-02"
# FICTIONAL: a short briefing written for this test.
TEXT = ("Saltmarsh Harbour Park Opens in Larkmoor\n\n"
        "On April 2, the Aurelport Municipal Information Office held a briefing on the Saltmarsh Harbour Park.\n"
        "The park covers 12 hectares, said Mara Quill, Director of the Larkmoor Parks Bureau.\n")
# FICTIONAL: a saved page around the same text, with a menu and a footer to leave out.
PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Saltmarsh Harbour Park Opens in Larkmoor</title>
<link rel="canonical" href="https://news.example.org/larkmoor/saltmarsh-park">
<meta name="date" content="2024-04-03"></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>Saltmarsh Harbour Park Opens in Larkmoor</h1>
<p>{TEXT.splitlines()[2]}</p><p>{TEXT.splitlines()[3]}</p></article>
<footer>Fictional page, all rights reserved.</footer></body></html>"""


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in (root / "data").rglob("*"))


def test_add_text_is_copied_byte_for_byte_and_builds(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "harbour.txt"
    source.write_bytes(TEXT.replace("\n", "\r\n", 1).encode())  # a CR too: kept, not translated
    result = run(project, "add", str(source), "--slug", SLUG, "--date", "2024-04-02",
                 "--publisher", "shanghai-information-office", "--series", "Growing Together", "--number", "5")
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    assert out[0] == SLUG
    assert any(line.startswith("not found: event:") for line in out)
    assert (project / "data" / "briefings" / f"{SLUG}.txt").read_bytes() == source.read_bytes()
    meta = (project / "data" / "briefings" / f"{SLUG}.meta.yaml").read_text()
    assert "title: Saltmarsh Harbour Park Opens in Larkmoor\n" in meta and "series_number: 5\n" in meta
    assert "publisher: shanghai-information-office\n" in meta
    # no annotations folder yet: the build gives the document and its sentences
    assert run(project, "build").exit_code == 0
    assert run(project, "validate").exit_code == 0
    rows = run(project, "query", "-e", "SELECT (COUNT(?s) AS ?n) WHERE { GRAPH ?g { ?s a nif:Sentence } "
               f"FILTER(?g = kgg:{SLUG}) }}", "--format", "csv").stdout.split()
    assert rows == ["n", "3"]


def test_add_page_takes_main_text_title_date_and_url(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "Saltmarsh page.html"
    source.write_text(PAGE, encoding="utf-8")
    result = run(project, "add", str(source))
    assert result.exit_code == 0, result.output
    slug = "saltmarsh-page"
    text = (project / "data" / "briefings" / f"{slug}.txt").read_text()
    assert "Home" not in text and "Fictional page" not in text
    assert "The park covers 12 hectares" in text
    meta = (project / "data" / "briefings" / f"{slug}.meta.yaml").read_text()
    assert "held: '2024-04-03'" in meta and "source_url: https://news.example.org/larkmoor/saltmarsh-park" in meta
    assert "not found: publisher: not given" in result.stdout
    assert run(project, "build").exit_code == 0


BAD = {
    "empty": (b"", "harbour.txt: empty file"),
    "white-space": (b"  \n\n\t\n", "harbour.txt: empty file"),
    "binary": (b"PK\x03\x04\x00\x00binary", "harbour.txt: a binary file, not a text (a NUL byte at offset 4)"),
    "latin-1": ("Caf\u00e9 in Larkmoor.\n".encode("latin-1"), "harbour.txt:1: not UTF-8 text: byte 0xe9"),
    "bom": (b"\xef\xbb\xbf" + TEXT.encode(), "harbour.txt: starts with a UTF-8 byte order mark"),
    "future": (TEXT.encode(), "harbour.txt: --date: 'held' is 2999-01-01, after today"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_add_bad_input(project: Path, tmp_path: Path, case: str) -> None:
    data, expected = BAD[case]
    source = tmp_path / "harbour.txt"
    source.write_bytes(data)
    before = _files(project)
    result = run(project, "add", str(source), "--slug", SLUG, "--date", "2999-01-01" if case == "future" else
                 "2024-04-02")
    check_failure(result, expected)
    assert _files(project) == before


def test_add_page_without_main_text(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "empty.html"
    source.write_text("<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>")
    before = _files(project)
    check_failure(run(project, "add", str(source), "--date", "2024-04-02"), "empty.html: no main text found")
    assert _files(project) == before


def test_add_refuses_an_existing_slug(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "minhang-2023-09-07.txt"
    source.write_text(TEXT)
    target = project / "data" / "briefings" / "minhang-2023-09-07.txt"
    kept = target.read_bytes()
    before = _files(project)
    check_failure(run(project, "add", str(source), "--date", "2024-04-02"),
                  "briefing 'minhang-2023-09-07' exists already")
    assert target.read_bytes() == kept and _files(project) == before


def test_add_unknown_publisher_is_said_and_left_out(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "harbour.txt"
    source.write_text(TEXT)
    result = run(project, "add", str(source), "--slug", SLUG, "--date", "2024-04-02", "--publisher", "nobody-here")
    assert result.exit_code == 0
    assert "not found: publisher: 'nobody-here' is not an entity of the registry" in result.stdout
    assert "publisher" not in (project / "data" / "briefings" / f"{SLUG}.meta.yaml").read_text()


# --- drafts in the graph -------------------------------------------------------------------------------------

# FICTIONAL: a draft as kg draft writes it, for the briefing above.
DRAFT = """draft: {generator: kg draft, version: 0.1.0}
entities:
  - {id: saltmarsh-harbour-park, type: Park, name: Saltmarsh Harbour Park, quote: "on the Saltmarsh Harbour Park",
     confidence: 0.9, rule: names/kind-suffix}
  - {id: larkmoor-parks-bureau, type: PublicAuthority, name: Larkmoor Parks Bureau, quote: "Larkmoor Parks Bureau",
     confidence: 0.85, rule: names/kind-suffix}
  - {id: mara-quill, type: Person, name: Mara Quill, quote: "Mara Quill", confidence: 0.8, rule: people/name-post,
     generic: false}
  - {id: ind-park-area, type: Indicator, name: park area, quote: "The park covers", confidence: 0.4,
     rule: figures/indicator}
relations:
  - {s: saltmarsh-harbour-park, p: managedBy, o: larkmoor-parks-bureau, quote: "Director of the Larkmoor Parks",
     confidence: 0.3, rule: relations/managed-by}
figures:
  - {id: park-area, indicator: ind-park-area, about: saltmarsh-harbour-park, value: 0.12, unit: km2,
     stated: "12 hectares", quote: "The park covers 12 hectares", confidence: 0.6, rule: figures/area}
"""


@pytest.fixture
def drafted(project: Path, tmp_path: Path) -> Path:
    source = tmp_path / "harbour.txt"
    source.write_text(TEXT)
    assert run(project, "add", str(source), "--slug", SLUG, "--date", "2024-04-02").exit_code == 0
    folder = project / "data" / "annotations" / SLUG
    folder.mkdir(parents=True)
    (folder / "draft.yaml").write_text(DRAFT)
    return project


def _dataset(root: Path) -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(root / "build" / "kg.trig", format="trig")
    return ds


def test_drafted_items_are_marked(drafted: Path) -> None:
    result = run(drafted, "build")
    assert result.exit_code == 0, result.output
    assert run(drafted, "validate").exit_code == 0
    ds = _dataset(drafted)
    drafting = set(ds.subjects(None, KG.Drafting))
    assert len(drafting) == 1
    marked = {s for s in ds.subjects(PROV.wasGeneratedBy, next(iter(drafting)))}
    rules = {str(ds.value(s, KG.draftRule)) for s in marked}
    assert rules == {"names/kind-suffix", "people/name-post", "figures/indicator", "relations/managed-by",
                     "figures/area"}
    assert len(marked) == 6  # four entities, one assertion, one figure
    assert all(ds.value(s, KG.confidence) is not None for s in marked)
    assert Literal("0.3", datatype=XSD.decimal) in set(ds.objects(None, KG.confidence))
    # kg review lists them lowest confidence first, each with its sentence
    review = run(drafted, "review", SLUG, "--format", "csv")
    assert review.exit_code == 0, review.output
    lines = review.stdout.splitlines()
    assert lines[1].startswith("0.3,relations/managed-by,") and "Mara Quill" in lines[1]
    assert len(lines) == 7
    same = run(drafted, "query", "drafted-items", "-p", "briefing", SLUG, "--format", "csv")
    assert same.stdout == review.stdout


def test_reviewed_only_drops_exactly_the_draft(drafted: Path) -> None:
    assert run(drafted, "build").exit_code == 0
    full = (drafted / "build" / "kg.nq").read_bytes()
    assert run(drafted, "build", "--reviewed-only").exit_code == 0
    reviewed = (drafted / "build" / "kg.nq").read_bytes()
    used = b"#draftRule> \""  # the term used on an item, not its declaration in the ontology
    assert used not in reviewed and used in full
    # the other commands keep the mode of the last build
    assert run(drafted, "query", "-e", "ASK { ?x kg:draftRule ?r }").exit_code == 1
    (drafted / "data" / "annotations" / SLUG / "draft.yaml").unlink()
    assert run(drafted, "build").exit_code == 0
    assert (drafted / "build" / "kg.nq").read_bytes() == reviewed  # as if there had been no draft
    assert set(reviewed.splitlines()) < set(full.splitlines())


def test_build_with_a_draft_is_deterministic(drafted: Path) -> None:
    assert run(drafted, "build").exit_code == 0
    first = (drafted / "build" / "kg.trig").read_bytes()
    (drafted / "build" / "stamp.json").unlink()
    assert run(drafted, "build").exit_code == 0
    assert (drafted / "build" / "kg.trig").read_bytes() == first


DRAFT_BAD = {
    "confidence-in-curated": ("00-core.yaml", DRAFT.replace("draft: {generator: kg draft, version: 0.1.0}\n", ""),
                              "00-core.yaml:3: unknown key 'confidence'"),
    "confidence-out-of-range": ("draft.yaml", DRAFT.replace("0.9,", "1.5,"),
                                "draft.yaml:4: 'confidence' must be a number from 0 to 1, not 1.5"),
    "no-rule": ("draft.yaml", DRAFT.replace(", rule: people/name-post", ""), "draft.yaml:7: missing key 'rule'"),
}


@pytest.mark.parametrize("case", sorted(DRAFT_BAD))
def test_draft_bad_input(drafted: Path, case: str) -> None:
    name, text, expected = DRAFT_BAD[case]
    folder = drafted / "data" / "annotations" / SLUG
    (folder / "draft.yaml").unlink()
    (folder / name).write_text(text)
    check_failure(run(drafted, "build"), expected)


def test_an_id_both_drafted_and_reviewed_is_an_error(drafted: Path) -> None:
    folder = drafted / "data" / "annotations" / SLUG
    (folder / "00-core.yaml").write_text(
        'entities:\n  - {id: mara-quill, type: Person, name: Mara Quill, quote: "Mara Quill"}\n')
    check_failure(run(drafted, "build"), "declared twice (first at 00-core.yaml:2); an item moved out of draft.yaml")
