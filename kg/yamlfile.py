"""YAML mappings that remember the file and line of every value, so errors can point at them."""

from __future__ import annotations

import builtins
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import cast

import yaml

from .errors import KgError
from .readfile import read_text
from .syntax import SLUG_RULE, is_slug

#: Numbers kg reads: plain decimals (``18.137``, ``-3``, ``1.5e9``, ``1_000``), checked as text before any
#: arithmetic, so ``1e999999999`` costs nothing. Magnitudes below 10^18 (more than any figure of a
#: briefing: world GDP is about 10^15 yuan), at most 28 significant digits (exact in Decimal's default
#: context) and at most 20 decimal places.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,9})?")
MAX_MAGNITUDE = 18
MAX_DIGITS = 28
MAX_PLACES = 20

#: Deeper YAML than this is refused: the composer recurses once per level (1,500 levels overflow the stack).
MAX_DEPTH = 64

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Mapping:
    """A YAML mapping read from ``path``, starting at ``line`` (1-based)."""

    path: Path
    line: int
    nodes: dict[str, yaml.Node]

    def line_of(self, key: builtins.str) -> int:
        return self.nodes[key].start_mark.line + 1 if key in self.nodes else self.line

    def error(self, message: builtins.str, key: builtins.str | None = None) -> KgError:
        return KgError(message, self.path, self.line_of(key) if key else self.line)

    def check_keys(self, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> None:
        for key in self.nodes:
            if key not in required and key not in optional:
                allowed = ", ".join(required + optional)
                raise self.error(f"unknown key '{key}' (allowed: {allowed})", key)
        for key in required:
            if key not in self.nodes:
                raise self.error(f"missing key '{key}'")

    def __contains__(self, key: builtins.str) -> builtins.bool:
        return key in self.nodes

    def str(self, key: builtins.str) -> builtins.str | None:
        node = self.nodes.get(key)
        if node is None or _is_null(node):
            return None
        if not isinstance(node, yaml.ScalarNode) or not node.value.strip():
            raise self.error(f"'{key}' must be a non-empty text", key)
        return node.value.strip()

    def slug(self, key: builtins.str) -> builtins.str | None:
        value = self.str(key)
        if value is not None and not is_slug(value):
            raise self.error(f"'{key}' must be {SLUG_RULE}, not '{value}'", key)
        return value

    def strs(self, key: builtins.str) -> tuple[builtins.str, ...]:
        node = self.nodes.get(key)
        if node is None or _is_null(node):
            return ()
        if isinstance(node, yaml.ScalarNode):
            return (self.str(key) or "",)
        if isinstance(node, yaml.SequenceNode) and all(
            isinstance(n, yaml.ScalarNode) and n.value.strip() for n in node.value
        ):
            return tuple(n.value.strip() for n in node.value)
        raise self.error(f"'{key}' must be a text or a list of texts", key)

    def decimal(self, key: builtins.str) -> Decimal | None:
        raw = self.str(key)
        if raw is None:
            return None
        plain = raw.replace("_", "")
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        if len(plain) > 64 or not _NUMBER.fullmatch(plain):
            raise self.error(f"'{key}' must be a number, not '{shown}'", key)
        try:
            value = Decimal(plain)
        except InvalidOperation:  # not reached: the pattern admits only what Decimal reads
            raise self.error(f"'{key}' must be a number, not '{shown}'", key) from None
        if value and value.adjusted() >= MAX_MAGNITUDE:
            raise self.error(f"'{key}' is out of range: {shown} (numbers must be below 10^{MAX_MAGNITUDE})", key)
        _, digits, exponent = value.as_tuple()
        zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))  # trailing zeros: not significant
        if len(digits) - zeros > MAX_DIGITS or -(int(exponent) + zeros) > MAX_PLACES:
            raise self.error(
                f"'{key}' has too many digits: {shown} (at most {MAX_DIGITS} digits, {MAX_PLACES} decimal places)", key
            )
        return value

    def integer(self, key: builtins.str) -> int | None:
        value = self.decimal(key)
        if value is not None and value != value.to_integral_value():
            raise self.error(f"'{key}' must be a whole number", key)
        return None if value is None else int(value)

    def bool(self, key: builtins.str) -> builtins.bool | None:
        """``true`` or ``false`` (YAML 1.2's spelling only: no yes/no/on/off, which read as texts elsewhere)."""
        raw = self.str(key)
        if raw is None:
            return None
        if raw not in ("true", "false"):
            raise self.error(f"'{key}' must be true or false, not '{raw}'", key)
        return raw == "true"

    def date(self, key: builtins.str) -> dt.date | None:
        raw = self.str(key)
        if raw is None:
            return None
        try:
            if not _DATE.fullmatch(raw):
                raise ValueError(raw)
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise self.error(f"'{key}' must be a date like 2023-09-07, not '{raw}'", key) from None

    def mapping(self, key: builtins.str) -> Mapping:
        """The mapping under ``key`` (which must be there)."""
        node = self.nodes.get(key)
        if node is None or _is_null(node):
            raise self.error(f"'{key}' must be a mapping", key)
        return _mapping(self.path, node, f"'{key}'")

    def mappings(self, key: builtins.str) -> list[Mapping]:
        node = self.nodes.get(key)
        if node is None or _is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(f"'{key}' must be a list", key)
        return [_mapping(self.path, item, f"an item of '{key}'") for item in node.value]


def load_yaml(path: Path) -> Mapping:
    """Parse ``path``; the top level must be a mapping (an empty file is an empty one)."""
    root = _parsed(path, yaml.compose)
    if root is None:
        return Mapping(path, 1, {})
    return _mapping(path, cast(yaml.Node, root), "the document")


def load_plain(path: Path) -> object:
    """Parse ``path`` into plain Python values with libyaml where PyYAML has it, without lines: for readers
    that need a few keys of large files quickly (the drafter's gazetteer), leaving full checks to the build."""
    return _parsed(path, yaml.load)


#: libyaml's loader where PyYAML was built with it: it composes the same nodes, with the same marks, about
#: seven times faster than the pure-Python one (a briefing's annotations in 0.06 s against 0.4 s).
_CLoader = getattr(yaml, "CSafeLoader", None)


def _parsed(path: Path, how: Callable[..., object]) -> object:
    """``how(text, Loader=...)`` (yaml.compose or yaml.load) of the file ``path``, with libyaml where PyYAML
    has it, no deeper than MAX_DEPTH; a malformed or too deep file is a KgError naming its line."""
    text = read_text(path)
    try:
        if _CLoader is None:
            return how(text, Loader=_Loader)  # which counts the depth as it composes
        _check_depth(text, _CLoader)
        return how(text, Loader=_CLoader)
    except _TooDeep as e:
        raise KgError(f"YAML nested more than {MAX_DEPTH} levels deep", path, e.line) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise KgError(f"malformed YAML: {e.problem or e.context}", path, mark.line + 1 if mark else None) from None
    except yaml.YAMLError as e:
        raise KgError(f"malformed YAML: {e}", path) from None


def _check_depth(text: str, loader: type = yaml.SafeLoader) -> None:
    """_TooDeep where ``text`` nests more than MAX_DEPTH mappings and lists. libyaml's composer recurses in C,
    where no depth can be counted, but its parser keeps an explicit stack: its events are counted first."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooDeep(event.start_mark.line + 1 if event.start_mark else 1)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class _TooDeep(Exception):
    def __init__(self, line: int):
        self.line = line


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, counting how deep the node being composed is (its scanner and parser keep
    explicit stacks; only the composer recurses)."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark.line + 1)
            # types-PyYAML types ``index`` as int; PyYAML passes a mapping's key node there too.
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self._depth -= 1


def _mapping(path: Path, node: yaml.Node, what: str) -> Mapping:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise KgError(f"{what} must be a mapping", path, line)
    nodes: dict[str, yaml.Node] = {}
    for k, v in node.value:
        if not isinstance(k, yaml.ScalarNode):
            raise KgError("keys must be plain words", path, k.start_mark.line + 1)
        if k.value in nodes:
            raise KgError(f"duplicate key '{k.value}'", path, k.start_mark.line + 1)
        nodes[k.value] = v
    return Mapping(path, line, nodes)


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"
