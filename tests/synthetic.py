"""A synthetic entity view of any size, shaped like kg's (typed entities, labelled relations), for scale tests."""

from __future__ import annotations

import random

import networkx as nx

from kg.graphview import TypeInfo
from kg.prefixes import PREFIXES

KINDS = ("Enterprise", "Place", "Initiative", "Sector", "Person", "PublicAuthority", "Partnership", "Facility")
NS, ID = PREFIXES["kg"], PREFIXES["kgr"]


def synthetic_view(n: int = 5000, seed: int = 1) -> nx.MultiDiGraph:
    """``n`` entities in a preferential-attachment tree plus n/2 random links (about 1.5 relations each)."""
    rnd = random.Random(seed)
    g = nx.MultiDiGraph(types={NS + k: TypeInfo(NS + k, k, k.lower(), (NS + k,)) for k in KINDS}, events=["synthetic"])
    for i in range(n):
        k = rnd.choice(KINDS)
        g.add_node(f"{ID}e{i}", label=f"{k} {i}", slug=f"e{i}", type=NS + k, type_name=k,
                   type_label=k.lower(), aliases=[], label_zh=None, note=None, same_as=None, status=None,
                   sentences=[], facts=[], figures=[])
    pairs = list(nx.barabasi_albert_graph(n, 1, seed=seed).edges()) if n > 1 else []
    pairs += [(rnd.randrange(n), rnd.randrange(n)) for _ in range(n // 2)]
    for u, v in pairs:
        if u != v:
            g.add_edge(f"{ID}e{u}", f"{ID}e{v}", key=NS + "linkedTo",
                       predicate=NS + "linkedTo", label="linked to", sentences=[])
    return g
