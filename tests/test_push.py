"""kg push into a real Oxigraph server (its CLI, started on a free port with a temporary data folder and
stopped afterwards), and into small fake stores that refuse, stall or answer garbage."""

from __future__ import annotations

import base64
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox
import pytest
from servers import OxigraphServer, http

from conftest import check_failure, run
from kg.prefixes import PREFIXES
from kg.project import find_project
from kg.store import open_store

KGG = PREFIXES["kgg"]


@pytest.fixture
def oxigraph(tmp_path: Path):
    s = OxigraphServer(tmp_path / "oxigraph-data")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def kg_counts(built_project: Path) -> dict[str, int]:
    store = open_store(find_project(built_project))
    return {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g)) for g in store.named_graphs()}


@pytest.fixture(scope="module")
def order(kg_counts) -> list[str]:
    """The graphs as kg pushes them, in IRI order (with KG_TEST_SERIES=1 the fixture series comes first)."""
    return [f"kgg:{iri.removeprefix(KGG)}" for iri in sorted(kg_counts)]


def test_push_fills_a_real_oxigraph_server_and_the_counts_match(oxigraph, built_project: Path, kg_counts):
    r = run(built_project, "push", f"{oxigraph.url}/store")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    graphs = [f"pushed kgg:{iri.removeprefix(KGG)}" for iri in sorted(kg_counts)]  # entities, briefings, ontology
    assert [ln.split(": ")[0] for ln in lines[:-1]] == graphs
    assert lines[-1].startswith(
        f"checked: the store holds {sum(kg_counts.values()):,} triples in {len(graphs)} graphs, as kg does "
        f"(counted at {oxigraph.url}/query;")  # the query endpoint beside Oxigraph's /store
    assert oxigraph.counts() == kg_counts
    # a second push replaces every graph (by PUT, as each is there now): a triple added meanwhile is gone
    from urllib.parse import quote

    ontology = KGG + "ontology"
    added = http("POST", f"{oxigraph.url}/store?graph={quote(ontology, safe='')}",
                 b"<http://example.org/extra> <http://example.org/p> <http://example.org/o> .\n",
                 {"Content-Type": "application/n-triples"})
    assert added.status in (201, 204) and oxigraph.counts()[ontology] == kg_counts[ontology] + 1
    assert run(built_project, "push", f"{oxigraph.url}/store").exit_code == 0
    assert oxigraph.counts() == kg_counts


def test_push_some_graphs_and_dry_run(oxigraph, built_project: Path, kg_counts):
    dry = run(built_project, "push", f"{oxigraph.url}/store", "--dry-run")
    assert dry.exit_code == 0 and "nothing was sent" in dry.stdout
    assert oxigraph.counts() == {}
    one = run(built_project, "push", f"{oxigraph.url}/store", "--graph", "ontology")
    assert one.exit_code == 0, one.output
    assert oxigraph.counts() == {KGG + "ontology": kg_counts[KGG + "ontology"]}
    check_failure(run(built_project, "push", f"{oxigraph.url}/store", "--graph", "nope"), "no graph 'nope'")


def test_a_url_that_is_no_store_is_one_line(oxigraph, built_project: Path, order):
    check_failure(run(built_project, "push", f"{oxigraph.url}/nothing-here"),
                  f"{oxigraph.url}/nothing-here: the store refused POST {order[0]}: HTTP 404")  # its HEAD: 404
    check_failure(run(built_project, "push", "ftp://example.org/store"), "is not an http(s) URL")
    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    check_failure(run(built_project, "push", f"http://127.0.0.1:{port}/store"), "cannot reach the store")


# --- fake stores ------------------------------------------------------------------------------------

class Fake:
    """A tiny Graph Store in a thread: ``behaviour(handler, method)`` answers each request."""

    def __init__(self, behaviour):
        self.graphs: dict[str, bytes] = {}
        self.auth: list[str | None] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_PUT(self):
                fake.auth.append(self.headers.get("Authorization"))
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                behaviour(self, "PUT", body)

            def do_GET(self):
                fake.auth.append(self.headers.get("Authorization"))
                behaviour(self, "GET", b"")

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                behaviour(self, "POST", body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/store"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def reply(self, h, status: int, body: bytes = b"") -> None:
        h.send_response(status)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    def store(self, h, method: str, body: bytes) -> None:
        """Behave as a store with no query endpoint: keep what is PUT, give it back on GET."""
        if method == "POST":  # the query endpoint kg guesses beside .../store: none here
            self.reply(h, 404)
            return
        graph = h.path.split("graph=", 1)[1]
        if method == "PUT":
            self.graphs[graph] = body
            self.reply(h, 204)
        else:
            self.reply(h, 200, self.graphs.get(graph, b""))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake():
    made: list[Fake] = []

    def make(behaviour) -> Fake:
        made.append(Fake(behaviour))
        return made[-1]

    yield make
    for f in made:
        f.close()


def check_failure_after(result, expected: str, progress: int) -> None:
    """As check_failure, after ``progress`` lines on standard output (the graphs pushed before the failure)."""
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.output
    assert expected in result.stderr, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == progress and all(ln.startswith("pushed ") for ln in lines)


def test_wrong_credentials_are_one_line_and_credentials_come_from_env_or_netrc(fake, built_project: Path, tmp_path):
    good = "Basic " + base64.b64encode(b"analyst:s3cret").decode()

    def guarded(h, method, body):
        if h.headers.get("Authorization") != good:
            f.reply(h, 401, b"Unauthorized\n")
        else:
            f.store(h, method, body)

    f = fake(guarded)
    check_failure(run(built_project, "push", f.url), "HTTP 401 Unauthorized: Unauthorized (check KG_PUSH_TOKEN")
    from click.testing import CliRunner

    from kg.cli import cli

    wrong = CliRunner().invoke(
        cli, ["--project", str(built_project), "push", f.url], env={"KG_PUSH_AUTH": "analyst:nope"}
    )
    check_failure(wrong, "HTTP 401")
    assert "nope" not in wrong.stderr  # the password is never echoed
    right = CliRunner().invoke(
        cli, ["--project", str(built_project), "push", f.url], env={"KG_PUSH_AUTH": "analyst:s3cret"}
    )
    assert right.exit_code == 0, right.output
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login analyst password s3cret\n")
    netrc.chmod(0o600)
    via_netrc = CliRunner().invoke(
        cli,
        ["--project", str(built_project), "push", f.url],
        env={"NETRC": str(netrc), "KG_PUSH_AUTH": None, "KG_PUSH_TOKEN": None},
    )
    assert via_netrc.exit_code == 0, via_netrc.output
    assert f.auth[-1] == good


def test_a_store_that_refuses_midway_names_what_was_already_pushed(fake, built_project: Path, order):
    def second_refused(h, method, body):
        if method == "PUT" and f.graphs:
            f.reply(h, 507, b"Insufficient Storage: the disk is full\nmore detail\n")
        else:
            f.store(h, method, body)

    f = fake(second_refused)
    check_failure_after(
        run(built_project, "push", f.url),
        f"the store refused PUT {order[1]}: HTTP 507 Insufficient Storage: Insufficient Storage: the "
        f"disk is full; graphs already pushed: {order[0]}",
        progress=1,
    )


def test_a_store_that_times_out_is_one_line(fake, built_project: Path, order):
    def stalls(h, method, body):
        time.sleep(3)

    f = fake(stalls)
    started = time.monotonic()
    check_failure(
        run(built_project, "push", f.url, "--timeout", "0.5"),
        f"the store did not answer PUT {order[0]} within 0.5 s; graphs already pushed: none",
    )
    assert time.monotonic() - started < 2.5


def test_a_store_that_answers_garbage_is_one_line(fake, built_project: Path, kg_counts, order):
    def garbage(h, method, body):
        h.wfile.write(b"hello, I am not HTTP\r\n\r\n")

    check_failure(run(built_project, "push", fake(garbage).url), "is not HTTP (BadStatusLine)")

    def garbage_back(h, method, body):
        if method == "GET":
            g.reply(h, 200, b"<html>surprise</html>")
        else:
            g.store(h, method, body)

    g = fake(garbage_back)
    check_failure_after(
        run(built_project, "push", g.url),
        f"the store answered GET {order[0]} with something that is not N-Triples",
        progress=len(kg_counts),
    )

    def loses_triples(h, method, body):
        if method == "GET":
            kept = b"".join(f.graphs[h.path.split("graph=", 1)[1]].splitlines(keepends=True)[:-1])
            f.reply(h, 200, kept)
        else:
            f.store(h, method, body)

    f = fake(loses_triples)
    check_failure_after(run(built_project, "push", f.url), "the store does not hold what kg pushed: kgg:",
                        progress=len(kg_counts))


def test_pushed_graphs_are_ntriples_of_exactly_the_graph(fake, built_project: Path, kg_counts):
    f = fake(lambda h, method, body: f.store(h, method, body))
    r = run(built_project, "push", f.url)
    assert r.exit_code == 0, r.output
    assert "as kg does (read back;" in r.stdout.splitlines()[-1]  # no query endpoint: each graph read back
    from urllib.parse import quote

    for g, n in kg_counts.items():
        assert len(list(ox.parse(f.graphs[quote(g, safe="")], format=ox.RdfFormat.N_TRIPLES))) == n


def test_the_check_counts_by_sparql_when_given_the_query_endpoint(oxigraph, fake, built_project: Path, kg_counts):
    r = run(built_project, "push", f"{oxigraph.url}/store", "--sparql", f"{oxigraph.url}/query")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[-1].startswith(
        f"checked: the store holds {sum(kg_counts.values()):,} triples in {len(kg_counts)} graphs, as kg does")
    assert oxigraph.counts() == kg_counts
    queries: list[str] = []

    def counts(answer: bytes):
        def behaviour(h, method, body):
            if method == "POST":
                assert h.headers["Accept"] == "application/sparql-results+json"
                queries.append(unquote(body.decode().replace("+", " ")))
                f.reply(h, 200, answer)
            else:
                f.store(h, method, body)
        return behaviour

    one = b'{"head": {"vars": ["g", "n"]}, "results": {"bindings": [{"g": {"type": "uri", "value": "%s"}, ' \
          b'"n": {"type": "literal", "value": "1"}}]}}' % sorted(kg_counts)[0].encode()
    f = fake(counts(one))
    check_failure_after(run(built_project, "push", f.url, "--sparql", f.url.replace("/store", "/other")),
                        "the store does not hold what kg pushed: kgg:", progress=len(kg_counts))
    assert len(queries) == 1 and "COUNT" in queries[0] and all(f"<{g}>" in queries[0] for g in kg_counts)
    f = fake(counts(b"<html>surprise</html>"))
    check_failure_after(run(built_project, "push", f.url, "--sparql", f.url.replace("/store", "/other")),
                        "with something that is not a SPARQL JSON count", progress=len(kg_counts))
