"""What the graph says about the briefing, checked against the text itself."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from conftest import BRIEFING, ROOT
from kg.build import read_facts
from kg.project import find_project
from kg.vocab import KG

ORG = "http://www.w3.org/ns/org#"


@pytest.fixture(scope="module")
def facts():
    [one] = [f for f in read_facts(find_project(ROOT)) if f.briefing.slug == BRIEFING]
    return one


def test_fiscal_revenue_figure(facts):
    [f] = [f for f in facts.figures if f.value == Decimal("18137000000")]
    assert (f.about, str(f.unit), f.period.key, f.yoy) == (
        "minhang-district", "http://qudt.org/vocab/unit/CCY_CNY", "2023-H1", Decimal("24.5"))
    assert f.stated.text == "18.137 billion yuan"
    sentence = facts.sentences_of(f.span)[0].text
    assert sentence.startswith("In the first half of this year, Minhang’s district-level fiscal")


def test_officials_and_their_posts(facts):
    rel = {(r.s, str(r.p), r.o) for r in facts.relations}
    posts = {}
    for s, p, o in rel:
        if p == ORG + "holds":
            org = next(o2 for s2, p2, o2 in rel if s2 == o and p2 == ORG + "postIn")
            posts.setdefault(s, set()).add(org)
    assert posts == {
        "chen-yujian": {"cpc-minhang-district-committee"},
        "chen-huawen": {"cpc-minhang-district-committee", "minhang-district-government"},
        "han-yongqiang": {"minhang-development-reform-commission"},
        "xu-hao": {"minhang-science-technology-commission"},
    }


def test_huawei_partnership_builds_mindspore_centre(facts):
    rel = {(r.s, str(r.p), r.o) for r in facts.relations}
    partnerships = {s for s, p, o in rel if p == ORG + "hasMember" and o == "huawei"}
    built = {o for s, p, o in rel if s in partnerships and p == str(KG.establishes)}
    assert "shanghai-mindspore-ai-framework-innovation-center" in built


def test_briefing_event_was_held_and_attended(facts):
    rel = {(r.s, str(r.p), r.o) for r in facts.relations if r.s == "briefing-minhang-2023-09-07"}
    assert ("briefing-minhang-2023-09-07", str(KG.organizer), "shanghai-information-office") in rel
    attendees = {o for s, p, o in rel if p == str(KG.attendee)}
    assert attendees == {"chen-yujian", "chen-huawen", "han-yongqiang", "xu-hao"}


# Numerals in the text that are not figures: dates, ordinals and names (a pattern around each).
NOT_FIGURES = [
    r"September 7, 2023", r"\(September 7\)",  # the date of the briefing
    r"the 10th press", r"the 20th National", r"the 12th CPC",  # ordinals in names
    r"“1\+10\+X”", r"“985”",  # names of a framework and of a university programme
    r"Since 2021",  # the start of a period, recorded as the period of its figures
]


def test_every_number_in_the_text_is_a_figure(facts):
    text = facts.briefing.text
    covered = [((f.stated or f.span).begin, (f.stated or f.span).end) for f in facts.figures]
    # a year-on-year change sits in its figure's quote
    covered += [
        (f.span.begin + m.start(), f.span.begin + m.end())
        for f in facts.figures if f.yoy is not None
        for m in re.finditer(re.escape(str(f.yoy)), f.span.text)
    ]
    excused = [(m.start(), m.end()) for p in NOT_FIGURES for m in re.finditer(p, text)]
    assert len(excused) == len(NOT_FIGURES)  # each still matches once: the text has not changed under us
    missing = [
        m.group() for m in re.finditer(r"\d+(?:[.,]\d+)*", text)
        if not any(b <= m.start() and m.end() <= e for b, e in covered + excused)
    ]
    assert missing == []


NUMBER_WORDS = r"\b(two|three|four|five|six|seven|eight|nine)\b"


def test_every_counted_number_word_is_a_figure(facts):
    text = facts.briefing.text
    spans = [f.span for f in facts.figures]
    missing = [
        text[max(0, m.start() - 20) : m.end() + 20].replace("\n", " ")
        for m in re.finditer(NUMBER_WORDS, text)
        if not any(s.begin <= m.start() < s.end for s in spans)
    ]
    assert missing == []


def test_named_entities_occur_under_their_names(facts):
    """Every enterprise, person, university, museum and place is named in the text by its name or an alias."""
    text = " ".join(facts.briefing.text.split())
    named_kinds = {KG.Enterprise, KG.Person, KG.University, KG.Museum, KG.District, KG.City}
    unnamed = {"nine-partner-universities"}  # the text counts them ("nine universities") but names none
    missing = [ident for ident, (kind, names) in facts.spellings().items()
               if kind in named_kinds and not any(n in text for n in names)]
    assert sorted(missing) == sorted(unnamed)


def test_mentions_are_found_for_most_entities(facts):
    mentioned = {ident for span, ident in facts.mentions}
    assert {"huawei", "minhang-district", "greater-neo-bay", "chen-yujian", "shanghai"} <= mentioned
