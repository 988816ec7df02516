"""YAML mappings that remember the file and line of every value, so errors can point at them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from .errors import KgError


@dataclass(frozen=True)
class Mapping:
    """A YAML mapping read from ``path``, starting at ``line`` (1-based)."""

    path: Path
    line: int
    nodes: dict[str, yaml.Node]

    def line_of(self, key: str) -> int:
        return self.nodes[key].start_mark.line + 1 if key in self.nodes else self.line

    def error(self, message: str, key: str | None = None) -> KgError:
        return KgError(message, self.path, self.line_of(key) if key else self.line)

    def check_keys(self, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> None:
        for key in self.nodes:
            if key not in required and key not in optional:
                allowed = ", ".join(required + optional)
                raise self.error(f"unknown key '{key}' (allowed: {allowed})", key)
        for key in required:
            if key not in self.nodes:
                raise self.error(f"missing key '{key}'")

    def __contains__(self, key: str) -> bool:
        return key in self.nodes

    def str(self, key: str) -> str | None:
        node = self.nodes.get(key)
        if node is None or _is_null(node):
            return None
        if not isinstance(node, yaml.ScalarNode) or not node.value.strip():
            raise self.error(f"'{key}' must be a non-empty text", key)
        return node.value.strip()

    def strs(self, key: str) -> tuple[str, ...]:
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

    def decimal(self, key: str) -> Decimal | None:
        raw = self.str(key)
        if raw is None:
            return None
        try:
            value = Decimal(raw.replace("_", ""))
        except InvalidOperation:
            raise self.error(f"'{key}' must be a number, not '{raw}'", key) from None
        if not value.is_finite():
            raise self.error(f"'{key}' must be a finite number, not '{raw}'", key)
        return value

    def integer(self, key: str) -> int | None:
        value = self.decimal(key)
        if value is not None and value != value.to_integral_value():
            raise self.error(f"'{key}' must be a whole number", key)
        return None if value is None else int(value)

    def date(self, key: str) -> dt.date | None:
        raw = self.str(key)
        if raw is None:
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise self.error(f"'{key}' must be a date like 2023-09-07, not '{raw}'", key) from None

    def mappings(self, key: str) -> list[Mapping]:
        node = self.nodes.get(key)
        if node is None or _is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(f"'{key}' must be a list", key)
        return [_mapping(self.path, item, f"an item of '{key}'") for item in node.value]


def load_yaml(path: Path) -> Mapping:
    """Parse ``path``; the top level must be a mapping (an empty file is an empty one)."""
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise KgError(f"malformed YAML: {e.problem or e.context}", path, mark.line + 1 if mark else None) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise KgError(f"cannot read: {e}", path) from None
    if root is None:
        return Mapping(path, 1, {})
    return _mapping(path, root, "the document")


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
