"""The built dataset into a triple store: every named graph written through the SPARQL 1.1 Graph Store
HTTP Protocol, then counted there.

One PUT per graph (``URL?graph=IRI``, N-Triples), so a second push replaces each graph rather than adding
to it; a graph the store does not hold yet (its HEAD is 404) is POSTed instead, which fills it alike.
The URL is the store's Graph Store endpoint:

- Oxigraph server: ``http://localhost:7878/store``
- Apache Jena Fuseki: ``http://localhost:3030/DATASET/data`` (or ``/DATASET`` for the dataset's own)
- GraphDB (and RDF4J): ``http://localhost:7200/repositories/REPO/rdf-graphs/service``

The check counts every graph in one SPARQL query to the store's query endpoint: ``--sparql``, else the one
beside these three forms (QUERY_ENDPOINTS); a store with neither has each graph read back and counted.

Credentials never come from the command line: ``KG_PUSH_TOKEN`` (sent as a bearer token), else
``KG_PUSH_AUTH`` (``user:password``, HTTP Basic), else the store's host in ``~/.netrc``. The client is the
standard library's urllib: a push is two requests per graph (HEAD, then PUT or POST) and one to check
them, which needs no connection pool, so kg takes on no HTTP client for it.
"""

from __future__ import annotations

import base64
import netrc
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pyoxigraph as ox

from .errors import KgError
from .prefixes import compact

NT = "application/n-triples"


@dataclass
class Pushed:
    """What a push did: each graph with its triple count, in order, and the counts the store reported."""

    url: str
    graphs: list[tuple[str, int]] = field(default_factory=list)
    stored: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    counted_at: str | None = None  # the query endpoint that counted the graphs; None: each was read back

    @property
    def triples(self) -> int:
        return sum(n for _, n in self.graphs)


class PushError(KgError):
    """The store refused, timed out or answered garbage; ``pushed`` names the graphs already written."""

    def __init__(self, message: str, url: str, pushed: list[tuple[str, int]]):
        done = ", ".join(compact(g) for g, _ in pushed) if pushed else "none"
        super().__init__(f"{url}: {message}; graphs already pushed: {done}")  # a URL is no path: not shown()
        self.pushed = pushed


def credentials(url: str, environ: dict[str, str] | None = None, netrc_file: Path | None = None) -> str | None:
    """The Authorization header for ``url``: KG_PUSH_TOKEN, else KG_PUSH_AUTH, else ~/.netrc, else None.

    >>> credentials("http://s/store", {"KG_PUSH_AUTH": "me:secret"})
    'Basic bWU6c2VjcmV0'
    >>> credentials("http://s/store", {"KG_PUSH_TOKEN": "t0k"})
    'Bearer t0k'
    """
    env = os.environ if environ is None else environ
    if env.get("KG_PUSH_TOKEN"):
        return f"Bearer {env['KG_PUSH_TOKEN']}"
    if env.get("KG_PUSH_AUTH"):
        if ":" not in env["KG_PUSH_AUTH"]:
            raise KgError("KG_PUSH_AUTH must be user:password")
        return "Basic " + base64.b64encode(env["KG_PUSH_AUTH"].encode()).decode()
    host = urlsplit(url).hostname or ""
    path = netrc_file or Path(env.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as e:
        raise KgError(f"cannot read it: {e}", path) from None
    if entry is None:
        return None
    login, _, password = entry
    return "Basic " + base64.b64encode(f"{login}:{password or ''}".encode()).decode()


def graph_url(url: str, graph: str) -> str:
    """The Graph Store Protocol's indirect IRI of ``graph`` at the endpoint ``url``.

    >>> graph_url("http://localhost:7878/store", "http://data.example.net/graph/a")
    'http://localhost:7878/store?graph=http%3A%2F%2Fdata.example.net%2Fgraph%2Fa'
    """
    return f"{url}{'&' if '?' in url else '?'}graph={quote(graph, safe='')}"


#: The query endpoint beside a store's Graph Store endpoint, by the end of the latter's path, for the URL
#: forms above: Oxigraph server, Fuseki, GraphDB and RDF4J.
QUERY_ENDPOINTS = {"/store": "/query", "/data": "/sparql", "/rdf-graphs/service": ""}


def query_endpoint(url: str) -> str | None:
    """The SPARQL query endpoint of the store whose Graph Store endpoint is ``url``, when its form is known.

    >>> query_endpoint("http://localhost:7878/store")
    'http://localhost:7878/query'
    >>> query_endpoint("http://localhost:7200/repositories/news/rdf-graphs/service")
    'http://localhost:7200/repositories/news'
    >>> query_endpoint("http://localhost:9999/graphs") is None
    True
    """
    parts = urlsplit(url)
    for ending, instead in QUERY_ENDPOINTS.items():
        if parts.path.endswith(ending) and not parts.query:
            return parts._replace(path=parts.path[: -len(ending)] + instead).geturl()
    return None


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KgError(f"'{url}' is not an http(s) URL of a store's Graph Store endpoint "
                      "(e.g. http://localhost:7878/store)")


def graphs_of(store: ox.Store, wanted: Iterable[str] = ()) -> list[str]:
    """The named graphs to push: all, or those ``wanted`` names (a kgg: name, a full IRI or the bare name)."""
    from .prefixes import PREFIXES

    every = sorted(g.value for g in store.named_graphs())
    wanted = list(wanted)
    if not wanted:
        return every
    out = []
    for w in wanted:
        iri = w[1:-1] if w.startswith("<") else PREFIXES["kgg"] + w[4:] if w.startswith("kgg:") else w
        if iri not in every:
            iri = PREFIXES["kgg"] + w
        if iri not in every:
            names = ", ".join(g.removeprefix(PREFIXES["kgg"]) for g in every)
            raise KgError(f"no graph '{w}' in the dataset (it has: {names})")
        if iri not in out:
            out.append(iri)
    return out


def push(store: ox.Store, url: str, graphs: list[str], *, auth: str | None = None, timeout: float = 60.0,
         dry_run: bool = False, progress: Callable[[str], None] = lambda s: None, nquads: Path | None = None,
         sparql: str | None = None) -> Pushed:
    """PUT each graph of ``graphs`` (IRIs) from ``store`` to the Graph Store endpoint ``url``, then check
    the store holds as many triples as kg: counted in one query to ``sparql`` (the store's SPARQL query
    endpoint), else to the one ``query_endpoint`` knows beside ``url``; when that fails, or there is none,
    each graph is read back and counted. ``nquads``, the build's kg.nq, gives each graph's lines as they
    are (the on-disk store is slow to read). A failure is a PushError naming what was pushed."""
    check_url(url)
    if sparql is not None:
        check_url(sparql)
    result = Pushed(url)
    started = time.perf_counter()
    headers = {"Authorization": auth} if auth else {}
    bodies = graph_lines(nquads, graphs) if nquads is not None else {}
    for g in graphs:
        data = bodies.get(g) or store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g)) or b""
        triples = data.count(b"\n")  # N-Triples as kg and pyoxigraph write it: one triple a line
        if dry_run:
            progress(f"would PUT {triples:,} triples of {compact(g)} to {graph_url(url, g)}")
            result.graphs.append((g, triples))
            continue
        t = time.perf_counter()
        # A graph the store does not hold yet is created by POST, which fills it as PUT would: the Oxigraph
        # server took 1.5 to 1.8 times the CPU for the PUTs of the 100k dataset. One it holds is replaced.
        method = "POST" if _absent(graph_url(url, g), headers, timeout) else "PUT"
        _request(method, graph_url(url, g), data, {**headers, "Content-Type": NT}, timeout, f"{method} {compact(g)}",
                 result.graphs)
        result.graphs.append((g, triples))
        progress(f"pushed {compact(g)}: {triples:,} triples ({time.perf_counter() - t:.2f} s)")
    if dry_run:
        return result
    pushed = [g for g, _ in result.graphs]
    counting = sparql or query_endpoint(url)
    if counting is not None:
        try:
            result.stored, result.counted_at = _counted(counting, pushed, headers, timeout, result.graphs), counting
        except PushError:
            if sparql is not None:  # the endpoint the user named: its failure is the answer
                raise
    if result.counted_at is None:  # no query endpoint known, or the one guessed from the URL's form failed
        result.stored = {g: _read_back(url, g, headers, timeout, result.graphs) for g in pushed}
    result.seconds = time.perf_counter() - started
    wrong = [f"{compact(g)} holds {result.stored[g]:,} triples, kg has {n:,}"
             for g, n in result.graphs if result.stored[g] != n]
    if wrong:
        raise PushError("the store does not hold what kg pushed: " + "; ".join(wrong), url, result.graphs)
    return result


def _absent(url: str, headers: dict[str, str], timeout: float) -> bool:
    """Whether the store says it holds no graph at ``url``: its HEAD answered 404. Anything else (a graph
    there, no HEAD, no answer) is False, and the PUT that follows says what is wrong, if anything is."""
    import http.client

    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers, method="HEAD"), timeout=timeout):
            return False
    except urllib.error.HTTPError as e:
        return e.code == 404
    except (OSError, http.client.HTTPException):
        return False


def _read_back(url: str, g: str, headers: dict[str, str], timeout: float, pushed: list[tuple[str, int]]) -> int:
    """How many triples the store at the Graph Store endpoint ``url`` holds in ``g``: the graph, read back."""
    body = _request("GET", graph_url(url, g), None, {**headers, "Accept": NT}, timeout, f"GET {compact(g)}", pushed)
    try:
        return sum(1 for _ in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError) as e:
        raise PushError(f"the store answered GET {compact(g)} with something that is not N-Triples "
                        f"({' '.join(str(e).split())[:120]})", url, pushed) from None


def _counted(sparql: str, graphs: list[str], headers: dict[str, str], timeout: float,
             pushed: list[tuple[str, int]]) -> dict[str, int]:
    """How many triples the store holds in each of ``graphs``: one COUNT query, grouped by graph, POSTed to
    its SPARQL endpoint ``sparql`` (a graph it holds nothing of is not in the answer: 0)."""
    import json

    names = " ".join(f"<{g}>" for g in graphs)
    query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {names} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    what = "the COUNT of the graphs pushed"
    body = _request("POST", sparql, urlencode({"query": query}).encode(),
                    {**headers, "Content-Type": "application/x-www-form-urlencoded",
                     "Accept": "application/sparql-results+json"}, timeout, what, pushed)
    try:
        rows = json.loads(body)["results"]["bindings"]
        found = {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
    except (ValueError, KeyError, TypeError):
        raise PushError(f"the store answered {what} with something that is not a SPARQL JSON count "
                        f"({_first_line(body)[:120]})", sparql, pushed) from None
    return {g: found.get(g, 0) for g in graphs}


def graph_lines(nquads: Path, graphs: list[str]) -> dict[str, bytes]:
    """The N-Triples of each graph of ``graphs`` in kg's N-Quads file ``nquads``, as they are written there
    (no graph that has no lines; none at all when the file has gone, pruned by a newer build)."""
    from .build import split_quad

    wanted: dict[bytes, list[bytes]] = {g.encode(): [] for g in graphs}
    try:
        with open(nquads, "rb") as f:
            for line in f:
                if line.strip() and not line.startswith(b"#"):
                    triple, graph = split_quad(line)
                    found = wanted.get(graph)
                    if found is not None:
                        found.append(triple)
    except OSError:
        return {}
    return {g.decode(): b"".join(lines) for g, lines in wanted.items() if lines}


def _request(method: str, url: str, data: bytes | None, headers: dict[str, str], timeout: float, what: str,
             pushed: list[tuple[str, int]]) -> bytes:
    """One request; any failure a PushError in one line."""
    import http.client

    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    base = url.split("?", 1)[0]
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as e:
        reason = _first_line(e.read())
        hint = " (check KG_PUSH_TOKEN, KG_PUSH_AUTH or ~/.netrc)" if e.code in (401, 403) else ""
        hint = hint or (" (is this the store's Graph Store endpoint?)" if e.code in (404, 405, 415) else "")
        raise PushError(f"the store refused {what}: HTTP {e.code} {e.reason}{': ' + reason if reason else ''}{hint}",
                        base, pushed) from None
    except TimeoutError:
        raise PushError(f"the store did not answer {what} within {timeout:g} s", base, pushed) from None
    except urllib.error.URLError as e:
        if isinstance(e.reason, (TimeoutError, socket.timeout)):
            raise PushError(f"the store did not answer {what} within {timeout:g} s", base, pushed) from None
        why = e.reason.strerror if isinstance(e.reason, OSError) and e.reason.strerror else str(e.reason)
        raise PushError(f"cannot reach the store for {what}: {why}", base, pushed) from None
    except http.client.HTTPException as e:  # BadStatusLine, RemoteDisconnected, ...: the answer is not HTTP
        raise PushError(f"the store's answer to {what} is not HTTP ({type(e).__name__})", base, pushed) from None
    except OSError as e:
        raise PushError(f"the connection to the store failed during {what}: {e.strerror or e}", base, pushed) from None


def _first_line(body: bytes) -> str:
    text = body[:300].decode("utf-8", "replace").strip()
    return " ".join(text.splitlines()[0].split())[:160] if text else ""
