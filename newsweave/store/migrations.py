"""Numbered schema migrations for the SQLite store, recorded in ``migrations``.

Each migration runs once, inside its own transaction, and is recorded with the
time it was applied, so opening an older database upgrades it in place and
opening a current one costs one small query. A database whose newest recorded
migration is beyond what this code knows was written by a newer newsweave and
is refused rather than guessed at.

The database is marked as ours with ``PRAGMA application_id`` so that pointing
``--db`` at some other SQLite file gives a clear error instead of new tables
appearing in someone else's database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from newsweave.errors import StoreError
from newsweave.store.stories_schema import SQLITE_TYPES, STORY_MIGRATIONS, script

# "NWVE" as a 32-bit big-endian integer; shows up in `file news.db` output.
APPLICATION_ID = 0x4E575645


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: a version number, a short name, its SQL script and,
    when existing rows need work SQL cannot do, a ``fill`` function run in the
    same transaction after the script."""

    version: int
    name: str
    sql: str
    fill: Callable[[sqlite3.Connection], None] | None = None


def _fill_compounds(conn: sqlite3.Connection) -> None:
    """Record the hyphenated words of the articles already stored (migration 2)."""
    from newsweave.store.query import compounds

    rows = conn.execute("SELECT title, text FROM articles")
    while batch := rows.fetchmany(500):
        found = set()
        for title, text in batch:
            found |= compounds(f"{title or ''}\n{text}")
        conn.executemany("INSERT OR IGNORE INTO compounds (joined, parts) VALUES (?, ?)", sorted(found))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "articles, sentences and the FTS5 index",
        """
        CREATE TABLE articles (
            rowid INTEGER PRIMARY KEY,
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
            added_at TEXT NOT NULL
        );
        CREATE INDEX articles_id ON articles(id);
        CREATE INDEX articles_story ON articles(story);
        CREATE INDEX articles_published ON articles(published);

        -- Sentences keep offsets only; their text is article.text[start:end].
        CREATE TABLE sentences (
            article_hash TEXT NOT NULL REFERENCES articles(hash) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            paragraph INTEGER NOT NULL DEFAULT 0,
            boilerplate INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (article_hash, idx),
            CHECK (idx >= 0 AND start >= 0 AND "end" >= start)
        ) WITHOUT ROWID;

        -- External-content FTS5 over title + text, kept in sync by triggers so no
        -- code path can write an article without its index row.
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text,
            content='articles', content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
                VALUES ('delete', old.rowid, old.title, old.text);
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
                VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        """,
    ),
    Migration(
        2,
        "hyphenated words, so that 'ceasefire' and 'cease-fire' find each other",
        """
        -- "cease-fire" is indexed as "cease" "fire"; a search for "ceasefire" is
        -- widened to the phrase "cease fire" when some article wrote it that way.
        CREATE TABLE compounds (
            joined TEXT NOT NULL,
            parts TEXT NOT NULL,
            PRIMARY KEY (joined, parts)
        ) WITHOUT ROWID;
        """,
        _fill_compounds,
    ),
    *(Migration(version, name, script(version, SQLITE_TYPES)) for version, name, _ in STORY_MIGRATIONS),
)

LATEST = MIGRATIONS[-1].version

_MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""


def _user_tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return {r[0] for r in rows}


def check_ours(conn: sqlite3.Connection, where: str) -> None:
    """Refuse a database that holds tables but is not a newsweave database.

    Raises:
        StoreError: naming the file and telling the user to pick another path.
    """
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = _user_tables(conn)
    if app_id == APPLICATION_ID or not tables:
        return
    if app_id == 0 and "migrations" in tables and "articles" in tables:
        return  # written before the marker was set; adopt it
    listed = ", ".join(sorted(tables)[:5])
    raise StoreError(
        f"{where} is an SQLite database but not a newsweave database (it has tables: {listed}); "
        "pass another path with --db or NEWSWEAVE_DB"
    )


def applied_versions(conn: sqlite3.Connection) -> list[int]:
    """Versions recorded in the ``migrations`` table, ascending."""
    if "migrations" not in _user_tables(conn):
        return []
    return [r[0] for r in conn.execute("SELECT version FROM migrations ORDER BY version")]


def migrate(conn: sqlite3.Connection, where: str = "the database") -> list[int]:
    """Apply every pending migration; return the versions applied now.

    The connection must be in autocommit mode (``isolation_level=None``):
    each migration gets its own ``BEGIN IMMEDIATE ... COMMIT``.

    Raises:
        StoreError: when the database is newer than this code, or a step fails.

    >>> conn = sqlite3.connect(":memory:", isolation_level=None)
    >>> migrate(conn)
    [1, 2, 3, 4, 5]
    >>> migrate(conn)
    []
    """
    check_ours(conn, where)
    done = applied_versions(conn)
    if done and done[-1] > LATEST:
        raise StoreError(
            f"{where} was written by a newer newsweave (schema {done[-1]}, this one knows {LATEST}); "
            "upgrade newsweave: pip install -U newsweave"
        )
    applied: list[int] = []
    for m in MIGRATIONS:
        if m.version in done:
            continue
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(_MIGRATIONS_TABLE)
            # Another process may have migrated while we waited for the lock.
            if conn.execute("SELECT 1 FROM migrations WHERE version = ?", (m.version,)).fetchone():
                conn.execute("COMMIT")
                continue
            for statement in _split_script(m.sql):
                conn.execute(statement)
            if m.fill is not None:
                m.fill(conn)
            conn.execute(
                "INSERT INTO migrations(version, name, applied_at) VALUES (?, ?, ?)",
                (m.version, m.name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {m.version}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if "fts5" in str(exc).lower():
                raise StoreError(
                    "this Python's SQLite was built without FTS5 full-text search; use a Python "
                    "from python.org, conda or a recent Linux distribution (SQLite >= 3.9 with FTS5)"
                ) from None
            raise StoreError(f"{where}: migration {m.version} ({m.name}) failed: {exc}") from exc
        applied.append(m.version)
    return applied


def _split_script(sql: str) -> list[str]:
    """Split a migration script into statements (triggers contain ``;``)."""
    out: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
