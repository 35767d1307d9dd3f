"""In-process k-fold cross-validation of the summary's weights on AllSides.

``bench_summary.py`` scores the installed command one process per story, as
the harness does; this module does the same scoring in one process (same
article JSON, same budget, same tokenizer, stemmer and ROUGE-1/2 F1 as
rouge-score), so a weighting and its held-out score take seconds.

The weights are fitted by **direct search**: coordinate ascent on the mean
ROUGE-1 + ROUGE-2 F1 of the summaries themselves (the selection is not
differentiable, and a least-squares fit of per-sentence labels scored lower).
Every story's candidates (features, forms, concepts) are computed once; each
step re-runs only the greedy selection. For each of k folds the search runs
on the other folds and the held-out fold is scored; the report gives each
fold's ROUGE, the mean and the spread, beside the shipped weights.

Usage::

    .venv/bin/python benchmarks/summary_cv.py                    # score the shipped weights on dev
    .venv/bin/python benchmarks/summary_cv.py --folds 5          # + 5-fold direct search
    .venv/bin/python benchmarks/summary_cv.py --fit-all          # search on all of dev, print the weights
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import EVAL_PY, SHARED  # noqa: E402


def rouge_tokenizer() -> Any:
    """rouge-score's own tokenizer (with the Porter stemmer), borrowed from the eval environment."""
    where = subprocess.run(
        [EVAL_PY, "-c", "import os, rouge_score; print(os.path.dirname(os.path.dirname(rouge_score.__file__)))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    if where not in sys.path:
        sys.path.append(where)
    from rouge_score import rouge_scorer as rs

    return rs.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)._tokenizer


def story_articles(story: dict[str, Any]) -> list[Any]:
    """The story's articles exactly as the harness hands them to the command."""
    from newsweave.ingest.jsonl import iter_jsonl
    from newsweave.models import Article

    lines = [
        json.dumps({"id": f"{story['id']}-{k}", "source": a.get("outlet"), "title": a.get("title"),
                    "url": a.get("url"), "published": story.get("date"), "text": a.get("text")})
        for k, a in enumerate(story["articles"])
    ]
    return [a for a in iter_jsonl("\n".join(lines), "story.jsonl") if isinstance(a, Article)]


def load(split: str = "dev", limit: int | None = None) -> list[dict[str, Any]]:
    path = SHARED / "data" / "allsides" / f"{split}.jsonl"
    stories = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return stories[:limit] if limit else stories


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _f1(ref: Counter[Any], got: Counter[Any]) -> float:
    overlap = sum((ref & got).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(got.values()), overlap / sum(ref.values())
    return 2 * p * r / (p + r)


class Prepared:
    """A story's candidates, budget and reference n-grams, computed once."""

    def __init__(self, story: dict[str, Any], tok: Any) -> None:
        from newsweave.analyze.sentences import split_sentences
        from newsweave.synthesize.summary import DEFAULT_PARAMS, candidates

        self.story = story
        self.budget = len(story["reference"].split())
        arts = story_articles(story)
        self.cands = candidates(arts, {a.id: split_sentences(a) for a in arts}, DEFAULT_PARAMS)
        ref = tok.tokenize(story["reference"])
        self.ref1, self.ref2 = _ngrams(ref, 1), _ngrams(ref, 2)
        self._tok = tok
        self._form_tokens: dict[str, list[str]] = {}

    def tokens(self, text: str) -> list[str]:
        t = self._form_tokens.get(text)
        if t is None:
            t = self._form_tokens[text] = self._tok.tokenize(text)
        return t

    def rouge(self, params: Any) -> tuple[float, float]:
        from newsweave.synthesize.summary import render

        out = render(self.cands, self.cands.select(self.budget, params))
        toks = [t for s in out for t in self.tokens(s.text)]
        return _f1(self.ref1, _ngrams(toks, 1)), _f1(self.ref2, _ngrams(toks, 2))


def score(stories: Sequence[Prepared], params: Any) -> tuple[float, float]:
    r = [p.rouge(params) for p in stories]
    n = max(1, len(r))
    return sum(x for x, _ in r) / n, sum(y for _, y in r) / n


#: Steps tried for each weight in coordinate ascent, largest first.
STEPS = (0.4, 0.2, 0.1, 0.05)
#: Selection parameters searched beside the feature weights.
KNOBS = ("concept", "redundancy", "same_fact", "trimmed")


def search(stories: Sequence[Prepared], start: Any, rounds: int = 2, log: bool = False) -> Any:
    """Coordinate ascent on mean ROUGE-1 + ROUGE-2 F1 over ``stories``."""
    best = start
    best_val = sum(score(stories, best))
    for _ in range(rounds):
        improved = False
        for step in STEPS:
            for i in range(len(best.weights) + len(KNOBS)):
                for sign in (1, -1):
                    if i < len(best.weights):
                        w = list(best.weights)
                        w[i] = round(w[i] + sign * step, 4)
                        cand = replace(best, weights=tuple(w))
                    else:
                        knob = KNOBS[i - len(best.weights)]
                        v = round(getattr(best, knob) + sign * step, 4)
                        if v < 0:
                            continue
                        cand = replace(best, **{knob: v})
                    val = sum(score(stories, cand))
                    if val > best_val + 1e-5:
                        best, best_val, improved = cand, val, True
                        if log:
                            print(f"  {val:.4f} step {step} coord {i}", file=sys.stderr, flush=True)
                        break
        if not improved:
            break
    return best


def cross_validate(stories: Sequence[Prepared], k: int, base: Any, rounds: int = 2) -> dict[str, Any]:
    """k folds by story position (story i is in fold i mod k)."""
    folds = []
    for f in range(k):
        train = [p for i, p in enumerate(stories) if i % k != f]
        test = [p for i, p in enumerate(stories) if i % k == f]
        fitted = search(train, base, rounds)
        folds.append({"fold": f, "n": len(test), "params": fitted, "fitted": score(test, fitted),
                      "default": score(test, base), "train": score(train, fitted)})
        print(f"fold {f} ({len(test)}): held-out R1 {folds[-1]['fitted'][0]:.4f} R2 {folds[-1]['fitted'][1]:.4f} | "
              f"shipped R1 {folds[-1]['default'][0]:.4f} R2 {folds[-1]['default'][1]:.4f}", flush=True)
    return {
        "folds": folds,
        "fitted_mean": [statistics.mean(x["fitted"][m] for x in folds) for m in (0, 1)],
        "fitted_spread": [max(x["fitted"][m] for x in folds) - min(x["fitted"][m] for x in folds) for m in (0, 1)],
        "default_mean": [statistics.mean(x["default"][m] for x in folds) for m in (0, 1)],
    }


def main(argv: list[str] | None = None) -> int:
    from newsweave.synthesize.summary import DEFAULT_PARAMS

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--folds", type=int, default=0, help="k-fold direct search (0: score the shipped weights only)")
    ap.add_argument("--rounds", type=int, default=2, help="coordinate-ascent rounds")
    ap.add_argument("--fit-all", action="store_true", help="search on every story and print the parameters")
    args = ap.parse_args(argv)
    tok = rouge_tokenizer()
    stories = [Prepared(s, tok) for s in load(args.split, args.limit)]
    r1, r2 = score(stories, DEFAULT_PARAMS)
    print(f"shipped parameters, {len(stories)} stories: R1 {r1:.4f} R2 {r2:.4f}", flush=True)
    if args.folds:
        cv = cross_validate(stories, args.folds, DEFAULT_PARAMS, args.rounds)
        m, s, d = cv["fitted_mean"], cv["fitted_spread"], cv["default_mean"]
        print(f"held-out mean R1 {m[0]:.4f} R2 {m[1]:.4f} (fold spread {s[0]:.4f} / {s[1]:.4f}); "
              f"shipped R1 {d[0]:.4f} R2 {d[1]:.4f}")
    if args.fit_all:
        best = search(stories, DEFAULT_PARAMS, args.rounds, log=True)
        r1, r2 = score(stories, best)
        print(f"fitted on all: R1 {r1:.4f} R2 {r2:.4f}")
        print(best)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
