"""kg query, kg queries, kg describe, kg search: sources, parameters, formats, errors, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, run
from kg.cli import cli
from kg.errors import KgError
from kg.project import find_project
from kg.query import bind, run_query
from kg.results import FORMATS, check_format

KGR = "https://example.org/kg/id/"
PREFIXES_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
#: The officials of the bundled briefing (its graph named: the test project may hold others).
OFFICIALS = ("SELECT ?name WHERE { GRAPH kgg:minhang-2023-09-07 { ?p org:holds ?post } ?p skos:prefLabel ?name } "
             "ORDER BY ?name")
NAMES = ["Chen Huawen", "Chen Huawen", "Chen Yujian", "Han Yongqiang", "Xu Hao"]


@pytest.fixture(scope="module")
def store(built_project: Path) -> ox.Store:
    from kg.store import open_store

    return open_store(find_project(built_project))


def csv_rows(output: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(output)))


# --- where the query comes from ------------------------------------------------------------------------

def test_inline_query_gives_csv_when_piped(built_project: Path):
    result = run(built_project, "query", "-e", OFFICIALS)
    assert result.exit_code == 0, result.output
    assert b"\r\n" in result.stdout_bytes  # RFC 4180 line ends
    assert csv_rows(result.stdout) == [["name"]] + [[n] for n in NAMES]


def test_query_from_a_file_and_from_standard_input(built_project: Path, tmp_path: Path):
    path = tmp_path / "officials.rq"
    path.write_text(OFFICIALS, encoding="utf-8")
    from_file = run(built_project, "query", str(path))
    piped = CliRunner().invoke(cli, ["--project", str(built_project), "query", "-"], input=OFFICIALS)
    assert from_file.exit_code == piped.exit_code == 0
    assert from_file.stdout == piped.stdout
    assert csv_rows(piped.stdout)[1:] == [[n] for n in NAMES]


def test_catalogued_query_by_name_number_and_file_name(built_project: Path):
    outputs = {run(built_project, "query", name, "-f", "tsv").stdout
               for name in ("officials", "030", "030_officials")}
    assert len(outputs) == 1
    assert outputs.pop().startswith("?person\t?name\t?post\t?role\t?body\n")


def test_limit_and_time(built_project: Path):
    result = run(built_project, "query", "-e", OFFICIALS, "--limit", "2", "--time", "-f", "table")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2:] == ["Chen Huawen", "Chen Huawen", "(2 rows, cut by --limit)"]
    assert result.stderr.startswith("time: ") and "open store" in result.stderr


def test_output_file_takes_its_format_from_the_extension(built_project: Path, tmp_path: Path):
    out = tmp_path / "officials.json"
    assert run(built_project, "query", "-e", OFFICIALS, "-o", str(out)).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["head"] == {"vars": ["name"]}
    assert [b["name"]["value"] for b in doc["results"]["bindings"]] == NAMES
    assert doc["results"]["bindings"][0]["name"] == {"type": "literal", "value": "Chen Huawen", "xml:lang": "en"}


def test_ask_answers_with_its_exit_code(built_project: Path):
    yes = run(built_project, "query", "has-figure-about")
    no = run(built_project, "query", "has-figure-about", "-p", "entity", "Huawei")
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    assert (no.exit_code, no.stdout) == (1, "false\n")
    as_json = run(built_project, "query", "has-figure-about", "-f", "json").stdout
    assert json.loads(as_json) == {"head": {}, "boolean": True}


def test_construct_gives_turtle_nt_and_jsonld(built_project: Path):
    turtle = run(built_project, "query", "entity-card").stdout
    assert "@prefix kgr: <https://example.org/kg/id/> ." in turtle
    assert "kg:launchedBy kgr:huawei" in turtle
    nt = run(built_project, "query", "entity-card", "-f", "nt").stdout
    assert (f"<{KGR}shanghai-mindspore-ai-framework-innovation-center> <https://example.org/kg/ontology#launchedBy>"
            f" <{KGR}huawei> .") in nt
    parsed = ox.Store()
    parsed.load(run(built_project, "query", "entity-card", "-f", "jsonld").stdout.encode(), format=ox.RdfFormat.JSON_LD)
    assert len(parsed) == len(nt.splitlines())


def test_table_shows_labels_beside_iris_and_markdown_escapes(built_project: Path):
    q = "SELECT ?post ?x WHERE { kgr:xu-hao org:holds ?post BIND('a|b' AS ?x) }"
    table = run(built_project, "query", "-e", q, "-f", "table").stdout
    assert "Director of Minhang District Science and Technology Commission (kgr:post-director-minhang-stc)" in table
    md = run(built_project, "query", "-e", q, "-f", "markdown").stdout
    assert md.splitlines() == [
        "| post | x |", "|---|---|",
        "| Director of Minhang District Science and Technology Commission (kgr:post-director-minhang-stc) | a\\|b |"]


# --- the format registry: every entry, every kind ---------------------------------------------------

@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_result_format_writes_what_it_claims(name: str, store):
    fmt = FORMATS[name]
    for kind, query in (("select", OFFICIALS), ("ask", "ASK { kgr:huawei a kg:Enterprise }"),
                        ("graph", "CONSTRUCT { ?p org:holds ?post } WHERE { ?p org:holds ?post }")):
        result = run_query(store, query)
        assert result.kind == kind
        if kind in fmt.kinds:
            data = fmt.write(result, {})
            assert data.endswith(b"\n") and data.decode("utf-8")
        else:
            with pytest.raises(KgError, match="cannot write"):
                check_format(name, result.kind)


def test_sparql_results_formats_follow_the_specs(store):
    result = run_query(store, 'SELECT ?n ?v ?e WHERE { VALUES (?n ?v) { ("a,\\"b" 18.9) } OPTIONAL { ?e ?x ?y } }'
                              " LIMIT 1")
    result.rows = [(result.rows[0][0], result.rows[0][1], None)]
    assert FORMATS["csv"].write(result, {}) == b'n,v,e\r\n"a,""b",18.9,\r\n'
    assert FORMATS["tsv"].write(result, {}) == (
        b'?n\t?v\t?e\n"a,\\"b"\t"18.9"^^<http://www.w3.org/2001/XMLSchema#decimal>\t\n')
    assert json.loads(FORMATS["json"].write(result, {}))["results"]["bindings"] == [
        {"n": {"type": "literal", "value": 'a,"b'},
         "v": {"type": "literal", "value": "18.9", "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}}]


# --- parameters ----------------------------------------------------------------------------------------

def test_entity_parameter_takes_a_label_an_alias_a_prefixed_name_or_an_iri(built_project: Path):
    outputs = {run(built_project, "query", "linked-to-zone", "-p", "zone", value, "-f", "csv").stdout
               for value in ("Greater Neo Bay", "greater neo bay", "kgr:greater-neo-bay",
                             f"<{KGR}greater-neo-bay>", f"{KGR}greater-neo-bay")}
    assert len(outputs) == 1
    assert len(csv_rows(outputs.pop())) == 6  # header and the five parks


def test_inline_parameters_are_typed_by_their_look(built_project: Path):
    q = "SELECT ?name WHERE { ?_who org:holds ?post ; skos:prefLabel ?name }"
    assert csv_rows(run(built_project, "query", "-e", q, "-p", "who", "kgr:xu-hao").stdout) == [["name"], ["Xu Hao"]]
    by_label = "SELECT ?who WHERE { ?who skos:prefLabel ?_name }"
    assert csv_rows(run(built_project, "query", "-e", by_label, "-p", "name", '"Xu Hao"@en').stdout) == [
        ["who"], [KGR + "xu-hao"]]
    echo = "SELECT (?_v + 1 AS ?w) WHERE {}"
    assert csv_rows(run(built_project, "query", "-e", echo, "-p", "v", "41").stdout) == [["w"], ["42"]]


def test_a_value_is_always_one_term():
    text = 'SELECT ?n WHERE { ?s ?p ?_t BIND(STRLEN(?_t) AS ?n) }'
    assert bind(text, {"_t": ox.Literal('x" } ; DROP ALL #')}) == (
        'SELECT ?n WHERE { ?s ?p "x\\" } ; DROP ALL #" BIND(STRLEN("x\\" } ; DROP ALL #") AS ?n) }')
    # a projected parameter cannot be replaced by a constant: it is joined in with VALUES instead
    assert bind("SELECT ?_t WHERE { ?s ?p ?_t }", {"_t": ox.NamedNode(KGR + "a")}) == (
        f"SELECT ?_t WHERE {{ VALUES (?_t) {{ (<{KGR}a>) }} ?s ?p ?_t }}")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text())
def test_any_string_value_leaves_the_query_shape_unchanged(value: str, store_for_hypothesis):
    """Whatever the value (quotes, braces, backslashes, #, newlines, \\u escapes, NUL), the query keeps
    its variables and its one row, and the value comes back exactly as it was given."""
    echo = 'SELECT ?echo ?n ?k WHERE { BIND(?_text AS ?echo) BIND(STRLEN(?_text) AS ?n) BIND("fixed" AS ?k) }'
    result = run_query(store_for_hypothesis, echo, {"_text": ox.Literal(value)})
    assert result.variables == ("echo", "n", "k")
    assert [(r[0].value, int(r[1].value), r[2].value) for r in result.rows] == [(value, len(value), "fixed")]
    # and in a catalogued query: the value only ever filters, so the columns never change
    search = (ROOT / "queries" / "100_search-labels.rq").read_text(encoding="utf-8")
    found = run_query(store_for_hypothesis, search, {"_text": ox.Literal(value)})
    assert found.variables == ("entity", "matched")
    assert all(value.casefold() in row[1].value.casefold() or value.lower() in row[1].value.lower()
               for row in found.rows)


@pytest.fixture(scope="module")
def store_for_hypothesis(store):
    return store


# --- bad input: one line (a syntax error: the line and a caret), exit 2, no traceback --------------------

BAD = {
    "syntax-error": (["-e", "SELECT ?s WHERE {\n  ?s ?p ?o .\n"],
                     "<expr>:2:13: SPARQL syntax error: expected one of"),
    "unknown-prefix": (["-e", "SELECT ?s WHERE {\n  ?s foo:bar ?o }"],
                       "<expr>:2:6: unknown prefix 'foo:' (declare it: PREFIX foo: <...>)"),
    "unknown-query": (["enterprises-by-zon"],
                      "no query named 'enterprises-by-zon' in the catalogue; did you mean enterprises-by-zone?"),
    "unknown-param": (["officials", "-p", "zone", "x"], "unknown parameter 'zone' (it takes none)"),
    "unknown-param-2": (["linked-to-zone", "-p", "zon", "x"], "unknown parameter 'zon' (it takes: zone)"),
    "missing-param": (["-e", "SELECT * WHERE { ?s ?p ?_x }"],
                      "missing parameter 'x' (a quoted literal (\"x\"@en), an IRI or prefixed name, a number, else a "
                      "string): give it with -p x VALUE"),
    "unknown-entity": (["linked-to-zone", "-p", "zone", "Neo Bay"],
                       "parameter 'zone': no entity called 'Neo Bay'; did you mean \"Greater Neo Bay\""),
    "bad-iri-param": (["initiatives-by-status", "-p", "status", "under way"],
                      "parameter 'status': 'under way' is not an IRI or a prefixed name"),
    "unreadable-file": (["no/such/query.rq"], "no/such/query.rq: No such file or directory"),
    "wrong-format": (["officials", "-f", "turtle"],
                     "format 'turtle' cannot write SELECT and ASK results; "
                     "use one of: table, csv, tsv, json, xml, markdown"),
    "unknown-format": (["officials", "-f", "xls"], "unknown result format 'xls' (known: table, csv"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_one_clear_line(case: str, built_project: Path):
    args, expected = BAD[case]
    result = run(built_project, "query", *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.rstrip("\n").splitlines()
    assert len(lines) == (3 if case == "syntax-error" else 1), result.stderr


def test_syntax_error_shows_the_line_and_a_caret(built_project: Path, tmp_path: Path):
    path = tmp_path / "broken.rq"
    path.write_text("PREFIX kg: <https://example.org/kg/ontology#>\n"
                    "SELECT ?x WHERE {\n  ?x a kg:Enterprise FILTER(?x = ) }\n")
    result = run(built_project, "query", str(path))
    assert result.exit_code == 2
    first, line, caret = result.stderr.rstrip("\n").split("\n")
    assert first.startswith(f"Error: {path}:3:37: SPARQL syntax error: expected one of ")
    assert first.endswith("(at the end of the query)")
    assert line == "      ?x a kg:Enterprise FILTER(?x = ) }"
    assert caret == "    " + " " * 36 + "^"


def test_non_utf8_query_file(built_project: Path, tmp_path: Path):
    path = tmp_path / "latin1.rq"
    path.write_bytes("SELECT * WHERE { ?s ?p \"caf\xe9\" }".encode("latin-1"))
    result = run(built_project, "query", str(path))
    assert result.exit_code == 2 and "not UTF-8 text" in result.stderr


# --- kg queries ----------------------------------------------------------------------------------------

def test_queries_lists_names_parameters_and_summaries(built_project: Path):
    result = run(built_project, "queries")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(list((ROOT / "queries").glob("*.rq")))
    assert any(ln.startswith("070  linked-to-zone") and ln.endswith("[zone=kgr:greater-neo-bay]") for ln in lines)
    verbose = run(built_project, "queries", "--tag", "zones", "-v").stdout
    assert ("-p zone VALUE: the zone, by label, alias, prefixed name or IRI (entity, default kgr:greater-neo-bay)"
            in verbose)


def test_queries_check_runs_the_violation_queries(built_project: Path):
    result = run(built_project, "queries", "--check")
    assert result.exit_code == 0, result.output
    assert all(ln.startswith("ok ") for ln in result.stdout.splitlines())


def test_queries_check_fails_on_a_violation(project: Path):
    (project / "queries" / "999_always-violation.rq").write_text(
        "#+ summary: always\n#+ description: always one row\n#+ tags: check\nSELECT ?x WHERE { BIND(1 AS ?x) }\n")
    result = run(project, "queries", "--check")
    assert result.exit_code == 1
    assert "FAIL always-violation: 1 rows" in result.stdout


def test_malformed_header_names_file_and_line(project: Path):
    (project / "queries" / "998_bad.rq").write_text("#+ summary: x\n#+ descripton: y\nSELECT * {}\n")
    result = run(project, "queries")
    assert result.exit_code == 2
    assert "998_bad.rq:2: unknown header key 'descripton'; did you mean description?" in result.stderr


# --- kg describe and kg search -------------------------------------------------------------------------

def test_describe_groups_facts_and_quotes_their_sentences(built_project: Path):
    result = run(built_project, "describe", "huawei")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Huawei\n  kgr:huawei\n  type: kg:Enterprise\n")
    assert "\nlaunched by (kg:launchedBy)\n  ← kgr:shanghai-mindspore-ai-framework-innovation-center\n" in out
    said = "“We’ve embarked on the establishment of the Shanghai MindSpore AI Framework Innovation Center in"
    assert said in " ".join(out.split())


def test_describe_shows_figures_with_units_and_periods(built_project: Path):
    out = run(built_project, "describe", "Minhang").stdout
    assert ("district-level fiscal revenue: 18.137 billion yuan (H1 2023)\n"
            "      value: 18137000000 yuan · period: H1 2023\n") in out
    assert "year on year: +24.5%" in out


def test_describe_is_case_insensitive_and_suggests(built_project: Path):
    names = ("GREATER NEO BAY", "kgr:greater-neo-bay", "greater-neo-bay")
    same = {run(built_project, "describe", name).stdout for name in names}
    assert len(same) == 1
    miss = run(built_project, "describe", "Huawey")
    assert miss.exit_code == 2
    assert miss.stderr == "Error: no entity called 'Huawey'; did you mean \"Huawei\"?\n"


def test_search_ranks_names_and_gives_context(built_project: Path):
    result = run(built_project, "search", "neo bay", "--limit", "2")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith(" 1. Greater Neo Bay Scientific and Technological Innovation Empowerment Functional "
                               "Zone [FunctionalZone] kgr:greater-neo-bay — matched “Greater Neo Bay”")
    assert lines[2] == " 2. Greater Neo Bay Library [Library] kgr:greater-neo-bay-library"
    assert "Greater Neo Bay Library" in lines[3]
    none = run(built_project, "search", "no such thing")
    assert (none.exit_code, none.stdout, none.stderr) == (1, "", "no entity matches 'no such thing'\n")


# --- the store: named graphs kept, default graph their merge -------------------------------------------

def test_default_graph_is_the_merge_of_the_named_graphs(tmp_path: Path):
    """A triple two briefings both state matches once (pyoxigraph's union default graph would give it
    twice); a quad already in the default graph is read exactly too."""
    from kg.store import load_store

    nq = tmp_path / "two.nq"
    nq.write_text(f'<{KGR}shanghai> <{PREFIXES_RDFS}label> "Shanghai"@en <https://example.org/kg/graph/a> .\n'
                  f'<{KGR}shanghai> <{PREFIXES_RDFS}label> "Shanghai"@en <https://example.org/kg/graph/b> .\n'
                  f'<{KGR}x> <{PREFIXES_RDFS}label> "x <y> z" .\n', encoding="utf-8")
    store = load_store(nq)
    assert len(run_query(store, "SELECT * WHERE { ?s rdfs:label ?l }").rows) == 2
    assert run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0].value == "2"


# --- speed: the query path never imports rdflib or pyshacl ---------------------------------------------

def test_query_path_imports_neither_rdflib_nor_pyshacl(built_project: Path):
    code = ("import sys\nfrom kg.cli import cli\n"
            f"try:\n    cli(['--project', {str(built_project)!r}, 'query', 'officials', '-f', 'csv'])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'pyshacl')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_non_utf8_standard_input(built_project: Path):
    latin1 = "SELECT * WHERE { ?s ?p \"caf\xe9\" }".encode("latin-1")
    result = CliRunner().invoke(cli, ["--project", str(built_project), "query", "-"], input=latin1)
    assert result.exit_code == 2
    assert result.stderr == "Error: <stdin>: not UTF-8 text (byte 27)\n"
