"""``watch``: feeds served on loopback by the test (conditional GET, failures, resume, SIGTERM)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsweave.config import Settings
from newsweave.store import Store, open_store
from newsweave.stories.watch import Watcher, parse_every, read_feed_list
from tests.store_backends import Backend

sys.path.insert(0, str(Path(__file__).parent))
from story_fixtures import BRIDGE, RATES  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = Settings(allow_private_urls=True)  # the test's own server on 127.0.0.1


def _page(title: str, text: str, outlet: str) -> bytes:
    paras = "".join(f"<p>{p}.</p>" for p in text.split(". ") if p)
    return (f"<html><head><title>{title}</title><meta property='og:site_name' content='{outlet}'></head>"
            f"<body><article><h1>{title}</h1>{paras}</article></body></html>").encode()


class Site:
    """A tiny news site: /feed.xml (RSS with ETag), /a/N.html pages, /broken.xml (500)."""

    def __init__(self, stories: list[tuple[str, str, str, str]]) -> None:
        self.items = list(stories)
        self.hits: list[tuple[str, str | None]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                site.hits.append((self.path, self.headers.get("If-None-Match")))
                if self.path == "/feed.xml":
                    etag = f'"v{len(site.items)}"'
                    if self.headers.get("If-None-Match") == etag:
                        self.send_response(304)
                        self.end_headers()
                        return
                    body = site.feed()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rss+xml")
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                elif self.path.startswith("/a/"):
                    n = int(self.path.split("/")[-1].split(".")[0])
                    outlet, _, title, text = site.items[n]
                    body = _page(title, text, outlet)
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    self.send_response(500)
                    self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def feed(self) -> bytes:
        items = "".join(
            f"<item><title>{t}</title><link>{self.base}/a/{n}.html</link><guid>{self.base}/a/{n}</guid>"
            f"<pubDate>{formatdate(time.mktime(time.strptime(d, '%Y-%m-%d')), usegmt=True)}</pubDate>"
            f"<description>{x[:120]}</description></item>"
            for n, (_, d, t, x) in enumerate(self.items)
        )
        return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Test Wire</title>{items}"
                "</channel></rss>").encode()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture()
def site():  # type: ignore[no-untyped-def]
    s = Site(BRIDGE[:2])
    yield s
    s.close()


def test_parse_every_and_feed_list(tmp_path: Path) -> None:
    assert parse_every("15m") == 900 and parse_every("1d") == 86400
    with pytest.raises(ValueError, match="duration"):
        parse_every("soon")
    f = tmp_path / "feeds.txt"
    f.write_text("# my feeds\nhttps://a.example/rss\n\nnot a url\nhttps://a.example/rss\n", encoding="utf-8")
    urls, bad = read_feed_list(str(f))
    assert urls == ["https://a.example/rss"] and len(bad) == 1


def test_watch_rounds_conditional_get_failures_and_resume(site: Site, tmp_path: Path, backend: Backend) -> None:
    db = backend.db(tmp_path)
    lines: list[str] = []
    feeds = [f"{site.base}/broken.xml", f"{site.base}/feed.xml"]
    with open_store(db) as store:
        w = Watcher(store, feeds, every=0.01, host_delay=0.0, model="lexical", echo=lines.append,
                    settings=LOOPBACK)
        w.run(once=True)
        assert store.count() == 2
        assert any(line.startswith("new story") for line in lines)
        assert any("feed failed" in line and "broken.xml" in line for line in lines)  # reported, others went on
        st = store.feed_state(f"{site.base}/broken.xml")
        assert st.failures == 1 and st.next_poll
        ok = store.feed_state(f"{site.base}/feed.xml")
        assert ok.etag == '"v2"' and ok.failures == 0
        sid = store.story_of(store.articles().__next__().id)
        assert sid and store.story(sid).articles == 2  # type: ignore[union-attr]
    # A later run (new process, same store): unchanged feed -> 304, nothing fetched again.
    site.hits.clear()
    with open_store(db) as store:
        lines.clear()
        w = Watcher(store, [f"{site.base}/feed.xml"], every=0.01, host_delay=0.0, model="lexical", echo=lines.append,
                    settings=LOOPBACK)
        w.run(once=True)
        assert site.hits == [("/feed.xml", '"v2"')]
        assert "1 unchanged" in lines[-1]
        # The site publishes a third report: only it is fetched, and the story grows.
        site.items.append(BRIDGE[2])
        site.items.append(RATES[0])
        site.hits.clear()
        lines.clear()
        w.run(once=True)
        assert sorted(p for p, _ in site.hits) == ["/a/2.html", "/a/3.html", "/feed.xml"]
        assert store.count() == 4
        assert any(f"story {sid} grew by 1" in line for line in lines)
        assert any(line.startswith("new story") for line in lines)


def test_watch_stops_cleanly_on_sigterm(site: Site, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{site.base}/feed.xml\n", encoding="utf-8")
    env = dict(os.environ, NEWSWEAVE_STORY_MODEL="lexical")
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("newsweave")), "watch", str(feeds), "--db", str(tmp_path / "s.db"),
         "--every", "30s", "--host-delay", "0", "--allow-private-urls"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        deadline = time.time() + 60
        with Store.open(tmp_path / "s.db") as store:
            while time.time() < deadline and store.count() < 2:
                time.sleep(0.2)
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "watch stopped" in out and "Traceback" not in err
