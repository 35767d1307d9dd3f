"""The shared article store: PostgreSQL through psycopg 3 and a connection pool.

Same protocol and behaviour as the SQLite store (:class:`~newsweave.store.base.ArticleStore`):
articles keyed by content hash (adding one twice is a no-op), each written
atomically with its sentences and search index entry, ranked full-text search
(``tsvector`` + GIN, ``ts_rank`` with titles weighted over text, ``ts_headline``
snippets) that takes the same query syntax as the SQLite store.

A team points every command at one server: ``--db postgresql://user@host:5432/news``
(or ``NEWSWEAVE_DB``). The pool hands connections to threads (the web app) and
replaces connections a restarted server broke. When the server goes away in
the middle of ``add``, the batches already committed stay, the error names the
URL (password masked), and running the same command again resumes: stored
articles are skipped.

Needs the ``postgres`` extra: ``pip install 'newsweave[postgres]'``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from newsweave.errors import BadInput, MissingExtra, StoreError, StoreNotFound
from newsweave.models import Analysis, Article, Sentence
from newsweave.store.base import AddResult, Hit, Splitter, mask_url
from newsweave.store.pg_migrations import SCHEMA, applied_versions, migrate
from newsweave.store.pg_stories import PostgresStories
from newsweave.store.stories_sql import ART_COLS
from newsweave.store.tsquery import QuerySyntaxError, closed_forms, plain_tsquery_text, to_tsquery_text

__all__ = ["PostgresStore"]

log = logging.getLogger(__name__)

_FIELDS = ("hash", "id", "title", "source", "url", "published", "story", "path", "format", "byline",
           "stance", "text")  # fmt: skip
_NUL_FIELDS = _FIELDS[1:]
_SELECT = f"SELECT {', '.join(_FIELDS)}, nuls FROM {SCHEMA}.articles"
_INSERT = (
    f"INSERT INTO {SCHEMA}.articles ({', '.join(_FIELDS)}, added_at, nuls, title_closed, text_closed) "
    f"VALUES ({', '.join(['%s'] * (len(_FIELDS) + 4))}) ON CONFLICT (hash) DO NOTHING RETURNING hash"
)
_COPY_SENTENCES = f'COPY {SCHEMA}.sentences (article_hash, idx, start, "end", paragraph, boilerplate) FROM STDIN'


def _psycopg() -> Any:
    try:
        import psycopg
        import psycopg_pool  # noqa: F401
    except ImportError:
        raise MissingExtra("postgres", "a postgresql:// database") from None
    return psycopg


def _where(url: str) -> tuple[str, str, str]:
    """(host:port, database, user) of a URL, for messages."""
    parts = urlsplit(url)
    host = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
    return host, (parts.path or "/").lstrip("/") or (parts.username or "(default)"), parts.username or "(default)"


def connect_message(url: str, exc: Exception) -> str:
    """What went wrong connecting to ``url``, and the fix, in one line (password masked)."""
    masked = mask_url(url)
    host, db, user = _where(url)
    msg = " ".join(str(exc).split())
    low = msg.lower()
    if "connection refused" in low or "no such file or directory" in low:
        return (f"cannot connect to {masked}: no PostgreSQL server accepts connections at {host} "
                "(connection refused); start the server, or fix the host and port in the URL")
    if "database" in low and "does not exist" in low:
        return (f"cannot connect to {masked}: the database '{db}' does not exist on {host}; create it "
                f"(createdb -h {host.split(':')[0]} -p {host.split(':')[1]} -U {user} {db}) or fix the name in the URL")
    if "role" in low and "does not exist" in low:
        return (f"cannot connect to {masked}: the server has no user '{user}'; create it "
                f"(createuser {user}) or put an existing user in the URL")
    if "authentication failed" in low or "no password supplied" in low or "password" in low:
        return (f"cannot connect to {masked}: the server refused the login of '{user}' ({msg}); check the "
                "user and password (in the URL, PGPASSWORD or ~/.pgpass)")
    if "translate host name" in low or "name or service not known" in low:
        return f"cannot connect to {masked}: unknown host '{host.split(':')[0]}'; fix the host name in the URL"
    if "timeout" in low:
        return f"cannot connect to {masked}: no answer from {host} in time; check the host, port and firewall"
    return f"cannot connect to {masked} ({msg}); check the URL: postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE"


def _permission_message(where: str, user: str, db: str, doing: str, exc: Exception) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else "permission denied"
    return (
        f"{where}: the user '{user}' lacks a permission needed for {doing} ({first}); ask the database "
        f"owner to run: GRANT USAGE ON SCHEMA {SCHEMA} TO {user}; GRANT SELECT, INSERT, UPDATE ON ALL "
        f"TABLES IN SCHEMA {SCHEMA} TO {user} (or, to create newsweave's tables: GRANT CREATE ON "
        f"DATABASE {db} TO {user}), or use the owner's URL"
    )


def _lost(exc: Exception) -> bool:
    """A connection-level failure (server gone, restarted, network), not a bad statement."""
    state = getattr(exc, "sqlstate", None)
    return state is None or state.startswith(("08", "57P"))


def _strip_nuls(values: Sequence[str | None]) -> tuple[list[str | None], str | None]:
    """Fields with NUL replaced by a space, and the NUL offsets per field as JSON."""
    out: list[str | None] = []
    nuls: dict[str, list[int]] = {}
    for name, value in zip(_NUL_FIELDS, values):
        if value is not None and "\x00" in value:
            nuls[name] = [i for i, c in enumerate(value) if c == "\x00"]
            value = value.replace("\x00", " ")
        out.append(value)
    return out, (json.dumps(nuls) if nuls else None)


def _restore_nuls(value: str, offsets: list[int]) -> str:
    chars = list(value)
    for i in offsets:
        chars[i] = "\x00"
    return "".join(chars)


@dataclass
class _Prepared:
    """A batch ready to write: rows for new articles, and what was skipped or failed."""

    rows: list[tuple[Article, tuple[Any, ...], list[tuple[Any, ...]]]] = field(default_factory=list)
    skipped: int = 0
    failed: list[str] = field(default_factory=list)


def _article(row: Sequence[Any]) -> Article:
    values = dict(zip(_FIELDS, row[: len(_FIELDS)]))
    nuls = row[len(_FIELDS)]
    if nuls:
        for name, offsets in nuls.items():
            values[name] = _restore_nuls(values[name], offsets)
    return Article(**values)


class PostgresStore(PostgresStories):
    """Articles, sentences and a full-text index in a PostgreSQL database (schema ``newsweave``).

    The story tables (assignments, merges, copies, analysis cache, feeds) come
    from :class:`~newsweave.store.stories_sql.StoriesMixin`, the same queries as
    the SQLite store's, through :class:`~newsweave.store.pg_stories.PostgresStories`.

    Open with :meth:`open`; use as a context manager or call :meth:`close`.
    One store may be shared by threads: each call takes a pooled connection.
    """

    _art_cols = ART_COLS + ", a.nuls"

    def __init__(self, pool: Any, url: str) -> None:
        self.pool = pool
        self.url = url
        self.path = mask_url(url)
        _, self.database, self.user = _where(url)

    # ------------------------------------------------------------------ open
    @classmethod
    def open(
        cls, url: str, *, max_connections: int = 4, timeout: float = 10.0, create: bool = True
    ) -> PostgresStore:
        """Connect, create or migrate newsweave's schema if needed, and start a pool.

        ``create=False`` is for commands that only read: a database without
        newsweave's tables is an error, and nothing is created in it.

        Raises:
            StoreNotFound: with ``create=False``, when the database holds no newsweave store.
            StoreError: for a malformed URL, a refused connection, a missing
                database or user, a failed login or missing permissions; the
                message names the URL (password masked) and the fix.
            MissingExtra: without the ``postgres`` extra.
        """
        psycopg = _psycopg()
        from psycopg_pool import ConnectionPool

        masked = mask_url(url)
        try:
            psycopg.conninfo.conninfo_to_dict(url)
        except psycopg.ProgrammingError as exc:
            raise StoreError(
                f"{masked} is not a valid PostgreSQL URL ({' '.join(str(exc).split())}); "
                "the form is postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
            ) from None
        try:
            conn = psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(timeout)))
        except psycopg.Error as exc:
            raise StoreError(connect_message(url, exc)) from None
        _, db, user = _where(url)
        try:
            with conn:
                if not create and not applied_versions(conn):
                    raise StoreNotFound(
                        f"there is no newsweave store in {masked}; check the --db URL, or add articles "
                        f"first: newsweave add FILES --db {masked}"
                    )
                migrate(conn, masked)
        except psycopg.errors.InsufficientPrivilege as exc:
            raise StoreError(_permission_message(masked, user, db, "creating newsweave's tables", exc)) from None
        except psycopg.Error as exc:
            if _lost(exc):
                raise StoreError(connect_message(url, exc)) from None
            raise StoreError(f"{masked}: preparing newsweave's tables failed ({exc})") from None
        if logging.getLogger("psycopg.pool").level == logging.NOTSET:
            # Its reconnection warnings repeat what our StoreError says once.
            logging.getLogger("psycopg.pool").setLevel(logging.ERROR)
        pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max(1, max_connections),
            timeout=timeout,
            kwargs={"autocommit": True, "connect_timeout": max(1, int(timeout))},
            check=ConnectionPool.check_connection,
            configure=_configure,
            name="newsweave",
            open=True,
        )
        return cls(pool, url)

    def close(self) -> None:
        """Close the pool (committed work stays)."""
        self.pool.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PostgresStore({self.path!r})"

    def _art(self, row: Sequence[Any]) -> Article:
        return _article(row)

    @contextmanager
    def _conn(self, doing: str) -> Iterator[Any]:
        """A pooled connection; database failures become StoreErrors that name the fix."""
        psycopg = _psycopg()
        from psycopg_pool import PoolTimeout

        try:
            with self.pool.connection() as conn:
                yield conn
        except psycopg.errors.InsufficientPrivilege as exc:
            raise StoreError(_permission_message(self.path, self.user, self.database, doing, exc)) from None
        except PoolTimeout:
            raise StoreError(
                f"cannot reach {self.path} while {doing} (no connection within {self.pool.timeout:.0f} s: "
                "the server is down or unreachable); batches committed before stay; once the server is "
                "back, run the same command again to resume (stored articles are skipped)"
            ) from None
        except psycopg.Error as exc:
            detail = " ".join(str(exc).split())[:200]
            if _lost(exc):
                raise StoreError(
                    f"lost the connection to {self.path} while {doing} ({detail}); batches committed "
                    "before stay; once the server is back, run the same command again to resume "
                    "(stored articles are skipped)"
                ) from None
            raise StoreError(f"{self.path}: {detail} while {doing}") from None

    # ------------------------------------------------------------------- add
    def add(
        self,
        items: Iterable[Article | Analysis | BadInput],
        *,
        splitter: Splitter | None = None,
        split: bool = True,
        batch_size: int = 500,
        progress: Callable[[AddResult], None] | None = None,
    ) -> AddResult:
        """Add articles; those already stored (same content hash) are skipped.

        Same contract as :meth:`newsweave.store.sqlite.Store.add`: each batch is
        one transaction, each article is written with its sentences in a
        savepoint of it, and one bad article never takes its neighbours down.

        Raises:
            StoreError: when the server fails or goes away; batches committed
                before stay committed.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size {batch_size} is invalid; must be at least 1")
        if split and splitter is None:
            from newsweave.analyze.sentences import split_sentences

            splitter = split_sentences
        result = AddResult()
        batch: list[tuple[Article, Sequence[Sentence] | None]] = []
        # One writer thread: the server indexes batch k while this thread reads and
        # splits batch k+1. Batches are still written one at a time, in order.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsweave-pg-writer") as writer:
            pending: Future[AddResult] | None = None

            def flush(batch: list[tuple[Article, Sequence[Sentence] | None]]) -> None:
                nonlocal pending, result
                prepared = self._prepare(batch, splitter if split else None)
                if pending is not None:
                    result += pending.result()
                    if progress:
                        progress(result)
                pending = writer.submit(self._write_batch, prepared)

            try:
                for item in items:
                    if isinstance(item, BadInput):
                        result += AddResult(failed=1, errors=(str(item),))
                        continue
                    if isinstance(item, Analysis):
                        batch.append((item.article, item.sentences))
                    elif isinstance(item, Article):
                        batch.append((item, None))
                    else:
                        result += AddResult(failed=1, errors=(f"{item!r}: not an Article; cannot be stored",))
                        continue
                    if len(batch) >= batch_size:
                        flush(batch)
                        batch = []
                if batch:
                    flush(batch)
            finally:
                if pending is not None:
                    done = pending.result()  # raises the writer's StoreError, if any
                    result += done
                    if progress:
                        progress(result)
        return result

    def _prepare(self, batch: list[tuple[Article, Sequence[Sentence] | None]], splitter: Splitter | None) -> _Prepared:
        """Skip stored articles, split the rest and build their rows (no transaction held)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        out = _Prepared()
        with self._conn("adding articles") as conn:
            # Look before splitting: re-adding a folder must not pay for sentence splitting again.
            known = self._existing(conn, [a.hash for a, _ in batch])
        for art, given in batch:
            if art.hash in known:
                out.skipped += 1
                continue
            known.add(art.hash)
            try:
                sents = given if given is not None else (splitter(art) if splitter else ())
            except Exception as exc:  # a splitter bug must not lose the rest of the batch
                out.failed.append(f"{art.path or art.id}: sentence splitting failed ({exc!r})")
                continue
            fields, nuls = _strip_nuls([getattr(art, f) for f in _NUL_FIELDS])
            title_closed = " ".join(closed_forms(art.title or ""))
            text_closed = " ".join(closed_forms(art.text))
            row = (art.hash, *fields, now, nuls, title_closed, text_closed)
            srows = [(art.hash, s.index, s.start, s.end, s.paragraph, bool(s.boilerplate)) for s in sents]
            out.rows.append((art, row, srows))
        return out

    def _write_batch(self, prepared: _Prepared) -> AddResult:
        """Write one prepared batch in one transaction."""
        added = raced = 0
        errs: list[str] = []
        if prepared.rows:
            with self._conn("adding articles") as conn, conn.transaction():
                added, raced, errs = self._insert(conn, prepared.rows)
        failed = prepared.failed + errs
        return AddResult(added, prepared.skipped + raced, len(failed), tuple(failed))

    def _insert(
        self, conn: Any, prepared: list[tuple[Article, tuple[Any, ...], list[tuple[Any, ...]]]]
    ) -> tuple[int, int, list[str]]:
        """Insert inside the open transaction; return (added, stored meanwhile by others, errors)."""
        psycopg = _psycopg()
        row_errors = (psycopg.errors.IntegrityError, psycopg.errors.DataError,
                      psycopg.errors.ProgramLimitExceeded, ValueError, TypeError, OverflowError)  # fmt: skip
        try:
            with conn.transaction():  # a savepoint: the whole batch at once
                inserted = self._write(conn, prepared)
            return len(inserted), len(prepared) - len(inserted), []
        except row_errors:
            pass
        # Replay one article per savepoint to find and skip the bad ones.
        added = raced = 0
        errors: list[str] = []
        for one in prepared:
            try:
                with conn.transaction():
                    n = len(self._write(conn, [one]))
                added += n
                raced += 1 - n
            except row_errors as exc:
                detail = " ".join(str(exc).split())[:200]
                errors.append(f"{one[0].path or one[0].id}: not stored ({detail})")
        return added, raced, errors

    @staticmethod
    def _write(conn: Any, prepared: list[tuple[Article, tuple[Any, ...], list[tuple[Any, ...]]]]) -> set[str]:
        """Insert articles (skipping hashes another writer stored) and their sentences."""
        with conn.cursor() as cur:
            cur.executemany(_INSERT, [row for _, row, _ in prepared], returning=True)
            inserted: set[str] = set()
            while True:
                inserted.update(r[0] for r in cur.fetchall())
                if not cur.nextset():
                    break
            srows = [s for art, _, rows in prepared if art.hash in inserted for s in rows]
            if srows:
                with cur.copy(_COPY_SENTENCES) as copy:
                    for srow in srows:
                        copy.write_row(srow)
        return inserted

    @staticmethod
    def _existing(conn: Any, hashes: list[str]) -> set[str]:
        rows = conn.execute(f"SELECT hash FROM {SCHEMA}.articles WHERE hash = ANY(%s)", (hashes,)).fetchall()
        return {r[0] for r in rows}

    # ---------------------------------------------------------------- search
    def search(self, query: str, limit: int = 10, *, highlight: tuple[str, str] = ("**", "**")) -> list[Hit]:
        """Full-text search over titles and texts, best first (``ts_rank``, titles weigh more).

        The query syntax is the SQLite store's: words (all must match),
        ``"exact phrase"``, ``OR``, ``NOT``, ``prefix*``, ``title:word``; a
        hyphenated word also finds its closed form ("cease-fire", "ceasefire").
        A query whose operators do not parse searches for its words.

        Raises:
            StoreError: for an empty query, or when the database fails.
        """
        if not query or not query.strip():
            raise StoreError('the search query is empty; give some words, e.g. newsweave search "harbour strike"')
        if limit < 1:
            raise ValueError(f"limit {limit} is invalid; must be at least 1")
        try:
            tsquery = to_tsquery_text(query)
        except QuerySyntaxError:
            # "NOT" alone, an open bracket: search for the words themselves instead of failing.
            tsquery = plain_tsquery_text(query)
            if not tsquery:
                return []
        opts = _headline_options(highlight)
        # Rank first, then build snippets for the page of hits only (ts_headline re-parses the text).
        sql = f"""
            SELECT id, title, source, published, rank, nuls,
                   ts_headline('{SCHEMA}.search', left(text, 100000), q, %s)
            FROM (
                SELECT a.seq, a.id, a.title, a.source, a.published, a.text, a.nuls, q,
                       ts_rank(a.tsv, q) AS rank
                FROM {SCHEMA}.articles a, to_tsquery('{SCHEMA}.search', %s) AS q
                WHERE a.tsv @@ q
                ORDER BY rank DESC, a.seq
                LIMIT %s
            ) hits
            ORDER BY rank DESC, seq
        """
        with self._conn("searching") as conn:
            rows = conn.execute(sql, (opts, tsquery, limit)).fetchall()
        hits = []
        for art_id, title, source, published, rank, nuls, snippet in rows:
            if nuls:
                art_id = _restore_nuls(art_id, nuls["id"]) if "id" in nuls else art_id
                title = _restore_nuls(title, nuls["title"]) if "title" in nuls else title
                source = _restore_nuls(source, nuls["source"]) if "source" in nuls else source
            # One line per snippet: paragraph breaks inside it would break list layouts.
            hits.append(Hit(art_id, title, source, published, float(rank), " ".join(snippet.split())))
        return hits

    # ----------------------------------------------------------------- reads
    def count(self) -> int:
        """Number of stored articles."""
        with self._conn("counting articles") as conn:
            return int(conn.execute(f"SELECT count(*) FROM {SCHEMA}.articles").fetchone()[0])

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        """The content hashes among ``hashes`` that are stored."""
        with self._conn("looking up articles") as conn:
            return self._existing(conn, list(hashes))

    def __len__(self) -> int:
        return self.count()

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and self.get(article_id) is not None

    def articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]:
        """Stored articles in the order added (streamed), or those with the given ids.

        ``ids`` may hold article ids or content hashes; unknown ids are skipped.
        """
        if ids is not None:
            for article_id in ids:
                art = self.get(article_id)
                if art is not None:
                    yield art
            return
        with self._conn("reading articles") as conn, conn.transaction(), conn.cursor(name="articles") as cur:
            cur.itersize = 500
            cur.execute(_SELECT + " ORDER BY seq")
            for row in cur:
                yield _article(row)

    def get(self, article_id: str) -> Article | None:
        """The article with this id (or content hash), or None; the first stored wins."""
        key = article_id.replace("\x00", " ")
        with self._conn("reading an article") as conn:
            row = conn.execute(_SELECT + " WHERE hash = %s", (key,)).fetchone()
            if row is None:
                row = conn.execute(_SELECT + " WHERE id = %s ORDER BY seq LIMIT 1", (key,)).fetchone()
        return _article(row) if row else None

    def sentences(self, article_id: str) -> tuple[Sentence, ...]:
        """The sentences of an article, with exact offsets into its text.

        Articles added with ``split=False`` are split (and stored) on first use.

        Raises:
            KeyError: when no article has this id.
        """
        art = self.get(article_id)
        if art is None:
            raise KeyError(article_id)
        with self._conn("reading sentences") as conn:
            rows = conn.execute(
                f'SELECT idx, start, "end", paragraph, boilerplate FROM {SCHEMA}.sentences '
                "WHERE article_hash = %s ORDER BY idx",
                (art.hash,),
            ).fetchall()
        if rows:
            return tuple(
                Sentence(art.id, i, s, e, art.text[s:e], paragraph=p, boilerplate=bool(b))
                for i, s, e, p, b in rows
            )
        from newsweave.analyze.sentences import split_sentences

        sents = split_sentences(art)
        with self._conn("storing sentences") as conn, conn.transaction(), conn.cursor() as cur:
            cur.executemany(
                f'INSERT INTO {SCHEMA}.sentences (article_hash, idx, start, "end", paragraph, boilerplate) '
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                [(art.hash, s.index, s.start, s.end, s.paragraph, bool(s.boilerplate)) for s in sents],
            )
        return tuple(sents)


def _configure(conn: Any) -> None:
    """Every pooled connection: bare table names (the shared story SQL) are newsweave's."""
    conn.execute(f"SET search_path TO {SCHEMA}, public")


def _headline_options(highlight: tuple[str, str]) -> str:
    """``ts_headline`` options: one fragment of about 16 words, like the SQLite snippets."""

    def q(s: str) -> str:
        return '"' + s.replace('"', '""') + '"'

    return (
        f"StartSel={q(highlight[0])}, StopSel={q(highlight[1])}, MaxWords=16, MinWords=6, "
        f'MaxFragments=1, FragmentDelimiter=" … ", ShortWord=2'
    )
