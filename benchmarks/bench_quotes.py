"""Quote attribution quality on PolNeAR, with the peers from the same run.

Runs the shared evaluation script (one ``python -m newsweave.analyze.quotes``
process per article, as the ``newsweave quotes FILE --json`` contract does)
together with the harness's built-in peers, and writes:

* ``benchmarks/out/quotes.json``: the harness's full result object;
* ``benchmarks/out/quotes.md``: a Markdown table, one row per system, for
  RESULTS.md.

Usage::

    python benchmarks/bench_quotes.py                 # dev split, peers textacy + regex
    python benchmarks/bench_quotes.py --split train --limit 100 --systems ""

The evaluation lives outside the repository (``../shared/eval``) and runs in
its own virtual environment; both paths can be changed with flags.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
DEFAULT_EVAL = ROOT.parent / "shared" / "eval" / "eval_quotes.py"
DEFAULT_EVAL_PY = ROOT.parent / ".venv-eval" / "bin" / "python"
TARGETS = {"iou50": 0.55, "joint": 0.50, "speaker": 0.90, "direct": 0.93}


def build_command(args: argparse.Namespace) -> list[str]:
    """The eval command line for these options."""
    ours = f"{shlex.quote(str(args.python))} -m newsweave.analyze.quotes"
    cmd = [str(args.eval_python), str(args.eval_script), "--split", args.split, "--cmd", ours, "--name", "newsweave"]
    if args.systems:
        cmd += ["--systems", args.systems]
    if args.limit:
        cmd += ["--limit", str(args.limit)]
    if args.errors:
        cmd += ["--out", str(args.errors)]
    return cmd


def table(result: dict) -> str:
    """Markdown rows: one per system, with the issue's targets as the last row."""
    split = Path(result.get("data", "")).name or "?"
    lines = [
        f"Quotes, PolNeAR {split} ({result['n_articles']} articles, {result['n_gold_relations']} gold relations, "
        f"{result['n_gold_direct']} direct)",
        "",
        "| system | iou50 F1 | relaxed F1 | exact F1 | joint F1 | speaker acc | direct F1 | s/article |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, e in result["systems"].items():
        a, d = e["all"], e["direct"]
        lines.append(
            f"| {name} | {a['content_iou50']['f1']:.3f} | {a['content_relaxed']['f1']:.3f} | "
            f"{a['content_exact']['f1']:.3f} | {a['joint']['f1']:.3f} | {a['speaker_accuracy']['acc']:.3f} | "
            f"{d['content_relaxed']['f1']:.3f} | {e['runtime_per_article_s']:.2f} |"
        )
    lines.append(
        f"| target | >= {TARGETS['iou50']} | | | >= {TARGETS['joint']} | >= {TARGETS['speaker']} | "
        f">= {TARGETS['direct']} | |"
    )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev", help="dev | train | test (default dev)")
    ap.add_argument("--systems", default="textacy,regex", help="harness peers to run alongside ('' for none)")
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--python", default=sys.executable, help="python that has newsweave installed")
    ap.add_argument("--eval-python", default=str(DEFAULT_EVAL_PY))
    ap.add_argument("--eval-script", default=str(DEFAULT_EVAL))
    ap.add_argument("--errors", help="also write per-article predictions and gold here (error lists)")
    args = ap.parse_args(argv)

    cmd = build_command(args)
    print("$ " + " ".join(shlex.quote(c) for c in cmd), file=sys.stderr)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
        return proc.returncode
    out = proc.stdout
    result = json.loads(out[: out.rindex("\nQUOTES ")] if "\nQUOTES " in out else out)
    result["command"] = " ".join(shlex.quote(c) for c in cmd)
    result["wall_s"] = round(time.perf_counter() - t0, 1)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "quotes.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    md = table(result) + f"\nCommand: `{result['command']}`\n"
    (OUT / "quotes.md").write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
