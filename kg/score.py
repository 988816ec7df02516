"""A draft (draft.yaml) against curated annotations: precision, recall and F1 per kind, misses and extras.

Entities match by normalised name (or alias) and type; figures by value, unit and the entity they are about;
relations by subject, property and object, ids mapped through names, so a draft id and a curated id for the
same entity match."""

from __future__ import annotations

import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .annotations import RegistryAnn, load_annotations
from .draft.link import norm
from .errors import KgError
from .readfile import read_text


def _prf(tp: int, n_draft: int, n_cur: int) -> dict[str, float]:
    p = tp / n_draft if n_draft else (1.0 if not n_cur else 0.0)
    r = tp / n_cur if n_cur else 1.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def score(draft: Path, curated: Path, registry: dict[str, RegistryAnn]) -> dict[str, Any]:
    """Scores of ``draft`` against the folder ``curated`` (every ``*.yaml`` but draft.yaml)."""
    try:
        doc = yaml.safe_load(read_text(draft))
    except yaml.YAMLError as err:
        raise KgError(f"not YAML: {str(err).splitlines()[0]}", draft) from None
    if not isinstance(doc, dict) or "draft" not in doc:
        raise KgError("not a draft of kg draft (no 'draft:' key)", draft)
    if not curated.is_dir():
        raise KgError("not an annotation folder", curated)
    with tempfile.TemporaryDirectory() as tmp:
        for f in sorted(curated.glob("*.yaml")):
            if f.name != "draft.yaml":
                shutil.copyfile(f, Path(tmp) / f.name)
        ann = load_annotations(Path(tmp), registry)
    cur: dict[str, tuple[str, set[str]]] = {}
    for c in ann.entities:
        cur[c.id] = (c.type, {norm(n) for n in (c.name, *c.aliases)})
    for mention in ann.mentions:
        r = registry[mention.id]
        cur[mention.id] = (r.type, {norm(n) for n in (r.name, *r.aliases, *mention.aliases)})
    drafted: dict[str, tuple[str, set[str]]] = {}
    for e in doc.get("entities") or []:  # e: a mapping of the draft
        if "type" in e:
            drafted[e["id"]] = (e["type"], {norm(n) for n in (e["name"], *(e.get("aliases") or []))})
        elif e["id"] in registry:
            r = registry[e["id"]]
            drafted[e["id"]] = (r.type, {norm(n) for n in (r.name, *r.aliases, *(e.get("aliases") or []))})
        elif e["id"] in cur:
            drafted[e["id"]] = cur[e["id"]]
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for did, (dtype, dnames) in sorted(drafted.items()):
        match = did if did in cur and did not in used else next(
            (cid for cid, (ctype, cnames) in sorted(cur.items()) if cid not in used and ctype == dtype
             and dnames & cnames), None)
        if match is not None and cur[match][0] == dtype:
            mapping[did] = match
            used.add(match)

    def m(i: str) -> str:
        return mapping.get(i, i if i in ("Planned", "UnderWay", "InOperation") else "draft:" + i)

    def kind(d: list[tuple[Any, ...]], c: list[tuple[Any, ...]]) -> dict[str, Any]:
        ds, cs = set(d), set(c)
        return {**_prf(len(ds & cs), len(ds), len(cs)), "drafted": len(ds), "curated": len(cs),
                "misses": sorted(map(list, cs - ds), key=str), "extras": sorted(map(list, ds - cs), key=str)}

    ent_d = [(mapping.get(i, "draft:" + i),) for i in drafted]
    ent_c = [(i,) for i in cur]
    fig_d = [(str(Decimal(str(f["value"])).normalize()), f["unit"], m(f["about"])) for f in doc.get("figures") or []]
    fig_c = [(str(f.value.normalize()), f.unit, f.about) for f in ann.figures]
    rel_d = [(m(r["s"]), r["p"], m(r["o"])) for r in doc.get("relations") or []]
    rel_c = [(r.s, r.p, r.o) for r in ann.relations]
    return {"entities": kind(ent_d, ent_c), "figures": kind(fig_d, fig_c), "relations": kind(rel_d, rel_c)}


def render(result: dict[str, Any]) -> str:
    lines = []
    for k, v in result.items():
        lines.append(f"{k}: P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f} "
                     f"({v['drafted']} drafted, {v['curated']} curated)")
        lines += [f"  miss  {' '.join(map(str, x))}" for x in v["misses"]]
        lines += [f"  extra {' '.join(map(str, x))}" for x in v["extras"]]
    return "\n".join(lines) + "\n"
