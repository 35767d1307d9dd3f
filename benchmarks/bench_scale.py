"""Past one machine: the Dask engine's scaling and the PostgreSQL store's write speed.

Generates N fictional articles from our own templates (the sentences of
bench_ingest: strikes, ports, mediators, figures, quotes, weekdays) with
AllSides-like lengths (the length distribution of ../shared/data/allsides/dev.jsonl
when present, only the lengths; about 570 characters), as one JSONL file. Then,
each configuration in its own fresh process:

1. **Analysis** (spaCy + every stage, the analysis-bound part of the pipeline):
   one process (``analyze_many``), a local Dask cluster of 1 worker and of 2
   workers (``--engine dask``). Throughput counts from the first article to
   the last, after the spaCy pipeline is loaded (cluster start-up is reported
   apart). Peak memory is each worker's resident set, sampled as partitions
   come back, and its peak (``ru_maxrss``).
2. **Store writes**: the same articles through ``add`` into SQLite (WAL, FTS5)
   and into PostgreSQL (a throwaway local server with default durability:
   fsync and synchronous commit on), with sentence splitting (the ``add``
   command) and without (the store alone).

    python benchmarks/bench_scale.py                      # 100,000 articles (hours on 2 cores)
    python benchmarks/bench_scale.py --n 2000 --store-n 5000   # quick
    python benchmarks/bench_scale.py --ratio              # Dask 2 workers vs 1, one line

``--ratio`` measures only the scaling target: Dask with 1 and with 2 workers on
the same articles, taken in turns (1, 2, 1, 2, ...) so that a change in the
machine's load hits both alike; it prints each round, the load average and
the median ratio of the rates (the last line: ``ratio 2 workers / 1 worker:
N.NNx``). A fair number needs a quiet machine: with other jobs on the cores,
two workers cannot get two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.bench_ingest import DAYS, GROUPS, OUTLETS, PEOPLE, PLACES, ROLES, SENTENCES, THINGS  # noqa: E402
from benchmarks.common import SHARED, write_result  # noqa: E402

ANALYSIS = (("one process", "local", 1), ("Dask, 1 worker", "dask", 1), ("Dask, 2 workers", "dask", 2))
STORES = ("sqlite", "postgres")

# ------------------------------------------------------------ generation


def allsides_lengths() -> list[int]:
    """Article lengths (characters) of the AllSides dev split; only the lengths are used."""
    path = SHARED / "data" / "allsides" / "dev.jsonl"
    lengths: list[int] = []
    if path.exists():
        for line in path.open(encoding="utf-8"):
            lengths.extend(len(a["text"]) for a in json.loads(line)["articles"])
    return lengths or [int(random.Random(1).gauss(568, 50)) for _ in range(700)]


def _fill(template: str, rng: random.Random, v: dict[str, str]) -> str:
    return template.format(
        **v, n=rng.randint(50, 4000), n2=rng.randint(3, 90), n3=rng.randint(40, 3000),
        n4=f"{rng.randint(1, 900)},{rng.randint(0, 999):03d}", year=rng.randint(1975, 2029), k=rng.randint(2, 40),
    )  # fmt: skip


def article(i: int, length: int, rng: random.Random) -> dict[str, Any]:
    """One fictional report of about ``length`` characters."""
    v = {"place": rng.choice(PLACES), "place2": rng.choice(PLACES), "outlet": rng.choice(OUTLETS),
         "person": rng.choice(PEOPLE), "role": rng.choice(ROLES), "group": rng.choice(GROUPS),
         "day": rng.choice(DAYS), "things": rng.choice(THINGS)}  # fmt: skip
    v["group_c"] = v["group"].capitalize()
    text = f"Report {i}."
    while len(text) < length:
        text += " " + _fill(rng.choice(SENTENCES), rng, v)
    return {
        "id": f"s{i:07d}",
        "title": f"{v['group_c']} strike in {v['place']} enters day {rng.randint(2, 9)}",
        "source": v["outlet"],
        "published": f"2031-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "text": text,
    }


def generate(n: int, path: Path, seed: int = 11, chars: int | None = None) -> dict[str, float]:
    rng = random.Random(seed)
    lengths = [chars] if chars else allsides_lengths()
    total = 0
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            a = article(i, rng.choice(lengths), rng)
            total += len(a["text"])
            f.write(json.dumps(a) + "\n")
    return {"articles": n, "mean_chars": total / max(n, 1), "mb": path.stat().st_size / 1e6}


# ---------------------------------------------------------------- workers


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_analysis(source: str, engine: str, workers: int, limit: int) -> dict[str, Any]:
    """In a fresh process: analyse the file; time, CPU and memory samples."""
    from newsweave.analyze import analyze_many, warm_up
    from newsweave.ingest import read_inputs
    from newsweave.models import Article
    from newsweave.run import make_engine

    arts = (a for a in read_inputs([source]) if isinstance(a, Article))
    samples: list[tuple[int, dict[str, float]]] = []
    t0 = time.perf_counter()
    if engine == "local":
        warm_up()
        eng = None
    else:
        eng = make_engine("dask", workers=workers, setup=warm_up).__enter__()  # type: ignore[attr-defined]
    start_s = time.perf_counter() - t0
    w0 = eng.cpu_seconds() if eng is not None else {}
    c0 = time.process_time()
    t0 = time.perf_counter()
    n = 0
    every = max(limit // 40, 32)
    for _ in analyze_many(arts, engine=eng):
        n += 1
        if n % every == 0:
            if eng is None:
                samples.append((n, {"main": _rss_mb()}))
            else:
                samples.append((n, {k: v[0] / 1e6 for k, v in eng.memory().items()}))
    seconds = time.perf_counter() - t0
    driver_cpu = time.process_time() - c0
    peaks = {"main": _peak_mb()} if eng is None else {k: v[1] / 1e6 for k, v in eng.memory().items()}
    if eng is not None:
        worker_cpu = sum(v - w0.get(k, 0.0) for k, v in eng.cpu_seconds().items())
        eng.close()
    else:
        worker_cpu = driver_cpu
    return {"articles": n, "seconds": seconds, "start_seconds": start_s, "driver_cpu": driver_cpu,
            "worker_cpu": worker_cpu, "peak_mb": peaks, "samples": samples,
            "driver_peak_mb": _peak_mb()}  # fmt: skip


def ratio(n: int, rounds: int, chars: int | None) -> float:
    """Dask 2 workers vs 1 worker, in turns; print each round; return the median ratio."""
    with tempfile.TemporaryDirectory(prefix="nw-ratio-") as tmp:
        src = Path(tmp) / "articles.jsonl"
        generate(n, src, chars=chars)
        ratios, projected = [], []
        for r in range(rounds):
            rate, cpu = {}, {}
            for workers in (1, 2):
                load = os.getloadavg()[0]
                out = child(["analysis", str(src), "dask", str(workers), str(n)], 86400)
                rate[workers] = out["articles"] / out["seconds"]
                cpu[workers] = (out["worker_cpu"] / out["articles"], out["driver_cpu"] / out["articles"])
                print(f"round {r + 1}: Dask {workers} worker{'s' if workers > 1 else ''}: {rate[workers]:.1f} "
                      f"articles/s, worker CPU {1000 * out['worker_cpu'] / out['articles']:.1f} ms/article, "
                      f"driver CPU {1000 * out['driver_cpu'] / out['articles']:.1f} ms/article, "
                      f"peak RSS per worker {', '.join(f'{m:.0f} MB' for m in out['peak_mb'].values())}, "
                      f"load average {load:.1f} on {os.cpu_count()} cores", flush=True)  # fmt: skip
            ratios.append(rate[2] / rate[1])
            # On two idle cores: 1 worker runs at 1/w1 (the driver, which holds the local
            # scheduler, has the other core); 2 workers share both cores with the driver.
            projected.append(2 * cpu[1][0] / (cpu[2][0] + cpu[2][1]))
    med = statistics.median(ratios)
    print(f"projected from CPU per article on 2 idle cores (not a measurement): "
          f"{statistics.median(projected):.2f}x")
    print(f"ratio 2 workers / 1 worker: {med:.2f}x (rounds: {', '.join(f'{x:.2f}' for x in ratios)}; {n} articles "
          f"each; load average now {os.getloadavg()[0]:.1f}; target >= 1.7x)")  # fmt: skip
    return med


def _rss_mb() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss / 1e6)


def run_add(source: str, db: str, split: bool) -> dict[str, Any]:
    """In a fresh process: read the file and add it to the store (as ``newsweave add`` does)."""
    from newsweave.ingest import read_inputs
    from newsweave.store import open_store

    with open_store(db) as store:
        c0, t0 = time.process_time(), time.perf_counter()
        result = store.add(read_inputs([source]), split=split)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        n = store.count()
    return {"added": result.added, "stored": n, "seconds": seconds, "cpu": cpu, "peak_mb": _peak_mb(),
            "bytes": _size(db)}  # fmt: skip


def _size(db: str) -> int:
    """Bytes the store takes on disk: the SQLite file (after a checkpoint), or newsweave's PostgreSQL tables."""
    if db.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db) as conn:
            row = conn.execute(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = 'newsweave' AND c.relkind IN ('r', 'm')"
            ).fetchone()
        return int(row[0] or 0)
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return os.path.getsize(db)


def child(args: list[str], timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", *args]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# ------------------------------------------------------------------ report


def markdown(data: dict[str, Any]) -> str:
    an, st = data["analysis"], data["store"]
    rate = {k: v["articles"] / v["seconds"] for k, v in an.items()}
    n_an = next(iter(an.values()))["articles"] if an else 0
    lines = [
        f"Generated articles (our own templates, AllSides-like lengths: mean {data['input']['mean_chars']:.0f} "
        f"characters) in one JSONL file: {n_an:,} for the analysis runs, {data['store_n']:,} for the store runs. "
        f"Load average {data['load'][0]:.1f} before and {data['load'][1]:.1f} after on {os.cpu_count()} cores: "
        "when it is above the number of cores, other jobs take CPU from ours and the wall-clock rates and their "
        "ratios say more about them than about us; the CPU columns do not depend on it.",
        "",
        "| analysis (spaCy + all stages) | articles/s (wall) | vs one process | CPU ms per article (workers) | "
        "driver CPU ms per article | peak RSS per worker | cluster start |",
        "|---|---|---|---|---|---|---|",
    ]
    base = rate.get("one process") or 1.0
    for name, v in an.items():
        peaks = ", ".join(f"{p:.0f} MB" for p in v["peak_mb"].values())
        lines.append(
            f"| {name} | {rate[name]:.1f} | {rate[name] / base:.2f}x | {1000 * v['worker_cpu'] / v['articles']:.1f} | "
            f"{1000 * v['driver_cpu'] / v['articles']:.1f} | {peaks} | {v['start_seconds']:.1f} s |"
        )
    if "Dask, 1 worker" in rate and "Dask, 2 workers" in rate:
        speedup = rate["Dask, 2 workers"] / rate["Dask, 1 worker"]
        lines += ["", f"Dask 2 workers vs 1 worker: **{speedup:.2f}x** (target >= 1.7x; scaling efficiency "
                      f"{speedup / 2:.0%})."]  # fmt: skip
    for name, v in an.items():
        if v["samples"]:
            per = {}
            for _, mem in v["samples"]:
                for k, mb in mem.items():
                    per.setdefault(k, []).append(mb)
            flat = "; ".join(f"min {min(x):.0f} / median {statistics.median(x):.0f} / max {max(x):.0f} MB"
                             for x in per.values())  # fmt: skip
            lines.append(f"RSS while streaming, {name} ({len(v['samples'])} samples per worker): {flat}.")
    lines += [
        "",
        "| store write, same articles | add (with sentence splitting) | store alone (split off) |",
        "|---|---|---|",
    ]
    for kind in STORES:
        on, off = st[f"{kind}-split"], st[f"{kind}-nosplit"]
        lines.append(f"| {kind} | {on['added'] / on['seconds']:,.0f} articles/s | {off['added'] / off['seconds']:,.0f} articles/s |")
    sizes = ", ".join(f"{kind} {st[f'{kind}-split']['bytes'] / st[f'{kind}-split']['added'] / 1024:.1f} KiB"
                      for kind in STORES)  # fmt: skip
    lines.append(f"\nOn disk per article (text, sentences, search index): {sizes}.")
    for mode, label in (("split", "add"), ("nosplit", "store alone")):
        ratio = (st[f"postgres-{mode}"]["added"] / st[f"postgres-{mode}"]["seconds"]) / (
            st[f"sqlite-{mode}"]["added"] / st[f"sqlite-{mode}"]["seconds"])
        lines.append(f"\nPostgreSQL / SQLite, {label}: **{ratio:.2f}x** (target >= 0.5x).")
    lines.append(f"\nStore runs on {data['store_n']:,} articles. Command: `{data['command']}`.")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="articles for the analysis runs (default 100000)")
    ap.add_argument("--store-n", type=int, default=None, help="articles for the store runs (default: --n)")
    ap.add_argument("--skip", default="", help="comma list: analysis,store")
    ap.add_argument("--chars", type=int, default=None, help="every article this long instead of AllSides-like lengths")
    ap.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/out/")
    ap.add_argument("--ratio", action="store_true", help="only Dask 2 workers vs 1 (default 1500 articles, 3 rounds)")
    ap.add_argument("--rounds", type=int, default=3, help="with --ratio: rounds of (1 worker, 2 workers)")
    ap.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.ratio:
        ratio(args.n if args.n != 100_000 else 1500, args.rounds, args.chars)
        return
    if args.child:
        kind, *rest = args.child
        if kind == "analysis":
            out = run_analysis(rest[0], rest[1], int(rest[2]), int(rest[3]))
        else:
            out = run_add(rest[0], rest[1], rest[2] == "split")
        print(json.dumps(out))
        return
    skip = set(filter(None, args.skip.split(",")))
    store_n = args.store_n or args.n
    load0 = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="nw-scale-") as tmp:
        src = Path(tmp) / "articles.jsonl"
        info = generate(max(args.n, store_n), src, chars=args.chars)
        data: dict[str, Any] = {"input": info, "analysis": {}, "store": {}, "store_n": store_n}
        analysis_src = Path(tmp) / "analysis.jsonl"
        store_src = Path(tmp) / "store.jsonl"
        with open(src) as f, open(analysis_src, "w") as a, open(store_src, "w") as s:
            for i, line in enumerate(f):
                if i < args.n:
                    a.write(line)
                if i < store_n:
                    s.write(line)
        if "analysis" not in skip:
            for name, engine, workers in ANALYSIS:
                print(f"analysis: {name} ...", file=sys.stderr)
                data["analysis"][name] = child(["analysis", str(analysis_src), engine, str(workers), str(args.n)], 86400)
        if "store" not in skip:
            sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
            from tests.pgserver import PgServer

            with PgServer(durable=True) as pg:
                for mode in ("split", "nosplit"):
                    for kind in STORES:
                        name = f"{kind}-{mode}"
                        db = pg.create_database(name.replace("-", "_")) if kind == "postgres" else str(Path(tmp) / f"{name}.db")
                        print(f"store: {name} ...", file=sys.stderr)
                        data["store"][name] = child(["add", str(store_src), db, mode], 86400)
    data["load"] = (load0, os.getloadavg()[0])
    data["command"] = "python benchmarks/bench_scale.py " + " ".join(a for a in sys.argv[1:])
    print(json.dumps(data, indent=1))
    if not args.no_write and not skip:
        write_result("scale", data, markdown(data))


if __name__ == "__main__":
    main()
