"""The rule families as data: each names its rules, their confidence and its own example sentences (tests
run every example, tests/test_draft.py). Rules are over the genre's patterns, never over one text's names."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The words a name ends with → the ontology class it names (names of this genre carry their kind). The
#: longest ending wins: "Medical Center" is a hospital where "Center" alone is a platform, "Country Park" a
#: park where "Industrial Park" is an industrial park.
KINDS: dict[str, str] = {
    "Zone": "FunctionalZone", "Area": "FunctionalZone", "Hub": "FunctionalZone",
    "Central Business District": "FunctionalZone",
    "Industrial Zone": "IndustrialPark", "Development Zone": "IndustrialPark", "Pilot Zone": "IndustrialPark",
    "Park": "Park", "Industrial Park": "IndustrialPark", "Science Park": "IndustrialPark",
    "Technology Park": "IndustrialPark", "Innovation Park": "IndustrialPark",
    "Software Park": "IndustrialPark", "Tech Park": "IndustrialPark", "Industry Park": "IndustrialPark",
    "Science City": "IndustrialPark",
    "Technology City": "IndustrialPark", "Greenway": "Park", "Trail": "Park",
    "Commission": "PublicAuthority", "Bureau": "PublicAuthority", "Office": "PublicAuthority",
    "Committee": "PublicAuthority", "Government": "PublicAuthority", "Administration": "PublicAuthority",
    "Department": "PublicAuthority", "Congress": "PublicAuthority", "University": "University",
    "College": "University", "Institute": "ResearchInstitute", "Academy": "ResearchInstitute",
    "Hospital": "Hospital", "Medical Center": "Hospital", "Medical Centre": "Hospital", "Fund": "Fund",
    "Plan": "Plan", "Policy": "Policy", "Programme": "Programme", "Program": "Programme", "Project": "Project",
    "Platform": "Platform", "Laboratory": "Platform", "Lab": "Platform", "Centre": "Platform", "Center": "Platform",
    "Market": "Platform", "Port": "Platform", "Station": "Facility", "Terminal": "Facility",
    "Museum": "Museum", "Library": "Library", "District": "District",
    "City": "City", "Town": "UrbanVillage", "Village": "UrbanVillage", "Lake": "Lake", "Delta": "Region",
    "Alliance": "Partnership", "Robotics": "Enterprise", "Group": "Enterprise", "Technologies": "Enterprise",
    "Corporation": "Enterprise", "Co., Ltd.": "Enterprise", "Company": "Enterprise",
}
#: Plural head nouns of lists ("parks such as ...") and collective mentions ("nine universities").
PLURALS: dict[str, str] = {
    "zones": "FunctionalZone", "parks": "IndustrialPark", "universities": "University",
    "hospitals": "Hospital", "enterprises": "Enterprise", "companies": "Enterprise", "firms": "Enterprise",
    "corporations": "Enterprise", "institutes": "ResearchInstitute", "institutions": "Institution",
    "platforms": "Platform", "projects": "Project", "funds": "Fund", "museums": "Museum", "libraries": "Library",
    "facilities": "Facility", "towns": "UrbanVillage", "villages": "UrbanVillage", "centers": "Platform",
    "centres": "Platform",
}
#: Words before a list's head "parks" that make its parks industrial ones.
INDUSTRIAL = re.compile(r"\b(?i:industrial|industry|science|technology|tech|innovation|business)[ \t\n]+$")
#: Plural heads of lists of sectors, whose items are lower-case ("key sectors such as biomedicine, ...").
SECTOR_HEADS = ("sectors", "industries", "fields", "domains", "areas")
#: Words that make a post ("Secretary of ...", "deputy director of ...").
POST_WORDS = ("Secretary", "Director-General", "Director General", "Director", "Chief", "Mayor", "Head", "Chairman",
              "Chair", "President", "Governor", "Spokesperson", "Dean", "General Manager", "Member", "Commissioner",
              "Minister")
#: What may stand before a post word: "Deputy Party Secretary", "Vice Mayor", "Executive Deputy Director".
POST_PREFIX = (r"(?:(?:Deputy|Vice|Executive|Acting|Standing|First)[ \t\n]+)*"
               r"(?:(?:Party|Committee|District|City)[ \t\n]+)?")
#: Words that may stand inside a name between its capitalised words.
CONNECTORS = ("of", "and", "for", "&")
#: A capitalised word; a possessive ends a name ("Halloway District’s Eastgate Zone" is two names), except that
#: of a plural without s ("Children’s Hospital", "People’s Government").
_WORD = r"[A-Z][\w’'-]*(?<!(?<!ren|men|ple)[’']s)"  # a capitalised word without a full stop
_CAP = rf"(?:[A-Z][a-z]{{0,2}}\.|{_WORD})"  # a full stop only ends an abbreviation ("Co."), not a sentence
#: The space between a name's words: a line break may stand there, a blank line (a new paragraph) may not.
_SP = r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)"
_KIND_ALT = "|".join(sorted((re.escape(k) for k in KINDS), key=len, reverse=True))
#: A name: capitalised words (connectors between), ending with a kind word, optionally "(X Section)".
NAME = re.compile(
    rf"(?<![\w’])(?:{_CAP}{_SP})(?:(?:{_CAP}|{'|'.join(map(re.escape, CONNECTORS))}){_SP})*"
    rf"(?:{_KIND_ALT})(?![\w-])(?:{_SP}of{_SP}(?:the{_SP})?{_WORD}(?:{_SP}(?:{_WORD}|of))*(?<![ \t\n]of))?"
    rf"(?:{_SP}\({_CAP}(?:{_SP}{_CAP})*\))?")
#: "Name, Post of Body" (or "Name now serves as post of Body"): a person of two or three capitalised words,
#: a post, then "of" a body. "Name, Deputy Party Secretary and chief of Body" holds two posts of one body.
_POST_ALT = "|".join(sorted(POST_WORDS, key=len, reverse=True))
_POST = rf"(?i:{POST_PREFIX}(?:{_POST_ALT}))"
PERSON = re.compile(
    rf"(?<![\w’])(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){{1,2}})(?:,|[ \t\n]+(?:now[ \t\n]+)?serves[ \t\n]+as"
    rf"|[ \t\n]+(?:was|has been)[ \t\n]+appointed(?:[ \t\n]+as)?)[ \t\n]+(?:the[ \t\n]+)?"
    rf"(?P<post>{_POST}(?:[ \t\n]+and[ \t\n]+{_POST})?)[ \t\n]+(?:of|at)[ \t\n]+(?P<the>the[ \t\n]+)?(?=[A-Z])")
#: "held the 4th press briefing": the briefing as an event, with its organiser before "held".
EVENT = re.compile(r"held[ \t\n]+(?:the[ \t\n]+(?P<n>\d+)(?:st|nd|rd|th)|a)[ \t\n]+(?:press|media|news)[ \t\n]+"
                   r"(?:briefing|conference)|\b(?:[Aa]t[ \t\n]+)?(?:a|the)[ \t\n]+(?:press|media|news)[ \t\n]+"
                   r"(?:briefing|conference)[ \t\n]+(?:held|given|hosted)\b"
                   r"|\b(?:said|announced|told[ \t\n]+reporters)[ \t\n]+at[ \t\n]+(?:a|the)[ \t\n]+"
                   r"(?:(?:press|media|news)[ \t\n]+)?(?:briefing|conference)\b")
#: "parks such as A, B and C", "over 600 companies, including A and B" (or "among them", "notably", "for
#: example"), "sectors like a, b and c": a list of
#: entities of the head noun's type (adjectives may stand before the head).
#: "in the biopharmaceutical sector": one sector named in passing.
SECTOR = re.compile(r"\b(?:the|its|our)[ \t\n]+(?P<name>[a-z][\w-]*(?:[ \t\n]+[a-z][\w-]*)?)[ \t\n]+sector\b")
_HEADS = "|".join(sorted((*PLURALS, *SECTOR_HEADS), key=len, reverse=True))
#: "sectors in a, b and c", "the fields of a, b and c", "layouts covering a and b" also list sectors.
#: "over 80 institutions have settled in Y, including A and B": a clause may stand between a head and its list.
_MARK = r"such[ \t\n]+as|including|among[ \t\n]+them|among[ \t\n]+which|notably|for[ \t\n]+example"
LIST = re.compile(rf"\b(?P<head>(?i:{_HEADS}))(?:(?P<gap>[ \t\n]+[^.;:,“”]{{1,80}}?),(?=[ \t\n]+(?:{_MARK})))?"
                  rf",?[ \t\n]+(?:{_MARK}|like|(?P<of>in|of|covering))"
                  rf"[ \t\n]+(?=(?P<items>[^.;:]+))")  # a lookahead: a list inside another's items is found too


def lists(text: str, b: int = 0, e: int | None = None) -> list[re.Match[str]]:
    """The lists of text[b:e]: after "such as", "including", "like"; a sector list also after "in" or "of"."""
    return [m for m in LIST.finditer(text, b, len(text) if e is None else e)
            if not (m["of"] and (m["gap"] or m["head"].lower() not in SECTOR_HEADS))]
#: Words that end a lower-case list item ("photonics and smart agriculture will be given priority").
ITEM_END = re.compile(r"[ \t\n]+(?:will|would|shall|can|is|are|was|were|has|have|had|remains?|continues?|to)\b.*",
                      re.DOTALL)
#: Nouns that make a lower-case phrase a place, not a sector ("industries in the district").
PLACE_NOUNS = {"district", "city", "zone", "area", "region", "country", "world", "park", "town", "province"}
#: Collective mentions: "nine universities", "key parks".
#: The number word is left out of the name ("five high-level hospitals" are "high-level hospitals").
_NUMWORDS = "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|many"
GENERIC = re.compile(rf"\b(?:(?:{_NUMWORDS})[ \t\n]+)?(?P<name>(?:(?:key|major|leading)[ \t\n]+)?"
                     rf"(?:[“\"]?[a-z0-9-]+[”\"]?[ \t\n]+)?(?P<head>{'|'.join(PLURALS)}))\b")
#: "the Ashby special fund", "the Corrin venture capital fund": a capitalised name whose kind word is in lower
#: case after up to three lower-case words.
_LOWER_KINDS = "|".join(sorted({k.lower() for k in KINDS if " " not in k and k.isalpha()}, key=lambda k: (-len(k), k)))
NAME_LOWER = re.compile(
    rf"(?<![\w’'])(?:The[ \t\n]+)?(?P<cap>(?:(?!The\b)[A-Z][\w’'-]*(?<![’']s)[ \t\n]+)+)"
    rf"(?P<mid>(?:(?!(?:to|a|an|the|and|of|in|on|with|for|by|at|as|is|are|was)\b)"
    rf"[a-z][\w-]*[ \t\n]+){{0,3}})(?P<kind>{_LOWER_KINDS})(?![\w-])")
_ORD = r"\d+(?:st|nd|rd|th)"
#: "the 20th National Congress of ...", "the Third Plenary Session of ...": a numbered meeting, an event.
MEETING = re.compile(
    rf"\b(?:{_ORD}|First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth)[ \t\n]+"
    rf"(?:{_CAP}[ \t\n]+)*?(?:Congress|Plenary[ \t\n]+Session|Session|Forum|Conference|Expo|Summit)"
    rf"(?:[ \t\n]+of[ \t\n]+(?:the[ \t\n]+)?(?:{_WORD}|{_ORD})(?:[ \t\n]+(?:{_WORD}|of|{_ORD}))*(?<![ \t\n]of))?")
#: Status from the verbs of the sentence that names an initiative or facility.
_PROGRESSIVE = ("constructing|building|advancing|developing|accelerating|expediting|promoting|establishing|creating"
                "|crafting|pushing|upgrading|implementing|setting up|launching")
STATUS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("InOperation", re.compile(r"\b(?:already in operation|in operation|has opened|have opened|opened"
                               r"|has been completed|was completed|were completed|now stands|was launched"
                               r"|has been put into (?:operation|use)|(?:has|have) (?:been )?(?:established|built"
                               r"|launched|set up|created))\b")),
    ("UnderWay", re.compile(rf"\b(?:is|are|we’re|we're)(?: [a-z]+ly)? (?:{_PROGRESSIVE})\b|under construction|ongoing"
                            r"|\b(?:is|are) being (?:built|expedited|advanced|developed|constructed|accelerated)\b"
                            r"|\bunder[ -]?way\b")),
    ("Planned", re.compile(r"\b(?:will|would|plans? to|is planned to|are planned to|is to be|are to be|aims? to"
                           r"|(?:is|are) (?:expected|scheduled|set|due) to)\b")),
)
#: "We have established X", "Our district will build X": the briefing's own government launches X.
WE_LAUNCH = re.compile(r"\b(?:[Ww]e|[Ww]e’ve|[Ww]e've|[Oo]ur[ \t\n]+district)\b[^.;]*?\b(?:establish|launch|buil[dt]"
                       r"|set[ \t\n]+up|creat|develop|construct|open|introduc|unveil|found)")
#: Verbs that site what a sentence is about in the place after "in" ("is planned to open in Y").
SITED = re.compile(r"\b(?:open|opened|built|located|based|settled|set[ \t\n]+up|moved|established|launched|"
                   r"operat(?:e|es|ing|ion)|stands?)\b[^,.;]{0,40}?\b(?:in|within|at)[ \t\n]+(?:the[ \t\n]+)?$")
#: Words that make the sectors of a list key ones (keySector), not ones named in passing (focusSector), where
#: they qualify the list's head ("key emerging sectors such as", not "core firms in fields such as").
KEY = re.compile(r"\b(?i:key|pivotal|primary|vital|focal|main|priority|core)(?:[ \t\n]+[\w-]+){0,2}[ \t\n]*$")
#: "the zone", "the park", "our district", "our international business district": a kind word after "the", in
#: lower case and before no name, refers to the last name before it that ends in those words (kind words too
#: common to say which name they mean are left out).
_ANAPHOR_KINDS = sorted({k.lower() for k in KINDS if k.isalpha()} - {
    "area", "office", "government", "market", "port", "group", "company", "department", "administration", "plan",
    "policy", "project"}, key=lambda k: (-len(k), k))
ANAPHOR = re.compile(r"(?<![\w’'-])(?:[Tt]he|[Tt]his|[Oo]ur)[ \t\n]+"
                     r"(?P<words>(?:(?!(?:the|of|and|in|a|an|to|for|on|with)\b)[a-z][\w-]*[ \t\n]+){0,3}?)"
                     rf"(?P<kind>{'|'.join(_ANAPHOR_KINDS)})(?![\w-])(?![ \t\n]+[A-Z])")
#: "A signed an agreement with B to build C": C is launched by A and B.
TO_BUILD = re.compile(r"^,?[ \t\n]+to[ \t\n]+(?:jointly[ \t\n]+)?(?:build|establish|set[ \t\n]+up|develop|create|launch"
                      r"|construct|open)[ \t\n]+(?:a[ \t\n]+|an[ \t\n]+|the[ \t\n]+)?(?:new[ \t\n]+)?$")
#: What joins a relation's object to the next one it also holds for ("built by A and the B", "A, B and C").
AND = re.compile(r"^(?:,[ \t\n]*|[ \t\n]+)(?:and[ \t\n]+)?(?:the[ \t\n]+)?$")
#: Where a list's examples are: "firms such as A and B have settled in Y" (the place after the verb), "Y has
#: attracted over 300 companies, including A" (the place before it), "Y’s key parks, including A" (the owner).
SETTLED_IN = re.compile(r"\b(?:settled|based|located|gathered|congregated|clustered|moved|opened|established"
                        r"(?:[ \t\n]+(?:their|its)[ \t\n]+(?:presence|headquarters|offices?))?)[ \t\n]+"
                        r"(?:in|at|within|into|to)[ \t\n]+(?:the[ \t\n]+)?$")
ATTRACTED = re.compile(r"\b(?:attracted|drawn|gathered|hosts?|hosted|houses?|housed|is[ \t\n]+home[ \t\n]+to"
                       r"|(?:has|have)[ \t\n]+(?:now[ \t\n]+)?(?:over|more[ \t\n]+than|nearly|about)?)\b")
#: Post words whose holder heads a district's or city's people's government.
HEADS_OF_GOVERNMENT = ("Chief", "Head", "Mayor", "Governor")
#: Relations between two entities of one sentence, by the words between them (subject first).
BETWEEN: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("place", "in", re.compile(r"^,?[ \t\n]+(?:lies|is located|located|sits)?[ \t\n]*(?:in|within|on the [a-z]+ "
                               r"(?:shore|side|bank|edge) of)[ \t\n]+(?:the[ \t\n]+)?$")),
    ("launch", "by", re.compile(r"(?:launched|initiated|set up|established|founded|built|co-built|issued"
                                r"|released|unveiled|formulated|introduced|sponsored|funded|developed)[ \t\n]+"
                                r"(?:jointly[ \t\n]+)?"
                                r"by[ \t\n]+(?:the[ \t\n]+)?$|(?:together|jointly|built|in[ \t\n]+partnership"
                                r"|in[ \t\n]+cooperation)[ \t\n]+with[ \t\n]+(?:the[ \t\n]+)?$")),
    ("manage", "by", re.compile(r"(?:managed|operated|run)[ \t\n]+by[ \t\n]+(?:the[ \t\n]+)?$")),
    ("link", "to", re.compile(r"(?:linked|connected)[ \t\n]+(?:to|with)[ \t\n]+(?:the[ \t\n]+)?$|connecting[ \t\n]+"
                              r"(?:the[ \t\n]+)?$")),
    ("signed", "with", re.compile(r"\bsigned[ \t\n]+[^.;]{0,60}?(?:agreement|contract|memorandum|deal)[^.;]{0,30}?"
                                  r"\bwith[ \t\n]+(?:the[ \t\n]+)?$")),
    ("partner", "with", re.compile(r"partner(?:ed|s|ing)?[ \t\n]+with[ \t\n]+(?:the[ \t\n]+)?$")),
)
PLACES = ("Country", "Region", "City", "District", "FunctionalZone", "IndustrialPark", "UrbanVillage")
#: Every type that is a place (kg:Place and its subclasses): a place is in another by containedInPlace, anything
#: else by locatedIn.
PLACE_TYPES = (*PLACES, "Facility", "Museum", "Library", "Park", "Lake", "NaturalFeature")
#: Types of what a district's briefing sites in the district where it says nothing else: its zones, parks,
#: villages, lakes and facilities ("Quillhaven now has 14 museums, such as the Salt Museum").
SITED_IN_MAIN = ("FunctionalZone", "IndustrialPark", "UrbanVillage", "Facility", "Museum", "Library", "Park", "Lake",
                 "Hospital", "Platform")


@dataclass(frozen=True)
class Family:
    """A named family of rules: each rule's confidence, and example sentences with what they must yield."""

    name: str
    rules: dict[str, float]
    examples: tuple[tuple[str, tuple[str, ...]], ...]  # sentence → quotes (or values) the family must find


FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family("name", {"kind-word": 0.85, "known": 0.95, "fuzzy": 0.75, "meeting": 0.8}, (
        ("The Tallowmere Quantum Science Zone opened in Fenwick District.",
         ("Tallowmere Quantum Science Zone", "Fenwick District")),
        ("Grants come from the Fenwick Green Shipping Fund.", ("Fenwick Green Shipping Fund",)),
        ("The Ashby Medical Center stands beside Corrin Country Park and the Dunmore Industrial Park.",
         ("Ashby Medical Center", "Corrin Country Park", "Dunmore Industrial Park")),
        ("Money comes from the Fenwick venture capital fund.", ("Fenwick venture capital fund",)),
        ("Halloway District’s Eastgate Trade Zone will build the Ashby East Ferry Terminal.",
         ("Halloway District", "Eastgate Trade Zone", "Ashby East Ferry Terminal")),
        ("Fenwick’s Corrin Children’s Hospital opened.", ("Corrin Children’s Hospital",)),
        ("Within the zone, the Corrin Software Park hosts more than 260 companies.", ("Corrin Software Park",)),
        ("It follows the 9th Plenary Session of the 4th Fenwick District Committee.",
         ("9th Plenary Session of the 4th Fenwick District Committee",)),
    )),
    Family("person", {"name-post-of-body": 0.9, "post": 0.85, "role": 0.8}, (
        ("Ida Brannock, Deputy Director of the Fenwick District Health Commission, spoke.",
         ("Ida Brannock", "Deputy Director of the Fenwick District Health Commission")),
        ("Oren Vale, Deputy Party Secretary and chief of Fenwick District, answered questions.",
         ("Oren Vale", "Deputy Party Secretary of Fenwick District", "Chief of Fenwick District", "District Chief")),
        ("Ida Brannock now serves as deputy director of the Tallowmere Port Bureau.",
         ("Ida Brannock", "Deputy Director of the Tallowmere Port Bureau")),
    )),
    Family("event", {"held-briefing": 0.9, "organizer": 0.8, "presenter": 0.7, "attendee": 0.6, "publisher": 0.7}, (
        ("The Fenwick Information Office held the 3rd press briefing of the series.", ("3",)),
        ("At a press briefing held in Fenwick on Monday, officials spoke.", ("Press briefing fenwick-2024-01-01",)),
        ("At a news conference hosted by the Fenwick Information Office, Oren Vale, chief of Fenwick District, and "
         "Ida Brannock, director of the Fenwick Port Bureau, answered questions.",
         ("briefing-fenwick-2024-01-01 organizer fenwick-information-office",
          "briefing-fenwick-2024-01-01 attendee oren-vale", "briefing-fenwick-2024-01-01 attendee ida-brannock")),
        ("Fenwick drew 40 firms, the district said at a briefing on Tuesday. “It grew,” said Oren Vale, chief of "
         "Fenwick District. According to Ida Brannock, director of the Fenwick Port Bureau, trade rose.",
         ("briefing-fenwick-2024-01-01 presenter oren-vale", "briefing-fenwick-2024-01-01 attendee ida-brannock")),
    )),
    Family("list", {"such-as": 0.7, "generic": 0.6, "sector": 0.6}, (
        ("It hosts parks such as Ashby Park and Corrin Park.", ("Ashby Park", "Corrin Park")),
        ("The district has nine universities and five high-level hospitals.", ("universities", "high-level hospitals")),
        ("Firms such as Ashby Tech, Corrin Foods, and Dunmore Shipping Group moved in.",
         ("Ashby Tech", "Corrin Foods", "Dunmore Shipping Group")),
        ("Over 300 companies, including Tallow Bio and Fenwick Motors, have settled here.",
         ("Tallow Bio", "Fenwick Motors")),
        ("The Corrin Software Park hosts more than 260 companies, among them Ashby Data Technology and Dunmore "
         "Robotics.", ("Ashby Data Technology", "Dunmore Robotics")),
        ("Grants flow through funds including the Fenwick harbour fund and the Ashby Seed Fund.",
         ("Fenwick harbour fund", "Ashby Seed Fund")),
        ("We back key sectors such as marine sensors, tidal energy and the digital economy.",
         ("marine sensors", "tidal energy", "digital economy")),
        ("In the marine robotics sector, new firms arrive every month.", ("marine robotics",)),
        ("The Ashby Cloud Zone focuses on the fields of cloud computing, industrial software and photonics.",
         ("cloud computing", "industrial software", "photonics")),
        ("Key industries such as tidal power and smart farming will be given priority.",
         ("tidal power", "smart farming")),
        ("Fenwick plans to build two parks, such as the Ashby Photonics Park and the Corrin Science Park.",
         ("Ashby Photonics Park", "Corrin Science Park")),
        ("Fenwick has two industrial parks, such as the Dunmore Photonics Park.", ("Dunmore Photonics Park",)),
    )),
    Family("figure", {"money": 0.85, "area": 0.85, "percent": 0.75, "count": 0.7, "respectively": 0.6}, (
        ("Fenwick District’s tax revenue reached 3.25 billion yuan, up 7.5%.", ("3250000000",)),
        ("Ashby Park covers 120,000 square meters.", ("120000",)),
        ("Over 450 enterprises have settled in Fenwick District.", ("450",)),
        ("Ashby Park now has five sports halls and 1,204 “smart port” companies.", ("5", "1204")),
        ("Ashby District hosts 14 headquarters-type firms, 9 offices of overseas banks and 30 overseas experts.",
         ("headquarters-type firms", "offices of overseas banks", "overseas experts")),
        ("The plan covers the 36-square-kilometer Corrin Innovation Zone.", ("36",)),
        ("The number of marine sensor firms in Fenwick District has risen to 212.", ("212",)),
        ("The Ashby Software Park in Fenwick District reported revenue of 5 billion yuan.",
         ("5000000000 CNY ashby-software-park",)),
        ("Fenwick District hosts many firms. The Corrin Trade Zone is busy. He said its revenue reached 7 billion "
         "yuan.", ("7000000000 CNY corrin-trade-zone",)),
        ("Fenwick District hosts many firms. The Corrin Trade Zone opened in 2021. It now hosts 300 companies.",
         ("300 count corrin-trade-zone",)),
        ("The Dunmore Medical Device Park now employs about 9,000 people.", ("9000",)),
        ("Ashby Port and Corrin Port host 40-plus and 12 shipping lines, respectively.", ("40", "12")),
        ("Fenwick District hosts the Ashby Cloud Zone, and two universities stand within our district.",
         ("2 count fenwick-district",)),
    )),
    Family("relation", {"place/in": 0.6, "launch/by": 0.6, "manage/by": 0.65, "link/to": 0.55,
                        "partner/with": 0.6, "status": 0.6, "launch/we": 0.55, "sector": 0.55, "place/sited": 0.55,
                        "place/main": 0.4, "place/list": 0.55, "place/name": 0.5,
                        "signed/with": 0.5}, (
        ("The Ashby Robotics Centre is planned to open in the Tallowmere Quantum Science Zone.", ("Planned",)),
        ("The Dunmore Medical Device Park, which opened in 2023, now employs about 9,000 people.",
         ("dunmore-medical-device-park status InOperation",)),
        ("We will build key facilities such as the Ashby Sports Centre and Corrin Museum.", ("Planned",)),
        ("The Ashby Robotics Centre, built with Dunmore Marine, is already in operation.", ("InOperation",)),
        ("The Corrin Riverside Greenway is under way.", ("UnderWay",)),
        ("The Ashby Robotics Centre, which the city is building, will open in the Corrin Innovation Zone.",
         ("Planned", "corrin-innovation-zone")),
        ("Oren Vale, chief of Fenwick District, spoke. We have established the Fenwick Tidal Energy Fund.",
         ("Fenwick District People's Government", "fenwick-district-people-s-government")),
        ("Fenwick District will focus on key sectors such as marine sensors and tidal energy.",
         ("sector-marine-sensors", "sector-tidal-energy")),
        ("In the marine robotics sector, over 30 firms, including Ashby Tech and Corrin Motors, have settled.",
         ("sector-marine-robotics",)),
        ("Fenwick District hosts the Ashby Cloud Zone. The zone focuses on the fields of photonics and tidal power.",
         ("ashby-cloud-zone focusSector sector-photonics", "ashby-cloud-zone focusSector sector-tidal-power")),
        ("Key industries such as tidal power and smart farming will be given priority in Fenwick District.",
         ("fenwick-district keySector sector-smart-farming",)),
        ("Fenwick District hosts the Ashby Central Business District. We will lift our central business district "
         "with a focus on key sectors such as tidal power.",
         ("ashby-central-business-district keySector sector-tidal-power",)),
        ("Fenwick District nurtures core firms in new fields such as tidal power.",
         ("fenwick-district focusSector sector-tidal-power",)),
        ("Over 80 institutes have settled in the Ashby Cloud Zone, including the Corrin Photonics Institute.",
         ("corrin-photonics-institute locatedIn ashby-cloud-zone",)),
        ("The Ashby Cloud Zone has attracted 300 companies, including Tallow Bio and Dunmore Motors.",
         ("tallow-bio locatedIn ashby-cloud-zone", "dunmore-motors locatedIn ashby-cloud-zone")),
        ("Fenwick District’s key parks, including the Ashby Cloud Zone, grow fast.",
         ("ashby-cloud-zone containedInPlace fenwick-district",)),
        ("Fenwick District is growing. The Corrin Glass Museum draws crowds.",
         ("corrin-glass-museum containedInPlace fenwick-district",)),
        ("The Tallow Bay Innovation Zone is growing. The Tallow Bay Innovation Zone Library opens soon.",
         ("tallow-bay-innovation-zone-library containedInPlace tallow-bay-innovation-zone",)),
        ("The Corrin Tidal Institute, jointly built by Ashby University and the Fenwick District Commerce "
         "Bureau, has been put into operation.",
         ("corrin-tidal-institute launchedBy ashby-university",
          "corrin-tidal-institute launchedBy fenwick-district-commerce-bureau",
          "corrin-tidal-institute status InOperation")),
        ("The Ashby Growth Plan, issued by the Fenwick District Commerce Bureau, guides the work.",
         ("ashby-growth-plan launchedBy fenwick-district-commerce-bureau",)),
        ("Dunmore Logistics Group signed a cooperation agreement with Ashby University to build the Corrin "
         "Freight Centre.",
         ("corrin-freight-center launchedBy ashby-university",
          "corrin-freight-center launchedBy dunmore-logistics-group")),
        ("Fenwick District will also open the Corrin Sensor Laboratory. The Ashby Library opened in May.",
         ("corrin-sensor-laboratory status Planned", "ashby-library status InOperation")),
        ("The Dunmore Freight Centre is expected to open in 2027.", ("dunmore-freight-center status Planned",)),
        ("We are accelerating the construction of the Ashby Data Centre.", ("ashby-data-center status UnderWay",)),
        ("Our ongoing projects, including the Corrin Tidal Lab, are being expedited.",
         ("corrin-tidal-lab status UnderWay",)),
        ("Fenwick District has established the Corrin Seed Fund.", ("corrin-seed-fund status InOperation",)),
    )),
)}


def kind_of(name: str) -> str | None:
    """The class a name's ending says (the longest ending that is whole words), or None.

    >>> kind_of("Fenwick Medical Center"), kind_of("Ashby Country Park"), kind_of("Institute of Tidal Robotics")
    ('Hospital', 'Park', 'ResearchInstitute')
    """
    base = re.sub(r"\s*\(.*\)$", "", " ".join(name.split()))
    head = base.split(" of ", 1)[0]  # "Institute of Marine Robotics" is an institute
    if head != base and (kind := kind_of(head)):
        return kind
    return next((KINDS[k] for k in _BY_LENGTH if base == k or base.endswith(" " + k)), None)


_BY_LENGTH = sorted(KINDS, key=len, reverse=True)


def confidence(rule: str) -> float:
    """The confidence of ``family/rule``."""
    family, name = rule.split("/", 1)
    return FAMILIES[family].rules[name]
