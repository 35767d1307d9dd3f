"""The web app's one door to the store: stories, briefings, articles, search, writes.

Every page and JSON twin reads through :class:`Data`, which calls only the
store interface the project shares (``store.stories``, ``store.story``,
``store.story_articles``, ``store.story_of``, ``store.get``,
``store.sentences``, ``store.search``), ``newsweave.stories.brief_story``
(which reads the store's analysis cache) and, after a write,
``newsweave.stories.assign.assign_pending`` (new articles join stories). Briefings are cached per story version
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
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from newsweave.config import Settings
from newsweave.errors import StoreError
from newsweave.models import Article, Sentence, StoryRow
from newsweave.store import ArticleStore, Hit, StoryStore, is_postgres_url, open_store, quote_query
from newsweave.store.sqlite import AddResult
from newsweave.synthesize.clauses import strip_dateline
from newsweave.web.cache import KeyedCache, TTLCache

log = logging.getLogger(__name__)

__all__ = ["BriefingEntry", "Data", "StoryGone", "StoryLike", "story_dict"]


class StoryGone(LookupError):
    """The story was listed but has no articles to brief (merged or emptied meanwhile)."""


StoryLike = StoryRow  # what the web app reads of a story


class WebStore(ArticleStore, StoryStore, Protocol):
    """A store with articles and stories (the SQLite store; PostgreSQL keeps articles only for now)."""


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
        self._opened: list[WebStore] = []
        self._opened_lock = threading.Lock()
        # spaCy pipelines are not meant to run in two threads at once, and two
        # analyses at a time on a small machine only slow both: one build at a time.
        self._build_lock = threading.Lock()
        # PostgreSQL's store hands pooled connections to threads itself: one store for all.
        self._shared: WebStore | None = None
        if is_postgres_url(db):
            self._shared = _with_stories(open_store(db, max_connections=8))
            self._opened.append(self._shared)
        self.briefings: KeyedCache[BriefingEntry] = KeyedCache(cache_size)
        self.ledes: KeyedCache[str] = KeyedCache(max(256, cache_size))
        self.listings: TTLCache[list[Any]] = TTLCache(list_ttl)
        if self._shared is None:  # fail at start, with the store's message, not on the first request
            _with_stories(open_store(db)).close()

    # ----------------------------------------------------------- connections
    def store(self) -> WebStore:
        """This thread's store (SQLite connections are not shared between threads)."""
        if self._shared is not None:
            return self._shared
        st = getattr(self._local, "store", None)
        if st is None:
            st = _with_stories(open_store(self.db, check_same_thread=False))
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
                                 lambda: list(self.store().stories(query=query)))

    def story(self, story_id: str) -> StoryLike | None:
        """The story row (an old merged id resolves to its new story), or None."""
        return self.store().story(story_id)

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
        from newsweave.stories import brief_story

        with self._build_lock:
            t0 = time.perf_counter()
            try:
                b = brief_story(self.store(), story_id, self.settings, since=since)
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
        arts = sorted(st.story_articles(story_id), key=lambda a: (a.published or "9999", a.id))
        for a in arts:
            out: list[str] = []
            for s in st.sentences(a.hash):
                if not s.boilerplate and len(s.text.split()) >= 5:
                    # A wire dateline ("MARROWICK, March 10 (CPA) -") is not part of the lede.
                    out.append(" ".join(s.text[strip_dateline(s.text) :].split()))
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
        return self.store().story_of(article_id)

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
        """Store articles (and errors, counted) and place them in stories, as
        ``newsweave add`` does; return the result and the articles that were new."""
        from newsweave.stories.assign import assign_pending

        st = self.store()
        items = list(items)
        arts = [a for a in items if isinstance(a, Article)]
        known = {a.hash for a in arts if a.hash in st}
        result = st.add(items)
        record_copies = getattr(st, "record_copies", None)
        if result.skipped_existing and record_copies is not None:
            record_copies(arts)  # the same text under another id or outlet: a republished copy
        fresh = [a for a in arts if a.hash not in known and a.hash in st]
        assign_pending(st, model=self.settings.story_model)
        self.listings.clear()
        return result, fresh


def _with_stories(st: ArticleStore) -> WebStore:
    """The store, if it keeps stories; else close it and say what to do.

    Raises:
        StoreError: for a store without story tables (PostgreSQL, for now).
    """
    if not isinstance(st, StoryStore):
        where = st.path
        st.close()
        raise StoreError(
            f"{where} keeps articles only: the web app shows stories, which need the SQLite store "
            "for now (pass a file path to --db)"
        )
    return st  # type: ignore[return-value]
