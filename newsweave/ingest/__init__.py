"""Read any mix of inputs into Articles: files, folders, globs, URLs, stdin.

Every input yields Articles or :class:`BadInput` errors; nothing raises past
this layer for a bad file, so a batch always carries on and the caller counts
what failed.

>>> from newsweave.ingest import read_bytes
>>> [a.title for a in read_bytes(b'{"text": "Cranes idle.", "title": "Port"}', "<stdin>")]
['Port']
"""

from __future__ import annotations

import glob
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlparse

from newsweave.config import Settings
from newsweave.errors import BadInput
from newsweave.ingest.decode import declared_charset, decode, looks_binary, wide_codec
from newsweave.ingest.feeds import iter_feed, looks_like_feed
from newsweave.ingest.files import Prefixed, display_path, open_regular, read_capped, walk
from newsweave.ingest.html import parse_html
from newsweave.ingest.jsonl import iter_jsonl, iter_jsonl_lines
from newsweave.ingest.text import parse_text
from newsweave.models import Article

__all__ = ["expand_inputs", "read_bytes", "read_file", "read_inputs", "read_stream", "read_url"]

TEXT_EXT = {".txt", ".text", ".md", ""}
JSONL_EXT = {".jsonl", ".ndjson", ".json"}
HTML_EXT = {".html", ".htm", ".xhtml"}
FEED_EXT = {".rss", ".atom", ".xml"}
PARQUET_EXT = {".parquet", ".pq"}
KNOWN = TEXT_EXT | JSONL_EXT | HTML_EXT | FEED_EXT | PARQUET_EXT
# A feed or a JSON array file holds many articles and is read whole: it may be
# this large (or max_article_size, if that is larger). JSONL streams line by line.
MAX_FILE_BYTES = 100 * 2**20
_SKIP_NAMES = frozenset({"readme.md", "readme.txt", "license", "license.txt", "license.md"})
_SNIFF = 1 << 16
_FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
_JSON_START = re.compile(rb'\{\s*"|\[\s*(?:\{|\])')
_JSON_TYPES = ("application/json", "application/x-ndjson", "application/jsonl", "application/x-jsonlines")


def _is_url(s: str) -> bool:
    return s.startswith(("http://", "https://"))


def expand_inputs(inputs: Iterable[str]) -> Iterator[str | BadInput]:
    """Folders (recursively, known extensions, hidden files skipped), globs,
    URLs and ``-`` for stdin, in a stable order.

    A subfolder that cannot be listed is reported, never silently dropped.
    """
    for item in inputs:
        if item == "-" or _is_url(item):
            yield item
            continue
        p = Path(item).expanduser()
        where = display_path(item)
        if p.is_dir():
            found = list(walk(str(p), frozenset(KNOWN - {""}), _SKIP_NAMES))
            if not found:
                yield BadInput(
                    "folder holds no .txt, .md, .html, .jsonl, .json, .rss, .atom, .xml or .parquet files", where
                )
            yield from found
        elif p.exists() or p.is_symlink():
            yield str(p)  # a file, or a pipe or device that read_file reports
        elif glob.has_magic(item):
            matches = [m for m in sorted(glob.glob(os.path.expanduser(item), recursive=True)) if not os.path.isdir(m)]
            if not matches:
                yield BadInput("no files match this pattern; check the pattern (quote it in the shell)", where)
            yield from matches
        else:
            yield BadInput("no such file or folder; check the path", where)


def _kind(ext: str, head: bytes, content_type: str = "") -> str:
    """Pick the reader: extension first, then the server's content type, then content."""
    if ext in JSONL_EXT:
        return "jsonl"
    if ext in HTML_EXT:
        return "html"
    if ext in FEED_EXT:
        return "feed"
    if content_type.startswith(_JSON_TYPES):
        return "jsonl"
    if content_type in ("text/html", "application/xhtml+xml"):
        return "feed" if looks_like_feed(head) else "html"
    if content_type.startswith(_FEED_TYPES) or looks_like_feed(head):
        return "feed"
    low = head.lstrip()[:1000].lower()
    if _JSON_START.match(low):  # '{"' or '[{', not a text opening with "[Updated]"
        return "jsonl"
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in low or b"<head" in low:
        return "html"
    return "text"


def read_bytes(
    data: bytes,
    path: str,
    url: str | None = None,
    content_type: str = "",
    charset: str | None = None,
    *,
    settings: Settings | None = None,
) -> Iterator[Article | BadInput]:
    """Sniff the format (extension, content type, then content) and parse.

    ``path`` names the input in errors; ``url`` is set for fetched documents
    (its path's extension is used, and its domain is an outlet of last resort).
    """
    if not data.strip():
        yield BadInput("is empty; an article needs some text (fill the file or leave it out)", path)
        return
    limit = (settings or Settings()).max_article_size
    name = urlparse(url).path if url else path
    ext = os.path.splitext(name)[1].lower()
    if url and ext not in KNOWN:
        ext = ""
    head = data[:2000]
    wide = wide_codec(data)
    if wide:  # UTF-16/32: sniff the format on the text, not on bytes full of NULs
        head = data[: 8000].decode(wide, "ignore").encode("utf-8")
    kind = _kind(ext, head, content_type)
    if kind == "feed" and not looks_binary(data):
        # bytes, so feedparser honours the XML encoding declaration
        yield from iter_feed(data, path)
        return
    try:
        if kind == "html" and not charset:
            charset = declared_charset(data)
        text = decode(data, path, declared=charset)
    except BadInput as exc:
        yield exc
        return
    try:
        if kind == "jsonl":
            yield from iter_jsonl(text, path, max_size=limit)
        elif kind == "html":
            yield parse_html(text, path=path, url=url)
        else:
            yield parse_text(text, path=path, url=url)
    except BadInput as exc:
        yield exc


def _streams_jsonl(ext: str, head: bytes) -> bool:
    """JSONL is read line by line: by extension, or when the data opens with ``{``."""
    if looks_binary(head) or wide_codec(head):
        return False
    if ext in (".jsonl", ".ndjson"):
        return True
    return ext in ("", ".json") and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def read_stream(
    fh: BinaryIO, where: str, *, settings: Settings | None = None, ext: str = ""
) -> Iterator[Article | BadInput]:
    """Read articles from an open binary stream (a file or stdin) within the limits.

    JSONL streams line by line, each line at most ``max_article_size``; any
    other input is one article (or a feed, or a JSON array) read whole, up to
    ``max_article_size`` (``MAX_FILE_BYTES`` for feeds and arrays).
    """
    settings = settings or Settings()
    limit = settings.max_article_size
    try:
        head = fh.read(_SNIFF)
        if not head.strip():
            more = fh.read(_SNIFF)  # a long run of blank lines is not yet empty
            if not more:
                yield BadInput("is empty; an article needs some text (fill the file or leave it out)", where)
                return
            head += more
        if _streams_jsonl(ext, head):
            yield from iter_jsonl_lines(Prefixed.reader(head, fh), where, max_size=limit)
            return
        kind = _kind(ext if ext in KNOWN else "", head[:2000])
        many = kind == "feed" or (kind == "jsonl" and head.lstrip()[:1] == b"[")
        cap = max(limit, MAX_FILE_BYTES) if many else limit
        what = "one feed or JSON array file" if many else "one article"
        data = read_capped(fh, cap, where, what, head=head)
    except BadInput as exc:
        yield exc
        return
    except OSError as exc:
        yield BadInput(f"cannot be read ({exc.strerror or exc}); check the file", where)
        return
    except MemoryError:
        yield BadInput("does not fit in memory; lower --max-article-size or split the input", where)
        return
    yield from read_bytes(data, where, settings=settings)


def read_file(path: str, *, settings: Settings | None = None) -> Iterator[Article | BadInput]:
    """Read one regular file. JSONL files stream line by line, so their size is no limit.

    Pipes, devices and sockets are reported and skipped, never opened for reading.
    """
    where = display_path(path)
    if os.path.splitext(path)[1].lower() in PARQUET_EXT and os.path.isfile(path):
        from newsweave.ingest.parquet import iter_parquet

        yield from iter_parquet(path, where=where, max_article_size=(settings or Settings()).max_article_size)
        return
    try:
        fh = open_regular(path, where)
    except BadInput as exc:
        yield exc
        return
    with fh:
        yield from read_stream(fh, where, settings=settings, ext=os.path.splitext(path)[1].lower())


def read_url(url: str, *, settings: Settings | None = None) -> Iterator[Article | BadInput]:
    """Fetch a URL under the URL policy (:mod:`newsweave.ingest.urlpolicy`) and read it."""
    from newsweave.ingest.fetch import fetch_url

    try:
        got = fetch_url(url, settings=settings)
    except BadInput as exc:
        yield exc
        return
    yield from read_bytes(
        got.body, url, url=got.url, content_type=got.content_type, charset=got.charset, settings=settings
    )


def read_inputs(inputs: Iterable[str], *, settings: Settings | None = None) -> Iterator[Article | BadInput]:
    """Read every input; yield Articles and BadInput errors in input order.

    Inputs are files, folders (recursively), glob patterns, ``http(s)://``
    URLs (pages, feeds, JSONL) and ``-`` for stdin. ``settings`` carries the
    limits (``max_article_size``) and the URL policy; defaults when None.

    >>> [type(x).__name__ for x in read_inputs(["/no/such/file"])]
    ['BadInput']
    """
    for item in expand_inputs(inputs):
        if isinstance(item, BadInput):
            yield item
        elif item == "-":
            stdin = getattr(sys.stdin, "buffer", None)
            if stdin is None:
                yield BadInput("standard input is closed; pipe the articles in or give files", "<stdin>")
                continue
            yield from read_stream(stdin, "<stdin>", settings=settings)
        elif _is_url(item):
            yield from read_url(item, settings=settings)
        else:
            yield from read_file(item, settings=settings)
