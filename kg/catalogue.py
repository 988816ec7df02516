"""queries/*.rq files into catalogue entries: number, slug, summary, description, parameters, tags, text.

A catalogued query is one SPARQL query per file named ``NNN_slug.rq``, with a header in ``#+`` comment
lines, so the file stays valid SPARQL (the convention of CLARIAH/grlc)::

    #+ summary: What the briefing links to a zone
    #+ description: Every park, place or programme linked to ?_zone,
    #+   continued on indented lines.
    #+ params:
    #+   zone: entity = kgr:greater-neo-bay ; the zone: a label, an alias, a prefixed name or an IRI
    #+ tags: places, zones

A parameter ``name`` is the variable ``?_name`` in the query. Its type says how a value given on the
command line becomes an RDF term (see ``PARAM_TYPES``); without a default it must be given. Files named
``*-violation.rq`` are checks: they must return no rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import KgError
from .suggest import did_you_mean, suggest

#: How a parameter's value (text from the command line) becomes an RDF term; kg/query.py does it.
PARAM_TYPES = {
    "entity": "an entity by label, alias, prefixed name or IRI (case-insensitive)",
    "iri": "a prefixed name (kgr:minhang-district) or an IRI",
    "string": "a plain string literal",
    "integer": "an xsd:integer",
    "decimal": "an xsd:decimal",
    "date": "an xsd:date (YYYY-MM-DD)",
    "term": "a quoted literal (\"x\"@en), an IRI or prefixed name, a number, else a string",
}
HEADER_KEYS = ("summary", "description", "params", "tags")
FILE_NAME = re.compile(r"^(?P<number>\d{3})_(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.rq$")
PARAM = re.compile(
    r"^(?P<name>[A-Za-z][A-Za-z0-9_]*)\s*:\s*(?P<type>[a-z]+)\s*(?:=\s*(?P<default>[^;]*?))?\s*(?:;\s*(?P<help>.*))?$"
)


@dataclass(frozen=True)
class Param:
    """A parameter: the variable ``?_name``, bound to a term of ``type``."""

    name: str
    type: str
    default: str | None
    help: str

    @property
    def variable(self) -> str:
        return f"_{self.name}"


@dataclass(frozen=True)
class CatalogueQuery:
    """One catalogued query. ``name`` is the slug: ``kg query enterprises-by-zone``."""

    path: Path
    number: int
    name: str
    summary: str
    description: str
    params: tuple[Param, ...]
    tags: tuple[str, ...]
    text: str

    @property
    def is_check(self) -> bool:
        """A ``*-violation`` query: any row it returns is a fault in the data."""
        return self.name.endswith("-violation")

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def load_catalogue(queries_dir: Path) -> list[CatalogueQuery]:
    """Every ``NNN_slug.rq`` of ``queries_dir``, in number order; a malformed header is a KgError."""
    if not queries_dir.is_dir():
        return []
    entries = [read_query(p) for p in sorted(queries_dir.glob("*.rq"))]
    seen: dict[str, Path] = {}
    for q in entries:
        if q.name in seen:
            raise KgError(f"query name '{q.name}' is used twice (also {seen[q.name].name})", q.path)
        seen[q.name] = q.path
    return entries


def read_query(path: Path) -> CatalogueQuery:
    """One catalogued query file: its name from the file name, the rest from its header."""
    m = FILE_NAME.match(path.name)
    if not m:
        raise KgError("a catalogued query file is named NNN_slug.rq (e.g. 010_enterprises-by-zone.rq)", path)
    text = read_text(path)
    header = parse_header(text, path)
    for key in ("summary", "description", "tags"):
        if not header.get(key):
            raise KgError(f"header has no '#+ {key}:' line", path, 1)
    params = tuple(_param(line, lineno, path) for line, lineno in header.get("params", []))
    for p in params:
        if not re.search(rf"\?{re.escape(p.variable)}\b", text):
            raise KgError(f"parameter '{p.name}' is declared but ?{p.variable} does not occur in the query", path)
    return CatalogueQuery(
        path=path,
        number=int(m["number"]),
        name=m["slug"],
        summary=_joined(header["summary"]),
        description=_joined(header["description"]),
        params=params,
        tags=tuple(t.strip() for t in _joined(header["tags"]).split(",") if t.strip()),
        text=text,
    )


def read_text(path: Path) -> str:
    """A query file's text; not UTF-8 is bad input, reported like any other."""
    try:
        return decode_text(path.read_bytes(), path)
    except IsADirectoryError:
        raise KgError("is a folder, not a query file", path) from None


def decode_text(raw: bytes, source: Path | str) -> str:
    """Query text from a file or standard input: UTF-8, line ends as Python's text mode reads them."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise KgError(f"not UTF-8 text (byte {e.start})", source) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_header(text: str, path: Path | str) -> dict[str, list[tuple[str, int]]]:
    """The ``#+ key: value`` lines at the top of a query, each key to its (line, line number) pairs.

    An indented ``#+`` line continues the key above it.

    >>> h = parse_header("#+ summary: Counts\\n#+ tags: a,\\n#+   b\\nSELECT * {}", "q.rq")
    >>> h["summary"], [line for line, _ in h["tags"]]
    ([('Counts', 1)], ['a,', 'b'])
    """
    header: dict[str, list[tuple[str, int]]] = {}
    key = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.startswith("#+"):
            if raw.strip() and not raw.lstrip().startswith("#"):
                break  # the query proper begins
            continue
        body = raw[2:]
        if body.startswith(("   ", "\t")):  # continuation of the key above
            if key is None:
                raise KgError("indented '#+' line before any header key", path, lineno)
            header[key].append((body.strip(), lineno))
            continue
        m = re.match(r"^\s*([a-z]+)\s*:\s*(.*)$", body)
        if not m:
            raise KgError("a header line reads '#+ key: value'", path, lineno)
        key, value = m[1], m[2].strip()
        if key not in HEADER_KEYS:
            hint = did_you_mean(suggest(key, HEADER_KEYS, n=1), f" (known: {', '.join(HEADER_KEYS)})")
            raise KgError(f"unknown header key '{key}'{hint}", path, lineno)
        if key in header:
            raise KgError(f"header key '{key}' appears twice", path, lineno)
        header[key] = [(value, lineno)] if value else []
    return header


def find_query(catalogue: list[CatalogueQuery], name: str, where: Path) -> CatalogueQuery:
    """The catalogued query called ``name`` (its slug, its number or its file name), else a KgError
    suggesting the closest names."""
    key = name.removesuffix(".rq")
    for q in catalogue:
        if key in (q.name, q.path.stem, f"{q.number:03d}", str(q.number)):
            return q
    close = suggest(key, [q.name for q in catalogue], cutoff=0.5, containing=True)
    hint = did_you_mean(close, "; `kg queries` lists them")
    raise KgError(f"no query named '{name}' in the catalogue{hint}", where)


def _param(line: str, lineno: int, path: Path) -> Param:
    m = PARAM.match(line)
    if not m:
        raise KgError("a parameter reads 'name: type = default ; help' (default and help optional)", path, lineno)
    if m["type"] not in PARAM_TYPES:
        raise KgError(f"unknown parameter type '{m['type']}' (known: {', '.join(PARAM_TYPES)})", path, lineno)
    default = m["default"].strip() if m["default"] is not None and m["default"].strip() else None
    return Param(m["name"], m["type"], default, (m["help"] or "").strip())


def _joined(lines: list[tuple[str, int]]) -> str:
    return " ".join(line for line, _ in lines)


def params_of(text: str, path: Path | str) -> tuple[Param, ...]:
    """The parameters of any query text: those its header declares, else each ``?_name`` it uses (type
    "term": an IRI or prefixed name, a number, else a string; no default)."""
    header = parse_header(text, path)
    if "params" in header:
        return tuple(_param(line, lineno, Path(path)) for line, lineno in header["params"])
    names = dict.fromkeys(re.findall(r"[?$]_([A-Za-z0-9][A-Za-z0-9_]*)", text))
    return tuple(Param(n, "term", None, "") for n in names)


def load_query(ref: str, queries_dir: Path) -> tuple[str, str]:
    """The text of the query ``ref`` names, and the source to name it by in messages: a ``.rq``/``.sparql``
    file (or any path), else a catalogued query by slug, number or file name."""
    if ref.endswith((".rq", ".sparql")) or "/" in ref or "\\" in ref:
        return read_text(Path(ref)), ref
    entry = find_query(load_catalogue(queries_dir), ref, queries_dir)
    return entry.text, str(entry.path)
