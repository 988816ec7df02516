"""Builds killed at any moment, or run at the same time as other builds and readers, leave one complete
build: kg.trig, kg.nq, the graphs, the store and the stamp all of one build (issue 12, class 4)."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

from conftest import run
from kgproc import set_variant, start, tiny_project

VARIANTS = ("variant A", "variant B")
OFFICE_NOTE = ("SELECT ?note WHERE { <https://example.org/kg/id/tiny-office-1> "
               "<http://www.w3.org/2000/01/rdf-schema#comment> ?note }")


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The tiny project, and the input digest of each variant (what a stamp of that variant records)."""
    from kg.build import input_digest
    from kg.project import find_project

    root = tiny_project(tmp_path / "tiny")
    digests = {}
    for v in VARIANTS:
        set_variant(root, v)
        digests[input_digest(find_project(root))] = v
    return root, digests


def variant_in(data: bytes) -> str:
    found = [v for v in VARIANTS if f'"{v}"'.encode() in data]
    assert len(found) == 1, found
    return found[0]


def assert_one_build(root: Path, digests: dict[str, str]) -> str:
    """Every documented file, and the store, are of the one build the stamp names; returns its variant."""
    import pyoxigraph as ox

    from kg.build import current_generation

    out = root / "build"
    variant = digests[json.loads((out / "stamp.json").read_bytes())["inputs"]]
    assert variant_in((out / "kg.trig").read_bytes()) == variant
    assert variant_in((out / "kg.nq").read_bytes()) == variant
    assert variant_in((out / "graphs" / "tiny-2024-01-01.ttl").read_bytes()) == variant
    gen = current_generation(out)
    assert gen is not None
    store = ox.Store.read_only(str(gen / "oxigraph"))
    assert [str(row["note"].value) for row in store.query(OFFICE_NOTE)] == [variant]
    return variant


def finish(p, log: Path) -> None:
    p.join()
    assert p.exitcode == 0, log.read_text(encoding="utf-8")


def assert_readers_answer(root: Path, variant: str) -> None:
    assert run(root, "validate").exit_code == 0
    result = run(root, "query", "-e", OFFICE_NOTE, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [variant]


def test_a_build_killed_at_any_moment_leaves_the_old_build_or_the_new(tiny, tmp_path: Path):
    root, digests = tiny
    log = tmp_path / "log"
    finish(start(root, "build", log=log), log)  # starts the forkserver, too
    began = time.perf_counter()
    finish(start(root, "build", log=log), log)
    took = time.perf_counter() - began  # one whole build, process included: kills land all over it
    rnd = random.Random(12)
    for _ in range(20):
        set_variant(root, rnd.choice(VARIANTS))
        p = start(root, "build", log=log)
        time.sleep(rnd.uniform(0, took))
        p.kill()
        p.join()
        assert_one_build(root, digests)
    set_variant(root, "variant B")
    assert_readers_answer(root, "variant B")  # the reader rebuilt first, over whatever the kills left
    assert assert_one_build(root, digests) == "variant B"
    assert run(root, "build").exit_code == 0
    assert len(list((root / "build").glob("gen-*"))) == 1


def test_concurrent_builds_and_a_rebuilding_reader_leave_one_complete_build(tiny, tmp_path: Path):
    root, digests = tiny
    logs = tmp_path / "a.log", tmp_path / "b.log"
    for i in range(5):
        set_variant(root, VARIANTS[i % 2])
        a, b = start(root, "build", log=logs[0]), start(root, "build", log=logs[1])
        finish(a, logs[0])
        finish(b, logs[1])
        assert assert_one_build(root, digests) == VARIANTS[i % 2]
        changed = VARIANTS[(i + 1) % 2]
        set_variant(root, changed)  # stale now: the query rebuilds first, or waits for the build and reads it
        a = start(root, "build", log=logs[0])
        b = start(root, "query", "-e", OFFICE_NOTE, "--format", "csv", log=logs[1])
        finish(a, logs[0])
        finish(b, logs[1])
        assert logs[1].read_text(encoding="utf-8").splitlines()[1:] == [changed]
        assert assert_one_build(root, digests) == changed
    assert_readers_answer(root, VARIANTS[1])
    assert len(list((root / "build").glob("gen-*"))) == 1
