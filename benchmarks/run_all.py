"""Run every benchmark and write benchmarks/RESULTS.md.

    python benchmarks/run_all.py            # everything (about 30-60 minutes on 2 cores)
    python benchmarks/run_all.py brief summary   # just these
    python benchmarks/run_all.py --collect  # only rebuild RESULTS.md from benchmarks/out/

Each bench_NAME.py writes benchmarks/out/NAME.{json,md}; this script stitches the
Markdown parts together in a fixed order under fixed headings.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import OUT, ROOT, machine, stamp  # noqa: E402

SECTIONS = [
    ("summary", "Summary quality on AllSides dev (ROUGE F1, peers in the same run)"),
    ("citations", "Citation precision and recall on the example stories, section by section"),
    ("trust", "Trust on the example stories with answer keys (check_trust.py)"),
    ("quotes", "Quotes and speakers on PolNeAR dev (peers in the same run)"),
    ("dates", "Temporal expressions on TimeBank (peer in the same run)"),
    ("analyze", "Analysis throughput and memory"),
    ("ingest", "Ingest throughput and memory"),
    ("brief", "Briefing latency"),
    ("stories", "Stories: clustering, stream, throughput, scale, cached briefings"),
    ("fuzz", "Fuzzing the readers (random and mutated inputs)"),
    ("scale", "Past one machine: Dask scaling and PostgreSQL writes"),
    ("web", "Web app under load (loopback, 10,000 articles)"),
]
EXTRA = [
    ("seed_briefing", "The seed briefing, as an editor reads it"),
]


def _demote(md: str) -> str:
    """Headings of an included part sit below the section's own (## -> ####)."""
    return "\n".join("##" + ln if ln.startswith("#") else ln for ln in md.splitlines())


def collect() -> str:
    parts = [
        "# Benchmark results\n",
        f"Assembled {stamp()} on {machine()} by `python benchmarks/run_all.py`. "
        "Each section says when and where it was measured; peers run in the same call.\n",
    ]
    for name, title in SECTIONS + EXTRA:
        f = OUT / f"{name}.md"
        if f.exists():
            parts.append(f"## {title}\n\n{_demote(f.read_text('utf-8').strip())}\n")
        else:
            parts.append(f"## {title}\n\n_Not measured yet: run `python benchmarks/bench_{name}.py`._\n")
    notes = ROOT / "benchmarks" / "NOTES.md"
    if notes.exists():
        parts.append(f"## Notes written by hand\n\n{notes.read_text('utf-8').strip()}\n")
    return "\n".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    ap.add_argument("--collect", action="store_true", help="only rebuild RESULTS.md")
    args = ap.parse_args()
    if not args.collect:
        for name, _ in SECTIONS:
            if args.names and name not in args.names:
                continue
            script = ROOT / "benchmarks" / f"bench_{name}.py"
            if script.exists():
                print(f"== {script.name}", flush=True)
                subprocess.run([sys.executable, str(script)], check=True)
    (ROOT / "benchmarks" / "RESULTS.md").write_text(collect(), encoding="utf-8")
    print("wrote benchmarks/RESULTS.md")


if __name__ == "__main__":
    main()
