"""The built dataset and its entity view into numbers: counts, centrality, components, communities, paths.

Everything here reads; nothing writes back. Centrality, components and paths are taken on the undirected
simple graph of the view (one edge per related pair), since "who is close to whom" ignores which way a
relation was stated; the relations shown along a path keep their direction.
"""

from __future__ import annotations

from collections import Counter
from itertools import islice, pairwise

import networkx as nx
import pyoxigraph as ox

from .graphview import Briefing, find_entity, in_briefings, select, simple_graph
from .prefixes import local_name

#: Louvain is randomised; a fixed seed gives the same communities on every run.
SEED = 42


def stats(store: ox.Store, g: nx.MultiDiGraph) -> dict:
    """Triples, entities by type, facts by kind, figures, and the share of facts traced to a sentence."""
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    graphs = {row["g"]: int(row["n"]) for row in select(store, per_graph)}
    by_type: Counter[str] = Counter()
    for row in select(store, """
        SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e skos:prefLabel ?l ; a ?type } GROUP BY ?type"""):
        by_type[local_name(row["type"])] += int(row["n"])
    facts: Counter[str] = Counter()
    for row in select(store, """
        SELECT ?p (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Assertion ; rdf:predicate ?p } GROUP BY ?p"""):
        facts[row["p"]] += int(row["n"])
    labels = {row["p"]: row["l"] for row in select(store, """
        SELECT ?p ?l WHERE { ?p rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "en")) }""")}
    kinds = {"entity": "?x skos:prefLabel ?l", "relation": "?x a kg:Assertion", "figure": "?x a kg:Figure"}
    provenance = {}
    for kind, pattern in kinds.items():
        row = next(iter(select(store, f"""
            SELECT (COUNT(DISTINCT ?x) AS ?all) (COUNT(DISTINCT ?traced) AS ?with) WHERE {{
              {pattern} .
              OPTIONAL {{ ?x prov:wasDerivedFrom ?span . ?span nif:sentence ?s . BIND(?x AS ?traced) }}
            }}""")))
        provenance[kind] = {"facts": int(row["all"]), "traced": int(row["with"])}
    total = sum(v["facts"] for v in provenance.values())
    traced = sum(v["traced"] for v in provenance.values())
    return {
        "triples": sum(graphs.values()),
        "graphs": {k: graphs[k] for k in sorted(graphs)},
        "entities": sum(by_type.values()),
        "entities_by_type": dict(sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))),
        "relations": sum(facts.values()),
        "relations_by_kind": {labels.get(p, p): n
                              for p, n in sorted(facts.items(), key=lambda kv: (-kv[1], labels.get(kv[0], kv[0])))},
        "figures": provenance["figure"]["facts"],
        "mentions": int(next(iter(select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s kg:mentions ?e }")))["n"]),
        "provenance": {**provenance, "share": round(traced / total, 4) if total else 1.0},
        "view": {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()},
        "briefings": per_briefing(store, g.graph.get("briefings", []), graphs),
    }


def per_briefing(store: ox.Store, briefings: list[Briefing], graphs: dict[str, int]) -> list[dict]:
    """Per briefing, oldest first: its graph's triples, the entities it names (by a span or a mention of a
    registry entity), and the relations and figures it states."""
    from .dataset import graph_iri

    counts: dict[str, Counter[str]] = {}
    for kind, pattern in (
        ("entities", "{ ?e skos:prefLabel ?l ; prov:wasDerivedFrom ?span } UNION { ?span kg:mentions ?e } "
                     "?span nif:referenceContext/dcterms:identifier ?b"),
        ("relations", "?e a kg:Assertion ; prov:hadPrimarySource/dcterms:identifier ?b"),
        ("figures", "?e a kg:Figure ; prov:hadPrimarySource/dcterms:identifier ?b"),
    ):
        counts[kind] = Counter({row["b"]: int(row["n"]) for row in select(
            store, f"SELECT ?b (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {pattern} }} GROUP BY ?b")})
    return [{"briefing": b.slug, "held": b.held, "triples": graphs.get(str(graph_iri(b.slug)), 0),
             **{kind: c[b.slug] for kind, c in counts.items()}} for b in briefings]


def analyze(g: nx.MultiDiGraph, top: int = 10, seed: int = SEED) -> dict:
    """Degree and betweenness centrality (top ``top``), connected components, Louvain communities."""
    s = simple_graph(g)

    def ranked(scores: dict[str, float], counts: dict[str, int] | None = None) -> list[dict]:
        order = sorted(scores, key=lambda n: (-scores[n], g.nodes[n]["label"]))[:top]
        return [{"entity": g.nodes[n]["slug"], "label": g.nodes[n]["label"], "type": g.nodes[n]["type_label"],
                 **({"degree": counts[n]} if counts else {}), "score": round(scores[n], 4)} for n in order]

    components = sorted((sorted(c, key=lambda n: g.nodes[n]["label"]) for c in nx.connected_components(s)),
                        key=lambda c: (-len(c), g.nodes[c[0]]["label"]))
    communities = (sorted(nx.community.louvain_communities(s, seed=seed), key=lambda c: (-len(c), min(c)))
                   if len(s) else [])
    degree = dict(s.degree())

    def best_connected(c: set[str]) -> list[str]:
        return [g.nodes[n]["label"] for n in sorted(c, key=lambda n: (-degree[n], g.nodes[n]["label"]))[:top]]

    return {
        "nodes": s.number_of_nodes(),
        "edges": s.number_of_edges(),
        "degree": ranked(nx.degree_centrality(s) if len(s) > 1 else dict.fromkeys(s, 0.0), degree),
        "betweenness": ranked(nx.betweenness_centrality(s)),
        "components": {"count": len(components), "sizes": [len(c) for c in components],
                       "small": [[g.nodes[n]["label"] for n in c] for c in components[1:] if len(c) <= 5]},
        "communities": {"seed": seed, "count": len(communities),
                        "modularity": round(nx.community.modularity(s, communities), 4) if s.number_of_edges() else 0.0,
                        "groups": [{"size": len(c), "members": best_connected(c)} for c in communities]},
        "briefings": [_briefing_network(g, b, top) for b in g.graph.get("briefings", [])],
    }


def _briefing_network(g: nx.MultiDiGraph, b: Briefing, top: int) -> dict:
    """One briefing's part of the network: what it names and relates, its components, its best-connected."""
    s = simple_graph(in_briefings(g, [b.slug]))
    degree = dict(s.degree())
    best = sorted(s, key=lambda n: (-degree[n], g.nodes[n]["label"]))[:min(top, 3)]
    return {"briefing": b.slug, "held": b.held, "nodes": s.number_of_nodes(), "edges": s.number_of_edges(),
            "components": nx.number_connected_components(s) if len(s) else 0,
            "best_connected": [{"entity": g.nodes[n]["slug"], "label": g.nodes[n]["label"], "degree": degree[n]}
                               for n in best]}


def paths(g: nx.MultiDiGraph, a: str, b: str, limit: int = 10) -> list[list[tuple[str, str, str]]]:
    """Up to ``limit`` shortest paths between two entities (as a user names them).

    Each path is a list of steps ``(from label, arrow, to label)``, the arrow saying which relation links
    them and which way it was stated: ``-located in->`` or ``<-has member-``. Empty when none exists.
    """
    u, v = find_entity(g, a), find_entity(g, b)
    s = simple_graph(g)
    if u == v:
        return [[]]
    try:
        found = list(islice(nx.all_shortest_paths(s, u, v), limit))
    except nx.NetworkXNoPath:
        return []
    return [[(g.nodes[x]["label"], _arrow(g, x, y), g.nodes[y]["label"]) for x, y in pairwise(p)]
            for p in sorted(found)]


def _arrow(g: nx.MultiDiGraph, x: str, y: str) -> str:
    forward = sorted(d["label"] for d in (g.get_edge_data(x, y) or {}).values())
    backward = sorted(d["label"] for d in (g.get_edge_data(y, x) or {}).values())
    if forward:
        return f"-{' / '.join(forward)}->"
    return f"<-{' / '.join(backward)}-"


def format_path(steps: list[tuple[str, str, str]]) -> str:
    """``Huawei <-has member- Partnership … -establishes-> Centre`` on one line."""
    if not steps:
        return ""
    return " ".join([steps[0][0], *(f"{arrow} {to}" for _, arrow, to in steps)])


def table(rows: list[list], headers: list[str]) -> str:
    """A plain text table with aligned columns (numbers to the right), by kg/results.py's renderer."""
    from .results import text_table

    numeric = frozenset(i for i in range(len(headers)) if rows and all(isinstance(r[i], (int, float)) for r in rows))
    return "\n".join(text_table([str(h) for h in headers], ([_cell(c) for c in r] for r in rows), numeric))


def _cell(c: object, limit: int = 100) -> str:
    if isinstance(c, float):
        return f"{c:.4f}"
    text = str(c)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def stats_text(s: dict) -> str:
    p = s["provenance"]
    parts = [
        (f"{s['triples']} triples in {len(s['graphs'])} named graphs; {s['entities']} entities, "
         f"{s['relations']} relations, {s['figures']} figures, {s['mentions']} mentions."),
        (f"Facts traced to a sentence: {p['entity']['traced'] + p['relation']['traced'] + p['figure']['traced']} of "
         f"{p['entity']['facts'] + p['relation']['facts'] + p['figure']['facts']} ({p['share']:.1%})."),
        "",
        table([[g, n] for g, n in s["graphs"].items()], ["named graph", "triples"]),
        "",
        table([[t, n] for t, n in s["entities_by_type"].items()], ["entity type", "entities"]),
        "",
        table([[k, n] for k, n in s["relations_by_kind"].items()], ["relation", "facts"]),
        "",
        table([[k, v["facts"], v["traced"]] for k, v in p.items() if k != "share"], ["fact kind", "facts", "traced"]),
    ]
    if len(s["briefings"]) > 1:
        parts += ["", table([[b["briefing"], b["held"], b["triples"], b["entities"], b["relations"], b["figures"]]
                             for b in s["briefings"]],
                            ["briefing", "held", "triples", "entities named", "relations", "figures"])]
    return "\n".join(parts) + "\n"


def analyze_text(a: dict) -> str:
    c, m = a["components"], a["communities"]
    parts = [
        (f"{a['nodes']} entities, {a['edges']} related pairs; {c['count']} connected component(s) of sizes "
         f"{', '.join(map(str, c['sizes'][:10]))}{' …' if len(c['sizes']) > 10 else ''}."),
        "",
        "Degree centrality",
        table([[i + 1, r["label"], r["type"], r["degree"], r["score"]] for i, r in enumerate(a["degree"])],
              ["#", "entity", "type", "degree", "centrality"]),
        "",
        "Betweenness centrality",
        table([[i + 1, r["label"], r["type"], r["score"]] for i, r in enumerate(a["betweenness"])],
              ["#", "entity", "type", "betweenness"]),
        "",
        f"Louvain communities (seed {m['seed']}): {m['count']}, modularity {m['modularity']}",
        table([[i + 1, grp["size"],
                "; ".join(_cell(x, 30) for x in grp["members"][:3]) + ("; …" if grp["size"] > 3 else "")]
               for i, grp in enumerate(m["groups"])], ["#", "size", "best-connected members"]),
    ]
    if c["small"]:
        parts += ["", "Small components: " + "; ".join(", ".join(x) for x in c["small"])]
    if len(a["briefings"]) > 1:
        parts += ["", "Per briefing",
                  table([[b["briefing"], b["held"], b["nodes"], b["edges"], b["components"],
                          "; ".join(_cell(x["label"], 30) for x in b["best_connected"])] for b in a["briefings"]],
                        ["briefing", "held", "entities", "related pairs", "components", "best-connected"])]
    return "\n".join(parts) + "\n"
