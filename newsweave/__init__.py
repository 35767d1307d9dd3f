"""newsweave: cited, trustworthy briefings from many news articles.

>>> from newsweave import brief  # doctest: +SKIP
>>> print(brief(["examples/harbor-strike/"]).summary[0].text)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable

from newsweave.errors import BadInput, MissingExtra, NewsweaveError, StoreError
from newsweave.models import Article, Briefing, Citation, Sentence

__all__ = [
    "Article",
    "BadInput",
    "Briefing",
    "Citation",
    "MissingExtra",
    "NewsweaveError",
    "Sentence",
    "StoreError",
    "brief",
    "read",
]
__version__ = "0.1.0"


def read(inputs: Iterable[str]) -> list[Article]:
    """Read files, folders, globs or URLs into Articles; raise on the first bad one.

    Use :func:`newsweave.ingest.read_inputs` to collect errors and carry on instead.
    """
    from newsweave.ingest import read_inputs

    out = []
    for item in read_inputs(inputs):
        if isinstance(item, BadInput):
            raise item
        out.append(item)
    return out


def brief(inputs: Iterable[str] | Iterable[Article], words: int = 150) -> Briefing:
    """Build the briefing of one story from paths/URLs or Article objects.

    Example:
        >>> b = brief(["examples/harbor-strike/"], words=100)  # doctest: +SKIP
        >>> b.sources[0].outlet  # doctest: +SKIP
    """
    from newsweave.synthesize.briefing import build_briefing

    items = list(inputs)
    articles = [a for a in items if isinstance(a, Article)]
    paths = [p for p in items if isinstance(p, str)]
    if paths:
        articles += read(paths)
    return build_briefing(articles, words)
