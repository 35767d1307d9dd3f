"""The store protocol: what every store (SQLite now, PostgreSQL later) offers.

Code that reads stories or articles (the web app, ``brief --db``, ``watch``)
types its store as :class:`StoreProtocol`, so either implementation fits and
one parametrised test suite can check both.

>>> from newsweave.store import Store
>>> isinstance(Store.open(":memory:"), StoreProtocol)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol, runtime_checkable

from newsweave.models import Article, Sentence, StoryRow

__all__ = ["StoreProtocol"]


@runtime_checkable
class StoreProtocol(Protocol):
    """Articles, sentences, search, stories and the analysis cache."""

    path: str

    def add(self, items: Iterable[Any], **kw: Any) -> Any: ...

    def get(self, article_id: str) -> Article | None: ...

    def articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]: ...

    def sentences(self, article_id: str) -> tuple[Sentence, ...]: ...

    def search(self, query: str, limit: int = 10, *, highlight: tuple[str, str] = ("**", "**")) -> list[Any]: ...

    def count(self) -> int: ...

    def close(self) -> None: ...

    # stories (see newsweave.store.stories_sql)
    def stories(
        self, *, since: str | None = None, query: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[StoryRow]: ...

    def story(self, story_id: str) -> StoryRow | None: ...

    def story_articles(self, story_id: str) -> list[Article]: ...

    def story_of(self, article_id: str) -> str | None: ...

    def resolve_story(self, story_id: str) -> str | None: ...

    def assignments(self) -> dict[str, str]: ...
