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
from newsweave.ingest.decode import no_surrogates
from newsweave.ingest.text import outlet_from_url
from newsweave.models import Article

__all__ = ["iter_feed", "looks_like_feed"]

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|blockquote)\s*>|<br\s*/?>", re.I)
_BLANKS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
# A character reference to a UTF-16 surrogate (decimal 55296-57343 or hex D800-DFFF).
_SURROGATE_REF = re.compile(
    rb"&#(?:[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2}|0*(?:5529[6-9]|553[0-9]{2}|55[4-9][0-9]{2}|56[0-9]{3}"
    rb"|57[0-2][0-9]{2}|573[0-3][0-9]|5734[0-3]));"
)


def _plain(markup: str) -> str:
    """Entry HTML -> text with one paragraph per line (a character reference to
    a lone surrogate, which no text can hold, becomes U+FFFD)."""
    text = _BLOCK_END.sub("\n\n", no_surrogates(markup or ""))
    text = html_mod.unescape(_TAG.sub("", text))
    return _BLANKS.sub("\n\n", text).strip()


def _field(value: object) -> str | None:
    """A feed's metadata string, storable, or None."""
    return no_surrogates(value).strip() or None if isinstance(value, str) else None


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

    if isinstance(data, bytes):  # "&#xD800;" makes feedparser itself fail on encoding it
        data = _SURROGATE_REF.sub(b"&#xFFFD;", data)
    try:
        parsed = feedparser.parse(data)
    except Exception as exc:  # feedparser is forgiving, but not about everything
        yield BadInput(
            f"is not a readable RSS/Atom feed ({type(exc).__name__}: {exc}); check that it is the feed itself",
            path,
        )
        return
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
    outlet = _field(parsed.feed.get("title"))
    for n, e in enumerate(parsed.entries, 1):
        where = f"{path}#entry{n}"
        body = ""
        for content in e.get("content") or ():
            body = _plain(content.get("value") or "")
            if body:
                break
        if not body:
            body = _plain(e.get("summary") or e.get("description") or "")
        if not body:
            yield BadInput("feed entry has a title but no text; fetch its link to read the article", where)
            continue
        published = None
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        if stamp:
            published = time.strftime("%Y-%m-%dT%H:%M:%S", stamp)
        link = _field(e.get("link"))
        title = _plain(e.get("title") or "") or None
        yield Article(
            text=body,
            title=title,
            source=outlet or outlet_from_url(link),
            url=link,
            published=published,
            path=where,
            format="feed",
            byline=_field(e.get("author")),
        )
