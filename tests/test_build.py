"""The build: files written, deterministic output, spans that match the text, stale detection."""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from conftest import BRIEFING, check_spans, run
from kg.dataset import graph_iri, mint
from kg.project import find_project
from kg.vocab import NIF


def test_build_says_where_it_wrote(project: Path):
    result = run(project, "build")
    assert result.exit_code == 0
    assert "Wrote build/kg.trig, build/kg.nq and build/graphs/*.ttl" in result.output or str(project) in result.output
    for name in ("kg.trig", "kg.nq", "stamp.json", f"graphs/{BRIEFING}.ttl", "graphs/ontology.ttl"):
        assert (project / "build" / name).stat().st_size > 0, name


def test_build_removes_the_graph_file_of_a_removed_briefing(project: Path):
    stale = project / "build" / "graphs" / "removed-briefing.ttl"
    stale.parent.mkdir(parents=True)
    stale.write_text("# the graph of a briefing no longer in data/briefings\n")
    assert run(project, "build").exit_code == 0
    briefings = [f"{p.stem}.ttl" for p in (project / "data" / "briefings").glob("*.txt")]
    assert f"{BRIEFING}.ttl" in briefings
    assert sorted(p.name for p in stale.parent.iterdir()) == sorted([*briefings, "entities.ttl", "ontology.ttl"])


#: Run in a fresh interpreter: build, then every export format, then the store's quads, into OUT.
BUILD_AND_EXPORT = """
import sys
from kg.cli import cli
from kg.export import FORMATS
root, out = sys.argv[1], sys.argv[2]
def kg(*args):
    try:
        cli.main(["--project", root, *args], prog_name="kg", standalone_mode=False)
    except SystemExit as e:
        assert not e.code, e.code
kg("build")
for name in FORMATS:
    kg("export", "--format", name, "-o", f"{out}/export.{name}")
from kg.project import find_project
from kg.store import open_store
with open(f"{out}/store.txt", "w", encoding="utf-8") as f:
    f.writelines(sorted(f"{q}\\n" for q in open_store(find_project(root))))
"""


def test_builds_and_exports_are_byte_identical_across_processes(tmp_path: Path):
    """Two processes with other hash seeds, locales, time zones and working directories write the same bytes:
    every build file, every export format and the store's quads (four named graphs, so their order shows)."""
    import os
    import subprocess
    import sys

    from kgproc import tiny_project

    settings = [{"PYTHONHASHSEED": "1", "LANG": "C", "LC_ALL": "C", "TZ": "UTC"},
                {"PYTHONHASHSEED": "2", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "Asia/Shanghai"}]
    written = []
    for i, env in enumerate(settings):
        root = tiny_project(tmp_path / f"p{i}", briefings=3)
        out = tmp_path / f"out{i}"
        out.mkdir()
        cwd = root if i == 0 else tmp_path  # the project folder itself, or --project from elsewhere
        subprocess.run([sys.executable, "-c", BUILD_AND_EXPORT, str(root), str(out)], cwd=cwd, check=True,
                       env={**os.environ, **env})
        build = root / "build"
        files = {p.relative_to(build): p for p in [build / "kg.trig", build / "kg.nq", build / "stamp.json",
                                                    *sorted((build / "graphs").glob("*.ttl"))]}
        files.update({p.relative_to(out): p for p in sorted(out.iterdir())})
        written.append(files)
    assert sorted(written[0]) == sorted(written[1])
    assert len(written[0]) == 3 + 4 + 7 + 1  # trig, nq, stamp; 4 graphs; 7 exports; the store
    for name, path in written[0].items():
        assert path.read_bytes() == written[1][name].read_bytes(), name


def test_dataset_has_one_graph_per_briefing_plus_ontology_and_registry(dataset, built_project: Path):
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    briefings = {p.stem for p in (built_project / "data" / "briefings").glob("*.txt")}
    assert BRIEFING in briefings
    assert names == {str(graph_iri(b)) for b in briefings} | {str(graph_iri("ontology")), str(graph_iri("entities"))}


def test_every_span_text_equals_its_offsets(dataset, built_project: Path):
    """In every briefing's graph, each span's text is the text between its offsets in that briefing."""
    slugs = sorted(p.stem for p in (built_project / "data" / "briefings").glob("*.txt"))
    assert BRIEFING in slugs
    for slug in slugs:
        check_spans(dataset, built_project, slug, 500 if slug == BRIEFING else 10)


def test_text_is_kept_byte_for_byte(dataset, built_project: Path):
    raw = (built_project / "data" / "briefings" / f"{BRIEFING}.txt").read_bytes()
    stored = [str(o) for o in dataset.objects(mint("doc", BRIEFING), NIF.isString)]
    assert stored == [raw.decode("utf-8")]


def test_commands_rebuild_when_inputs_change(project: Path):
    from kg.build import ensure_built

    p = find_project(project)
    assert ensure_built(p).rebuilt
    assert not ensure_built(p).rebuilt
    core = project / "data" / "annotations" / BRIEFING / "00-core.yaml"
    text = core.read_text(encoding="utf-8")
    core.write_text(text.replace("name: Party Secretary", "name: Party Secretary (书记)"), encoding="utf-8")
    assert ensure_built(p).rebuilt
    assert "Party Secretary (书记)" in (project / "build" / "kg.trig").read_text(encoding="utf-8")
    people = project / "data" / "entities" / "people.yaml"  # the registry is an input too
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("name: Xu Hao", "name: Xu Hao (徐浩)"), encoding="utf-8")
    assert ensure_built(p).rebuilt
    assert "Xu Hao (徐浩)" in (project / "build" / "kg.trig").read_text(encoding="utf-8")


def test_commands_rebuild_when_a_built_file_is_missing(project: Path):
    assert run(project, "build").exit_code == 0
    (project / "build" / "kg.trig").unlink()
    (project / "build" / "kg.nq").unlink()
    result = run(project, "export", "--format", "nt")
    assert result.exit_code == 0, result.stderr
    assert (project / "build" / "kg.trig").is_file() and (project / "build" / "kg.nq").is_file()


def test_iris_are_readable_slugs(dataset):
    subjects = {str(s) for s in dataset.subjects() if isinstance(s, URIRef)}
    assert "https://example.org/kg/id/minhang-district" in subjects
    assert "https://example.org/kg/id/chen-yujian" in subjects
