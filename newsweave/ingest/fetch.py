"""Fetching URLs under the URL policy: one public function, :func:`fetch_url`.

The policy (schemes, refused addresses, the deadline) lives in
:mod:`newsweave.ingest.urlpolicy`; this module does the HTTP: redirects one
hop at a time (each hop's URL and address checked again), conditional GET
(``ETag``/``Last-Modified`` in, a ``not_modified`` result out), and a size cap
counted after decompression, with gzip and deflate inflated here in bounded
steps so a small compressed body cannot expand past the cap in memory.

Every failure is a :class:`BadInput` naming the URL, what went wrong and what
to do, so one dead link in a list of feeds does not stop the batch.

Example:
    >>> got = fetch_url("https://example.org/feed.xml", settings=Settings())  # doctest: +SKIP
    >>> again = fetch_url(got.url, etag=got.etag, last_modified=got.last_modified)  # doctest: +SKIP
    >>> again.not_modified  # doctest: +SKIP
    True
"""

from __future__ import annotations

import ssl
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

from newsweave.config import Settings
from newsweave.errors import BadInput
from newsweave.ingest.files import human_size
from newsweave.ingest.urlpolicy import BlockedAddress, GuardedBackend, Resolver, UrlPolicy, check_url

__all__ = ["MAX_BYTES", "MAX_REDIRECTS", "TIMEOUT_S", "Fetched", "fetch", "fetch_url"]

MAX_BYTES = Settings().max_article_size
TIMEOUT_S = Settings().fetch_timeout
MAX_REDIRECTS = 5
USER_AGENT = "newsweave/0.1 (+news briefing tool)"
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,application/json;q=0.8,text/plain;q=0.8,*/*;q=0.5"
)
# Content types that are never an article, a feed or JSONL.
_BINARY_TYPES = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip",
                 "application/octet-stream", "application/gzip")  # fmt: skip
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched document.

    ``url`` is the URL after redirects. For a conditional GET that the server
    answered with 304, ``not_modified`` is True and ``body`` is empty. Pass
    ``etag`` and ``last_modified`` back to :func:`fetch_url` next time.
    """

    body: bytes
    url: str
    content_type: str = ""
    charset: str | None = None  # from the Content-Type header
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


class _Inflater:
    """gzip/deflate in bounded steps: never more than ``room`` bytes out at once."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.raw_deflate = False
        self.started = False
        self._d = zlib.decompressobj(16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        """Inflate ``data``; returns more than ``room`` bytes only when the body is over the cap."""
        out = bytearray()
        while data:
            try:
                got = self._d.decompress(data, room + 1 - len(out))
            except zlib.error:
                if self.encoding == "deflate" and not self.started and not self.raw_deflate:
                    # Servers send "deflate" both zlib-wrapped and raw.
                    self.raw_deflate = True
                    self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise
            self.started = True
            out += got
            if len(out) > room:
                return bytes(out)
            data = self._d.unconsumed_tail
        return bytes(out)


def _header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> str | None:
    for k, v in headers:
        if k.lower() == name:
            return v.decode("latin-1").strip()
    return None


@lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    import httpx

    return httpx.create_ssl_context()


def fetch_url(
    url: str,
    *,
    settings: Settings | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
    deadline: float | None = None,
    max_redirects: int | None = None,
    allow_private: bool | None = None,
    resolve: Resolver | None = None,
) -> Fetched:
    """GET a URL under the URL policy and within the limits.

    Args:
        url: an ``http://`` or ``https://`` URL.
        settings: ``allow_private_urls``, ``fetch_deadline`` (the whole fetch),
            ``fetch_timeout`` (one connect or read) and ``max_article_size``
            (the body after decompression); defaults when None.
        etag, last_modified: validators from an earlier :class:`Fetched`; the
            server may then answer "not modified" (``Fetched.not_modified``).
        max_bytes, timeout, deadline, max_redirects, allow_private: override
            single settings.
        resolve: ``(host, port) -> [ip, ...]`` instead of the system resolver.

    Raises:
        BadInput: for refused URLs and addresses, HTTP errors, too many
            redirects, timeouts and the deadline, oversize or binary bodies,
            and network failures; the message says what to do.
    """
    policy = UrlPolicy.from_settings(
        settings, max_bytes=max_bytes, timeout_s=timeout, deadline_s=deadline,
        max_redirects=max_redirects, allow_private=allow_private,
    )  # fmt: skip
    check_url(url)
    started = time.monotonic()
    backend = GuardedBackend(policy, started + policy.deadline_s, resolve)
    try:
        return _fetch(url, policy, backend, etag, last_modified)
    except BlockedAddress as exc:
        raise BadInput(str(exc), url) from None
    except BadInput:
        raise
    except Exception as exc:
        raise _network_error(exc, url, policy, time.monotonic() - started) from None


def _network_error(exc: Exception, url: str, policy: UrlPolicy, took: float) -> BadInput:
    import httpcore

    if isinstance(exc, httpcore.TimeoutException):
        if took >= policy.deadline_s - 0.5:
            return BadInput(
                f"did not finish within the {policy.deadline_s:g} s deadline (the server is too slow); "
                "try again later, or allow more time with --fetch-deadline",
                url,
            )
        return BadInput(f"did not answer within {policy.timeout_s:g} s; try again later", url)
    if isinstance(exc, zlib.error):
        return BadInput(f"sent a damaged compressed body ({exc}); try again later", url)
    if isinstance(exc, (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol,
                        httpcore.ProxyError, OSError, ValueError, UnicodeError)):  # fmt: skip
        return BadInput(
            f"could not be fetched ({exc.__class__.__name__}: {exc}); check the address and your connection",
            url,
        )
    raise exc


def _fetch(
    url: str, policy: UrlPolicy, backend: GuardedBackend, etag: str | None, last_modified: str | None
) -> Fetched:
    import httpcore
    import httpx

    headers = [(b"User-Agent", USER_AGENT.encode()), (b"Accept", _ACCEPT.encode()),
               (b"Accept-Encoding", b"gzip, deflate")]  # fmt: skip
    if etag:
        headers.append((b"If-None-Match", etag.encode("latin-1", "replace")))
    if last_modified:
        headers.append((b"If-Modified-Since", last_modified.encode("latin-1", "replace")))
    t = policy.timeout_s
    ext = {"timeout": {"connect": t, "read": t, "write": t, "pool": t}}
    current = url
    with httpcore.ConnectionPool(ssl_context=_ssl_context(), network_backend=backend, max_connections=2) as pool:
        for _hop in range(policy.max_redirects + 1):
            u = httpx.URL(current)
            target = httpcore.URL(scheme=u.raw_scheme, host=u.raw_host, port=u.port, target=u.raw_path)
            with pool.stream("GET", target, headers=headers, extensions=ext) as resp:
                status = resp.status
                if status in _REDIRECTS:
                    location = _header(resp.headers, b"location")
                    if not location:
                        raise BadInput(f"answered HTTP {status} (a redirect) without a Location; check the URL", url)
                    nxt = urljoin(current, location)
                    try:
                        check_url(nxt)
                    except BadInput as exc:
                        raise BadInput(f"redirects to {nxt!r}, which is refused: {exc}", url) from None
                    current = nxt
                    continue
                return _response(url, current, resp, policy, etag, last_modified)
    raise BadInput(
        f"redirected more than {policy.max_redirects} times (a redirect loop?); open it in a browser and "
        "give the final URL",
        url,
    )


def _response(
    url: str, final: str, resp: object, policy: UrlPolicy, etag: str | None, last_modified: str | None
) -> Fetched:
    from newsweave.ingest.decode import declared_charset

    status: int = resp.status  # type: ignore[attr-defined]
    headers: list[tuple[bytes, bytes]] = resp.headers  # type: ignore[attr-defined]
    new_etag = _header(headers, b"etag")
    new_modified = _header(headers, b"last-modified")
    if status == 304 and (etag or last_modified):
        return Fetched(b"", final, status=304, etag=new_etag or etag,
                       last_modified=new_modified or last_modified, not_modified=True)  # fmt: skip
    if status >= 400:
        hint = "check the URL" if status < 500 else "the site has a problem; try again later"
        reason = resp.extensions.get("reason_phrase", b"").decode("latin-1", "replace")  # type: ignore[attr-defined]
        raise BadInput(f"server answered HTTP {status} {reason}".rstrip() + f"; {hint}", url)
    header = _header(headers, b"content-type") or ""
    ctype = header.split(";")[0].strip().lower()
    if ctype.startswith(_BINARY_TYPES):
        raise BadInput(f"is {ctype}, not an article page, feed or JSONL; give the article's URL", url)
    cap = policy.max_bytes
    declared = _header(headers, b"content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise BadInput(f"is {int(declared):,} bytes; the limit is {cap:,}; save it and read the file", url)
    encoding = (_header(headers, b"content-encoding") or "identity").lower()
    if encoding in ("x-gzip",):
        encoding = "gzip"
    if encoding not in ("identity", "gzip", "deflate"):
        raise BadInput(f"is sent with Content-Encoding {encoding}, which newsweave cannot read", url)
    inflater = _Inflater(encoding) if encoding != "identity" else None
    body = bytearray()
    for chunk in resp.iter_stream():  # type: ignore[attr-defined]
        room = cap - len(body)
        body += inflater.feed(chunk, room) if inflater else chunk
        if len(body) > cap:  # servers can omit or lie about Content-Length
            raise BadInput(
                f"is larger than the {cap:,}-byte ({human_size(cap)}) limit after decompression; "
                "save it and read the file, or raise --max-article-size",
                url,
            )
    return Fetched(bytes(body), final, ctype, declared_charset(b"", header), status, new_etag, new_modified)


def fetch(url: str, *, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_S) -> tuple[bytes, str]:
    """GET a URL; return (body, final URL). See :func:`fetch_url`."""
    got = fetch_url(url, max_bytes=max_bytes, timeout=timeout)
    return got.body, got.url
