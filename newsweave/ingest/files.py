"""Bounded reading from the file system and streams.

Only regular files are read: a named pipe would block forever, ``/dev/zero``
never ends, a socket or device is not an article. Each path is checked with
``stat`` before it is opened, opened with ``O_NONBLOCK`` (so a file swapped for
a pipe in between cannot block the open) and checked again with ``fstat``.
Reads are incremental and stop one byte past the limit, so memory stays
bounded whatever the input claims or does.

Paths are shown with undecodable bytes escaped (``\\xff``), so a file whose
name is not UTF-8 is still read, stored and reported.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from typing import BinaryIO

from newsweave.errors import BadInput

__all__ = [
    "capped_lines",
    "display_path",
    "human_size",
    "open_regular",
    "read_capped",
    "too_big",
    "walk",
    "Prefixed",
]

_CHUNK = 1 << 16


def display_path(path: str) -> str:
    r"""A path as text that can always be printed and stored.

    Bytes of a file name that are not UTF-8 (kept by Python as surrogate
    escapes) are shown as ``\xNN``.

    >>> display_path("caf\udce9.txt")
    'caf\\xe9.txt'
    """
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def human_size(n: int) -> str:
    """``10000000`` -> ``'10 MB'``.

    >>> human_size(10_000_000), human_size(512), human_size(2_500)
    ('10 MB', '512 bytes', '2.5 kB')
    """
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"


def too_big(where: str, limit: int, what: str = "one article") -> BadInput:
    """The one message for input over ``max_article_size``."""
    return BadInput(
        f"is larger than the {human_size(limit)} limit for {what}; split it, put one article per "
        "line in a JSONL file, or raise the limit with --max-article-size (NEWSWEAVE_MAX_ARTICLE_SIZE)",
        where,
    )


def _kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _not_regular(path: str, where: str, kind: str) -> BadInput:
    link = ""
    try:
        if os.path.islink(path):
            link = f" (a symbolic link to {display_path(os.readlink(path))})"
    except OSError:
        pass
    return BadInput(
        f"is {kind}{link}, not a regular file; newsweave reads only regular files (copy the "
        "article into a file, or leave this one out)",
        where,
    )


def open_regular(path: str, where: str | None = None) -> BinaryIO:
    """Open a regular file for reading, refusing pipes, devices and sockets.

    Raises:
        BadInput: naming the file, what it is and the fix.
    """
    where = where or display_path(path)
    try:
        st = os.stat(path)  # follows links: a link to /dev/zero is a device
    except FileNotFoundError:
        if os.path.islink(path):
            raise BadInput("is a broken symbolic link; fix or remove the link", where) from None
        raise BadInput("no such file; check the path", where) from None
    except OSError as exc:
        raise BadInput(f"cannot be read ({exc.strerror}); check its permissions", where) from None
    kind = _kind_of(st.st_mode)
    if kind:
        raise _not_regular(path, where, kind)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise BadInput(f"cannot be read ({exc.strerror}); check its permissions", where) from None
    try:
        kind = _kind_of(os.fstat(fd).st_mode)  # swapped for something else since the stat?
        if kind:
            raise _not_regular(path, where, kind)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_capped(fh: BinaryIO, limit: int, where: str, what: str = "one article", head: bytes = b"") -> bytes:
    """``head`` and the rest of the stream, but never more than ``limit`` bytes in all.

    Raises:
        BadInput: when there is more (the message names the limit and the fix).
    """
    if len(head) > limit:
        raise too_big(where, limit, what)
    buf = bytearray(head)
    while True:
        chunk = fh.read(min(_CHUNK, limit + 1 - len(buf)))
        if not chunk:
            return bytes(buf)
        buf += chunk
        if len(buf) > limit:
            raise too_big(where, limit, what)


def capped_lines(fh: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """The lines of a stream; ``None`` for a line longer than ``limit`` bytes.

    An over-long line is skipped by reading it in chunks, never whole, so one
    huge line costs no more memory than the limit.

    >>> list(capped_lines(io.BytesIO(b"ab\\n" + b"x" * 50 + b"\\ncd"), 10))
    [b'ab\\n', None, b'cd']
    """
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # discard the rest of the line
                more = fh.readline(_CHUNK)
                if not more or more.endswith(b"\n"):
                    break
            yield None
        else:
            yield line


class Prefixed(io.RawIOBase):
    """A stream that replays ``head`` (already read, to sniff the format) before the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        if len(self._head):
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(b))
        n = len(data)
        b[:n] = data
        return n

    @classmethod
    def reader(cls, head: bytes, rest: BinaryIO) -> io.BufferedReader:
        """A buffered reader over ``head`` then ``rest`` (for ``readline``)."""
        return io.BufferedReader(cls(head, rest), _CHUNK)


def walk(folder: str, keep: frozenset[str], skip_names: frozenset[str]) -> Iterator[str | BadInput]:
    """Files under ``folder`` with an extension in ``keep``, sorted; hidden files
    and folders skipped; a subfolder that cannot be listed is reported.

    ``os.walk`` does not follow symlinked folders, so a link loop cannot hang us.
    """
    found: list[str] = []
    errors: list[BadInput] = []

    def unreadable(exc: OSError) -> None:
        where = display_path(exc.filename or folder)
        errors.append(
            BadInput(
                f"folder cannot be read ({exc.strerror}); its articles were left out. Check its "
                "permissions (chmod) or leave it out",
                where,
            )
        )

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith(".") or name.lower() in skip_names:
                continue
            if os.path.splitext(name)[1].lower() in keep:
                found.append(os.path.join(root, name))
    yield from errors
    yield from sorted(found)
