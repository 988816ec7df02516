"""Query results into the formats people and other tools read: a registry of result formats.

SELECT and ASK: table, markdown (for people: compact names, labels beside IRIs), csv (SPARQL 1.1 CSV,
RFC 4180), tsv (SPARQL 1.1 TSV), json (SPARQL 1.1 Query Results JSON), xml (SPARQL Query Results XML).
CONSTRUCT and DESCRIBE: turtle, nt (N-Triples), jsonld, rdfxml. Each has its media types, by which
kg serve negotiates. ``register_result_format()`` adds one; tests loop over every entry.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .errors import KgError
from .prefixes import PREFIXES, labelled
from .query import Answer, Result, Term

#: A string as JSON writes it without ensure_ascii (quotes, backslashes and control characters escaped).
_json_string: Callable[[str], str] = json.encoder.encode_basestring
_XSD_STRING = PREFIXES["xsd"] + "string"

SOLUTIONS = frozenset({"select", "ask"})
GRAPH = frozenset({"graph"})


@dataclass(frozen=True)
class ResultFormat:
    """A result format: the kinds of result it writes, and whether it shows labels (``labels``)."""

    name: str
    kinds: frozenset[str]
    media_type: str
    writer: Callable[[Answer, dict[str, str], BinaryIO], None]
    extensions: tuple[str, ...] = ()
    labels: bool = False
    streams: bool = False  # writes each row as it comes (else it needs them all first: widths, sorting)
    help: str = ""
    also: tuple[str, ...] = ()  # other media types that ask for it (application/json for json)

    @property
    def media_types(self) -> tuple[str, ...]:
        """Every media type that asks for this format, its own first (kg/formats.py's by_media_type)."""
        return (self.media_type, *self.also)

    def write(self, result: Result | Answer, labels: dict[str, str]) -> bytes:
        """The result in this format, as bytes."""
        out = io.BytesIO()
        self.writer(result.answer() if isinstance(result, Result) else result, labels, out)
        return out.getvalue()


# --- terms -------------------------------------------------------------------------------------------

def _human(term: Term | None, labels: dict[str, str], shown: frozenset[str] = frozenset()) -> str:
    """A term for people: prefixed names, a label beside an IRI that has one (unless the row already
    shows that label, in ``shown``), literals as their text."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        label = labels.get(term.value)
        return labelled(term.value, None if label in shown else label)
    if isinstance(term, ox.Literal):
        return " ".join(term.value.split())
    return str(term)


def _human_row(row: tuple, labels: dict[str, str]) -> list[str]:
    shown = frozenset(t.value for t in row if isinstance(t, ox.Literal))
    return [_human(t, labels, shown) for t in row]


def _json_term(term: Term) -> str:
    """A term as SPARQL 1.1 JSON writes it: the text json.dumps gives its object (ensure_ascii=False), built
    from its strings, which made writing a catalogue query's answer take 0.31 ms instead of 0.56 ms."""
    if isinstance(term, ox.NamedNode):
        return '{"type": "uri", "value": ' + _json_string(term.value) + "}"
    if isinstance(term, ox.BlankNode):
        return '{"type": "bnode", "value": ' + _json_string(term.value) + "}"
    if isinstance(term, ox.Triple):
        parts = ", ".join(f'"{k}": {_json_term(getattr(term, k))}' for k in ("subject", "predicate", "object"))
        return '{"type": "triple", "value": {' + parts + "}}"
    text = '{"type": "literal", "value": ' + _json_string(term.value)
    if term.language:
        return text + ', "xml:lang": ' + _json_string(term.language) + "}"
    if term.datatype.value != _XSD_STRING:
        return text + ', "datatype": ' + _json_string(term.datatype.value) + "}"
    return text + "}"


def _csv_term(term: Term | None) -> str:
    """SPARQL 1.1 CSV: IRIs and literals by their plain text, blank nodes as _:label."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _tsv_term(term: Term | None) -> str:
    """SPARQL 1.1 TSV: every term in its Turtle/N-Triples form (escaped, so never a tab or newline)."""
    return "" if term is None else str(term)


# --- writers -----------------------------------------------------------------------------------------

def _ask_text(answer: Answer) -> bytes:
    return b"true\n" if answer.boolean else b"false\n"


def text_table(header: list[str], rows: Iterable[list[str]], right: frozenset[int] = frozenset()) -> list[str]:
    """Lines of an aligned text table: the header, a rule, the rows; wide characters count double,
    the columns in ``right`` are aligned to the right. kg's one table renderer (query results, stats)."""
    cells = [list(header)] + [list(r) for r in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(header))]

    def line(values: list[str]) -> str:
        return "  ".join(_pad(v, w, i in right) for i, (v, w) in enumerate(zip(values, widths, strict=True))).rstrip()

    return [line(cells[0]), "  ".join("-" * w for w in widths)] + [line(r) for r in cells[1:]]


def write_table(answer: Answer, labels: dict[str, str], out: BinaryIO) -> None:
    """An aligned text table (wide characters counted double), with the row count under it."""
    if answer.kind == "ask":
        out.write(_ask_text(answer))
        return
    rows = list(answer.items)
    lines = text_table(list(answer.variables), (_human_row(row, labels) for row in rows))
    n = len(rows)
    lines.append(f"({n} row{'s' if n != 1 else ''}{', cut by --limit' if answer.truncated else ''})")
    out.write(("\n".join(lines) + "\n").encode("utf-8"))


def write_markdown(answer: Answer, labels: dict[str, str], out: BinaryIO) -> None:
    """A GitHub-flavoured Markdown table; a | in a value is escaped."""
    if answer.kind == "ask":
        out.write(_ask_text(answer))
        return
    esc = lambda s: s.replace("\\", "\\\\").replace("|", "\\|")  # noqa: E731
    lines = ["| " + " | ".join(answer.variables) + " |", "|" + "|".join("---" for _ in answer.variables) + "|"]
    lines += ["| " + " | ".join(esc(cell) for cell in _human_row(row, labels)) + " |" for row in answer.items]
    out.write(("\n".join(lines) + "\n").encode("utf-8"))


def _lines(out: BinaryIO, lines: Iterable[str]) -> None:
    """Write ``lines`` a batch at a time: streamed, without a system call per row."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == 256:
            out.write("".join(batch).encode("utf-8"))
            batch = []
    out.write("".join(batch).encode("utf-8"))


def write_csv(answer: Answer, labels: dict[str, str], out: BinaryIO) -> None:
    """SPARQL 1.1 Query Results CSV: RFC 4180, CRLF line ends, a header of variable names."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")

    def line(values: list[str]) -> str:
        buf.seek(0)
        buf.truncate()
        w.writerow(values)
        return buf.getvalue()

    if answer.kind == "ask":
        _lines(out, [line(["boolean"]), line(["true" if answer.boolean else "false"])])
    else:
        _lines(out, [line(list(answer.variables))])
        _lines(out, (line([_csv_term(t) for t in row]) for row in answer.items))


def write_tsv(answer: Answer, labels: dict[str, str], out: BinaryIO) -> None:
    """SPARQL 1.1 Query Results TSV: a header of ?variables, terms in N-Triples form."""
    if answer.kind == "ask":
        out.write(b"?boolean\n" + (b"true\n" if answer.boolean else b"false\n"))
        return
    _lines(out, ["\t".join(f"?{v}" for v in answer.variables) + "\n"])
    _lines(out, ("\t".join(_tsv_term(t) for t in row) + "\n" for row in answer.items))


def write_json(answer: Answer, labels: dict[str, str], out: BinaryIO) -> None:
    """SPARQL 1.1 Query Results JSON (application/sparql-results+json), one binding per line."""
    if answer.kind == "ask":
        doc = {"head": {}, "boolean": bool(answer.boolean)}
        out.write((json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        return
    head = json.dumps({"vars": list(answer.variables)}, ensure_ascii=False)
    out.write(f'{{"head": {head},\n "results": {{"bindings": [\n'.encode())
    keys = [_json_string(v) + ": " for v in answer.variables]

    def bindings() -> Iterator[str]:
        for i, row in enumerate(answer.items):
            cells = ", ".join(k + _json_term(t) for k, t in zip(keys, row, strict=True) if t is not None)
            yield ("  {" if i == 0 else ",\n  {") + cells + "}"

    _lines(out, bindings())
    out.write(b"\n]}}\n")


def write_xml(answer: Answer, labels: dict[str, str], out: BinaryIO) -> None:
    """SPARQL Query Results XML Format (application/sparql-results+xml), one result per line."""
    from xml.sax.saxutils import escape, quoteattr

    def term(t: Term) -> str:
        if isinstance(t, ox.NamedNode):
            return f"<uri>{escape(t.value)}</uri>"
        if isinstance(t, ox.BlankNode):
            return f"<bnode>{escape(t.value)}</bnode>"
        if isinstance(t, ox.Triple):
            parts = "".join(f"<{k}>{term(getattr(t, k))}</{k}>" for k in ("subject", "predicate", "object"))
            return f"<triple>{parts}</triple>"
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != PREFIXES["xsd"] + "string":
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"

    head = '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
    if answer.kind == "ask":
        out.write(
            (head + "<head/>\n<boolean>" + ("true" if answer.boolean else "false") + "</boolean>\n</sparql>\n").encode()
        )
        return
    variables = "".join(f"<variable name={quoteattr(v)}/>" for v in answer.variables)
    out.write(f"{head}<head>{variables}</head>\n<results>\n".encode())

    def results() -> Iterator[str]:
        for row in answer.items:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{term(t)}</binding>"
                for v, t in zip(answer.variables, row, strict=True)
                if t is not None
            )
            yield f"<result>{cells}</result>\n"

    _lines(out, results())
    out.write(b"</results>\n</sparql>\n")


def _graph_writer(fmt: ox.RdfFormat) -> Callable[[Answer, dict[str, str], BinaryIO], None]:
    def write(answer: Answer, labels: dict[str, str], out: BinaryIO) -> None:
        triples = sorted(answer.items, key=str)  # the same answer always prints the same
        used = {t.value for tr in triples for t in (tr.subject, tr.predicate, tr.object) if isinstance(t, ox.NamedNode)}
        used |= {tr.object.datatype.value for tr in triples if isinstance(tr.object, ox.Literal)}
        prefixes = {p: ns for p, ns in PREFIXES.items() if any(i.startswith(ns) for i in used)}
        if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML):
            data = ox.serialize(triples, format=fmt) or b""
        else:
            data = ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
        out.write(data if data.endswith(b"\n") or not data else data + b"\n")

    return write


FORMATS: dict[str, ResultFormat] = {
    f.name: f
    for f in (
        ResultFormat(
            "table",
            SOLUTIONS,
            "text/plain",
            write_table,
            ("txt",),
            labels=True,
            help="aligned columns, labels beside IRIs (the default on a terminal)",
        ),
        ResultFormat(
            "csv",
            SOLUTIONS,
            "text/csv",
            write_csv,
            ("csv",),
            streams=True,
            help="SPARQL 1.1 CSV, RFC 4180 (the default when piped)",
        ),
        ResultFormat(
            "tsv",
            SOLUTIONS,
            "text/tab-separated-values",
            write_tsv,
            ("tsv",),
            streams=True,
            help="SPARQL 1.1 TSV, terms in N-Triples form",
        ),
        ResultFormat(
            "json",
            SOLUTIONS,
            "application/sparql-results+json",
            write_json,
            ("json", "srj"),
            streams=True,
            help="SPARQL 1.1 JSON results",
            also=("application/json",),
        ),
        ResultFormat(
            "xml",
            SOLUTIONS,
            "application/sparql-results+xml",
            write_xml,
            ("srx", "xml"),
            streams=True,
            help="SPARQL Query Results XML",
            also=("application/xml", "text/xml"),
        ),
        ResultFormat(
            "markdown",
            SOLUTIONS,
            "text/markdown",
            write_markdown,
            ("md",),
            labels=True,
            help="a Markdown table, labels beside IRIs",
        ),
        ResultFormat(
            "turtle",
            GRAPH,
            "text/turtle",
            _graph_writer(ox.RdfFormat.TURTLE),
            ("ttl",),
            help="Turtle (CONSTRUCT and DESCRIBE; the default for them)",
            also=("application/x-turtle",),
        ),
        ResultFormat(
            "nt", GRAPH, "application/n-triples", _graph_writer(ox.RdfFormat.N_TRIPLES), ("nt",), help="N-Triples"
        ),
        ResultFormat(
            "jsonld",
            GRAPH,
            "application/ld+json",
            _graph_writer(ox.RdfFormat.JSON_LD),
            ("jsonld",),
            help="JSON-LD",
            also=("application/json",),
        ),
        ResultFormat(
            "rdfxml", GRAPH, "application/rdf+xml", _graph_writer(ox.RdfFormat.RDF_XML), ("rdf", "owl"), help="RDF/XML"
        ),
    )
}


def register_result_format(fmt: ResultFormat) -> None:
    """Add a result format to the registry (it is then offered by `kg query --format`)."""
    FORMATS[fmt.name] = fmt


def default_format(kind: str, terminal: bool) -> str:
    """SELECT: table on a terminal, csv into a pipe; ASK: true or false; CONSTRUCT and DESCRIBE: turtle."""
    if kind == "graph":
        return "turtle"
    return "table" if terminal or kind == "ask" else "csv"


def check_format(name: str, kind: str) -> ResultFormat:
    """The format ``name``, if it can write a result of ``kind``; else a KgError naming those that can."""
    fmt = FORMATS.get(name)
    if fmt is None:
        raise KgError(f"unknown result format '{name}' (known: {', '.join(FORMATS)})")
    if kind not in fmt.kinds:
        what = "CONSTRUCT and DESCRIBE" if kind == "graph" else "SELECT and ASK"
        fitting = ", ".join(f.name for f in FORMATS.values() if kind in f.kinds)
        raise KgError(f"format '{name}' cannot write {what} results; use one of: {fitting}")
    return fmt


def iris_of(result: Result) -> set[str]:
    """The IRIs in a SELECT result (to fetch their labels for the formats that show them)."""
    return {t.value for row in result.rows for t in row if isinstance(t, ox.NamedNode)}


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int, right: bool = False) -> str:
    fill = " " * (width - _width(s))
    return fill + s if right else s + fill


def format_for_path(path: Path | str, kind: str) -> str | None:
    """The format an output file's extension asks for (results.csv -> csv), if it fits the result.

    >>> format_for_path("out.CSV", "select"), format_for_path("out.csv", "graph"), format_for_path("g.ttl", "graph")
    ('csv', None, 'turtle')
    """
    from .formats import by_extension

    name = by_extension(Path(path), FORMATS.values())
    return name if name is not None and kind in FORMATS[name].kinds else None


def write_result(answer: Answer, fmt: ResultFormat, out: BinaryIO, store: ox.Store | None = None) -> None:
    """``answer`` in ``fmt`` to ``out``: row by row where the format streams; with the labels of its IRIs
    from ``store`` where the format shows them."""
    labels: dict[str, str] = {}
    if fmt.labels and store is not None and answer.kind == "select":
        from .lookup import labels_for

        rows = list(answer.items)
        labels = labels_for(store, {t.value for row in rows for t in row if isinstance(t, ox.NamedNode)})
        answer.items = iter(rows)
    fmt.writer(answer, labels, out)
