"""Fuzz the readers: random and mutated inputs through every reader, with a watchdog.

    python benchmarks/bench_fuzz.py                    # NEWSWEAVE_FUZZ_INPUTS or 100,000 inputs
    python benchmarks/bench_fuzz.py --inputs 2000      # a quick run
    nice python benchmarks/bench_fuzz.py --seed 7 --timeout 10

Inputs are made from a seed corpus we wrote (tests/data/ingest, examples/,
and synthetic pages, feeds and JSONL built here): random bytes, random text in
random encodings (UTF-8, UTF-16/32 with and without byte-order marks, Windows
and ISO code pages), and mutations of the corpus (bit flips, inserted,
deleted and duplicated ranges, splices of two documents, cut-offs, and hostile
tokens: NUL, lone surrogate escapes, NaN, huge numbers, deep nesting, entity
declarations, CDATA, script tags). Each input goes through the format sniffer
and its reader (``read_stream`` with a random file extension, so text, HTML,
JSONL, feeds and JSON arrays are all reached), the decoder on its own, and
the bounded line reader.

A crash is any exception other than :class:`BadInput`, or an Article that
breaks an invariant (empty text, text or metadata the store cannot keep).
The inputs run in a child process; the parent is the watchdog: an input that
runs longer than ``--timeout`` seconds is a hang, the child is killed and a
new one carries on from the next input. Crashing and hanging inputs are saved
to benchmarks/out/fuzz-findings/ to replay. Writes benchmarks/out/fuzz.{json,md}.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import multiprocessing as mp
import os
import random
import resource
import sys
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import OUT, ROOT, write_result  # noqa: E402

DEFAULT_INPUTS = int(os.environ.get("NEWSWEAVE_FUZZ_INPUTS", "100000"))
FINDINGS = OUT / "fuzz-findings"
EXTS = ["", ".txt", ".md", ".html", ".jsonl", ".json", ".rss", ".atom", ".xml"]
CODECS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "cp1252", "cp1250",
          "latin-1", "iso8859-2", "cp1251", "koi8-r", "shift_jis", "gb18030"]  # fmt: skip
HOSTILE = [b"\x00", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\\ud800", b'"\\udfff"', b"NaN", b"Infinity",
           b"1" * 5000, b"[" * 3000, b"{" * 3000, b'{"text":', b'"id":NaN', b"<!ENTITY x SYSTEM 'file:///etc/passwd'>",
           b"<![CDATA[", b"]]>", b"<script>alert(1)</script>", b"</body></html>", b"<body", b"\r", b"\r\n" * 50,
           b"\xc3\x28", b"\xe2\x82", b"\xf0\x9f\x98", b"date 2031-02-30 ", b"date 2024-03-05\n", b"Source: ",
           b"<rss version='2.0'><channel><item>", b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>",
           b"&#0;", b"&#xD800;", b"&amp;" * 100, b"\t" * 100, b"\x1b[31m", "\u202e".encode(), "\u2028".encode()]  # fmt: skip
WORDS = ["dockers", "port", "union", "strike", "said", "Monday", "talks", "ferry", "mayor", "council", "budget", "night", "shifts", "cease-fire", "Velmora", "Tarrow", "Señor", "García", "naïve", "Łęcka", "Müller", "4,000", "at", "least"]  # fmt: skip


def corpus() -> list[bytes]:
    """Our own fixtures plus synthetic documents of every format."""
    docs: list[bytes] = []
    for folder in (ROOT / "tests" / "data", ROOT / "examples"):
        for p in sorted(folder.rglob("*")):
            if p.is_file() and p.suffix.lower() in (".txt", ".md", ".html", ".jsonl", ".json", ".rss", ".atom", ".xml"):
                data = p.read_bytes()
                if len(data) <= 200_000:
                    docs.append(data)
    rng = random.Random(0)
    for _ in range(20):
        paras = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 30))) + "." for _ in range(rng.randint(1, 5))]
        docs.append(("<html><head><title>T</title></head><body><article>" + "".join(f"<p>{p}</p>" for p in paras)
                     + "</article></body></html>").encode())  # fmt: skip
        docs.append(("<?xml version='1.0'?><rss version='2.0'><channel><title>W</title>"
                     + "".join(f"<item><title>{p[:20]}</title><description>{p}</description></item>" for p in paras)
                     + "</channel></rss>").encode())  # fmt: skip
        docs.append("\n".join(json.dumps({"id": rng.choice([i, str(i)]), "text": p, "published": "2031-03-04"})
                              for i, p in enumerate(paras)).encode())  # fmt: skip
        docs.append(("date 2031-03-04\nHeadline here\n\n" + "\n\n".join(paras) + "\n\nSource: Harbor Wire\n").encode())
    return docs


def _random_text(rng: random.Random) -> str:
    kind = rng.random()
    n = rng.randint(0, 600)
    if kind < 0.4:
        return " ".join(rng.choice(WORDS) for _ in range(n // 6 + 1))
    if kind < 0.7:
        return "".join(chr(rng.randint(32, 0x2FF)) for _ in range(n))
    return "".join(chr(rng.choice([rng.randint(0, 0xD7FF), rng.randint(0xE000, 0x10FFFF)])) for _ in range(n))


def _mutate(rng: random.Random, data: bytes, docs: list[bytes]) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(8)
        pos = rng.randint(0, len(buf))
        if op == 0 and buf:  # flip bits
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1:  # insert random bytes
            buf[pos:pos] = os.urandom(rng.randint(1, 16)) if rng.random() < 0.5 else bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 16)))
        elif op == 2 and buf:  # delete a range
            del buf[pos : pos + rng.randint(1, 64)]
        elif op == 3 and buf:  # duplicate a range
            end = min(len(buf), pos + rng.randint(1, 256))
            buf[pos:pos] = buf[pos:end] * rng.randint(1, 20)
        elif op == 4:  # splice another document
            other = rng.choice(docs)
            a = rng.randint(0, len(other))
            buf[pos:pos] = other[a : a + rng.randint(1, 2000)]
        elif op == 5:  # cut off
            del buf[pos:]
        elif op == 6:  # a hostile token
            buf[pos:pos] = rng.choice(HOSTILE)
        else:  # set a byte to an edge value
            if buf:
                buf[rng.randrange(len(buf))] = rng.choice([0, 0x7F, 0x80, 0xC0, 0xFF, 0x0A, 0x0D, 0x3C, 0x3E, 0x22])
    return bytes(buf[:300_000])


def make_input(seed: int, i: int, docs: list[bytes]) -> tuple[str, bytes, str]:
    """(how it was made, bytes, file extension) for input number ``i``; deterministic."""
    rng = random.Random(seed * 1_000_003 + i)
    r = rng.random()
    ext = rng.choice(EXTS)
    if r < 0.10:
        return "random bytes", bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 2048))), ext
    if r < 0.25:
        codec = rng.choice(CODECS)
        return f"text in {codec}", _random_text(rng).encode(codec, "replace"), ext
    return "mutated", _mutate(rng, rng.choice(docs), docs), ext


def _check(items: list[Any]) -> None:
    from newsweave.errors import BadInput
    from newsweave.models import Article

    for x in items:
        if isinstance(x, BadInput):
            str(x)
            continue
        if not isinstance(x, Article):
            raise AssertionError(f"reader yielded {type(x).__name__}")
        if not x.text.strip():
            raise AssertionError("article with empty text")
        for name in ("text", "title", "source", "url", "id", "path", "published", "byline", "story"):
            v = getattr(x, name)
            if v is not None:
                v.encode("utf-8")  # the store must be able to keep it


def _targets() -> dict[str, Any]:
    from newsweave.config import Settings
    from newsweave.errors import BadInput
    from newsweave.ingest import read_stream
    from newsweave.ingest.decode import decode
    from newsweave.ingest.files import capped_lines

    small = Settings(max_article_size=100_000)

    def stream(data: bytes, ext: str) -> None:
        _check(list(read_stream(io.BytesIO(data), f"fuzz{ext}", settings=small, ext=ext)))

    def decoded(data: bytes, ext: str) -> None:
        with contextlib.suppress(BadInput):
            decode(data, "fuzz").encode("utf-8")

    def lines(data: bytes, ext: str) -> None:
        for line in capped_lines(io.BytesIO(data), 512):
            assert line is None or len(line) <= 513

    return {"read": stream, "decode": decoded, "lines": lines}


def _child(seed: int, start: int, stop: int, cur: Any, began: Any, q: Any, mem_mb: int) -> None:
    """Run inputs start..stop-1; tell the watchdog which one is running and since when."""
    import logging

    logging.disable(logging.CRITICAL)  # readers log their decisions; not needed here
    if mem_mb:
        resource.setrlimit(resource.RLIMIT_AS, (mem_mb * 2**20, mem_mb * 2**20))
    docs = corpus()
    targets = _targets()
    stats: dict[str, list[Any]] = {name: [0, 0.0, -1, 0.0] for name in targets}  # count, max s, slowest i, total s
    crashes: list[dict[str, Any]] = []
    for i in range(start, stop):
        how, data, ext = make_input(seed, i, docs)
        for name, fn in targets.items():
            began.value = time.monotonic()
            cur.value = i
            try:
                fn(data, ext)
            except Exception as exc:  # a crash: anything but BadInput escaping a reader
                tb = traceback.format_exc(limit=-3)
                crashes.append({"input": i, "target": name, "how": how, "ext": ext, "error": f"{type(exc).__name__}: {exc}"[:300],
                                "where": tb.strip().splitlines()[-3:]})  # fmt: skip
                _save(i, data, ext)
            took = time.monotonic() - began.value
            s = stats[name]
            s[0] += 1
            s[3] += took
            if took > s[1]:
                s[1], s[2] = took, i
        if (i + 1) % 250 == 0 or i + 1 == stop:
            q.put({"done": i + 1, "stats": stats, "crashes": crashes})
            stats = {name: [0, 0.0, -1, 0.0] for name in targets}
            crashes = []
    began.value = 0.0


def _save(i: int, data: bytes, ext: str) -> None:
    FINDINGS.mkdir(parents=True, exist_ok=True)
    (FINDINGS / f"input-{i}{ext or '.bin'}").write_bytes(data)


def run(n: int, seed: int, timeout: float, mem_mb: int) -> dict[str, Any]:
    ctx = mp.get_context("fork")
    cur = ctx.Value("q", -1, lock=False)
    began = ctx.Value("d", 0.0, lock=False)
    q = ctx.Queue()
    totals: dict[str, list[Any]] = {}
    crashes: list[dict[str, Any]] = []
    hangs: list[dict[str, Any]] = []
    start, t0, restarts = 0, time.monotonic(), 0
    docs = corpus()
    last_report = 0

    def drain() -> int:
        done = -1
        while not q.empty():
            msg = q.get()
            done = max(done, msg["done"])
            crashes.extend(msg["crashes"])
            for name, (c, mx, slow, tot) in msg["stats"].items():
                t = totals.setdefault(name, [0, 0.0, -1, 0.0])
                t[0] += c
                t[3] += tot
                if mx > t[1]:
                    t[1], t[2] = mx, slow
        return done

    while start < n:
        cur.value, began.value = start, 0.0
        proc = ctx.Process(target=_child, args=(seed, start, n, cur, began, q, mem_mb), daemon=True)
        proc.start()
        while proc.is_alive():
            proc.join(0.2)
            drain()
            b = began.value
            if b and time.monotonic() - b > timeout:
                i = int(cur.value)
                proc.kill()
                proc.join()
                how, data, ext = make_input(seed, i, docs)
                hangs.append({"input": i, "how": how, "ext": ext, "seconds": round(time.monotonic() - b, 1)})
                _save(i, data, ext)
                drain()
                start, restarts = i + 1, restarts + 1
                break
            if int(cur.value) - last_report >= 5000:
                last_report = int(cur.value)
                print(f"  {last_report:,} inputs, {len(crashes)} crashes, {len(hangs)} hangs, "
                      f"{time.monotonic() - t0:,.0f} s", flush=True)  # fmt: skip
        else:
            drain()
            if proc.exitcode != 0:  # died on its own (a C crash, the memory limit)
                i = int(cur.value)
                how, data, ext = make_input(seed, i, docs)
                crashes.append({"input": i, "target": "process", "how": how, "ext": ext,
                                "error": f"child exited with {proc.exitcode}"})  # fmt: skip
                _save(i, data, ext)
                start = i + 1
                restarts += 1
            else:
                start = n
    wall = time.monotonic() - t0
    slowest = max(totals.items(), key=lambda kv: kv[1][1]) if totals else ("", [0, 0.0, -1, 0.0])
    return {
        "inputs": n,
        "seed": seed,
        "timeout_s": timeout,
        "crashes": len(crashes),
        "hangs": len(hangs),
        "slowest_s": round(max([slowest[1][1]] + [h["seconds"] for h in hangs]), 3),
        "slowest_input": {"input": slowest[1][2], "target": slowest[0]},
        "wall_s": round(wall, 1),
        "inputs_per_s": round(n / wall, 1) if wall else None,
        "per_target": {k: {"runs": v[0], "max_s": round(v[1], 3), "mean_ms": round(1000 * v[3] / max(1, v[0]), 2)}
                       for k, v in totals.items()},  # fmt: skip
        "restarts": restarts,
        "crash_list": crashes[:50],
        "hang_list": hangs[:50],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inputs", type=int, default=DEFAULT_INPUTS, help="how many inputs (default %(default)s)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds one input may take (default 10)")
    ap.add_argument("--memory-mb", type=int, default=3000, help="address-space limit of the fuzzing child")
    args = ap.parse_args()
    print(f"fuzzing the readers with {args.inputs:,} inputs (seed {args.seed})", flush=True)
    res = run(args.inputs, args.seed, args.timeout, args.memory_mb)
    pt = res["per_target"]
    rows = "\n".join(f"| {k} | {v['runs']:,} | {v['mean_ms']} | {v['max_s']} |" for k, v in pt.items())
    verdict = "met" if res["crashes"] == 0 and res["hangs"] == 0 else "NOT met"
    md = f"""Target: {res['inputs']:,} inputs, no crash, no input over {res['timeout_s']:g} s: **{verdict}**.

| inputs tried | crashes | hangs (> {res['timeout_s']:g} s) | slowest input | wall time | inputs/s |
|---|---|---|---|---|---|
| {res['inputs']:,} | {res['crashes']} | {res['hangs']} | {res['slowest_s']} s ({res['slowest_input']['target']}, input {res['slowest_input']['input']}) | {res['wall_s']:,} s | {res['inputs_per_s']} |

Each input ran through three targets:

| target | runs | mean ms | max s |
|---|---|---|---|
{rows}

Inputs: random bytes (10%), random text in one of {len(CODECS)} encodings (15%), and mutations of
{len(corpus())} documents we wrote (75%: bit flips, inserted/deleted/duplicated ranges, splices, cut-offs,
hostile tokens), each with a random file extension so every reader is reached. Seed {res['seed']};
replay one input with `make_input(seed, i, corpus())` from this script. A crash is any exception but
`BadInput`, or an Article the store could not keep; a hang is an input over {res['timeout_s']:g} s (the child
process is killed and a new one goes on).
"""
    if res["crash_list"] or res["hang_list"]:
        md += "\nFindings (saved under benchmarks/out/fuzz-findings/):\n\n"
        for c in res["crash_list"][:10]:
            md += f"- crash, input {c['input']} ({c['how']}, `{c['ext'] or 'no extension'}`, {c['target']}): {c['error']}\n"
        for h in res["hang_list"][:10]:
            md += f"- hang, input {h['input']} ({h['how']}, `{h['ext'] or 'no extension'}`): {h['seconds']} s\n"
    write_result("fuzz", res, md)
    print(md)
    sys.exit(0 if verdict == "met" else 1)


if __name__ == "__main__":
    main()
