"""`brief` latency: the seed story cold (a fresh CLI process) against spaCy
parsing the same texts alone, where the time goes, warm (in process), and a
100-article story built by combining many articles.

Cold against spaCy: each of ``--runs`` rounds (default 7) starts a fresh
``newsweave brief ../shared/seeds/`` and a fresh Python that imports spaCy,
loads the same model (``spacy.load``, every component, as shipped) and runs
``nlp.pipe`` over the same three article texts; the two alternate, so load on
the machine falls on both alike, and the ratio of their medians is reported. One uncounted run of each comes first
(bytecode written, files in the OS cache, for both alike).
The breakdown runs the brief's steps one by one in a fresh process.

The 100-article story combines the seed reports with AllSides dev openings
read at run time from ../shared/data (measurement only; nothing is copied).

    python benchmarks/bench_brief.py [--runs 7] [--only-ratio]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import OUT, SHARED, newsweave_cmd, write_result  # noqa: E402

# Child processes may write bytecode (as an installed package has it): a shell with
# PYTHONDONTWRITEBYTECODE=1 would otherwise recompile newsweave on every start, while
# spaCy's own files were compiled when pip installed them.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def child_cpu() -> float:
    """CPU seconds (user + system) used so far by finished child processes."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def cold(args: list[str], runs: int, cpu: list[float] | None = None) -> list[float]:
    """Wall seconds of ``runs`` fresh CLI processes (their CPU seconds appended to ``cpu``)."""
    times = []
    for _ in range(runs):
        c, t = child_cpu(), time.perf_counter()
        res = subprocess.run([*newsweave_cmd().split(), *args], capture_output=True, text=True, env=CHILD_ENV)
        times.append(time.perf_counter() - t)
        if cpu is not None:
            cpu.append(child_cpu() - c)
        if res.returncode not in (0, 1):
            raise SystemExit(res.stderr[-2000:])
    return times


# A fresh Python: spaCy as shipped, the same model, nlp.pipe over the texts in argv[1] (a JSON list).
SPACY_ALONE = """
import json, sys, spacy
texts = json.load(open(sys.argv[1], encoding="utf-8"))
nlp = spacy.load(sys.argv[2])
docs = list(nlp.pipe(texts))
print(sum(len(d) for d in docs))
"""

# A fresh process running the brief's steps one at a time (the CLI's own environment).
BREAKDOWN = """
import json, os, sys, time
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as newsweave.cli.main does
wall, cpu = {"start": time.perf_counter()}, {}

def mark(step, wall_s=None, cpu_s=None):
    wall[step] = time.perf_counter() if wall_s is None else wall_s
    cpu[step] = time.process_time() if cpu_s is None else cpu_s

import newsweave.analyze as analyze
import newsweave.cli
from newsweave import read
from newsweave.analyze import nlp as nlp_mod
from newsweave.config import load_settings
from newsweave.render.markdown import to_markdown
from newsweave.stories.briefs import brief_files
arts = list(read([sys.argv[1]]))
nlp_mod.import_spacy()
analyze.nlp_components()  # imports the analysis stages
mark("import")
analyze.warm_up()
mark("model load")
nlp = nlp_mod.get_nlp(analyze.nlp_components())  # the cached pipeline analyze_many uses
spent = {"parse": [0.0, 0.0], "analysis": [0.0, 0.0]}
real_pipe, real_many = nlp.pipe, analyze.analyze_many

def timed(key, it):
    it = iter(it)
    while True:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            x = next(it)
        except StopIteration:
            return
        finally:
            spent[key][0] += time.perf_counter() - t0
            spent[key][1] += time.process_time() - c0
        yield x

def pipe(*a, **k):  # pipe(as_tuples=True) calls self.pipe(texts) again: time that inner call only
    return real_pipe(*a, **k) if k.get("as_tuples") else timed("parse", real_pipe(*a, **k))

nlp.pipe = pipe
analyze.analyze_many = lambda *a, **k: timed("analysis", real_many(*a, **k))
t0, c0 = time.perf_counter(), time.process_time()
briefings, _ = brief_files(arts, load_settings(), model="lexical")
whole, whole_cpu = time.perf_counter() - t0, time.process_time() - c0
for step in ("parse", "analysis"):  # nested: parse inside analysis inside the whole
    mark(step, wall["model load"] + spent[step][0], cpu["model load"] + spent[step][1])
mark("synthesis", wall["model load"] + whole, cpu["model load"] + whole_cpu)
md = to_markdown(briefings[0])
mark("render")
print(json.dumps({"wall": wall, "cpu": cpu}))
"""
STEPS = ("import", "model load", "parse", "analysis", "synthesis", "render")


def spacy_alone(texts_path: Path, cpu: list[float] | None = None) -> float:
    """Seconds for a fresh Python to import spaCy, load the model and parse the texts (as shipped)."""
    from newsweave.analyze.nlp import MODEL

    c, t = child_cpu(), time.perf_counter()
    res = subprocess.run([sys.executable, "-c", SPACY_ALONE, str(texts_path), MODEL], capture_output=True, text=True,
                         env=CHILD_ENV)
    took = time.perf_counter() - t
    if cpu is not None:
        cpu.append(child_cpu() - c)
    if res.returncode:
        raise SystemExit(res.stderr[-2000:])
    return took


def cold_vs_spacy(seeds: str, runs: int, folder: Path) -> dict:
    """Alternating fresh ``brief`` and spaCy-alone processes on the same texts; their medians and ratio."""
    from newsweave import read

    texts_path = folder / "texts.json"
    texts_path.write_text(json.dumps([a.text for a in read([seeds])]), encoding="utf-8")
    brief_s: list[float] = []
    spacy_s: list[float] = []
    cold(["brief", seeds], 1)  # not counted: writes newsweave's bytecode, reads the files into the OS cache
    spacy_alone(texts_path)
    brief_cpu: list[float] = []
    spacy_cpu: list[float] = []
    for _ in range(runs):
        brief_s += cold(["brief", seeds], 1, brief_cpu)
        spacy_s.append(spacy_alone(texts_path, spacy_cpu))
    ratios = [b / s for b, s in zip(brief_s, spacy_s, strict=True)]
    return {"brief_cold_s": brief_s, "spacy_alone_s": spacy_s, "pair_ratios": ratios,
            "ratio_of_medians": statistics.median(brief_s) / statistics.median(spacy_s),
            "brief_cpu_s": brief_cpu, "spacy_cpu_s": spacy_cpu,
            "cpu_ratio_of_medians": statistics.median(brief_cpu) / statistics.median(spacy_cpu)}


def breakdown(seeds: str, runs: int) -> dict[str, dict[str, float]]:
    """Median wall and CPU seconds per step of a cold brief (a fresh process each run); Python's
    own start-up is counted in import."""
    per: dict[str, dict[str, list[float]]] = {"wall": {k: [] for k in STEPS}, "cpu": {k: [] for k in STEPS}}
    for _ in range(runs):
        t0 = time.perf_counter()
        res = subprocess.run([sys.executable, "-c", BREAKDOWN, seeds], capture_output=True, text=True, env=CHILD_ENV)
        if res.returncode:
            raise SystemExit(res.stderr[-2000:])
        t = json.loads(res.stdout.strip().splitlines()[-1])
        w, c = t["wall"], t["cpu"]
        prev = {"wall": w["start"] - (time.perf_counter() - t0 - (w["render"] - w["start"])), "cpu": 0.0}  # process start
        for clock, marks in (("wall", w), ("cpu", c)):
            for k in STEPS:
                per[clock][k].append(marks[k] - prev[clock])
                prev[clock] = marks[k]
    return {clock: {k: statistics.median(v) for k, v in steps.items()} for clock, steps in per.items()}


def ratio_markdown(r: dict, steps: dict[str, dict[str, float]], runs: int) -> str:
    mb, ms = statistics.median(r["brief_cold_s"]), statistics.median(r["spacy_alone_s"])
    bc, sc = statistics.median(r["brief_cpu_s"]), statistics.median(r["spacy_cpu_s"])
    rows = "".join(f"| {k} | {steps['wall'][k]:.2f} | {steps['cpu'][k]:.2f} |\n" for k in STEPS)
    return (
        f"Cold, side by side ({runs} alternating rounds, a fresh process each, medians):\n\n"
        "| measure | median seconds | target |\n|---|---|---|\n"
        f"| `newsweave brief ../shared/seeds/` cold CLI (Markdown) | {mb:.2f} | |\n"
        f"| spaCy alone: import, `spacy.load` of the same model, `nlp.pipe` over the same 3 texts | {ms:.2f} | |\n"
        f"| **ratio brief / spaCy alone** (wall) | **{r['ratio_of_medians']:.2f}x** | <= 0.8x |\n"
        f"| same, CPU seconds (user + system) of each process: {bc:.2f} / {sc:.2f} "
        f"| {r['cpu_ratio_of_medians']:.2f}x | |\n\n"
        f"Per round: {', '.join(f'{x:.2f}' for x in r['pair_ratios'])}.\n\n"
        f"Where a cold brief's time goes ({runs} fresh processes, medians; import includes Python's start-up "
        "and reading the files):\n\n| step | median wall seconds | median CPU seconds |\n|---|---|---|\n" + rows
    )


# Start-up of the per-file commands when they need no spaCy (fictional one-line texts).
SMALL_TEXT = "On Monday, March 3, 2025, about 300 dockers walked out at Marrowick, the union said.\n"
NO_NUMBER_TEXT = "Nothing much happened at the Marrowick harbour today.\n"
HIDE_SPACY = "import sys; sys.modules['spacy'] = None; from newsweave.cli import main; main()"  # as if not installed


def startup(runs: int, folder: Path) -> dict[str, dict[str, float]]:
    """Median wall and CPU seconds of fresh ``quotes``/``dates``/``figures`` processes on a one-line file."""
    small, plain = folder / "small.txt", folder / "no-number.txt"
    small.write_text(SMALL_TEXT, encoding="utf-8")
    plain.write_text(NO_NUMBER_TEXT, encoding="utf-8")
    nw = newsweave_cmd().split()
    cases = {
        "`dates FILE --json`": [*nw, "dates", str(small), "--json"],
        "`quotes FILE --json`, spaCy not installed (rules)": [sys.executable, "-c", HIDE_SPACY, "quotes", str(small), "--json"],
        "`figures FILE --json`, spaCy not installed (rules)": [sys.executable, "-c", HIDE_SPACY, "figures", str(small), "--json"],
        "`figures FILE --json`, no number in FILE (spaCy installed, not loaded)": [*nw, "figures", str(plain), "--json"],
        "for comparison: `quotes FILE --json` with spaCy (loads and parses)": [*nw, "quotes", str(small), "--json"],
    }
    out: dict[str, dict[str, float]] = {}
    for name, cmd in cases.items():
        subprocess.run(cmd, capture_output=True, env=CHILD_ENV)  # not counted: bytecode, OS cache
        wall, cpu = [], []
        for _ in range(runs):
            c, t = child_cpu(), time.perf_counter()
            res = subprocess.run(cmd, capture_output=True, text=True, env=CHILD_ENV)
            wall.append(time.perf_counter() - t)
            cpu.append(child_cpu() - c)
            if res.returncode:
                raise SystemExit(f"{name}: {res.stderr[-2000:]}")
        out[name] = {"wall_s": statistics.median(wall), "cpu_s": statistics.median(cpu)}
    return out


def startup_markdown(st: dict[str, dict[str, float]], runs: int) -> str:
    rows = "".join(
        f"| {k} | {v['wall_s']:.2f} | {v['cpu_s']:.2f} | {'' if k.startswith('for comparison') else '< 0.3 s'} |\n"
        for k, v in st.items()
    )
    return (f"Per-file commands that need no spaCy, a fresh process on a one-line file ({runs} runs, medians):\n\n"
            "| command | wall seconds | CPU seconds | target |\n|---|---|---|---|\n" + rows)


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
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--only-ratio", action="store_true",
                    help="only brief cold against spaCy alone, the breakdown and the per-file commands' start-up")
    args = ap.parse_args()
    seeds = str(SHARED / "seeds")
    results: dict = {}

    with tempfile.TemporaryDirectory() as tmp:
        ratio = cold_vs_spacy(seeds, args.runs, Path(tmp))
        starts = startup(args.runs, Path(tmp))
    steps = breakdown(seeds, args.runs)
    ratio_md = ratio_markdown(ratio, steps, args.runs) + "\n" + startup_markdown(starts, args.runs)
    write_result("brief_ratio", {"runs": args.runs, **ratio, "breakdown_s": steps, "startup": starts}, ratio_md)
    print(ratio_md)
    if args.only_ratio:
        return

    results["seed_cold_s"] = ratio["brief_cold_s"]
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
    write_result("brief", {"runs": results, "median": med, "vs_spacy": ratio, "breakdown_s": steps, "startup": starts},
                 ratio_md + "\n" + md)

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
