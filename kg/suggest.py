"""A word a user mistyped into the names they probably meant, and those names into a "did you mean" tail.

The one suggester of kg: annotation references, ontology terms, query names and header keys, entities and
types all go through :func:`suggest` (difflib's ratio, as Python's own "Did you mean" for names does not
need a dependency) and :func:`did_you_mean`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence


def suggest(word: str, candidates: Iterable[str], n: int = 3, *, cutoff: float = 0.6,
            containing: bool = False) -> list[str]:
    """At most ``n`` of ``candidates`` most like ``word``: close spellings first, best first (difflib
    similarity at least ``cutoff``), then, with ``containing``, candidates that contain ``word``, shortest
    first. No candidate twice.

    >>> suggest("officals", ["officials", "public-bodies", "figures"])
    ['officials']
    >>> suggest("zone", ["enterprises-by-zone", "linked-to-zone", "figures"], containing=True)
    ['linked-to-zone', 'enterprises-by-zone']
    >>> suggest("xyzzy", ["officials"])
    []
    """
    pool = list(dict.fromkeys(candidates))
    close = difflib.get_close_matches(word, pool, n=n, cutoff=cutoff) if n > 0 else []
    if containing and word:
        close += sorted((c for c in pool if word in c and c not in close), key=len)
    return close[:n]


def did_you_mean(names: Sequence[str], otherwise: str = "") -> str:
    """The tail of an error message that offers ``names``: ``; did you mean a, b?``, or ``otherwise`` when
    there is none to offer.

    >>> "unknown property 'locatedAt'" + did_you_mean(suggest("locatedAt", ["locatedIn", "partOf"]))
    "unknown property 'locatedAt'; did you mean locatedIn?"
    >>> did_you_mean([], " (known: a, b)")
    ' (known: a, b)'
    """
    return f"; did you mean {', '.join(names)}?" if names else otherwise
