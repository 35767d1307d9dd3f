"""The web app's one door to the store: stories, briefings, articles, search, writes.

Every page and JSON twin reads through :class:`Data`, which calls only the
store interface the project shares (``store.stories``, ``store.story``,
``store.story_articles``, ``store.story_of``, ``store.get``,
``store.sentences``, ``store.search``) and
``newsweave.stories.brief_story``. Briefings are cached per story version
(its ``updated_at`` and article count) as the JSON the API serves, so a story
page is analysed once per change, not once per request.

SQLite connections are not shared between threads: each server thread opens
its own store on first use.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from newsweave.config import Settings
from newsweave.errors import StoreError
from newsweave.models import Article, Sentence
from newsweave.store import ArticleStore, Hit, is_postgres_url, open_store, quote_query
from newsweave.store.sqlite import AddResult
from newsweave.web.cache import KeyedCache, TTLCache

log = logging.getLogger(__name__)

__all__ = ["BriefingEntry", "Data", "StoryGone", "StoryLike", "story_dict"]


class StoryGone(LookupError):
    """The story was listed but has no articles to brief (merged or emptied meanwhile)."""


class StoryLike(Protocol):
    """What the web app reads from a story row (``models.StoryRow``)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def articles(self) -> int: ...
    @property
    def outlets(self) -> tuple[str, ...]: ...
    @property
    def independent(self) -> int: ...
    @property
    def first_date(self) -> str | None: ...
    @property
    def last_date(self) -> str | None: ...
    @property
    def updated_at(self) -> str | None: ...


def story_dict(row: StoryLike) -> dict[str, Any]:
    """A story row as JSON-ready data (the front page twin's items)."""
    return {
        "id": row.id,
        "title": row.title,
        "articles": row.articles,
        "outlets": list(row.outlets),
        "independent": row.independent,
        "first_date": row.first_date,
        "last_date": row.last_date,
        "updated_at": row.updated_at,
    }


@dataclass(frozen=True)
class BriefingEntry:
    """One story version's briefing: the JSON data, its bytes, and the build time."""

    key: tuple[Any, ...]
    data: dict[str, Any]
    body: bytes
    build_seconds: float
    extras: dict[str, Any] = field(default_factory=dict, compare=False)


class Data:
    """Thread-safe reads and writes for the web app.

    Args:
        db: the store path (or URL) as given to ``--db``.
        settings: briefing settings (summary words, embeddings).
        cache_size: how many story versions to keep briefed in memory.
        list_ttl: seconds a story listing may be reused while no article arrives.
    """

    def __init__(self, db: str, settings: Settings | None = None, *, cache_size: int = 64,
                 list_ttl: float = 10.0) -> None:
        self.db = db
        self.settings = settings or Settings(db=db)
        self._local = threading.local()
        self._opened: list[ArticleStore] = []
        self._opened_lock = threading.Lock()
        # spaCy pipelines are not meant to run in two threads at once, and two
        # analyses at a time on a small machine only slow both: one build at a time.
        self._build_lock = threading.Lock()
        # PostgreSQL's store hands pooled connections to threads itself: one store for all.
        self._shared: ArticleStore | None = None
        if is_postgres_url(db):
            self._shared = open_store(db, max_connections=8)
            self._opened.append(self._shared)
        self.briefings: KeyedCache[BriefingEntry] = KeyedCache(cache_size)
        self.ledes: KeyedCache[str] = KeyedCache(max(256, cache_size))
        self.listings: TTLCache[list[Any]] = TTLCache(list_ttl)
        if self._shared is None:
            open_store(db).close()  # fail at start, with the store's message, not on the first request

    # ----------------------------------------------------------- connections
    def store(self) -> ArticleStore:
        """This thread's store (SQLite connections are not shared between threads)."""
        if self._shared is not None:
            return self._shared
        st = getattr(self._local, "store", None)
        if st is None:
            st = open_store(self.db, check_same_thread=False)
            self._local.store = st
            with self._opened_lock:
                self._opened.append(st)
        return st  # type: ignore[no-any-return]

    def close(self) -> None:
        """Close every connection the server threads opened."""
        with self._opened_lock:
            for st in self._opened:
                with contextlib.suppress(Exception):  # closing at shutdown must not raise
                    st.close()
            self._opened.clear()
        self._local = threading.local()

    # --------------------------------------------------------------- stories
    def stories(self, query: str | None = None) -> list[StoryLike]:
        """Every story (matching ``query``), reused for ``list_ttl`` seconds
        unless the number of stored articles changed meanwhile."""
        # The builder may run in a refresh thread: it takes that thread's connection.
        return self.listings.get(("stories", query), self.store().count(),
                                 lambda: list(_stories(self.store(), query)))

    def story(self, story_id: str) -> StoryLike | None:
        """The story row (an old merged id resolves to its new story), or None."""
        return _story(self.store(), story_id)

    def briefing(self, row: StoryLike, since: str | None = None) -> BriefingEntry:
        """The story's briefing as the API's JSON, built once per story version.

        Raises:
            StoryGone: when the store no longer holds articles for the story.
        """
        key = ("briefing", row.id, row.updated_at, row.articles, since)
        return self.briefings.get_or_build(key, lambda: self._build(key, row.id, since))

    def cached_briefing(self, row: StoryLike, since: str | None = None) -> BriefingEntry | None:
        """The current version's briefing if already built (never builds)."""
        return self.briefings.peek(("briefing", row.id, row.updated_at, row.articles, since))

    def _build(self, key: tuple[Any, ...], story_id: str, since: str | None) -> BriefingEntry:
        from newsweave.render.json import to_dict

        with self._build_lock:
            t0 = time.perf_counter()
            try:
                b = _brief_story(self.store(), story_id, self.settings, since=since)
            except KeyError:  # brief_story's word for "no such story, or no articles in it"
                raise StoryGone(story_id) from None
            data = to_dict(b)
            seconds = time.perf_counter() - t0
        log.info("briefed story %s in %.2f s", story_id, seconds)
        body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        return BriefingEntry(key, data, body, seconds)

    def lede(self, row: StoryLike) -> str:
        """The opening of the story's earliest article: the front page's summary
        line until the story has been briefed."""
        return self.ledes.get_or_build(("lede", row.id, row.updated_at), lambda: self._lede(row.id))

    def _lede(self, story_id: str) -> str:
        st = self.store()
        arts = sorted(_story_articles(st, story_id), key=lambda a: (a.published or "9999", a.id))
        for a in arts:
            out: list[str] = []
            for s in st.sentences(a.hash):
                if not s.boilerplate and len(s.text.split()) >= 5:
                    out.append(" ".join(s.text.split()))
                    if sum(len(x) for x in out) > 160:
                        break
            if out:
                return " ".join(out)
        return ""

    # -------------------------------------------------------------- articles
    def article(self, key: str) -> Article | None:
        """An article by content hash or id."""
        return self.store().get(key)

    def sentences(self, article: Article) -> tuple[Sentence, ...]:
        """An article's sentences (split and stored on first use)."""
        return self.store().sentences(article.hash)

    def story_of(self, article_id: str) -> str | None:
        """The id of the story an article (by id) belongs to, or None."""
        return _story_of(self.store(), article_id)

    # ---------------------------------------------------------------- search
    def search(self, query: str, limit: int = 20, mark: tuple[str, str] = ("\x02", "\x03")) -> list[Hit]:
        """Full-text hits, best first. A query FTS5 cannot parse as typed
        (stray punctuation) is retried with its words quoted.

        Raises:
            StoreError: when even the quoted query cannot be searched.
        """
        st = self.store()
        try:
            return st.search(query, limit=limit, highlight=mark)
        except StoreError:
            quoted = quote_query(query)
            if quoted == query or not query.strip():
                raise
            return st.search(quoted, limit=limit, highlight=mark)

    # ---------------------------------------------------------------- writes
    def add(self, items: Iterable[Any]) -> tuple[AddResult, list[Article]]:
        """Store articles (and errors, counted); return the result and what was new."""
        st = self.store()
        items = list(items)
        arts = [a for a in items if isinstance(a, Article)]
        known = {a.hash for a in arts if a.hash in st}
        result = st.add(items)
        fresh = [a for a in arts if a.hash not in known and a.hash in st]
        _assign_stories(st, fresh)
        self.listings.clear()
        return result, fresh


# ---------------------------------------------------------------------------
# TEMPORARY FALLBACK until the `stories` branch is merged into main; remove
# this whole block then and call the store methods and brief_story directly.
# Without the stories tables, a story is the articles sharing the `story`
# column (the JSONL field); articles without one form the story "all".
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _FallbackRow:
    id: str
    title: str | None
    articles: int
    outlets: tuple[str, ...]
    independent: int
    first_date: str | None
    last_date: str | None
    updated_at: str | None


_FALLBACK_SQL = (
    "SELECT coalesce(story, 'all') AS sid, count(*), group_concat(DISTINCT source), "
    "min(substr(published, 1, 10)), max(substr(published, 1, 10)), max(added_at) "
    "FROM articles {where} GROUP BY sid"
)


def _fallback_rows(st: Any, where: str = "", args: Sequence[object] = ()) -> list[_FallbackRow]:
    rows = st.conn.execute(_FALLBACK_SQL.format(where=where), tuple(args)).fetchall()
    titles: dict[str, str] = {}
    for sid, title in st.conn.execute(
        "SELECT coalesce(story, 'all'), title FROM articles " + (where + " AND" if where else "WHERE")
        + " title IS NOT NULL ORDER BY published DESC", tuple(args)
    ):
        titles[sid] = title  # the earliest article's title wins
    out = []
    for sid, n, outlets, first, last, updated in rows:
        names = tuple(sorted(set((outlets or "").split(",")) - {""}))
        out.append(_FallbackRow(str(sid), titles.get(sid), int(n), names, max(1, len(names)), first, last, updated))
    return out


def _stories(st: Any, query: str | None) -> Sequence[StoryLike]:
    if hasattr(st, "stories"):
        return st.stories(query=query)  # type: ignore[no-any-return]
    rows = _fallback_rows(st)
    if query:
        try:
            hits = st.search(query, limit=500)
        except StoreError:
            hits = st.search(quote_query(query), limit=500)
        wanted = {_story_of(st, h.article_id) for h in hits}
        rows = [r for r in rows if r.id in wanted]
    return rows


def _story(st: Any, story_id: str) -> StoryLike | None:
    if hasattr(st, "story"):
        return st.story(story_id)  # type: ignore[no-any-return]
    rows = (_fallback_rows(st, "WHERE story IS NULL") if story_id == "all"
            else _fallback_rows(st, "WHERE story = ?", (story_id,)))
    return rows[0] if rows else None


def _story_articles(st: Any, story_id: str) -> list[Article]:
    if hasattr(st, "story_articles"):
        return st.story_articles(story_id)  # type: ignore[no-any-return]
    where, args = ("story IS NULL", ()) if story_id == "all" else ("story = ?", (story_id,))
    hashes = [r[0] for r in st.conn.execute(f"SELECT hash FROM articles WHERE {where} ORDER BY rowid", args)]
    return list(st.articles(hashes))


def _story_of(st: Any, article_id: str) -> str | None:
    if hasattr(st, "story_of"):
        return st.story_of(article_id)  # type: ignore[no-any-return]
    row = st.conn.execute("SELECT story FROM articles WHERE id = ? OR hash = ? LIMIT 1",
                          (article_id, article_id)).fetchone()
    return None if row is None else (row[0] or "all")


def _brief_story(st: Any, story_id: str, settings: Settings, *, since: str | None) -> Any:
    try:
        from newsweave.stories import brief_story  # type: ignore[attr-defined]
    except ImportError:
        from newsweave.synthesize.briefing import build_briefing

        articles = _story_articles(st, story_id)
        if not articles:
            raise KeyError(story_id) from None
        return build_briefing(articles, settings.words, settings=settings)
    return brief_story(st, story_id, settings, since=since)


def _assign_stories(st: Any, fresh: list[Article]) -> None:
    """New articles join stories (the stories branch decides how)."""
    hook: Callable[..., Any] | None = getattr(st, "assign_stories", None)
    if hook is not None and fresh:
        hook([a.id for a in fresh])
