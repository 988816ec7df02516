"""One "did you mean" suggester (kg/suggest.py) for every message that offers names, where there were seven."""

from __future__ import annotations

import re

from conftest import ROOT
from kg.suggest import did_you_mean, suggest


def test_only_kg_suggest_makes_suggestions():
    others = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted((ROOT / "kg").glob("*.py"))
              if p.name != "suggest.py"}
    assert [name for name, code in others.items() if re.search(r"\bdifflib\b", code)] == []
    # a hand-written tail: "did you mean" in code, not in the output a docstring example shows
    def code_lines(code: str) -> list[str]:
        return [ln for ln in code.splitlines() if not ln.strip().startswith(("kg.errors.KgError:", ">>>", "..."))]
    assert [name for name, code in others.items() if any("did you mean" in ln for ln in code_lines(code))] == []


def test_close_spellings_first_then_names_that_contain_the_word():
    names = ["enterprises-by-zone", "linked-to-zone", "zone-sectors", "officials"]
    assert suggest("enterprises-by-zon", names, cutoff=0.5, containing=True) == ["enterprises-by-zone"]
    assert suggest("zone", names, containing=True) == ["zone-sectors", "linked-to-zone", "enterprises-by-zone"]
    assert suggest("zone", names) == []
    assert suggest("zone", names, n=1, containing=True) == ["zone-sectors"]


def test_the_tail_of_a_message():
    assert did_you_mean(["a", "b"]) == "; did you mean a, b?"
    assert did_you_mean([], "; `kg queries` lists them") == "; `kg queries` lists them"
