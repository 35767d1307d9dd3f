"""Article stores: one protocol (:class:`ArticleStore`), two implementations.

SQLite (:class:`Store`, the default) keeps everything in one file with no
server to run; PostgreSQL (:class:`~newsweave.store.postgres.PostgresStore`,
the ``postgres`` extra) is a server a team shares. :func:`open_store` picks one
from the ``--db`` value: a ``postgresql://`` URL or a file path.

>>> from newsweave.store import open_store
>>> open_store(":memory:").count()
0
"""

from __future__ import annotations

import os

from newsweave.store.base import AddResult, ArticleStore, Hit, StoryStore, is_postgres_url, mask_url
from newsweave.store.sqlite import Store, quote_query, resolve_path

__all__ = [
    "AddResult",
    "ArticleStore",
    "Hit",
    "Store",
    "StoryStore",
    "is_postgres_url",
    "mask_url",
    "open_store",
    "quote_query",
    "resolve_path",
]


def open_store(db: str | os.PathLike[str] | None = None, **options: object) -> ArticleStore:
    """Open the store named by ``db`` (else ``$NEWSWEAVE_DB``, else the user data dir).

    A ``postgresql://user@host:port/db`` URL opens the PostgreSQL store (options:
    ``max_connections``, ``timeout``, ``create``); anything else is a SQLite path
    (options: ``timeout``, ``check_same_thread``, ``create``, see :meth:`Store.open`).
    ``create=False`` is for commands that only read: a missing store is an error.

    Raises:
        StoreNotFound: with ``create=False``, when there is no store there.
        StoreError: when the store cannot be opened; the message names the fix.
        MissingExtra: for a PostgreSQL URL without the ``postgres`` extra.
    """
    where = resolve_path(db)
    if is_postgres_url(where):
        from newsweave.store.postgres import PostgresStore

        return PostgresStore.open(where, **options)  # type: ignore[arg-type]
    return Store.open(where, **options)  # type: ignore[arg-type]
