"""The one error kg raises for bad input: a message tied to a file and line, printed on one line."""

from __future__ import annotations

from pathlib import Path


class KgError(Exception):
    """Bad input. ``str()`` gives ``path:line: message``, the form editors and terminals link."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        self.message = " ".join(message.split())  # always one line
        self.path = path
        self.line = line
        super().__init__(str(self))

    def __reduce__(self) -> tuple:  # from a worker process of the build (kg/parts.py), as it was
        return (KgError, (self.message, self.path, self.line))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{shown(self.path)}:{self.line}: " if self.line else f"{shown(self.path)}: "
        return where + self.message


def shown(path: Path | str) -> str:
    """A path relative to the working directory when it lies below it, else as given."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
