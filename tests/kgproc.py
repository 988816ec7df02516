"""kg commands in processes that can be killed at any moment: forked from a forkserver that has imported kg,
rdflib and pyoxigraph already, so a run costs the command's own work, not the interpreter's start-up.

Used by tests/test_generations.py; a tiny project fixture (one three-sentence briefing) keeps a build at
a fraction of a second.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
from pathlib import Path

PRELOAD = ["kg.cli", "kg.build", "kg.store", "kg.dataset", "kg.facts", "kg.annotations", "kg.validate", "rdflib"]


def _context() -> mp.context.ForkServerContext:
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _run(argv: list[str], log: str) -> None:
    """The child: ``kg ARGV`` with its standard output and error in ``log``; exits with kg's exit code."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    from kg.cli import cli

    try:
        cli.main(argv, prog_name="kg")
    finally:
        sys.stdout.flush()


def start(root: Path, *args: str, log: Path) -> mp.process.BaseProcess:
    """Start ``kg --project ROOT ARGS`` in a forked process (its output goes to ``log``)."""
    p = _context().Process(target=_run, args=(["--project", str(root), *args], str(log)))
    p.start()
    return p


TINY_TEXT = """The Tiny Information Office held a press briefing on Tiny District.
Tiny District is a district of Shanghai.
"""
TINY_META = """title: A tiny briefing
held: 2024-01-0{n}
issued: 2024-01-0{n}
publisher: tiny-office-{n}
event: briefing-tiny-{n}
language: en
"""
TINY_ANNOTATIONS = """entities:
  - id: briefing-tiny-{n}
    type: Briefing
    name: Tiny briefing {n}
    quote: "held a press briefing on Tiny District"
  - id: tiny-office-{n}
    type: PublicAuthority
    name: Tiny Information Office {n}
    note: {variant}
    quote: "The Tiny Information Office"
  - id: tiny-district-{n}
    type: District
    name: Tiny District {n}
    quote: "Tiny District is a district"
"""


def tiny_project(root: Path, variant: str = "variant A", briefings: int = 1) -> Path:
    """A project of ``briefings`` tiny briefings (tiny-2024-01-01, ...) with the bundled ontology and queries;
    ``variant`` is the note of the first one's office, so two variants build to datasets easy to tell apart."""
    import shutil

    from conftest import ROOT

    for sub in ("ontology", "queries"):
        shutil.copytree(ROOT / sub, root / sub)
    (root / "data" / "briefings").mkdir(parents=True)
    for n in range(1, briefings + 1):
        briefings = root / "data" / "briefings"
        (briefings / f"tiny-2024-01-0{n}.txt").write_text(TINY_TEXT, encoding="utf-8")
        (briefings / f"tiny-2024-01-0{n}.meta.yaml").write_text(TINY_META.format(n=n), encoding="utf-8")
        set_variant(root, variant if n == 1 else f"briefing {n}", n)
    return root


def set_variant(root: Path, variant: str, n: int = 1) -> None:
    """Rewrite the annotations of tiny briefing ``n`` with ``variant`` as its office's note."""
    folder = root / "data" / "annotations" / f"tiny-2024-01-0{n}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "00-core.yaml").write_text(TINY_ANNOTATIONS.format(variant=variant, n=n), encoding="utf-8")
