"""Bad input: one line naming file and line, exit code 2, no traceback, nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BRIEFING, run
from conftest import check_failure as _check_failure

GOOD_ENTITY = """
entities:
  - id: test-entity
    type: Enterprise
    name: Test Entity
    quote: "Trina Solar, Sungrow"
"""


def _figure(fields: str, entity_type: str = "Indicator") -> str:
    """The test entity (as ``entity_type``) and one figure it measures, at line 8."""
    return GOOD_ENTITY.replace("Enterprise", entity_type) + (
        "figures:\n  - {id: f, indicator: test-entity, about: minhang-district, value: 1,"
        f" {fields}, quote: \"Trina Solar\"}}\n")


CASES = {
    "malformed-yaml": ("entities:\n  - id: x\n   type: [unclosed\n", r"99-test.yaml:3: malformed YAML"),
    "unknown-key": (GOOD_ENTITY.replace("    name:", "    colour: red\n    name:"),
                    "99-test.yaml:5: unknown key 'colour'"),
    "unknown-type": (GOOD_ENTITY.replace("Enterprise", "Enterprize"),
                     "99-test.yaml:3: entity 'test-entity': unknown type 'Enterprize'; did you mean Enterprise?"),
    "build-only-type": (GOOD_ENTITY.replace("Enterprise", "Figure"),
                        "99-test.yaml:3: entity 'test-entity': unknown type 'Figure'"),
    "unknown-property": (
        GOOD_ENTITY + "relations:\n  - {s: test-entity, p: locatedAt, o: minhang-district, quote: \"Trina Solar\"}\n",
        "99-test.yaml:8: relation test-entity locatedAt minhang-district: unknown property 'locatedAt'; "
        "did you mean locatedIn?",
    ),
    "undeclared-entity": (
        GOOD_ENTITY + "relations:\n  - {s: test-entity, p: locatedIn, o: minhang-distrct, quote: \"Trina Solar\"}\n",
        "99-test.yaml:8: relation test-entity locatedIn minhang-distrct: object 'minhang-distrct' is not a declared "
        "entity; did you mean minhang-district,",
    ),
    "duplicate-id": (GOOD_ENTITY.replace("test-entity", "role-party-secretary"),
                     "99-test.yaml:3: entity 'role-party-secretary': declared twice (first at 00-core.yaml:"),
    "quote-not-in-text": (
        GOOD_ENTITY.replace("Trina Solar, Sungrow", "Trina Solar, Sungrow and Jinko Solar have established"),
        "99-test.yaml:3: entity 'test-entity': quote not found in minhang-2023-09-07.txt: "
        '"Trina Solar, Sungrow and Jinko Solar have established"; nearest: "Trina Solar, Sungrow, and Jinko Solar have',
    ),
    "ambiguous-quote": (GOOD_ENTITY.replace("Trina Solar, Sungrow", "Greater Neo Bay"),
                        "99-test.yaml:3: entity 'test-entity': quote is ambiguous: \"Greater Neo Bay\" occurs"),
    "bad-slug": (GOOD_ENTITY.replace("test-entity", "Test_Entity"), "99-test.yaml:3: 'id' must be a slug"),
    "bad-period": (_figure("unit: count, period: 2023-H3"), "99-test.yaml:8: figure 'f': bad period '2023-H3'"),
    "unknown-unit": (_figure("unit: dollars"), "99-test.yaml:8: figure 'f': unknown unit 'dollars'"),
    "not-a-number": (_figure("unit: count").replace("value: 1,", "value: many,"),
                     "99-test.yaml:8: 'value' must be a number, not 'many'"),
    "indicator-of-wrong-type": (_figure("unit: count", entity_type="Enterprise"),
                                "99-test.yaml:8: figure 'f': indicator 'test-entity' must be of type Indicator"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_annotation_is_one_clear_line(name: str, project: Path):
    text, expected = CASES[name]
    (project / "data" / "annotations" / BRIEFING / "99-test.yaml").write_text(text, encoding="utf-8")
    result = run(project, "build")
    _check_failure(result, expected)
    assert not (project / "build").exists(), "nothing half-written"


def test_failed_rebuild_leaves_previous_build_untouched(project: Path):
    assert run(project, "build").exit_code == 0
    before = {p: p.read_bytes() for p in (project / "build").rglob("*") if p.is_file()}
    bad = CASES["unknown-type"][0]
    (project / "data" / "annotations" / BRIEFING / "99-test.yaml").write_text(bad, encoding="utf-8")
    _check_failure(run(project, "build"), "unknown type")
    # other commands rebuild first, and fail the same way
    _check_failure(run(project, "export"), "unknown type")
    after = {p: p.read_bytes() for p in (project / "build").rglob("*") if p.is_file()}
    assert after == before


def test_malformed_ontology_names_file_and_line(project: Path):
    onto = project / "ontology" / "kg.ttl"
    lines = onto.read_text(encoding="utf-8").splitlines()
    lines[40] = lines[40] + " kg:dangling"
    onto.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(project, "build")
    assert result.exit_code == 2
    assert "ontology/kg.ttl:" in result.stderr and "malformed ontology" in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert not (project / "build").exists()


def test_malformed_metadata(project: Path):
    meta = project / "data" / "briefings" / f"{BRIEFING}.meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("held: 2023-09-07", "held: 7 September"), encoding="utf-8")
    _check_failure(run(project, "build"), f"{BRIEFING}.meta.yaml:3: 'held' must be a date")


def test_not_a_project(tmp_path: Path):
    result = run(tmp_path, "build")
    assert result.exit_code == 2
    assert "not a kg project" in result.stderr


def test_unwritable_output(built_project: Path, tmp_path: Path):
    result = run(built_project, "export", "-o", str(tmp_path / "missing-dir" / "x" / "out.ttl"))
    # parent folders are created; a path under a file is not writable
    assert result.exit_code == 0
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run(built_project, "export", "-o", str(blocker / "out.ttl"))
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0


def test_unwritable_output_names_the_file_not_its_temporary(built_project: Path, tmp_path: Path, monkeypatch):
    import tempfile

    def refuse(prefix: str, dir: Path):
        raise PermissionError(13, "Permission denied", str(Path(dir) / f"{prefix}tmp123"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    out = tmp_path / "out.ttl"
    result = run(built_project, "export", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {out}: cannot write the file: Permission denied (EACCES)\n"
    assert not out.exists()
