"""Quote attribution quality on PolNeAR, with the peers from the same run.

Runs the shared evaluation script (one ``newsweave quotes FILE --json``
process per article, as the ``newsweave quotes FILE --json`` contract does)
together with the harness's built-in peers, and writes:

* ``benchmarks/out/quotes.json``: the harness's full result object;
* ``benchmarks/out/quotes.md``: a Markdown table, one row per system, for
  RESULTS.md.

Usage::

    python benchmarks/bench_quotes.py                 # dev split, peers textacy + regex
    python benchmarks/bench_quotes.py --split train --limit 100 --systems ""
    python benchmarks/bench_quotes.py --build-lexicon # rebuild data/quotes_cues.json from train

``--build-lexicon`` recounts the reporting-cue lexicon shipped in
``newsweave/analyze/data/quotes_cues.json`` from the PolNeAR train split: for
every verb outside gold content spans, its lemma and syntactic frame, and how
often it is a gold cue. Only counts are stored, no text.

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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import EVAL_PY as DEFAULT_EVAL_PY  # noqa: E402
from benchmarks.common import OUT, ROOT, SHARED  # noqa: E402

DEFAULT_EVAL = SHARED / "eval" / "eval_quotes.py"
TARGETS = {"iou50": 0.55, "joint": 0.50, "speaker": 0.90, "direct": 0.93, "joint_p_at_threshold": 0.90,
           "joint_r_at_threshold": 0.50}


def build_command(args: argparse.Namespace, min_confidence: float | None = None) -> list[str]:
    """The eval command line for these options (with the peers only on the run without a threshold)."""
    ours = f"{shlex.quote(str(Path(args.python).with_name('newsweave')))} quotes --json"
    name = "newsweave"
    if min_confidence is not None:
        ours += f" --min-confidence {min_confidence}"
        name = f"newsweave >= {min_confidence}"
    cmd = [str(args.eval_python), str(args.eval_script), "--split", args.split, "--cmd", ours, "--name", name]
    if args.systems and min_confidence is None:
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
        "| system | iou50 F1 | relaxed F1 | exact F1 | joint P | joint R | joint F1 | speaker acc | direct F1 "
        "| s/article |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, e in result["systems"].items():
        a, d = e["all"], e["direct"]
        lines.append(
            f"| {name} | {a['content_iou50']['f1']:.3f} | {a['content_relaxed']['f1']:.3f} | "
            f"{a['content_exact']['f1']:.3f} | {a['joint']['p']:.3f} | {a['joint']['r']:.3f} | {a['joint']['f1']:.3f} | "
            f"{a['speaker_accuracy']['acc']:.3f} | {d['content_relaxed']['f1']:.3f} | {e['runtime_per_article_s']:.2f} |"
        )
    lines.append(
        f"| target | >= {TARGETS['iou50']} | | | >= {TARGETS['joint_p_at_threshold']} at the threshold | "
        f">= {TARGETS['joint_r_at_threshold']} at the threshold | >= {TARGETS['joint']} | >= {TARGETS['speaker']} | "
        f">= {TARGETS['direct']} | |"
    )
    return "\n".join(lines) + "\n"


def _read_ann(path: Path) -> list[dict[str, list[tuple[int, int]]]]:
    """BRAT attribution relations; span texts that run over a line break are tolerated."""
    spans: dict[str, list[tuple[int, int]]] = {}
    typed: dict[str, str] = {}
    rels = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            typ, rng = parts[1].split(" ", 1)
            typed[parts[0]] = typ
            spans[parts[0]] = [(int(a), int(b)) for a, b in (fr.split() for fr in rng.split(";"))]
        elif line.startswith("E") and len(parts) >= 2:
            rel: dict[str, list[tuple[int, int]]] = {"Content": [], "Cue": []}
            for arg in parts[1].split()[1:]:
                role, tid = arg.split(":", 1)
                role = role.rstrip("0123456789")
                if role in rel:
                    rel[role].extend(spans.get(tid, []))
            rels.append(rel)
    return rels


def build_lexicon(train_dir: Path, out: Path) -> None:
    """Count (lemma, frame) -> [gold cue, seen] over verbs outside gold content; write JSON."""
    from collections import Counter

    from newsweave.analyze.nlp import get_nlp
    from newsweave.analyze.quotes_lexicon import frame_of

    nlp = get_nlp()
    texts, golds = [], []
    for txt in sorted((train_dir / "text").glob("*.txt")):
        anns = sorted((train_dir / "attributions").glob(txt.stem + "_*.ann"))
        if anns:
            texts.append(txt.read_text(encoding="utf-8"))
            golds.append(_read_ann(anns[0]))
    seen: Counter[tuple[str, str]] = Counter()
    cue: Counter[tuple[str, str]] = Counter()
    for doc, rels in zip(nlp.pipe(texts, batch_size=16), golds):
        cue_chars = {i for r in rels for s, e in r["Cue"] for i in range(s, e)}
        content_chars = {i for r in rels for s, e in r["Content"] for i in range(s, e)}
        for t in doc:
            if t.pos_ == "VERB" and t.idx not in content_chars:
                key = (t.lemma_.lower(), frame_of(t))
                seen[key] += 1
                cue[key] += t.idx in cue_chars
    priors: dict[str, list[int]] = {}
    lemmas: dict[str, dict[str, list[int]]] = {}
    for (lemma, frame), n in seen.items():
        p = priors.setdefault(frame, [0, 0])
        p[0] += cue[(lemma, frame)]
        p[1] += n
        if cue[(lemma, frame)] >= 2:
            lemmas.setdefault(lemma, {})[frame] = [cue[(lemma, frame)], n]
    data = {
        "_doc": "Reporting-cue counts from the PolNeAR train split: lemma -> frame -> [times a gold cue, "
        "times seen outside gold content]. Frames: ccomp, xcomp, dobj, prep, para(taxis), none.",
        "priors": priors,
        "lemmas": lemmas,
    }
    out.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    print(f"{out}: {len(lemmas)} lemmas from {len(texts)} articles")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev", help="dev | train | test (default dev)")
    ap.add_argument("--systems", default="textacy,regex", help="harness peers to run alongside ('' for none)")
    ap.add_argument("--limit", type=int, help="only the first N articles")
    ap.add_argument("--python", default=sys.executable, help="python that has newsweave installed")
    ap.add_argument("--eval-python", default=str(DEFAULT_EVAL_PY))
    ap.add_argument("--eval-script", default=str(DEFAULT_EVAL))
    ap.add_argument("--errors", help="also write per-article predictions and gold here (error lists)")
    ap.add_argument("--build-lexicon", action="store_true", help="rebuild data/quotes_cues.json from train")
    ap.add_argument("--train-dir", default=str(ROOT.parent / "shared" / "data" / "polnear" / "train"))
    args = ap.parse_args(argv)
    if args.build_lexicon:
        build_lexicon(Path(args.train_dir), ROOT / "newsweave" / "analyze" / "data" / "quotes_cues.json")
        return 0

    from newsweave.analyze.quotes_confidence import BRIEFING_MIN_CONFIDENCE

    result: dict[str, Any] = {}
    commands = []
    for threshold in (None, BRIEFING_MIN_CONFIDENCE):
        cmd = build_command(args, threshold)
        print("$ " + " ".join(shlex.quote(c) for c in cmd), file=sys.stderr)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stderr[-2000:], file=sys.stderr)
            return proc.returncode
        out = proc.stdout
        one = json.loads(out[: out.rindex("\nQUOTES ")] if "\nQUOTES " in out else out)
        commands.append(" ".join(shlex.quote(c) for c in cmd))
        if not result:
            result = one
        else:
            result["systems"].update(one["systems"])
        result.setdefault("wall_s", 0.0)
        result["wall_s"] = round(result["wall_s"] + time.perf_counter() - t0, 1)
    result["commands"] = commands
    result["briefing_min_confidence"] = BRIEFING_MIN_CONFIDENCE
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "quotes.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    md = table(result) + "".join(f"\nCommand: `{c}`\n" for c in commands)
    (OUT / "quotes.md").write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
