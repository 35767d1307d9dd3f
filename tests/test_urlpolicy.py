"""The URL policy: refused addresses, pinned connections, redirects, deadline, size.

Servers are real and listen on 127.0.0.1; a resolver passed to ``fetch_url``
plays the DNS server, so host names can point anywhere without a network.
"""

from __future__ import annotations

import contextlib
import gzip
import ipaddress
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import newsweave.ingest.urlpolicy as urlpolicy
from newsweave.config import Settings
from newsweave.errors import BadInput
from newsweave.ingest.fetch import fetch_url
from newsweave.ingest.urlpolicy import address_problem, check_url

BODY = b"Dockers at Velmora walked out on Monday, the union said.\n"
SEEN: list[tuple[str, str]] = []  # (path, Host header) of every request the server got


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for k, v in {"Content-Type": "text/plain", "Content-Length": str(len(body)), **(headers or {})}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        SEEN.append((self.path, self.headers.get("Host", "")))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route()

    def _route(self) -> None:
        p = self.path
        if p == "/page":
            self._send(BODY)
        elif p.startswith("/to?"):  # /to?URL: redirect there
            self._send(b"", 302, {"Location": p[4:]})
        elif p == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                self._send(b"", 304, {"ETag": '"v1"'})
            else:
                self._send(BODY, headers={"ETag": '"v1"', "Last-Modified": "Mon, 03 Mar 2031 10:00:00 GMT"})
        elif p == "/gzip":
            self._send(gzip.compress(BODY), headers={"Content-Encoding": "gzip"})
        elif p == "/bomb":  # 64 kB on the wire, 64 MB inflated
            self._send(gzip.compress(b"a" * 64_000_000, 9), headers={"Content-Encoding": "gzip"})
        elif p == "/brotli":
            self._send(b"\x0b\x02\x80hello\x03", headers={"Content-Encoding": "br"})
        elif p == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(0.2)
        else:
            self._send(b"not found", 404)


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield int(httpd.server_address[1])
    finally:
        httpd.shutdown()
        httpd.server_close()


OPEN = Settings(allow_private_urls=True)


# ------------------------------------------------------------------ addresses


@pytest.mark.parametrize(
    ("ip", "problem"),
    [
        ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
        ("10.0.0.5", "private"), ("172.16.3.4", "private"), ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
        ("fc00::1", "private"), ("100.64.0.1", "non-public"), ("0.0.0.0", "unspecified"),
        ("224.0.0.251", "multicast"), ("ff02::1", "multicast"), ("240.0.0.1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.169.254", "link-local"),
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
        ("64:ff9b::a00:1", "private"),  # NAT64 around 10.0.0.1
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "private"),  # Teredo, client 10.0.0.1
        ("93.184.216.34", None), ("2606:4700:4700::1111", None), ("::ffff:93.184.216.34", None),
    ],
)  # fmt: skip
def test_address_problems(ip: str, problem: str | None) -> None:
    got = address_problem(ipaddress.ip_address(ip))
    assert (got is None) if problem is None else (got is not None and problem in got)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://x.example/", "data:,x",
                                 "gopher://x.example/", "http://", "not a url"])  # fmt: skip
def test_only_http_and_https_urls(url: str) -> None:
    with pytest.raises(BadInput):
        check_url(url)


# ------------------------------------------------------------------ refusals


def test_loopback_refused_by_default_without_a_request(port: int) -> None:
    SEEN.clear()
    with pytest.raises(BadInput, match="127.0.0.1 a loopback address.*--allow-private-urls"):
        fetch_url(f"http://127.0.0.1:{port}/page")
    assert SEEN == []
    assert fetch_url(f"http://127.0.0.1:{port}/page", settings=OPEN).body == BODY


def test_host_name_resolving_to_loopback_is_refused(port: int) -> None:
    with pytest.raises(BadInput, match="news.example resolves to 127.0.0.1, which is a loopback"):
        fetch_url(f"http://news.example:{port}/page", resolve=lambda host, p: ["127.0.0.1"])


def test_connection_goes_to_the_checked_address_with_the_name_as_host(port: int) -> None:
    SEEN.clear()
    calls: list[str] = []

    def resolve(host: str, p: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]

    got = fetch_url(f"http://news.example:{port}/page", settings=OPEN, resolve=resolve)
    assert got.body == BODY
    assert calls == ["news.example"]  # resolved once, by us
    assert [("/page", f"news.example:{port}")] == SEEN  # Host kept


def test_dns_rebinding_cannot_pass(port: int) -> None:
    """First answer public, every later one loopback: the only connection made
    goes to the public address that was checked, never to loopback."""
    SEEN.clear()
    answers = iter([["192.0.2.1"], ["127.0.0.1"], ["127.0.0.1"]])
    real = urlpolicy.address_problem

    def problem(ip):  # type: ignore[no-untyped-def]
        return None if str(ip) == "192.0.2.1" else real(ip)  # TEST-NET-1 plays a public, unreachable host

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(urlpolicy, "address_problem", problem)
        with pytest.raises(BadInput):
            fetch_url(f"http://rebind.example:{port}/page", resolve=lambda h, p: next(answers), timeout=0.5,
                      deadline=2)  # fmt: skip
    assert SEEN == []  # loopback never reached


def test_every_redirect_is_checked_again(port: int) -> None:
    """127.0.0.1 passes (as if public); the redirect to 127.0.0.2 must not."""
    real = urlpolicy.address_problem
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(urlpolicy, "address_problem", lambda ip: None if str(ip) == "127.0.0.1" else real(ip))
        assert fetch_url(f"http://127.0.0.1:{port}/to?/page").body == BODY  # same host: fine
        with pytest.raises(BadInput, match="127.0.0.2 a loopback address"):
            fetch_url(f"http://127.0.0.1:{port}/to?http://127.0.0.2:{port}/page")
        with pytest.raises(BadInput, match="redirects to 'file:///etc/passwd', which is refused"):
            fetch_url(f"http://127.0.0.1:{port}/to?file:///etc/passwd")


# ------------------------------------------------------------------ limits


def test_deadline_cuts_off_a_dripping_server(port: int) -> None:
    t0 = time.monotonic()
    with pytest.raises(BadInput, match="did not finish within the 1.5 s deadline"):
        fetch_url(f"http://127.0.0.1:{port}/drip", settings=OPEN, deadline=1.5)
    assert time.monotonic() - t0 < 3


def test_gzip_is_inflated_and_a_bomb_is_cut_off_at_the_cap(port: int) -> None:
    assert fetch_url(f"http://127.0.0.1:{port}/gzip", settings=OPEN).body == BODY
    with pytest.raises(BadInput, match="limit after decompression"):
        fetch_url(f"http://127.0.0.1:{port}/bomb", settings=OPEN, max_bytes=1_000_000)


def test_unknown_content_encoding_is_refused(port: int) -> None:
    with pytest.raises(BadInput, match="Content-Encoding br"):
        fetch_url(f"http://127.0.0.1:{port}/brotli", settings=OPEN)


def test_conditional_get(port: int) -> None:
    first = fetch_url(f"http://127.0.0.1:{port}/etag", settings=OPEN)
    assert (first.body, first.etag, first.not_modified) == (BODY, '"v1"', False)
    assert first.last_modified == "Mon, 03 Mar 2031 10:00:00 GMT"
    again = fetch_url(first.url, settings=OPEN, etag=first.etag, last_modified=first.last_modified)
    assert (again.status, again.not_modified, again.body, again.etag) == (304, True, b"", '"v1"')
