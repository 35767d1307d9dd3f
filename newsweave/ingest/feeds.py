"""RSS/Atom feeds -> Articles with feedparser (one per entry with text)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from newsweave.errors import BadInput
from newsweave.models import Article

_TAG = re.compile(r"<[^>]+>")


def _plain(html: str) -> str:
    import html as html_mod

    text = re.sub(r"</p\s*>|<br\s*/?>", "\n", html, flags=re.I)
    return html_mod.unescape(_TAG.sub("", text)).strip()


def looks_like_feed(text: str) -> bool:
    head = text[:1000].lower()
    return "<rss" in head or "<feed" in head or "<rdf:rdf" in head


def iter_feed(text: str, path: str) -> Iterator[Article | BadInput]:
    """Yield the feed's entries as Articles; entries without text are reported."""
    import feedparser

    parsed = feedparser.parse(text)
    if parsed.bozo and not parsed.entries:
        yield BadInput(f"is not a readable RSS/Atom feed ({parsed.get('bozo_exception')})", path)
        return
    outlet = (parsed.feed.get("title") or "").strip() or None
    for n, e in enumerate(parsed.entries, 1):
        where = f"{path}#entry{n}"
        body = ""
        if e.get("content"):
            body = _plain(e["content"][0].get("value", ""))
        if not body:
            body = _plain(e.get("summary", "") or e.get("description", ""))
        if not body:
            yield BadInput("feed entry has no text (title only)", where)
            continue
        published = None
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        if stamp:
            published = time.strftime("%Y-%m-%dT%H:%M:%S", stamp)
        yield Article(
            text=body,
            title=(e.get("title") or None),
            source=outlet,
            url=e.get("link"),
            published=published,
            path=where,
            format="feed",
        )
