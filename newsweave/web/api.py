"""Writes through the API: ``POST /api/articles``, guarded and bounded.

* Refused (403) unless the server was started with a token (``--token`` or
  ``NEWSWEAVE_TOKEN``); then ``Authorization: Bearer TOKEN`` is required
  (401 otherwise, compared in constant time).
* At most ``MAX_BODY`` bytes per request (413), counted as the body streams
  in, whatever ``Content-Length`` claims.
* Rate limited per client address with a token bucket (429 + ``Retry-After``),
  before the token is checked, so guessing tokens is slow too.
* The body is one JSON article, a JSON array of articles, or JSONL lines,
  with the fields of the JSONL input (``text`` required). A ``url`` is stored
  as the article's address and never fetched: the API reads no URLs.
"""

from __future__ import annotations

import hmac
import json
import threading
import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from newsweave.errors import BadInput, NewsweaveError
from newsweave.ingest.jsonl import iter_jsonl, parse_record
from newsweave.models import Article
from newsweave.web.views import article_path

__all__ = ["MAX_BODY", "RateLimiter", "parse_body", "post_articles"]

MAX_BODY = 1_000_000  # bytes per request
_TYPES = ("application/json", "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "text/plain")


class RateLimiter:
    """A token bucket per client: ``burst`` requests at once, then ``per_minute``.

    >>> r = RateLimiter(per_minute=60, burst=2)
    >>> [r.allow("a", now=0.0)[0] for _ in range(3)], r.allow("a", now=1.0)[0]
    ([True, True, False], True)
    """

    def __init__(self, per_minute: float = 30.0, burst: int = 10) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, now: float | None = None) -> tuple[bool, float]:
        """Whether ``client`` may write now, and else how many seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if len(self._buckets) > 10_000:  # forget idle clients; memory stays bounded
                self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 600}
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                return True, 0.0
            self._buckets[client] = (tokens, now)
            return False, (1.0 - tokens) / self.rate if self.rate else 60.0


def parse_body(text: str) -> list[Article | BadInput]:
    """One JSON article, a JSON array of articles, or JSONL lines.

    >>> [type(x).__name__ for x in parse_body('{"text": "Dockers struck.",\\n "title": "Port"}')]
    ['Article']
    >>> [type(x).__name__ for x in parse_body('{"text": "A."}\\n{"title": "no text"}')]
    ['Article', 'BadInput']
    """
    try:
        whole = json.loads(text)
    except (ValueError, RecursionError):
        whole = None
    try:
        if isinstance(whole, dict):
            try:
                return [parse_record(whole, "request")]
            except BadInput as exc:
                return [exc]
        return list(iter_jsonl(text, "request"))
    except RecursionError:
        return [BadInput("JSON nested too deeply; send flat article objects", "request")]


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it runs past ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def post_articles(request: Request) -> JSONResponse:
    """``POST /api/articles``: add articles (see the module docstring)."""
    state = request.app.state
    token: str | None = state.token
    if not token:
        return _error(
            403,
            "writes are disabled on this server; start it with --token T (or NEWSWEAVE_TOKEN) "
            "and send 'Authorization: Bearer T'",
        )
    client = request.client.host if request.client else "?"
    ok, wait = state.limiter.allow(client)
    if not ok:
        return _error(429, f"too many writes; retry in {wait:.0f} s", {"Retry-After": str(max(1, round(wait)))})
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        return _error(401, "missing or wrong token; send 'Authorization: Bearer T'", {"WWW-Authenticate": "Bearer"})
    ctype = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if ctype not in _TYPES:
        return _error(415, f"content type {ctype!r} is not accepted; send application/json or application/x-ndjson")
    body = await _read_body(request, MAX_BODY)
    if body is None:
        return _error(413, f"request body over {MAX_BODY:,} bytes; send fewer articles per request")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _error(400, f"body is not UTF-8 ({exc.reason} at byte {exc.start})")
    items = parse_body(text)
    errors = [str(x) for x in items if isinstance(x, BadInput)]
    if not any(isinstance(x, Article) for x in items):
        return _error(400, "; ".join(errors[:20]) or 'no article in the body; send {"text": "..."}')
    try:
        result, fresh = await run_in_threadpool(state.data.add, items)
    except NewsweaveError as exc:
        return _error(503, str(exc))
    payload: dict[str, Any] = {
        "added": result.added,
        "already_stored": result.skipped_existing,
        "failed": result.failed,
        "errors": list(result.errors),
        "articles": [{"id": a.id, "hash": a.hash, "url": article_path(a.hash)} for a in fresh],
    }
    return JSONResponse(payload, status_code=201 if result.added else 200)
