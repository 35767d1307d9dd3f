"""The JSON behind each page. Every HTML page is rendered from exactly this data,
and the same data is served at the page's path plus ``.json``.

* ``/index.json``: the ranked, filtered, paginated story list.
* ``/stories/ID.json``: the story's briefing as ``render/json.py`` writes it.
* ``/articles/KEY.json``: one article with its sentences and what the story's
  briefing takes from it.
* ``/search.json?q=``: full-text hits with their stories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsweave.analyze.sentences import body_start
from newsweave.models import Article, Sentence
from newsweave.web.data import Data, StoryGone, StoryLike, story_dict
from newsweave.web.listing import PER_PAGE, Filters, changed, filter_rows, page_of, rank
from newsweave.web.views import article_cited_by, article_path, safe_url, story_path

__all__ = ["Segment", "article_json", "article_paragraphs", "front_json", "search_json", "story_summary"]

_LINE_BREAK = re.compile(r"[ \t]*\r?\n\s*")
MARK = ("\x02", "\x03")  # search highlight markers; never in stored text shown as HTML


def story_summary(data: Data, row: StoryLike) -> tuple[list[str], str]:
    """Two lines about the story: the briefing's first summary sentences when
    the story has been briefed, else the opening of its earliest article."""
    entry = data.cached_briefing(row)
    if entry is not None:
        texts = [str(s["text"]) for s in entry.data.get("summary", [])[:2]]
        if texts:
            return texts, "briefing"
    lede = data.lede(row)
    return ([lede] if lede else []), "lede"


def front_json(data: Data, f: Filters, threshold: str | None, per_page: int = PER_PAGE) -> dict[str, Any]:
    """The front page: stories ranked by recent growth and independent reports."""
    key = ("ranked", f.query, f.outlet, f.start, f.end)
    rows = data.listings.get(key, data.store().count(), lambda: rank(filter_rows(data.stories(f.query), f)))
    shown, pages = page_of(rows, f.page, per_page)
    page = min(max(1, f.page), pages)
    items = []
    since = threshold.split("+")[0][:19] if threshold else None
    for r in shown:
        summary, origin = story_summary(data, r)
        is_changed = changed(r, threshold)
        items.append(
            story_dict(r)
            | {
                "summary": summary,
                "summary_from": origin,
                "changed": is_changed,
                "changes_url": f"{story_path(r.id)}?since={since}" if is_changed and since else None,
                "url": story_path(r.id),
                "json": story_path(r.id) + ".json",
            }
        )
    return {
        "stories": items,
        "total": len(rows),
        "page": page,
        "pages": pages,
        "per_page": per_page,
        "filters": f.params(),
        "changed_since": threshold,
    }


@dataclass(frozen=True)
class Segment:
    """A run of an article's text: a sentence (with its index) or the text between."""

    text: str
    index: int | None = None
    boilerplate: bool = False
    highlight: bool = False


def article_paragraphs(a: Article, sentences: tuple[Sentence, ...], highlight: set[int]) -> list[list[Segment]]:
    """The article as paragraphs of segments (one per sentence), for the page.

    >>> from newsweave.models import Article, Sentence
    >>> a = Article("One. Two.\\nThree.", id="a")
    >>> s = (Sentence("a", 0, 0, 4, "One."), Sentence("a", 1, 5, 9, "Two."), Sentence("a", 2, 10, 16, "Three."))
    >>> [[(g.text, g.index, g.highlight) for g in p] for p in article_paragraphs(a, s, {1})]
    [[('One.', 0, False), (' ', None, False), ('Two.', 1, True)], [('Three.', 2, False)]]
    """
    text = a.text
    paras: list[list[Segment]] = [[]]

    def gap(chunk: str) -> None:
        pieces = _LINE_BREAK.split(chunk)
        for i, piece in enumerate(pieces):
            if i:
                paras.append([])
            if piece:
                paras[-1].append(Segment(piece))

    pos = body_start(text)
    for s in sorted(sentences, key=lambda s: s.start):
        if s.start < pos or s.end > len(text) or s.start >= s.end:
            continue  # overlapping or out-of-range spans would garble the text
        gap(text[pos : s.start])
        paras[-1].append(Segment(text[s.start : s.end], s.index, s.boilerplate, s.index in highlight))
        pos = s.end
    gap(text[pos:])
    return [p for p in paras if any(g.text.strip() for g in p)]


def article_json(data: Data, a: Article) -> dict[str, Any]:
    """One article: metadata, text, sentence spans, its story, and what the
    story's briefing cites from it (when the article belongs to a story)."""
    sents = data.sentences(a)
    story_id = data.story_of(a.id)
    row = data.story(story_id) if story_id else None
    cited: dict[str, list[dict[str, Any]]] = {}
    b: dict[str, Any] = {}
    if row is not None:
        try:
            b = data.briefing(row).data
        except StoryGone:
            row = None
    if row is not None:
        bid = next((x["id"] for x in b.get("articles", []) if x.get("hash") == a.hash), a.id)
        number = next((x.get("number") for x in b.get("articles", []) if x.get("hash") == a.hash), None)
        cited = article_cited_by(b, bid)
    else:
        number = None
    return {
        "id": a.id,
        "hash": a.hash,
        "number": number,
        "title": a.title,
        "source": a.source,
        "url": a.url,
        "link": safe_url(a.url),
        "published": a.published,
        "byline": a.byline,
        "stance": a.stance,
        "story": story_id if row is not None else None,
        "story_title": row.title if row is not None else None,
        "story_url": story_path(row.id) if row is not None else None,
        "url_path": article_path(a.hash),
        "text": a.text,
        "body_start": body_start(a.text),
        "sentences": [
            {
                "index": s.index,
                "start": s.start,
                "end": s.end,
                "paragraph": s.paragraph,
                "boilerplate": s.boilerplate,
                "text": s.text,
            }
            for s in sents
        ],
        "cited_by": cited,
    }


def search_json(data: Data, query: str, limit: int = 20) -> dict[str, Any]:
    """Hits for ``query``, best first, each with its story; snippets mark
    matches with ``**`` like ``newsweave search --json``.

    Raises:
        StoreError: when the query cannot be searched (the message says why).
    """
    hits = data.search(query, limit=limit, mark=MARK) if query.strip() else []
    out = []
    for h in hits:
        sid = data.story_of(h.article_id)
        out.append(
            {
                "article_id": h.article_id,
                "title": h.title,
                "source": h.source,
                "published": h.published,
                "score": h.score,
                "snippet": h.snippet.replace(MARK[0], "**").replace(MARK[1], "**"),
                "marked": _marked(h.snippet),
                "story": sid,
                "url": article_path(h.article_id),
                "story_url": story_path(sid) if sid else None,
            }
        )
    return {"query": query, "hits": out, "count": len(out)}


def _marked(snippet: str) -> list[list[Any]]:
    """The snippet as ``[text, is_match]`` runs, so pages can mark matches safely."""
    runs: list[list[Any]] = []
    for i, part in enumerate(re.split("[\x02\x03]", snippet)):
        if part:
            runs.append([part, i % 2 == 1])
    return runs
