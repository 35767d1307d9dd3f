"""The web app in a real browser: `newsweave serve` on a free loopback port, Chromium.

Uses Debian's ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` through
selenium (skipped, with the reason, when either is missing). The server is
the real command (``newsweave serve --port 0``) over a store built with
``newsweave add`` from our fictional stories (tests/data/web/stories.jsonl).
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
STORIES = Path(__file__).parent / "data" / "web" / "stories.jsonl"
TOKEN = "browser-test-token-42"
NW = [sys.executable, "-m", "newsweave.cli"]


def _skip_reason() -> str | None:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        return "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "needs selenium (pip install 'newsweave[test]')"
    return None


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as r:
        return json.loads(r.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`newsweave serve` on a free port, with a token and a 1-second poll."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("webserver")
    db = str(tmp / "web.db")
    subprocess.run([*NW, "add", str(STORIES), "--db", db], check=True, capture_output=True, timeout=300)
    log = (tmp / "serve.log").open("w+")
    proc = subprocess.Popen([*NW, "serve", "--db", db, "--port", "0", "--token", TOKEN, "--poll", "1"],
                            stdout=log, stderr=log)
    base = None
    for _ in range(120):
        time.sleep(0.25)
        log.seek(0)
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", log.read())
        if m:
            base = f"http://127.0.0.1:{m[1]}"
            break
        if proc.poll() is not None:
            break
    if base is None:
        proc.kill()
        log.seek(0)
        pytest.fail("serve did not start: " + log.read()[-2000:])
    try:
        # Brief every story once, so browser timings do not include the analysis.
        for s in get_json(base + "/index.json")["stories"]:
            get_json(base + s["json"])
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _driver(profile: Path, *, javascript: bool = True, width: int = 1400, height: int = 900) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", f"--window-size={width},{height}"]
    if not javascript:
        flags.append("--blink-settings=scriptEnabled=false")
    for f in flags:
        opts.add_argument(f)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    drv = _driver(tmp_path / "profile")
    try:
        yield drv
    finally:
        drv.quit()


def story_url(base: str, article_id: str) -> str:
    for s in get_json(base + "/index.json")["stories"]:
        if any(a["id"] == article_id for a in get_json(base + s["json"])["articles"]):
            return base + s["url"]
    raise AssertionError(f"no story holds {article_id}")


def console_errors(drv: Any) -> list[str]:
    return [e["message"] for e in drv.get_log("browser") if e["level"] == "SEVERE"]


# Inside the reader's visible box and not covered by anything.
_VISIBLE = """
const el = arguments[0], box = el.closest('.docs').getBoundingClientRect();
const rects = Array.from(el.getClientRects());
if (!rects.length) return false;
const first = rects[0], last = rects[rects.length - 1];
if (first.top < Math.max(0, box.top) || last.bottom > Math.min(window.innerHeight, box.bottom)) return false;
const points = [[first.left + 2, first.top + first.height / 2], [last.right - 2, last.top + last.height / 2]];
return points.every(([x, y]) => { const hit = document.elementFromPoint(x, y); return hit && el.contains(hit); });
"""


def test_front_page_story_and_citation(browser: Any, server: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/")
    ferry = next(a for a in browser.find_elements(By.CSS_SELECTOR, "ol.stories h2 a") if "erry" in a.text)
    ferry.click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#summary a.cite"))
    assert "erry" in browser.find_element(By.TAG_NAME, "h1").text
    link = browser.find_elements(By.CSS_SELECTOR, "#summary a.cite")[-1]
    key, wanted = link.get_attribute("data-key"), link.get_attribute("data-s").split()
    ranges = [tuple(map(int, r.split("-"))) for r in link.get_attribute("data-r").split()]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#reader .s.hl"))
    marked = browser.find_elements(By.CSS_SELECTOR, "#reader .s.hl")
    article = get_json(f"{server}/articles/{key}.json")
    expected = [s["text"] for s in article["sentences"]
                if str(s["index"]) in wanted or any(a < s["end"] and s["start"] < z for a, z in ranges)]
    assert [m.text for m in marked] == [" ".join(t.split()) for t in expected]
    assert browser.execute_script(_VISIBLE, marked[0]), "the cited sentence is not scrolled into view"
    assert "active" in link.get_attribute("class")
    assert "highlighted" in browser.find_element(By.ID, "reader-status").text
    # A second citation to another article switches the reader.
    other = next(a for a in browser.find_elements(By.CSS_SELECTOR, "a.cite") if a.get_attribute("data-key") != key)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", other)
    other.click()
    WebDriverWait(browser, 10).until(
        lambda d: [x.get_attribute("data-key") for x in d.find_elements(By.CSS_SELECTOR, "#reader .doc")
                   if x.is_displayed()] == [other.get_attribute("data-key")])
    assert console_errors(browser) == []


def test_sections_fold_and_unfold(browser: Any, server: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(story_url(server, "ferry-1"))
    section = browser.find_element(By.ID, "summary")
    body = section.find_element(By.CSS_SELECTOR, ".section-body")
    assert section.get_attribute("open") is not None and body.is_displayed()
    section.find_element(By.TAG_NAME, "summary").click()
    assert section.get_attribute("open") is None and not body.is_displayed()
    section.find_element(By.TAG_NAME, "summary").click()
    assert section.get_attribute("open") is not None and body.is_displayed()


def test_search_with_a_hyphenated_word(browser: Any, server: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/")
    box = browser.find_element(By.ID, "site-q")
    box.send_keys("cease-fire", Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: "/search" in d.current_url)
    hits = browser.find_elements(By.CSS_SELECTOR, "ol.hits li")
    assert hits and any(m.text.lower().replace("-", "") == "ceasefire" for m in browser.find_elements(By.TAG_NAME, "mark"))
    hits[0].find_element(By.CSS_SELECTOR, "h2 a").click()
    WebDriverWait(browser, 10).until(lambda d: "/articles/" in d.current_url)
    assert browser.find_elements(By.CSS_SELECTOR, ".article-text .s")


def test_hostile_title_shows_as_text(browser: Any, server: str) -> None:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    for url in (server + "/", story_url(server, "hostile-1"), server + "/articles/hostile-1"):
        browser.get(url)
        with pytest.raises(TimeoutException):
            WebDriverWait(browser, 1).until(ec.alert_is_present())
        text = browser.find_element(By.TAG_NAME, "body").text
        assert "<script>alert('nw-xss')</script> Harbour row" in text
        assert browser.execute_script(
            "return document.querySelectorAll('img[onerror], script:not([src]), a[href^=\"javascript:\"]').length") == 0
    assert "<b>Evil</b> Gazette" in browser.execute_script("return document.body.textContent")


def test_citations_and_sections_work_without_javascript(server: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    drv = _driver(tmp_path / "nojs", javascript=False)
    try:
        drv.get(story_url(server, "ferry-1"))
        assert "js" not in (drv.find_element(By.TAG_NAME, "html").get_attribute("class") or "")
        assert drv.find_element(By.CSS_SELECTOR, "svg.story-timeline").is_displayed()
        link = drv.find_elements(By.CSS_SELECTOR, "#summary a.cite")[0]
        first = link.get_attribute("data-s").split()[0]
        link.click()
        WebDriverWait(drv, 10).until(lambda d: "/articles/" in d.current_url)
        marked = drv.find_element(By.ID, f"s{first}")
        assert "hl" in marked.get_attribute("class") and marked.is_displayed()
    finally:
        drv.quit()


def test_story_page_refreshes_when_articles_join(browser: Any, server: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(story_url(server, "road-1"))
    main = browser.find_element(By.ID, "main")
    before = int(main.get_attribute("data-articles"))
    body = json.dumps({"id": "road-9", "story": "tarn-road", "source": "Riverside Mail", "published": "2025-05-23",
                       "title": "Tarn Valley road fully reopens",
                       "text": "Engineers began clearing rock from the Tarn Valley road on Wednesday after a landslide "
                               "on Tuesday night.\n\nThe county roads office said the road would stay closed for at "
                               "least a week.\n\n\"The slope is still moving, so we have to be careful,\" said Idris "
                               "Marr, the county's chief engineer.\n\nThe road fully reopened on Friday."})
    req = urllib.request.Request(server + "/api/articles", data=body.encode(), method="POST",
                                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(req, timeout=60) as r:
        assert r.status == 201
    WebDriverWait(browser, 60).until(
        lambda d: int(d.find_element(By.ID, "main").get_attribute("data-articles")) == before + 1)
    assert "fully reopens" in browser.find_element(By.ID, "headlines").text
