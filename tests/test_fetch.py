"""URL fetching against a real HTTP server on 127.0.0.1 started by the tests."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsweave.config import Settings
from newsweave.errors import BadInput
from newsweave.ingest import read_inputs
from newsweave.ingest.fetch import fetch_url
from newsweave.models import Article

# The test server listens on loopback, which the URL policy refuses by default.
OPEN = Settings(allow_private_urls=True)

STORY = Path(__file__).parent / "data" / "ingest" / "story"
PAGE = (STORY / "page.html").read_bytes()
FEED = (STORY / "wire.rss").read_bytes()
JSONL = (STORY / "articles.jsonl").read_bytes()
LEGACY = "Zofia Łęcka powiedziała w środę, że łódź odpłynie o świcie."
PLAIN = b"date 2031-04-09 Fourteen ships waited offshore at Velmora on Wednesday.\n"


class Handler(BaseHTTPRequestHandler):
    """Routes for every case: pages, feeds, redirects, errors, oversize, slow."""

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, body: bytes, ctype: str, status: int = 200, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, to: str) -> None:
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        # The client may give up first (size limit, timeout): that is what we test.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route(self.path)

    def _route(self, path: str) -> None:
        if path == "/news/velmora-deal":  # no extension: the content type decides
            self._send(PAGE, "text/html; charset=utf-8")
        elif path == "/feeds/ports":
            self._send(FEED, "application/rss+xml")
        elif path == "/export":
            self._send(JSONL, "application/x-ndjson")
        elif path == "/export.jsonl":
            self._send(JSONL, "text/plain")
        elif path == "/brief":
            self._send(PLAIN, "text/plain; charset=utf-8")
        elif path == "/old-link":
            self._redirect("/moved")
        elif path == "/moved":
            self._redirect("/news/velmora-deal")
        elif path == "/loop":
            self._redirect("/loop")
        elif path == "/private":
            self._send(b"no", "text/plain", status=403)
        elif path == "/broken":
            self._send(b"oops", "text/plain", status=500)
        elif path == "/big":
            self._send(b"x" * 5000, "text/plain")
        elif path == "/big-no-length":  # servers may omit Content-Length
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(10):
                self.wfile.write(b"y" * 1000)
        elif path == "/slow":
            time.sleep(1.5)
            self._send(PLAIN, "text/plain")
        elif path == "/photo":
            self._send(b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")
        elif path == "/legacy":  # the header, not the bytes, says which encoding
            self._send(LEGACY.encode("cp1250"), "text/plain; charset=windows-1250")
        elif path == "/truncated":
            self._send(PAGE[:600], "text/html")
        else:
            self._send(b"not found", "text/plain", status=404)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the environment must not intercept loopback requests."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


def test_fetch_follows_a_few_redirects(server: str) -> None:
    got = fetch_url(f"{server}/old-link", settings=OPEN)
    assert got.body == PAGE
    assert got.url == f"{server}/news/velmora-deal"
    assert got.content_type == "text/html"
    brief = fetch_url(f"{server}/brief", settings=OPEN)
    assert (brief.body, brief.url) == (PLAIN, f"{server}/brief")


def test_redirect_loop(server: str) -> None:
    with pytest.raises(BadInput, match="redirected more than 5 times") as info:
        fetch_url(f"{server}/loop", settings=OPEN)
    assert info.value.path == f"{server}/loop"


def test_too_many_redirects_for_a_low_limit(server: str) -> None:
    with pytest.raises(BadInput, match="redirected more than 1 times"):
        fetch_url(f"{server}/old-link", max_redirects=1, settings=OPEN)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/nowhere", "HTTP 404 Not Found; check the URL"),
        ("/private", "HTTP 403"),
        ("/broken", "HTTP 500.*try again later"),
        ("/photo", "image/png, not an article"),
    ],
)
def test_http_errors_name_the_fix(server: str, path: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        fetch_url(server + path, settings=OPEN)


@pytest.mark.parametrize("path", ["/big", "/big-no-length"])
def test_size_limit(server: str, path: str) -> None:
    with pytest.raises(BadInput, match="limit"):
        fetch_url(server + path, max_bytes=2000, settings=OPEN)
    assert len(fetch_url(server + path, max_bytes=100_000, settings=OPEN).body) > 2000


def test_timeout(server: str) -> None:
    with pytest.raises(BadInput, match="did not answer within 0.3 s"):
        fetch_url(f"{server}/slow", timeout=0.3, settings=OPEN)


def test_connection_refused() -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens here now
    with pytest.raises(BadInput, match="could not be fetched.*check the address"):
        fetch_url(f"http://127.0.0.1:{port}/", settings=OPEN)


def test_only_http(server: str) -> None:
    with pytest.raises(BadInput, match="only http"):
        fetch_url("ftp://127.0.0.1/file.txt")


def test_read_inputs_from_urls(server: str) -> None:
    items = list(
        read_inputs(
            [
                f"{server}/old-link",
                f"{server}/feeds/ports",
                f"{server}/export",
                f"{server}/export.jsonl",
                f"{server}/brief",
                f"{server}/nowhere",
                f"{server}/truncated",
            ],
            settings=OPEN,
        )
    )
    arts = [x for x in items if isinstance(x, Article)]
    errs = [x for x in items if isinstance(x, BadInput)]
    page = arts[0]
    assert (page.format, page.title, page.source) == (
        "html",
        "Velmora dockers end strike",
        "The Orlin Courier",
    )
    assert page.url == f"{server}/news/velmora-deal" and page.path == f"{server}/old-link"
    assert [a.format for a in arts[1:]] == ["feed", "feed"] + ["jsonl"] * 6 + ["text"]
    brief = arts[-1]
    assert brief.text == PLAIN.decode() and brief.published == "2031-04-09"
    assert brief.source == "127.0.0.1"  # the URL's host, as the outlet of last resort
    # the feed's title-only entry, the 404 and the cut-off page are reported; the rest landed
    assert [e.path for e in errs] == [
        f"{server}/feeds/ports#entry3",
        f"{server}/nowhere",
        f"{server}/truncated",
    ]


def test_header_charset_is_honoured(server: str) -> None:
    got = fetch_url(f"{server}/legacy", settings=OPEN)
    assert got.charset == "windows-1250"
    (a,) = list(read_inputs([f"{server}/legacy"], settings=OPEN))
    assert isinstance(a, Article) and a.text == LEGACY
