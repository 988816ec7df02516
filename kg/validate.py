"""The built dataset into a validation report: SHACL shapes (pySHACL) plus the span-text check."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import SH
from rdflib.term import Node

from .errors import KgError
from .ontology import load_shapes
from .rdffile import merged_graph, parse_rdf
from .vocab import NIF

__all__ = ["CONFORMS", "DOES_NOT_CONFORM", "ERROR", "Report", "check_spans", "load_rdf", "load_shapes",
           "validate_dataset"]  # load_shapes lives in kg/ontology.py (the build checks the shapes before it writes)

#: Exit codes, as pySHACL documents them.
CONFORMS, DOES_NOT_CONFORM, ERROR = 0, 1, 2


@dataclass
class Report:
    conforms: bool
    shacl_results: list[str] = field(default_factory=list)
    span_problems: list[str] = field(default_factory=list)
    graphs: int = 0
    triples: int = 0
    spans: int = 0

    @property
    def exit_code(self) -> int:
        return CONFORMS if self.conforms else DOES_NOT_CONFORM

    def text(self) -> str:
        lines = [
            (f"Checked {self.triples} triples in {self.graphs} graphs against the SHACL shapes, "
             f"and the text of {self.spans} spans against their documents.")
        ]
        if self.conforms:
            lines.append("Conforms: yes")
            return "\n".join(lines)
        counts = f"{len(self.shacl_results)} SHACL violations, {len(self.span_problems)} span mismatches"
        lines.append(f"Conforms: no ({counts})")
        lines += [f"  - {r}" for r in self.shacl_results + self.span_problems]
        return "\n".join(lines)


def validate_dataset(ds: Dataset, shapes: Graph) -> Report:
    """Validate every graph of ``ds`` (the ontology included, so class targets follow subClassOf)."""
    data = merged_graph(ds)
    try:
        conforms, results, _ = shacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    except (ShapeLoadError, ConstraintLoadError, ReportableRuntimeError) as e:  # what load_shapes cannot foresee
        raise KgError(f"bad shapes: {' '.join(str(e.args[0] if e.args else e).split())}") from None
    shacl = sorted(_describe(results, r, data) for r in results.subjects(SH.resultSeverity, None))
    spans = check_spans(data)
    return Report(
        bool(conforms) and not spans, shacl, spans, graphs=len(list(ds.graphs())) - 1,
        triples=sum(1 for _ in ds.quads((None, None, None, None))),
        spans=len(set(data.subjects(NIF.referenceContext, None))),
    )


def check_spans(g: Graph) -> list[str]:
    """Every span whose recorded text is not the text between its offsets in its document."""
    problems = []
    texts = {doc: str(t) for doc, t in g.subject_objects(NIF.isString)}
    for span, doc in sorted(g.subject_objects(NIF.referenceContext)):
        begin, end, anchor = (g.value(span, p) for p in (NIF.beginIndex, NIF.endIndex, NIF.anchorOf))
        if doc not in texts or begin is None or end is None or anchor is None:
            problems.append(f"{span}: span lacks its document text, offsets or anchor")
            continue
        b, e = _offset(begin), _offset(end)
        if b is None or e is None:
            problems.append(f"{span}: its offsets are not whole numbers of 0 or more: {_shown(begin)}, {_shown(end)}")
            continue
        actual = texts[doc][b:e]
        if actual != str(anchor):
            problems.append(f"{span}: records {str(anchor)[:60]!r} but its offsets hold {actual[:60]!r}")
    return problems


#: An offset as check_spans reads it: a non-negative integer of at most 15 digits (beyond any text), read
#: from its lexical form, so an ill-typed, infinite or 5,000-digit value is a finding, not a crash.
_OFFSET = re.compile(r"\+?[0-9]{1,15}")


def _offset(term: object) -> int | None:
    return int(str(term)) if isinstance(term, Literal) and _OFFSET.fullmatch(str(term)) else None


def _shown(term: object) -> str:
    text = term.n3() if isinstance(term, Literal) else str(term)
    return text if len(text) <= 40 else text[:37] + "..."


def _describe(results: Graph, r: Node, data: Graph) -> str:
    focus = results.value(r, SH.focusNode)
    path = results.value(r, SH.resultPath)
    message = results.value(r, SH.resultMessage)
    # n3: a prefixed name or <IRI> as normalizeUri gives, and a blank node as _:id, not as an <IRI>
    name = focus.n3(data.namespace_manager) if focus is not None else "?"
    where = f" {path.n3(data.namespace_manager)}" if path is not None else ""
    return f"{name}{where}: {message}"


def load_rdf(path: Path) -> Dataset:
    """An RDF file into a dataset, its format guessed from its extension."""
    return parse_rdf(path, Dataset(), "RDF file")

