"""A SPARQL query and its parameter values into a result, run on the store of the built dataset.

Parameters are bound as RDF terms, never pasted in as text: each value is a pyoxigraph term, written in
its N-Triples form (which escapes every quote, brace and backslash), and stands where the lexer found the
variable token ``?_name`` -- so a value is always exactly one term. Where a constant cannot stand (the
variable is projected bare, is the target of AS, or is listed by VALUES or GROUP BY), the term is joined
in through one ``VALUES`` row at the top of the WHERE clause instead. (pyoxigraph's own ``substitutions``
applies to projected variables only, and its optimiser does not push a VALUES row into UNION branches,
which made some catalogue queries 20 times slower than with the constant.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from .catalogue import PARAM_TYPES, CatalogueQuery, Param, params_of
from .errors import KgError
from .prefixes import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def value(term: Term | None) -> str:
    """The text of a term a query binds: an IRI, a blank node's id, a literal's lexical form, a triple term
    in N-Triples. A cell the query's pattern always binds is read with it; test for None first where it may not.

    >>> value(ox.Literal("18.9")), value(ox.NamedNode("http://example.org/a"))
    ('18.9', 'http://example.org/a')
    """
    if term is None:
        raise TypeError("an unbound variable has no value")
    return str(term) if isinstance(term, ox.Triple) else term.value


@dataclass
class Result:
    """What a query answered. ``kind``: "select" (variables and rows), "ask" (boolean), "graph" (triples)."""

    kind: str
    variables: tuple[str, ...] = ()
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False  # --limit cut the answer short

    def answer(self) -> Answer:
        """The result as an Answer, for the writers of kg/results.py."""
        items: list = self.rows if self.kind == "select" else self.triples
        return Answer(self.kind, self.variables, self.boolean, iter(items), self.truncated)


@dataclass
class Answer:
    """A query's answer as it streams from the engine: ``items`` yields the rows (select) or the triples
    (graph) as they are read, so an answer of any size is written without holding it; ``truncated`` is
    true once --limit has cut it short."""

    kind: str
    variables: tuple[str, ...] = ()
    boolean: bool | None = None
    items: Iterator = field(default_factory=lambda: iter(()))
    truncated: bool = False

    def collect(self) -> Result:
        items = list(self.items)
        if self.kind == "graph":
            return Result("graph", triples=items, truncated=self.truncated)
        return Result(self.kind, self.variables, items, self.boolean, truncated=self.truncated)


class QueryError(KgError):
    """An error at a position in a query: ``source:line:column: message``, then (for a syntax error) the
    offending line with a caret under the column."""

    def __init__(self, message: str, source: str, line: int, column: int, text_line: str | None = None):
        self.column = column
        self.text_line = text_line.expandtabs(4) if text_line is not None else None
        super().__init__(message, source, line)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}: {self.message}"
        if self.text_line is None:
            return where
        return f"{where}\n    {self.text_line}\n    {' ' * len(self.text_line[: self.column - 1])}^"

    @classmethod
    def at(cls, message: str, text: str, offset: int, source: str) -> QueryError:
        """The error at character ``offset`` of ``text`` (line and column counted from 1)."""
        line = text.count("\n", 0, offset) + 1
        return cls(message, source, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


class QueryTimeout(KgError):
    """The query ran longer than its time limit; it was stopped."""


#: Seconds a query kg runs for itself (lookup, describe, search, the network view, stats, analytics, the
#: checks of ``kg queries --check``) may take before it is stopped. The bundled ones take milliseconds.
INTERNAL_TIMEOUT = 60.0


def run_query(
    store: ox.Store,
    text: str,
    bindings: dict[str, Term] | None = None,
    *,
    limit: int | None = None,
    source: str = "<query>",
    timeout: float | None = INTERNAL_TIMEOUT,
    allow_service: bool = False,
) -> Result:
    """Run ``text`` on ``store`` with ``bindings`` (variable name without '?' -> term), the whole answer.

    Triple patterns see every named graph (kg/store.py makes the default graph their merge); the prefixes of
    kg/prefixes.py are declared for every query. ``source`` names the query in error messages. See
    ``stream_query`` for ``timeout`` and ``allow_service``.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode(PREFIXES["kgr"] + "a"), ox.NamedNode(PREFIXES["rdfs"] + "label"),
    ...                   ox.Literal("A", language="en")))
    >>> r = run_query(store, "SELECT ?e WHERE { ?e rdfs:label ?_name }", {"_name": ox.Literal("A", language="en")})
    >>> [row[0] == ox.NamedNode(PREFIXES["kgr"] + "a") for row in r.rows]
    [True]
    """
    answer = stream_query(store, text, bindings, limit=limit, source=source, timeout=timeout,
                          allow_service=allow_service)
    return answer.collect()


def stream_query(
    store: ox.Store,
    text: str,
    bindings: dict[str, Term] | None = None,
    *,
    limit: int | None = None,
    source: str = "<query>",
    timeout: float | None = INTERNAL_TIMEOUT,
    allow_service: bool = False,
) -> Answer:
    """Run ``text`` on ``store``; the answer streams from the engine as it is read.

    The text is checked first (``check_query``: no SERVICE unless ``allow_service``, no SPARQL Update, a
    bounded size and nesting). The engine then runs in a worker thread with a deep stack, and this thread
    waits for it -- so Ctrl-C (KeyboardInterrupt) ends the wait at once, and a query still running after
    ``timeout`` seconds (None: no limit), reading its answer included, is a QueryTimeout. pyoxigraph
    cannot be stopped from Python; the abandoned worker is a daemon thread, which ends with the process.

    Called in a thread of ``query_threads`` (kg serve runs each request in one), the engine runs in that
    thread, on its deep stack, and ``timeout`` is left to whoever gave the thread its job.
    """
    check_query(text, source, allow_service=allow_service)
    prepared = bind(text, bindings or {})
    worker = _Here(store, prepared, limit) if query_threads.inside() else _Worker(store, prepared, limit, timeout)
    first = worker.next(source)
    if isinstance(first, SyntaxError):
        worker.close()
        try:  # report the error where it is in the text as written, not in the bound text
            ox.Store().query(text, prefixes=PREFIXES)
        except SyntaxError as original:
            raise syntax_error(str(original), text, source) from None
        raise KgError(f"the query does not parse with its parameters bound: {first}", source) from None
    if isinstance(first, BaseException):
        worker.close()
        raise _engine_error(first, text, source) from None
    kind, variables, boolean = first
    answer = Answer(kind, variables, boolean)
    if kind != "ask":
        answer.items = worker.items(answer, text, source)
    return answer


_END = object()
#: Rows per hand-over from the worker thread: few enough to stream, enough to cost little per row.
_BATCH = 512
#: The worker's stack: the parser and evaluator recurse once per nesting level and per operand of a chain
#: (a || b || ...), and on the default 8 MiB a few thousand levels overflow it -- a segmentation fault,
#: not an error. Reserved, not used: only the pages a deep query touches are ever committed.
_STACK = 512 * 1024 * 1024


class QueryThreads:
    """The deep-stacked daemon threads that evaluate queries, each kept for the next query when it is done.

    Starting a thread maps its stack anew, which took 3 ms here (more than most catalogue queries take);
    handing a query to a waiting thread takes microseconds. A thread still busy (with a query past its
    time limit, abandoned) is not waiting, so a new one is started; at most IDLE wait, each WAIT seconds.
    A query asked for in one of these threads runs right there (``inside``): whoever gave that thread its
    job keeps the time limit (kg serve's App.run), and nothing is handed between threads."""

    IDLE = 8
    WAIT = 60.0

    def __init__(self) -> None:
        import os
        import threading

        self._mine = threading.local()
        self._forget()
        if hasattr(os, "register_at_fork"):  # a forked child has none of these threads (nor the lock's holder)
            os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        import threading

        self._lock = threading.Lock()
        self._waiting: list[Any] = []  # the inboxes of the threads waiting for a query

    def run(self, job: Callable[[], None]) -> None:
        """``job()`` in a waiting thread, or a new one. ``job`` raises nothing (it hands errors over)."""
        import queue
        import threading

        with self._lock:
            inbox = self._waiting.pop() if self._waiting else None
        if inbox is None:
            inbox = queue.SimpleQueue()
            thread = threading.Thread(target=self._serve, args=(inbox,), daemon=True, name="kg-query")
            try:
                previous = threading.stack_size(_STACK)
            except (ValueError, RuntimeError):  # a platform without a settable stack: the default one
                previous = None
            try:
                thread.start()
            finally:
                if previous is not None:
                    threading.stack_size(previous)
        inbox.put(job)

    def inside(self) -> bool:
        """Whether the calling thread is one of these."""
        return getattr(self._mine, "inside", False)

    def _serve(self, inbox: Any) -> None:
        import queue

        self._mine.inside = True
        while True:
            try:
                job = inbox.get(timeout=self.WAIT)
            except queue.Empty:
                with self._lock:
                    if inbox not in self._waiting:
                        continue  # taken at this moment: its query is on the way
                    self._waiting.remove(inbox)
                    return
            job()
            job = None  # dropped here, with the engine's answer it holds (pyoxigraph's objects stay in one thread)
            with self._lock:
                if len(self._waiting) >= self.IDLE:
                    return
                self._waiting.append(inbox)


#: The threads every query runs in (kg serve runs each request's query work in one: kg/serve/app.py).
query_threads = QueryThreads()


def _evaluate(store: ox.Store, text: str, limit: int | None) -> Generator[Any, None, None]:
    """The engine's answer to ``text`` in the pieces a reader takes: its kind (kind, variables, boolean),
    then batches of rows or triples, then _END, or a _Truncated when ``limit`` cut it short."""
    answer = store.query(text, prefixes=PREFIXES)
    if isinstance(answer, ox.QueryBoolean):
        yield ("ask", (), bool(answer))
        return
    if isinstance(answer, ox.QuerySolutions):
        yield ("select", tuple(v.value for v in answer.variables), None)
        convert = tuple
    else:
        yield ("graph", (), None)
        convert = None
    batch: list = []
    for count, item in enumerate(answer):
        if limit is not None and count >= limit:
            if batch:
                yield batch
            yield _Truncated()
            return
        batch.append(convert(item) if convert else item)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
    yield _END


class _Evaluation:
    """One query's evaluation as its reader sees it: ``next`` gives the next piece of ``_evaluate`` (or the
    exception that stopped it), ``close`` abandons it."""

    def next(self, source: str) -> Any:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def items(self, answer: Answer, text: str, source: str) -> Iterator:
        try:
            while True:
                got = self.next(source)
                if got is _END:
                    return
                if isinstance(got, _Truncated):
                    answer.truncated = True
                    return
                if isinstance(got, BaseException):
                    raise _engine_error(got, text, source) from None
                yield from got
        finally:
            self.close()


class _Here(_Evaluation):
    """The engine in the calling thread, one of ``query_threads`` (whose job's giver keeps the time limit)."""

    def __init__(self, store: ox.Store, text: str, limit: int | None):
        self.pieces = _evaluate(store, text, limit)

    def next(self, source: str) -> Any:
        try:
            return next(self.pieces)
        except StopIteration:
            return _END
        except Exception as e:  # noqa: BLE001 -- the reader raises it, as it does a worker's
            return e

    def close(self) -> None:
        self.pieces.close()


class _Worker(_Evaluation):
    """pyoxigraph evaluating one query in a thread of ``query_threads``, handing its answer over in batches;
    the reader waits at most until the deadline."""

    def __init__(self, store: ox.Store, text: str, limit: int | None, timeout: float | None):
        import queue
        import threading
        import time

        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.timeout = timeout
        self.queue: queue.Queue = queue.Queue(maxsize=4)
        self.stop = threading.Event()
        query_threads.run(lambda: self._run(store, text, limit))

    def _put(self, item: object) -> bool:
        import queue

        while not self.stop.is_set():
            try:
                self.queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self, store: ox.Store, text: str, limit: int | None) -> None:
        try:
            for piece in _evaluate(store, text, limit):
                if not self._put(piece):
                    return
        except BaseException as e:  # noqa: BLE001 -- handed to the reading thread, which raises it there
            # without its traceback: the frames it holds own pyoxigraph's answer, which may only be
            # dropped in this thread
            self._put(e.with_traceback(None))

    def next(self, source: str) -> Any:
        """The next thing the worker hands over (the answer's kind, a batch, the end, an exception); waits
        (interruptibly) until the deadline."""
        import queue
        import time

        remaining = None if self.deadline is None else max(0.0, self.deadline - time.monotonic())
        try:
            return self.queue.get(timeout=remaining)
        except queue.Empty:
            self.close()
            raise QueryTimeout(f"the query ran longer than the time limit of {self.timeout:g} s and was "
                               "stopped (--timeout SECONDS sets it)", source) from None
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self.stop.set()


class _Truncated:
    """The worker's word that --limit cut the answer short."""


def _engine_error(e: BaseException, text: str, source: str) -> BaseException:
    """An error the engine raised while evaluating, as the KgError a user reads."""
    message = str(e)
    m = re.match(r"The custom function <([^>]*)> is not supported", message)
    if m:
        at = _function_position(text, m[1])
        what = f"unknown function <{m[1]}> (SPARQL 1.1 functions and XSD casts only)"
        return QueryError.at(what, text, at, source) if at is not None else KgError(what, source)
    if isinstance(e, (OSError, RuntimeError, ValueError)):
        return KgError(f"the query failed: {message}", source)
    return e


def _function_position(text: str, iri: str) -> int | None:
    """Where the query calls the function ``iri`` (written <iri> or as a prefixed name), if it does."""
    declared = {**PREFIXES, **_declared_prefixes(text)}
    tokens = _tokens(text)
    for i, m in enumerate(tokens):
        if m.lastgroup == "iri":
            name, end = m[0][1:-1], i + 1
        elif m.lastgroup == "word" and m[0].endswith(":") and m[0][:-1] in declared:
            local = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].start() == m.end() else None
            name, end = declared[m[0][:-1]] + (local[0] if local is not None else ""), i + 1 + (local is not None)
        else:
            continue
        if name == iri and end < len(tokens) and tokens[end][0] == "(":
            return m.start()
    return None


# --- what kg query refuses before the engine sees a query ----------------------------------------------

#: The longest query text kg runs, and the deepest nesting of (), [] and {}. pyoxigraph's parser recurses
#: once per level and per operand of a chain; bounded here, and with the worker's deep stack, no query can
#: overflow it (a segmentation fault, not an error). The catalogue's longest query has 3,000 characters and
#: 6 levels.
MAX_QUERY_CHARS = 100_000
MAX_DEPTH = 200
#: SPARQL Update operations: kg query answers queries; the dataset is made by kg build, from data/.
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "DROP", "CLEAR", "LOAD", "CREATE", "ADD", "MOVE", "COPY"})
#: SPARQL keywords that make the engine reach the network (SERVICE sends the pattern to another server).
NETWORK_WORDS = frozenset({"SERVICE"})
QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
#: Texts that passed the checks (kg serve answers the same few queries again and again; the checks read
#: every token, about as long as the engine takes for a small query): at most this many, this long.
_CHECKED: dict[tuple[str, bool], None] = {}
_CHECKED_TEXTS, _CHECKED_CHARS = 256, 20_000
_OPENING, _CLOSING = "([{", ")]}"


def check_query(text: str, source: str = "<query>", *, allow_service: bool = False) -> None:
    """Refuse, with a QueryError at its position, what kg will not hand to the engine: text that is not
    UTF-8, a query longer than MAX_QUERY_CHARS or nested deeper than MAX_DEPTH, SERVICE (a request to
    another server) unless ``allow_service``, SPARQL Update, an undeclared prefix, and a first keyword that
    is no query form. Strings, IRIs and comments are skipped: the lexer tells them apart.

    >>> check_query('SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE')
    >>> check_query('SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.query.QueryError: <query>:1:18: SERVICE would send the query to another server; ...
    """
    key = (text, allow_service)
    if key in _CHECKED:
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        bad = text[e.start]
        byte = f"byte 0x{ord(bad) - 0xDC00:02x}" if 0xDC80 <= ord(bad) <= 0xDCFF else f"U+{ord(bad):04X}"
        raise QueryError.at(f"not UTF-8 text ({byte})", text, e.start, source) from None
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError.at(f"the query is {len(text):,} characters long; kg reads at most {MAX_QUERY_CHARS:,}",
                            text, MAX_QUERY_CHARS, source)
    declared = _declared_prefixes(text)
    tokens = _tokens(text)
    depth, form_seen = 0, False
    for i, m in enumerate(tokens):
        token = m[0]
        if token in _OPENING or m.lastgroup == "open":
            depth += 1
            if depth > MAX_DEPTH:
                raise QueryError.at(f"nested deeper than {MAX_DEPTH} levels of (), [] and {{}}", text, m.start(),
                                    source)
        elif token in _CLOSING or m.lastgroup == "close":
            depth -= 1
        if m.lastgroup != "word" or _is_local_part(tokens, i):
            continue
        word = token.upper()
        if token.endswith(":"):
            prefix = token[:-1]
            if prefix != "_" and prefix not in PREFIXES and prefix not in declared:
                raise QueryError.at(f"unknown prefix '{prefix}:' (declare it: PREFIX {prefix}: <...>)", text,
                                    m.start(), source)
        elif word in UPDATE_WORDS:
            raise QueryError.at(f"kg does not run SPARQL Update ({word}): the dataset is made from data/ "
                                "by kg build", text, m.start(), source)
        elif word in NETWORK_WORDS and not allow_service:
            raise QueryError.at(f"{word} would send the query to another server; kg answers from the built "
                                "dataset only (kg query --allow-service permits it)", text, m.start(), source)
        elif not form_seen and word not in ("PREFIX", "BASE"):
            form_seen = True
            if word not in QUERY_FORMS:
                line = text.count("\n", 0, m.start())
                raise QueryError(f"SPARQL syntax error: expected {', '.join(QUERY_FORMS[:-1])} or ASK, not "
                                 f"'{token}'", source, line + 1, m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1,
                                 text.splitlines()[line])
    if len(text) <= _CHECKED_CHARS:
        if len(_CHECKED) >= _CHECKED_TEXTS:
            _CHECKED.clear()
        _CHECKED[key] = None


def _is_local_part(tokens: list[re.Match], i: int) -> bool:
    """Whether word token ``i`` continues the token before it: the local part of a prefixed name (kgr:load)
    or of a blank node label (_:x), or a language tag ("x"@add)."""
    if i == 0 or tokens[i - 1].end() != tokens[i].start():
        return False
    before = tokens[i - 1][0]
    return before.endswith(":") or before == "@"


def _declared_prefixes(text: str) -> dict[str, str]:
    """The prefixes a query declares itself (PREFIX name: <iri>)."""
    tokens = _tokens(text)
    out = {}
    for i, m in enumerate(tokens[:-2]):
        if m.lastgroup == "word" and m[0].upper() == "PREFIX":
            name, iri = tokens[i + 1], tokens[i + 2]
            if name[0].endswith(":") and iri.lastgroup == "iri":
                out[name[0][:-1]] = iri[0][1:-1]
            elif name[0] == ":" and iri.lastgroup == "iri":
                out[""] = iri[0][1:-1]
    return out


# --- binding ---------------------------------------------------------------------------------------------

VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^\\]|\\.)*?'''|\"\"\"(?:[^\\]|\\.)*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][A-Za-z0-9_]+)
      | (?P<word>[A-Za-z_][A-Za-z0-9_.-]*:?)
      | (?P<open>\{) | (?P<close>\})
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_CLAUSES = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK", "WHERE", "FROM", "GROUP", "HAVING", "ORDER", "LIMIT",
            "OFFSET", "VALUES", "BIND"}


def _tokens(text: str) -> list[re.Match]:
    """The lexical tokens of a query, with comments and white space dropped."""
    return [m for m in _TOKEN.finditer(text) if m.lastgroup not in ("space", "comment")]


def where_clause_start(text: str) -> int | None:
    """The index just after the ``{`` that opens the query's (outermost) WHERE clause, or None when the
    text is not well enough formed to tell; the engine then reports what is wrong with it.

    >>> q = 'CONSTRUCT { ?s ?p "{" } WHERE { ?s ?p ?o }'
    >>> q[where_clause_start(q):]
    ' ?s ?p ?o }'
    """
    depth = 0
    form = None
    skip_template = False
    for m in _tokens(text):
        kind = m.lastgroup
        if kind == "word" and depth == 0 and not m[0].endswith(":"):
            word = m[0].upper()
            if word in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK") and form is None:
                form = word
                skip_template = word == "CONSTRUCT"
            elif word == "WHERE" and form is not None:
                skip_template = False
        elif kind == "open":
            if depth == 0 and form is not None and not skip_template:
                return m.end()
            depth += 1
        elif kind == "close":
            depth -= 1
            if depth == 0 and skip_template:
                skip_template = False  # the CONSTRUCT template is over; the next group is the WHERE clause
            if depth < 0:
                return None
    return None


def _occurrences(text: str) -> dict[str, list[tuple[int, int, bool]]]:
    """Each variable's tokens: (start, end, whether a constant may stand there).

    A constant may not stand for a variable that a SELECT projects bare, that follows AS, or that VALUES
    or GROUP BY lists."""
    out: dict[str, list[tuple[int, int, bool]]] = {}
    clause, parens, previous = None, 0, ""
    for m in _tokens(text):
        kind, token = m.lastgroup, m[0]
        if kind == "word" and token.upper() in _CLAUSES:
            clause, parens = token.upper(), 0
        elif (kind == "open" and clause != "VALUES") or kind == "close":
            clause = None
        elif token == "(":
            parens += 1
        elif token == ")":
            parens -= 1
        elif kind == "var":
            bare = parens == 0 and clause in ("SELECT", "GROUP")
            listed = clause == "VALUES"
            out.setdefault(token[1:], []).append((m.start(), m.end(), not (bare or listed or previous == "AS")))
        previous = token.upper() if kind == "word" else token
    return out


def bind(text: str, bindings: dict[str, Term]) -> str:
    """``text`` with each bound variable's tokens replaced by its term, or (where a constant cannot stand)
    with one ``VALUES`` row of those terms at the top of its WHERE clause.

    >>> bind('SELECT ?n WHERE { ?s ?p ?_t BIND(STRLEN(?_t) AS ?n) }', {"_t": ox.Literal('x"} }')})
    'SELECT ?n WHERE { ?s ?p "x\\\\"} }" BIND(STRLEN("x\\\\"} }") AS ?n) }'
    >>> bind('SELECT ?_t WHERE { ?s ?p ?_t }', {"_t": ox.Literal("x")})
    'SELECT ?_t WHERE { VALUES (?_t) { ("x") } ?s ?p ?_t }'
    """
    if not bindings:
        return text  # nothing to bind: no need to read the text (kg serve runs every query through here)
    for name in bindings:
        if not VARIABLE_NAME.match(name):
            raise KgError(f"'{name}' is not a variable name")
    terms = {name: str(term) for name, term in bindings.items()}  # N-Triples syntax, escaped by pyoxigraph
    if any("\n" in t or "\r" in t for t in terms.values()):
        raise KgError("a parameter value cannot be written as one term")  # N-Triples never needs a newline
    occurrences = _occurrences(text)
    joined = {n: t for n, t in terms.items() if not all(ok for _, _, ok in occurrences.get(n, []))}
    spliced = sorted((start, end, terms[n]) for n, occ in occurrences.items() if n in terms and n not in joined
                     for start, end, _ in occ)
    out, at = [], 0
    for start, end, term in spliced:
        out += [text[at:start], term]
        at = end
    text = "".join(out) + text[at:]
    if not joined:
        return text
    where = where_clause_start(text)
    if where is None:
        return text  # unparseable: run it unbound and let the engine say why
    row = f" VALUES ({' '.join(f'?{n}' for n in joined)}) {{ ({' '.join(joined.values())}) }}"
    return text[:where] + row + text[where:]


def bind_params(store: ox.Store, params: tuple[Param, ...], given: list[tuple[str, str]],
                source: str) -> dict[str, Term]:
    """The RDF terms for ``given`` (name, text) pairs and the defaults of the rest, checked against ``params``.

    An unknown, repeated or missing parameter is a KgError; so is a value that is not a term of the
    parameter's type, or an entity that nothing in the graph is called."""
    declared = {p.name: p for p in params}
    values: dict[str, str] = {}
    for raw, value in given:
        for what, text in (("a parameter name", raw), (f"parameter '{raw}'", value)):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as e:
                raise KgError(f"{what}: not UTF-8 text (character {e.start + 1})", source) from None
        name = raw.lstrip("?$").removeprefix("_")
        if name not in declared:
            takes = f"it takes: {', '.join(declared)}" if declared else "it takes none"
            raise KgError(f"unknown parameter '{name}' ({takes})", source)
        if name in values:
            raise KgError(f"parameter '{name}' is given twice", source)
        values[name] = value
    terms: dict[str, Term] = {}
    for p in params:
        given_value = values.get(p.name, p.default)
        if given_value is None:
            raise KgError(f"missing parameter '{p.name}' ({PARAM_TYPES.get(p.type, 'a term')}): "
                          f"give it with -p {p.name} VALUE", source)
        where, value = f"parameter '{p.name}': ", given_value
        try:
            if p.type == "entity":
                from .lookup import find_entity  # only now: it costs start-up time

                terms[p.variable] = find_entity(store, value)
            else:
                terms[p.variable] = parse_value(value, p.type, where)
        except KgError as e:
            raise KgError(e.message if e.message.startswith(where) else where + e.message, source) from None
    return terms


def query_with_params(store: ox.Store, text: str, given: Iterable[tuple[str, str]] = (), *, source: str = "<query>",
                      limit: int | None = None, timeout: float | None = INTERNAL_TIMEOUT,
                      allow_service: bool = False) -> Answer:
    """``kg query``: the query ``text`` with its parameters bound from ``given`` (name, value-as-text pairs;
    defaults for the rest), streaming its answer. What the CLI and a notebook both call."""
    check_query(text, source, allow_service=allow_service)  # before a parameter is looked up in the store
    bindings = bind_params(store, params_of(text, source), list(given), source)
    return stream_query(store, text, bindings, limit=limit, source=source, timeout=timeout,
                        allow_service=allow_service)


def run_checks(store: ox.Store, entries: list[CatalogueQuery], *, timeout: float | None = INTERNAL_TIMEOUT,
               allow_service: bool = False) -> Iterator[tuple[CatalogueQuery, Result]]:
    """``kg queries --check``: each ``*-violation`` query of ``entries`` with its answer (rows are faults)."""
    for q in entries:
        if q.is_check:
            yield q, run_query(store, q.text, source=str(q.path), timeout=timeout, allow_service=allow_service)


def parse_value(value: str, type: str, where: str = "") -> Term:
    """The term a parameter value given as text stands for, by the parameter's type (see catalogue.PARAM_TYPES;
    "entity" is resolved against the store by kg/lookup.py). Type "term" guesses: a quoted literal with
    a language tag or datatype ("Xu Hao"@en), an IRI or prefixed name, a number, else a string.

    >>> parse_value("kgr:minhang-district", "iri") == ox.NamedNode(PREFIXES["kgr"] + "minhang-district")
    True
    >>> parse_value('x" } ; DROP ALL', "string")
    <Literal value=x" } ; DROP ALL datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    >>> parse_value('"Xu Hao"@en', "term")
    <Literal value=Xu Hao language=en>
    >>> parse_value("12", "term")
    <Literal value=12 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    patterns = {"integer": r"[+-]?\d+", "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)", "date": r"\d{4}-\d{2}-\d{2}"}
    if type == "term":
        quoted = re.fullmatch(r'"([^"\\]*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(\S+))?', value.strip())
        if quoted and (quoted[3] is None or iri_of(quoted[3]) is not None):
            datatype = iri_of(quoted[3]) if quoted[3] else None
            return ox.Literal(quoted[1], language=quoted[2], datatype=datatype)
        if iri_of(value) is not None:
            type = "iri"
        else:
            type = next((t for t in ("integer", "decimal") if re.fullmatch(patterns[t], value)), "string")
    if type == "string":
        return ox.Literal(value)
    if type == "iri":
        iri = iri_of(value)
        if iri is None:
            raise KgError(f"{where}'{value}' is not an IRI or a prefixed name (known prefixes: kgr:, kg:, ...)")
        return iri
    if type in patterns:
        if not re.fullmatch(patterns[type], value.strip()):
            raise KgError(f"{where}'{value}' is not an xsd:{type}")
        return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + type))
    raise KgError(f"{where}unknown parameter type '{type}'")


def iri_of(value: str) -> ox.NamedNode | None:
    """``<iri>``, an absolute IRI (with ``://``, or a URN) or a prefixed name with a known prefix as a
    NamedNode; None for anything else, an unknown prefix included."""
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        v = v[1:-1]
    elif not re.match(r"^([A-Za-z][A-Za-z0-9+.-]*://|urn:)", v, re.IGNORECASE):
        m = re.fullmatch(r"([A-Za-z][\w.-]*)?:(\S*)", v)
        if not m or (m[1] or "") not in PREFIXES:
            return None
        v = PREFIXES[m[1] or ""] + m[2]
    if not re.fullmatch(r'[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|^`\\]*', v):
        return None
    try:
        return ox.NamedNode(v)
    except ValueError:
        return None


# --- errors ----------------------------------------------------------------------------------------------

_POSITION = re.compile(r"^error at (\d+):(\d+): ?(.*)$", re.DOTALL)


def syntax_error(message: str, text: str, source: str) -> KgError:
    """pyoxigraph's parser message as a KgError at the position in the text the user wrote."""
    m = _POSITION.match(message)
    if not m:
        return KgError(f"SPARQL syntax error: {message}", source)
    line, column, detail = int(m[1]), int(m[2]), m[3]
    lines = text.splitlines() or [""]
    rest = "\n".join(lines[line - 1:])[column - 1:] if line <= len(lines) else ""
    if not rest.strip():  # the parser ran off the end: point just after the last thing written
        line = max((i for i, t in enumerate(lines, 1) if t.strip()), default=1)
        column = len(lines[line - 1].rstrip()) + 1
    at_end = " (at the end of the query)" if not rest.strip() else ""
    text_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "Prefix not found" in detail:
        prefix, column = _undeclared_prefix(text_line, column)
        return QueryError(f"unknown prefix '{prefix}:' (declare it: PREFIX {prefix}: <...>)", source, line, column)
    return QueryError(f"SPARQL syntax error: {_tidy(detail)}{at_end}", source, line, column, text_line)


def _undeclared_prefix(line: str, column: int) -> tuple[str, int]:
    """The unknown prefix of the last prefixed name that starts before ``column``, and where it starts
    (pyoxigraph reports the position after the name)."""
    names = [m for m in re.finditer(r"(?<![\w?$<:])([A-Za-z][\w.-]*)?:", line) if m.start() < column]
    for m in reversed(names):
        if (m[1] or "") not in PREFIXES:
            return m[1] or "", m.start() + 1
    return (names[-1][1] or "", names[-1].start() + 1) if names else ("?", column)


def _tidy(detail: str) -> str:
    """pyoxigraph lists every expected character class; keep the tokens a person would type."""
    m = re.match(r"expected one of (.*)$", detail, re.DOTALL)
    if not m:
        return " ".join(detail.split())
    items = re.findall(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[^,\s\[][^,]*', m[1])
    words = [i.strip() for i in items if not i.startswith(("[", "'"))]
    sentences = [w for w in words if " " in w]  # a semantic message mixed into the list of tokens
    if sentences:
        return "; ".join(sentences)
    if not words:
        return "unexpected text here"
    shown = ", ".join(words[:12]) + (", ..." if len(words) > 12 else "")
    return f"expected one of {shown}"
