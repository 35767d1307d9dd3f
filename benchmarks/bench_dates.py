"""Temporal-expression quality on TimeBank, with dateparser from the same run.

Runs the shared evaluation script (one ``newsweave dates FILE --json``
process per document, as the ``newsweave dates FILE --json`` contract does;
the harness appends ``--reference-date`` from each document's DCT) together
with the harness's built-in dateparser peer, and writes:

* ``benchmarks/out/dates.json``: the harness's result object plus the command;
* ``benchmarks/out/dates.md``: one row per system, with the issue's targets.

Usage::

    python benchmarks/bench_dates.py                      # TimeBank, peer dateparser
    python benchmarks/bench_dates.py --limit 20 --systems ""
    python benchmarks/bench_dates.py --errors /tmp/dates_errors.json   # per-document lists

The evaluation lives outside the repository (``../shared/eval``) and runs in
its own virtual environment (``NEWSWEAVE_EVAL_PYTHON`` overrides it).
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import EVAL_PY, PY, SHARED, run_eval, write_result  # noqa: E402

TARGETS = {"relaxed_f1": 0.85, "value_acc": 0.80}


def eval_args(args: argparse.Namespace) -> list[str]:
    """Arguments for eval_dates.py for these options."""
    ours = f"{shlex.quote(str(Path(args.python).with_name('newsweave')))} dates --json"
    out = ["--split", args.split, "--cmd", ours, "--name", "newsweave"]
    if args.systems:
        out += ["--systems", args.systems]
    if args.limit:
        out += ["--limit", str(args.limit)]
    if args.errors:
        out += ["--out", args.errors]
    return out


def table(result: dict) -> str:
    """Markdown: per corpus, one row per system, then the targets."""
    lines = []
    for cname, c in result["corpora"].items():
        types = ", ".join(f"{k} {v}" for k, v in sorted(c["gold_types"].items()))
        lines += [
            f"Temporal expressions, {cname}: {c['n_docs']} documents, {c['n_gold']} gold TIMEX3 ({types})",
            "",
            "| system | relaxed P | relaxed R | relaxed F1 (95% CI) | strict F1 | value acc | DATE value acc "
            "| type acc | s/doc |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for name, e in c["systems"].items():
            r, ci = e["relaxed"], e["relaxed"].get("f1_ci95") or ["?", "?"]
            lines.append(
                f"| {name} | {r['p']:.3f} | {r['r']:.3f} | {r['f1']:.3f} ({ci[0]}-{ci[1]}) | "
                f"{e['strict']['f1']:.3f} | {e['value_accuracy']['acc']:.3f} | "
                f"{e['date_value_accuracy']['acc']:.3f} | {e['type_accuracy']:.3f} | {e['runtime_per_doc_s']:.3f} |"
            )
        lines += [f"| target | | | >= {TARGETS['relaxed_f1']} | | >= {TARGETS['value_acc']} | | | |", ""]
    lines.append("Value accuracy is over relaxed-matched pairs; s/doc includes one Python start-up per "
                 "document for newsweave (the harness runs the CLI per file) and none for dateparser.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="timebank", help="timebank (dev); the held-out splits are not ours to run")
    ap.add_argument("--systems", default="dateparser", help="harness peers to run alongside ('' for none)")
    ap.add_argument("--limit", type=int, help="only the first N documents")
    ap.add_argument("--python", default=PY, help="python that has newsweave installed")
    ap.add_argument("--errors", help="also write per-document predictions and gold here (error lists)")
    args = ap.parse_args(argv)

    ea = eval_args(args)
    command = " ".join(shlex.quote(c) for c in [EVAL_PY, str(SHARED / "eval" / "eval_dates.py"), *ea])
    print("$ " + command, file=sys.stderr)
    t0 = time.perf_counter()
    result = run_eval("eval_dates.py", ea)
    result["command"] = command
    result["wall_s"] = round(time.perf_counter() - t0, 1)
    md = table(result) + f"\nCommand: `{command}`\n"
    write_result("dates", result, md)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
