"""The newsroom web app: Starlette routes over :class:`~newsweave.web.data.Data`.

Every page has a JSON twin at its path plus ``.json`` (``/`` has
``/index.json``), built by :mod:`newsweave.web.pages`; the HTML is a Jinja2
view of that same data, autoescaped. Story pages are rendered once per story
version and served from memory after that.

Safe defaults, all in this module: a Content-Security-Policy that allows only
this server's own scripts and styles (no inline script or style), no framing,
no referrer, ``nosniff``; and, when bound to loopback, a Host-header check so
a web page elsewhere cannot reach the app through DNS rebinding.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsweave import __version__
from newsweave.errors import NewsweaveError, StoreError
from newsweave.render.common import quote_text
from newsweave.web.api import RateLimiter, post_articles
from newsweave.web.cache import KeyedCache, TTLCache
from newsweave.web.data import Data, StoryGone, story_dict
from newsweave.web.listing import Filters, next_visit_cookie, parse_day, visit_threshold
from newsweave.web.openapi import openapi
from newsweave.web.pages import article_json, article_paragraphs, front_json, search_json
from newsweave.web.timeline import timeline_picture
from newsweave.web.views import (
    StoryView,
    article_path,
    date_text,
    dispute_label,
    safe_url,
    status_label,
    story_path,
)

log = logging.getLogger(__name__)

__all__ = ["CSP", "LOOPBACK_HOSTS", "create_app"]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
VISIT_COOKIE = "nw_visit"
_WEB = Path(str(resources.files("newsweave.web")))
_RENDER_ASSETS = Path(str(resources.files("newsweave.render"))) / "assets"


class Guard:
    """ASGI middleware: security headers on every response; Host check on loopback."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str] | None) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.hosts is not None:
            host = _host(dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1"))
            if host not in self.hosts and not host.startswith("127."):
                resp = Response("unknown Host header; open this server as http://127.0.0.1:PORT/\n",
                                status_code=400, media_type="text/plain")
                await resp(scope, receive, self._with_headers(send))
                return
        await self.app(scope, receive, self._with_headers(send))

    def _with_headers(self, send: Send) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for k, v in _HEADERS:
                    if k.decode() not in headers:
                        headers.append(k.decode(), v.decode())
            await send(message)

        return wrapped


def _host(value: str) -> str:
    """The host name of a Host header, without port or IPv6 brackets.

    >>> _host("127.0.0.1:8000"), _host("[::1]:80"), _host("LocalHost")
    ('127.0.0.1', '::1', 'localhost')
    """
    v = value.strip().lower()
    if v.startswith("["):
        return v[1 : v.find("]")] if "]" in v else v
    return v.rsplit(":", 1)[0] if v.count(":") == 1 else v


def _asset_version() -> str:
    h = hashlib.sha256()
    for folder in (_WEB / "static", _RENDER_ASSETS):
        for p in sorted(folder.glob("*")):
            if p.is_file():
                h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:10]


def escape_text(value: Any) -> Any:
    """Escape a value for HTML, writing "=" as ``&#61;`` too.

    The page reads the same; the markup never holds an attribute-shaped run
    of article text (``onerror=...``), so naive scanners and filters that
    look for one find nothing either. Markup built by the app passes as is.

    >>> str(escape_text("<img src=x onerror=alert(1)>"))
    '&lt;img src&#61;x onerror&#61;alert(1)&gt;'
    """
    if value is None or isinstance(value, Markup):
        return value
    return Markup(str(escape(value)).replace("=", "&#61;"))


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newsweave.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=escape_text,
    )
    version = _asset_version()
    env.globals.update(
        static=lambda name: f"/static/{name}?v={version}",
        story_path=story_path,
        article_path=article_path,
        safe_url=safe_url,
        date_text=date_text,
        dispute_label=dispute_label,
        status_label=status_label,
        quote_text=quote_text,
        version=__version__,
    )
    return env


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        resp: Response = JSONResponse({"error": message}, status_code=status)
    else:
        html = request.app.state.render("error.html", status=status, message=message, json_url=None, q=None)
        resp = HTMLResponse(html, status_code=status)
    # A 500 is answered outside the middleware stack: set the headers here too.
    for k, v in _HEADERS:
        resp.headers.setdefault(k.decode(), v.decode())
    return resp


class Pages:
    """The route handlers; one instance per app, holding its data and caches."""

    def __init__(self, data: Data, render: Callable[..., str], poll_seconds: float) -> None:
        self.data = data
        self.render = render
        self.poll_ms = int(poll_seconds * 1000)
        self.html: KeyedCache[bytes] = KeyedCache(data.briefings.size)
        self.gzipped: KeyedCache[bytes] = KeyedCache(2 * data.briefings.size)
        # Front pages by (filters, marks threshold): rebuilt when articles arrive.
        self.fronts: TTLCache[tuple[dict[str, Any], bytes]] = TTLCache(data.listings.ttl, size=256)

    # ------------------------------------------------------------ front page
    async def front(self, request: Request) -> Response:
        """The front page or its twin; a listing already built is served from memory."""
        as_json = request.url.path.endswith(".json")
        qp = request.query_params
        try:
            page = int(qp.get("page", "1") or "1")
            f = Filters(
                query=(qp.get("q") or "").strip()[:500] or None,
                outlet=(qp.get("outlet") or "").strip()[:200] or None,
                start=parse_day(qp.get("from"), "from"),
                end=parse_day(qp.get("to"), "to"),
                page=max(1, min(page, 100_000)),
            )
            since = _since(qp.get("since"))
        except ValueError as exc:
            return _error(request, 400, str(exc).replace("invalid literal for int() with base 10", "page"))
        cookie = request.cookies.get(VISIT_COOKIE)
        threshold = since or visit_threshold(cookie)
        key, count = (f, threshold, since), self.data.store().count()

        def build() -> tuple[dict[str, Any], bytes]:
            return self._front(f, threshold, since)

        built = self.fronts.peek(key, count, build)
        if built is None:
            try:
                built = await run_in_threadpool(self.fronts.get, key, count, build)
            except StoreError as exc:
                if f.query:
                    return _error(request, 400, str(exc))
                raise
        listing, html = built
        if as_json:
            return JSONResponse(listing, headers={"Cache-Control": "no-cache"})
        resp = Response(html, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})
        if not since:
            resp.set_cookie(VISIT_COOKIE, next_visit_cookie(cookie), max_age=400 * 86400, httponly=True,
                            samesite="lax", path="/")
        return resp

    def _front(self, f: Filters, threshold: str | None, since: str | None) -> tuple[dict[str, Any], bytes]:
        listing = front_json(self.data, f, threshold)
        params = f.params() | ({"since": since} if since else {})
        pages = [(n, "/?" + urlencode(params | {"page": str(n)})) for n in (listing["page"] - 1, listing["page"] + 1)]
        html = self.render(
            "index.html", page=listing, f=f, prev=pages[0] if pages[0][0] >= 1 else None,
            next=pages[1] if pages[1][0] <= listing["pages"] else None, q=f.query,
            json_url="/index.json" + ("?" + urlencode(params | {"page": str(listing["page"])}) if params else ""),
        )
        return listing, html.encode("utf-8")

    # ------------------------------------------------------------ story page
    async def story(self, request: Request) -> Response:
        """A story page or its twin. A briefed story is answered on the event
        loop from memory; briefing and first renders run in a worker thread."""
        sid = request.path_params["sid"]
        as_json = request.url.path.endswith(".json")
        try:
            since = _since(request.query_params.get("since"))
        except ValueError as exc:
            return _error(request, 400, str(exc))
        row = self.data.story(sid)  # one indexed query: cheap enough for the loop
        if row is None:
            return _error(request, 404, f"no story {sid!r}; the front page lists the stories")
        if row.id != sid:  # merged into another story
            target = story_path(row.id) + (".json" if as_json else "")
            return RedirectResponse(target + (f"?{request.url.query}" if request.url.query else ""), 301)
        entry = self.data.cached_briefing(row, since)
        if entry is None:
            try:
                entry = await run_in_threadpool(self.data.briefing, row, since)
            except StoryGone:
                return _error(request, 404, f"story {sid!r} holds no articles now (merged or emptied); "
                                            "the front page lists the current stories")
        etag = '"' + hashlib.sha1(repr(entry.key).encode()).hexdigest()[:20] + ('j"' if as_json else 'h"')
        headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        kind = "json" if as_json else "html"
        if as_json:
            body = entry.body
        else:
            page = self.html.peek(entry.key)
            if page is None:
                page = await run_in_threadpool(
                    self.html.get_or_build, entry.key, lambda: self._story_html(row, entry.data, since))
            body = page
        media = "application/json" if as_json else "text/html; charset=utf-8"
        if "gzip" in request.headers.get("accept-encoding", ""):
            # Compressed once per story version: a 100 KB page goes out as about 20 KB.
            plain = body
            packed = self.gzipped.peek((kind, entry.key))
            if packed is None:
                packed = await run_in_threadpool(
                    self.gzipped.get_or_build, (kind, entry.key), lambda: gzip.compress(plain, 6))
            return Response(packed, media_type=media, headers=headers | {"Content-Encoding": "gzip"})
        return Response(body, media_type=media, headers=headers)

    def _story_html(self, row: Any, b: dict[str, Any], since: str | None) -> bytes:
        v = StoryView(b)
        picture = timeline_picture(b)
        return self.render(
            "story.html", b=b, v=v, story=story_dict(row), picture=picture, svg=Markup(picture.svg),
            folded=v.folded(), counts=v.counts(), since=since, poll_ms=self.poll_ms, q=None,
            poll_url="/api/stories/" + story_path(row.id).rsplit("/", 1)[1],
            json_url=story_path(row.id) + ".json" + (f"?since={since}" if since else ""),
        ).encode("utf-8")

    def story_row(self, request: Request) -> Response:
        row = self.data.story(request.path_params["sid"])
        if row is None:
            return _error(request, 404, "no such story")
        return JSONResponse(story_dict(row) | {"url": story_path(row.id)}, headers={"Cache-Control": "no-store"})

    # ---------------------------------------------------------- article page
    def article(self, request: Request) -> Response:
        key = request.path_params["key"]
        as_json = key.endswith(".json")
        a = self.data.article(key[: -len(".json")]) if as_json else None
        if a is None:  # an id that itself ends in ".json" is still an id
            as_json, a = False, self.data.article(key)
        if a is None:
            return _error(request, 404, f"no article {key!r}; search for it on the search page")
        j = article_json(self.data, a)
        if as_json:
            return JSONResponse(j)
        wanted = {int(x) for x in request.query_params.get("s", "").split(",")[:50] if x.strip().isdigit()}
        spans = [(int(m[1]), int(m[2])) for r in request.query_params.get("r", "").split(",")[:50]
                 if (m := re.fullmatch(r"(\d{1,9})-(\d{1,9})", r.strip()))]
        wanted |= {s.index for s in self.data.sentences(a) if any(x < s.end and s.start < y for x, y in spans)}
        marked = {i for items in j["cited_by"].values() for it in items for i in it["sentences"]}
        paragraphs = article_paragraphs(a, self.data.sentences(a), wanted)
        html = self.render("article.html", a=j, paragraphs=paragraphs, marked=marked, q=None,
                           json_url=article_path(a.hash) + ".json")
        return HTMLResponse(html)

    # ---------------------------------------------------------------- search
    def search(self, request: Request) -> Response:
        as_json = request.url.path.endswith(".json")
        q = (request.query_params.get("q") or "").strip()[:500]
        try:
            limit = max(1, min(100, int(request.query_params.get("limit", "20") or "20")))
        except ValueError:
            return _error(request, 400, "limit must be a number from 1 to 100")
        error = None
        try:
            result = search_json(self.data, q, limit)
        except StoreError as exc:
            if as_json:
                return _error(request, 400, str(exc))
            error, result = str(exc), {"query": q, "hits": [], "count": 0}
        if as_json:
            return JSONResponse(result)
        html = self.render("search.html", r=result, q=q, error=error,
                           json_url="/search.json?" + urlencode({"q": q}) if q else None)
        return HTMLResponse(html, status_code=400 if error else 200)


def _since(value: str | None) -> str | None:
    """A ``since`` value: a date, or an ISO time (kept to the second, in UTC).

    >>> _since("2026-03-10"), _since("2026-03-10T09:30:00+01:00")
    ('2026-03-10', '2026-03-10T08:30:00')
    """
    if not value or not value.strip():
        return None
    v = value.strip()[:40]
    if len(v) == 10:
        return parse_day(v, "since")
    try:
        ts = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"since {value!r} is invalid; must be a date like 2026-03-10 or an ISO time") from None
    if ts.tzinfo is not None:
        ts = ts.astimezone(UTC).replace(tzinfo=None)
    return ts.replace(microsecond=0).isoformat()


def create_app(
    data: Data,
    *,
    token: str | None = None,
    hosts: frozenset[str] | None = LOOPBACK_HOSTS,
    poll_seconds: float = 30.0,
    limiter: RateLimiter | None = None,
) -> Starlette:
    """The ASGI app.

    Args:
        data: the store access (see :class:`Data`).
        token: the bearer token that allows ``POST /api/articles``; None refuses every write.
        hosts: Host names accepted (None: any, for a server bound beyond loopback).
        poll_seconds: how often an open story page checks for new articles.
        limiter: the write rate limiter (default: 30 writes a minute, bursts of 10, per client).
    """
    env = _environment()

    def render(name: str, **ctx: Any) -> str:
        return env.get_template(name).render(**ctx)

    pages = Pages(data, render, poll_seconds)
    schema = resources.files("newsweave.render").joinpath("briefing.schema.json")

    def spec(request: Request) -> Response:
        return JSONResponse(openapi(__version__))

    def briefing_schema(request: Request) -> Response:
        if not schema.is_file():
            return _error(request, 404, "this version ships no briefing JSON Schema")
        return Response(schema.read_bytes(), media_type="application/schema+json")

    routes = [
        Route("/", pages.front),
        Route("/index.json", pages.front),
        Route("/stories/{sid}.json", pages.story),
        Route("/stories/{sid}", pages.story),
        Route("/articles/{key:path}", pages.article),
        Route("/search.json", pages.search),
        Route("/search", pages.search),
        Route("/api/stories/{sid}", pages.story_row),
        Route("/api/articles", post_articles, methods=["POST"]),
        Route("/api/openapi.json", spec),
        Route("/api/briefing.schema.json", briefing_schema),
        Mount("/static/render", StaticFiles(directory=_RENDER_ASSETS), name="render-assets"),
        Mount("/static", StaticFiles(directory=_WEB / "static"), name="static"),
    ]

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 404:
            return _error(request, 404, "no such page; the front page lists the stories")
        if exc.status_code == 405:
            return _error(request, 405, f"{request.method} is not allowed here")
        return _error(request, exc.status_code, str(exc.detail))

    async def store_error(request: Request, exc: Exception) -> Response:
        log.error("store error on %s: %s", request.url.path, exc)
        return _error(request, 503, f"the database cannot be read right now: {exc}")

    async def server_error(request: Request, exc: Exception) -> Response:
        # The server logs the traceback; the reader gets no internals.
        return _error(request, 500, "something went wrong on the server; the server log has the details")

    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: http_error, NewsweaveError: store_error, Exception: server_error},
    )
    app.state.data = data
    app.state.token = token or None
    app.state.limiter = limiter or RateLimiter()
    app.state.render = render
    app.state.pages = pages
    app.add_middleware(Guard, hosts=hosts)
    return app
