"""Web app under load, on loopback: `newsweave serve` over a 10,000-article store.

The store is generated from our own templates (benchmarks/web_corpus.py) and
added with `newsweave add`. The server is the real command in its own
process; the client is a bounded asyncio HTTP/1.1 client in this process
(keep-alive connections, a fixed number of requests and a time limit per
run). Both share the machine's cores, so the numbers include the client's
cost. Measured:

* story pages, warm (briefed once before), 8 and 32 concurrent clients;
* the front page, 8 and 32 concurrent clients;
* search (a hyphenated word), 8 clients;
* the first view of a story page after a new article joins a story of about 50 articles.

    python benchmarks/bench_web.py [--articles 10000] [--requests 2000] [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import newsweave_cmd, write_result  # noqa: E402
from benchmarks.web_corpus import corpus  # noqa: E402

TOKEN = "bench-token-7f3a9c21"
TARGETS = {"story_8": 100.0, "front_8": 50.0, "front_32": 50.0}  # p95 ms
FIRST_VIEW_TARGET = 1.0  # seconds, 50-article story


# ------------------------------------------------------------------ client
async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> tuple[int, int]:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        k, _, v = line.partition(":")
        if k.strip().lower() == "content-length":
            length = int(v.strip())
        elif k.strip().lower() == "transfer-encoding":
            raise RuntimeError("chunked responses are not expected")
    await reader.readexactly(length)
    return status, length


async def _worker(port: int, paths: list[str], state: dict[str, Any]) -> None:
    conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    while True:
        i = state["next"]
        if i >= state["count"] or time.perf_counter() > state["deadline"]:
            break
        state["next"] = i + 1
        path = paths[i % len(paths)]
        t0 = time.perf_counter()
        try:
            if conn is None:
                conn = await asyncio.open_connection("127.0.0.1", port)
            status, size = await asyncio.wait_for(_get(*conn, path), timeout=30)
            state["lat"].append(time.perf_counter() - t0)
            state["bytes"] += size
            if status != 200:
                state["errors"] += 1
        except Exception as exc:  # noqa: BLE001 - a failed request is counted, the run goes on
            state["errors"] += 1
            state["lat"].append(time.perf_counter() - t0)
            state.setdefault("why", []).append(repr(exc)[:120])
            if conn is not None:
                conn[1].close()
            conn = None
    if conn is not None:
        conn[1].close()


def load(port: int, paths: list[str], clients: int, count: int, seconds: float) -> dict[str, Any]:
    """``count`` GETs (or as many as fit in ``seconds``) over ``clients`` connections."""
    state: dict[str, Any] = {"next": 0, "count": count, "deadline": time.perf_counter() + seconds,
                             "lat": [], "errors": 0, "bytes": 0}

    async def run() -> float:
        t0 = time.perf_counter()
        await asyncio.gather(*(_worker(port, paths, state) for _ in range(clients)))
        return time.perf_counter() - t0

    wall = asyncio.run(run())
    lat = sorted(state["lat"])

    def pct(p: float) -> float:
        return round(lat[min(len(lat) - 1, int(len(lat) * p))] * 1000, 1) if lat else float("nan")

    return {
        "clients": clients, "requests": len(lat), "errors": state["errors"], "seconds": round(wall, 2),
        "per_second": round(len(lat) / wall, 1) if wall else 0.0, "p50_ms": pct(0.50), "p95_ms": pct(0.95),
        "p99_ms": pct(0.99), "mean_kb": round(state["bytes"] / max(1, len(lat)) / 1024, 1),
        "why": state.get("why", [])[:3],
    }


# ------------------------------------------------------------------ server
def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"{url}: HTTP {exc.code}: {exc.read()[:500]!r}") from None


def start_server(db: str, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    out = log.open("w")
    proc = subprocess.Popen([*newsweave_cmd().split(), "serve", "--db", db, "--port", "0", "--token", TOKEN],
                            stdout=out, stderr=out)
    for _ in range(240):
        time.sleep(0.25)
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", log.read_text())
        if m:
            return proc, int(m[1])
        if proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit("serve did not start:\n" + log.read_text()[-2000:])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=2000, help="requests per run (each run is also time-limited)")
    ap.add_argument("--seconds", type=float, default=60.0, help="time limit per run")
    ap.add_argument("--stories", type=int, default=5, help="warm story pages the story runs cycle through")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        rows = list(corpus(args.articles, big=50))
        with src.open("w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        db = str(Path(tmp) / "web.db")
        t0 = time.perf_counter()
        res = subprocess.run([*newsweave_cmd().split(), "add", str(src), "--db", db], capture_output=True, text=True)
        add_s = time.perf_counter() - t0
        if res.returncode not in (0, 1):
            raise SystemExit(res.stderr[-2000:])
        log = Path(tmp) / "serve.log"
        proc, port = start_server(db, log)
        base = f"http://127.0.0.1:{port}"
        try:
            results = run_all(base, port, [r for r in rows if r["story"] == rows[0]["story"]], args)
        except Exception:
            time.sleep(1)  # the server logs an error after it has answered
            print("the server's log ends:\n" + log.read_text()[-4000:], file=sys.stderr)
            raise
        finally:
            proc.terminate()
            proc.wait(20)
    data = {"articles": args.articles, "add_seconds": round(add_s, 1), **results}
    write_result("web", data, markdown(data))
    print(markdown(data))


def story_of(base: str, art: dict[str, Any]) -> str:
    """The story page path of an article, found by searching for its closing line."""
    line = str(art["text"]).rsplit("\n", 1)[-1].replace('"', "")
    hits = json.loads(http(f"{base}/search.json?limit=100&q=" + urllib.parse.quote(f'"{line}"'))[1])
    for h in hits["hits"]:
        if h["article_id"] == art["id"]:
            return str(h["story_url"])
    raise SystemExit(f"search did not find {art['id']}")


def run_all(base: str, port: int, big_story: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    index = json.loads(http(base + "/index.json")[1])
    stories = index["stories"]
    typical = stories[: args.stories]  # the top of the front page
    warm = {}
    for s in typical:  # brief each once: the story runs measure warm pages
        t0 = time.perf_counter()
        http(base + s["url"])
        warm[s["id"]] = round(time.perf_counter() - t0, 2)
    paths = [s["url"] for s in typical]
    runs = {}
    for name, ps, clients in [
        ("story_8", paths, 8), ("story_32", paths, 32),
        ("front_8", ["/"], 8), ("front_32", ["/"], 32),
        ("search_8", ["/search?q=cease-fire", "/search?q=landslide", "/search?q=%22boil+their+water%22"], 8),
    ]:
        load(port, ps, 2, 50, 30)  # warm-up: connections, caches
        runs[name] = load(port, ps, clients, args.requests, args.seconds)
        print(name, runs[name], flush=True)

    # The big story: the generated 50-article story, in the store's own grouping (the story that
    # holds most of its reports). It is briefed once; then each of three new reports joins it
    # (another outlet's update of one of its reports, so it surely joins) and the next view is timed.
    found: dict[str, list[dict[str, Any]]] = {}
    for art in big_story:
        found.setdefault(story_of(base, art), []).append(art)
    big_url, members = max(found.items(), key=lambda kv: len(kv[1]))
    t0 = time.perf_counter()
    http(base + big_url)
    big_cold = time.perf_counter() - t0
    first_views, sizes = [], []
    for i, orig in enumerate(members[-3:]):
        art = dict(orig, id=f"{orig['id']}-update{i}", source="Late Edition",
                   text=f"{orig['text']}\n\nThis report was updated at {10 + i}:00 with the latest figures.")
        st, body = http(base + "/api/articles", json.dumps(art).encode(),
                        {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
        assert st == 201, (st, body)
        url = story_of(base, art)
        row = json.loads(http(base + "/api/stories/" + url.rsplit("/", 1)[1])[1])
        t0 = time.perf_counter()
        http(base + row["url"])
        first_views.append(round(time.perf_counter() - t0, 3))
        sizes.append(row["articles"])
    return {
        "stories": index["total"],
        "story_sizes": [s["articles"] for s in typical],
        "first_brief_seconds": warm,
        "runs": runs,
        "big_story_articles": sizes,
        "big_story_split_into": len(found),
        "big_story_cold_seconds": round(big_cold, 2),
        "first_view_after_new_article_seconds": first_views,
    }


def first_view_verdict(d: dict[str, Any], med: float) -> str:
    """Met or not, or not measured when the store did not keep the 50-article story together
    (a piece of a few articles says nothing about a 50-article page)."""
    if min(d["big_story_articles"]) < 40:
        return (f"NOT measured: the store split the 50-article story into {d['big_story_split_into']} "
                "stories, so no story page of about 50 articles was viewed")
    return "met" if med < FIRST_VIEW_TARGET else "NOT met"


def markdown(d: dict[str, Any]) -> str:
    rows = ["| run | clients | requests | errors | p50 ms | p95 ms | p99 ms | req/s | target |",
            "|---|---|---|---|---|---|---|---|---|"]
    for name, r in d["runs"].items():
        target = TARGETS.get(name)
        verdict = "" if target is None else (
            f"p95 < {target:.0f} ms: {'met' if r['p95_ms'] < target and not r['errors'] else 'NOT met'}")
        rows.append(f"| {name.replace('_', ' ')} | {r['clients']} | {r['requests']} | {r['errors']} | {r['p50_ms']} "
                    f"| {r['p95_ms']} | {r['p99_ms']} | {r['per_second']} | {verdict} |")
    fv = d["first_view_after_new_article_seconds"]
    med = statistics.median(fv)
    return "\n".join([
        f"A store of {d['articles']:,} fictional articles ({d['stories']} stories; `newsweave add` took "
        f"{d['add_seconds']} s), served by `newsweave serve` on 127.0.0.1; a bounded asyncio client in another "
        "process on the same cores (keep-alive, a fixed count and a time limit per run). Story runs cycle through "
        f"{len(d['story_sizes'])} warm story pages of {', '.join(map(str, d['story_sizes']))} articles (first "
        f"briefing of each: {', '.join(f'{v} s' for v in d['first_brief_seconds'].values())}).",
        "",
        *rows,
        "",
        f"First story-page view after a new report joins the largest story (the generated 50-article story was "
        f"grouped into {d['big_story_split_into']} stories by the store), making it "
        f"{', '.join(map(str, d['big_story_articles']))} articles: "
        f"{', '.join(f'{x:.2f} s' for x in fv)} (median {med:.2f} s; target under {FIRST_VIEW_TARGET:.0f} s "
        f"for a 50-article story: {first_view_verdict(d, med)}). That story's first view, before any cache: "
        f"{d['big_story_cold_seconds']} s.",
    ])


if __name__ == "__main__":
    main()
