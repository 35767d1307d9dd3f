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
from urllib.parse import urlparse

from newsweave.errors import BadInput
from newsweave.ingest.decode import declared_charset, decode, looks_binary
from newsweave.ingest.feeds import iter_feed, looks_like_feed
from newsweave.ingest.html import parse_html
from newsweave.ingest.jsonl import iter_jsonl, iter_jsonl_lines
from newsweave.ingest.text import parse_text
from newsweave.models import Article

__all__ = ["expand_inputs", "read_bytes", "read_file", "read_inputs"]

TEXT_EXT = {".txt", ".text", ".md", ""}
JSONL_EXT = {".jsonl", ".ndjson", ".json"}
HTML_EXT = {".html", ".htm", ".xhtml"}
FEED_EXT = {".rss", ".atom", ".xml"}
PARQUET_EXT = {".parquet", ".pq"}
KNOWN = TEXT_EXT | JSONL_EXT | HTML_EXT | FEED_EXT | PARQUET_EXT
# One article or feed file is read whole; past this it is surely not one article.
MAX_FILE_BYTES = 100 * 2**20
_SKIP_NAMES = {
    "readme.md",
    "readme.txt",
    "license",
    "license.txt",
    "license.md",
}  # truth.json: an example story's answer key
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


def _walk(folder: str) -> list[str]:
    """Article files under a folder: known extensions, no hidden files or folders.

    ``os.walk`` does not follow symlinked folders, so a link loop cannot hang us.
    """
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith(".") or name.lower() in _SKIP_NAMES:
                continue
            if os.path.splitext(name)[1].lower() in KNOWN - {""}:
                found.append(os.path.join(root, name))
    return sorted(found)


def expand_inputs(inputs: Iterable[str]) -> Iterator[str | BadInput]:
    """Folders (recursively, known extensions, hidden files skipped), globs,
    URLs and ``-`` for stdin, in a stable order."""
    for item in inputs:
        if item == "-" or _is_url(item):
            yield item
            continue
        p = Path(item).expanduser()
        if p.is_dir():
            files = _walk(str(p))
            if not files:
                yield BadInput(
                    "folder holds no .txt, .md, .html, .jsonl, .json, .rss, .atom, .xml or .parquet files", item
                )
            yield from files
        elif p.is_file():
            yield str(p)
        elif glob.has_magic(item):
            matches = [
                m for m in sorted(glob.glob(os.path.expanduser(item), recursive=True)) if os.path.isfile(m)
            ]
            if not matches:
                yield BadInput("no files match this pattern; check the pattern (quote it in the shell)", item)
            yield from matches
        else:
            yield BadInput("no such file or folder; check the path", item)


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
    data: bytes, path: str, url: str | None = None, content_type: str = "", charset: str | None = None
) -> Iterator[Article | BadInput]:
    """Sniff the format (extension, content type, then content) and parse.

    ``path`` names the input in errors; ``url`` is set for fetched documents
    (its path's extension is used, and its domain is an outlet of last resort).
    """
    if not data.strip():
        yield BadInput("is empty; an article needs some text (fill the file or leave it out)", path)
        return
    name = urlparse(url).path if url else path
    ext = os.path.splitext(name)[1].lower()
    if url and ext not in KNOWN:
        ext = ""
    kind = _kind(ext, data[:2000], content_type)
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
            yield from iter_jsonl(text, path)
        elif kind == "html":
            yield parse_html(text, path=path, url=url)
        else:
            yield parse_text(text, path=path, url=url)
    except BadInput as exc:
        yield exc


def read_file(path: str) -> Iterator[Article | BadInput]:
    """Read one file. JSONL files are streamed line by line, so size is no limit."""
    ext = os.path.splitext(path)[1].lower()
    if ext in PARQUET_EXT:
        from newsweave.ingest.parquet import iter_parquet

        yield from iter_parquet(path)
        return
    try:
        if ext in (".jsonl", ".ndjson"):
            with open(path, "rb") as fh:
                head = fh.read(4096)
                if not head.strip():
                    yield BadInput(
                        "is empty; an article needs some text (fill the file or leave it out)", path
                    )
                    return
                if looks_binary(head):
                    yield BadInput(
                        "looks like a binary file, not JSONL; check the file or leave it out", path
                    )
                    return
                fh.seek(0)
                yield from iter_jsonl_lines(fh, path)
            return
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            yield BadInput(
                f"is {size / 2**20:,.0f} MiB, over the {MAX_FILE_BYTES / 2**20:,.0f} MiB limit for one "
                "text, HTML or feed file; split it, or convert it to JSONL (one article per line, streamed)",
                path,
            )
            return
        data = Path(path).read_bytes()
    except OSError as exc:
        yield BadInput(f"cannot be read ({exc.strerror}); check its permissions", path)
        return
    yield from read_bytes(data, path)


def read_inputs(inputs: Iterable[str]) -> Iterator[Article | BadInput]:
    """Read every input; yield Articles and BadInput errors in input order.

    Inputs are files, folders (recursively), glob patterns, ``http(s)://``
    URLs (pages, feeds, JSONL) and ``-`` for stdin.

    >>> [type(x).__name__ for x in read_inputs(["/no/such/file"])]
    ['BadInput']
    """
    for item in expand_inputs(inputs):
        if isinstance(item, BadInput):
            yield item
        elif item == "-":
            yield from read_bytes(sys.stdin.buffer.read(), "<stdin>")
        elif _is_url(item):
            from newsweave.ingest.fetch import fetch_url

            try:
                got = fetch_url(item)
            except BadInput as exc:
                yield exc
                continue
            yield from read_bytes(
                got.body, item, url=got.url, content_type=got.content_type, charset=got.charset
            )
        else:
            yield from read_file(item)
