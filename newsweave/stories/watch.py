"""``newsweave watch``: keep a store current from RSS/Atom feeds.

Each round polls every feed that is due, with a conditional GET (the feed's
last ``ETag`` and ``Last-Modified`` are kept in the store, so an unchanged
feed costs one 304), waits at least ``host_delay`` seconds between two
requests to the same host, fetches the pages of entries not seen before
(trafilatura; the entry's own text when the page cannot be read), stores
them, places them in stories and reports what changed. A feed that fails is
reported and tried again in a later round after a back-off that doubles with
each failure (capped); it never stops the other feeds. SIGTERM or SIGINT
ends the run after the current request, with everything done so far saved;
the next run resumes from the store.

All network access goes through :func:`fetch_conditional` and
:func:`fetch_page`, which use :func:`newsweave.ingest.fetch.fetch_url`: the
same URL policy as every fetch (loopback and private addresses refused unless
``allow_private_urls``; a deadline per fetch).
"""

from __future__ import annotations

import hashlib
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from newsweave.config import Settings
from newsweave.errors import BadInput, NewsweaveError
from newsweave.models import Article
from newsweave.store.stories_sql import FeedState

__all__ = ["Fetch", "RoundReport", "Watcher", "fetch_conditional", "fetch_page", "parse_every", "read_feed_list"]

MAX_BACKOFF_S = 6 * 3600
_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)


@dataclass(frozen=True)
class Fetch:
    """One conditional GET: ``status`` 304 means unchanged (no body)."""

    status: int
    body: bytes
    url: str
    etag: str | None = None
    last_modified: str | None = None


def parse_every(value: str) -> float:
    """``90``, ``90s``, ``15m``, ``2h``, ``1d`` -> seconds.

    >>> parse_every("15m"), parse_every("2h"), parse_every("30")
    (900.0, 7200.0, 30.0)
    """
    m = _EVERY.match(value or "")
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"--every {value!r} is invalid; must be a duration such as 30s, 15m, 2h or 1d")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2).lower()]


def read_feed_list(path: str) -> tuple[list[str], list[str]]:
    """Feed URLs from a file, one per line (``#`` comments, blank lines skipped); and bad lines.

    Raises:
        BadInput: when the file cannot be read.
    """
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise BadInput(f"cannot be read ({exc.strerror}); give a text file with one feed URL per line", path) from None
    urls, bad = [], []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip() if not line.strip().startswith("http") else line.strip()
        if not line:
            continue
        if line.startswith(("http://", "https://")) and " " not in line:
            if line not in urls:
                urls.append(line)
        else:
            bad.append(f"{path}:{n}: {line[:80]!r} is not an http(s) URL")
    return urls, bad


def fetch_conditional(url: str, etag: str | None = None, last_modified: str | None = None,
                      settings: Settings | None = None) -> Fetch:
    """GET ``url`` under the URL policy unless unchanged since ``etag`` / ``last_modified``.

    Raises:
        BadInput: for refused addresses, HTTP errors, timeouts, oversize bodies and
            network failures (:func:`newsweave.ingest.fetch.fetch_url`).
    """
    from newsweave.ingest.fetch import fetch_url

    got = fetch_url(url, settings=settings, etag=etag, last_modified=last_modified)
    return Fetch(got.status, got.body, got.url, got.etag, got.last_modified)


def fetch_page(url: str, settings: Settings | None = None) -> Article:
    """Fetch and extract one article page (trafilatura), under the URL policy.

    Raises:
        BadInput: when the page cannot be fetched or holds no article text.
    """
    from newsweave.ingest.decode import decode
    from newsweave.ingest.fetch import fetch_url
    from newsweave.ingest.html import parse_html

    got = fetch_url(url, settings=settings)
    return parse_html(decode(got.body, url, got.charset), url=got.url)


@dataclass
class RoundReport:
    """What one round did: per feed, new articles; failures; story changes."""

    polled: int = 0
    unchanged: int = 0
    added: int = 0
    failed: list[str] = field(default_factory=list)
    new_stories: list[str] = field(default_factory=list)
    grown: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def _entry_key(entry: Any) -> str:
    raw = entry.get("id") or entry.get("link") or (entry.get("title", "") + entry.get("summary", ""))
    return raw if len(raw) <= 300 else hashlib.sha256(raw.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


class Watcher:
    """Polls feeds into a store (see the module docstring).

    Args:
        store: an open store (feed state and articles live there).
        feeds: the feed URLs.
        every: seconds between rounds (also the base of the back-off).
        host_delay: least seconds between two requests to one host.
        model: the story model choice for a new store (``auto``/``lexical``/``embed``).
        echo: where progress lines go.
        settings: the URL policy and limits (``allow_private_urls`` for feeds on your own servers).
    """

    def __init__(
        self,
        store: Any,
        feeds: list[str],
        *,
        every: float = 900.0,
        host_delay: float = 1.0,
        model: str = "auto",
        echo: Callable[[str], None] = print,
        settings: Settings | None = None,
        fetch: Callable[..., Fetch] = fetch_conditional,
        page: Callable[..., Article] = fetch_page,
    ) -> None:
        self.store = store
        self.feeds = feeds
        self.every = every
        self.host_delay = host_delay
        self.model = model
        self.echo = echo
        self.fetch = fetch
        self.page = page
        self.settings = settings
        self.stop = threading.Event()
        self._last_hit: dict[str, float] = {}

    # ----------------------------------------------------------- politeness
    def _wait_for_host(self, url: str) -> bool:
        host = urlparse(url).netloc.lower()
        last = self._last_hit.get(host)
        if last is not None:
            delay = self.host_delay - (time.monotonic() - last)
            if delay > 0 and self.stop.wait(delay):
                return False
        self._last_hit[host] = time.monotonic()
        return not self.stop.is_set()

    # --------------------------------------------------------------- rounds
    def _due(self, st: FeedState, now: datetime) -> bool:
        return not st.next_poll or st.next_poll <= now.isoformat(timespec="seconds")

    def _fail(self, st: FeedState, reason: str, report: RoundReport) -> None:
        failures = st.failures + 1
        backoff = min(self.every * 2 ** (failures - 1), MAX_BACKOFF_S)
        now = _now()
        self.store.save_feed_state(replace(
            st, failures=failures, last_error=reason, last_polled=now.isoformat(timespec="seconds"),
            next_poll=(now + timedelta(seconds=backoff)).isoformat(timespec="seconds"),
        ))  # fmt: skip
        report.failed.append(f"{st.url}: {reason} (failure {failures}; next try in {backoff:.0f} s)")

    def _entries(self, url: str, body: bytes) -> Iterator[tuple[str, Article | None, str | None]]:
        """(key, the entry as an article when it has text, its link) per entry."""
        import feedparser

        from newsweave.ingest.feeds import iter_feed

        parsed = feedparser.parse(body)
        if not parsed.entries:
            raise BadInput("is not a readable RSS/Atom feed, or has no entries", url)
        texts = {a.url: a for a in iter_feed(body, url) if isinstance(a, Article) and a.url}
        for e in parsed.entries:
            link = e.get("link") or None
            yield _entry_key(e), texts.get(link) if link else None, link

    def poll(self, url: str, report: RoundReport) -> list[Article]:
        """Poll one feed; return the new articles read from it (not yet stored)."""
        st = self.store.feed_state(url)
        if not self._wait_for_host(url):
            return []
        try:
            got = self.fetch(url, st.etag, st.last_modified, self.settings)
        except BadInput as exc:
            self._fail(st, str(exc).removeprefix(f"{url}: "), report)
            return []
        report.polled += 1
        now = _now().isoformat(timespec="seconds")
        nxt = (_now() + timedelta(seconds=self.every)).isoformat(timespec="seconds")
        if got.status == 304:
            report.unchanged += 1
            self.store.save_feed_state(replace(st, last_polled=now, last_ok=now, failures=0, next_poll=nxt,
                                               last_error=None))
            return []
        try:
            entries = list(self._entries(url, got.body))
        except BadInput as exc:
            self._fail(st, str(exc).removeprefix(f"{url}: "), report)
            return []
        seen = self.store.seen_items(url, [k for k, _, _ in entries])
        articles: list[Article] = []
        keys: list[tuple[str, str | None]] = []
        for key, entry_art, link in entries:
            if key in seen or self.stop.is_set():
                continue
            art = None
            if link and self._wait_for_host(link):
                try:
                    art = self.page(link, self.settings)
                    if entry_art is not None:  # the feed knows the outlet and date better than the page
                        art = replace(art, source=entry_art.source or art.source,
                                      published=art.published or entry_art.published,
                                      title=art.title or entry_art.title, format="feed")
                except BadInput as exc:
                    report.skipped.append(f"{link}: {str(exc).removeprefix(f'{link}: ')}; used the feed's text")
            art = art or entry_art
            if art is None:
                if self.stop.is_set():
                    continue  # not marked: the next run fetches it
                report.skipped.append(f"{url}: entry {key[:80]} has no text and its page could not be read")
                keys.append((key, None))
                continue
            articles.append(art)
            keys.append((key, art.hash))
        # Articles first, then the entries they came from: a crash in between re-reads, never loses.
        if articles:
            res = self.store.add(articles)
            self.store.record_copies(articles)
            report.added += res.added
        self.store.mark_items(url, keys)
        self.store.save_feed_state(replace(
            st, etag=got.etag, last_modified=got.last_modified, last_polled=now, last_ok=now, failures=0,
            next_poll=nxt, last_error=None,
        ))  # fmt: skip
        return articles

    def round(self) -> RoundReport:
        """Poll every due feed once, then place the new articles in stories."""
        from newsweave.stories.assign import assign_pending

        report = RoundReport()
        now = _now()
        for url in self.feeds:
            if self.stop.is_set():
                break
            try:
                if self._due(self.store.feed_state(url), now):
                    self.poll(url, report)
            except NewsweaveError as exc:  # the store failed: report, carry on with the next feed
                report.failed.append(f"{url}: {exc}")
        if report.added:
            placed = assign_pending(self.store, model=self.model)
            report.new_stories = placed.new_stories
            report.grown = placed.grown
        return report

    def describe(self, report: RoundReport) -> list[str]:
        """Lines for the user: story changes, failures, skipped entries."""
        lines = []
        for sid in report.new_stories:
            row = self.store.story(sid)
            if row is not None:
                lines.append(f"new story {sid}: {row.title or '(untitled)'} ({row.articles} article(s))")
        for sid, n in sorted(report.grown.items()):
            row = self.store.story(sid)
            if row is not None and sid not in report.new_stories:
                lines.append(f"story {sid} grew by {n}: {row.title or '(untitled)'} ({row.articles} article(s))")
        lines += [f"feed failed: {f}" for f in report.failed]
        lines += [f"skipped: {s}" for s in report.skipped]
        lines.append(
            f"round done: {report.polled} feed(s) polled, {report.unchanged} unchanged, {report.added} new "
            f"article(s), {len(report.new_stories)} new stor{'y' if len(report.new_stories) == 1 else 'ies'}, "
            f"{len(report.grown)} grew, {len(report.failed)} failed"
        )
        return lines

    def run(self, *, once: bool = False) -> int:
        """Rounds until stopped (or one with ``once``); returns how many rounds ran.

        SIGTERM and SIGINT stop the run cleanly when called from the main thread.
        """
        handlers = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                handlers[sig] = signal.signal(sig, lambda *_: self.stop.set())
        rounds = 0
        try:
            while not self.stop.is_set():
                report = self.round()
                rounds += 1
                for line in self.describe(report):
                    self.echo(line)
                if once or self.stop.wait(self.every):
                    break
        finally:
            for sig, h in handlers.items():
                signal.signal(sig, h)
        if self.stop.is_set():
            self.echo("watch stopped; the next run resumes from the store")
        return rounds
