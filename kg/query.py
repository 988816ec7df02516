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
from dataclasses import dataclass, field

import pyoxigraph as ox

from .errors import KgError
from .prefixes import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass
class Result:
    """What a query answered. ``kind``: "select" (variables and rows), "ask" (boolean), "graph" (triples)."""

    kind: str
    variables: tuple[str, ...] = ()
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False  # --limit cut the answer short


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


def run_query(
    store: ox.Store,
    text: str,
    bindings: dict[str, Term] | None = None,
    *,
    limit: int | None = None,
    source: str = "<query>",
) -> Result:
    """Run ``text`` on ``store`` with ``bindings`` (variable name without '?' -> term).

    Triple patterns see every named graph (kg/store.py makes the default graph their merge); the prefixes of
    kg/prefixes.py are declared for every query. ``source`` names the query in error messages.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode(PREFIXES["kgr"] + "a"), ox.NamedNode(PREFIXES["rdfs"] + "label"),
    ...                   ox.Literal("A", language="en")))
    >>> r = run_query(store, "SELECT ?e WHERE { ?e rdfs:label ?_name }", {"_name": ox.Literal("A", language="en")})
    >>> [row[0] == ox.NamedNode(PREFIXES["kgr"] + "a") for row in r.rows]
    [True]
    """
    prepared = bind(text, bindings or {})
    try:
        answer = store.query(prepared, prefixes=PREFIXES)
    except SyntaxError as e:
        try:  # report the error where it is in the text as written, not in the bound text
            ox.Store().query(text, prefixes=PREFIXES)
        except SyntaxError as original:
            raise syntax_error(str(original), text, source) from None
        raise KgError(f"the query does not parse with its parameters bound: {e}", source) from None
    try:
        return _collect(answer, limit)
    except (OSError, RuntimeError, ValueError) as e:
        raise KgError(f"the query failed: {e}", source) from None


def _collect(answer, limit: int | None) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        rows: list[tuple] = []
        for solution in answer:
            if limit is not None and len(rows) >= limit:
                return Result("select", variables, rows, truncated=True)
            rows.append(tuple(solution))
        return Result("select", variables, rows)
    triples: list[ox.Triple] = []
    for triple in answer:
        if limit is not None and len(triples) >= limit:
            return Result("graph", triples=triples, truncated=True)
        triples.append(triple)
    return Result("graph", triples=triples)


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
        elif kind == "open" and clause != "VALUES" or kind == "close":
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
