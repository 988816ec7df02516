"""Input files into their bytes or text: regular files only, UTF-8 text, every failure one line naming
the file (and the line of a bad byte)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import KgError

_KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def read_bytes(path: Path) -> bytes:
    """The bytes of the regular file ``path``. Anything else (a named pipe, a device, a folder) is refused
    before a read could block on it; an unreadable file is a KgError naming it."""
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer; fstat then says what was opened.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise KgError("file not found", path) from None
    except OSError as e:
        raise KgError(f"cannot read: {e.strerror or e}", path) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode))
            raise KgError(f"cannot read: {kind + ', ' if kind else ''}not a regular file", path)
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    except OSError as e:
        raise KgError(f"cannot read: {e.strerror or e}", path) from None
    finally:
        os.close(fd)


def read_text(path: Path) -> str:
    """The UTF-8 text of the regular file ``path``, exactly as stored (no newline translation); a byte
    that is not UTF-8 is a KgError at its line."""
    return decode_utf8(read_bytes(path), path)


def decode_utf8(data: bytes, path: Path) -> str:
    """``data`` (the bytes of ``path``) as UTF-8 text; a byte that is not UTF-8 is a KgError at its line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise KgError(f"not UTF-8 text: byte 0x{data[e.start]:02x} at offset {e.start} ({e.reason})",
                      path, line) from None
