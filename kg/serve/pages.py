"""What the graph says of an entity, a query's rows and a search into HTML pages for a browser (Jinja2,
autoescape on: a name such as ``<script>`` is shown as text). No page runs a script but the network page."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader
from starlette.responses import HTMLResponse

from ..errors import KgError
from ..prefixes import compact, labelled
from .generations import View

#: The network page's own policy; its <meta> comes before any data in the page.
_META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"')

if TYPE_CHECKING:
    from ..query import Answer, Term
    from .app import App

#: Rows the query form shows (the endpoint's own limit applies to /sparql).
FORM_ROWS = 500


@dataclass
class Link:
    """An IRI as a page shows it: its text (label and prefixed name) and where it leads."""

    text: str
    href: str
    external: bool


@dataclass
class Cell:
    text: str
    link: Link | None = None


class Pages:
    def __init__(self, app: App):
        self.app = app
        self.env = Environment(loader=FileSystemLoader(Path(__file__).parent.parent / "templates"), autoescape=True)

    def render(self, template: str, status: int = 200, csp: str | None = None, **context: object) -> HTMLResponse:
        from .app import PAGE_CSP

        body = self.env.get_template(template).render(root=self.app.root_path(), **context)
        return HTMLResponse(body, status, headers={"Content-Security-Policy": csp or PAGE_CSP})

    def link(self, iri: str, labels: dict[str, str]) -> Link:
        href = self.app.href(iri)
        return Link(labelled(iri, labels.get(iri)), href, href == iri)

    # --- /id/... ------------------------------------------------------------------------------------

    def entity(self, view: View, node: ox.NamedNode) -> HTMLResponse:
        from ..lookup import describe

        d = describe(view.store, node)
        labels = d.labels
        # relation -> briefing -> facts, relations by their label, briefings by name
        grouped: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for f in d.facts:
            grouped[f.predicate][f.graph].append(f)
        relations = []
        for predicate in sorted(grouped, key=lambda p: (labels.get(p, compact(p)), p)):
            briefings = []
            for graph in sorted(grouped[predicate]):
                facts = [{"outgoing": f.outgoing, "other": self.link(f.other, labels), "sentence": f.sentence}
                         for f in grouped[predicate][graph]]
                briefings.append({"graph": self.link(graph, {}) if graph else None, "facts": facts})
            relations.append({"label": labels.get(predicate, compact(predicate)), "link": self.link(predicate, {}),
                              "briefings": briefings})
        figures = [{"label": f.label, "value": f.value, "unit": labels.get(f.unit, compact(f.unit)),
                    "period": f.period, "details": f.details, "sentence": f.sentence} for f in d.figures]
        alternates = [(name, f"?format={name}") for name in ("turtle", "jsonld", "nt", "rdfxml")]
        return self.render("serve_entity.html", d=d, iri=d.iri, short=compact(d.iri),
                           types=[self.link(t, labels) for t in d.types],
                           same_as=[self.link(s, {}) for s in d.same_as], relations=relations, figures=figures,
                           alternates=alternates)

    # --- / -------------------------------------------------------------------------------------------

    def index(self, view: View, name: str | None, text: str | None) -> HTMLResponse:
        """The query form (a text area, the catalogue to pick from), and the answer as a table."""
        from ..query import QueryError, QueryTimeout, query_with_params

        catalogue = self.app.catalogue
        chosen = catalogue.get(name) if name else None
        error, table, truncated = None, None, False
        if name and chosen is None:
            error = f"no catalogued query called '{name}'"
        if chosen is not None and not text:
            text = chosen.text
        if text:
            s = self.app.settings
            try:
                answer = query_with_params(view.store, text, [], source="query", limit=min(s.limit, FORM_ROWS),
                                           timeout=s.timeout, allow_service=s.allow_service)
                table = self.table(view, answer)
                truncated = answer.truncated
            except QueryTimeout:
                error = f"the query ran longer than the time limit of {s.timeout:g} s and was stopped"
            except QueryError as e:
                error = f"{e.path}:{e.line}:{e.column}: {e.message}"
            except KgError as e:
                error = str(e)
        return self.render("serve_index.html", catalogue=list(catalogue.values()), chosen=chosen, text=text or "",
                           error=error, table=table, truncated=truncated, limit=FORM_ROWS,
                           triples=view.triples, generation=view.generation.name)

    def table(self, view: View, answer: Answer) -> dict:
        from ..lookup import labels_for

        if answer.kind == "ask":
            return {"head": ["answer"], "rows": [[Cell("true" if answer.boolean else "false")]]}
        if answer.kind == "graph":
            rows = [(t.subject, t.predicate, t.object) for t in answer.items]
            head = ["subject", "predicate", "object"]
        else:
            rows, head = list(answer.items), list(answer.variables)
        labels = labels_for(view.store, {t.value for r in rows for t in r if isinstance(t, ox.NamedNode)})

        def cell(t: Term | None) -> Cell:
            if t is None:
                return Cell("")
            if isinstance(t, ox.NamedNode):
                link = self.link(t.value, labels)
                return Cell(link.text, link)
            if isinstance(t, ox.Literal):
                return Cell(t.value)
            return Cell(str(t))

        return {"head": head, "rows": [[cell(t) for t in r] for r in rows]}

    # --- /network, /search, 404 ----------------------------------------------------------------------

    def network(self, view: View) -> HTMLResponse:
        """The network page of kg viz, made once per generation."""
        from .app import NETWORK_CSP_EXTRA

        with view.lock:
            page = view.cache.get("network")
            if page is None:
                from ..graphview import entity_view
                from ..viz import page_for

                page = view.cache["network"] = page_for(entity_view(view.store)).html
        own = _META_CSP.search(page)
        policy = (html.unescape(own[1]) + "; " if own else "default-src 'none'; ") + NETWORK_CSP_EXTRA
        return HTMLResponse(page, headers={"Content-Security-Policy": policy, "X-Frame-Options": "SAMEORIGIN"})

    def search(self, view: View, text: str) -> HTMLResponse:
        from ..lookup import search

        hits = search(view.store, text, 50) if text.strip() else []
        shown = [{"link": Link(h.label, self.app.href(h.iri), False), "type": h.type, "id": compact(h.iri),
                  "context": h.context} for h in hits]
        return self.render("serve_search.html", text=text, search_text=text, hits=shown)

    def not_found(self, message: str, link: str) -> HTMLResponse:
        return self.render("serve_404.html", 404, message=message, link=link)

