"""A file name into the format its extension asks for, for every registry of formats (results, exports)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol


class HasExtensions(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def extensions(self) -> tuple[str, ...]: ...


def by_extension(path: Path, formats: Iterable[HasExtensions]) -> str | None:
    """The name of the first format in ``formats`` that lists ``path``'s extension (any case), else None.

    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class F:
    ...     name: str
    ...     extensions: tuple[str, ...]
    >>> by_extension(Path("a.Json"), [F("csv", ("csv",)), F("json", ("json", "srj"))])
    'json'
    """
    suffix = path.suffix.lower().removeprefix(".")
    return next((f.name for f in formats if suffix and suffix in f.extensions), None)
