"""Trust on the example stories: ``../shared/checks/check_trust.py`` on every story with an answer key.

Each ``examples/NAME/`` folder with an ``examples/NAME.key.json`` beside it is a
fictional story written by the project, its answer key written with the
articles before any briefing ran on them. check_trust.py briefs the folder
(``newsweave brief DIR --format json --words 150``) and scores the JSON against
the key: summary citations and content, who said what, roles, figures and
their conflicts, disputes, the single-source list, the timeline and the
sources (outlets, wire copy). This benchmark runs it on each story and tabulates
the verdicts.

It also measures the length of the default Markdown briefing (``newsweave
brief DIR``, piped, so plain Markdown; words counted as ``wc -w`` counts them)
of every example story and of the seed story (``../shared/seeds``), against
the issue's target of under 1,500 words, with the words of the articles
themselves beside it.

Usage::

    .venv/bin/python benchmarks/bench_trust.py [--words 150] [--story NAME ...] [--no-length]

Writes ``benchmarks/out/trust.json`` and ``benchmarks/out/trust.md``.
"""

from __future__ import annotations

import argparse
import os
import re
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import ROOT, SHARED, newsweave_cmd, write_result  # noqa: E402

CHECK = SHARED / "checks" / "check_trust.py"
SEEDS = SHARED / "seeds"
LENGTH_TARGET = 1500
EXAMPLES = ROOT / "examples"
_LINE = re.compile(r"^(ok  |MISS) ([^:]+): (.*)$")


def stories(names: list[str] | None = None) -> list[tuple[str, Path, Path]]:
    """(name, folder, key) for every example story with an answer key."""
    out = []
    for key in sorted(EXAMPLES.glob("*.key.json")):
        name = key.name.removesuffix(".key.json")
        folder = EXAMPLES / name
        if folder.is_dir() and (not names or name in names):
            out.append((name, folder, key))
    return out


def parse(stdout: str) -> tuple[dict[str, dict[str, object]], str]:
    """check_trust's lines -> {measure: {"ok", "detail"}}, and its verdict line."""
    measures: dict[str, dict[str, object]] = {}
    verdict = ""
    for line in stdout.splitlines():
        m = _LINE.match(line)
        if m:
            measures[m.group(2)] = {"ok": m.group(1) == "ok  ", "detail": m.group(3)}
        elif line.startswith("trust:"):
            verdict = line
    return measures, verdict


def executable() -> str:
    """check_trust.py runs one program: wrap 'python -m newsweave.cli' when no script is installed."""
    cmd = newsweave_cmd()
    if " " not in cmd:
        return cmd
    fd, path = tempfile.mkstemp(prefix="newsweave-", suffix=".sh")
    with os.fdopen(fd, "w") as f:
        f.write(f'#!/bin/sh\nexec {cmd} "$@"\n')
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


def input_words(folder: Path) -> int:
    """Words of a story's articles as read (``wc -w`` style: whitespace-separated)."""
    from newsweave.ingest import read_inputs
    from newsweave.models import Article

    return sum(len(a.text.split()) for a in read_inputs([str(folder)]) if isinstance(a, Article))


def lengths(nw: str, folders: list[tuple[str, Path]]) -> dict[str, dict[str, object]]:
    """Words of the default Markdown briefing of each folder (and of its articles)."""
    out: dict[str, dict[str, object]] = {}
    for name, folder in folders:
        res = subprocess.run([nw, "brief", str(folder)], capture_output=True, text=True, timeout=600, cwd=ROOT)
        words = len(res.stdout.split()) if res.returncode == 0 else None
        out[name] = {"markdown_words": words, "input_words": input_words(folder), "exit": res.returncode,
                     "sections": sections(res.stdout)}
        print(f"{name}: {words} words of Markdown", flush=True)
    return out


def sections(md: str) -> dict[str, int]:
    """Words per ``## `` section of a Markdown briefing (the title and overview under "head")."""
    parts = re.split(r"(?m)^## (.*)$", md)
    out = {"head": len(parts[0].split())}
    for i in range(1, len(parts) - 1, 2):
        out[parts[i].strip()] = len(parts[i + 1].split()) + len(parts[i].split()) + 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=150)
    ap.add_argument("--story", nargs="*", help="only these stories (default: every story with a key)")
    ap.add_argument("--no-length", action="store_true", help="skip the Markdown length measurement")
    args = ap.parse_args()
    if not CHECK.exists():
        raise SystemExit(f"{CHECK} not found: set NEWSWEAVE_SHARED to the shared folder")
    nw = executable()
    results: dict[str, dict[str, object]] = {}
    for name, folder, key in stories(args.story):
        t = time.perf_counter()
        res = subprocess.run(
            [sys.executable, str(CHECK), nw, str(folder), str(key), "--words", str(args.words)],
            capture_output=True, text=True, timeout=1200, cwd=ROOT,
        )
        measures, verdict = parse(res.stdout)
        if not measures:
            verdict = verdict or f"check failed (exit {res.returncode}): {(res.stdout + res.stderr).strip()[-300:]}"
        results[name] = {
            "measures": measures,
            "verdict": verdict,
            "exit": res.returncode,
            "seconds": round(time.perf_counter() - t, 2),
        }
        print(f"{name}: {verdict}", flush=True)
    folders = [(name, folder) for name, folder, _ in stories(args.story)]
    if SEEDS.is_dir() and not args.story:
        folders.insert(0, ("seeds", SEEDS))
    length = {} if args.no_length else lengths(nw, folders)
    md = markdown(results, args.words) + ("\n\n" + length_table(length) if length else "")
    write_result("trust", {"words": args.words, "stories": results, "length": length}, md)


def length_table(length: dict[str, dict[str, object]]) -> str:
    """Markdown: words of each default briefing against the target, and per section."""
    names = list(length)
    secs: list[str] = []
    for r in length.values():
        for k in r["sections"]:  # type: ignore[attr-defined]
            if k not in secs:
                secs.append(k)
    lines = [
        f"Length of the default Markdown briefing (`newsweave brief DIR | wc -w`; target: under {LENGTH_TARGET:,} "
        "words, an editor's three-minute read). Long sections show their most important items and say how many "
        "more the HTML and JSON briefings hold; the whole keeps to a word budget of at most 1,400 words and 70% "
        "of the articles' words, never under 700 (`newsweave/render/caps.py`). Words per section below.",
        "",
        "| | " + " | ".join(f"`{n}`" for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]

    def cell(n: str) -> str:
        w = length[n]["markdown_words"]
        if w is None:
            return f"failed (exit {length[n]['exit']})"
        return f"**{w:,}** ({'met' if int(w) < LENGTH_TARGET else 'MISSED'})"  # type: ignore[call-overload]

    lines.append("| Markdown words | " + " | ".join(cell(n) for n in names) + " |")
    lines.append("| words of the articles | " + " | ".join(f"{length[n]['input_words']:,}" for n in names) + " |")
    for k in secs:
        row = [str(length[n]["sections"].get(k, "")) for n in names]  # type: ignore[attr-defined]
        lines.append(f"| {k} | " + " | ".join(row) + " |")
    return "\n".join(lines)


def markdown(results: dict[str, dict[str, object]], words: int) -> str:
    names = list(results)
    order: list[str] = []
    for r in results.values():
        for m in r["measures"]:  # type: ignore[attr-defined]
            if m not in order:
                order.append(m)
    lines = [
        f"`python3 ../shared/checks/check_trust.py NW examples/NAME examples/NAME.key.json --words {words}` "
        "on every example story with an answer key (`python benchmarks/bench_trust.py`). "
        "Each cell: the verdict, then check_trust's numbers.",
        "",
        "| measure | " + " | ".join(f"`{n}`" for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for m in order:
        cells = []
        for n in names:
            d = results[n]["measures"].get(m)  # type: ignore[attr-defined]
            cells.append("n/a" if d is None else ("**ok**" if d["ok"] else "MISS") + f": {d['detail']}")
        lines.append(f"| {m} | " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    held = [sum(1 for d in results[n]["measures"].values() if d["ok"]) for n in names]  # type: ignore[attr-defined]
    lines.append("| **bars held** | " + " | ".join(
        f"{h}/{len(results[n]['measures'])}" for h, n in zip(held, names, strict=True)) + " |")  # type: ignore[arg-type]
    lines += ["", "Verdicts:", ""] + [f"- `{n}`: {results[n]['verdict']}" for n in names]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
