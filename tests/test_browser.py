"""The HTML briefing in a real browser: click a citation, see the sentence.

Runs headless Chromium through selenium with Debian's ``/usr/bin/chromium``
and ``/usr/bin/chromedriver`` (``apt-get install chromium chromium-driver``;
``scripts/test`` installs them). Skipped, with the reason, when either is
missing. The page is served by a loopback ``http.server`` like a user's
browser would open a saved file over HTTP; nothing leaves 127.0.0.1.
Also saves ``benchmarks/out/briefing.png``, a screenshot for people to judge.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsweave.render.html import to_html
from tests.test_render import pipeline_briefing, truth_briefing

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
OUT = Path(__file__).resolve().parent.parent / "benchmarks" / "out"


def _skip_reason() -> str | None:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        return "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "needs selenium (pip install 'newsweave[test]')"
    return None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example story's briefing page, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("site")
    (root / "briefing.html").write_text(to_html(truth_briefing()), encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/briefing.html"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


def _driver(tmp: Path, width: int, height: int):  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp}",
        f"--window-size={width},{height}",
    ):
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    drv = _driver(tmp_path / "profile", 1400, 900)
    try:
        yield drv
    finally:
        drv.quit()


# Inside the reader's visible box, and not covered by anything (the sticky
# article header, the page) at the start and the middle of the sentence.
_VISIBLE = """
const el = arguments[0], box = el.closest('.docs').getBoundingClientRect();
const rects = Array.from(el.getClientRects());
if (!rects.length) return false;
const first = rects[0], last = rects[rects.length - 1];
if (first.top < Math.max(0, box.top) || last.bottom > Math.min(window.innerHeight, box.bottom)) return false;
const points = [[first.left + 2, first.top + first.height / 2], [last.right - 2, last.top + last.height / 2]];
return points.every(([x, y]) => { const hit = document.elementFromPoint(x, y); return hit && el.contains(hit); });
"""


def _click_and_check(drv: Any, link: Any) -> Any:
    """Click a citation; return the highlighted element after checking it."""
    from selenium.webdriver.common.by import By

    n, targets = link.get_attribute("data-n"), link.get_attribute("data-t").split()
    drv.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    marked = drv.find_elements(By.CSS_SELECTOR, ".s.hl")
    assert [m.get_attribute("id") for m in marked] == targets
    doc = drv.find_element(By.ID, f"doc-{n}")
    assert doc.is_displayed()
    others = [d for d in drv.find_elements(By.CSS_SELECTOR, ".doc") if d.get_attribute("id") != f"doc-{n}"]
    assert not any(d.is_displayed() for d in others)
    assert drv.execute_script(_VISIBLE, marked[0]), "the cited sentence is not scrolled into view"
    return marked[0]


def test_clicking_a_citation_highlights_the_cited_sentence(browser: Any, site: str) -> None:
    from selenium.webdriver.common.by import By

    b = truth_briefing()
    browser.get(site)
    assert browser.title.startswith("Marrowick dockers strike")
    # The last source cited by the first summary sentence: a sentence deep in that article.
    link = browser.find_elements(By.CSS_SELECTOR, "#summary a.cite")[-1]
    marked = _click_and_check(browser, link)
    n = int(link.get_attribute("data-n"))
    article_id = next(s.article_id for s in b.sources if s.number == n)
    expected = next(c for c in b.summary[0].citations if c.article_id == article_id)
    assert marked.text == b.sentences[article_id][expected.sentence_index].text
    assert "active" in link.get_attribute("class")
    assert browser.current_url.endswith("#" + link.get_attribute("data-t").split()[0])

    # A citation far down the page (a dispute side) switches the reader to another article.
    side = [e for e in browser.find_elements(By.CSS_SELECTOR, "#disputes .side a.cite") if e.is_displayed()][-1]
    marked = _click_and_check(browser, side)
    assert len(browser.find_elements(By.CSS_SELECTOR, ".s.hl")) == len(side.get_attribute("data-t").split())

    # The page made no request beyond itself.
    urls = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert urls == []


def test_folded_parts_open_on_click_and_on_links(browser: Any, site: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(site)
    more = browser.find_elements(By.CSS_SELECTOR, "details.more")
    assert more and not any(d.get_attribute("open") for d in more)
    folded = browser.find_element(By.CSS_SELECTOR, "#disputes details.more")
    hidden = folded.find_elements(By.CSS_SELECTOR, "a.cite")[0]
    assert not hidden.is_displayed()
    folded.find_element(By.TAG_NAME, "summary").click()
    _click_and_check(browser, hidden)
    # A section folded by its reader opens again from the table of contents.
    browser.find_element(By.CSS_SELECTOR, "#speakers > details > summary").click()
    assert not browser.find_element(By.CSS_SELECTOR, "#speakers > details").get_attribute("open")
    browser.find_element(By.CSS_SELECTOR, "nav.toc a[href='#speakers']").click()
    assert browser.find_element(By.CSS_SELECTOR, "#speakers > details").get_attribute("open")


def test_deep_link_and_narrow_screen(browser: Any, site: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.set_window_size(420, 860)
    browser.get(site + "#a5-s2")
    WebDriverWait(browser, 5).until(lambda d: d.execute_script("return document.readyState") == "complete")
    marked = browser.find_elements(By.CSS_SELECTOR, ".s.hl")
    assert [m.get_attribute("id") for m in marked] == ["a5-s2"]
    assert browser.execute_script(_VISIBLE, marked[0])
    # On a phone the reader is a bottom sheet; Escape closes it.
    from selenium.webdriver.common.keys import Keys

    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    assert "open" not in (browser.find_element(By.ID, "reader").get_attribute("class") or "")
    link = browser.find_elements(By.CSS_SELECTOR, "#timeline a.cite")[0]
    _click_and_check(browser, link)


def test_screenshot_for_people(browser: Any, tmp_path: Path) -> None:
    """The real pipeline's briefing of the example, with a citation opened."""
    from selenium.webdriver.common.by import By

    try:
        b = pipeline_briefing()
    except ImportError:  # no spaCy: the page built from truth.json still shows the layout
        b = truth_briefing()
    page = tmp_path / "briefing.html"
    page.write_text(to_html(b), encoding="utf-8")
    browser.get(page.as_uri())
    link = browser.find_elements(By.CSS_SELECTOR, "#summary a.cite")[1]
    _click_and_check(browser, link)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "briefing.png"
    assert browser.save_screenshot(str(path))
    assert path.stat().st_size > 10_000
