"""The store's story tables: assignments, merges, copies, clusterer state, analyses, feeds.

Mixed into :class:`newsweave.store.sqlite.Store`; everything here needs only
``self.conn`` (a DB-API connection in autocommit mode) and plain SQL that
PostgreSQL also speaks (``?`` placeholders aside, which the twin rewrites),
so the PostgreSQL store can take the same mixin. Tables are created by
migrations 3-5 (:mod:`newsweave.store.migrations`).

Story ids are stable: a story keeps the id it was created with; a story that
merged into another keeps a row with ``merged_into`` set, and every lookup
follows it, so an old id resolves to the story it became.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newsweave.errors import StoreError
from newsweave.models import Article, StoryRow

__all__ = ["FeedState", "StoriesMixin", "StoryWrite", "now_iso"]

_ART_COLS = "a.hash, a.id, a.title, a.source, a.url, a.published, a.story, a.path, a.format, a.byline, a.stance, a.text"
_ROW_COLS = "id, title, articles, outlets, independent, first_date, last_date, updated_at"


def now_iso() -> str:
    """The current UTC time as an ISO string with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class StoryWrite:
    """One story's new summary and clusterer state, as written after a batch."""

    id: str
    title: str | None
    articles: int
    independent: int
    outlets: tuple[str, ...]
    first_date: str | None
    last_date: str | None
    first_seq: int
    last_seq: int
    state: str  # the clusterer's compact JSON


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the store remembers of a watched feed."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_polled: str | None = None
    last_ok: str | None = None
    failures: int = 0
    next_poll: str | None = None
    last_error: str | None = None


def _story_row(r: Sequence[Any]) -> StoryRow:
    return StoryRow(
        id=r[0], title=r[1], articles=int(r[2]), outlets=tuple(json.loads(r[3] or "[]")),
        independent=int(r[4]), first_date=r[5], last_date=r[6], updated_at=r[7],
    )  # fmt: skip


def _article(r: Sequence[Any]) -> Article:
    h, i, title, source, url, published, story, path, fmt, byline, stance, text = r
    return Article(text=text, id=i, hash=h, title=title, source=source, url=url, published=published,
                   story=story, path=path, format=fmt, byline=byline, stance=stance)


class StoriesMixin:
    """Story methods of the store (see the module docstring)."""

    conn: Any
    path: str

    # ------------------------------------------------------------ plumbing
    @contextmanager
    def _story_tx(self, doing: str) -> Iterator[Any]:
        """One write transaction; a database failure becomes a :class:`StoreError`."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            msg = str(exc).lower()
            hint = ("wait for the other 'newsweave' command to finish and retry"
                    if "locked" in msg or "busy" in msg else "if the file is damaged, use another --db")
            raise StoreError(f"{self.path}: {exc} while {doing}; {hint}") from None

    # --------------------------------------------------------------- reads
    def resolve_story(self, story_id: str) -> str | None:
        """The live id of a story (following merges), or None if no such story."""
        seen = set()
        sid: str | None = story_id
        while sid is not None and sid not in seen:
            seen.add(sid)
            row = self.conn.execute("SELECT merged_into FROM stories WHERE id = ?", (sid,)).fetchone()
            if row is None:
                return None
            if row[0] is None:
                return sid
            sid = row[0]
        return sid

    def stories(
        self,
        *,
        since: str | None = None,
        query: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[StoryRow]:
        """Live stories, most recently updated first.

        Args:
            since: only stories updated (grown) at or after this ISO date/time.
            query: only stories holding an article that matches this full-text query.
            limit: at most this many; offset: skip this many first (paging).
        """
        sql = f"SELECT {_ROW_COLS} FROM stories WHERE merged_into IS NULL AND articles > 0"
        args: list[Any] = []
        if since:
            sql += " AND updated_at >= ?"
            args.append(since)
        if query:
            ids = self._stories_matching(query)
            if not ids:
                return []
            sql += f" AND id IN ({', '.join('?' * len(ids))})"
            args.extend(ids)
        sql += " ORDER BY updated_at DESC, last_seq DESC, id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [int(limit), int(offset)]
        elif offset:
            sql += " LIMIT -1 OFFSET ?"
            args.append(int(offset))
        return [_story_row(r) for r in self.conn.execute(sql, args)]

    def _stories_matching(self, query: str) -> list[str]:
        hits = self.search(query, limit=1000)  # type: ignore[attr-defined]
        ids: list[str] = []
        for h in hits:
            sid = self.story_of(h.article_id)
            if sid and sid not in ids:
                ids.append(sid)
        return ids

    def story(self, story_id: str) -> StoryRow | None:
        """One story by id; an old id that merged resolves to the story it became."""
        sid = self.resolve_story(story_id)
        if sid is None:
            return None
        row = self.conn.execute(f"SELECT {_ROW_COLS} FROM stories WHERE id = ?", (sid,)).fetchone()
        return _story_row(row) if row else None

    def story_articles(self, story_id: str) -> list[Article]:
        """The stored articles of a story, oldest first (publication date, then arrival)."""
        sid = self.resolve_story(story_id)
        if sid is None:
            return []
        rows = self.conn.execute(
            f"SELECT {_ART_COLS} FROM story_articles s JOIN articles a ON a.hash = s.article_hash "
            "WHERE s.story_id = ? ORDER BY s.seq",
            (sid,),
        ).fetchall()
        return [_article(r) for r in rows]

    def added_at(self, article_hash: str) -> str | None:
        """When the store got the article with this content hash."""
        row = self.conn.execute("SELECT added_at FROM articles WHERE hash = ?", (article_hash,)).fetchone()
        return row[0] if row else None

    def story_of(self, article_id: str) -> str | None:
        """The live story of an article (by content hash, its id, or a copy's id), or None."""
        row = self.conn.execute("SELECT story_id FROM story_articles WHERE article_hash = ?", (article_id,)).fetchone()
        if row is None:
            row = self.conn.execute(
                "SELECT s.story_id FROM articles a JOIN story_articles s ON s.article_hash = a.hash "
                "WHERE a.id = ? ORDER BY a.rowid LIMIT 1",
                (article_id,),
            ).fetchone()
        if row is None:
            row = self.conn.execute(
                "SELECT s.story_id FROM article_copies c JOIN story_articles s ON s.article_hash = c.hash "
                "WHERE c.id = ? LIMIT 1",
                (article_id,),
            ).fetchone()
        if row is None or row[0] is None:
            return None
        return self.resolve_story(row[0])

    def assignments(self) -> dict[str, str]:
        """Every placed article's id (and every copy's id) -> its live story id."""
        live = {r[0]: r[1] for r in self.conn.execute("SELECT id, merged_into FROM stories")}

        def resolve(sid: str) -> str:
            seen = set()
            while live.get(sid) and sid not in seen:
                seen.add(sid)
                sid = live[sid]
            return sid

        out: dict[str, str] = {}
        rows = self.conn.execute(
            "SELECT a.id, s.story_id FROM story_articles s JOIN articles a ON a.hash = s.article_hash "
            "WHERE s.story_id IS NOT NULL ORDER BY s.seq"
        )
        for aid, sid in rows:
            out.setdefault(aid, resolve(sid))
        rows = self.conn.execute(
            "SELECT c.id, s.story_id FROM article_copies c JOIN story_articles s ON s.article_hash = c.hash "
            "WHERE s.story_id IS NOT NULL"
        )
        for aid, sid in rows:
            out.setdefault(aid, resolve(sid))
        return out

    def unassigned(self) -> list[tuple[str, str]]:
        """(article id, reason) of stored articles left out of every story."""
        rows = self.conn.execute(
            "SELECT a.id, s.reason FROM story_articles s JOIN articles a ON a.hash = s.article_hash "
            "WHERE s.story_id IS NULL ORDER BY s.seq"
        )
        return [(r[0], r[1] or "") for r in rows]

    def pending_articles(self, batch: int = 500) -> Iterator[list[tuple[int, Article]]]:
        """Stored articles not yet placed, in arrival order, as (arrival number, article) batches."""
        last = 0
        while True:
            rows = self.conn.execute(
                f"SELECT a.rowid, {_ART_COLS} FROM articles a LEFT JOIN story_articles s "
                "ON s.article_hash = a.hash WHERE s.article_hash IS NULL AND a.rowid > ? "
                "ORDER BY a.rowid LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [(int(r[0]), _article(r[1:])) for r in rows]

    # ------------------------------------------------------ clusterer state
    def story_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM story_meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def story_df(self) -> tuple[int, dict[str, int]]:
        """(documents counted, term -> document frequency) of the clusterer."""
        n = int(self.story_meta("df_n") or 0)
        return n, {r[0]: int(r[1]) for r in self.conn.execute("SELECT term, df FROM story_df")}

    def story_states(self, *, min_last_date: str | None, max_active: int) -> list[tuple[str, str]]:
        """(id, state JSON) of live stories worth keeping in memory: the ``max_active``
        most recently grown, less those whose last date is before ``min_last_date``."""
        sql = "SELECT id, state FROM stories WHERE merged_into IS NULL AND state IS NOT NULL"
        args: list[Any] = []
        if min_last_date:
            sql += " AND (last_date IS NULL OR last_date >= ?)"
            args.append(min_last_date)
        sql += " ORDER BY last_seq DESC LIMIT ?"
        args.append(max_active)
        return [(r[0], r[1]) for r in self.conn.execute(sql, args)]

    def story_signatures(self, limit: int) -> list[tuple[str, str, bytes]]:
        """(article hash, story id, MinHash signature) of the most recent placed articles."""
        rows = self.conn.execute(
            "SELECT article_hash, story_id, signature FROM story_articles "
            "WHERE signature IS NOT NULL AND story_id IS NOT NULL ORDER BY seq DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [(r[0], r[1], bytes(r[2])) for r in reversed(rows)]

    def save_story_batch(
        self,
        placed: Iterable[tuple[str, str | None, int, float | None, str | None, str | None, bytes | None]],
        stories: Iterable[StoryWrite],
        merges: Iterable[tuple[str, str, str | None]],
        df_n: int,
        df: Iterable[tuple[str, int]],
        meta: dict[str, str] | None = None,
    ) -> None:
        """Write one batch of the clusterer's work atomically.

        Args:
            placed: (article hash, story id or None, arrival number, score, copy of, reason, signature).
            stories: the stories that changed.
            merges: (old id, new id, bridge article hash).
            df_n, df: documents counted and the changed document frequencies.
            meta: other clusterer settings to remember (model name).
        """
        now = now_iso()
        with self._story_tx("saving stories") as c:
            c.executemany(
                "INSERT INTO story_articles (article_hash, story_id, seq, score, copy_of, reason, signature, "
                "assigned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (article_hash) DO UPDATE SET "
                "story_id = excluded.story_id, seq = excluded.seq, score = excluded.score, "
                "copy_of = excluded.copy_of, reason = excluded.reason, signature = excluded.signature",
                [(*p, now) for p in placed],
            )
            for w in stories:
                c.execute(
                    "INSERT INTO stories (id, title, articles, independent, outlets, first_date, last_date, "
                    "created_at, updated_at, first_seq, last_seq, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET title = excluded.title, articles = excluded.articles, "
                    "independent = excluded.independent, outlets = excluded.outlets, "
                    "first_date = excluded.first_date, last_date = excluded.last_date, "
                    "updated_at = CASE WHEN stories.articles <> excluded.articles THEN excluded.updated_at "
                    "ELSE stories.updated_at END, first_seq = excluded.first_seq, "
                    "last_seq = excluded.last_seq, state = excluded.state, merged_into = NULL",
                    (w.id, w.title, w.articles, w.independent, json.dumps(list(w.outlets), ensure_ascii=False),
                     w.first_date, w.last_date, now, now, w.first_seq, w.last_seq, w.state),
                )
            for old, new, bridge in merges:
                c.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (new, old))
                c.execute(
                    "UPDATE stories SET merged_into = ?, articles = 0, state = NULL, updated_at = ? WHERE id = ?",
                    (new, now, old),
                )
                c.execute(
                    "INSERT INTO story_merges (old_id, new_id, article_hash, merged_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (old_id) DO UPDATE SET new_id = excluded.new_id",
                    (old, new, bridge, now),
                )
            c.executemany(
                "INSERT INTO story_df (term, df) VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET df = excluded.df",
                list(df),
            )
            for k, v in {"df_n": str(df_n), **(meta or {})}.items():
                c.execute(
                    "INSERT INTO story_meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (k, v),
                )

    def story_merges(self) -> list[tuple[str, str]]:
        """(old id, new id) of every recorded merge, oldest first."""
        return [(r[0], r[1]) for r in self.conn.execute("SELECT old_id, new_id FROM story_merges ORDER BY merged_at")]

    # --------------------------------------------------------------- copies
    def record_copies(self, articles: Sequence[Article]) -> int:
        """Remember articles whose text is already stored under another id or outlet.

        Returns how many new copies were recorded (the same id twice is one).
        """
        rows = []
        for a in articles:
            found = self.conn.execute("SELECT id, source FROM articles WHERE hash = ?", (a.hash,)).fetchone()
            if found is None or (found[0] == a.id and (found[1] or None) == (a.source or None)):
                continue
            rows.append((a.hash, a.id, a.source, a.url, a.title, a.published, now_iso()))
        if not rows:
            return 0
        with self._story_tx("recording republished copies") as c:
            before = c.execute("SELECT count(*) FROM article_copies").fetchone()[0]
            c.executemany(
                "INSERT INTO article_copies (hash, id, source, url, title, published, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash, id) DO NOTHING",
                rows,
            )
            return int(c.execute("SELECT count(*) FROM article_copies").fetchone()[0] - before)

    def copies_of(self, article_hash: str) -> list[tuple[str, str | None, str | None]]:
        """(id, outlet, url) of the recorded republications of a stored text."""
        rows = self.conn.execute("SELECT id, source, url FROM article_copies WHERE hash = ? ORDER BY added_at",
                                 (article_hash,))
        return [(r[0], r[1], r[2]) for r in rows]

    # -------------------------------------------------------- briefing marks
    def mark_briefed(self, story_id: str, when: str | None = None) -> None:
        """Record that a story was briefed now, and which articles it then held (``--since last``)."""
        sid = self.resolve_story(story_id) or story_id
        with self._story_tx("recording the briefing time") as c:
            seq = c.execute("SELECT max(seq) FROM story_articles WHERE story_id = ?", (sid,)).fetchone()[0]
            c.execute("UPDATE stories SET briefed_at = ?, briefed_seq = ? WHERE id = ?", (when or now_iso(), seq, sid))

    def briefed_at(self, story_id: str) -> str | None:
        """When a story was last briefed, or None."""
        sid = self.resolve_story(story_id) or story_id
        row = self.conn.execute("SELECT briefed_at FROM stories WHERE id = ?", (sid,)).fetchone()
        return row[0] if row else None

    def story_arrivals(self, story_id: str) -> tuple[dict[str, int], int | None]:
        """(content hash -> arrival number) of a story's articles, and the last arrival
        number it held when last briefed (None if never briefed)."""
        sid = self.resolve_story(story_id) or story_id
        seqs = {r[0]: int(r[1]) for r in self.conn.execute(
            "SELECT article_hash, seq FROM story_articles WHERE story_id = ?", (sid,))}
        row = self.conn.execute("SELECT briefed_seq FROM stories WHERE id = ?", (sid,)).fetchone()
        return seqs, (int(row[0]) if row and row[0] is not None else None)

    # ------------------------------------------------------- analysis cache
    def cached_analyses(self, keys: Sequence[tuple[str, str]], version: str) -> dict[tuple[str, str], str]:
        """(content hash, reference date or '') -> stored analysis JSON, for this analyser version."""
        out: dict[tuple[str, str], str] = {}
        for h, ref in keys:
            row = self.conn.execute(
                "SELECT data FROM analyses WHERE hash = ? AND version = ? AND ref_date = ?", (h, version, ref)
            ).fetchone()
            if row is not None:
                out[(h, ref)] = row[0]
        return out

    def save_analyses(self, rows: Sequence[tuple[str, str, str]], version: str) -> None:
        """Store (content hash, reference date or '', analysis JSON) for this analyser
        version, dropping what older versions stored for the same articles."""
        if not rows:
            return
        now = now_iso()
        with self._story_tx("caching analyses") as c:
            c.executemany("DELETE FROM analyses WHERE hash = ? AND version <> ?", [(h, version) for h, _, _ in rows])
            c.executemany(
                "INSERT INTO analyses (hash, version, ref_date, data, created_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (hash, version, ref_date) DO UPDATE SET data = excluded.data",
                [(h, version, ref, d, now) for h, ref, d in rows],
            )

    # ---------------------------------------------------------------- feeds
    def feed_state(self, url: str) -> FeedState:
        """What the store remembers of a feed (a fresh state when never polled)."""
        row = self.conn.execute(
            "SELECT url, etag, last_modified, last_polled, last_ok, failures, next_poll, last_error "
            "FROM feeds WHERE url = ?",
            (url,),
        ).fetchone()
        return FeedState(*row) if row else FeedState(url)

    def save_feed_state(self, st: FeedState) -> None:
        with self._story_tx("saving feed state") as c:
            c.execute(
                "INSERT INTO feeds (url, etag, last_modified, last_polled, last_ok, failures, next_poll, "
                "last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                "etag = excluded.etag, last_modified = excluded.last_modified, "
                "last_polled = excluded.last_polled, last_ok = excluded.last_ok, failures = excluded.failures, "
                "next_poll = excluded.next_poll, last_error = excluded.last_error",
                (st.url, st.etag, st.last_modified, st.last_polled, st.last_ok, st.failures, st.next_poll,
                 st.last_error),
            )

    def seen_items(self, feed_url: str, items: Sequence[str]) -> set[str]:
        """Which of a feed's entry keys were handled before."""
        seen: set[str] = set()
        for i in range(0, len(items), 500):
            chunk = list(items[i : i + 500])
            q = f"SELECT item FROM feed_items WHERE feed_url = ? AND item IN ({', '.join('?' * len(chunk))})"
            seen.update(r[0] for r in self.conn.execute(q, [feed_url, *chunk]))
        return seen

    def mark_items(self, feed_url: str, items: Sequence[tuple[str, str | None]]) -> None:
        """Remember (entry key, stored article hash or None) as handled."""
        now = now_iso()
        with self._story_tx("saving feed entries") as c:
            c.executemany(
                "INSERT INTO feed_items (feed_url, item, article_hash, seen_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (feed_url, item) DO NOTHING",
                [(feed_url, k, h, now) for k, h in items],
            )
