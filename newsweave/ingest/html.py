"""HTML pages -> Article with trafilatura (main text, title, date, site name)."""

from __future__ import annotations

from urllib.parse import urlparse

from newsweave.errors import BadInput
from newsweave.ingest.text import infer_outlet
from newsweave.models import Article


def outlet_from_url(url: str | None) -> str | None:
    """``https://www.harborwire.example/x`` -> ``harborwire.example``."""
    if not url:
        return None
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.") or None


def parse_html(html: str, *, path: str | None = None, url: str | None = None) -> Article:
    """Extract the main text and metadata of an article page.

    Raises:
        BadInput: when no article text can be found in the page.
    """
    import trafilatura

    text = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        deduplicate=False,
    )
    if not text or not text.strip():
        raise BadInput("no article text found in this HTML page (is it an index or a broken page?)", path)
    meta = trafilatura.extract_metadata(html, default_url=url)
    title = meta.title if meta else None
    site = (meta.sitename if meta else None) or outlet_from_url(url or (meta.url if meta else None))
    published = meta.date if meta and meta.date else None
    return Article(
        text=text,
        title=title,
        source=site or infer_outlet(text),
        url=url or (meta.url if meta else None),
        published=published,
        path=path,
        byline=meta.author if meta else None,
        format="html",
    )
