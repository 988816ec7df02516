"""Figures of the genre: "18.137 billion yuan, up 24.5%", "over 600 companies", "740,000 square meters",
"3-4 days", "in 2022", "first half of the year". An own parser: the figures of this genre are digits with
a scale word, which a regex reads exactly (see README "Drafting" for why not quantulum3 or text2num)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_SCALES = {"thousand": Decimal(10) ** 3, "million": Decimal(10) ** 6, "billion": Decimal(10) ** 9,
           "trillion": Decimal(10) ** 12}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
#: Counts written as words ("five high-level hospitals"); "one" is left out, as it is mostly an article.
_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
          "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
WORDS = {w: i for i, w in enumerate(_WORDS, start=2)}
#: Words of time a count in words does not count ("over the next three years").
_TIMES = r"(?:years|months|weeks|days|hours|times|decades|quarters)\b"
_QUAL = r"(?P<qual>(?i:over|more than|above|nearly|about|around|approximately|almost|some|up to|top))[ \t\n]+"
#: A word of what a count counts: lower case, hyphens, or a quoted term ("“hard technology” companies").
_NW = r"(?:[“\"][^”\"\n]{1,30}[”\"]|(?!(?:are|is|was|were|has|have|had|and|in|of|to|with|from)\b)[a-z0-9][\w-]*)"
#: The plural a count counts, not an adjective or a singular that ends in s ("overseas", "business").
_PLURAL = r"(?:(?!(?:[a-z-]*(?:ous|ss|us|is)|overseas|its|has|was|this|plus)\b)[a-z][a-z-]*s|people)(?![\w-])"
_NOUN = (rf"(?P<noun>(?:{_NW}[ \t\n]+(?:and[ \t\n]+)?){{0,4}}?{_PLURAL}"
         rf"(?:[ \t\n]+of[ \t\n]+(?:[a-z][\w-]*[ \t\n]+){{0,2}}{_PLURAL})?)")
FIGURE = re.compile(
    rf"(?<![\w.,-])(?:{_QUAL})?(?P<rmb>(?:RMB|CNY|¥)[ \t\n]*)?(?:(?P<num>{_NUM})(?:[ \t\n]*(?:-|to)[ \t\n]*"
    rf"(?P<upper>{_NUM}))?(?P<plus>-plus|\+)?(?:[ \t\n]+(?P<scale>thousand|million|billion|trillion))?"
    rf"(?:(?P<pct>[ \t\n]*%|[ \t\n]+percent|[ \t\n]+per[ \t\n]+cent)|[ \t\n-]+(?P<unit>yuan|RMB|renminbi"
    rf"|square[ \t\n-]+kilometers?|square[ \t\n-]+kilometres?|square[ \t\n-]+meters?|square[ \t\n-]+metres?"
    rf"|km2|sq\.?[ \t\n]+km|mu|hectares?)\b"
    rf"|[ \t\n]+{_NOUN})?|(?P<word>(?i:{'|'.join(WORDS)}))[ \t\n]+(?!{_TIMES})"
    rf"{_NOUN.replace('noun', 'wnoun')})")
#: "grew 9.4 percent to 58.7 billion yuan": the change of the figure that follows, not a figure of its own.
_FALLS = ("fell", "dropped", "declined", "decreased")
_CHANGE = r"(?P<verb>grew|rose|increased|climbed|expanded|fell|dropped|declined|decreased)[ \t\n]+(?:by[ \t\n]+)?"
_TO = r"[ \t\n]+(?:year[ -]on[ -]year[ \t\n]+)?to[ \t\n]+"
_GREW_TO = re.compile(rf"{_CHANGE}(?P<pct>\d+(?:\.\d+)?)(?:[ \t\n]*%|[ \t\n]+percent){_TO}$")
#: "The number of high-tech enterprises in the district has risen to 355": a bare count of the noun.
NUMBER_OF = re.compile(
    rf"\b[Nn]umber[ \t\n]+of[ \t\n]+(?P<noun>(?:[\w-]+[ \t\n]+){{0,3}}?[a-z][\w-]*s)\b[^.;]*?"
    rf"\b(?:risen|rose|grown|grew|increased|climbed|reached|stood[ \t\n]+at|totall?ed|came[ \t\n]+to|hit)"
    rf"(?:[ \t\n]+to)?[ \t\n]+(?P<num>{_NUM})\b(?![ \t\n]*(?:%|percent|yuan|thousand|million|billion|square))")
#: "comprising 600-plus, 155 and 52, respectively": bare counts, each of one of the names before them.
RESPECTIVELY = re.compile(rf"(?<![\w.,-])(?P<nums>(?:(?:{_NUM})(?:-plus|\+)?,?[ \t\n]+)+and[ \t\n]+"
                          rf"(?:{_NUM})(?:-plus|\+)?)(?:[ \t\n]+{_NOUN})?,?[ \t\n]+respectively\b")
YOY = re.compile(r"^,?[ \t\n]+(?:up|an increase of|an increase|a rise of|growth of|a growth of|increasing|rising|"
                 r"(?P<down>down|a decrease of|a decline of|decreasing))[ \t\n]+(?:by[ \t\n]+)?(?P<pct>\d+(?:\.\d+)?)"
                 r"[ \t\n]*(?:%|percent)")
_UNITS = {"yuan": "CNY", "square kilometer": "km2", "square kilometre": "km2", "km2": "km2", "sq km": "km2",
          "square meter": "m2", "square metre": "m2"}
_QUALS = {"over": "more-than", "more than": "more-than", "above": "more-than", "nearly": "approximately",
          "about": "approximately", "around": "approximately", "approximately": "approximately",
          "almost": "approximately", "some": "approximately", "up to": "top", "top": "top"}
_HALF = re.compile(r"\b(?P<which>first|second) half of (?:the year|this year|(?P<y>(?:19|20)\d\d))\b")
_YEAR = re.compile(r"\b(?:in|In|by|By|of|since) (?P<y>(?:19|20)\d\d)\b")


@dataclass(frozen=True)
class Figure:
    begin: int
    end: int
    value: Decimal
    unit: str
    qualifier: str | None
    upper: Decimal | None
    yoy: Decimal | None
    noun: str | None  # what a count counts ("high-tech enterprises")
    rule: str
    noun_at: int = -1  # where the noun begins in the text


def _number(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


def _norm(d: Decimal) -> Decimal:
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def find_figures(sentence: str, offset: int) -> list[Figure]:
    """Every figure of ``sentence`` (whose first character is at ``offset`` of the text).

    >>> [(f.value, f.unit, f.yoy) for f in find_figures("revenue reached 18.137 billion yuan, up 24.5%", 0)]
    [(Decimal('18137000000'), 'CNY', Decimal('24.5'))]
    """
    out: list[Figure] = []
    for m in FIGURE.finditer(sentence):
        if m["word"]:
            counted = " ".join(m["wnoun"].split())
            out.append(Figure(offset + m.start("word"), offset + m.end("wnoun"), Decimal(WORDS[m["word"].lower()]),
                              "count", None, None, None, counted, "figure/count", offset + m.start("wnoun")))
            continue
        if not (m["pct"] or m["unit"] or m["noun"] or m["rmb"] or m["scale"]):
            continue  # a bare number: a year, a date, a rank
        if re.search(r"[$€£]$", sentence[:m.start()]):
            continue  # dollars, euros or pounds: not a unit of this dataset
        tail = sentence[m.start():m.start() + 6]
        if re.match(r"(?:19|20)\d\d\b", m["num"]) and not (m["pct"] or m["unit"] or m["scale"]) and "," not in tail:
            continue  # a year, not a figure
        before, after = sentence[:m.start()], sentence[m.end():]
        if m["pct"] and (re.search(r"(?:up|increase of|growth of|by|down|rise of|decrease of|decline of)[ \t\n]+$",
                                   before) or (re.search(_CHANGE + "$", before) and re.match(_TO, after))):
            continue  # a year-on-year change, read with its figure ("grew 9.4% to 58.7 billion yuan")
        scale = _SCALES.get(m["scale"] or "", Decimal(1))
        value = _norm(_number(m["num"]) * scale)
        upper = _norm(_number(m["upper"]) * scale) if m["upper"] else None
        if m["pct"]:
            unit, rule, noun = "percent", "figure/percent", None
        elif m["rmb"] or m["unit"] in ("RMB", "renminbi"):
            unit, rule, noun = "CNY", "figure/money", None
        elif m["unit"]:
            key = " ".join(m["unit"].replace("-", " ").split()).rstrip("s").lower()
            unit = _UNITS.get(key, _UNITS.get(key + "s", "count")) if key not in ("mu", "hectare") else "count"
            rule, noun = ("figure/money" if unit == "CNY" else "figure/area"), None
        elif m["noun"] and re.fullmatch(_TIMES, m["noun"]):
            continue  # a duration ("within 3-4 years"), not a count of anything
        elif m["noun"]:
            unit, rule, noun = "count", "figure/count", " ".join(m["noun"].split())
        else:  # "its population reached 1.2 million"
            unit, rule, noun = "count", "figure/count", None
        qualifier = _QUALS.get(" ".join((m["qual"] or "").lower().split())) if m["qual"] else None
        if m["plus"]:
            qualifier = "more-than"
        if upper is not None:
            qualifier = "range" if upper > value else None
            upper = upper if upper > value else None
        y = YOY.match(sentence[m.end():])
        yoy = (-Decimal(y["pct"]) if y["down"] else Decimal(y["pct"])) if y else None
        g = _GREW_TO.search(sentence[:m.start()])
        if g and yoy is None:
            yoy = -Decimal(g["pct"]) if g["verb"] in _FALLS else Decimal(g["pct"])
        end = m.end() if noun is None else m.start("noun") + len(m["noun"])
        out.append(Figure(offset + m.start(), offset + end, value, unit, qualifier, upper, yoy, noun, rule,
                          offset + m.start("noun") if noun else -1))
    for m in NUMBER_OF.finditer(sentence):
        if not any(f.begin <= offset + m.start("num") < f.end for f in out):
            out.append(Figure(offset + m.start("num"), offset + m.end("num"), _norm(_number(m["num"])), "count",
                              None, None, None, " ".join(m["noun"].split()), "figure/count", offset + m.start("noun")))
    for m in RESPECTIVELY.finditer(sentence):
        out = [f for f in out if not offset + m.start() <= f.begin < offset + m.end()]
        for n in re.finditer(rf"(?P<num>{_NUM})(?P<plus>-plus|\+)?", m["nums"]):
            at = offset + m.start("nums") + n.start()
            out.append(Figure(at, at + len(n.group()), _norm(_number(n["num"])), "count",
                              "more-than" if n["plus"] else None, None, None, None, "figure/respectively"))
    return sorted(out, key=lambda f: f.begin)


def find_period(sentence: str, held_year: int | None) -> str | None:
    """The period a sentence states: "first half of the year" → 2023-H1, "in 2022" → 2022."""
    h = _HALF.search(sentence)
    if h:
        year = h["y"] or (str(held_year) if held_year else None)
        return f"{year}-H{1 if h['which'] == 'first' else 2}" if year else None
    y = _YEAR.search(sentence)
    return y["y"] if y else None
