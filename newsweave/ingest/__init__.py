"""Read any mix of inputs into Articles: files, folders, globs, URLs, stdin.

Every input yields Articles or :class:`BadInput` errors; nothing raises past
this layer for a bad file, so a batch always carries on.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsweave.errors import BadInput
from newsweave.ingest.decode import decode
from newsweave.ingest.feeds import iter_feed, looks_like_feed
from newsweave.ingest.html import parse_html
from newsweave.ingest.jsonl import iter_jsonl
from newsweave.ingest.text import parse_text
from newsweave.models import Article

__all__ = ["read_inputs", "read_bytes", "expand_inputs"]

TEXT_EXT = {".txt", ".text", ".md", ""}
JSONL_EXT = {".jsonl", ".ndjson", ".json"}
HTML_EXT = {".html", ".htm", ".xhtml"}
FEED_EXT = {".rss", ".atom", ".xml"}
KNOWN = TEXT_EXT | JSONL_EXT | HTML_EXT | FEED_EXT


def _is_url(s: str) -> bool:
    return s.startswith(("http://", "https://"))


def expand_inputs(inputs: Iterable[str]) -> Iterator[str | BadInput]:
    """Folders (recursively, known extensions, hidden files skipped), globs,
    URLs and ``-`` for stdin, in a stable order."""
    for item in inputs:
        if item == "-" or _is_url(item):
            yield item
            continue
        p = Path(item)
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in KNOWN - {""}
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and f.name.lower() not in {"readme.md", "readme.txt"}
            )
            for f in found:
                yield str(f)
        elif p.is_file():
            yield str(p)
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield BadInput("no files match this pattern", item)
            for m in matches:
                if os.path.isfile(m):
                    yield m
        else:
            yield BadInput("no such file or folder", item)


def read_bytes(data: bytes, path: str, url: str | None = None) -> Iterator[Article | BadInput]:
    """Sniff the format (extension first, then content) and parse."""
    try:
        text = decode(data, path)
    except BadInput as exc:
        yield exc
        return
    ext = Path(path.split("?")[0]).suffix.lower() if not url else ""
    head = text.lstrip()[:1000].lower()
    try:
        if ext in JSONL_EXT or (not ext and head.startswith("{")):
            yield from iter_jsonl(text, path)
        elif ext in FEED_EXT or looks_like_feed(text):
            yield from iter_feed(text, path)
        elif ext in HTML_EXT or head.startswith(("<!doctype html", "<html")) or "<body" in head:
            yield parse_html(text, path=path, url=url)
        else:
            yield parse_text(text, path=path, url=url)
    except BadInput as exc:
        yield exc


def read_inputs(inputs: Iterable[str]) -> Iterator[Article | BadInput]:
    """Read every input; yield Articles and BadInput errors in input order.

    >>> [type(x).__name__ for x in read_inputs(["/no/such/file"])]
    ['BadInput']
    """
    for item in expand_inputs(inputs):
        if isinstance(item, BadInput):
            yield item
            continue
        if item == "-":
            yield from read_bytes(sys.stdin.buffer.read(), "<stdin>")
            continue
        if _is_url(item):
            from newsweave.ingest.fetch import fetch

            try:
                data, final_url = fetch(item)
            except BadInput as exc:
                yield exc
                continue
            yield from read_bytes(data, item, url=final_url)
            continue
        try:
            data = Path(item).read_bytes()
        except OSError as exc:
            yield BadInput(f"cannot be read ({exc.strerror})", item)
            continue
        yield from read_bytes(data, item)
