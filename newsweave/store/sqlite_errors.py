"""SQLite errors -> :class:`StoreError` messages that say what happened and the fix.

Kept apart from the store's queries so the messages are written once; the
PostgreSQL store translates its own errors into the same kinds of message.
"""

from __future__ import annotations

import sqlite3

from newsweave.errors import StoreError

__all__ = ["locked", "query_error", "translate_error"]


def locked(exc: sqlite3.Error) -> bool:
    """True for "database is locked" and "busy": another process holds the write lock."""
    msg = str(exc).lower()
    return "locked" in msg or "busy" in msg


_DAMAGED = ("malformed", "not a database", "file is encrypted", "corrupt", "database disk image")


def translate_error(exc: sqlite3.Error, path: str, doing: str) -> StoreError:
    """One SQLite error -> a StoreError that says what happened and the fix.

    Damage is recognised before disk space: "database disk image is malformed"
    mentions a disk but has nothing to do with free space.

    >>> str(translate_error(sqlite3.DatabaseError("database disk image is malformed"), "n.db", "searching"))[:46]
    'the database n.db is damaged (database disk im'
    """
    msg = str(exc).lower()
    if locked(exc):
        return StoreError(
            f"the database {path} is locked by another process while {doing}; "
            "wait for the other 'newsweave' command to finish and retry, or use another --db"
        )
    if "no such module: fts5" in msg:
        return StoreError(
            "this Python's SQLite was built without FTS5 full-text search; use a Python from "
            "python.org, conda or a recent Linux distribution"
        )
    if any(d in msg for d in _DAMAGED):
        return StoreError(
            f"the database {path} is damaged ({exc}) while {doing}; restore it from a backup, or start a "
            f"new one with --db NEW.db and add the articles again (sqlite3 {path} .recover may save "
            "what is left)"
        )
    if "readonly" in msg or "read-only" in msg:
        return StoreError(f"{path} is read-only ({exc}); check its permissions or use another --db")
    if "database or disk is full" in msg or isinstance(exc, sqlite3.OperationalError) and msg == "disk full":
        return StoreError(f"{path}: {exc} while {doing}; free some disk space and retry")
    if "disk i/o error" in msg:
        return StoreError(
            f"{path}: {exc} while {doing}; the disk or file system failed (full, removed or failing); "
            "check it and retry"
        )
    return StoreError(f"{path}: {exc} while {doing}; if the file is damaged, use another --db")


def query_error(exc: sqlite3.OperationalError) -> bool:
    """True when FTS5 refused the query's syntax (not when the database failed)."""
    msg = str(exc).lower()
    return msg.startswith(("fts5: syntax error", "no such column", "unknown special query", "fts5:")) and "module" not in msg
