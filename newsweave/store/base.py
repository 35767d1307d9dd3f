"""What every article store offers: one protocol, two implementations.

:class:`ArticleStore` (articles, search) and :class:`StoryStore` (stories) are
the interfaces the rest of newsweave uses; the SQLite store
(:mod:`newsweave.store.sqlite`, the default, one file) and the PostgreSQL
store (:mod:`newsweave.store.postgres`, a server shared by a team) both
implement them, and parametrized test suites (``tests/test_store.py``,
``tests/test_story_store.py``) hold them to the same behaviour. :func:`newsweave.store.open_store` picks one from
the ``--db`` value.

>>> is_postgres_url("postgresql://ana@db.example:5432/news")
True
>>> mask_url("postgresql://ana:s3cret@db.example/news")
'postgresql://ana:***@db.example/news'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol, Self, runtime_checkable

from newsweave.errors import BadInput
from newsweave.models import Analysis, Article, Sentence, StoryRow
from newsweave.store.stories_sql import FeedState, StoryWrite

__all__ = ["AddResult", "ArticleStore", "Hit", "Splitter", "StoryStore", "is_postgres_url", "mask_url"]

Splitter = Callable[[Article], Sequence[Sentence]]


@dataclass(frozen=True, slots=True)
class AddResult:
    """What :meth:`ArticleStore.add` did. Results merge, so workers can tree-reduce.

    ``errors`` holds one ``"where: what is wrong"`` line per failed item.
    """

    added: int = 0
    skipped_existing: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()

    def merge(self, other: AddResult) -> AddResult:
        """The sum of two results."""
        return AddResult(
            self.added + other.added,
            self.skipped_existing + other.skipped_existing,
            self.failed + other.failed,
            self.errors + other.errors,
        )

    __add__ = merge


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result. ``score``: higher is better (BM25 in SQLite, ts_rank in PostgreSQL)."""

    article_id: str
    title: str | None
    source: str | None
    published: str | None
    score: float
    snippet: str


@runtime_checkable
class ArticleStore(Protocol):
    """Articles keyed by content hash, their sentences, and full-text search.

    Every implementation guarantees: adding an article already stored (same
    content hash) is a no-op; an article is written with its sentences and
    search index entry atomically (all or nothing); ``articles()`` lists
    articles in the order they were added; search takes the same query
    syntax (words, ``"phrases"``, ``OR``, ``NOT``, ``prefix*``,
    ``title:word``) and a hyphenated word finds its closed form.
    """

    path: str
    """Where the store lives, safe to print (a URL's password is masked)."""

    def close(self) -> None:
        """Release the connection(s); committed work stays."""

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def add(
        self,
        items: Iterable[Article | Analysis | BadInput],
        *,
        splitter: Splitter | None = None,
        split: bool = True,
        batch_size: int = 500,
        progress: Callable[[AddResult], None] | None = None,
    ) -> AddResult:
        """Add articles (or Analyses, which bring their sentences); count BadInput items as failed."""
        ...

    def search(self, query: str, limit: int = 10, *, highlight: tuple[str, str] = ("**", "**")) -> list[Hit]:
        """Ranked full-text search with one-line snippets; a bad query raises StoreError."""
        ...

    def count(self) -> int:
        """Number of stored articles."""
        ...

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        """The content hashes among ``hashes`` that are stored (one query per few hundred)."""
        ...

    def __len__(self) -> int: ...

    def __contains__(self, article_id: object) -> bool: ...

    def articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]:
        """All articles in the order added, or those with the given ids (or hashes)."""
        ...

    def get(self, article_id: str) -> Article | None:
        """The article with this id or content hash (the first stored wins), or None."""
        ...

    def sentences(self, article_id: str) -> tuple[Sentence, ...]:
        """The article's sentences (split and stored on first use); KeyError if unknown."""
        ...


_URL = re.compile(r"^(postgres(?:ql)?)://", re.IGNORECASE)
# The password runs to the "@" that starts the host part (it may itself hold an "@").
_PASSWORD = re.compile(r"^(postgres(?:ql)?://[^:/@?#]*:)(.*?)(@[^@/?#]*(?:[/?#]|$))", re.IGNORECASE)
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


def is_postgres_url(db: str | None) -> bool:
    """True for ``postgresql://`` (or ``postgres://``) URLs.

    >>> is_postgres_url("news.db"), is_postgres_url("postgres://localhost/news")
    (False, True)
    """
    return bool(db) and bool(_URL.match(str(db)))


def mask_url(url: str) -> str:
    """The URL with any password replaced by ``***`` (for messages and logs).

    >>> mask_url("postgresql://ana@h/db?password=x&sslmode=require")
    'postgresql://ana@h/db?password=***&sslmode=require'
    """
    out = _PASSWORD.sub(lambda m: m.group(1) + "***" + m.group(3), url)
    return _QUERY_PASSWORD.sub(lambda m: m.group(1) + "***", out)


@runtime_checkable
class StoryStore(Protocol):
    """The story methods (:mod:`newsweave.store.stories_sql`, one implementation shared by
    both stores): what the placer, the web app, ``brief --db`` and ``watch`` use.

    >>> from newsweave.store import Store
    >>> isinstance(Store.open(":memory:"), StoryStore)
    True
    """

    path: str

    # reads
    def stories(
        self, *, since: str | None = None, query: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[StoryRow]:
        """Live stories, most recently updated first."""
        ...

    def story(self, story_id: str) -> StoryRow | None:
        """One story; an old id that merged resolves to the story it became."""
        ...

    def story_articles(self, story_id: str) -> list[Article]:
        """A story's articles, in arrival order."""
        ...

    def story_of(self, article_id: str) -> str | None:
        """The live story of an article (id, content hash or a copy's id)."""
        ...

    def resolve_story(self, story_id: str) -> str | None:
        """The live id of a story, following merges."""
        ...

    def assignments(self) -> dict[str, str]:
        """Every placed article id -> its live story id."""
        ...

    def unassigned(self) -> list[tuple[str, str]]:
        """(article id, reason) of stored articles left out of every story."""
        ...

    def added_at(self, article_hash: str) -> str | None:
        """When the store got the article with this content hash."""
        ...

    # placing (the clusterer's state)
    def placing(self) -> AbstractContextManager[None]:
        """Hold the one-placer lock (a lock file for SQLite, an advisory lock for PostgreSQL)."""
        ...

    def has_pending(self) -> bool:
        """True when some stored article is not placed yet."""
        ...

    def pending_articles(self, batch: int = 500, after: int = 0) -> Iterator[list[tuple[int, Article]]]:
        """Unplaced articles in arrival order, as (arrival number, article) batches."""
        ...

    def story_meta(self, key: str) -> str | None: ...

    def story_df(self) -> tuple[int, dict[str, int]]: ...

    def story_clock(self) -> tuple[str | None, int]: ...

    def story_states(self, *, min_last_date: str | None, max_active: int) -> list[tuple[str, str]]: ...

    def story_signatures(self, limit: int) -> list[tuple[str, str, bytes]]: ...

    def story_merges(self) -> list[tuple[str, str]]: ...

    def save_story_batch(
        self,
        placed: Iterable[tuple[str, str | None, int, float | None, str | None, str | None, bytes | None]],
        stories: Iterable[StoryWrite],
        merges: Iterable[tuple[str, str, str | None]],
        df_n: int,
        df: Iterable[tuple[str, int]],
        meta: dict[str, str] | None = None,
    ) -> None:
        """Write one batch of the clusterer's work atomically."""
        ...

    # copies, briefings, the analysis cache, feeds
    def record_copies(self, articles: Sequence[Article]) -> int: ...

    def copies_of(self, article_hash: str) -> list[tuple[str, str | None, str | None]]: ...

    def mark_briefed(self, story_id: str, when: str | None = None) -> None: ...

    def briefed_at(self, story_id: str) -> str | None: ...

    def story_arrivals(self, story_id: str) -> tuple[dict[str, int], int | None]: ...

    def cached_analyses(self, keys: Sequence[tuple[str, str]], version: str) -> dict[tuple[str, str], str]: ...

    def analyses_of(self, article_hash: str) -> list[tuple[str, str, str]]: ...

    def save_analyses(self, rows: Sequence[tuple[str, str, str]], version: str) -> None: ...

    def feed_state(self, url: str) -> FeedState: ...

    def save_feed_state(self, st: FeedState) -> None: ...

    def seen_items(self, feed_url: str, items: Sequence[str]) -> set[str]: ...

    def mark_items(self, feed_url: str, items: Sequence[tuple[str, str | None]]) -> None: ...
