"""The default article store: one SQLite file with WAL, FTS5 and migrations.

Articles are keyed by their content hash, so adding the same article twice is
a no-op. Writes are atomic per article: an article's row, its sentences and
its full-text index row are committed together or not at all. For speed, a
batch of articles is written with ``executemany`` inside one savepoint; if any
row in the batch fails, the batch is rolled back to the savepoint and replayed
one article per savepoint, so one bad article never takes its neighbours down.

>>> from newsweave.models import Article
>>> with Store.open(":memory:") as store:
...     store.add([Article("Dockers at Port Vell walked out on Tuesday.", title="Strike")])
...     [h.title for h in store.search("dockers")]
AddResult(added=1, skipped_existing=0, failed=0, errors=())
['Strike']
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from newsweave.errors import BadInput, StoreError, StoreNotFound
from newsweave.models import Analysis, Article, Sentence
from newsweave.store.base import AddResult, Hit, Splitter, is_postgres_url, mask_url
from newsweave.store.migrations import migrate
from newsweave.store.query import build_query, compounds, plain_query
from newsweave.store.sqlite_errors import locked as _locked
from newsweave.store.sqlite_errors import query_error as _query_error
from newsweave.store.sqlite_errors import translate_error
from newsweave.store.sqlite_stories import SqliteStories

__all__ = ["AddResult", "Hit", "Store", "quote_query", "resolve_path", "translate_error"]

_ARTICLE_COLS = "hash, id, title, source, url, published, story, path, format, byline, stance, text, added_at"
_INSERT_ARTICLE = f"INSERT INTO articles ({_ARTICLE_COLS}) VALUES ({', '.join('?' * 13)})"
_INSERT_SENTENCE = 'INSERT INTO sentences (article_hash, idx, start, "end", paragraph, boilerplate) VALUES (?, ?, ?, ?, ?, ?)'
_INSERT_COMPOUND = "INSERT OR IGNORE INTO compounds (joined, parts) VALUES (?, ?)"
_SELECT_ARTICLE = (
    "SELECT hash, id, title, source, url, published, story, path, format, byline, stance, text FROM articles"
)
# Errors that belong to one article's data; anything else (locked, disk full,
# corrupt file) is a problem with the database and stops the whole add.
_ROW_ERRORS = (
    sqlite3.IntegrityError,
    sqlite3.InterfaceError,
    sqlite3.ProgrammingError,
    sqlite3.DataError,
    UnicodeEncodeError,
    OverflowError,
    TypeError,
)


def resolve_path(path: str | os.PathLike[str] | None = None) -> str:
    """The database path: ``path``, else ``$NEWSWEAVE_DB``, else the user data dir.

    >>> resolve_path(":memory:")
    ':memory:'
    """
    if path is not None and str(path) != "":
        return str(path)
    from newsweave.config import default_db_path

    return default_db_path()


def quote_query(query: str) -> str:
    """The FTS5 query newsweave runs for ``query``: words FTS5 would read as
    syntax are quoted, hyphenated words also match their closed form.

    ``AND``/``OR``/``NOT``, parentheses and already quoted phrases are kept.

    >>> quote_query('al-Assad ceasefire "eastern Aleppo"')
    '("al Assad" OR "alAssad") AND ceasefire AND "eastern Aleppo"'
    """
    return build_query(query)


class Store(SqliteStories):
    """Articles, their sentences and a full-text index in one SQLite file.

    The story tables (assignments, merges, copies, analysis cache, feeds) come
    from :class:`~newsweave.store.stories_sql.StoriesMixin`, through
    :class:`~newsweave.store.sqlite_stories.SqliteStories`.

    Open with :meth:`Store.open`; use as a context manager or call
    :meth:`close`. Not shared across threads: open one per thread.
    """

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path

    # ------------------------------------------------------------------ open
    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        timeout: float = 10.0,
        check_same_thread: bool = True,
        create: bool = True,
    ) -> Store:
        """Open (creating and migrating if needed) the store at ``path``.

        ``None`` means ``$NEWSWEAVE_DB`` or ``<user data dir>/newsweave/news.db``;
        ``":memory:"`` gives a private in-memory store (tests); a
        ``file:...?mode=ro`` URI opens an existing store read-only.
        ``timeout`` is how long to wait for another writer's lock;
        ``check_same_thread=False`` lets a server hand the connection
        between threads (one at a time). ``create=False`` is for commands
        that only read: a missing database is an error, not a new empty file.

        Raises:
            StoreNotFound: with ``create=False``, when there is no database at ``path``.
            StoreError: when the file is not a newsweave database, is damaged or
                locked, cannot be created, or SQLite lacks FTS5; the message names the fix.
        """
        where = resolve_path(path)
        if is_postgres_url(where):
            raise StoreError(
                f"{mask_url(where)} is a PostgreSQL URL; open it with newsweave.store.open_store, "
                "which serves both kinds of --db"
            )
        if where != ":memory:" and not where.startswith("file:"):
            p = Path(where).expanduser()
            if p.is_dir():
                raise StoreError(f"{p} is a folder; pass a database file path such as {p / 'news.db'}")
            if not create and not p.exists():
                raise StoreNotFound(
                    f"there is no database at {p}; check the --db path, or add articles first: "
                    f"newsweave add FILES --db {p}"
                )
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the folder for the database {p} ({exc.strerror}); "
                    "pass a writable path with --db or NEWSWEAVE_DB"
                ) from None
            where = str(p)
        try:
            conn = sqlite3.connect(
                where,
                timeout=timeout,
                isolation_level=None,
                uri=where.startswith("file:"),
                check_same_thread=check_same_thread,
            )
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot open the database {where} ({exc}); pass another path with --db"
            ) from None
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL is safe in WAL mode (a crash loses at most the last commits,
            # never consistency) and makes commits much cheaper than FULL.
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn, where)
        except StoreError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            if _locked(exc):
                raise StoreError(
                    f"the database {where} is locked by another process (another 'newsweave add'?); "
                    "wait for it to finish and retry, or pass another path with --db"
                ) from None
            if "malformed" in str(exc).lower():
                raise translate_error(exc, where, "opening it") from None
            if "readonly" in str(exc).lower() or "unable to open" in str(exc).lower():
                raise StoreError(
                    f"cannot write the database {where} ({exc}); check the file's and folder's "
                    "permissions or pass another path with --db"
                ) from None
            raise StoreError(
                f"{where} is not a newsweave database ({exc}); pass another path with --db or NEWSWEAVE_DB"
            ) from None
        return cls(conn, where)

    def close(self) -> None:
        """Close the connection (pending work is already committed)."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.path!r})"

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
        """Add articles; articles already stored (same content hash) are skipped.

        Each article is written atomically with its sentences and index row.
        ``BadInput`` items (as yielded by ``read_inputs``) are counted as failed
        with their message, so ``store.add(read_inputs(paths))`` reports a whole
        batch. An :class:`Analysis` brings its own sentences.

        Args:
            items: Articles, Analyses or BadInput errors, in any mix.
            splitter: sentence splitter; defaults to
                :func:`newsweave.analyze.sentences.split_sentences`.
            split: False stores no sentences now; :meth:`sentences` splits
                and stores them on first use (fast bulk loading).
            batch_size: articles per transaction.
            progress: called after each committed batch with the running totals.

        Raises:
            StoreError: when the database itself fails (locked, disk full);
                batches committed before that stay committed.

        >>> s = Store.open(":memory:")
        >>> a = Article("Cranes stood idle at the harbour.")
        >>> s.add([a]).added, s.add([a]).skipped_existing
        (1, 1)
        """
        if batch_size < 1:
            raise ValueError(f"batch_size {batch_size} is invalid; must be at least 1")
        if split and splitter is None:
            from newsweave.analyze.sentences import split_sentences

            splitter = split_sentences
        result = AddResult()
        batch: list[tuple[Article, Sequence[Sentence] | None]] = []
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
                result += self._add_batch(batch, splitter if split else None)
                batch = []
                if progress:
                    progress(result)
        if batch:
            result += self._add_batch(batch, splitter if split else None)
            if progress:
                progress(result)
        return result

    def _add_batch(
        self, batch: list[tuple[Article, Sequence[Sentence] | None]], splitter: Splitter | None
    ) -> AddResult:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        failed: list[str] = []
        prepared: list[tuple[Article, tuple, list[tuple], list[tuple[str, str]]]] = []  # type: ignore[type-arg]
        skipped = added = 0
        try:
            # Look before splitting: re-adding a folder must not pay for pysbd again.
            known = self._existing_hashes([a.hash for a, _ in batch])
        except sqlite3.Error as exc:
            raise self._db_error(exc, "adding articles") from None
        for art, given in batch:
            if art.hash in known:
                skipped += 1
                continue
            known.add(art.hash)  # the same text twice in one batch
            try:
                sents = given if given is not None else (splitter(art) if splitter else ())
            except Exception as exc:  # a splitter bug must not lose the rest of the batch
                failed.append(f"{art.path or art.id}: sentence splitting failed ({exc!r})")
                continue
            crows = sorted(compounds(f"{art.title or ''}\n{art.text}"))
            prepared.append((art, _article_row(art, now), [_sentence_row(art.hash, s) for s in sents], crows))
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                # Again under the write lock: another process may have added some meanwhile.
                existing = self._existing_hashes([p[0].hash for p in prepared])
                fresh = [p for p in prepared if p[0].hash not in existing]
                skipped += len(prepared) - len(fresh)
                added, errs = self._insert(fresh)
                failed.extend(errs)
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise self._db_error(exc, "adding articles") from None
        return AddResult(added, skipped, len(failed), tuple(failed))

    def _insert(self, fresh: list[tuple[Article, tuple, list[tuple], list[tuple[str, str]]]]) -> tuple[int, list[str]]:  # type: ignore[type-arg]
        """Insert new articles inside the open transaction; return (added, errors)."""
        if not fresh:
            return 0, []
        cur = self.conn.cursor()
        cur.execute("SAVEPOINT bulk")
        try:
            cur.executemany(_INSERT_ARTICLE, [row for _, row, _, _ in fresh])
            cur.executemany(_INSERT_SENTENCE, [s for _, _, srows, _ in fresh for s in srows])
            cur.executemany(_INSERT_COMPOUND, sorted({c for *_, crows in fresh for c in crows}))
            cur.execute("RELEASE bulk")
            return len(fresh), []
        except _ROW_ERRORS:
            cur.execute("ROLLBACK TO bulk")
            cur.execute("RELEASE bulk")
        # Replay one article per savepoint to find and skip the bad ones.
        added = 0
        errors = []
        for art, row, srows, crows in fresh:
            cur.execute("SAVEPOINT one")
            try:
                cur.execute(_INSERT_ARTICLE, row)
                cur.executemany(_INSERT_SENTENCE, srows)
                cur.executemany(_INSERT_COMPOUND, crows)
                cur.execute("RELEASE one")
                added += 1
            except _ROW_ERRORS as exc:
                cur.execute("ROLLBACK TO one")
                cur.execute("RELEASE one")
                errors.append(f"{art.path or art.id}: not stored ({exc})")
        return added, errors

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        """The content hashes among ``hashes`` that are stored."""
        try:
            return self._existing_hashes(list(hashes))
        except sqlite3.Error as exc:
            raise self._db_error(exc, "looking up articles") from None

    def _existing_hashes(self, hashes: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            q = f"SELECT hash FROM articles WHERE hash IN ({', '.join('?' * len(chunk))})"
            found.update(r[0] for r in self.conn.execute(q, chunk))
        return found

    def _db_error(self, exc: sqlite3.Error, doing: str) -> StoreError:
        return translate_error(exc, self.path, doing)

    # ---------------------------------------------------------------- search
    def search(self, query: str, limit: int = 10, *, highlight: tuple[str, str] = ("**", "**")) -> list[Hit]:
        """Full-text search over titles and texts, best first (BM25).

        The query uses FTS5 syntax: words (all must match), ``"exact phrase"``,
        ``OR``, ``NOT``, ``prefix*``, ``title:word``.

        Raises:
            StoreError: for a query FTS5 cannot parse; the message shows the
                query with its words quoted.

        >>> s = Store.open(":memory:")
        >>> _ = s.add([Article("The ceasefire held in the port city.", title="Truce")])
        >>> hit = s.search("ceasefire")[0]
        >>> hit.title, hit.snippet
        ('Truce', 'The **ceasefire** held in the port city.')
        """
        if not query or not query.strip():
            raise StoreError(
                'the search query is empty; give some words, e.g. newsweave search "harbour strike"'
            )
        if limit < 1:
            raise ValueError(f"limit {limit} is invalid; must be at least 1")
        # Title matches weigh 3x a body match: a headline names the story.
        sql = (
            "SELECT a.id, a.title, a.source, a.published, bm25(articles_fts, 3.0, 1.0) AS rank, "
            "snippet(articles_fts, 1, ?, ?, ' … ', 16) "
            "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?"
        )
        try:
            fts = build_query(query, self._spaced_forms)
            try:
                rows = self.conn.execute(sql, (highlight[0], highlight[1], fts, limit)).fetchall()
            except sqlite3.OperationalError as exc:
                if not _query_error(exc):
                    raise
                # The user's own syntax does not parse ("NOT" alone, an open bracket):
                # search for the words themselves instead of failing.
                plain = plain_query(query)
                if not plain:
                    return []
                try:
                    rows = self.conn.execute(sql, (highlight[0], highlight[1], plain, limit)).fetchall()
                except sqlite3.OperationalError as exc2:
                    if not _query_error(exc2):
                        raise
                    raise StoreError(
                        f"cannot search for {query!r}: {exc}. Put words with punctuation or phrases in "
                        f"double quotes, e.g. newsweave search '{plain}' (AND, OR, NOT in capitals; "
                        "prefix*; title:word searches titles)"
                    ) from None
        except sqlite3.Error as exc:
            raise self._db_error(exc, "searching") from None
        # One line per snippet: paragraph breaks inside it would break list layouts.
        return [Hit(r[0], r[1], r[2], r[3], -float(r[4]), " ".join(r[5].split())) for r in rows]

    def _spaced_forms(self, joined: str) -> list[str]:
        """How stored articles hyphenated ``joined`` ("ceasefire" -> ["cease fire"])."""
        try:
            rows = self.conn.execute("SELECT parts FROM compounds WHERE joined = ? LIMIT 8", (joined,))
            return [r[0] for r in rows]
        except sqlite3.OperationalError:  # a read-only store from before migration 2
            return []

    # ----------------------------------------------------------------- reads
    def count(self) -> int:
        """Number of stored articles."""
        try:
            return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        except sqlite3.Error as exc:
            raise self._db_error(exc, "counting articles") from None

    def __len__(self) -> int:
        return self.count()

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and self._rowid(article_id) is not None

    def articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]:
        """Stored articles in the order added, or those with the given ids.

        ``ids`` may hold article ids or content hashes; unknown ids are skipped.

        Raises:
            StoreError: when the database fails while reading (e.g. it is damaged).
        """
        if ids is None:
            try:
                for row in self.conn.execute(_SELECT_ARTICLE + " ORDER BY rowid"):
                    yield _article(row)
            except sqlite3.Error as exc:
                raise self._db_error(exc, "reading articles") from None
            return
        for article_id in ids:
            art = self.get(article_id)
            if art is not None:
                yield art

    def get(self, article_id: str) -> Article | None:
        """The article with this id (or content hash), or None.

        Ids given by inputs need not be unique; the first stored wins.
        """
        try:
            rowid = self._rowid(article_id)
            if rowid is None:
                return None
            return _article(self.conn.execute(_SELECT_ARTICLE + " WHERE rowid = ?", (rowid,)).fetchone())
        except sqlite3.Error as exc:
            raise self._db_error(exc, "reading an article") from None

    def _rowid(self, article_id: str) -> int | None:
        try:
            row = self.conn.execute("SELECT rowid FROM articles WHERE hash = ?", (article_id,)).fetchone()
            if row is None:
                row = self.conn.execute(
                    "SELECT rowid FROM articles WHERE id = ? ORDER BY rowid LIMIT 1", (article_id,)
                ).fetchone()
        except sqlite3.Error as exc:
            raise self._db_error(exc, "reading an article") from None
        return int(row[0]) if row else None

    def sentences(self, article_id: str) -> tuple[Sentence, ...]:
        """The sentences of an article, with exact offsets into its text.

        Articles added with ``split=False`` are split (and stored) on first use.

        Raises:
            KeyError: when no article has this id.
        """
        art = self.get(article_id)
        if art is None:
            raise KeyError(article_id)
        try:
            rows = self.conn.execute(
                'SELECT idx, start, "end", paragraph, boilerplate FROM sentences '
                "WHERE article_hash = ? ORDER BY idx",
                (art.hash,),
            ).fetchall()
        except sqlite3.Error as exc:
            raise self._db_error(exc, "reading sentences") from None
        if rows:
            return tuple(
                Sentence(art.id, i, s, e, art.text[s:e], paragraph=p, boilerplate=bool(b))
                for i, s, e, p, b in rows
            )
        from newsweave.analyze.sentences import split_sentences

        sents = split_sentences(art)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.executemany(
                "INSERT OR IGNORE" + _INSERT_SENTENCE[len("INSERT") :],
                [_sentence_row(art.hash, s) for s in sents],
            )
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise self._db_error(exc, "storing sentences") from None
        return tuple(sents)


def _article_row(a: Article, now: str) -> tuple:  # type: ignore[type-arg]
    return (
        a.hash, a.id, a.title, a.source, a.url, a.published, a.story, a.path, a.format,
        a.byline, a.stance, a.text, now,
    )  # fmt: skip


def _sentence_row(article_hash: str, s: Sentence) -> tuple:  # type: ignore[type-arg]
    return (article_hash, s.index, s.start, s.end, s.paragraph, int(s.boilerplate))


def _article(row: Sequence[object]) -> Article:
    h, i, title, source, url, published, story, path, fmt, byline, stance, text = row
    return Article(
        text=str(text),
        id=str(i),
        hash=str(h),
        title=title,  # type: ignore[arg-type]
        source=source,  # type: ignore[arg-type]
        url=url,  # type: ignore[arg-type]
        published=published,  # type: ignore[arg-type]
        story=story,  # type: ignore[arg-type]
        path=path,  # type: ignore[arg-type]
        format=str(fmt),
        byline=byline,  # type: ignore[arg-type]
        stance=stance,  # type: ignore[arg-type]
    )
