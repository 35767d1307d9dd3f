"""Numbered schema migrations for the PostgreSQL store, recorded in ``newsweave.migrations``.

Everything newsweave keeps in a PostgreSQL database lives in its own schema,
``newsweave``, so a team can point ``--db`` at a database that holds other
applications' tables. Each migration runs once, in its own transaction, under
an advisory lock, so two processes opening a new database at the same time
do not both create the tables. Opening a database whose schema is current
runs no DDL at all, so a role that may only read and write rows can use it.

Version numbers follow the SQLite store's (:mod:`newsweave.store.migrations`):
the same number means the same capability (the tables may differ: SQLite's
version 2 adds a ``compounds`` table for hyphen search, which PostgreSQL has
had in its articles table since version 1), so one number tells a user where
a store of either kind stands. The story tables (versions 3-5) are created
from the same statements as SQLite's (:mod:`newsweave.store.stories_schema`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from newsweave.errors import StoreError
from newsweave.store.stories_schema import POSTGRES_TYPES, STORY_MIGRATIONS, statements

log = logging.getLogger(__name__)

SCHEMA = "newsweave"
# pg_advisory_xact_lock key: "NWVE" as a 32-bit integer, as the SQLite application_id.
LOCK_KEY = 0x4E575645
# A tsvector is limited to 1 MB; past this many characters only the start of a
# text is indexed for search (the whole text is stored). News articles are far shorter.
INDEXED_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: a version number, a short name and its statements."""

    version: int
    name: str
    statements: tuple[str, ...]


def _search_config(unaccent: str | None) -> tuple[str, ...]:
    """A text search configuration like FTS5's unicode61: no stemming, no stop words,
    lower case, accents folded when the ``unaccent`` extension is available (in the
    schema named by ``unaccent``)."""
    out = [f"CREATE TEXT SEARCH CONFIGURATION {SCHEMA}.search (COPY = pg_catalog.simple)"]
    if unaccent:
        out.append(
            f"ALTER TEXT SEARCH CONFIGURATION {SCHEMA}.search ALTER MAPPING FOR "
            "asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword, "
            f'hword_numpart WITH "{unaccent}".unaccent, simple'
        )
    return tuple(out)


_ARTICLES = f"""
CREATE TABLE {SCHEMA}.articles (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    id TEXT NOT NULL,
    title TEXT,
    source TEXT,
    url TEXT,
    published TEXT,
    story TEXT,
    path TEXT,
    format TEXT NOT NULL DEFAULT 'text',
    byline TEXT,
    stance TEXT,
    text TEXT NOT NULL,
    added_at TEXT NOT NULL,
    -- PostgreSQL text cannot hold NUL: NULs are stored as spaces and their
    -- offsets kept here per field, so every article reads back exactly.
    nuls JSONB,
    -- Closed forms of hyphenated words ("ceasefire" for "cease-fire"), for search.
    title_closed TEXT NOT NULL DEFAULT '',
    text_closed TEXT NOT NULL DEFAULT '',
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('{SCHEMA}.search', coalesce(title, '') || ' ' || title_closed), 'A')
        || setweight(to_tsvector('{SCHEMA}.search', left(text, {INDEXED_CHARS}) || ' ' || text_closed), 'B')
    ) STORED
)
"""


def _initial(unaccent: str | None) -> Migration:
    return Migration(
        1,
        "articles, sentences and the full-text index",
        (
            *_search_config(unaccent),
            _ARTICLES,
            f"CREATE INDEX articles_id ON {SCHEMA}.articles (id)",
            f"CREATE INDEX articles_story ON {SCHEMA}.articles (story)",
            f"CREATE INDEX articles_published ON {SCHEMA}.articles (published)",
            f"CREATE INDEX articles_tsv ON {SCHEMA}.articles USING GIN (tsv)",
            f"""
            CREATE TABLE {SCHEMA}.sentences (
                article_hash TEXT NOT NULL REFERENCES {SCHEMA}.articles (hash) ON DELETE CASCADE,
                idx INTEGER NOT NULL,
                start INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                paragraph INTEGER NOT NULL DEFAULT 0,
                boilerplate BOOLEAN NOT NULL DEFAULT false,
                PRIMARY KEY (article_hash, idx),
                CHECK (idx >= 0 AND start >= 0 AND "end" >= start)
            )
            """,
        ),
    )


def migrations(unaccent: str | None = SCHEMA) -> tuple[Migration, ...]:
    """Every migration, in order (the first depends on where, if anywhere, ``unaccent`` is)."""
    return (
        _initial(unaccent),
        Migration(2, "hyphenated words (indexed with the articles since version 1)", ()),
        # The story tables: the SQLite store's statements (run with search_path = newsweave).
        *(Migration(v, name, tuple(statements(v, POSTGRES_TYPES))) for v, name, _ in STORY_MIGRATIONS),
    )


LATEST = migrations()[-1].version

_MIGRATIONS_TABLE = f"""
CREATE TABLE IF NOT EXISTS {SCHEMA}.migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
"""


def applied_versions(conn: Any) -> list[int]:
    """Versions recorded in ``newsweave.migrations``, ascending ([] for a new database)."""
    if conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.migrations",)).fetchone()[0] is None:
        return []
    return [r[0] for r in conn.execute(f"SELECT version FROM {SCHEMA}.migrations ORDER BY version")]


def _check_ours(conn: Any, where: str) -> None:
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s ORDER BY 1", (SCHEMA,)
    ).fetchall()
    names = [r[0] for r in rows]
    if names and "migrations" not in names:
        raise StoreError(
            f"{where} has a schema '{SCHEMA}' that newsweave did not create (tables: {', '.join(names[:5])}); "
            "use another database in --db, or rename that schema"
        )


def _unaccent(conn: Any) -> str | None:
    """Install the trusted ``unaccent`` extension if we may; return its schema (None: unavailable)."""
    try:
        with conn.transaction():
            conn.execute(f"CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA {SCHEMA}")
    except Exception:  # not installed on the server, or no right to create it
        log.warning("PostgreSQL's unaccent extension is unavailable: search will not fold accents")
    row = conn.execute(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'unaccent'"
    ).fetchone()
    return str(row[0]) if row else None


def migrate(conn: Any, where: str = "the database") -> list[int]:
    """Apply every pending migration on an autocommit connection; return the versions applied.

    Raises:
        StoreError: when the database is newer than this code or holds a
            ``newsweave`` schema of someone else's.
        psycopg.errors.InsufficientPrivilege: when the role may not create
            the schema or tables (the caller explains the fix).
    """
    done = applied_versions(conn)
    if done and done[-1] > LATEST:
        raise StoreError(
            f"{where} was written by a newer newsweave (schema {done[-1]}, this one knows {LATEST}); "
            "upgrade newsweave: pip install -U newsweave"
        )
    if done and done[-1] == LATEST:
        return []
    _check_ours(conn, where)
    applied: list[int] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        conn.execute(_MIGRATIONS_TABLE)
    unaccent = _unaccent(conn) if 1 not in done else None
    for m in migrations(unaccent):
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            # Another process may have migrated while we waited for the lock.
            if conn.execute(f"SELECT 1 FROM {SCHEMA}.migrations WHERE version = %s", (m.version,)).fetchone():
                continue
            # Bare table names (the story tables' shared statements) land in newsweave's schema.
            conn.execute(f"SET LOCAL search_path TO {SCHEMA}")
            for statement in m.statements:
                conn.execute(statement)
            conn.execute(f"INSERT INTO {SCHEMA}.migrations (version, name) VALUES (%s, %s)", (m.version, m.name))
        applied.append(m.version)
    return applied
