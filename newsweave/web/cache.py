"""Small in-process caches for the web app: built values by key, lists by age.

The story page must not re-analyse a story on each request, so its briefing
(and the page rendered from it) is kept per story *version*: the key holds the
story's ``updated_at`` and article count, so a story that grows gets a new key
and the old entry simply ages out of the LRU. When several requests want the
same missing key at once, one builds it and the others wait for that result
(no stampede of identical builds on a 2-core machine).

>>> c = KeyedCache(2)
>>> c.get_or_build("a", lambda: 1), c.get_or_build("a", lambda: 2)
(1, 1)
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class KeyedCache(Generic[V]):
    """A thread-safe LRU whose misses are built once per key.

    Args:
        size: how many entries to keep; the least recently used goes first.
    """

    def __init__(self, size: int = 64) -> None:
        if size < 1:
            raise ValueError(f"cache size {size} is invalid; must be at least 1")
        self.size = size
        self._data: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def peek(self, key: Hashable) -> V | None:
        """The cached value, or None; never builds."""
        with self._lock:
            return self._data.get(key)

    def get_or_build(
        self, key: Hashable, build: Callable[[], V], valid: Callable[[V], bool] | None = None
    ) -> V:
        """The cached value for ``key``, building it (once) when missing.

        ``valid`` may reject a cached value (too old), which then counts as
        missing. An exception from ``build`` reaches the caller and nothing is
        cached, so the next request tries again.
        """

        def cached() -> tuple[bool, V | None]:
            if key in self._data:
                value = self._data[key]
                if valid is None or valid(value):
                    self._data.move_to_end(key)
                    self.hits += 1
                    return True, value
            return False, None

        with self._lock:
            found, value = cached()
            if found:
                return value  # type: ignore[return-value]
            key_lock = self._building.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                found, value = cached()  # another thread built it while we waited
                if found:
                    return value  # type: ignore[return-value]
                self.misses += 1
            try:
                fresh = build()
            finally:
                with self._lock:
                    self._building.pop(key, None)
            with self._lock:
                self._data[key] = fresh
                self._data.move_to_end(key)
                while len(self._data) > self.size:
                    self._data.popitem(last=False)
            return fresh

    def put(self, key: Hashable, value: V) -> None:
        """Store ``value`` under ``key`` (replacing any)."""
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (after a write that changes many stories)."""
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


class TTLCache(Generic[V]):
    """Values kept while their ``check`` token is unchanged, refreshed after ``ttl`` seconds.

    Used for the story list: recomputing it for every front-page request on a
    store of 10,000 articles would cost more than the page itself. When the
    check token (the article count) changes, the value is rebuilt before it is
    served, so new articles show at once; when only the TTL has run out (a
    story merged by another process), the old value is served while one
    background thread rebuilds it, so no reader waits for the refresh.

    >>> t = TTLCache(60.0)
    >>> t.get("k", 1, lambda: "x"), t.get("k", 1, lambda: "y"), t.get("k", 2, lambda: "z")
    ('x', 'x', 'z')
    """

    def __init__(self, ttl: float, size: int = 32) -> None:
        self.ttl = ttl
        self._inner: KeyedCache[tuple[float, Hashable, V]] = KeyedCache(size)
        self._refreshing: set[Hashable] = set()
        self._lock = threading.Lock()

    def get(self, key: Hashable, check: Hashable, build: Callable[[], V]) -> V:
        """The value for ``key`` built under ``check`` (stale by age at most once)."""

        def current(entry: tuple[float, Hashable, V]) -> bool:
            return entry[1] == check

        entry = self._inner.get_or_build(key, lambda: (time.monotonic(), check, build()), current)
        if time.monotonic() - entry[0] >= self.ttl:
            self._refresh(key, check, build)
        return entry[2]

    def peek(self, key: Hashable, check: Hashable, build: Callable[[], V]) -> V | None:
        """The value if present and built under ``check``, without building on
        this thread (a stale one is refreshed in the background); else None."""
        entry = self._inner.peek(key)
        if entry is None or entry[1] != check:
            return None
        if time.monotonic() - entry[0] >= self.ttl:
            self._refresh(key, check, build)
        return entry[2]

    def _refresh(self, key: Hashable, check: Hashable, build: Callable[[], V]) -> None:
        with self._lock:
            if key in self._refreshing:
                return
            self._refreshing.add(key)

        def run() -> None:
            try:
                self._inner.put(key, (time.monotonic(), check, build()))
            except Exception:  # noqa: BLE001 - the next request rebuilds or tries again
                pass
            finally:
                with self._lock:
                    self._refreshing.discard(key)

        threading.Thread(target=run, name="newsweave-refresh", daemon=True).start()

    def clear(self) -> None:
        """Forget everything."""
        self._inner.clear()
