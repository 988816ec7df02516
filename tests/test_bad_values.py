"""Bad values: every metadata field, slug, number, file and shape is checked where it is read; a bad one
is one line naming the file and line, exit code 2, nothing written (issue 12, class 7, and YAML nesting)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import BRIEFING, ROOT, run
from conftest import check_failure as _check_failure

ANN = Path("data") / "annotations" / BRIEFING
META = Path("data") / "briefings" / f"{BRIEFING}.meta.yaml"
TEXT = Path("data") / "briefings" / f"{BRIEFING}.txt"
ONTOLOGY = Path("ontology") / "kg.ttl"
SHAPES = Path("ontology") / "kg-shapes.ttl"


def _lines(rel: Path) -> int:
    """How many lines the bundled file has: what is appended to it starts below."""
    return len((ROOT / rel).read_text(encoding="utf-8").splitlines())


ONTOLOGY_END, SHAPES_END = _lines(Path("ontology") / "kg.ttl"), _lines(SHAPES)

# An indicator the figures below can measure, quoted from the text.
INDICATOR = """
entities:
  - id: test-indicator
    type: Indicator
    name: Test Indicator
    quote: "Trina Solar, Sungrow"
figures:
"""


def figure(fields: str) -> str:
    return INDICATOR + (f"  - {{id: f, indicator: test-indicator, about: minhang-district, {fields},"
                        f" quote: \"Trina Solar\"}}\n")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _meta(old: str, new: str):
    return lambda root: _replace(root / META, old, new)


def _annotation(text: str, name: str = "99-test.yaml"):
    def write(root: Path) -> None:
        p = root / ANN / name
        p.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return write


def _briefing_named(slug: str):
    def copy(root: Path) -> None:
        shutil.copy(root / TEXT, root / "data" / "briefings" / f"{slug}.txt")
    return copy


def _second_briefing(slug: str, meta_old: str = "", meta_new: str = "", ann_old: str = "", ann_new: str = ""):
    """A second briefing: the bundled one again under ``slug`` with another title, its metadata or annotations
    changed."""
    def copy(root: Path) -> None:
        briefings = root / "data" / "briefings"
        shutil.copy(root / TEXT, briefings / f"{slug}.txt")
        shutil.copy(root / META, briefings / f"{slug}.meta.yaml")
        _replace(briefings / f"{slug}.meta.yaml", "title: ", "title: Second copy of ")
        shutil.copytree(root / ANN, root / "data" / "annotations" / slug)
        if meta_old:
            _replace(briefings / f"{slug}.meta.yaml", meta_old, meta_new)
        if ann_old:
            _replace(root / "data" / "annotations" / slug / "10-present-opening-innovation.yaml", ann_old, ann_new)
    return copy


def _append(rel: Path, text: str):
    def write(root: Path) -> None:
        with open(root / rel, "a", encoding="utf-8") as f:
            f.write(text)
    return write


def _property_shape(constraints: str):
    """A node shape of figures, added two lines after the end of the shapes, whose one property shape (the
    line after it) holds ``constraints``."""
    return _append(SHAPES, f"\nkgsh:X a sh:NodeShape ; sh:targetClass kg:Figure ;\n"
                           f"    sh:property [ {constraints} ] .\n")


PUBLISHER = "publisher: shanghai-information-office"
EVENT = "event: briefing-minhang-2023-09-07"

CASES = {
    # metadata: references are declared entities of the briefing's annotations
    "meta-misspelt-publisher": (_meta(PUBLISHER, "publisher: shanghai-information-ofice"),
                                f"{BRIEFING}.meta.yaml:6: 'publisher' 'shanghai-information-ofice' is not an entity "
                                "declared"),
    "meta-misspelt-event": (_meta(EVENT, "event: briefing-minhang-2023-09-7"),
                            f"{BRIEFING}.meta.yaml:7: 'event' 'briefing-minhang-2023-09-7' is not an entity declared"),
    "meta-event-not-an-event": (_meta(EVENT, "event: minhang-district"),
                                f"{BRIEFING}.meta.yaml:7: 'event' 'minhang-district' must be an entity of type Event"),
    # metadata: values minted into IRIs are slugs
    "meta-publisher-with-space": (_meta(PUBLISHER, "publisher: shanghai information office"),
                                  f"{BRIEFING}.meta.yaml:6: 'publisher' must be a slug"),
    "meta-publisher-with-angle": (_meta(PUBLISHER, "publisher: a<b"),
                                  f"{BRIEFING}.meta.yaml:6: 'publisher' must be a slug"),
    "meta-event-nquads-fragment": (_meta(EVENT, "event: 'x> <http://evil/p> <http://evil/o> .'"),
                                   f"{BRIEFING}.meta.yaml:7: 'event' must be a slug"),
    # metadata: URLs are http(s) IRIs, language tags BCP 47, dates real dates, numbers in range
    "meta-javascript-url": (_meta("language: en", "language: en\nsource_url: javascript:alert(1)"),
                            f"{BRIEFING}.meta.yaml:13: 'source_url' must be an http(s) address"),
    "meta-url-with-space": (_meta("language: en", "language: en\nsource_url: https://www.shanghai.gov.cn/a b"),
                            f"{BRIEFING}.meta.yaml:13: 'source_url' must be an http(s) address"),
    "meta-bad-language": (_meta("language: en", "language: english language"),
                          f"{BRIEFING}.meta.yaml:12: 'language' must be a BCP 47 language tag"),
    "meta-underscore-language": (_meta("language: en", "language: en_US"),
                                 f"{BRIEFING}.meta.yaml:12: 'language' must be a BCP 47 language tag"),
    "meta-impossible-date": (_meta("issued: 2023-09-08", "issued: 2023-02-30"),
                             f"{BRIEFING}.meta.yaml:5: 'issued' must be a date"),
    "meta-compact-date": (_meta("issued: 2023-09-08", "issued: 20230908"),
                          f"{BRIEFING}.meta.yaml:5: 'issued' must be a date"),
    "meta-series-number-zero": (_meta("series_number: 10", "series_number: 0"),
                                f"{BRIEFING}.meta.yaml:9: 'series_number' must be 1 or more"),
    # briefing file names: the one slug grammar
    "slug-with-space": (_briefing_named("minhang 2023"), "minhang 2023.txt: a briefing's file name must be a slug"),
    "slug-with-hash": (_briefing_named("minhang#2023"), "minhang#2023.txt: a briefing's file name must be a slug"),
    "slug-with-percent": (_briefing_named("minhang%202023"),
                          "minhang%202023.txt: a briefing's file name must be a slug"),
    "slug-with-angle": (_briefing_named("minhang<2023"), "minhang<2023.txt: a briefing's file name must be a slug"),
    "slug-non-ascii": (_briefing_named("闵行-2023"), "闵行-2023.txt: a briefing's file name must be a slug"),
    "slug-uppercase": (_briefing_named("Minhang-2023"), "Minhang-2023.txt: a briefing's file name must be a slug"),
    # figures: numbers are bounded where they are read, and mean what they say
    "figure-negative-count": (_annotation(figure("value: -5, unit: count")),
                              "99-test.yaml:8: figure 'f': a figure in count cannot be negative"),
    "figure-negative-area": (_annotation(figure("value: -5, unit: km2")),
                             "99-test.yaml:8: figure 'f': a figure in km2 cannot be negative"),
    "figure-upper-below-value": (_annotation(figure("value: 10, upper: 5, qualifier: range, unit: count")),
                                 "99-test.yaml:8: figure 'f': 'upper' (5) must be greater than 'value' (10)"),
    "figure-huge": (_annotation(figure("value: 1e400, unit: km2")), "99-test.yaml:8: 'value' is out of range: 1e400"),
    "figure-exponent-huge": (_annotation(figure("value: 1e999999999, unit: km2")),
                             "99-test.yaml:8: 'value' is out of range"),
    "figure-nan": (_annotation(figure("value: .nan, unit: count")),
                   "99-test.yaml:8: 'value' must be a number, not '.nan'"),
    "figure-inf": (_annotation(figure("value: .inf, unit: count")),
                   "99-test.yaml:8: 'value' must be a number, not '.inf'"),
    "figure-many-digits": (_annotation(figure("value: 0." + "1" * 40 + ", unit: count")),
                           "99-test.yaml:8: 'value' has too many digits"),
    "figure-yoy-below-minus-100": (_annotation(figure("value: 5, yoy: -150, unit: count")),
                                   "99-test.yaml:8: figure 'f': 'yoy' must be a change in percent between -100 and "
                                   "1000000"),
    # files: one extension, regular files only, the file and line of a bad byte
    "yml-extension": (_annotation(INDICATOR.replace("figures:\n", ""), "99-test.yml"),
                      "99-test.yml: annotation files end in .yaml, not .yml"),
    "fifo": (lambda root: os.mkfifo(root / ANN / "99-test.yaml"),
             "99-test.yaml: cannot read: a named pipe, not a regular file"),
    "folder-named-yaml": (lambda root: (root / ANN / "99-test.yaml").mkdir(), "99-test.yaml: cannot read: a folder"),
    "fifo-briefing-text": (lambda root: os.mkfifo(root / "data" / "briefings" / "other.txt"),
                           "other.txt: cannot read: a named pipe"),
    "not-utf8-annotation": (_annotation(b"entities:\n  - id: caf\xe9\n"), "99-test.yaml:2: not UTF-8 text: byte 0xe9"),
    "not-utf8-metadata": (lambda root: (root / META).write_bytes((root / META).read_bytes() + b"note: \xff\n"),
                          f"{BRIEFING}.meta.yaml:13: not UTF-8 text: byte 0xff"),
    "not-utf8-ontology": (lambda root: (root / ONTOLOGY).write_bytes((root / ONTOLOGY).read_bytes() + b"\n# \xff\n"),
                          f"kg.ttl:{ONTOLOGY_END + 2}: not UTF-8 text"),
    # YAML nested deeper than the composer's recursion allows
    "deep-yaml-mappings": (_annotation("entities: " + "{a: " * 1500 + "}" * 1500 + "\n"),
                           "99-test.yaml:1: YAML nested more than 64 levels deep"),
    # (the 65th mapping, the first too deep, begins on line 65: levels are mappings and lists, not scalars)
    "deep-yaml-blocks": (_annotation("".join("  " * i + "a:\n" for i in range(200))),
                         "99-test.yaml:65: YAML nested more than 64 levels deep"),
    # ontology and shapes: checked before anything is written
    "ontology-iri-with-space": (_append(ONTOLOGY, "\n<https://example.org/kg/ontology#Bad Term> a owl:Class .\n"),
                                f"ontology/kg.ttl:{ONTOLOGY_END + 2}: malformed ontology: "
                                "the IRI <https://example.org/kg/ontology#Bad Term> holds ' '"),
    "shapes-bad-pattern": (_property_shape('sh:path kg:statedAs ; sh:pattern "([a-z"'),
                           f"kg-shapes.ttl:{SHAPES_END + 3}: bad shapes: "
                           "sh:pattern \"([a-z\" is not a regular expression"),
    "shapes-bad-mincount": (_property_shape('sh:path kg:statedAs ; sh:minCount "one"'),
                            f"kg-shapes.ttl:{SHAPES_END + 3}: bad shapes: "
                            "sh:minCount must be a whole number of 0 or more, not \"one\""),
    "shapes-negative-mincount": (_property_shape("sh:path kg:statedAs ; sh:minCount -1"),
                                 f"kg-shapes.ttl:{SHAPES_END + 3}: bad shapes: sh:minCount must be a whole number of 0 "
                                 "or more, not \"-1\"^^"),
    "shapes-missing-path": (_property_shape('sh:minCount 1 ; sh:message "A figure has no path."@en'),
                            f"kg-shapes.ttl:{SHAPES_END + 3}: bad shapes: "
                            "the property shape a blank node has 0 sh:path values"),
    "shapes-iri-with-space": (_append(SHAPES, "\nkgsh:X a sh:NodeShape ;"
                                              " sh:targetClass <https://example.org/kg/ontology#A Figure> .\n"),
                              f"kg-shapes.ttl:{SHAPES_END + 2}: malformed shapes: "
                              "the IRI <https://example.org/kg/ontology#A Figure> holds ' '"),
    # what no single briefing can see
    "slug-is-ontology": (_second_briefing("ontology"),
                         "ontology.txt: this briefing's graph would be <https://example.org/kg/graph/ontology>, "
                         "the graph of the ontology"),
    "entity-typed-twice": (_second_briefing("other-2023", ann_old="id: dual-circulation-strategy\n    type: Policy",
                                            ann_new="id: dual-circulation-strategy\n    type: Plan"),
                           "other-2023/10-present-opening-innovation.yaml:18: entity 'dual-circulation-strategy': "
                           f"typed Plan here but Policy at {BRIEFING}/10-present-opening-innovation.yaml:18"),
    "event-with-two-dates": (_second_briefing("other-2023", "held: 2023-09-07", "held: 2023-09-08"),
                             "other-2023.meta.yaml:3: event 'briefing-minhang-2023-09-07' is held on 2023-09-08 here "
                             f"but on 2023-09-07 at {BRIEFING}.meta.yaml:3"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_value_is_one_clear_line(name: str, project: Path):
    breaks, expected = CASES[name]
    breaks(project)
    result = run(project, "build")
    _check_failure(result, expected)
    assert not (project / "build").exists(), "nothing half-written"


def test_unreadable_file_names_it(project: Path, monkeypatch):
    """Root reads any file whatever its mode, so the refusal is simulated where kg opens files."""
    import kg.readfile

    real_open = os.open

    def refuse(path, flags, *args):
        if str(path).endswith("99-test.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    _annotation(INDICATOR.replace("figures:\n", ""))(project)
    monkeypatch.setattr(kg.readfile.os, "open", refuse)
    _check_failure(run(project, "build"), "99-test.yaml: cannot read: Permission denied")


def test_a_file_of_another_kind_is_named_once(tmp_path: Path, monkeypatch):
    """A kind of file without a name of its own (a door or event port elsewhere; simulated) is said once:
    "not a regular file", not "not a regular file, not a regular file"."""
    import stat

    import kg.readfile
    from kg.errors import KgError

    path = tmp_path / "odd.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    real_fstat = os.fstat
    odd = stat.S_IFLNK | 0o644  # open() follows links, so no opened file has this kind: it stands for the others

    def fstat(fd: int) -> os.stat_result:
        st = real_fstat(fd)
        return os.stat_result((odd, *tuple(st)[1:]))

    monkeypatch.setattr(kg.readfile.os, "fstat", fstat)
    with pytest.raises(KgError) as e:
        kg.readfile.read_bytes(path)
    monkeypatch.undo()
    assert str(e.value).endswith("odd.yaml: cannot read: not a regular file"), str(e.value)


@pytest.mark.parametrize("shapes_case", ["shapes-bad-pattern", "shapes-missing-path"])
def test_bad_shapes_leave_the_build_untouched(shapes_case: str, project: Path):
    """kg validate rebuilds first (the shapes are an input): the shapes are checked before anything is written."""
    assert run(project, "build").exit_code == 0
    before = {p: p.read_bytes() for p in (project / "build").rglob("*") if p.is_file()}
    breaks, expected = CASES[shapes_case]
    breaks(project)
    _check_failure(run(project, "validate"), expected)
    _check_failure(run(project, "build"), expected)
    after = {p: p.read_bytes() for p in (project / "build").rglob("*") if p.is_file()}
    assert after == before


# --- Validation: the shapes for figures' numbers fire, and bad span offsets are findings, not crashes ---

def _copy(dataset):
    from rdflib import Dataset

    ds = Dataset()
    for q in dataset.quads((None, None, None, None)):
        ds.add(q)
    return ds


def _set(ds, s, p, value) -> None:
    g = next(iter(ds.quads((s, None, None, None))))[3]
    for q in list(ds.quads((s, p, None, None))):
        ds.remove(q)
    ds.add((s, p, value, g))


def test_each_figure_number_shape_fires(dataset, built_project: Path):
    """One broken figure per new shape, one validation run; each shape's own message names its figure."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    from kg.project import find_project
    from kg.validate import load_shapes, validate_dataset
    from kg.vocab import ID, KG, SDMX_ATTRIBUTE, SDMX_MEASURE, UNIT

    def fig(name: str):
        return ID[f"figure/{BRIEFING}/{name}"]

    def dec(v: str):
        return Literal(v, datatype=XSD.decimal)

    counts = sorted(f for f, _, _, _ in dataset.quads((None, SDMX_ATTRIBUTE.unitMeasure, UNIT.NUM, None)))
    negative, ranged, huge = counts[:3]
    ds = _copy(dataset)
    _set(ds, negative, SDMX_MEASURE.obsValue, dec("-5"))
    _set(ds, ranged, KG.upperBound, dec("1"))  # below the count's value
    _set(ds, huge, SDMX_MEASURE.obsValue, dec("1000000000000000000"))
    _set(ds, fig("fiscal-revenue-2023-h1"), KG.yoyChangePercent, dec("-150"))
    report = validate_dataset(ds, load_shapes(find_project(built_project).shapes_file))
    assert report.exit_code == 1
    assert report.span_problems == []
    expected = {
        negative: "A count or an area is not negative.",
        ranged: "A range's upper bound is greater than its value.",
        huge: "A figure's value lies below 10^18 in magnitude.",
        fig("fiscal-revenue-2023-h1"): "A year-on-year change lies between -100% (all of it gone) and 10^6%.",
    }
    for focus, message in expected.items():
        assert [r for r in report.shacl_results if f"<{focus}>" in r and r.endswith(f": {message}")], (focus, message)
    assert len(report.shacl_results) == len(expected), report.shacl_results


OFFSETS = {
    "not-a-number": ("abc", "nonNegativeInteger"),
    "infinite": ("INF", "double"),
    "5000-digits": ("9" * 5000, "nonNegativeInteger"),
    "negative": ("-3", "integer"),
}


@pytest.mark.parametrize("case", sorted(OFFSETS))
def test_bad_span_offset_does_not_conform(case: str, dataset, built_project: Path, tmp_path: Path):
    """``kg validate FILE``: a span whose begin is not a whole number is a finding of the span check (exit 1)."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    from kg.vocab import NIF

    lexical, datatype = OFFSETS[case]
    ds = _copy(dataset)
    span = min(s for s, _, _, _ in ds.quads((None, NIF.anchorOf, None, None)))
    _set(ds, span, NIF.beginIndex, Literal(lexical, datatype=URIRef(XSD + datatype)))
    broken = tmp_path / "broken.nq"
    broken.write_bytes(ds.serialize(format="nquads", encoding="utf-8"))
    result = run(built_project, "validate", str(broken))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr == ""
    assert "Conforms: no" in result.stdout
    assert f"{span}: its offsets are not whole numbers of 0 or more" in result.stdout


def test_validate_file_with_bad_iri_is_one_line(built_project: Path, tmp_path: Path):
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/o> .\n"
                   "<http://example.org/a b> <http://example.org/p> <http://example.org/o> .\n", encoding="utf-8")
    result = run(built_project, "validate", str(bad))
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert result.stderr.startswith("Error: "), result.stderr
    assert "bad.nt:2: malformed RDF file" in result.stderr, result.stderr
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:p ex:o .\n<http://example.org/a b> ex:p ex:o .\n")
    result = run(built_project, "validate", str(bad))
    assert result.exit_code == 2, result.output
    expected = "bad.ttl:3: malformed RDF file: the IRI <http://example.org/a b> holds ' '\n"
    assert result.stderr.endswith(expected), result.stderr


@pytest.mark.parametrize("tag, ok", [
    ("en", True), ("zh", True), ("zh-Hans", True), ("zh-Hans-CN", True), ("de-CH-1996", True), ("sr-Latn-RS", True),
    ("es-419", True), ("x-private", True), ("i-klingon", True), ("en-a-bbb-x-a-ccc", True),
    ("", False), ("e", False), ("en-", False), ("en_US", False), ("english", True), ("english language", False),
    ("en--US", False), ("abcdefghi", False), ("en-US-", False), ("中文", False),
])
def test_language_tags_are_bcp47(tag: str, ok: bool):
    from kg.syntax import is_language_tag

    assert is_language_tag(tag) is ok


@pytest.mark.parametrize("url, ok", [
    ("https://www.shanghai.gov.cn/nw12344/20230908/x.html", True), ("http://example.org/", True),
    ("https://例子.测试/路径", True), ("javascript:alert(1)", False), ("file:///etc/passwd", False),
    ("https://a.org/a b", False), ("https://a.org/<x>", False), ("https://a.org/%zz", False), ("https:///x", False),
    ("//example.org/x", False), ("https://a.org:99999/", False),
])
def test_source_urls_are_http_iris(url: str, ok: bool):
    from kg.syntax import web_url_problem

    assert (web_url_problem(url) is None) is ok, web_url_problem(url)
