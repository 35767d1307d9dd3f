"""The story tables' schema (migrations 3-5), written once for both stores.

The SQLite store (:mod:`newsweave.store.migrations`) and the PostgreSQL store
(:mod:`newsweave.store.pg_migrations`) create the same tables from these
statements; only a few column types differ, and they are filled in per
dialect (:data:`SQLITE_TYPES`, :data:`POSTGRES_TYPES`). Table names are bare:
PostgreSQL runs them with ``search_path`` set to newsweave's schema.

>>> statements(3, SQLITE_TYPES)[0].split("(")[0].strip()
'CREATE TABLE stories'
>>> "BYTEA" in " ".join(statements(3, POSTGRES_TYPES))
True
"""

from __future__ import annotations

__all__ = ["POSTGRES_TYPES", "SQLITE_TYPES", "STORY_MIGRATIONS", "script", "statements"]

SQLITE_TYPES = {"blob": "BLOB", "real": "REAL", "seq": "INTEGER"}
POSTGRES_TYPES = {"blob": "BYTEA", "real": "DOUBLE PRECISION", "seq": "BIGINT"}

_STORIES = """
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    title TEXT,
    articles INTEGER NOT NULL DEFAULT 0,
    independent INTEGER NOT NULL DEFAULT 0,
    outlets TEXT NOT NULL DEFAULT '[]',
    first_date TEXT,
    last_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    merged_into TEXT,
    first_seq {seq} NOT NULL DEFAULT 0,
    last_seq {seq} NOT NULL DEFAULT 0,
    briefed_at TEXT,
    briefed_seq {seq},
    state TEXT
);
CREATE INDEX stories_updated ON stories(updated_at);
CREATE INDEX stories_last_seq ON stories(last_seq);
CREATE INDEX stories_last_date ON stories(last_date);

-- One row per placed (or refused) article; story_id NULL with a reason when refused.
CREATE TABLE story_articles (
    article_hash TEXT PRIMARY KEY REFERENCES articles(hash) ON DELETE CASCADE,
    story_id TEXT,
    seq {seq} NOT NULL,
    score {real},
    copy_of TEXT,
    reason TEXT,
    signature {blob},
    assigned_at TEXT NOT NULL
);
CREATE INDEX story_articles_story ON story_articles(story_id);
CREATE INDEX story_articles_seq ON story_articles(seq);

CREATE TABLE story_merges (
    old_id TEXT PRIMARY KEY,
    new_id TEXT NOT NULL,
    article_hash TEXT,
    merged_at TEXT NOT NULL
);

-- The same text stored again under another id or outlet: kept, never re-analysed.
CREATE TABLE article_copies (
    hash TEXT NOT NULL REFERENCES articles(hash) ON DELETE CASCADE,
    id TEXT NOT NULL,
    source TEXT,
    url TEXT,
    title TEXT,
    published TEXT,
    added_at TEXT NOT NULL,
    PRIMARY KEY (hash, id)
);
CREATE INDEX article_copies_id ON article_copies(id);

-- Document frequencies of the story clusterer (terms; entities as 'e:name').
CREATE TABLE story_df (
    term TEXT PRIMARY KEY,
    df INTEGER NOT NULL
);
CREATE TABLE story_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

_ANALYSES = """
CREATE TABLE analyses (
    hash TEXT NOT NULL REFERENCES articles(hash) ON DELETE CASCADE,
    version TEXT NOT NULL,
    ref_date TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (hash, version, ref_date)
);
"""

_FEEDS = """
CREATE TABLE feeds (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    last_polled TEXT,
    last_ok TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    next_poll TEXT,
    last_error TEXT
);
CREATE TABLE feed_items (
    feed_url TEXT NOT NULL,
    item TEXT NOT NULL,
    article_hash TEXT,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (feed_url, item)
);
"""

#: (version, name, script with ``{blob}``/``{real}``/``{seq}`` type fields)
STORY_MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (3, "stories: assignments, merges, republished copies, clusterer state", _STORIES),
    (4, "analysis cache keyed by content hash, analyser version and reference date", _ANALYSES),
    (5, "watched feeds: conditional-GET validators, back-off, entries seen", _FEEDS),
)


def script(version: int, types: dict[str, str]) -> str:
    """The migration's script with the dialect's column types filled in."""
    for v, _, sql in STORY_MIGRATIONS:
        if v == version:
            return sql.format(**types)
    raise KeyError(version)


def statements(version: int, types: dict[str, str]) -> list[str]:
    """The migration's statements, one by one (comment lines dropped; none holds a ``;``)."""
    lines = [ln for ln in script(version, types).splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
