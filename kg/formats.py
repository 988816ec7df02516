"""A file name (by its extension) or an HTTP Accept header (by media type) into the format it asks for, for
every registry of formats (results, exports, the pages of kg serve)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol


class HasExtensions(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def extensions(self) -> tuple[str, ...]: ...


class HasMediaTypes(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def media_types(self) -> tuple[str, ...]: ...


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


def by_media_type(accept: str | None, formats: Iterable[HasMediaTypes]) -> str | None:
    """The name of the format in ``formats`` that an HTTP ``Accept`` header prefers (RFC 9110 quality values,
    by python-mimeparse), else None. No header, or ``*/*``, means the first format; on a tie the earlier
    format wins.

    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class F:
    ...     name: str
    ...     media_types: tuple[str, ...]
    >>> fs = [F("turtle", ("text/turtle",)), F("jsonld", ("application/ld+json", "application/json"))]
    >>> by_media_type("application/json;q=0.9, text/turtle;q=0.5", fs), by_media_type(None, fs)
    ('jsonld', 'turtle')
    >>> by_media_type("text/csv", fs) is None
    True
    """
    formats = list(formats)
    if not formats:
        return None
    if not accept or not accept.strip():
        return formats[0].name
    key = (accept, tuple(f.name for f in formats))  # a format's name says its media types
    try:
        return _CHOSEN[key]
    except KeyError:
        pass
    found = _by_media_type(accept, formats)
    if len(accept) <= 1000:
        if len(_CHOSEN) >= 512:
            _CHOSEN.clear()
        _CHOSEN[key] = found
    return found


#: by_media_type's answers by header and offers: clients send the same few Accept headers again and again,
#: and reading one with mimeparse was a fifth of kg serve's Python time per cached page (py-spy).
_CHOSEN: dict[tuple, str | None] = {}


def _by_media_type(accept: str, formats: list[HasMediaTypes]) -> str | None:
    import mimeparse  # type: ignore[import-untyped]

    offered = [m for f in formats for m in f.media_types]
    try:
        # mimeparse prefers the last of equally good offers; reversed, the first one listed wins
        best = mimeparse.best_match(list(reversed(offered)), accept)
    except (ValueError, IndexError):  # a header it cannot parse: as if there were none
        return formats[0].name
    return next((f.name for f in formats if best and best in f.media_types), None)
