"""Linking to entities the dataset knows (the registry and other briefings' annotations): by name or alias,
case-, quote- and hyphen-insensitively, then by safe fuzzy matching (rapidfuzz: a high score, the same type,
the same number of words, the same last word and at most one word differing, which begins with the same
letter: "Harbor" / "Harbr", never "Chief of Quillhaven District" / "Chief of Minhang District")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz


@dataclass(frozen=True)
class Known:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    emit: bool = True  # False for the briefing's own curated entities: referred to, never proposed again
    registry: bool = False  # declared in data/entities/: a briefing names it by id alone
    #: name_zh, same_as and note of an entity another briefing declares: a second declaration must be the same
    extra: tuple[tuple[str, str], ...] = ()
    #: A collective mention ("talent apartments"): another briefing's group of things, not one named thing,
    #: so a text's same words are never linked to it
    generic: bool = False


def norm(name: str) -> str:
    """A name as names are compared: case-folded, quotes and hyphens ignored, British spellings made
    American, a leading "the" dropped.

    >>> norm("the  Grand-Neo “Bay”"), norm("Harbour Centre")
    ('grand neo bay', 'harbor center')
    """
    s = name.casefold().replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"[“”\"]", "", s)
    s = re.sub("[-\u2010\u2013\u2014]", " ", s)
    s = " ".join(_SPELLING.get(w, w) for w in s.split())
    return s.removeprefix("the ")


#: British spellings folded into American ones, so "Harbour Crescent Centre" is "Harbor Crescent Center".
_SPELLING = {"centre": "center", "centres": "centers", "harbour": "harbor", "programme": "program",
             "programmes": "programs", "metre": "meter", "metres": "meters", "kilometre": "kilometer",
             "kilometres": "kilometers", "theatre": "theater", "organisation": "organization"}


#: Kind words translations use for one another ("Innovation Area" for "Innovation Zone").
_KIND_SYNONYMS = {"area": "zone"}


def pattern(name: str) -> str:
    """A regular expression (to use with IGNORECASE) for ``name`` as a text may spell it: any white space or
    hyphen between its words, either spelling of a word that has two.

    >>> re.fullmatch(pattern("Harbour Centre"), "harbor-center", re.IGNORECASE) is not None
    True
    """
    words = []
    for w in norm(name).split():
        spellings = sorted({w, *(b for b, a in _SPELLING.items() if a == w)}, key=len, reverse=True)
        words.append("(?:" + "|".join(map(re.escape, spellings)) + ")" if len(spellings) > 1 else re.escape(w))
    return r"[\s-]+".join(words)


def same_kind_name(a: str, b: str) -> bool:
    """Whether two names are one, their last words compared as kind words ("X Functional Area" is "X
    Functional Zone").

    >>> same_kind_name("Ashby Innovation Area", "the Ashby Innovation Zone")
    True
    """
    wa, wb = norm(a).split(), norm(b).split()
    return wa[:-1] == wb[:-1] and bool(wa) and bool(wb) and \
        _KIND_SYNONYMS.get(wa[-1], wa[-1]) == _KIND_SYNONYMS.get(wb[-1], wb[-1])


class Gazetteer:
    def __init__(self, known: list[Known], post_facts: dict[str, set[tuple[str, str]]] | None = None):
        self.known = known
        self.post_facts = post_facts or {}  # post id → {("postIn" | "role", object id)} the dataset states
        self.by_id: dict[str, Known] = {}
        for k in known:
            self.by_id.setdefault(k.id, k)
        self.by_name: dict[str, Known] = {}
        for k in sorted(known, key=lambda k: k.id):
            if k.generic and k.emit:
                continue
            for n in (k.name, *k.aliases):
                self.by_name.setdefault(norm(n), k)

    def facts(self, post: str) -> set[tuple[str, str]]:
        return self.post_facts.get(post, set())

    def exact(self, name: str) -> Known | None:
        return self.by_name.get(norm(name))

    def fuzzy(self, name: str, type_: str) -> Known | None:
        """A known name of ``type_`` spelt nearly as ``name`` (one word differing, with the same first letter).

        >>> g = Gazetteer([Known("hz", "FunctionalZone", "Tallow Harbour Marine Zone", ()),
        ...                Known("post", "Post", "Chief of Minhang District", ())])
        >>> g.fuzzy("Tallow Harbr Marine Zone", "FunctionalZone").id, g.fuzzy("Chief of Mayhang District", "Post").id
        ('hz', 'post')
        >>> g.fuzzy("Chief of Quillhaven District", "Post") is None
        True
        """
        words = norm(name).split()
        best: tuple[float, str, Known] | None = None
        for n, k in self.by_name.items():
            other = n.split()
            if k.type != type_ or len(other) != len(words) or len(words) < 2 or \
                    _KIND_SYNONYMS.get(other[-1], other[-1]) != _KIND_SYNONYMS.get(words[-1], words[-1]):
                continue
            differ = [(a, b) for a, b in zip(words, other, strict=True) if a != b]
            if len(differ) > 1 or any(a[0] != b[0] for a, b in differ):
                continue
            score = fuzz.ratio(" ".join(words), n)
            if score >= 80 and (best is None or (score, k.id) > best[:2]):
                best = (score, k.id, k)
        return best[2] if best else None
