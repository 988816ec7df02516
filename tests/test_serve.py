"""kg serve as a real process on a free port, spoken to over HTTP: the SPARQL protocol, linked data, the
graph store's GET, the pages, the headers, and what it refuses. Each server is stopped by its fixture."""

from __future__ import annotations

import json
import re
import signal
import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox
import pytest
from servers import KG, KgServer, get, http

from conftest import BRIEFING, run
from kg.prefixes import PREFIXES
from kg.project import find_project
from kg.query import run_query
from kg.results import write_result
from kg.serve.app import GRAPH_FORMATS, NETWORK_CSP_EXTRA, SOLUTION_FORMATS
from kg.store import open_store
from kgproc import set_variant, tiny_project

KGR, KGG = PREFIXES["kgr"], PREFIXES["kgg"]
OFFICIALS = "SELECT ?p ?post WHERE { ?p org:holds ?post } ORDER BY ?p ?post"
CARD = "CONSTRUCT { ?p org:holds ?post } WHERE { ?p org:holds ?post }"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def server(built_project: Path):
    s = KgServer(built_project, "--limit", "50")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def store(built_project: Path):
    return open_store(find_project(built_project))


def sparql(server: KgServer, query: str, accept: str | None = None, **params: str):
    return get(f"{server.url}sparql?{urlencode({'query': query, **params})}", accept)


def one_line(reply, status: int, expected: str) -> None:
    """An error as promised: the status, one line of plain text holding ``expected``, no traceback."""
    assert reply.status == status, (reply.status, reply.text)
    assert reply.headers["content-type"].startswith("text/plain")
    assert reply.text.count("\n") == 1 and reply.text.endswith("\n"), reply.text
    assert "Traceback" not in reply.text
    assert expected in reply.text, reply.text


def parsed(body: bytes, fmt: ox.RdfFormat) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)]


def expected_bytes(store, query: str, fmt) -> bytes:
    import io

    from kg.query import stream_query

    out = io.BytesIO()
    write_result(stream_query(store, query, limit=50), fmt, out, store)
    return out.getvalue()


# --- the SPARQL protocol ----------------------------------------------------------------------------

def test_get_with_json_accept_answers_as_kg_query_does(server, store):
    r = sparql(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert r.status == 200 and r.headers["content-type"].startswith("application/sparql-results+json")
    n = json.loads(r.body)["results"]["bindings"][0]["n"]["value"]
    assert int(n) == int(run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value) > 10_000


@pytest.mark.parametrize("fmt", SOLUTION_FORMATS + GRAPH_FORMATS, ids=lambda f: f.name)
def test_content_negotiation_gives_every_format_byte_for_byte(server, store, fmt):
    query = CARD if "graph" in fmt.kinds else OFFICIALS
    for accept in fmt.media_types:
        r = sparql(server, query, f"{accept}, */*;q=0.1")
        assert r.status == 200, r.text
        assert r.headers["content-type"].split(";")[0] == fmt.media_type
        assert r.body == expected_bytes(store, query, fmt)


def test_without_accept_select_is_json_and_construct_is_turtle(server):
    assert sparql(server, OFFICIALS).headers["content-type"].startswith("application/sparql-results+json")
    assert sparql(server, CARD).headers["content-type"].startswith("text/turtle")
    assert sparql(server, OFFICIALS, format="csv").headers["content-type"].startswith("text/csv")


def test_an_accept_no_format_fits_is_406(server):
    one_line(sparql(server, OFFICIALS, "text/turtle"), 406, "can write SELECT and ASK")
    one_line(sparql(server, CARD, "text/csv"), 406, "can write CONSTRUCT and DESCRIBE")


def test_post_form_and_post_direct_answer_as_get(server):
    via_get = sparql(server, OFFICIALS, "text/csv").body
    form = http("POST", server.url + "sparql", urlencode({"query": OFFICIALS}).encode(),
                {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
    direct = http("POST", server.url + "sparql", OFFICIALS.encode(),
                  {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": "text/csv"})
    assert form.status == direct.status == 200
    assert form.body == direct.body == via_get
    assert via_get.count(b"\r\n") > 5


def test_prefixes_of_the_catalogue_are_declared(server):
    r = sparql(server, "ASK { kgr:huawei a kg:Enterprise }", "application/sparql-results+json")
    assert json.loads(r.body)["boolean"] is True


def test_updates_are_refused_in_one_line(server):
    url = server.url + "sparql"
    one_line(http("POST", url, urlencode({"update": "DROP ALL"}).encode(),
                  {"Content-Type": "application/x-www-form-urlencoded"}), 403, "kg serve is read-only")
    one_line(http("POST", url, b"DROP ALL", {"Content-Type": "application/sparql-update"}), 403, "read-only")
    one_line(sparql(server, "INSERT DATA { <urn:a> <urn:b> <urn:c> }"), 400,
             "query:1:1: kg does not run SPARQL Update (INSERT)")
    one_line(sparql(server, "LOAD <http://example.org/data.ttl>"), 400, "SPARQL Update (LOAD)")
    one_line(http("POST", url, b"x", {"Content-Type": "text/plain"}), 415, "application/sparql-query")
    for method in ("PUT", "DELETE", "PATCH"):
        one_line(http(method, url, b"x"), 405, "kg serve is read-only")
        one_line(http(method, server.url + "graph/ontology", b"x"), 405, "kg serve is read-only")


def test_service_is_refused(server):
    one_line(sparql(server, "SELECT * WHERE {\n  SERVICE <http://example.org/sparql> { ?s ?p ?o } }"), 400,
             "query:2:3: SERVICE would send the query to another server")


def test_malformed_query_is_400_with_the_parsers_message_and_position(server):
    one_line(sparql(server, "SELECT * WHERE {\n  ?s ?p \n}"), 400, "query:3:2: SPARQL syntax error")
    one_line(sparql(server, "SELECT * WHERE { ?s nope:x ?o }"), 400, "query:1:21: unknown prefix 'nope:'")


def test_row_limit_cuts_the_answer_and_says_so(server):
    r = sparql(server, "SELECT * WHERE { ?s ?p ?o }", "text/csv")
    assert r.status == 200
    assert r.body.count(b"\r\n") == 1 + 50
    assert r.headers["x-kg-row-limit"] == "50" and "cut at 50" in r.headers["x-kg-truncated"]
    small = sparql(server, OFFICIALS, "text/csv")
    assert "x-kg-truncated" not in small.headers


def test_service_description(server):
    r = get(server.url + "sparql", "text/turtle")
    assert r.status == 200
    g = parsed(r.body, ox.RdfFormat.TURTLE)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = ox.NamedNode(server.url + "sparql")
    assert ox.Triple(endpoint, ox.NamedNode(sd + "endpoint"), endpoint) in g
    names = {t.object.value for t in g if t.predicate == ox.NamedNode(sd + "name")}
    assert {KGG + "ontology", KGG + "entities", KGG + BRIEFING} <= names
    assert len(names) == 2 + len(list((server.root / "data" / "briefings").glob("*.txt")))
    assert ox.NamedNode("http://www.w3.org/ns/formats/SPARQL_Results_XML") in {t.object for t in g}


def test_bad_parameters_are_one_line(server):
    one_line(get(f"{server.url}sparql?query=ASK%7B%7D&query=ASK%7B%7D"), 400, "one query parameter")
    one_line(sparql(server, OFFICIALS, **{"default-graph-uri": KGG + "ontology"}), 400, "default-graph-uri")
    one_line(sparql(server, OFFICIALS, format="nonsense"), 400, "format 'nonsense'")
    one_line(http("POST", server.url + "sparql", b"\xff\xfe", {"Content-Type": "application/sparql-query"}), 400,
             "not UTF-8")


def test_oversized_request_is_413(server):
    big = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 500_000
    one_line(http("POST", server.url + "sparql", big, {"Content-Type": "application/sparql-query"}), 413,
             "kg serve reads at most")
    import http.client as hc  # the same body chunked, with no length declared: counted as it arrives

    host, port = server.url.removeprefix("http://").rstrip("/").split(":")
    conn = hc.HTTPConnection(host, int(port), timeout=30)
    conn.request("POST", "/sparql", body=iter([big[i:i + 65536] for i in range(0, len(big), 65536)]),
                 headers={"Content-Type": "application/sparql-query"}, encode_chunked=True)
    r = conn.getresponse()
    assert r.status == 413 and b"kg serve reads at most" in r.read()
    conn.close()


# --- linked data ----------------------------------------------------------------------------------

def test_entity_page_for_a_browser_has_its_sentences_facts_and_links(server, store):
    r = get(server.url + "id/huawei", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert r.status == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "<h1>Huawei</h1>" in page
    assert "Shanghai MindSpore AI Framework Innovation Center in partnership with\nHuawei" in page \
        or "in partnership with Huawei" in " ".join(page.split())
    assert 'href="/id/partnership-huawei-mindspore"' in page  # a related entity, under the served address
    assert f'href="/graph/{BRIEFING}"' in page  # facts grouped by the briefing stating them
    assert 'href="http://www.wikidata.org/entity/Q160120"' in page
    figures = get(server.url + "id/minhang-district", "text/html").text
    assert 'id="figures"' in figures and "period:" in figures


def test_entity_as_turtle_and_json_ld(server, store):
    huawei = ox.NamedNode(KGR + "huawei")
    expected = {
        t
        for t in run_query(
            store, "CONSTRUCT { ?_e ?p ?o . ?s ?q ?_e } WHERE { { ?_e ?p ?o } UNION { ?s ?q ?_e } }", {"_e": huawei}
        ).triples
    }
    ttl = get(server.url + "id/huawei", "text/turtle")
    assert ttl.headers["content-type"].startswith("text/turtle")
    assert set(parsed(ttl.body, ox.RdfFormat.TURTLE)) == expected
    jsonld = get(server.url + "id/huawei", "application/ld+json")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert set(parsed(jsonld.body, ox.RdfFormat.JSON_LD)) == expected
    assert get(server.url + "id/huawei?format=nt").headers["content-type"].startswith("application/n-triples")
    assert get(server.url + "id/huawei").headers["content-type"].startswith("text/turtle")  # curl's */*


def test_every_iri_kg_mints_dereferences(server, store):
    subjects = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None, None)
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(KGR)
    }
    documents = sorted({s.split("#", 1)[0] for s in subjects})
    assert len(documents) > 100
    for iri in documents[:: max(1, len(documents) // 40)]:  # forty of them, across every kind
        r = get(server.url + "id/" + quote(iri.removeprefix(KGR), safe="/"), "text/turtle")
        assert r.status == 200, iri
    assert get(server.url + "ontology", "text/turtle").status == 200
    assert get(server.url + f"graph/{BRIEFING}", "text/turtle").status == 200


def test_unknown_iri_and_route_are_404_with_a_link_to_search(server):
    one_line(get(server.url + "id/no-such-entity"), 404, "search for it: /search?q=no-such-entity")
    one_line(get(server.url + "no/such/route"), 404, "/search?q=route")
    page = get(server.url + "id/huawie", "text/html")
    assert page.status == 404 and 'href="/search?q=huawie"' in page.text
    search = get(server.url + "search?q=huawie")  # the search it links to finds the entity
    assert search.status == 200


def test_search_page_finds_entities(server):
    r = get(server.url + "search?q=neo%20bay")
    assert r.status == 200 and 'href="/id/greater-neo-bay"' in r.text


def test_graph_store_get_gives_each_named_graph(server, store):
    for name in ("ontology", BRIEFING):
        kg_count = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(KGG + name)))
        for url in (f"{server.url}graph/{name}", f"{server.url}graph?graph={quote(KGG + name, safe='')}"):
            r = get(url, "application/n-triples")
            assert r.status == 200 and r.headers["content-type"].startswith("application/n-triples")
            assert len(list(ox.parse(r.body, format=ox.RdfFormat.N_TRIPLES))) == kg_count > 500
    one_line(get(server.url + "graph/nothing"), 404, "no graph")


# --- pages, headers ---------------------------------------------------------------------------------


def test_index_has_the_query_form_the_catalogue_and_results_as_a_table(server):
    page = get(server.url + "?name=officials").text
    assert '<textarea id="text" name="query"' in page and '<option value="officials" selected>' in page
    assert '<table id="results">' in page and 'href="/id/xu-hao"' in page
    assert '<iframe src="/network"' in page
    own = get(server.url + "?" + urlencode({"query": "SELECT ?x WHERE { BIND('<b>bold</b>' AS ?x) }"})).text
    assert "&lt;b&gt;bold&lt;/b&gt;" in own and "<b>bold</b>" not in own
    bad = get(server.url + "?" + urlencode({"query": "SELECT * WHERE { ?s ?p }"})).text
    assert 'class="error"' in bad and "SPARQL syntax error" in bad


def test_security_headers_on_every_answer(server):
    for path, accept in (
        ("", "text/html"),
        ("id/huawei", "text/html"),
        ("id/huawei", "text/turtle"),
        ("sparql?query=ASK%7B%7D", None),
        ("nope", None),
    ):
        h = get(server.url + path, accept).headers
        assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "no-referrer"
        assert "default-src 'none'" in h["content-security-policy"]
        assert "access-control-allow-origin" not in h  # no CORS without --cors
    network = get(server.url + "network")
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', network.text)[1]
    # the page's own policy (its scripts by hash, no 'unsafe-inline'), with framing allowed only by kg serve
    assert network.headers["content-security-policy"] == meta + "; " + NETWORK_CSP_EXTRA
    assert "'sha256-" in meta and "unsafe-inline" not in meta.split("style-src")[0]
    assert "script-src" not in get(server.url, "text/html").headers["content-security-policy"]
    cors = get(server.url + "sparql?query=ASK%7B%7D", Origin="https://app.example.org").headers
    assert "access-control-allow-origin" not in cors


def test_binds_to_loopback_by_default(server):
    assert server.url.startswith("http://127.0.0.1:")
    assert "127.0.0.1" in run(Path("."), "serve", "--help").stdout


def test_a_port_in_use_is_one_line_and_exit_2(server, built_project: Path):
    import subprocess

    port = server.url.rsplit(":", 1)[1].strip("/")
    p = subprocess.run(
        [*KG, "--project", str(built_project), "serve", "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert p.returncode == 2, p.stderr
    assert p.stderr.strip().count("\n") == 0 and "Traceback" not in p.stderr
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in p.stderr


def test_bad_and_slow_requests_do_not_stop_good_ones(server, store):
    expected = sparql(server, OFFICIALS, "text/csv").body
    failures: list[str] = []

    def good():
        for _ in range(5):
            r = sparql(server, OFFICIALS, "text/csv")
            if r.status != 200 or r.body != expected:
                failures.append(f"good request: {r.status}")

    def bad():
        for _ in range(5):
            for r, status in (
                (sparql(server, "SELECT * WHERE { ?s"), 400),
                (get(server.url + "id/nope"), 404),
                (http("POST", server.url + "sparql", b"DROP ALL", {"Content-Type": "application/sparql-update"}), 403),
            ):
                if r.status != status:
                    failures.append(f"bad request: {r.status} instead of {status}")

    def slow():  # a client that sends half a body and stalls, then goes
        with socket.create_connection(server.url.removeprefix("http://").rstrip("/").split(":")) as s:
            s.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 100\r\n\r\nSELECT"
            )
            time.sleep(2)

    threads = [threading.Thread(target=f) for f in (good, good, bad, bad, slow, slow)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert failures == []


# --- servers of their own: timeouts, slow clients, CORS, --base, a new build, Ctrl-C -------------------


def test_a_slow_query_times_out_with_503_and_others_are_answered(built_project: Path):
    s = KgServer(built_project, "--timeout", "0.3")
    try:
        started = time.monotonic()
        one_line(
            sparql(s, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d a ?f }"),
            503,
            "the query ran longer than the time limit of 0.3 s and was stopped",
        )
        assert time.monotonic() - started < 2.5  # the query alone takes seconds
        assert sparql(s, OFFICIALS, "text/csv").status == 200
    finally:
        s.stop()


def test_a_long_chain_is_answered_on_the_deep_stack(built_project: Path):
    """kg serve runs the engine in the request's own thread (one of kg.query.query_threads, whose stacks
    are deep): a chain that overflows the default 8 MiB stack is an answer, not a dead server. (Seconds of
    engine time, more on a busy machine: a server of its own with a time limit to match.)"""
    s = KgServer(built_project, "--timeout", "600")
    try:
        chain = "SELECT * WHERE { BIND(" + "+".join(["1"] * 12_000) + " AS ?x) }"
        r = http("POST", s.url + "sparql", chain.encode(),
                 {"Content-Type": "application/sparql-query", "Accept": "text/csv"}, timeout=600)
        assert (r.status, r.body) == (200, b"x\r\n12000\r\n"), r.text
        assert sparql(s, OFFICIALS, "text/csv").status == 200
    finally:
        s.stop()


def test_a_client_that_stalls_is_answered_408(built_project: Path):
    s = KgServer(built_project, "--client-timeout", "0.5")
    try:
        host, port = s.url.removeprefix("http://").rstrip("/").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as c:
            c.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 100\r\n\r\nSELECT"
            )
            chunks = []
            while chunk := c.recv(4096):  # the server closes the connection after its answer
                chunks.append(chunk)
            answer = b"".join(chunks).decode()
        assert answer.startswith("HTTP/1.1 408"), answer
        assert "did not arrive within 0.5 s" in answer
    finally:
        s.stop()


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    root = tiny_project(tmp_path / "tiny", variant=HOSTILE)
    assert run(root, "build").exit_code == 0
    return root


def test_cors_only_for_the_origin_given_and_base_maps_the_served_address(tiny: Path):
    s = KgServer(tiny, "--cors", "https://app.example.org", "--base", "https://data.example.com/kg/")
    try:
        ok = get(s.url + "sparql?query=ASK%7B%7D", Origin="https://app.example.org").headers
        assert ok["access-control-allow-origin"] == "https://app.example.org"
        other = get(s.url + "sparql?query=ASK%7B%7D", Origin="https://evil.example.net").headers
        assert "access-control-allow-origin" not in other
        ttl = get(s.url + "id/tiny-office-1", "text/turtle").body
        subjects = {t.subject.value for t in ox.parse(ttl, format=ox.RdfFormat.TURTLE)}
        assert "https://data.example.com/kg/id/tiny-office-1" in subjects
        assert not any(x.startswith(PREFIXES["kgr"]) for x in subjects)
        page = get(s.url + "id/tiny-office-1", "text/html").text
        assert 'href="/kg/ontology#PublicAuthority"' in page  # links under the public address's path
    finally:
        s.stop()


def test_hostile_text_shows_as_text(tiny: Path):
    s = KgServer(tiny)
    try:
        page = get(s.url + "id/tiny-office-1", "text/html").text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and HOSTILE not in page
    finally:
        s.stop()


def test_a_new_build_is_picked_up_by_the_next_request(tiny: Path):
    s = KgServer(tiny)
    try:
        note = "SELECT ?n WHERE { kgr:tiny-office-1 rdfs:comment ?n }"
        assert HOSTILE in sparql(s, note, "text/csv").text
        set_variant(tiny, "the second variant")
        assert run(tiny, "build").exit_code == 0
        assert "the second variant" in sparql(s, note, "text/csv").text
        assert "the second variant" in get(s.url + "id/tiny-office-1", "text/html").text
    finally:
        s.stop()


def test_ctrl_c_shuts_down_cleanly_and_frees_the_port(tiny: Path):
    s = KgServer(tiny)
    host, port = s.url.removeprefix("http://").rstrip("/").split(":")
    assert get(s.url + "sparql?query=ASK%7B%7D").status == 200
    code, err = s.stop(signal.SIGINT)
    assert code == 130 and "Traceback" not in err and err.strip().splitlines()[-1] == "Error: interrupted"
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # past the closed connections' TIME_WAIT
        probe.bind((host, int(port)))  # nothing listens there any more
