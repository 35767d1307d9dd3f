"""HTML pages -> Article with trafilatura (main text, title, date, site name).

Cut-off pages (a download that stopped half way) are refused rather than
stored as half an article: their text would silently miss its second half.
"""

from __future__ import annotations

import re

from newsweave.errors import BadInput
from newsweave.ingest.decode import no_surrogates
from newsweave.ingest.text import infer_outlet, outlet_from_url
from newsweave.models import Article

__all__ = ["looks_truncated", "outlet_from_url", "parse_html"]

# Publication date, not last-modified; accept future dates so that stories
# dated ahead (fiction, embargoed copy, clocks) keep their date.
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "max_date": "2099-12-31"}
_MIN_WORDS = 6
_OPEN_DOC = re.compile(r"<(?:html|body)[\s>]", re.I)
_CLOSE_DOC = re.compile(r"</(?:html|body)\s*>", re.I)


def looks_truncated(html: str) -> bool:
    """True when a page stops mid-tag, or opens ``<body>``/``<html>`` and never closes it.

    >>> looks_truncated("<html><body><p>Dockers walked out</p></body></html>")
    False
    >>> looks_truncated("<html><body><p>Dockers walked out</p><p cla")
    True
    """
    stripped = html.rstrip()
    if stripped.rfind("<") > stripped.rfind(">"):
        return True  # ends inside a tag
    # Opened the document but never closed it: the end of the page is missing.
    return bool(_OPEN_DOC.search(html[:20000]) and not _CLOSE_DOC.search(stripped[-4000:]))


def parse_html(html: str, *, path: str | None = None, url: str | None = None) -> Article:
    """Extract the main text and metadata of an article page.

    The outlet is the page's site name, else its URL's domain, else what the
    text says (``Source:`` line, wire dateline).

    Raises:
        BadInput: when the page is cut off or holds no article text.
    """
    where = path or url
    if looks_truncated(html):
        raise BadInput(
            "the HTML stops before its closing </body>/</html> tag (a cut-off download?); "
            "save or download the complete page again",
            where,
        )
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        deduplicate=False,
        date_extraction_params=_DATE_PARAMS,
    )
    text = getattr(doc, "text", None) if doc is not None else None
    text = no_surrogates(text) if isinstance(text, str) else None
    # A handful of words is a menu or a cookie banner that survived
    # extraction, not an article.
    if not text or len(text.split()) < _MIN_WORDS:
        raise BadInput(
            "no article text found in this HTML page (an index, a login wall or a script-only page?); "
            "save the article page itself",
            where,
        )
    page_url = url or getattr(doc, "url", None) or None
    site = no_surrogates(getattr(doc, "sitename", None) or "").strip() or outlet_from_url(page_url)
    return Article(
        text=text,
        title=no_surrogates(getattr(doc, "title", None) or "").strip() or None,
        source=site or infer_outlet(text),
        url=page_url,
        published=getattr(doc, "date", None) or None,
        path=path or url,
        byline=no_surrogates(getattr(doc, "author", None) or "").strip() or None,
        format="html",
    )
