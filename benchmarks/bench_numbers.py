"""The drafter's own figure parser (kg/draft/figures.py) against well-kept parsers, on phrases of the genre
written for this benchmark about fictional places: how many phrases each reads right (value, unit and
qualifier where the parser gives one), and its time. quantulum3 extracts quantities itself; text2num and
number-parser only turn number words into digits, so they are measured as a pass before the own parser.
A parser that is not installed is said and skipped (none is a dependency of kg).

    pip install quantulum3 text2num number-parser   # into a scratch environment, to compare
    python benchmarks/bench_numbers.py
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.draft.figures import find_figures

#: phrase → (value, unit, qualifier) of its first figure
CASES: list[tuple[str, tuple[str, str, str | None]]] = [
    ("Ashby’s revenue reached 3.25 billion yuan, up 7.5%.", ("3250000000", "CNY", None)),
    ("Over 600 companies have settled in Corrin.", ("600", "count", "more-than")),
    ("The hub spans 740,000 square meters.", ("740000", "m2", None)),
    ("It plans the 36-square-kilometer Corrin Innovation Zone.", ("36", "km2", None)),
    ("Five sports halls are already in operation.", ("5", "count", None)),
    ("The port serves 600-plus firms.", ("600", "count", "more-than")),
    ("We will add 3-4 school districts.", ("3", "count", "range")),
    ("The forest coverage rate is 18.9%.", ("18.9", "percent", None)),
    ("More than 4.2 billion yuan went into housing.", ("4200000000", "CNY", "more-than")),
    ("Nearly 12,500 square kilometres of sea are protected.", ("12500", "km2", "approximately")),
    ("The museum ranks among the top 100 museums.", ("100", "count", "top")),
    ("Tallow District has nine universities.", ("9", "count", None)),
]
_Q_UNITS = {"chinese yuan": "CNY", "square metre": "m2", "square kilometre": "km2", "percentage": "percent",
            "dimensionless": "count"}


def own(text: str) -> tuple[str, str, str | None] | None:
    figs = find_figures(text, 0)
    return (str(figs[0].value.normalize().to_eng_string()), figs[0].unit, figs[0].qualifier) if figs else None


def quantulum(text: str) -> tuple[str, str, str | None] | None:
    from quantulum3 import parser

    found = parser.parse(text)
    if not found:
        return None
    q = found[0]
    return (str(Decimal(str(q.value)).normalize().to_eng_string()), _Q_UNITS.get(q.unit.name, q.unit.name), None)


def text2num_first(text: str) -> tuple[str, str, str | None] | None:
    from text_to_num import alpha2digit

    return own(alpha2digit(text, "en"))


def number_parser_first(text: str) -> tuple[str, str, str | None] | None:
    import number_parser

    return own(number_parser.parse(text))


def norm(v: tuple[str, str, str | None]) -> tuple[str, str, str | None]:
    return (str(Decimal(v[0]).normalize().to_eng_string()), v[1], v[2])


def main() -> None:
    parsers: list[tuple[str, Callable[[str], tuple[str, str, str | None] | None], bool]] = [
        ("kg own regex parser (baseline)", own, True), ("quantulum3", quantulum, False),
        ("text2num, then own", text2num_first, True), ("number-parser, then own", number_parser_first, True)]
    print(f"{len(CASES)} phrases of the genre; right = value and unit (and the qualifier, for parsers that give one)")
    print(f"{'parser':34} {'right':>7} {'first call s':>13} {'then ms/phrase':>15}")
    for name, fn, with_qualifier in parsers:
        warnings.simplefilter("ignore")
        try:
            t0 = time.perf_counter()
            fn(CASES[0][0])
            first = time.perf_counter() - t0
        except ImportError:
            print(f"{name:34} not installed")
            continue
        right, t1 = 0, time.perf_counter()
        for text, expected in CASES:
            got = fn(text)
            want = norm(expected)
            if got is not None and norm(got)[:2] == want[:2] and (not with_qualifier or got[2] == want[2]):
                right += 1
        per = (time.perf_counter() - t1) / len(CASES) * 1000
        print(f"{name:34} {right:>3}/{len(CASES):<3} {first:13.3f} {per:15.2f}")


if __name__ == "__main__":
    main()
