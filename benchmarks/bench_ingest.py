"""Ingest + store throughput (articles/s) and peak memory, per input format.

Generates N fictional articles from our own templates (varied places, outlets,
people, numbers; about 300-450 words each) as plain-text files, one JSONL file
and HTML pages in a temporary folder, then for each format reads them with
``newsweave.ingest.read_inputs`` and stores them with ``Store.add`` into a
fresh SQLite database, each format in its own fresh Python process so the
peak RSS is that format's alone. Two store modes are timed:

* ``add`` (default): article row + sentences (rule-based splitting) + FTS5 row;
* ``add --split off``: article row + FTS5 row; sentences are split later, on
  first use (``Store.add(split=False)``).

For HTML, the share of the time spent inside trafilatura is reported.

    python benchmarks/bench_ingest.py            # 10,000 articles per format
    python benchmarks/bench_ingest.py --n 500    # quick
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import write_result  # noqa: E402

FORMATS = ("text", "jsonl", "html")
TARGET = 1000.0  # articles/s for text and JSONL (issue 2)

# ------------------------------------------------------------ generation

PLACES = [
    "Velmora",
    "Orlin",
    "Kastrel",
    "Port Amund",
    "Severin",
    "Lowmarsh",
    "Tarrow",
    "Quellin",
    "Brask",
    "Idany",
]
OUTLETS = [
    "Harbor Wire",
    "Coastal Ledger",
    "The Orlin Courier",
    "Orlin Radio",
    "Northgate Post",
    "Daily Meridian",
]
PEOPLE = [
    "Teo Marek",
    "Ilsa Brandt",
    "Mira Sels",
    "Ana Rivas",
    "Jon Okafor",
    "Lena Sorvik",
    "Pavel Dune",
    "Rosa Imre",
]
ROLES = [
    "union spokesman",
    "harbour master",
    "mayor",
    "port authority director",
    "mediator",
    "transport minister",
]
GROUPS = ["dockers", "ferry crews", "crane operators", "rail workers", "hospital staff", "bus drivers"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
THINGS = ["ships", "containers", "passengers", "trucks", "flights", "shipments"]
SENTENCES = [
    "{group_c} in {place} walked out on {day} after talks over pay collapsed, {outlet} reported.",
    "About {n} {group} joined the strike, according to {person}, the {role}.",
    '"We did not want this, but we were left with no choice," {person} told reporters on {day}.',
    "The {role} said in a statement that {n2} {things} had been delayed since the dispute began.",
    "Officials in {place} put the number of striking {group} at {n3}, far fewer than the union's figure.",
    "{person} said both sides would meet again on {day} with a mediator present.",
    'A spokesperson for the city said the situation was "under control" and urged calm.',
    "Local businesses said they had lost about {n4} crowns a day since the walkout started.",
    "The last strike of this size in {place} was in {year}, when it lasted {k} days.",
    "{group_c} gathered outside the main gate on {day} morning, carrying banners and flags.",
    "Traffic around the harbour was diverted and {n2} {things} waited outside the port.",
    '"Nobody is loading anything today," said {person}, who has worked in {place} for {k} years.',
    "The {role} denied that the offer had been withdrawn and said talks could resume within days.",
    "Union leaders said they would extend the action to {place2} if no deal was reached by {day}.",
    "Prices of fresh produce in {place} rose by {k} percent over the week, traders said.",
]


def _article(i: int, rng: random.Random) -> dict:
    v = {
        "place": rng.choice(PLACES),
        "place2": rng.choice(PLACES),
        "outlet": rng.choice(OUTLETS),
        "person": rng.choice(PEOPLE),
        "role": rng.choice(ROLES),
        "group": rng.choice(GROUPS),
        "day": rng.choice(DAYS),
        "things": rng.choice(THINGS),
    }
    v["group_c"] = v["group"].capitalize()
    paras = []
    for _ in range(rng.randint(9, 13)):
        sents = []
        for _ in range(rng.randint(1, 3)):
            sents.append(
                rng.choice(SENTENCES).format(
                    **v,
                    n=rng.randint(50, 4000),
                    n2=rng.randint(3, 90),
                    n3=rng.randint(40, 3000),
                    n4=f"{rng.randint(1, 900)},{rng.randint(0, 999):03d}",
                    year=rng.randint(1975, 2029),
                    k=rng.randint(2, 40),
                )
            )
        paras.append(" ".join(sents))
    paras.append(f"Report number {i} in this benchmark set.")  # every text unique
    return {
        "id": f"bench-{i}",
        "title": f"{v['group_c']} strike in {v['place']} enters day {rng.randint(2, 9)}",
        "source": v["outlet"],
        "published": f"2031-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "url": f"https://{v['outlet'].lower().replace(' ', '')}.example/{i}",
        "paragraphs": paras,
    }


def _html(a: dict) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in a["paragraphs"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{a["title"]} | {a["source"]}</title>
<meta property="og:site_name" content="{a["source"]}"><meta property="og:title" content="{a["title"]}">
<meta property="article:published_time" content="{a["published"]}T08:00:00Z">
<link rel="canonical" href="{a["url"]}"></head>
<body><nav><a href="/">Home</a> <a href="/ports">Ports</a> <a href="/weather">Weather</a></nav>
<main><article><h1>{a["title"]}</h1>
{body}
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a">Ferry timetable changes</a></li><li><a href="/b">Storm warning</a></li></ul></aside>
<footer><p>Copyright 2031 {a["source"]}. All rights reserved.</p></footer></body></html>
"""


def generate(n: int, root: Path, seed: int = 7) -> dict[str, Path]:
    """Write N articles in each format under root; return the input per format."""
    rng = random.Random(seed)
    arts = [_article(i, rng) for i in range(n)]
    text_dir, html_dir = root / "text", root / "html"
    for i, a in enumerate(arts):
        sub = f"{i // 1000:03d}"  # 1,000 files per folder, like a real archive
        (text_dir / sub).mkdir(parents=True, exist_ok=True)
        (html_dir / sub).mkdir(parents=True, exist_ok=True)
        body = "\n\n".join(a["paragraphs"])
        (text_dir / sub / f"{i:05d}.txt").write_text(
            f"date {a['published']} {a['title']}\n\n{body}\n\nSource: {a['source']}\n", "utf-8"
        )
        (html_dir / sub / f"{i:05d}.html").write_text(_html(a), "utf-8")
    jsonl = root / "articles.jsonl"
    with open(jsonl, "w", encoding="utf-8") as f:
        for a in arts:
            rec = {k: a[k] for k in ("id", "title", "source", "published", "url")}
            rec["text"] = "\n\n".join(a["paragraphs"])
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return {"text": text_dir, "jsonl": jsonl, "html": html_dir}


def _dir_bytes(p: Path) -> int:
    return p.stat().st_size if p.is_file() else sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


# ---------------------------------------------------------------- worker


def worker(fmt: str, source: str, db: str, split: bool) -> dict:
    """Run in a fresh process: read + store one format, time the stages."""
    import trafilatura

    from newsweave.analyze.sentences import split_sentences
    from newsweave.ingest import read_inputs
    from newsweave.models import Article
    from newsweave.store import Store

    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    timers = {"read_parse": 0.0, "trafilatura": 0.0, "split": 0.0}

    real_extract = trafilatura.bare_extraction

    def timed_extract(*a, **kw):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return real_extract(*a, **kw)
        finally:
            timers["trafilatura"] += time.perf_counter() - t

    trafilatura.bare_extraction = timed_extract  # parse_html imports it at call time

    def timed_split(article: Article):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return split_sentences(article)
        finally:
            timers["split"] += time.perf_counter() - t

    def timed_inputs():  # type: ignore[no-untyped-def]
        it = iter(read_inputs([source]))
        while True:
            t = time.perf_counter()
            try:
                item = next(it)
            except StopIteration:
                return
            finally:
                timers["read_parse"] += time.perf_counter() - t
            yield item

    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    with Store.open(db) as store:
        result = store.add(timed_inputs(), splitter=timed_split, split=split)
        count = store.count()
    total = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    # CPU time is what a quiet core would take; wall time includes waiting
    # for the CPU on a shared machine.
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    peak = cpu1.ru_maxrss
    return {
        "format": fmt,
        "split": split,
        "articles": result.added,
        "failed": result.failed,
        "stored": count,
        "seconds": round(total, 3),
        "articles_per_s": round(result.added / total, 1) if total else None,
        "cpu_s": round(cpu, 3),
        "articles_per_cpu_s": round(result.added / cpu, 1) if cpu else None,
        "read_parse_s": round(timers["read_parse"], 3),
        "trafilatura_s": round(timers["trafilatura"], 3),
        "split_s": round(timers["split"], 3),
        "store_s": round(total - timers["read_parse"] - timers["split"], 3),
        "peak_rss_mib": round(peak / 1024, 1),  # Linux reports KiB
        "rss_after_imports_mib": round(rss_start / 1024, 1),
        "db_mib": round(os.path.getsize(db) / 2**20, 1),
    }


def run_one(fmt: str, source: Path, tmp: Path, split: bool) -> dict:
    db = tmp / f"{fmt}-{'split' if split else 'nosplit'}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    cmd = [sys.executable, __file__, "--worker", fmt, "--source", str(source), "--db", str(db)]
    if not split:
        cmd.append("--no-split")
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"worker {fmt} failed:\n{res.stderr[-3000:]}")
    out = json.loads(res.stdout.strip().splitlines()[-1])
    # size of the database after the WAL is folded in
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    out["db_mib"] = round(db.stat().st_size / 2**20, 1)
    return out


def markdown(rows: list[dict], n: int, sizes: dict[str, int], load: tuple[float, float]) -> str:
    lines = [
        f"Load average {load[0]:.1f} before and {load[1]:.1f} after the run (the machine is shared; "
        "numbers drop when other jobs run).",
        "",
        f"{n:,} generated articles per format (our own templates, 300-450 words each), read with "
        "`read_inputs` and stored with `Store.add` into a fresh SQLite file (WAL, FTS5), one fresh "
        "process per row. `add` stores article + sentences + FTS row, atomically per article; "
        "`add, split off` defers sentence splitting to first use. Peak memory is the process's max RSS. "
        "articles/s is wall-clock; articles/CPU-s divides by the process's CPU time, what one quiet core "
        "would do (the machine is shared, so wall-clock numbers drop when other jobs run).",
        "",
        "| format | store mode | articles/s | articles/CPU-s | seconds | read+parse s | trafilatura s | sentence split s | "
        "SQLite s | peak RSS MiB | input MiB | db MiB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        mode = "add" if r["split"] else "add, split off"
        lines.append(
            f"| {r['format']} | {mode} | {r['articles_per_s']:,.0f} | {r['articles_per_cpu_s']:,.0f} | {r['seconds']:.1f} | {r['read_parse_s']:.1f} | "
            f"{r['trafilatura_s']:.1f} | {r['split_s']:.1f} | {r['store_s']:.1f} | {r['peak_rss_mib']:.0f} | "
            f"{sizes[r['format']] / 2**20:.1f} | {r['db_mib']:.1f} |"
        )
    html = [r for r in rows if r["format"] == "html"]
    notes = [""]
    for r in html:
        share = r["trafilatura_s"] / r["seconds"] if r["seconds"] else 0
        mode = "add" if r["split"] else "split off"
        notes.append(f"- HTML ({mode}): trafilatura takes {share:.0%} of the time.")
    for fmt in ("text", "jsonl"):
        for r in rows:
            if r["format"] == fmt:
                ok = "meets" if r["articles_per_s"] >= TARGET else "misses"
                mode = "add" if r["split"] else "split off"
                notes.append(
                    f"- {fmt} ({mode}): {r['articles_per_s']:,.0f} articles/s wall-clock "
                    f"({r['articles_per_cpu_s']:,.0f} per CPU-second) {ok} the {TARGET:,.0f}/s target."
                )
    return "\n".join(lines + notes)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000, help="articles per format (default 10000)")
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated subset of text,jsonl,html")
    ap.add_argument("--split", choices=("both", "on", "off"), default="both", help="store modes to time")
    ap.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    ap.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/out/")
    ap.add_argument("--worker", choices=FORMATS, help=argparse.SUPPRESS)
    ap.add_argument("--source", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--no-split", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.source, args.db, not args.no_split)))
        return
    formats = [f for f in args.formats.split(",") if f]
    modes = {"both": [True, False], "on": [True], "off": [False]}[args.split]
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nw-bench-ingest-"))
    try:
        t = time.perf_counter()
        sources = generate(args.n, tmp)
        sizes = {k: _dir_bytes(v) for k, v in sources.items()}
        print(
            f"generated {args.n} articles x 3 formats in {time.perf_counter() - t:.1f}s under {tmp}",
            flush=True,
        )
        rows = []
        load_before = os.getloadavg()[0]
        for fmt in formats:
            for split in modes:
                r = run_one(fmt, sources[fmt], tmp, split)
                print(json.dumps(r), flush=True)
                rows.append(r)
        load = (load_before, os.getloadavg()[0])
        md = markdown(rows, args.n, sizes, load)
        print(md)
        if not args.no_write:
            write_result(
                "ingest",
                {
                    "n": args.n,
                    "target_articles_per_s": TARGET,
                    "load_average": load,
                    "rows": rows,
                    "input_bytes": sizes,
                },
                md,
            )
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
