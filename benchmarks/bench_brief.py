"""`brief` latency: the seed story cold (a fresh CLI process) and warm (in
process), and a 100-article story built by combining many articles.

The 100-article story combines the seed reports with AllSides dev openings
read at run time from ../shared/data (measurement only; nothing is copied).

    python benchmarks/bench_brief.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import OUT, SHARED, newsweave_cmd, write_result  # noqa: E402


def cold(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        res = subprocess.run([*newsweave_cmd().split(), *args], capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        if res.returncode not in (0, 1):
            raise SystemExit(res.stderr[-2000:])
    return times


def big_story(n: int, folder: Path) -> Path:
    rows = []
    with open(SHARED / "data" / "allsides" / "dev.jsonl", encoding="utf-8") as f:
        for line in f:
            for a in json.loads(line)["articles"]:
                rows.append({"text": a["text"], "source": a["outlet"], "title": a.get("title")})
    for p in sorted((SHARED / "seeds").glob("*.txt")):
        rows.append({"text": p.read_text("utf-8"), "source": None})
    path = folder / f"story{n}.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for r in rows[-n:]:
            f.write(json.dumps(r) + "\n")
    return path


_TEXT_RUN = re.compile(r"[^\[\]\n*_|()]+")


def elide(md: str, keep: int = 8, longest: int = 10) -> str:
    """Cut every run of plain text longer than ``longest`` words to ``keep`` words + "…"."""

    def cut(m: re.Match[str]) -> str:
        words = m.group(0).split()
        if len(words) <= longest:
            return m.group(0)
        lead = " " if m.group(0)[:1].isspace() else ""
        return lead + " ".join(words[:keep]) + "… "

    return "\n".join(_TEXT_RUN.sub(cut, line) for line in md.splitlines())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    seeds = str(SHARED / "seeds")
    results: dict = {}

    results["seed_cold_s"] = cold(["brief", seeds], args.runs)
    results["seed_cold_html_s"] = cold(["brief", seeds, "--format", "html", "-o", "/dev/null"], 1)

    from newsweave import read
    from newsweave.synthesize.briefing import build_briefing

    arts = read([seeds])
    build_briefing(arts, 150)  # warm the models
    warm = []
    for _ in range(args.runs):
        t = time.perf_counter()
        build_briefing(arts, 150)
        warm.append(time.perf_counter() - t)
    results["seed_warm_s"] = warm

    with tempfile.TemporaryDirectory() as tmp:
        path = big_story(100, Path(tmp))
        results["story100_cold_s"] = cold(["brief", str(path), "--format", "json", "-o", "/dev/null"], 1)
        with open(path, encoding="utf-8") as f:
            words = sum(len(json.loads(ln)["text"].split()) for ln in f)
        results["story100_words"] = words

    med = {k: statistics.median(v) for k, v in results.items() if isinstance(v, list)}
    md = (
        "| measure | median seconds | target |\n|---|---|---|\n"
        f"| `newsweave brief ../shared/seeds/` cold CLI (Markdown, {args.runs} runs) | {med['seed_cold_s']:.2f} | < 2 s |\n"
        f"| same, `--format html` | {med['seed_cold_html_s']:.2f} | |\n"
        f"| seed briefing warm, in process | {med['seed_warm_s']:.2f} | |\n"
        f"| 100-article story ({results['story100_words']:,} words) cold CLI, JSON | {med['story100_cold_s']:.2f} | < 20 s |\n"
    )
    write_result("brief", {"runs": results, "median": med}, md)

    # The seed briefing itself, for an editor to read in RESULTS.md.
    from newsweave.render.markdown import to_markdown

    seed_md = to_markdown(build_briefing(arts, 150))
    (OUT / "seed_briefing_full.md").write_text(seed_md, encoding="utf-8")
    write_result(
        "seed_briefing",
        {},
        "`newsweave brief ../shared/seeds/` (Markdown, piped). The seed texts belong to their publishers, so "
        "every run of more than ten words taken from them is cut to its first eight words here; the full "
        "briefing is written to `benchmarks/out/seed_briefing_full.md` by this benchmark.\n\n" + elide(seed_md),
    )
    print(md)


if __name__ == "__main__":
    main()
