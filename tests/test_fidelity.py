"""Fidelity of what the graph says (issue 9): each gap checked against the words of the bundled briefing.

Every test reads the facts the build derives from data/briefings/minhang-2023-09-07.txt and its annotations,
and compares them with what the text says, sentence by sentence."""

from __future__ import annotations

import re

import pytest

from conftest import BRIEFING, ROOT
from kg.build import read_facts
from kg.facts import Facts
from kg.project import find_project
from kg.vocab import KG


@pytest.fixture(scope="module")
def facts() -> Facts:
    [one] = [f for f in read_facts(find_project(ROOT)) if f.briefing.slug == BRIEFING]
    return one


def words(text: str) -> str:
    return " ".join(text.split())


# --- gap 6: every status is the status its verb says ------------------------------------------------------

#: The tense of a sentence, as cues in the order they are tried: the first that matches a status's quote
#: (with its antecedent) decides the status. "will persist in constructing" goes on, so it is under way;
#: "to establish" after a progressive verb is the aim of work under way.
STATUS_CUES = [
    ("Planned", r"\bwill (?!persist)\w+|\bplans to\b|\bseek to\b|\bstrive to\b"),
    ("UnderWay", r"\b(are|is|remains?)\b (\w+ ){0,3}\w+ing\b|\bbeing \w+ed\b|\bunderway\b|\bongoing\b|\bembarked\b"
                 r"|\bwill persist in \w+ing\b|\bchampion\b|\bjoined forces\b|\bmanagement of the construction\b"
                 r"|\bplaces paramount importance\b"),
    ("InOperation", r"\b(have|has|we’ve)\b( \w+ly)? \w+(ed|en|ght)\b|\balready in operation\b|\bnow stands\b"
                    r"|\bunveiled\b|\boversees\b|\bactively support\b|\bis reflected in the creation\b"
                    r"|\bThe implementation of\b|\bfostering the development of centers\b|\bpioneering\b"),
    ("Planned", r"\bto establish\b|\bto create\b"),
]


def status_by_verb(quote: str) -> str | None:
    return next((status for status, cue in STATUS_CUES if re.search(cue, quote)), None)


def test_every_status_follows_the_verb_of_its_quote(facts):
    wrong = []
    for r in facts.relations:
        if r.p != KG.status:
            continue
        said = words((r.antecedent.text + " … " if r.antecedent else "") + r.span.text)
        have = str(r.o).rsplit("#", 1)[1]
        if status_by_verb(said) != have:
            wrong.append((r.s, have, status_by_verb(said), said))
    assert wrong == []


@pytest.mark.parametrize(("entity", "status", "sentence"), [
    ("new-hongqiao-high-level-hospitals", "InOperation", "with five high-level hospitals already in operation"),
    ("hongqiao-qianwan-center", "Planned", "We will expedite the planning and construction of key facilities"),
    ("hongqiao-future-center", "Planned", "We will expedite the planning and construction of key facilities"),
    ("hongqiao-international-culture-art-center", "Planned", "We will expedite the planning and construction"),
    ("top-tier-incubators", "Planned", "We will expedite the establishment of top-tier incubators"),
    ("collaborative-innovation-platform-system", "UnderWay", "we are constructing a dynamic collaborative"),
    ("minhang-museum", "InOperation", "the Minhang Museum has earned its place"),
    ("southern-science-technology-district", "UnderWay", "we are enhancing the accessibility of green spaces"),
])
def test_statuses_from_the_text(facts, entity, status, sentence):
    [r] = [r for r in facts.relations if r.s == entity and r.p == KG.status]
    assert str(r.o) == str(KG[status])
    assert sentence in words(facts.sentences_of(r.span)[0].text)


def test_a_figure_already_achieved_is_not_a_target(facts):
    [f] = [f for f in facts.figures if f.id == "new-hongqiao-high-level-hospitals-in-operation"]
    assert f.status == KG.InOperation  # "five high-level hospitals already in operation"


# --- gap 1: initiatives and events have a time ----------------------------------------------------------

def test_the_plan_was_unveiled_in_february_2023(facts):
    # "Since the municipal government unveiled the Plan to Promote the Construction of the Greater Neo Bay
    # ... Functional Zone in February of this year"
    [r] = [r for r in facts.relations if r.s == "plan-greater-neo-bay-construction" and r.p == KG.launchedBy]
    assert r.o == "shanghai-municipal-government"
    assert r.period is not None and (r.period.begin.isoformat(), r.period.end and r.period.end.isoformat()) == (
        "2023-02-01", "2023-02-28")
    assert r.when is not None and words(r.when.text) == "in February of this year"


def test_the_meeting_was_convened_at_the_outset_of_the_year(facts):
    # "At the outset of this year, we convened a pivotal meeting"
    [r] = [r for r in facts.relations if r.s == "education-healthcare-development-meeting-2023" and r.p == KG.organizer]
    assert r.period is not None and r.period.key == "2023"
    assert r.when is not None and words(r.when.text) == "At the outset of this year"


def test_partnerships_forged_since_february(facts):
    # "Since the municipal government unveiled the Plan ... in February of this year, we have forged robust
    # partnerships": from February to the day of the briefing
    [r] = [r for r in facts.relations
           if r.s == "partnership-greater-neo-bay-universities-institutes" and r.p == KG.status]
    assert r.period is not None and r.period.key == "2023-02/2023-09-07"


# --- gap 2: sections, and facts placed in the region their section is about -------------------------------

def test_the_briefing_has_its_parts(facts):
    parts = {s.id: s for s in facts.sections}
    assert [s.id for s in facts.sections if s.part_of == "achievements"] == [
        "achievement-opening-up", "achievement-innovation", "achievement-industry-city"]
    assert [s.id for s in facts.sections if s.part_of == "plans"] == [
        "plan-north", "plan-south", "plan-industry", "plan-urban"]
    assert parts["plan-north"].about == ("minhang-northern-region",)
    assert parts["plan-south"].about == ("three-southern-regions",)
    # a part runs to the next part's heading: the plans contain their four parts, the first aspect does not
    # reach into the second
    assert parts["plans"].span.begin < parts["plan-north"].span.begin < parts["plan-urban"].span.end \
        == parts["plans"].span.end == len(facts.briefing.text)
    assert parts["achievement-opening-up"].span.end == parts["achievement-innovation"].heading.begin


def test_a_fact_belongs_to_the_part_it_is_stated_in(facts):
    [r] = [r for r in facts.relations if r.s == "hongqiao-qianwan-center" and r.p == KG.status]
    section = facts.section_of(r.span)
    assert section is not None and section.id == "plan-north"


def test_facts_of_the_north_and_south_are_placed_there(facts):
    rel = {(r.s, r.o) for r in facts.relations if r.p in (KG.locatedIn, SCHEMA_CONTAINED)}
    # "Firstly, ... the northern region ... key facilities such as the Hongqiao Qianwan Center"
    assert ("hongqiao-qianwan-center", "minhang-northern-region") in rel
    assert ("hongqiao-qianwan-center", "minhang-district") not in rel
    # "Secondly, ... the three southern regions ... We are also diligently crafting an appealing riverside trail"
    assert ("riverside-trail", "three-southern-regions") in rel
    assert ("collaborative-innovation-platform-system", "three-southern-regions") in rel


SCHEMA_CONTAINED = __import__("rdflib").URIRef("https://schema.org/containedInPlace")


# --- gap 3: what the text calls key is a key sector --------------------------------------------------------

def test_key_sectors_are_told_from_sectors_named_in_passing(facts):
    key = {(r.s, r.o) for r in facts.relations if r.p == KG.keySector}
    passing = {(r.s, r.o) for r in facts.relations if r.p == KG.focusSector}
    # "with a dedicated focus on key sectors such as biomedicine, new energy, the digital economy, and high-end
    # professional services"; "iconic and leading industries in trade, talent, legal services, and finance"
    assert {o for s, o in key if s == "hongqiao-cbd"} == {
        "sector-biomedicine", "sector-new-energy", "sector-digital-economy", "sector-professional-services"}
    assert ("hongqiao-cbd", "sector-finance") in passing
    # "Our primary emphasis remains on pivotal domains such as biomedicine, integrated circuits, artificial
    # intelligence, and high-end equipment" (the three southern regions)
    assert {o for s, o in key if s == "three-southern-regions"} == {
        "sector-biomedicine", "sector-integrated-circuits", "sector-artificial-intelligence",
        "sector-high-end-equipment"}
    # every key sector's quote says so
    for r in facts.relations:
        if r.p == KG.keySector:
            assert re.search(r"\b(key|primary|pivotal|focal|vital)\b", r.span.text), r
    # and a key sector is a focus sector too
    assert all(KG.focusSector in r.implied for r in facts.relations if r.p == KG.keySector)


# --- gap 4: generic mentions and natural features ----------------------------------------------------------

def test_generic_mentions_are_marked(facts):
    generic = {e.id for e in facts.entities if e.generic} | {m.entity.id for m in facts.shared if m.entity.generic}
    # "constructing a batch of key parks, ecological park belts encircling the city, greenways"; "upscale
    # business hotels"; "nine medical facilities"
    assert {"key-parks-batch", "ecological-park-belts", "greenways", "southern-business-hotels",
            "medical-facilities-with-municipal-hospitals", "nine-partner-universities"} <= generic
    named = {"pujiang-country-park", "minhang-cultural-park", "minhang-museum", "huawei", "greater-neo-bay"}
    assert not named & generic


def test_a_lake_is_a_lake(facts):
    [lake] = [e for e in facts.entities if e.id == "chunshen-lake"]
    assert lake.type == KG.Lake  # "the four islands of Chunshen Lake"


def test_every_named_park_occurs_under_its_name(facts):
    """A park that is not generic is named in the text by its name or an alias beginning with a capital."""
    text = words(facts.briefing.text)
    for ident, (kind, names) in facts.spellings().items():
        generic = next((e.generic for e in facts.entities if e.id == ident), False)
        if kind == KG.Park and not generic:
            assert any(n[0].isupper() and n in text for n in names), ident


# --- gap 5: figures are linked to what they count, and to what the sentence states them about --------------

def test_counts_are_linked_to_what_they_count(facts):
    by_id = {f.id: f for f in facts.figures}
    assert by_id["parks-total"].counts == KG.Park  # "we have developed a total of 193 parks"
    nine = by_id["medical-facilities-launched-with-municipal-hospitals"]
    # "Collaborative partnerships with municipal medical institutions ... have led to the launch of nine
    # medical facilities"
    assert (nine.about, nine.counts) == ("partnership-municipal-hospitals-medical-facilities",
                                         "medical-facilities-with-municipal-hospitals")
    assert by_id["new-hongqiao-high-level-hospitals-in-operation"].counts == "new-hongqiao-high-level-hospitals"


def test_a_count_whose_quote_names_a_group_counts_it(facts):
    """Wherever a count's quote names a generic group, the figure counts that group (or its class)."""
    generic = {e.id for e in facts.entities if e.generic} | {m.entity.id for m in facts.shared if m.entity.generic}
    missing = []
    for f in facts.figures:
        if str(f.unit) != "http://qudt.org/vocab/unit/NUM" or f.stated is None:
            continue
        after = [ident for span, ident in facts.mentions
                 if ident in generic and f.stated.end <= span.begin < f.span.end and span.begin - f.stated.end < 40]
        if after and f.counts not in after:
            missing.append((f.id, after))
    assert missing == []


def test_figures_of_the_collaboration_are_about_it(facts):
    # "This collaboration extends to cover more than 440 research and development institutions across various
    # levels, alongside a cohort of over 1,000 high-caliber overseas talents"
    about = {f.id: f.about for f in facts.figures}
    assert about["rd-institutions-minhang"] == about["high-caliber-overseas-talents-minhang"] == \
        "partnership-greater-neo-bay-universities-institutes"


# --- gap 8: a fact's evidence is its own sentence, naming what it is about ---------------------------------

def test_every_quote_lies_in_one_sentence(facts):
    across = [words(x.span.text) for x in (*facts.relations, *facts.figures) if len(facts.sentences_of(x.span)) > 1]
    assert across == []


def test_respectively_facts_name_their_subject_in_an_antecedent(facts):
    names = facts.names()
    spellings = facts.spellings()
    for x in (*facts.relations, *facts.figures):
        if "respectively" not in x.span.text:
            continue
        subject = x.s if hasattr(x, "s") else x.about
        assert x.antecedent is not None, x
        assert facts.sentences_of(x.antecedent) != facts.sentences_of(x.span)
        assert any(words(n) in words(x.antecedent.text) for n in spellings[subject][1]), (names[subject], x)


# --- gap 7: names as people type them ---------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "entity"), [
    ("Hongqiao CBD", "hongqiao-cbd"),  # common usage
    ("Hongqiao International CBD", "hongqiao-cbd"),  # the abbreviation of "Central Business District"
    ("hongqiao international cbd (minhang section)", "hongqiao-cbd-minhang-section"),
    ("Powerlong", "powerlong-museum"),  # a partial name only one entity has
])
def test_describe_finds_names_as_people_type_them(built_project, typed, entity):
    from conftest import run

    result = run(built_project, "describe", typed)
    assert result.exit_code == 0, result.output
    assert f"kgr:{entity}" in result.stdout.splitlines()[1]


def test_an_ambiguous_partial_name_is_still_refused(built_project):
    from conftest import run

    result = run(built_project, "describe", "Hongqiao")  # a dozen entities start so
    assert result.exit_code == 2 and "no entity called 'Hongqiao'; did you mean" in result.stderr
