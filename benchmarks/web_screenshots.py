"""Screenshots of the web app for people to judge: the front page and a story page.

Builds a store from the seeds (read from ../shared at run time) and the
example story, serves it with `newsweave serve` on a free loopback port, and
saves, with headless Chromium (Debian's chromium + chromedriver, via selenium):

* benchmarks/web-front.png: the front page;
* benchmarks/web-story.png: the example story's page with a citation opened
  in the reader (the example is our own text).

    python benchmarks/web_screenshots.py
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import ROOT, SHARED, newsweave_cmd  # noqa: E402

EXAMPLE = ROOT / "examples" / "harbor-strike"


def get_json(url: str) -> dict:  # type: ignore[type-arg]
    with urllib.request.urlopen(url, timeout=600) as r:
        return json.loads(r.read())  # type: ignore[no-any-return]


def main() -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "web.db")
        subprocess.run([*newsweave_cmd().split(), "add", str(SHARED / "seeds"), str(EXAMPLE), "--db", db],
                       check=False, capture_output=True, timeout=900)
        log = Path(tmp) / "serve.log"
        with log.open("w") as out:
            proc = subprocess.Popen([*newsweave_cmd().split(), "serve", "--db", db, "--port", "0"],
                                    stdout=out, stderr=out)
        try:
            base = None
            for _ in range(240):
                time.sleep(0.25)
                m = re.search(r"http://127\.0\.0\.1:(\d+)/", log.read_text())
                if m:
                    base = f"http://127.0.0.1:{m[1]}"
                    break
            if base is None:
                raise SystemExit("serve did not start:\n" + log.read_text())
            stories = get_json(base + "/index.json")["stories"]
            example = None
            for s in stories:  # brief every story first, so the front page shows summaries
                b = get_json(base + s["json"])
                if any("marrowick" in (a.get("title") or "").lower() for a in b["articles"]):
                    example = s
            opts = webdriver.ChromeOptions()
            opts.binary_location = "/usr/bin/chromium"
            for f in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                      "--disable-background-networking", "--disable-component-update", "--disable-sync",
                      f"--user-data-dir={tmp}/profile", "--window-size=1280,800", "--hide-scrollbars"):
                opts.add_argument(f)
            drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
            try:
                drv.get(base + "/")
                drv.save_screenshot(str(ROOT / "benchmarks" / "web-front.png"))
                if example is not None:
                    drv.get(base + example["url"])
                    link = drv.find_elements(By.CSS_SELECTOR, "#summary a.cite")[1]
                    link.click()
                    WebDriverWait(drv, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#reader .s.hl"))
                    drv.save_screenshot(str(ROOT / "benchmarks" / "web-story.png"))
            finally:
                drv.quit()
        finally:
            proc.terminate()
            proc.wait(20)
    for name in ("web-front.png", "web-story.png"):
        p = ROOT / "benchmarks" / name
        print(p, p.stat().st_size if p.exists() else "missing")


if __name__ == "__main__":
    main()
