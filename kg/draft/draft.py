"""Assembling the proposal of one briefing and writing it as data/annotations/<slug>/draft.yaml."""

from __future__ import annotations

import collections
import itertools
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .. import __version__
from ..errors import KgError
from ..project import Project
from ..readfile import read_bytes, read_text
from ..source import load_briefing
from ..yamlfile import load_plain
from . import rules
from .figures import find_figures, find_period
from .link import Gazetteer, Known, norm, pattern, same_kind_name
from .text import sentences

#: Types of what a status, a launch or a management is said of.
_INITIATIVES = ("Facility", "Park", "Platform", "Project", "Plan", "Fund", "Programme", "Initiative", "Policy",
                "Museum", "Library", "Hospital", "IndustrialPark", "FunctionalZone", "Partnership", "ResearchInstitute")
_BEFORE = re.compile(r"(?<![\w’])(?P<ind>(?:[A-Za-z][\w-]*[ \t\n]+){0,3}?[a-z][\w-]*)[ \t\n]+"
                     r"(?:reached|totaled|totalled|was|"
                     r"were|stood[ \t\n]+at|hit|amounted[ \t\n]+to|of|covers|covering|accounted[ \t\n]+for|grew[ \t\n]+"
                     r"to|rose[ \t\n]+to|exceeded|topped)[ \t\n]+(?:over|more than|about|around|nearly|approximately)?"
                     r"[ \t\n]*$")
#: Types a rule derives rather than reads off a name's kind word: a known entity of another type with the
#: same name is not the one meant ("high-level hospitals" counted is an indicator, not the hospitals).
_OWN_TYPE = ("Indicator", "Post", "Role", "Sector", "Event")
#: Types a figure is not about: it counts or measures something of a place, body or initiative.
_NOT_SUBJECTS = ("Person", "Post", "Role", "Indicator", "Sector", "Briefing", "Event")
#: Types a count is not about ("the Talent Fund of 2 billion yuan and 3,000 talent apartments").
_NOT_COUNTED = ("Fund", "Plan", "Policy", "Programme")
#: What a measure of this genre measures ("district-level fiscal revenue", "forest coverage rate"): up to four
#: lower-case words ending in one of these head nouns, the last such before the figure in its sentence.
_MEASURE = re.compile(r"(?<![\w’'-])(?P<ind>(?:[a-z][\w-]*[ \t\n]+){0,3}(?:revenue|revenues|output|value|investment|"
                      r"GDP|income|rate|ratio|volume|sales|exports|imports|consumption|profits?|spending|budget|"
                      r"area|expenditure|turnover|capacity|population))\b")
#: Words of praise the genre puts before a measure ("an impressive forest coverage rate").
_PRAISE = ("impressive", "remarkable", "substantial", "significant", "notable", "overall", "record")
_SKIP_IND = ("the", "a", "an", "its", "their", "this", "that", "and", "with", "total", "in", "which", "who", "it",
             "they", "we", "our", "while", "whereas", "as", "of", "to", "for", "on", "at", "by", "from")


#: Capitalised words that are not the stem of a place name ("New District" is not called "New").
_NOT_STEMS = {"new", "the", "national", "central", "high-tech", "economic", "international", "industrial"}
#: Words that make a lower-case list item a clause rather than a sector.
_NOT_SECTOR = {"of", "to", "in", "for", "with", "our", "their", "its", "we", "is", "are", "will", "has", "have"}


def _split_and(left: str, right: str) -> bool:
    """Whether "left and right" inside a list item is two items: the left ends in a kind word, the whole
    has none ("Ashby Tech and Corrin Foods"), a one-word name stands before a longer one, or the whole is a
    firm's name of two names of two words or more ("Ashby Data Technology and Corrin Robotics": firms'
    names seldom join words with "and", where bodies' names often do: "Science and Technology Bureau")."""
    whole = f"{left} and {right}"
    return bool(rules.kind_of(left) or not rules.kind_of(whole) or (len(left.split()) == 1 and len(right.split()) > 1)
                or (rules.kind_of(whole) == "Enterprise" and len(left.split()) > 1 and len(right.split()) > 1))


def _and_parts(b: int, text: str, after_and: bool) -> list[tuple[int, str]]:
    """``text`` (at offset ``b``) split at its first "and", unless it came after one; words single-spaced."""
    a = None if after_and else re.search(r"[ \t\n]+and[ \t\n]+", text)
    parts = [(b, text)] if a is None else [(b, text[:a.start()]), (b + a.end(), text[a.end():])]
    return [(pb, " ".join(t.split())) for pb, t in parts]


def _last(it: Any) -> Any:
    """The last item of an iterator, or None."""
    tail = collections.deque(it, maxlen=1)
    return tail[0] if tail else None


def slugify(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", norm(name).encode("ascii", "ignore").decode().lower()).strip("-")
    return s[:60].strip("-") or "item"


@dataclass
class Proposal:
    briefing: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    #: The known entities that are the registry's: named by id alone. One known from another briefing's
    #: annotations is declared again with the same id, type and name, so both briefings mean one IRI.
    registry: set[str] = field(default_factory=set)

    def as_json(self) -> dict[str, Any]:
        entities = [{k: v for k, v in e.items() if k not in _YAML_ONLY} for e in self.entities]
        return {"briefing": self.briefing, "entities": entities, "figures": self.figures, "relations": self.relations}

    def is_empty(self) -> bool:
        return not (self.entities or self.figures or self.relations)


def _read(project: Project, slug: str) -> tuple[Path, str, Any]:
    path = project.briefings_dir / f"{slug}.txt"
    if not path.is_file():
        raise KgError(f"no briefing '{slug}' (no such text file)", path)
    data = read_bytes(path)
    if b"\0" in data:
        raise KgError("a binary file, not briefing text", path)
    if not data.strip():
        raise KgError("empty text: nothing to draft", path)
    meta: Any = {}
    if path.with_suffix(".meta.yaml").exists():
        b = load_briefing(path)
        return path, b.text, b.meta
    return path, read_text(path), meta


def _entries(path: Path, key: str = "entities", need: str = "id") -> list[dict[str, Any]]:
    """The entries of one annotation file's list ``key``. The gazetteer needs only ids, types and names:
    composing every node with its line, as the build does, took seconds per briefing; libyaml takes
    milliseconds."""
    doc = load_plain(path)
    items = doc.get(key) if isinstance(doc, dict) else None
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(m, dict) and isinstance(m.get(need), str) for m in items):
        raise KgError(f"'{key}' must be a list of mappings, each with an '{need}'", path)
    return items


def _strs(v: Any) -> tuple[str, ...]:
    return tuple(str(x) for x in v) if isinstance(v, list) else ()


def _known(project: Project, slug: str) -> tuple[Gazetteer, set[str]]:
    known: dict[str, Known] = {}
    edir = project.entities_dir
    for f in sorted(edir.glob("*.yaml")) if edir.is_dir() else []:  # the registry, as the build reads it
        for m in _entries(f):
            if "type" in m and "name" in m:  # an entry without them is the build's to refuse
                known.setdefault(m["id"], Known(m["id"], str(m["type"]), str(m["name"]), _strs(m.get("aliases")),
                                                registry=True))
    reserved = set(known)
    post_facts: dict[str, set[tuple[str, str]]] = {}
    adir = project.annotations_dir
    folders = sorted(p for p in adir.glob("*") if p.is_dir()) if adir.is_dir() else []
    for folder in folders:
        own = folder.name == slug
        for f in sorted(folder.glob("*.yaml")):
            if f.name == "draft.yaml":
                continue
            if own:  # the briefing's curated figures keep their ids: a drafted figure takes another
                reserved |= {m["id"] for m in _entries(f, "figures")}
            for r in _entries(f, "relations", need="s"):  # what the dataset says of posts: their body and role
                if r.get("p") in ("postIn", "role"):
                    post_facts.setdefault(r["s"], set()).add((str(r["p"]), str(r.get("o"))))
            for m in _entries(f):
                id_ = m["id"]
                reserved.add(id_)
                if "type" not in m or "name" not in m:  # a mention of a registry entity
                    if own and id_ in known:
                        k = known[id_]
                        known[id_] = Known(k.id, k.type, k.name, k.aliases, emit=False, registry=k.registry)
                    continue
                extra = tuple((k, str(m[k])) for k in ("name_zh", "same_as", "note") if m.get(k))
                k = Known(id_, str(m["type"]), str(m["name"]), _strs(m.get("aliases")), emit=not own, extra=extra,
                          generic=m.get("generic") is True)
                if own:
                    known[id_] = Known(k.id, k.type, k.name, k.aliases, emit=False)
                else:
                    known.setdefault(id_, k)
    return Gazetteer(sorted(known.values(), key=lambda k: k.id), post_facts), reserved


def _ws(quote: str) -> re.Pattern[str]:
    return re.compile(r"\s+".join(re.escape(w) for w in quote.split()))


class _Builder:
    def __init__(self, slug: str, text: str, meta: dict[str, Any], gaz: Gazetteer, reserved: set[str]):
        self.slug, self.text, self.meta, self.gaz = slug, text, meta, gaz
        self.used = set(reserved)
        self.p = Proposal(slug, registry={k.id for k in gaz.known if k.registry})
        self.ents: dict[str, dict[str, Any]] = {}  # id → entity record
        self.spans: list[tuple[int, int, str]] = []  # (begin, end, id) of every entity mention
        self.rel_keys: set[tuple[str, str, str]] = set()
        self.listed: set[tuple[int, int]] = set()  # the spans of list items ("parks such as A and B")
        self.anaphoric: set[tuple[int, int]] = set()  # the spans of "the zone", "the district"
        self.main: str | None = None  # the place the briefing is about, once its entities are found
        held = meta.get("held")
        self.year = held.year if held is not None else None

    # --- quotes -----------------------------------------------------------------------------------
    def quote(self, b: int, e: int) -> tuple[str, int, int]:
        """The words of text[b:e], extended word by word (right, then left) until they occur once."""
        t = self.text
        for _ in range(60):
            q = " ".join(t[b:e].split())
            if len(_ws(q).findall(t)) == 1:
                return q, b, e
            m = re.match(r"\s*\S+", t[e:])
            if m:
                e += m.end()
            else:
                m2 = re.search(r"\S+\s*$", t[:b])
                if not m2:
                    break
                b = m2.start()
        q = " ".join(t[b:e].split())
        return q, b, e

    def new_id(self, base: str) -> str:
        i, cand = 1, base
        while cand in self.used:
            i += 1
            cand = f"{base}-{i}"
        self.used.add(cand)
        return cand

    # --- entities ---------------------------------------------------------------------------------
    def entity(self, name: str, type_: str, b: int, e: int, rule: str, prefix: str = "",
               generic: bool = False) -> str | None:
        name = " ".join(name.split())
        k = self.gaz.exact(name)
        if k is None and type_ == "Indicator":  # a count is named by what it counts, or as "number of" it
            k = self.gaz.exact(name[10:] if name.startswith("number of ") else "number of " + name)
        if k is not None and type_ in _OWN_TYPE and k.type != type_:
            k = None  # an indicator, post, role or sector is not a known place or body of the same name
        how = rule
        if k is None and not generic and type_ not in _OWN_TYPE:  # a post's name holds its body's: never near
            k = self.gaz.fuzzy(name, type_)
            how = "name/fuzzy" if k else rule
        if k is not None:
            self.spans.append((b, e, k.id))
            if k.id in self.ents or not k.emit:
                return k.id
            q, qb, qe = self.quote(b, e)
            spelled: tuple[str, ...] = () if norm(name) in {norm(n) for n in (k.name, *k.aliases)} else (name,)
            if not k.registry:  # declared again exactly as the other briefing declares it: one entity
                spelled = k.aliases
            self.ents[k.id] = {"id": k.id, "type": k.type, "name": k.name, "aliases": list(spelled), "quote": q,
                               **dict(k.extra),
                               "begin": qb, "end": qe, "known": True, "generic": False,
                               "confidence": rules.confidence(how if how != rule else "name/known"),
                               "rule": how if how != rule else "name/known"}
            return k.id
        for rec in self.ents.values():
            if not rec["known"] and rec["type"] == type_ and same_kind_name(rec["name"], name):
                if norm(rec["name"]) != norm(name) and name not in rec["aliases"]:  # "... Area" for "... Zone"
                    rec["aliases"] = [*rec["aliases"], name]
                self.spans.append((b, e, rec["id"]))
                return str(rec["id"])
        id_ = self.new_id(prefix + slugify(name))
        q, qb, qe = self.quote(b, e)
        self.ents[id_] = {"id": id_, "type": type_, "name": name, "aliases": [], "quote": q, "begin": qb,
                          "end": qe, "known": False, "generic": generic, "confidence": rules.confidence(rule),
                          "rule": rule}
        self.spans.append((b, e, id_))
        return id_

    def type_of(self, id_: str) -> str:
        if id_ in self.ents:
            return str(self.ents[id_]["type"])
        k = self.gaz.by_id.get(id_)
        return k.type if k else ""

    def relation(self, s: str, p: str, o: str, b: int, e: int, rule: str) -> None:
        if s == o or (s, p, o) in self.rel_keys:
            return
        self.rel_keys.add((s, p, o))
        q, qb, qe = self.quote(b, e)
        self.p.relations.append({"s": s, "p": p, "o": o, "quote": q, "begin": qb, "end": qe,
                                 "confidence": rules.confidence(rule), "rule": rule})

    # --- the passes -------------------------------------------------------------------------------
    def run(self) -> Proposal:
        t = self.text
        listed = self.list_items()
        self.listed = {(b, e) for b, e, *_ in listed}
        meetings = [(m.start(), m.end(), m.group(), "Event", "name/meeting") for m in rules.MEETING.finditer(t)]
        name_spans = [n for n in self.names() if not any(b < n[1] and n[0] < e for b, e, *_ in listed + meetings)]
        people = self.people(name_spans + [(b, e, n, ty) for b, e, n, ty, _ in listed])
        for b, e, name, type_, rule in listed + meetings:
            self.entity(name, type_, b, e, rule, prefix="sector-" if type_ == "Sector" else "")
        for b, e, name, type_ in name_spans:
            self.entity(name, type_, b, e, "name/kind-word")
        for m in rules.NAME_LOWER.finditer(t):
            kind = rules.kind_of(m["kind"].capitalize())
            b = m.start("cap")
            if kind and not any(sb < m.end() and b < se for sb, se, _ in self.spans):
                self.entity(t[b:m.end()], kind, b, m.end(), "name/kind-word")
        for m in rules.SECTOR.finditer(t):
            if not self.covered(m.start("name"), m.end("name")):
                self.entity(m["name"], "Sector", m.start("name"), m.end("name"), "list/sector", prefix="sector-")
        # known names the kind-word rule cannot see ("Aurelport", "Larkmoor"), outside longer names
        self.known_mentions()
        self.stems()
        for m in rules.GENERIC.finditer(t):
            if m.group() != m["name"] and not self.covered(m.start("name"), m.start("name") + 1):
                self.entity(m["name"], rules.PLURALS[m["head"]], m.start(), m.end(), "list/generic", generic=True)
        self.event(people)
        self.anaphors()
        sents = sentences(t)
        self.main = self.main_place()  # every entity is found by now: what the briefing is about is fixed
        for (b, e), before in zip(sents, [(0, 0), *sents], strict=False):
            self.relations_in(b, e)
            self.figures_in(b, e, before)
        self.sited_in_main()
        self.p.entities = sorted(self.ents.values(), key=lambda r: (r["begin"], r["id"]))
        self.p.relations.sort(key=lambda r: (r["begin"], r["s"], r["p"], r["o"]))
        return self.p

    def covered(self, b: int, e: int) -> bool:
        return any(sb <= b and e <= se for sb, se, _ in self.spans)

    def anaphors(self) -> None:
        """"The zone focuses on ...": "the zone" is another mention of the last name before it ending in "Zone",
        "our international business district" of the last ending in "International Business District"."""
        words = {i: norm(self.names_of(i)[0]).split() for i in {s[2] for s in self.spans} if not self.generic(i)}
        for m in rules.ANAPHOR.finditer(self.text):
            if self.covered(m.start("words"), m.end()):
                continue
            said = norm(m["words"] + m["kind"]).split()
            before: list[tuple[int, int, str]] = []
            for n in range(len(said), 0, -1):  # the most words a name ends with: "business district", "district"
                before = [s for s in self.spans
                          if s[1] <= m.start() and s[2] in words and words[s[2]][-n:] == said[-n:]]
                if before:
                    break
            if before:
                self.spans.append((m.start(), m.end(), max(before)[2]))
                self.anaphoric.add((m.start(), m.end()))

    def known_mentions(self) -> None:
        """Every occurrence of a known name (three characters or more) outside a longer name: one scan of the
        text for all of them, the longest name first where two begin at one place."""
        names = sorted({n for k in self.gaz.known for n in (k.name, *k.aliases) if len(n) >= 3},
                       key=lambda n: (-len(n), n))
        if not names:
            return
        alternation = "|".join(dict.fromkeys(pattern(n) for n in names))
        for m in re.finditer(rf"(?<![\w-])(?:{alternation})(?![\w-])", self.text, re.IGNORECASE):
            k = self.gaz.exact(m.group())
            if k is not None and not self.covered(m.start(), m.end()):
                self.entity(m.group(), k.type, m.start(), m.end(), "name/known")

    def stems(self) -> None:
        """"Fenwick District" then "Fenwick’s revenue", "the Ashby Bay Marine Science Zone" then "the Ashby
        Bay": a drafted place is also called by the first words of its name (one word before the kind word
        of a two-word name, at least two of a longer one), where they stand alone and capitalised; the
        longest such beginning is taken."""
        for rec in sorted(self.ents.values(), key=lambda r: r["id"]):
            if rec["known"] or rec["type"] not in rules.PLACES or rules.kind_of(rec["name"]) is None:
                continue
            words = re.sub(r"\s*\(.*\)$", "", rec["name"]).split()
            for n in range(len(words) - 1, 0 if len(words) == 2 else 1, -1):
                stem = " ".join(words[:n])
                if not all(w[:1].isupper() for w in words[:n]) or stem.lower() in _NOT_STEMS:
                    continue
                pat = re.compile(r"(?<![\w-])" + r"\s+".join(map(re.escape, words[:n])) + r"(?![\w-])(?!\s+[A-Z])")
                found = [m for m in pat.finditer(self.text) if not self.covered(m.start(), m.end())]
                if found:
                    rec["aliases"] = [*rec["aliases"], stem]
                    self.spans += [(m.start(), m.end(), rec["id"]) for m in found]
                    break

    def names(self) -> list[tuple[int, int, str, str]]:
        """Capitalised names ending in a kind word; "Ashby Park and Corrin Park" is two."""
        t = self.text
        pieces: list[tuple[int, int]] = []
        for m in rules.NAME.finditer(t):
            b = m.start()
            for a in re.finditer(r"[ \t\n]+and[ \t\n]+", t[m.start():m.end()]):
                left = t[b:m.start() + a.start()]
                if rules.kind_of(left):
                    pieces.append((b, m.start() + a.start()))
                    b = m.start() + a.end()
            pieces.append((b, m.end()))
        out = []
        for b, end in pieces:
            if t[b:end].startswith(("The ", "The\n")):
                b += 4
            of = re.search(r"[ \t\n]+of[ \t\n]+(?:the[ \t\n]+)?", t[b:end])
            if of and not rules.kind_of(t[b:b + of.start()]):  # "Development of Ashby New Area": the area
                b += of.end()
            type_ = rules.kind_of(t[b:end])
            if type_ is not None:
                out.append((b, end, t[b:end], type_))
        return out

    def list_items(self) -> list[tuple[int, int, str, str, str]]:
        """The items of lists after "such as", "including" and "like": capitalised names typed by their own
        kind word or else by the head noun ("companies such as Ashby Tech and Corrin Foods"), lower-case
        phrases of up to four words after a head of sectors ("key industries like marine sensors")."""
        out: list[tuple[int, int, str, str, str]] = []
        for m in rules.lists(self.text):
            head, base = m["head"].lower(), m.start("items")
            sectors = head in rules.SECTOR_HEADS
            single = head[:-3] + "y" if head.endswith("ies") else head[:-1]
            for piece in re.finditer(r"[^,]+?(?=,|[ \t\n]+and[ \t\n]+the[ \t\n]|$)", m["items"]):
                lead = re.match(r"[ \t\n]*(?P<and>and[ \t\n]+)?(?:the[ \t\n]+)?", piece.group())
                b = base + piece.start() + (lead.end() if lead else 0)
                rest = self.text[b:base + piece.end()].rstrip()
                if sectors:  # "a, b and the c": lower-case phrases of up to four words
                    for sb, phrase in _and_parts(b, rules.ITEM_END.sub("", rest), bool(lead and lead["and"])):
                        phrase = phrase.removeprefix("the ")
                        at = _ws(phrase).search(self.text, sb) if phrase else None
                        if at and re.fullmatch(r"[a-z][\w-]*(?: [a-z][\w-]*){0,3}", phrase) and \
                                not set(phrase.split()) & _NOT_SECTOR and phrase.split()[-1] not in rules.PLACE_NOUNS:
                            out.append((at.start(), at.end(), phrase, "Sector", "list/such-as"))
                    continue
                im = re.match(rf"[A-Z][\w’'.&-]*(?:[ \t\n]+(?:[A-Z][\w’'.&-]*|of|and|for|&))*"
                              rf"(?:(?:[ \t\n]+[a-z][\w-]*){{0,2}}[ \t\n]+{single}\b)?", rest)
                if im is None:
                    break  # the list has ended
                item = re.sub(r"[ \t\n]+(?:and|of|for|&)$", "", im.group())
                parts = [(b, item)]
                a = re.search(r"[ \t\n]+and[ \t\n]+", item)
                if a and not (lead and lead["and"]) and _split_and(item[:a.start()], item[a.end():]):
                    parts = [(b, item[:a.start()]), (b + a.end(), item[a.end():])]
                for pb, name in parts:
                    out.append((pb, pb + len(name), name, self.item_type(name, m), "list/such-as"))
        return out

    def item_type(self, name: str, m: re.Match[str]) -> str:
        """A list item's type: its own kind word's, but an industrial park where the head says the parks are
        ("industrial parks, such as the Ashby Photonics Park"), else the head's."""
        kind = rules.kind_of(name)
        if kind == "Park" and rules.INDUSTRIAL.search(self.text, 0, m.start("head")):
            return "IndustrialPark"
        return kind or rules.PLURALS[m["head"].lower()]

    def people(self, name_spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str]]:
        """"Name, Post of Body": the person, the post (named as the text names it), its body and role."""
        t = self.text
        people: list[tuple[int, int, str]] = []
        for m in rules.PERSON.finditer(t):
            body = next((n for n in name_spans if n[0] == m.end()), None)
            run = re.match(r"[A-Z][\w’'-]*(?:[ \t\n]+[A-Z][\w’'-]*){0,5}", t[m.end():])
            if body is None and run:  # "Vice Mayor of Gullhaven": a body whose name does not say its kind
                last = m["post"].split()[-1].capitalize()
                type_ = "City" if last in ("Mayor", "Governor") else \
                    "Enterprise" if last in ("Chairman", "President", "Manager") else "PublicAuthority"
                body = (m.end(), m.end() + run.end(), run.group(), type_)
            if body is None:
                continue
            pid = self.entity(m["name"], "Person", m.start("name"), m.end("name"), "person/name-post-of-body")
            bid = self.entity(body[2], body[3], body[0], body[1], "name/kind-word")
            if not (pid and bid):
                continue
            for word in re.split(r"[ \t\n]+and[ \t\n]+", m["post"]):
                role = " ".join(w if w.isupper() else "-".join(x.capitalize() for x in w.split("-"))
                                for w in word.split())
                kind = body[2].split()[-1]
                if kind in ("District", "City", "Committee") and role.split()[-1] in ("Chief", "Head", "Secretary") \
                        and len(role.split()) <= 2 and \
                        not set(role.split()) & {"Party", "District", "City", "Committee"}:
                    # "chief of X District" holds the role of a district chief, as the genre calls it
                    role_name = " ".join([*role.split()[:-1], kind, role.split()[-1]])
                else:
                    role_name = role
                post_name = f"{role} of {'the ' if m['the'] else ''}{' '.join(body[2].split())}"
                org = bid
                if body[3] in ("District", "City") and role.split()[-1] in rules.HEADS_OF_GOVERNMENT:
                    # the chief of a district heads its people's government, the body the post is in
                    org = self.entity(f"{' '.join(body[2].split())} People's Government", "PublicAuthority",
                                      m.start("post"), body[1], "person/post") or bid
                    # the words name the post, not the government: no mention of it there (nor a subject)
                    self.spans = [x for x in self.spans if x[2] != org or x[:2] != (m.start("post"), body[1])]
                post = self.entity(post_name, "Post", m.start("post"), body[1], "person/post", prefix="post-")
                # A post the dataset knows has its body and role already (a post has one role): they are stated
                # again only where they are the ones the dataset gives it, never as new ones.
                post_known = post is not None and post in self.gaz.by_id
                stated = self.gaz.facts(post) if post else set()
                said = role_name if not post_known else next(
                    (n for n in (role_name, role) if (k := self.gaz.exact(n)) and ("role", k.id) in stated), None)
                rid = self.entity(said, "Role", m.start("name"), m.end("post"), "person/role", prefix="role-") \
                    if said else None
                if rid in self.ents and role != role_name and role not in self.ents[rid]["aliases"]:
                    self.ents[rid]["aliases"] = [*self.ents[rid]["aliases"], role]
                if post:
                    self.relation(pid, "holds", post, m.start(), body[1], "person/name-post-of-body")
                    if not post_known or ("postIn", org) in stated:
                        self.relation(post, "postIn", org, m.start("post"), body[1], "person/post")
                    if rid:
                        self.relation(post, "role", rid, m.start("post"), body[1], "person/role")
            people.append((m.start(), body[1], pid))
        return people

    def publisher(self) -> None:
        """The publisher the metadata names, where nothing known has its id and the text spells its id's words
        ("aurelport-courier" as "Aurelport Courier, March 13"): declared, so the draft builds."""
        pid = self.meta.get("publisher")
        if not isinstance(pid, str) or pid in self.gaz.by_id or pid in self.ents:
            return
        m = re.search(r"(?<![\w-])" + r"[\s-]+".join(map(re.escape, pid.split("-"))) + r"(?![\w-])", self.text,
                      re.IGNORECASE)
        if m is None or not m.group()[:1].isupper():
            return
        name = " ".join(m.group().split())
        q, qb, qe = self.quote(m.start(), m.end())
        self.used.add(pid)
        self.ents[pid] = {"id": pid, "type": rules.kind_of(name) or "Enterprise", "name": name, "aliases": [],
                          "quote": q, "begin": qb, "end": qe, "known": False, "generic": False,
                          "confidence": rules.confidence("event/publisher"), "rule": "event/publisher"}
        self.spans.append((m.start(), m.end(), pid))

    def event(self, people: list[tuple[int, int, str]]) -> None:
        self.publisher()
        m = rules.EVENT.search(self.text)
        if m is None:
            return
        eid = self.meta.get("event") or f"briefing-{self.slug}"
        k = self.gaz.exact(eid)
        known = self.gaz.by_id.get(eid)
        if known is None and k is None:
            name = f"Press briefing {self.slug}"
            q, qb, qe = self.quote(m.start(), m.end())
            self.used.add(eid)
            self.ents[eid] = {"id": eid, "type": "Briefing", "name": name, "aliases": [], "quote": q, "begin": qb,
                              "end": qe, "known": False, "generic": False,
                              "confidence": rules.confidence("event/held-briefing"), "rule": "event/held-briefing"}
        elif known is not None and known.emit and eid not in self.ents:
            q, qb, qe = self.quote(m.start(), m.end())
            self.ents[eid] = {"id": eid, "type": known.type, "name": known.name,
                              "aliases": [] if known.registry else list(known.aliases), "quote": q, **dict(known.extra),
                              "begin": qb, "end": qe, "known": True, "generic": False,
                              "confidence": rules.confidence("event/held-briefing"), "rule": "event/held-briefing"}
        before = [s for s in self.spans if 0 <= m.start() - s[1] <= 2]
        by = re.match(r"[ \t\n]+by[ \t\n]+(?:the[ \t\n]+)?", self.text[m.end():])  # "a briefing hosted by X"
        after = [s for s in self.spans if by and s[0] == m.end() + by.end()]
        if before or after:
            org = (before or after)[-1]
            self.relation(eid, "organizer", org[2], min(org[0], m.start()), max(org[1], m.end()), "event/organizer")
        said: dict[str, tuple[str, int]] = {}  # person → what the words after them say they did, and where
        for i, (_, e, pid) in reversed(list(enumerate(people))):
            stop = people[i + 1][0] if i + 1 < len(people) else len(self.text)
            window = self.text[e:min(stop, e + 200)]
            w = re.search(r"\b(presented|introduced|delivered|gave|reported|briefed|said|outlined|explained)\b", window)
            a = re.search(r"\b(answered|attended|joined)\b", window)
            if w and (not a or w.start() < a.start()):
                said[pid] = ("presenter", e + w.end())
            elif a:
                said[pid] = ("attendee", e + a.end())
            elif i + 1 < len(people) and people[i + 1][2] in said and \
                    re.fullmatch(r",?[ \t\n]+(?:and[ \t\n]+)?", self.text[e:stop]):
                said[pid] = said[people[i + 1][2]]  # "A, post of X, and B, post of Y, attended": A attended too
            elif v := re.search(r"\b(?:(?P<said>said|says|added|told[ \t\n]+reporters)|[Aa]ccording[ \t\n]+to)"
                                r"[ \t\n]+$", self.text[max(0, people[i][0] - 40):people[i][0]]):
                said[pid] = ("presenter" if v["said"] else "attendee", e)  # "said A, post of X", "according to A"
        for b, _, pid in people:
            if pid in said:
                role, end = said[pid]
                self.relation(eid, role, pid, b, end, f"event/{role}")

    def in_sentence(self, b: int, e: int) -> list[tuple[int, int, str]]:
        seen: dict[tuple[int, int], str] = {}
        for s in self.spans:
            if b <= s[0] and s[1] <= e:
                seen.setdefault((s[0], s[1]), s[2])
        out = sorted((sb, se, i) for (sb, se), i in seen.items())
        return [x for x in out if not any(y[0] <= x[0] and x[1] <= y[1] and y != x for y in out)]

    def relations_in(self, b: int, e: int) -> None:
        t = self.text
        ents = self.in_sentence(b, e)
        named = [x for x in ents if x[:2] not in self.anaphoric]  # "the zone" is a subject, never a party
        for (ab, ae, a), (bb, be, o) in itertools.pairwise(named):
            if self.generic(a) or self.generic(o):  # a collective mention ("nine universities") is no party
                continue
            between = t[ae:bb]
            ta, to = self.type_of(a), self.type_of(o)
            if re.search(r"\bis home to[ \t\n]+(?:the[ \t\n]+)?$", between) and ta in rules.PLACES:
                # "A lies by B and is home to C": C is in the sentence's subject, its first place
                home = next((x for x in ents if self.type_of(x[2]) in rules.PLACES), (ab, ae, a))
                p = self.in_place(o)
                self.relation(o, p, home[2], home[0], be, "relation/place/in")
                continue
            for family, word, pat in rules.BETWEEN:
                if not pat.search(between):
                    continue
                if family == "place" and to in rules.PLACES and ta not in _NOT_SUBJECTS:
                    p = self.in_place(a)
                elif family == "launch" and ta not in rules.PLACES:
                    p = "launchedBy"
                elif family == "manage":
                    p = "managedBy"
                elif family == "link":
                    p = "linkedTo"
                elif family == "partner" and ta == "Partnership":
                    p = "hasMember"
                elif family == "signed":
                    self.signed(named, (ab, ae, a), (bb, be, o))
                    break
                else:
                    continue
                for x in self.joined(named, (bb, be, o)):  # "built by A and the B": by B as well
                    self.relation(a, p, x[2], ab, x[1], f"relation/{family}/{word}")
                break
        initiatives = [x for x in ents if self.type_of(x[2]) in _INITIATIVES and not self.generic(x[2])]
        actors = [x for x in ents if self.type_of(x[2]) in (*_INITIATIVES, "Enterprise", "Institution", "University")
                  and not self.generic(x[2]) and not re.search(r"\bwith[ \t\n]+(?:the[ \t\n]+)?$", t[b:x[0]])]
        for x in ents:  # "X ... is planned to open in Y": the sentence's first actor is in the place Y
            if self.type_of(x[2]) in rules.PLACES and rules.SITED.search(t, max(b, x[0] - 80), x[0]) and actors \
                    and actors[0][1] <= x[0] and actors[0][2] != x[2]:
                p = self.in_place(actors[0][2])
                self.relation(actors[0][2], p, x[2], actors[0][0], x[1], "relation/place/sited")
        for x in initiatives:
            self.status(x, b, e)
        we = rules.WE_LAUNCH.search(t, b, e)
        gov = self.government()
        if we and gov:
            for x in initiatives:
                if x[0] >= we.end():
                    self.relation(x[2], "launchedBy", gov, we.start(), x[1], "relation/launch/we")
        for m in rules.lists(t, b, e):
            if m["head"].lower() not in rules.SECTOR_HEADS:
                self.members_in_sector(m, b, ents)
                self.members_in_place(m, b, e, ents)
                continue
            p = "keySector" if rules.KEY.search(t[max(b, m.start() - 40):m.start()]) else "focusSector"
            own = [x for x in ents if x[1] <= m.start() and self.type_of(x[2]) not in _NOT_SUBJECTS
                   and not self.generic(x[2])]
            subject = own[-1][2] if own else self.main
            for x in ents:
                if subject and x[0] >= m.start("items") and self.type_of(x[2]) == "Sector":
                    self.relation(subject, p, x[2], m.start(), x[1], "relation/sector")

    def joined(self, ents: list[tuple[int, int, str]], x: tuple[int, int, str]) -> list[tuple[int, int, str]]:
        """``x`` and the names joined to it by commas and "and" ("A, B and the C")."""
        out = [x]
        for y in ents[ents.index(x) + 1:]:
            if not rules.AND.match(self.text[out[-1][1]:y[0]]) or self.generic(y[2]) or \
                    (self.type_of(y[2]) in rules.PLACES) != (self.type_of(x[2]) in rules.PLACES):
                break
            out.append(y)
        return out

    def signed(self, ents: list[tuple[int, int, str]], a: tuple[int, int, str], o: tuple[int, int, str]) -> None:
        """"A signed an agreement with B to build C": C launched by B and by A (a district's government for
        the district)."""
        after = ents[ents.index(o) + 1:]
        if not after or not rules.TO_BUILD.match(self.text[o[1]:after[0][0]]) or \
                self.type_of(after[0][2]) not in _INITIATIVES:
            return
        c = after[0]
        gov = self.government() if a[2] == self.main else None
        for by in (o[2], gov or a[2]):
            if self.type_of(by) not in rules.PLACES:
                self.relation(c[2], "launchedBy", by, a[0], c[1], "relation/signed/with")

    def members_in_place(self, m: re.Match[str], b: int, e: int, ents: list[tuple[int, int, str]]) -> None:
        """The examples of a list are in the place its sentence says they settled in, the place that attracted
        or hosts them, or the place whose list it is ("Fenwick’s key parks, including A")."""
        t = self.text
        places = [x for x in ents if self.type_of(x[2]) in rules.PLACES and not self.generic(x[2])
                  and (x[0], x[1]) not in self.listed]
        owner = next((x for x in places if re.fullmatch(r"[’']s?[ \t\n]+(?:[\w-]+[ \t\n]+){0,3}",
                                                         t[x[1]:m.start("head")])), None)
        settled = next((x for x in places if rules.SETTLED_IN.search(t, b, x[0])), None)
        hosts = _last(a for a in rules.ATTRACTED.finditer(t, b, m.start("head")))
        host = _last(x for x in places if hosts and x[1] <= hosts.start())
        place = owner or settled or host
        if place is None:
            return
        for x in ents:
            if (x[0], x[1]) in self.listed and x[0] >= m.start("items") and x[2] != place[2] \
                    and self.type_of(x[2]) not in _NOT_SUBJECTS:
                self.relation(x[2], self.in_place(x[2]), place[2], min(place[0], m.start()), max(place[1], x[1]),
                              "relation/place/list")

    def members_in_sector(self, m: re.Match[str], b: int, ents: list[tuple[int, int, str]]) -> None:
        """"new energy firms such as A and B", "in the marine sector, firms including A": the examples of a
        list of enterprises are in the sector named before its head."""
        if rules.PLURALS.get(m["head"].lower()) != "Enterprise":
            return
        sectors = [x for x in ents if x[1] <= m.start("head") and self.type_of(x[2]) == "Sector"]
        before = " ".join(self.text[max(b, m.start("head") - 60):m.start("head")].split()).lower()
        named = next((i for i, r in sorted(self.ents.items()) if r["type"] == "Sector"
                      and before.endswith(" " + " ".join(r["name"].lower().split()))), None)
        sector = named or (sectors[-1][2] if sectors else None)
        if sector is None:
            return
        for x in ents:
            if (x[0], x[1]) in self.listed and x[0] >= m.start("items") and self.type_of(x[2]) == "Enterprise":
                self.relation(x[2], "inSector", sector, m.start(), x[1], "relation/sector")

    def in_place(self, id_: str) -> str:
        """The property that puts ``id_`` in a place: containedInPlace for a place, locatedIn for anything else."""
        return "containedInPlace" if self.type_of(id_) in rules.PLACE_TYPES else "locatedIn"

    def sited_in_main(self) -> None:
        """A zone, park, village or facility the briefing names (not one it only links to another briefing) and
        sites nowhere else is in the place its name begins with ("the Tallow Bay Library" in the Tallow Bay,
        "Fenwick Museum" in Fenwick District), or else in the briefing's main place: a district's briefing
        describes its own district."""
        main = self.main if self.main and self.type_of(self.main) in ("District", "City") else None
        places = {norm(n): i for i in sorted({s[2] for s in self.spans}) if self.type_of(i) in rules.PLACES
                  and not self.generic(i) for n in self.names_of(i)}
        sited = {r["s"] for r in self.p.relations if r["p"] in ("locatedIn", "containedInPlace")}
        for id_, rec in sorted(self.ents.items(), key=lambda x: x[1]["begin"]):
            if rec["type"] not in rules.SITED_IN_MAIN or rec["known"] or rec["generic"] or id_ in sited:
                continue
            name = norm(rec["name"])
            prefix = max((n for n, i in places.items() if i != id_ and name.startswith(n + " ")), key=len, default=None)
            if prefix is not None:
                self.relation(id_, self.in_place(id_), places[prefix], rec["begin"], rec["end"], "relation/place/name")
            elif main is not None:
                self.relation(id_, self.in_place(id_), main, rec["begin"], rec["end"], "relation/place/main")

    def generic(self, id_: str) -> bool:
        return bool(self.ents.get(id_, {}).get("generic"))

    def status(self, x: tuple[int, int, str], b: int, e: int) -> None:
        """The status of the initiative x from the verbs after it in its sentence (text[b:e]) or, for an
        example of a list or what "we" build ("we will build parks such as A"), the nearest verb before it."""
        t = self.text
        after = x[1]
        aside = re.match(r",[ \t\n]+(?:which|where|who|that)\b[^,]*,", t[after:e])  # ", which the city is building,"
        if aside:
            after += aside.end()
        following = [(m.start(), i, status, m) for i, (status, pat) in enumerate(rules.STATUS)
                     if (m := pat.search(t, after, e))]
        if not following and aside:  # "X, which opened in 2023, now employs ...": the aside's own verb
            following = [(m.start(), i, status, m) for i, (status, pat) in enumerate(rules.STATUS)
                         if (m := pat.search(t, x[1], after))]
        if following:  # the nearest verb after it: "A is under construction and B is in operation"
            _, _, status, m = min(following, key=lambda f: f[:2])
            self.relation(x[2], "status", status, x[0], m.end(), "relation/status")
            return
        governs = [(m.start(), status, m) for status, pat in rules.STATUS for m in pat.finditer(t, b, x[0])
                   if re.fullmatch(r"(?:[ \t\n]+(?!(?:in|at|within|of|to|for|with|by|from|on|near|into)\b)[a-z][\w-]*)"
                                   r"{0,4}[ \t\n]+", t[m.end():x[0]])]
        if governs:  # "Fenwick will also open the Ashby Lab": the verb whose object it is
            _, status, m = max(governs, key=lambda n: n[0])
            self.relation(x[2], "status", status, m.start(), x[1], "relation/status")
            return
        if (x[0], x[1]) not in self.listed and not rules.WE_LAUNCH.search(t, b, x[0]):
            return
        near = [(m.start(), status, m) for status, pat in rules.STATUS for m in pat.finditer(t, b, x[0])]
        if near:
            _, status, m = max(near, key=lambda n: n[0])
            self.relation(x[2], "status", status, m.start(), x[1], "relation/status")

    def government(self) -> str | None:
        """The main place's government, where the text names it or a post of it ("chief of Ashby District")."""
        place = self.main
        if place is None:
            return None
        names = {norm(f"{n} People's Government") for n in self.names_of(place)} | \
            {norm(f"{n} Government") for n in self.names_of(place)}
        return next((i for i, r in sorted(self.ents.items()) if r["type"] == "PublicAuthority"
                     and norm(r["name"]) in names), None)

    def names_of(self, id_: str) -> tuple[str, ...]:
        if id_ in self.ents:
            return (self.ents[id_]["name"], *self.ents[id_]["aliases"])
        k = self.gaz.by_id.get(id_)
        return (k.name, *k.aliases) if k else ()

    def figures_in(self, b: int, e: int, before_sentence: tuple[int, int]) -> None:
        t = self.text
        sentence = t[b:e]
        period = find_period(sentence, self.year)
        figures = find_figures(sentence, b)
        each = self.respective([f.begin for f in figures if f.rule == "figure/respectively"], b, before_sentence)
        base = b  # what a figure measures is named after the figure before it, if any
        for f in figures:
            before = t[base:f.begin]
            base = f.end
            ind_name, ib, ie = None, f.begin, f.end
            if f.noun:
                at = _ws(f.noun).match(t, f.noun_at)
                ind_name, ib, ie = f.noun, f.noun_at, at.end() if at else f.noun_at + len(f.noun)
            elif h := _last(_MEASURE.finditer(before[:1].lower() + before[1:])):  # "Output rose 12%"
                words = h["ind"].split()
                cut = [i for i, w in enumerate(words[:-1]) if w.lower() in (*_SKIP_IND, *_PRAISE)]
                words = words[cut[-1] + 1:] if cut else words  # "while its population" is "population"
                ind_name = " ".join(words)
                at = _ws(ind_name).search(t, f.begin - len(before) + h.start("ind"))
                ib, ie = (at.start(), at.end()) if at else (f.begin - len(before) + h.start("ind"),
                                                            f.begin - len(before) + h.end("ind"))
            else:
                m = _BEFORE.search(before)
                if m:
                    words = m["ind"].split()
                    while words and (words[0].lower() in _SKIP_IND or words[0][:1].isupper() or "’" in words[0]):
                        words.pop(0)
                    if words:
                        ind_name = " ".join(words)
                        ib = t.find(ind_name.split()[0], f.begin - len(before) + m.start("ind"))
                        ie = f.begin - len(before) + m.end("ind")
            if ind_name is None:
                ind_name = {"CNY": "amount", "km2": "area", "m2": "area", "percent": "share"}.get(f.unit, "number")
            about = each.get(f.begin) or self.subject(b, e, f.begin, f.end, f.noun is None, before_sentence)
            if about is None:  # nothing to be about: no figure, and no indicator left behind
                continue
            ind = self.entity(ind_name, "Indicator", ib, ie, f.rule, prefix="ind-")
            if ind is None:
                continue
            start = min(ib, f.begin)
            end = f.end
            y = re.search(r"\d+(?:\.\d+)?[ \t\n]*(?:%|percent)", t[f.end:e]) if f.yoy is not None else None
            if y:
                end = f.end + y.end()
            q, qb, qe = self.quote(start, end)
            stated = " ".join(t[f.begin:f.end].split())
            fid = self.new_id(slugify(ind_name) + (f"-{period.lower()}" if period else ""))
            rec: dict[str, Any] = {"id": fid, "value": _num(f.value), "unit": f.unit, "indicator": ind, "about": about,
                                   "period": period, "qualifier": f.qualifier, "yoy": _num(f.yoy) if f.yoy is not None
                                   else None, "stated": stated, "quote": q, "begin": qb, "end": qe,
                                   "confidence": rules.confidence(f.rule), "rule": f.rule}
            if f.upper is not None:
                rec["upper"] = _num(f.upper)
            self.p.figures.append(rec)

    def respective(self, at: list[int], b: int, before: tuple[int, int]) -> dict[int, str]:
        """"A, B and C ... comprising 600, 155 and 52, respectively": each count at ``at`` is of the name in
        the same place among the last names before it, in its sentence or else the one before."""
        if not at:
            return {}
        for sb, se in ((b, at[0]), before):
            named = [x for x in self.in_sentence(sb, se) if self.type_of(x[2]) not in _NOT_SUBJECTS
                     and not self.generic(x[2])]
            if len(named) >= len(at):
                return {a: x[2] for a, x in zip(at, named[-len(at):], strict=True)}
        return {}

    def subject(self, b: int, e: int, fb: int, fe: int, measure: bool,
                previous: tuple[int, int] = (0, 0)) -> str | None:
        """What the figure at text[fb:fe] of the sentence text[b:e] is about: the name a measure stands
        before ("48-square-kilometer Ashby Park"), the name a count's noun is "of" ("four islands of Corrin
        Lake"), the nearest named entity before it in the sentence (not a person, post, sector, indicator, a
        collective mention or an example of a list; of "A in B", A), a place it is "in" after it, what "its"
        or a sentence's first "It" stands for (the last place or firm named in the sentence before,
        text[previous[0]:previous[1]]), or else the briefing's main place."""
        t = self.text
        named = [x for x in self.in_sentence(b, e) if self.type_of(x[2]) not in _NOT_SUBJECTS
                 and not self.generic(x[2]) and (x[0], x[1]) not in self.listed]
        after = next((x for x in named if x[0] >= fe), None)
        if after and ((re.fullmatch(r"[ \t\n]+", t[fe:after[0]]) and measure)
                      or re.fullmatch(r"[ \t\n]+of[ \t\n]+(?:the[ \t\n]+)?", t[fe:after[0]])):
            return after[2]
        inside = next((x for x in named if x[0] >= fe and self.type_of(x[2]) in rules.PLACES
                       and re.search(r"\b(?:in|within|at)[ \t\n]+(?:the[ \t\n]+)?$", t[fe:x[0]])), None)
        # a count of what is "in" a place is of the place: "two universities ... within our district"
        if inside and not measure and re.fullmatch(r"[^;]{0,120}", t[fe:inside[0]]):
            return inside[2]
        # a count is of a place, body or facility, not of a fund, plan or policy named before it
        before = [x for x in named if x[1] <= fb and (measure or self.type_of(x[2]) not in _NOT_COUNTED)]
        while len(before) > 1 and re.fullmatch(r",?[ \t\n]+(?:in|within|at|of)[ \t\n]+(?:the[ \t\n]+)?",
                                               t[before[-2][1]:before[-1][0]]):
            before.pop()  # "the Ashby Park in Fenwick District reported ...": the park, not where it is
        if before:
            return before[-1][2]
        if inside:
            return inside[2]
        if re.search(r"(?<![\w’'-])(?:[Ii]ts|[Tt]heir)[ \t\n]+(?:[\w-]+[ \t\n]+){0,4}$", t[b:fb]) \
                or re.match(r"[ \t\n“\"]*(?:It|They)\b", t[b:fb]):
            # "The zone covers 12 square kilometers. He said its revenue reached ..." ("It hosts ..."): the zone's
            told = [x for x in self.in_sentence(*previous) if self.type_of(x[2]) in (*rules.PLACE_TYPES, "Enterprise")
                    and not self.generic(x[2]) and (x[0], x[1]) not in self.listed]
            if told:
                return told[-1][2]
        return self.main

    def main_place(self) -> str | None:
        """The place the briefing names most (a briefing of this genre is about one district, zone or city),
        a district before a city, a city before a zone, where two are named as often."""
        counts: dict[str, int] = {}
        for _, _, i in self.spans:
            if self.type_of(i) in rules.PLACES and not self.generic(i):
                counts[i] = counts.get(i, 0) + 1
        rank = {t: n for n, t in enumerate(("District", "City", "FunctionalZone"))}
        return min(counts, key=lambda i: (-counts[i], rank.get(self.type_of(i), 3), i)) if counts else None


def _num(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def draft_briefing(project: Project, slug: str) -> Proposal:
    """The proposal for briefing ``slug`` (its text in data/briefings/), linked to what the project knows."""
    _, text, meta = _read(project, slug)
    _check_target(project, slug)
    gaz, reserved = _known(project, slug)
    return _Builder(slug, text, meta, gaz, reserved).run()


def _check_target(project: Project, slug: str) -> Path:
    target = project.annotations_dir / slug / "draft.yaml"
    if target.exists():
        try:
            doc = yaml.safe_load(target.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            doc = None
        if not isinstance(doc, dict) or "draft" not in doc:
            raise KgError("a reviewed annotation file (no 'draft:' key): kg draft will not overwrite it", target)
    return target


#: Keys of an entity copied from another briefing's declaration, which the JSON shape does not have.
_YAML_ONLY = ("name_zh", "same_as", "note")
_ENTITY_YAML = ("id", "type", "name", "aliases", "name_zh", "same_as", "note", "quote", "generic", "confidence",
                "rule")
_FIGURE_YAML = ("id", "indicator", "about", "value", "unit", "period", "qualifier", "upper", "yoy", "stated", "quote",
                "confidence", "rule")


def as_yaml(p: Proposal) -> str:
    ents = []
    for r in p.entities:
        keys = ("id", "aliases", "quote", "confidence", "rule") if r["id"] in p.registry else _ENTITY_YAML
        ents.append({k: r[k] for k in keys if r.get(k) not in (None, [], False)})
    figs = [{k: r[k] for k in _FIGURE_YAML if r.get(k) is not None} for r in p.figures]
    rels = [{k: r[k] for k in ("s", "p", "o", "quote", "confidence", "rule")} for r in p.relations]
    doc = {"draft": {"generator": "kg draft", "version": __version__}, "entities": ents, "relations": rels,
           "figures": figs}
    head = (f"# Drafted by kg draft from data/briefings/{p.briefing}.txt: every item is unreviewed. Move an item\n"
            "# into a curated file (without confidence and rule) to review it.\n")
    return head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=1000)


def as_json(p: Proposal) -> str:
    return json.dumps(p.as_json(), ensure_ascii=False, indent=2) + "\n"


def write_draft(project: Project, p: Proposal) -> Path:
    """Write ``p`` atomically as data/annotations/<slug>/draft.yaml (refusing a reviewed file there)."""
    target = _check_target(project, p.briefing)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".draft-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(as_yaml(p))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
