"""The rule families as data: each names its rules, their confidence and its own example sentences (tests
run every example, tests/test_draft.py). Rules are over the genre's patterns, never over one text's names."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The word a name ends with → the ontology class it names (names of this genre carry their kind).
KINDS: dict[str, str] = {
    "Zone": "FunctionalZone", "Hub": "FunctionalZone", "Park": "IndustrialPark", "Commission": "PublicAuthority",
    "Bureau": "PublicAuthority", "Office": "PublicAuthority", "Committee": "PublicAuthority",
    "Government": "PublicAuthority", "Administration": "PublicAuthority", "Department": "PublicAuthority",
    "University": "University", "College": "University", "Institute": "ResearchInstitute",
    "Academy": "ResearchInstitute", "Hospital": "Hospital", "Fund": "Fund", "Plan": "Plan", "Policy": "Policy",
    "Programme": "Programme", "Program": "Programme", "Project": "Project", "Platform": "Platform",
    "Laboratory": "Platform", "Lab": "Platform", "Centre": "Facility", "Center": "Facility",
    "Museum": "Museum", "Library": "Library", "District": "District", "City": "City", "Town": "UrbanVillage",
    "Village": "UrbanVillage", "Alliance": "Partnership", "Robotics": "Enterprise", "Group": "Enterprise",
    "Technologies": "Enterprise", "Technology Co.": "Enterprise", "Corporation": "Enterprise",
}
#: Plural head nouns of lists ("parks such as ...") and collective mentions ("nine universities").
PLURALS: dict[str, str] = {
    "zones": "FunctionalZone", "parks": "IndustrialPark", "universities": "University",
    "hospitals": "Hospital", "enterprises": "Enterprise", "companies": "Enterprise", "firms": "Enterprise",
    "institutes": "ResearchInstitute", "platforms": "Platform", "projects": "Project", "funds": "Fund",
    "museums": "Museum", "libraries": "Library", "towns": "UrbanVillage", "villages": "UrbanVillage",
}
#: Words that may stand inside a name between its capitalised words.
CONNECTORS = ("of", "and", "for", "on", "&")
#: Words that make a post ("Secretary of ...", "deputy director of ...").
POST_WORDS = ("Secretary", "Deputy Secretary", "Director", "Deputy Director", "Chief", "Deputy Chief", "Mayor",
              "Deputy Mayor", "Head", "Chairman", "Chair", "President", "Vice President", "Governor",
              "Spokesperson", "Dean", "General Manager", "Member")

_CAP = r"[A-Z][\w’'.-]*"
_KIND_ALT = "|".join(sorted((re.escape(k) for k in KINDS), key=len, reverse=True))
#: A name: capitalised words (connectors between), ending with a kind word, optionally "(X Section)".
NAME = re.compile(
    rf"(?<![\w’])(?:{_CAP}[ \t\n]+)(?:(?:{_CAP}|{'|'.join(map(re.escape, CONNECTORS))})[ \t\n]+)*"
    rf"(?:{_KIND_ALT})\b(?:[ \t\n]+\({_CAP}(?:[ \t\n]+{_CAP})*\))?")
#: "Name, Post of Body": a person of two or three capitalised words, then a post word, then "of" a body.
_POST_ALT = "|".join(sorted(POST_WORDS, key=len, reverse=True))
PERSON = re.compile(
    rf"(?<![\w’])(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){{1,2}}),[ \t\n]+(?:the[ \t\n]+)?"
    rf"(?P<post>(?i:{_POST_ALT}))[ \t\n]+(?:of|at)[ \t\n]+(?:the[ \t\n]+)?(?=[A-Z])")
#: "held the 4th press briefing": the briefing as an event, with its organiser before "held".
EVENT = re.compile(r"held[ \t\n]+the[ \t\n]+(?P<n>\d+)(?:st|nd|rd|th)[ \t\n]+(?:press|media|news)[ \t\n]+"
                   r"(?:briefing|conference)")
#: "parks such as A, B and C": a list of entities of the head noun's type.
LIST = re.compile(rf"\b(?P<head>{'|'.join(PLURALS)})[ \t\n]+(?:such[ \t\n]+as|including)[ \t\n]+(?P<items>[^.;:]+)")
#: Collective mentions: "nine universities", "key parks".
_NUMWORDS = "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many|key|major|leading"
GENERIC = re.compile(rf"\b(?:{_NUMWORDS})[ \t\n]+(?:[a-z-]+[ \t\n]+)?(?P<head>{'|'.join(PLURALS)})\b")
#: Status from the verbs of the sentence that names an initiative or facility.
STATUS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("InOperation", re.compile(r"\b(?:already in operation|in operation|has opened|have opened|has been completed"
                               r"|was completed|were completed|has been put into (?:operation|use))\b")),
    ("UnderWay", re.compile(r"\b(?:is|are) (?:constructing|building|advancing|developing)\b|under construction"
                            r"|\bis being built\b")),
    ("Planned", re.compile(r"\b(?:will|plans? to|is planned to|are planned to|is to be|aims? to)\b")),
)
#: Relations between two entities of one sentence, by the words between them (subject first).
BETWEEN: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("place", "in", re.compile(r"^,?[ \t\n]+(?:lies|is located|located|sits)?[ \t\n]*(?:in|within|on the [a-z]+ "
                               r"(?:shore|side|bank|edge) of)[ \t\n]+(?:the[ \t\n]+)?$")),
    ("launch", "by", re.compile(r"(?:launched|initiated|set up|established|founded|built)[ \t\n]+(?:jointly[ \t\n]+)?"
                                r"by[ \t\n]+(?:the[ \t\n]+)?$|together with[ \t\n]+$")),
    ("manage", "by", re.compile(r"(?:managed|operated|run)[ \t\n]+by[ \t\n]+(?:the[ \t\n]+)?$")),
    ("link", "to", re.compile(r"(?:linked|connected)[ \t\n]+(?:to|with)[ \t\n]+(?:the[ \t\n]+)?$|connecting[ \t\n]+"
                              r"(?:the[ \t\n]+)?$")),
    ("partner", "with", re.compile(r"partner(?:ed|s|ing)?[ \t\n]+with[ \t\n]+(?:the[ \t\n]+)?$")),
)
PLACES = ("Country", "Region", "City", "District", "FunctionalZone", "IndustrialPark", "UrbanVillage")


@dataclass(frozen=True)
class Family:
    """A named family of rules: each rule's confidence, and example sentences with what they must yield."""

    name: str
    rules: dict[str, float]
    examples: tuple[tuple[str, tuple[str, ...]], ...]  # sentence → quotes (or values) the family must find


FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family("name", {"kind-word": 0.85, "known": 0.95, "fuzzy": 0.75}, (
        ("The Tallowmere Quantum Science Zone opened in Fenwick District.",
         ("Tallowmere Quantum Science Zone", "Fenwick District")),
        ("Grants come from the Fenwick Green Shipping Fund.", ("Fenwick Green Shipping Fund",)),
    )),
    Family("person", {"name-post-of-body": 0.9, "post": 0.85, "role": 0.8}, (
        ("Ida Brannock, Deputy Director of the Fenwick District Health Commission, spoke.",
         ("Ida Brannock", "Deputy Director of the Fenwick District Health Commission")),
    )),
    Family("event", {"held-briefing": 0.9, "organizer": 0.8, "presenter": 0.7, "attendee": 0.6}, (
        ("The Fenwick Information Office held the 3rd press briefing of the series.", ("3",)),
    )),
    Family("list", {"such-as": 0.7, "generic": 0.6}, (
        ("It hosts parks such as Ashby Park and Corrin Park.", ("Ashby Park", "Corrin Park")),
        ("The district has nine universities.", ("nine universities",)),
    )),
    Family("figure", {"money": 0.85, "area": 0.85, "percent": 0.75, "count": 0.7}, (
        ("Fenwick District’s tax revenue reached 3.25 billion yuan, up 7.5%.", ("3250000000",)),
        ("Ashby Park covers 120,000 square meters.", ("120000",)),
        ("Over 450 enterprises have settled in Fenwick District.", ("450",)),
    )),
    Family("relation", {"place/in": 0.6, "launch/by": 0.6, "manage/by": 0.65, "link/to": 0.55,
                        "partner/with": 0.6, "status": 0.6}, (
        ("The Ashby Robotics Centre is planned to open in the Tallowmere Quantum Science Zone.", ("Planned",)),
    )),
)}


def confidence(rule: str) -> float:
    """The confidence of ``family/rule``."""
    family, name = rule.split("/", 1)
    return FAMILIES[family].rules[name]
