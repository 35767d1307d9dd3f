"""RSS/Atom feeds -> Articles with feedparser (one per entry with text).

The feed is handed to feedparser as bytes when we have them, so the XML
encoding declaration is honoured. Entries are read as published in the feed
(full content when present, else the summary); linked pages are not fetched,
which keeps a feed read fast and predictable.
"""

from __future__ import annotations

import html as html_mod
import re
import time
from collections.abc import Iterator

from newsweave.errors import BadInput
from newsweave.ingest.text import outlet_from_url
from newsweave.models import Article

__all__ = ["iter_feed", "looks_like_feed"]

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|blockquote)\s*>|<br\s*/?>", re.I)
_BLANKS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def _plain(markup: str) -> str:
    """Entry HTML -> text with one paragraph per line."""
    text = _BLOCK_END.sub("\n\n", markup)
    text = html_mod.unescape(_TAG.sub("", text))
    return _BLANKS.sub("\n\n", text).strip()


def looks_like_feed(text: str | bytes) -> bool:
    """True when the start of a document is an RSS, Atom or RDF feed."""
    head = text[:1000].lower()
    if isinstance(head, bytes):
        return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head
    return "<rss" in head or "<feed" in head or "<rdf:rdf" in head


def iter_feed(data: str | bytes, path: str) -> Iterator[Article | BadInput]:
    """Yield the feed's entries as Articles; entries without text are reported.

    The outlet is the feed's title, else the domain of the entry's link.
    """
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        if not looks_like_feed(data):
            yield BadInput(
                "is XML but not an RSS or Atom feed; give a feed, an HTML page, plain text or JSONL", path
            )
        elif parsed.bozo:
            reason = parsed.get("bozo_exception")
            yield BadInput(
                f"is not a readable RSS/Atom feed ({reason}); check that it is the feed's URL", path
            )
        else:
            yield BadInput("is a feed with no entries; nothing to read", path)
        return
    outlet = (parsed.feed.get("title") or "").strip() or None
    for n, e in enumerate(parsed.entries, 1):
        where = f"{path}#entry{n}"
        body = ""
        for content in e.get("content") or ():
            body = _plain(content.get("value", ""))
            if body:
                break
        if not body:
            body = _plain(e.get("summary", "") or e.get("description", ""))
        if not body:
            yield BadInput("feed entry has a title but no text; fetch its link to read the article", where)
            continue
        published = None
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        if stamp:
            published = time.strftime("%Y-%m-%dT%H:%M:%S", stamp)
        link = e.get("link") or None
        title = _plain(e.get("title") or "") or None
        yield Article(
            text=body,
            title=title,
            source=outlet or outlet_from_url(link),
            url=link,
            published=published,
            path=where,
            format="feed",
            byline=(e.get("author") or None),
        )
