"""HTTP requests into answers from the built dataset: the SPARQL 1.1 Protocol (read-only), the Graph Store
Protocol's GET, linked-data pages for every IRI kg mints, and the network page, on Starlette and uvicorn.

Every query runs through kg/query.py as ``kg query`` runs it (check_query refuses SPARQL Update, LOAD and
SERVICE and bounds size and nesting; the catalogue's prefixes are declared), with a row limit. Each request
that reads the dataset runs in one of kg's deep-stacked query threads (App.run), the engine right in it, at
most ``Settings.concurrency`` at once, under a time limit. There is no route that writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import anyio
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import KgError
from ..formats import by_media_type
from ..prefixes import BASE, PREFIXES
from ..project import Project
from ..query import MAX_QUERY_CHARS, QueryError, query_threads, run_query, stream_query
from ..results import FORMATS, ResultFormat, write_result
from .generations import Generations, View

#: The largest request body read (a POSTed query, form-encoded, may be three times its text); larger is 413.
MAX_BODY = 4 * MAX_QUERY_CHARS
SD = "http://www.w3.org/ns/sparql-service-description#"
#: W3C's IRIs of result formats (https://www.w3.org/ns/formats/), for the service description.
FORMAT_IRIS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
               "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD",
               "rdfxml": "RDF_XML"}
#: Added to the network page's own policy (its CSP ``<meta>``, which allows exactly its inline scripts by
#: their hashes): framed only by kg serve's own index page, no base, no forms.
NETWORK_CSP_EXTRA = "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
#: The other pages: no script at all; forms post to kg serve only; the index frames the network page.
PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
#: Everything else (results, RDF, errors) is never a document that runs anything.
DATA_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"


@dataclass(frozen=True)
class Settings:
    """How kg serve answers. ``base`` is the public address of the server's root when it differs from the
    dataset's base IRI (behind a proxy): linked-data documents and links then use it."""

    timeout: float = 30.0  # seconds per query
    limit: int = 10_000  # rows (or triples) per answer
    concurrency: int = 4  # queries evaluated at once; the rest wait for a slot
    connections: int = 200  # open connections and tasks at once; more are answered 503 by uvicorn
    cors: str | None = None  # the one origin allowed to read answers from a browser, or none
    base: str | None = None
    allow_service: bool = False
    client_timeout: float = 10.0  # seconds a client may take to send its request body; slower is 408


class Offer:
    """A representation a route can give that is not a result format (the HTML page)."""

    def __init__(self, name: str, media_types: tuple[str, ...]):
        self.name, self.media_types = name, media_types


HTML = Offer("html", ("text/html", "application/xhtml+xml"))
SOLUTION_FORMATS = [FORMATS[n] for n in ("json", "xml", "csv", "tsv", "table")]
GRAPH_FORMATS = [FORMATS[n] for n in ("turtle", "nt", "jsonld", "rdfxml")]


class Problem(Exception):
    """A request kg serve will not answer: an HTTP status and one line saying why."""

    def __init__(self, status: int, message: str):
        self.status = status
        self.message = " ".join(message.split())
        super().__init__(self.message)


def line(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error answer: one line of plain text."""
    return Response(" ".join(message.split()) + "\n", status, headers, media_type="text/plain; charset=utf-8")


class App:
    """The routes over one project's built dataset."""

    def __init__(self, project: Project, settings: Settings):
        from ..catalogue import load_catalogue
        from .pages import Pages

        self.project = project
        self.settings = settings
        self.generations = Generations(project.build_dir)
        self.slots = asyncio.Semaphore(settings.concurrency)
        self.catalogue = {q.name: q for q in load_catalogue(project.queries_dir) if not q.is_check}
        self.web_base = settings.base
        self.pages = Pages(self)

    # --- helpers ------------------------------------------------------------------------------------

    def root_path(self) -> str:
        """The path of the server's root in links: '/' or, behind a proxy, the path of --base."""
        return urlsplit(self.web_base).path if self.web_base else "/"

    def href(self, iri: str) -> str:
        """Where a browser finds ``iri``: a path of this server for what kg mints, else the IRI itself."""
        if iri.startswith(BASE):
            rest = iri[len(BASE):]
            path, _, fragment = rest.partition("#")
            return self.root_path() + quote(path, safe="/") + (f"#{quote(fragment, safe='=,')}" if fragment else "")
        return iri

    def rebase(self, term: Any) -> Any:
        """``term`` with the dataset's base IRI replaced by --base (unchanged without one)."""
        if self.web_base and isinstance(term, ox.NamedNode) and term.value.startswith(BASE):
            return ox.NamedNode(self.web_base + term.value[len(BASE):])
        return term

    async def run(self, work: Callable[[], Response]) -> Response:
        """``work`` in one of kg's query threads (the queries it asks for run right in it, on its deep
        stack), at most ``concurrency`` at once; after ``--timeout`` seconds a TimeoutError (503), the
        thread left to finish on its own (pyoxigraph cannot be stopped) and its answer dropped there."""
        loop = asyncio.get_running_loop()
        async with self.slots:
            done: asyncio.Future[Response] = loop.create_future()

            def settle(outcome: Any, failed: bool) -> None:
                if done.done():  # given up on
                    return
                if failed:
                    done.set_exception(outcome)
                else:
                    done.set_result(outcome)

            def job() -> None:
                outcome: Any
                try:
                    outcome, failed = work(), False
                except BaseException as e:  # noqa: BLE001 -- raised in the request's task
                    outcome, failed = e.with_traceback(None), True  # its frames hold the engine's objects
                with contextlib.suppress(RuntimeError):  # the server has shut down meanwhile
                    loop.call_soon_threadsafe(settle, outcome, failed)

            query_threads.run(job)
            # the time limit as one timer on the loop: with the semaphore, 5 us a request where anyio's
            # CapacityLimiter and fail_after (a cancel scope) took 45 us
            timer = loop.call_later(self.settings.timeout, settle, TimeoutError(), True)
            try:
                return await done
            finally:
                timer.cancel()

    def view(self) -> View:
        return self.generations.current()

    # --- /sparql ------------------------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        params = list(request.query_params.multi_items())
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await read_body(request, self.settings.client_timeout)
            if ctype == "application/x-www-form-urlencoded":
                params += form_items(body)
            elif ctype == "application/sparql-query":
                params.append(("query", decode(body, "the query")))
            elif ctype == "application/sparql-update":
                raise Problem(403, "kg serve is read-only: SPARQL Update is not accepted "
                                   "(the dataset is made by kg build)")
            else:
                raise Problem(
                    415,
                    f"POST a query as application/sparql-query or application/x-www-form-urlencoded, "
                    f"not {ctype or 'a body without a Content-Type'}",
                )
        names = [k for k, _ in params]
        if "update" in names:
            raise Problem(403, "kg serve is read-only: SPARQL Update is not accepted (the dataset is made by kg build)")
        for unsupported in ("default-graph-uri", "named-graph-uri"):
            if unsupported in names:
                raise Problem(400, f"{unsupported} is not supported: name graphs with FROM or GRAPH in the query")
        queries = [v for k, v in params if k == "query"]
        if len(queries) > 1:
            raise Problem(400, "give one query parameter, not several")
        fmt = next((v for k, v in params if k == "format"), None)
        accept = request.headers.get("accept")
        if not queries:
            return await self.run(lambda: self.service_description(request, accept, fmt))
        text = queries[0]
        return await self.run(lambda: self.answer(text, accept, fmt))

    def answer(self, text: str, accept: str | None, fmt_name: str | None) -> Response:
        """A query's answer in the negotiated format (``format=NAME`` overrides the Accept header)."""
        view = self.view()
        s = self.settings
        try:
            answer = stream_query(view.store, text, limit=s.limit, source="query", allow_service=s.allow_service)
            fmt = choose(
                SOLUTION_FORMATS if answer.kind != "graph" else GRAPH_FORMATS,
                accept,
                fmt_name,
                "SELECT and ASK" if answer.kind != "graph" else "CONSTRUCT and DESCRIBE",
            )
            import io

            out = io.BytesIO()
            write_result(answer, fmt, out, view.store)
        except QueryError as e:
            return line(400, f"{e.path}:{e.line}:{e.column}: {e.message}")
        except KgError as e:
            return line(400, str(e))
        headers = {"X-Kg-Row-Limit": str(s.limit)}
        if answer.truncated:
            headers["X-Kg-Truncated"] = f"the answer was cut at {s.limit} rows"
        return Response(out.getvalue(), 200, headers, media_type=content_type(fmt))

    def service_description(self, request: Request, accept: str | None, fmt_name: str | None) -> Response:
        """The SPARQL 1.1 Service Description of the endpoint, as RDF."""
        endpoint = ox.NamedNode((self.web_base or str(request.base_url)) + "sparql")

        def sd(local: str) -> ox.NamedNode:
            return ox.NamedNode(SD + local)

        rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
        dataset, default = ox.BlankNode("dataset"), ox.BlankNode("default")
        triples = [
            ox.Triple(endpoint, rdf_type, sd("Service")),
            ox.Triple(endpoint, sd("endpoint"), endpoint),
            ox.Triple(endpoint, sd("supportedLanguage"), sd("SPARQL11Query")),
            ox.Triple(endpoint, sd("feature"), sd("UnionDefaultGraph")),
            ox.Triple(endpoint, sd("defaultDataset"), dataset),
            ox.Triple(dataset, rdf_type, sd("Dataset")),
            ox.Triple(dataset, sd("defaultGraph"), default),
            ox.Triple(default, rdf_type, sd("Graph")),
        ]
        triples += [
            ox.Triple(endpoint, sd("resultFormat"), ox.NamedNode("http://www.w3.org/ns/formats/" + iri))
            for iri in FORMAT_IRIS.values()
        ]
        for i, g in enumerate(self.graph_names(self.view())):
            named = ox.BlankNode(f"g{i}")
            triples += [ox.Triple(dataset, sd("namedGraph"), named), ox.Triple(named, sd("name"), self.rebase(g))]
        return self.rdf(triples, accept, fmt_name)

    def rdf(self, triples: list, accept: str | None, fmt_name: str | None, offers: list | None = None) -> Response:
        fmt = choose(offers or GRAPH_FORMATS, accept, fmt_name, "an RDF document")
        from ..query import Answer

        return Response(fmt.write(Answer("graph", items=iter(triples)), {}), 200, media_type=content_type(fmt))

    def graph_names(self, view: View) -> list[ox.NamedNode]:
        return sorted((g for g in view.store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)

    # --- linked data ----------------------------------------------------------------------------------

    async def entity(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        accept, fmt = request.headers.get("accept"), request.query_params.get("format")
        offer = choose([*GRAPH_FORMATS, HTML], accept, fmt, "a resource")
        kept = self.view().recall((BASE + "id/" + slug, offer.name))  # made before: no worker thread needed
        if kept is not None:
            return Response(kept.body, kept.status_code, headers=dict(kept.headers))
        return await self.run(lambda: self.resource(BASE + "id/" + slug, accept, fmt))

    async def ontology(self, request: Request) -> Response:
        accept, fmt = request.headers.get("accept"), request.query_params.get("format")
        return await self.run(lambda: self.graph_document(BASE + "graph/ontology", accept, fmt))

    def resource(self, iri: str, accept: str | None, fmt_name: str | None) -> Response:
        """What the graph says of ``iri``: an HTML page for a browser, else its triples (those with it as
        subject, and those that point at it) in the negotiated RDF format."""
        view = self.view()
        node = named(iri)
        if node is None or not run_query(view.store, "ASK { { ?_e ?p ?o } UNION { ?s ?p ?_e } }", {"_e": node}).boolean:
            raise Problem(404, f"nothing is known of <{iri}>")
        offer = choose([*GRAPH_FORMATS, HTML], accept, fmt_name, "a resource")
        kept = view.remembered((iri, offer.name), lambda: self.document(view, node, offer))
        return Response(kept.body, kept.status_code, headers=dict(kept.headers))  # a fresh one: headers are added

    def document(self, view: View, node: ox.NamedNode, offer: Any) -> Response:
        if offer is HTML:
            return self.pages.entity(view, node)
        result = run_query(
            view.store,
            "CONSTRUCT { ?_e ?p ?o . ?s ?q ?_e } WHERE { { ?_e ?p ?o } UNION { ?s ?q ?_e } }",
            {"_e": node},
            limit=self.settings.limit,
        )
        return self.rdf([self.rebase_triple(t) for t in result.triples], None, None, [offer])

    def rebase_triple(self, t: ox.Triple) -> ox.Triple:
        if not self.web_base:
            return t
        return ox.Triple(self.rebase(t.subject), self.rebase(t.predicate), self.rebase(t.object))

    async def graph(self, request: Request) -> Response:
        """The Graph Store Protocol's GET: /graph/NAME (a graph kg minted) or /graph?graph=IRI."""
        if "name" in request.path_params:
            iri = BASE + "graph/" + request.path_params["name"]
        elif "graph" in request.query_params:
            iri = request.query_params["graph"]
            if self.web_base and iri.startswith(self.web_base):
                iri = BASE + iri[len(self.web_base) :]
        else:
            raise Problem(400, "name a graph: /graph/NAME or /graph?graph=IRI (see /sparql for the list)")
        accept, fmt = request.headers.get("accept"), request.query_params.get("format")
        return await self.run(lambda: self.graph_document(iri, accept, fmt))

    def graph_document(self, iri: str, accept: str | None, fmt_name: str | None) -> Response:
        view = self.view()
        node = named(iri)
        if node is None or node not in set(view.store.named_graphs()):
            raise Problem(404, f"no graph <{iri}>")
        triples = [
            self.rebase_triple(ox.Triple(q.subject, q.predicate, q.object))
            for q in view.store.quads_for_pattern(None, None, None, node)
        ]
        return self.rdf(triples, accept, fmt_name)

    # --- pages ------------------------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        q = request.query_params
        return await self.run(lambda: self.pages.index(self.view(), q.get("name"), q.get("query")))

    async def network(self, request: Request) -> Response:
        return await self.run(lambda: self.pages.network(self.view()))

    async def search(self, request: Request) -> Response:
        text = request.query_params.get("q", "")
        return await self.run(lambda: self.pages.search(self.view(), text))


def named(iri: str) -> ox.NamedNode | None:
    try:
        return ox.NamedNode(iri)
    except ValueError:
        return None


def choose(offers: list, accept: str | None, fmt_name: str | None, what: str) -> Any:
    """The offer ``format=NAME`` names, else the one the Accept header prefers; 406 when none fits."""
    if fmt_name is not None:
        found = next((o for o in offers if o.name == fmt_name), None)
        if found is None:
            raise Problem(
                400, f"format '{fmt_name}' cannot write {what}; use one of: {', '.join(o.name for o in offers)}"
            )
        return found
    name = by_media_type(accept, offers)
    if name is None:
        media = ", ".join(m for o in offers for m in o.media_types[:1])
        raise Problem(
            406, f"none of the media types asked for (Accept: {accept}) can write {what}; kg serve offers: {media}"
        )
    return next(o for o in offers if o.name == name)


def content_type(fmt: ResultFormat) -> str:
    text = fmt.media_type.startswith("text/") or fmt.media_type.endswith(("+json", "+xml", "/json", "/xml"))
    return fmt.media_type + ("; charset=utf-8" if text or fmt.name == "nt" else "")


def decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Problem(400, f"{what} is not UTF-8 text (byte {e.start + 1})") from None


def form_items(body: bytes) -> list[tuple[str, str]]:
    try:
        return parse_qsl(
            body.decode("ascii"), keep_blank_values=True, strict_parsing=False, encoding="utf-8", errors="strict"
        )
    except (UnicodeDecodeError, ValueError) as e:
        raise Problem(400, f"the form is not URL-encoded UTF-8 ({e})") from None


async def read_body(request: Request, timeout: float) -> bytes:
    """The request body, at most MAX_BODY bytes, within ``timeout`` seconds (a slow client holds no worker)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        raise Problem(413, f"the request body is {int(declared):,} bytes; kg serve reads at most {MAX_BODY:,}")
    chunks, size = [], 0
    try:
        with anyio.fail_after(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_BODY:
                    raise Problem(413, f"the request body is over {MAX_BODY:,} bytes; kg serve reads at most that")
                chunks.append(chunk)
    except TimeoutError:
        raise Problem(408, f"the request body did not arrive within {timeout:g} s") from None
    return b"".join(chunks)


# --- the application and its headers ---------------------------------------------------------------------


def create_app(project: Project, settings: Settings | None = None) -> ASGIApp:
    """The ASGI application serving ``project``'s built dataset (build it first: kg.build.ensure_built)."""
    settings = settings or Settings()
    if settings.base is not None and not settings.base.endswith("/"):
        settings = Settings(**{**settings.__dict__, "base": settings.base + "/"})
    app = App(project, settings)

    async def problem(request: Request, exc: Exception) -> Response:
        if isinstance(exc, Problem):
            status, message = exc.status, exc.message
        elif isinstance(exc, HTTPException):
            status, message = exc.status_code, str(exc.detail)
            if status == 405:
                message = f"{request.method} is not allowed on {request.url.path}: kg serve is read-only"
        elif isinstance(exc, TimeoutError):  # App.run's time limit
            status = 503
            message = f"the query ran longer than the time limit of {settings.timeout:g} s and was stopped"
        else:  # KgError from the dataset itself (no build)
            status, message = 503, str(exc)
        if status == 404:
            slug = request.url.path.rstrip("/").rsplit("/", 1)[-1]
            link = f"{app.root_path()}search?q={quote(slug)}"
            message = f"{message or 'not found'}: {request.url.path}; search for it: {link}"
            if "text/html" in request.headers.get("accept", ""):
                return app.pages.not_found(message, link)
        return line(status, message)

    routes = [
        Route("/", app.index, methods=["GET"]),
        Route("/network", app.network, methods=["GET"]),
        Route("/search", app.search, methods=["GET"]),
        Route("/sparql", app.sparql, methods=["GET", "POST"]),
        Route("/id/{slug:path}", app.entity, methods=["GET"]),
        Route("/graph/{name:path}", app.graph, methods=["GET"]),
        Route("/graph", app.graph, methods=["GET"]),
        Route("/ontology", app.ontology, methods=["GET"]),
    ]
    handlers: dict[Any, Any] = {Problem: problem, HTTPException: problem, KgError: problem, TimeoutError: problem}
    starlette = Starlette(routes=routes, exception_handlers=handlers)
    asgi: ASGIApp = SecurityHeaders(starlette)
    if settings.cors:
        from starlette.middleware.cors import CORSMiddleware

        asgi = CORSMiddleware(
            asgi,
            allow_origins=[settings.cors],
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=["X-Kg-Row-Limit", "X-Kg-Truncated"],
        )
    return asgi


class SecurityHeaders:
    """Headers on every answer: a Content-Security-Policy fitting what it is (a route may set its own), no
    MIME sniffing, no referrer, no framing by other sites. A pure ASGI wrapper: no cost per body chunk."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = secured(message.get("headers", ()))
            await send(message)

        await self.app(scope, receive, send_with_headers)


#: Set on every answer, replacing any a route set.
FIXED_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                 (b"cross-origin-opener-policy", b"same-origin")]
_FIXED_NAMES = frozenset(name for name, _ in FIXED_HEADERS)


def secured(headers: Any) -> list[tuple[bytes, bytes]]:
    """An answer's raw headers (lower-case names, as Starlette gives them) with the security headers: in one
    pass, where setting each through MutableHeaders scanned and rebuilt the list every time."""
    out = [(k, v) for k, v in headers if k not in _FIXED_NAMES]
    names = {k for k, _ in out}
    html = any(k == b"content-type" and v.startswith(b"text/html") for k, v in out)
    out += FIXED_HEADERS
    if b"content-security-policy" not in names:
        out.append((b"content-security-policy", (PAGE_CSP if html else DATA_CSP).encode()))
    if b"x-frame-options" not in names:
        out.append((b"x-frame-options", b"DENY"))
    return out


# --- running it -------------------------------------------------------------------------------------------


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: a free port); a KgError when it cannot be had."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as e:
        raise KgError(f"cannot listen on {host}:{port}: {e.strerror}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as e:
        sock.close()
        hint = " (another server is using it; give another --port)" if e.errno == 98 else ""
        raise KgError(f"cannot listen on {host}:{port}: {e.strerror}{hint}") from None
    sock.set_inheritable(True)
    return sock


def serve(
    project: Project,
    settings: Settings | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve ``project`` until Ctrl-C (KeyboardInterrupt once uvicorn has shut down cleanly).

    The dataset is built first when its inputs changed; while serving, a new generation written by
    ``kg build`` is picked up by the next request (kg/serve/generations.py)."""
    from ..build import ensure_built

    settings = settings or Settings()
    built = ensure_built(project)
    what = f"{built.triples:,} triples of {_rel(built.generation, project.root)}"
    run_app(
        create_app(project, settings),
        settings,
        host,
        port,
        lambda url: announce(f"Serving {what} on {url} (SPARQL: {url}sparql, entities: {url}id/...); Ctrl-C stops"),
    )


def run_app(app: ASGIApp, settings: Settings, host: str, port: int, started: Callable[[str], None]) -> None:
    """Run ``app`` on uvicorn on ``host``:``port``; ``started`` is told the URL once the port is bound."""
    import uvicorn

    sock = listen(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    shown_host = f"[{bound_host}]" if ":" in bound_host else bound_host
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        lifespan="off",
        limit_concurrency=settings.connections,
        timeout_keep_alive=5,
        timeout_graceful_shutdown=5,
    )
    started(f"http://{shown_host}:{bound_port}/")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


def _rel(path: Path | None, root: Path) -> str:
    if path is None:
        return "build/"
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
