"""The two kinds of store, as the parametrized store suites need them.

``backend`` (in conftest.py) runs a test once per store: SQLite (a file or
memory) and PostgreSQL (a real throwaway server, see ``pg_server``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsweave.store import ArticleStore, Store, open_store


class Backend:
    """One kind of store, as the tests need it: open, look inside, empty."""

    name = ""

    def open(self) -> ArticleStore:
        raise NotImplementedError

    def db(self, tmp_path: Path) -> str:
        """A --db value for a new store that several processes can open at once."""
        raise NotImplementedError

    def shared(self, tmp_path: Path) -> str:
        """A --db value several stores can open at once."""
        return self.db(tmp_path)

    def sql(self, store: Any, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run SQL written for SQLite (``?`` placeholders, bare table names)."""
        raise NotImplementedError

    def empty(self, store: Any) -> None:
        raise NotImplementedError


class SqliteBackend(Backend):
    name = "sqlite"

    def open(self) -> ArticleStore:
        return Store.open(":memory:")

    def db(self, tmp_path: Path) -> str:
        return str(tmp_path / "shared.db")

    def sql(self, store: Any, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return store.conn.execute(query, params).fetchall()  # type: ignore[no-any-return]

    def empty(self, store: Any) -> None:
        store.conn.execute("DELETE FROM articles")


class PostgresBackend(Backend):
    name = "postgres"

    def __init__(self, url: str) -> None:
        self.url = url

    def open(self) -> ArticleStore:
        return open_store(self.url)

    def db(self, tmp_path: Path) -> str:
        return self.url

    def sql(self, store: Any, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        # The store's connections have newsweave's schema on their search_path.
        with store.pool.connection() as conn:
            cur = conn.execute(query.replace("?", "%s"), params)
            return cur.fetchall() if cur.description else []  # type: ignore[no-any-return]

    def empty(self, store: Any) -> None:
        with store.pool.connection() as conn:
            conn.execute("TRUNCATE newsweave.articles CASCADE")
