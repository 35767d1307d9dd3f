"""The PostgreSQL side of the story methods: pooled sessions, an advisory lock.

:class:`PostgresStories` supplies the hooks of
:class:`~newsweave.store.stories_sql.StoriesMixin` for
:class:`newsweave.store.postgres.PostgresStore`, so both stores run the very
same story queries. A session takes a pooled connection (whose
``search_path`` is newsweave's schema, so the shared SQL's bare table names
resolve there), turns the ``?`` placeholders into psycopg's ``%s``, and
replaces NUL characters in text arguments by spaces, as the articles table
stores them (PostgreSQL text cannot hold NUL). A write session is one
transaction.

One placer per database at a time is a session-level advisory lock, held
on a connection of its own while ``add``, ``stories`` or ``watch`` place
articles: every process that opens the same database sees it, on any
machine, and the server releases it if the process dies.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from functools import lru_cache
from typing import Any

from newsweave.store.pg_migrations import LOCK_KEY
from newsweave.store.stories_sql import StoriesMixin

__all__ = ["PLACER_LOCK", "PgSql", "PostgresStories", "pg_sql"]

log = logging.getLogger(__name__)

#: The advisory lock (two-key form) held while placing articles in stories.
PLACER_LOCK = (LOCK_KEY, 3)


@lru_cache(maxsize=512)
def pg_sql(sql: str) -> str:
    """The shared SQL in psycopg's placeholder style.

    >>> pg_sql("SELECT id FROM stories WHERE id = ? AND n > ?")
    'SELECT id FROM stories WHERE id = %s AND n > %s'
    """
    if "%" in sql:
        raise ValueError("shared story SQL must not hold '%': write it with ? placeholders only")
    return sql.replace("?", "%s")


def _clean(args: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(a.replace("\x00", " ") if isinstance(a, str) and "\x00" in a else a for a in args)


class PgSql:
    """A :class:`~newsweave.store.stories_sql.StorySql` session on a psycopg connection."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def one(self, sql: str, args: Sequence[Any] = ()) -> Any:
        return self.conn.execute(pg_sql(sql), _clean(args)).fetchone()

    def all(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        return self.conn.execute(pg_sql(sql), _clean(args)).fetchall()  # type: ignore[no-any-return]

    def run(self, sql: str, args: Sequence[Any] = ()) -> None:
        self.conn.execute(pg_sql(sql), _clean(args))

    def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = [_clean(r) for r in rows]
        if batch:
            with self.conn.cursor() as cur:
                cur.executemany(pg_sql(sql), batch)


class PostgresStories(StoriesMixin):
    """The story methods on pooled connections (``self._conn(doing)`` of the store)."""

    _arrival = "seq"
    _no_limit = "LIMIT ALL"

    def _conn(self, doing: str) -> AbstractContextManager[Any]:
        raise NotImplementedError  # the store's: a pooled connection, errors as StoreErrors

    @contextmanager
    def _reading(self, doing: str) -> Iterator[PgSql]:
        with self._conn(doing) as conn:
            yield PgSql(conn)

    @contextmanager
    def _writing(self, doing: str) -> Iterator[PgSql]:
        with self._conn(doing) as conn, conn.transaction():
            yield PgSql(conn)

    @contextmanager
    def placing(self) -> Iterator[None]:
        """Hold the database's placer lock (an advisory lock) on a connection of its own."""
        with self._conn("waiting for another command placing stories") as conn:
            got = conn.execute("SELECT pg_try_advisory_lock(%s, %s)", PLACER_LOCK).fetchone()[0]
            if not got:
                log.warning("%s: another newsweave command is placing stories; waiting for it", self.path)
                conn.execute("SELECT pg_advisory_lock(%s, %s)", PLACER_LOCK)
            try:
                yield
            finally:
                # A lost connection has released the lock with its session already.
                with suppress(Exception):
                    conn.execute("SELECT pg_advisory_unlock(%s, %s)", PLACER_LOCK)
