"""The held-out briefings of benchmarks/heldout/ (fictional, written without reading the drafter's rules, so
benchmarks/bench_draft.py scores the drafter on text it has not seen): each is marked fictional, and its
curated annotations load, build, validate, and quote the text at their spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, add_series, check_spans, copy_project, run

HELDOUT = ROOT / "benchmarks" / "heldout"
SLUGS = sorted(p.name for p in (HELDOUT / "annotations").iterdir())


@pytest.fixture(scope="module")
def heldout(tmp_path_factory) -> tuple[Path, object]:
    """The bundled project with the held-out set added, built and validated; its root and dataset."""
    from kg.build import load_built
    from kg.project import find_project

    root = add_series(copy_project(tmp_path_factory.mktemp("heldout") / "project", series=False), HELDOUT)
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    checked = run(root, "validate")
    assert checked.exit_code == 0 and "Conforms: yes" in checked.stdout, checked.output
    return root, load_built(find_project(root))


def test_there_are_three_heldout_briefings():
    assert len(SLUGS) == 3
    assert sorted(p.name for p in (HELDOUT / "briefings").glob("*.txt")) == [f"{s}.txt" for s in SLUGS]


@pytest.mark.parametrize("slug", SLUGS)
def test_a_heldout_briefing_is_fictional_and_quotes_its_text_at_its_spans(heldout, slug: str):
    from kg.source import load_briefing

    meta = load_briefing(HELDOUT / "briefings" / f"{slug}.txt").meta
    assert meta["fictional"] is True and "Fictional" in meta["note"], slug
    root, dataset = heldout
    check_spans(dataset, root, slug, 100)
