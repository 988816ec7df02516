"""Query results into the formats people and other tools read: a registry of result formats.

SELECT and ASK: table, markdown (for people: compact names, labels beside IRIs), csv (SPARQL 1.1 CSV,
RFC 4180), tsv (SPARQL 1.1 TSV), json (SPARQL 1.1 Query Results JSON). CONSTRUCT and DESCRIBE: turtle,
nt (N-Triples), jsonld. ``register_result_format()`` adds one; tests loop over every entry.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from .errors import KgError
from .prefixes import PREFIXES, labelled
from .query import Result

SOLUTIONS = frozenset({"select", "ask"})
GRAPH = frozenset({"graph"})


@dataclass(frozen=True)
class ResultFormat:
    """A result format: the kinds of result it writes, and whether it shows labels (``labels``)."""

    name: str
    kinds: frozenset[str]
    media_type: str
    write: Callable[[Result, dict[str, str]], bytes]
    labels: bool = False
    help: str = ""


# --- terms -------------------------------------------------------------------------------------------

def _human(term, labels: dict[str, str], shown: frozenset[str] = frozenset()) -> str:
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


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {k: _json_term(getattr(term, k)) for k in ("subject", "predicate", "object")}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != PREFIXES["xsd"] + "string":
        out["datatype"] = term.datatype.value
    return out


def _csv_term(term) -> str:
    """SPARQL 1.1 CSV: IRIs and literals by their plain text, blank nodes as _:label."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _tsv_term(term) -> str:
    """SPARQL 1.1 TSV: every term in its Turtle/N-Triples form (escaped, so never a tab or newline)."""
    return "" if term is None else str(term)


# --- writers -----------------------------------------------------------------------------------------

def _ask_text(result: Result) -> bytes:
    return b"true\n" if result.boolean else b"false\n"


def write_table(result: Result, labels: dict[str, str]) -> bytes:
    """An aligned text table (wide characters counted double), with the row count under it."""
    if result.kind == "ask":
        return _ask_text(result)
    header = list(result.variables)
    cells = [_human_row(row, labels) for row in result.rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(header)]
    line = lambda values: "  ".join(_pad(v, w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    out = [line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in cells]
    n = len(result.rows)
    out.append(f"({n} row{'s' if n != 1 else ''}{', cut by --limit' if result.truncated else ''})")
    return ("\n".join(out) + "\n").encode("utf-8")


def write_markdown(result: Result, labels: dict[str, str]) -> bytes:
    """A GitHub-flavoured Markdown table; a | in a value is escaped."""
    if result.kind == "ask":
        return _ask_text(result)
    esc = lambda s: s.replace("\\", "\\\\").replace("|", "\\|")  # noqa: E731
    out = ["| " + " | ".join(result.variables) + " |", "|" + "|".join("---" for _ in result.variables) + "|"]
    out += ["| " + " | ".join(esc(cell) for cell in _human_row(row, labels)) + " |" for row in result.rows]
    return ("\n".join(out) + "\n").encode("utf-8")


def write_csv(result: Result, labels: dict[str, str]) -> bytes:
    """SPARQL 1.1 Query Results CSV: RFC 4180, CRLF line ends, a header of variable names."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if result.kind == "ask":
        w.writerows([["boolean"], ["true" if result.boolean else "false"]])
    else:
        w.writerow(result.variables)
        w.writerows([_csv_term(t) for t in row] for row in result.rows)
    return buf.getvalue().encode("utf-8")


def write_tsv(result: Result, labels: dict[str, str]) -> bytes:
    """SPARQL 1.1 Query Results TSV: a header of ?variables, terms in N-Triples form."""
    if result.kind == "ask":
        return b"?boolean\n" + (b"true\n" if result.boolean else b"false\n")
    out = ["\t".join(f"?{v}" for v in result.variables)]
    out += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return ("\n".join(out) + "\n").encode("utf-8")


def write_json(result: Result, labels: dict[str, str]) -> bytes:
    """SPARQL 1.1 Query Results JSON (application/sparql-results+json)."""
    if result.kind == "ask":
        doc: dict = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [{v: _json_term(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
        doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _graph_writer(fmt: ox.RdfFormat) -> Callable[[Result, dict[str, str]], bytes]:
    def write(result: Result, labels: dict[str, str]) -> bytes:
        triples = sorted(result.triples, key=str)  # the same answer always prints the same
        used = {t.value for tr in triples for t in (tr.subject, tr.predicate, tr.object) if isinstance(t, ox.NamedNode)}
        used |= {tr.object.datatype.value for tr in triples if isinstance(tr.object, ox.Literal)}
        prefixes = {p: ns for p, ns in PREFIXES.items() if any(i.startswith(ns) for i in used)}
        if fmt == ox.RdfFormat.N_TRIPLES:
            data = ox.serialize(triples, format=fmt) or b""
        else:
            data = ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
        return data if data.endswith(b"\n") or not data else data + b"\n"

    return write


FORMATS: dict[str, ResultFormat] = {
    f.name: f
    for f in (
        ResultFormat("table", SOLUTIONS, "text/plain", write_table, labels=True,
                     help="aligned columns, labels beside IRIs (the default on a terminal)"),
        ResultFormat("csv", SOLUTIONS, "text/csv", write_csv, help="SPARQL 1.1 CSV, RFC 4180 (the default when piped)"),
        ResultFormat("tsv", SOLUTIONS, "text/tab-separated-values", write_tsv, help="SPARQL 1.1 TSV, terms in N-Triples form"),
        ResultFormat("json", SOLUTIONS, "application/sparql-results+json", write_json, help="SPARQL 1.1 JSON results"),
        ResultFormat("markdown", SOLUTIONS, "text/markdown", write_markdown, labels=True,
                     help="a Markdown table, labels beside IRIs"),
        ResultFormat("turtle", GRAPH, "text/turtle", _graph_writer(ox.RdfFormat.TURTLE),
                     help="Turtle (CONSTRUCT and DESCRIBE; the default for them)"),
        ResultFormat("nt", GRAPH, "application/n-triples", _graph_writer(ox.RdfFormat.N_TRIPLES), help="N-Triples"),
        ResultFormat("jsonld", GRAPH, "application/ld+json", _graph_writer(ox.RdfFormat.JSON_LD), help="JSON-LD"),
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


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


def format_for_path(path, kind: str) -> str | None:
    """The format an output file's extension asks for (results.csv -> csv), if it fits the result."""
    by_extension = {"txt": "table", "md": "markdown", "csv": "csv", "tsv": "tsv", "json": "json", "srj": "json",
                    "ttl": "turtle", "nt": "nt", "jsonld": "jsonld"}
    name = by_extension.get(str(path).rsplit(".", 1)[-1].lower())
    return name if name is not None and kind in FORMATS[name].kinds else None
