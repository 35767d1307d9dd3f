"""The SQLite side of the story methods: sessions on the store's one connection, a lock file.

:class:`SqliteStories` supplies the hooks of
:class:`~newsweave.store.stories_sql.StoriesMixin` for :class:`newsweave.store.sqlite.Store`:
reads run on the connection as they are, a write session is one
``BEGIN IMMEDIATE ... COMMIT``, and SQLite errors become StoreErrors that say
what to do. One placer per database at a time is a lock file beside it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from newsweave.store.sqlite_errors import translate_error
from newsweave.store.stories_sql import StoriesMixin

__all__ = ["SqliteSql", "SqliteStories"]


class SqliteSql:
    """A :class:`~newsweave.store.stories_sql.StorySql` session on a sqlite3 connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def one(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql, args).fetchone()

    def all(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        return self.conn.execute(sql, args).fetchall()

    def run(self, sql: str, args: Sequence[Any] = ()) -> None:
        self.conn.execute(sql, args)

    def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)


class SqliteStories(StoriesMixin):
    """The story methods on the SQLite store's connection (``self.conn``)."""

    conn: sqlite3.Connection
    _arrival = "rowid"
    _no_limit = "LIMIT -1"

    @contextmanager
    def _reading(self, doing: str) -> Iterator[SqliteSql]:
        try:
            yield SqliteSql(self.conn)
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path, doing) from None

    @contextmanager
    def _writing(self, doing: str) -> Iterator[SqliteSql]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteSql(self.conn)
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise translate_error(exc, self.path, doing) from None

    @contextmanager
    def placing(self) -> Iterator[None]:
        """One placer per database file at a time: a lock file beside it (``DB.stories-lock``).

        None for in-memory stores or where ``fcntl`` is missing (Windows); SQLite's own
        locking still keeps each batch whole there.
        """
        try:
            import fcntl
        except ImportError:
            yield
            return
        if self.path == ":memory:" or self.path.startswith("file:"):
            yield
            return
        with open(f"{self.path}.stories-lock", "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
