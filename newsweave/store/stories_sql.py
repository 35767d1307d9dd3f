"""The store's story methods, written once for both stores.

Assignments, merges, republished copies, the clusterer's state, the analysis
cache and watched feeds: :class:`StoriesMixin` holds every query, in plain SQL
both SQLite and PostgreSQL speak (``?`` placeholders, bare table names). Each
store mixes it in through a small dialect class that supplies the hooks:

- :meth:`StoriesMixin._reading` / :meth:`StoriesMixin._writing`: a
  :class:`StorySql` session on one connection (a write session is one
  transaction), whose errors become :class:`~newsweave.errors.StoreError`;
- ``_arrival``: the column that numbers articles in arrival order
  (SQLite ``rowid``, PostgreSQL ``seq``); ``_no_limit``: SQL for "no LIMIT";
- ``_art_cols`` / :meth:`StoriesMixin._art`: how an article row is read;
- :meth:`StoriesMixin.placing`: one story placer per store at a time.

:mod:`newsweave.store.sqlite_stories` and :mod:`newsweave.store.pg_stories`
are those two classes. Tables are created by migrations 3-5
(:mod:`newsweave.store.stories_schema`).

Story ids are stable: a story keeps the id it was created with; a story that
merged into another keeps a row with ``merged_into`` set, and every lookup
follows it, so an old id resolves to the story it became.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from newsweave.models import Article, StoryRow

__all__ = ["ART_COLS", "FeedState", "StoriesMixin", "StorySql", "StoryWrite", "article_from_row", "now_iso"]

#: An article row as the story queries read it (``a`` is the articles table).
ART_COLS = "a.hash, a.id, a.title, a.source, a.url, a.published, a.story, a.path, a.format, a.byline, a.stance, a.text"
_ROW_COLS = "id, title, articles, outlets, independent, first_date, last_date, updated_at"


def now_iso() -> str:
    """The current UTC time as an ISO string with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class StorySql(Protocol):
    """One connection's SQL, ``?`` placeholders, in the store's dialect."""

    def one(self, sql: str, args: Sequence[Any] = ()) -> Any:
        """The first row, or None."""
        ...

    def all(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        """Every row."""
        ...

    def run(self, sql: str, args: Sequence[Any] = ()) -> None:
        """Run a statement."""
        ...

    def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run a statement once per row of arguments."""
        ...


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


def article_from_row(r: Sequence[Any]) -> Article:
    """An :class:`Article` from a row of :data:`ART_COLS`."""
    h, i, title, source, url, published, story, path, fmt, byline, stance, text = r[:12]
    return Article(text=text, id=i, hash=h, title=title, source=source, url=url, published=published,
                   story=story, path=path, format=fmt, byline=byline, stance=stance)


class StoriesMixin:
    """Story methods of the store (see the module docstring); the hooks are the dialect's."""

    path: str
    _arrival = "rowid"
    _no_limit = "LIMIT -1"
    _art_cols = ART_COLS

    # --------------------------------------------------------------- hooks
    def _reading(self, doing: str) -> AbstractContextManager[StorySql]:
        """A session for reads; database failures become StoreErrors naming ``doing``."""
        raise NotImplementedError

    def _writing(self, doing: str) -> AbstractContextManager[StorySql]:
        """A session that is one write transaction (all or nothing)."""
        raise NotImplementedError

    def placing(self) -> AbstractContextManager[None]:
        """Hold the store's one-placer lock: two ``add`` processes must not both place the
        same articles from two stale copies of the clusterer's state; the second waits,
        then reads the state the first wrote."""
        raise NotImplementedError

    def _art(self, row: Sequence[Any]) -> Article:
        """An article from a row of ``_art_cols``."""
        return article_from_row(row)

    # --------------------------------------------------------------- reads
    def resolve_story(self, story_id: str) -> str | None:
        """The live id of a story (following merges), or None if no such story."""
        with self._reading("reading a story") as db:
            return _resolve(db, story_id)

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
            sql += f" {self._no_limit} OFFSET ?"
            args.append(int(offset))
        with self._reading("listing stories") as db:
            return [_story_row(r) for r in db.all(sql, args)]

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
        with self._reading("reading a story") as db:
            sid = _resolve(db, story_id)
            row = None if sid is None else db.one(f"SELECT {_ROW_COLS} FROM stories WHERE id = ?", (sid,))
        return _story_row(row) if row else None

    def story_articles(self, story_id: str) -> list[Article]:
        """The stored articles of a story, in arrival order."""
        with self._reading("reading a story's articles") as db:
            sid = _resolve(db, story_id)
            if sid is None:
                return []
            rows = db.all(
                f"SELECT {self._art_cols} FROM story_articles s JOIN articles a ON a.hash = s.article_hash "
                "WHERE s.story_id = ? ORDER BY s.seq",
                (sid,),
            )
        return [self._art(r) for r in rows]

    def added_at(self, article_hash: str) -> str | None:
        """When the store got the article with this content hash."""
        with self._reading("reading an article") as db:
            row = db.one("SELECT added_at FROM articles WHERE hash = ?", (article_hash,))
        return row[0] if row else None

    def story_of(self, article_id: str) -> str | None:
        """The live story of an article (by content hash, its id, or a copy's id), or None."""
        with self._reading("finding an article's story") as db:
            row = db.one("SELECT story_id FROM story_articles WHERE article_hash = ?", (article_id,))
            if row is None:
                row = db.one(
                    "SELECT s.story_id FROM articles a JOIN story_articles s ON s.article_hash = a.hash "
                    f"WHERE a.id = ? ORDER BY a.{self._arrival} LIMIT 1",
                    (article_id,),
                )
            if row is None:
                row = db.one(
                    "SELECT s.story_id FROM article_copies c JOIN story_articles s ON s.article_hash = c.hash "
                    "WHERE c.id = ? LIMIT 1",
                    (article_id,),
                )
            if row is None or row[0] is None:
                return None
            return _resolve(db, row[0])

    def assignments(self) -> dict[str, str]:
        """Every placed article's id (and every copy's id) -> its live story id."""
        out: dict[str, str] = {}
        with self._reading("reading story assignments") as db:
            live = {r[0]: r[1] for r in db.all("SELECT id, merged_into FROM stories")}

            def resolve(sid: str) -> str:
                seen = set()
                while live.get(sid) and sid not in seen:
                    seen.add(sid)
                    sid = live[sid]
                return sid

            rows = db.all(
                "SELECT a.id, s.story_id FROM story_articles s JOIN articles a ON a.hash = s.article_hash "
                "WHERE s.story_id IS NOT NULL ORDER BY s.seq"
            )
            for aid, sid in rows:
                out.setdefault(aid, resolve(sid))
            rows = db.all(
                "SELECT c.id, s.story_id FROM article_copies c JOIN story_articles s ON s.article_hash = c.hash "
                "WHERE s.story_id IS NOT NULL"
            )
            for aid, sid in rows:
                out.setdefault(aid, resolve(sid))
        return out

    def unassigned(self) -> list[tuple[str, str]]:
        """(article id, reason) of stored articles left out of every story."""
        with self._reading("reading story assignments") as db:
            rows = db.all(
                "SELECT a.id, s.reason FROM story_articles s JOIN articles a ON a.hash = s.article_hash "
                "WHERE s.story_id IS NULL ORDER BY s.seq"
            )
        return [(r[0], r[1] or "") for r in rows]

    def has_pending(self) -> bool:
        """True when some stored article is not placed yet (in a story, or left out with a reason)."""
        with self._reading("looking for articles to place") as db:
            return db.one(
                "SELECT 1 FROM articles a LEFT JOIN story_articles s ON s.article_hash = a.hash "
                "WHERE s.article_hash IS NULL LIMIT 1"
            ) is not None

    def pending_articles(self, batch: int = 500, after: int = 0) -> Iterator[list[tuple[int, Article]]]:
        """Stored articles not yet placed, in arrival order, as (arrival number, article) batches
        (those that arrived after arrival number ``after``)."""
        last = after
        while True:
            with self._reading("reading articles to place") as db:
                rows = db.all(
                    f"SELECT a.{self._arrival}, {self._art_cols} FROM articles a LEFT JOIN story_articles s "
                    f"ON s.article_hash = a.hash WHERE s.article_hash IS NULL AND a.{self._arrival} > ? "
                    f"ORDER BY a.{self._arrival} LIMIT ?",
                    (last, batch),
                )
            if not rows:
                return
            last = int(rows[-1][0])
            yield [(int(r[0]), self._art(r[1:])) for r in rows]

    # ------------------------------------------------------ clusterer state
    def story_meta(self, key: str) -> str | None:
        """A clusterer setting the store remembers (``model``), or None."""
        with self._reading("reading the story settings") as db:
            row = db.one("SELECT value FROM story_meta WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    def story_df(self) -> tuple[int, dict[str, int]]:
        """(documents counted, term -> document frequency) of the clusterer."""
        n = int(self.story_meta("df_n") or 0)
        with self._reading("reading the story statistics") as db:
            return n, {r[0]: int(r[1]) for r in db.all("SELECT term, df FROM story_df")}

    def story_clock(self) -> tuple[str | None, int]:
        """(the latest last date of a live story, the last arrival number placed): where
        the clusterer's clock stood when the store was last written."""
        with self._reading("reading the story state") as db:
            newest = db.one("SELECT max(last_date) FROM stories WHERE merged_into IS NULL")[0]
            seq = db.one("SELECT coalesce(max(seq), 0) FROM story_articles")[0]
        return newest, int(seq)

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
        with self._reading("reading the story state") as db:
            return [(r[0], r[1]) for r in db.all(sql, args)]

    def story_signatures(self, limit: int) -> list[tuple[str, str, bytes]]:
        """(article hash, story id, MinHash signature) of the most recent placed articles."""
        with self._reading("reading the story state") as db:
            rows = db.all(
                "SELECT article_hash, story_id, signature FROM story_articles "
                "WHERE signature IS NOT NULL AND story_id IS NOT NULL ORDER BY seq DESC LIMIT ?",
                (limit,),
            )
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
        with self._writing("saving stories") as db:
            db.many(
                "INSERT INTO story_articles (article_hash, story_id, seq, score, copy_of, reason, signature, "
                "assigned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (article_hash) DO UPDATE SET "
                "story_id = excluded.story_id, seq = excluded.seq, score = excluded.score, "
                "copy_of = excluded.copy_of, reason = excluded.reason, signature = excluded.signature",
                [(*p, now) for p in placed],
            )
            db.many(
                "INSERT INTO stories (id, title, articles, independent, outlets, first_date, last_date, "
                "created_at, updated_at, first_seq, last_seq, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET title = excluded.title, articles = excluded.articles, "
                "independent = excluded.independent, outlets = excluded.outlets, "
                "first_date = excluded.first_date, last_date = excluded.last_date, "
                "updated_at = CASE WHEN stories.articles <> excluded.articles THEN excluded.updated_at "
                "ELSE stories.updated_at END, first_seq = excluded.first_seq, "
                "last_seq = excluded.last_seq, state = excluded.state, merged_into = NULL",
                [(w.id, w.title, w.articles, w.independent, json.dumps(list(w.outlets), ensure_ascii=False),
                  w.first_date, w.last_date, now, now, w.first_seq, w.last_seq, w.state) for w in stories],
            )
            for old, new, bridge in merges:
                db.run("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (new, old))
                db.run(
                    "UPDATE stories SET merged_into = ?, articles = 0, state = NULL, updated_at = ? WHERE id = ?",
                    (new, now, old),
                )
                db.run(
                    "INSERT INTO story_merges (old_id, new_id, article_hash, merged_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (old_id) DO UPDATE SET new_id = excluded.new_id",
                    (old, new, bridge, now),
                )
            db.many(
                "INSERT INTO story_df (term, df) VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET df = excluded.df",
                list(df),
            )
            db.many(
                "INSERT INTO story_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                list({"df_n": str(df_n), **(meta or {})}.items()),
            )

    def story_merges(self) -> list[tuple[str, str]]:
        """(old id, new id) of every recorded merge, oldest first."""
        with self._reading("reading story merges") as db:
            return [(r[0], r[1]) for r in db.all("SELECT old_id, new_id FROM story_merges ORDER BY merged_at")]

    # --------------------------------------------------------------- copies
    def record_copies(self, articles: Sequence[Article]) -> int:
        """Remember articles whose text is already stored under another id or outlet.

        Returns how many new copies were recorded (the same id twice is one).
        """
        rows = []
        with self._reading("looking up republished copies") as db:
            for a in articles:
                found = db.one("SELECT id, source FROM articles WHERE hash = ?", (a.hash,))
                if found is None or (found[0] == a.id and (found[1] or None) == (a.source or None)):
                    continue
                rows.append((a.hash, a.id, a.source, a.url, a.title, a.published, now_iso()))
        if not rows:
            return 0
        with self._writing("recording republished copies") as db:
            before = db.one("SELECT count(*) FROM article_copies")[0]
            db.many(
                "INSERT INTO article_copies (hash, id, source, url, title, published, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash, id) DO NOTHING",
                rows,
            )
            return int(db.one("SELECT count(*) FROM article_copies")[0] - before)

    def copies_of(self, article_hash: str) -> list[tuple[str, str | None, str | None]]:
        """(id, outlet, url) of the recorded republications of a stored text."""
        with self._reading("reading republished copies") as db:
            rows = db.all("SELECT id, source, url FROM article_copies WHERE hash = ? ORDER BY added_at",
                          (article_hash,))
        return [(r[0], r[1], r[2]) for r in rows]

    # -------------------------------------------------------- briefing marks
    def mark_briefed(self, story_id: str, when: str | None = None) -> None:
        """Record that a story was briefed now, and which articles it then held (``--since last``)."""
        sid = self.resolve_story(story_id) or story_id
        with self._writing("recording the briefing time") as db:
            seq = db.one("SELECT max(seq) FROM story_articles WHERE story_id = ?", (sid,))[0]
            db.run("UPDATE stories SET briefed_at = ?, briefed_seq = ? WHERE id = ?", (when or now_iso(), seq, sid))

    def briefed_at(self, story_id: str) -> str | None:
        """When a story was last briefed, or None."""
        with self._reading("reading a story") as db:
            sid = _resolve(db, story_id) or story_id
            row = db.one("SELECT briefed_at FROM stories WHERE id = ?", (sid,))
        return row[0] if row else None

    def story_arrivals(self, story_id: str) -> tuple[dict[str, int], int | None]:
        """(content hash -> arrival number) of a story's articles, and the last arrival
        number it held when last briefed (None if never briefed)."""
        with self._reading("reading a story") as db:
            sid = _resolve(db, story_id) or story_id
            seqs = {r[0]: int(r[1]) for r in db.all(
                "SELECT article_hash, seq FROM story_articles WHERE story_id = ?", (sid,))}
            row = db.one("SELECT briefed_seq FROM stories WHERE id = ?", (sid,))
        return seqs, (int(row[0]) if row and row[0] is not None else None)

    # ------------------------------------------------------- analysis cache
    def cached_analyses(self, keys: Sequence[tuple[str, str]], version: str) -> dict[tuple[str, str], str]:
        """(content hash, reference date or '') -> stored analysis JSON, for this analyser version."""
        out: dict[tuple[str, str], str] = {}
        with self._reading("reading cached analyses") as db:
            for h, ref in keys:
                row = db.one("SELECT data FROM analyses WHERE hash = ? AND version = ? AND ref_date = ?",
                             (h, version, ref))
                if row is not None:
                    out[(h, ref)] = row[0]
        return out

    def analyses_of(self, article_hash: str) -> list[tuple[str, str, str]]:
        """(reference date or '', analyser version, analysis JSON) cached for a stored text, newest first."""
        with self._reading("reading cached analyses") as db:
            rows = db.all("SELECT ref_date, version, data FROM analyses WHERE hash = ? "
                          "ORDER BY created_at DESC, ref_date", (article_hash,))
        return [(r[0], r[1], r[2]) for r in rows]

    def save_analyses(self, rows: Sequence[tuple[str, str, str]], version: str) -> None:
        """Store (content hash, reference date or '', analysis JSON) for this analyser
        version, dropping what older versions stored for the same articles."""
        if not rows:
            return
        now = now_iso()
        with self._writing("caching analyses") as db:
            db.many("DELETE FROM analyses WHERE hash = ? AND version <> ?", [(h, version) for h, _, _ in rows])
            db.many(
                "INSERT INTO analyses (hash, version, ref_date, data, created_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (hash, version, ref_date) DO UPDATE SET data = excluded.data",
                [(h, version, ref, d, now) for h, ref, d in rows],
            )

    # ---------------------------------------------------------------- feeds
    def feed_state(self, url: str) -> FeedState:
        """What the store remembers of a feed (a fresh state when never polled)."""
        with self._reading("reading feed state") as db:
            row = db.one(
                "SELECT url, etag, last_modified, last_polled, last_ok, failures, next_poll, last_error "
                "FROM feeds WHERE url = ?",
                (url,),
            )
        return FeedState(*row) if row else FeedState(url)

    def save_feed_state(self, st: FeedState) -> None:
        """Remember a feed's validators, back-off and last error."""
        with self._writing("saving feed state") as db:
            db.run(
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
        with self._reading("reading feed entries") as db:
            for i in range(0, len(items), 500):
                chunk = list(items[i : i + 500])
                q = f"SELECT item FROM feed_items WHERE feed_url = ? AND item IN ({', '.join('?' * len(chunk))})"
                seen.update(r[0] for r in db.all(q, [feed_url, *chunk]))
        return seen

    def mark_items(self, feed_url: str, items: Sequence[tuple[str, str | None]]) -> None:
        """Remember (entry key, stored article hash or None) as handled."""
        now = now_iso()
        with self._writing("saving feed entries") as db:
            db.many(
                "INSERT INTO feed_items (feed_url, item, article_hash, seen_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (feed_url, item) DO NOTHING",
                [(feed_url, k, h, now) for k, h in items],
            )


def _resolve(db: StorySql, story_id: str) -> str | None:
    """The live id of a story, following merges (None: no such story)."""
    seen = set()
    sid: str | None = story_id
    while sid is not None and sid not in seen:
        seen.add(sid)
        row = db.one("SELECT merged_into FROM stories WHERE id = ?", (sid,))
        if row is None:
            return None
        if row[0] is None:
            return sid
        sid = row[0]
    return sid
