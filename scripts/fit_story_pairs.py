"""Fit the pair model that clusters a set of files (newsweave.stories.pairs) on AllSides dev.

    .venv/bin/python scripts/fit_story_pairs.py                  # both models, writes data/model.json
    .venv/bin/python scripts/fit_story_pairs.py --only lexical --dry-run

Method (cross-validated by story; held-out splits check the result):

1. The dev articles are pooled and shuffled as ``eval_cluster.py`` gives them (no dates,
   only dates in URLs) and prepared as a set (:func:`newsweave.stories.sets.prepare`);
   candidate pairs come from the real inverted index.
2. Stories are dealt into five folds. A pair whose articles lie in folds a and b is
   scored by a first-stage model fitted only on pairs with neither article in a or b
   (cross-fitting); the second stage is fitted on those cross-fitted log-odds and
   cross-fitted the same way, so every probability comes from weights that never saw
   either article's story.
3. Average linkage over the cross-fitted probabilities, on a grid of thresholds. The
   cross-validated score: for each fold, the threshold that scores best on the other
   four folds' articles is applied to it; B-cubed is then pooled over all articles
   (the fold spread is reported too).
4. The shipped weights are fitted on all pairs (the second stage on the cross-fitted
   first-stage log-odds, as at step 2) with the threshold best on all of dev.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsweave.models import Article  # noqa: E402
from newsweave.stories.linkage import average_linkage  # noqa: E402
from newsweave.stories.pairs import PAIR_FEATURES, PairModel, link_features  # noqa: E402
from newsweave.stories.sets import prepare  # noqa: E402

DEV = ROOT.parent / "shared" / "data" / "allsides" / "dev.jsonl"
MODEL_FILE = ROOT / "newsweave" / "stories" / "data" / "model.json"
FOLDS = 5
L2 = 1.0
GRID = [round(float(x), 3) for x in np.arange(0.10, 0.91, 0.025)]


def load(path: Path, seed: int = 13) -> tuple[list[Article], dict[str, str]]:
    arts, gold = [], {}
    for line in path.open(encoding="utf-8"):
        st = json.loads(line)
        for k, a in enumerate(st["articles"]):
            aid = f"{st['id']}-{k}"
            arts.append(Article(text=a.get("text") or "", id=aid, title=a.get("title"), source=a.get("outlet"),
                                url=a.get("url"), format="jsonl"))
            gold[aid] = str(st["id"])
    random.Random(seed).shuffle(arts)
    return arts, gold


def fit_lr(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (the bias is not penalised)."""
    w = np.zeros(x.shape[1])
    pen = np.full(x.shape[1], l2)
    pen[0] = 0.0
    for _ in range(60):
        z = np.clip(x @ w, -40, 40)
        p = 1.0 / (1.0 + np.exp(-z))
        grad = x.T @ (p - y) + pen * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(pen + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def crossfit(x: np.ndarray, y: np.ndarray, fi: np.ndarray, fj: np.ndarray) -> np.ndarray:
    """Out-of-fold log-odds: pair (a, b) scored by weights fitted without folds a and b."""
    z = np.zeros(len(y))
    for a in range(FOLDS):
        for b in range(a, FOLDS):
            test = ((fi == a) & (fj == b)) | ((fi == b) & (fj == a))
            if not test.any():
                continue
            train = (fi != a) & (fi != b) & (fj != a) & (fj != b)
            z[test] = x[test] @ fit_lr(x[train], y[train])
    return z


def item_scores(labels: list[int], gold: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per-item B-cubed precision and recall."""
    by_c, by_g = defaultdict(set), defaultdict(set)
    for i, (c, g) in enumerate(zip(labels, gold)):
        by_c[c].add(i)
        by_g[g].add(i)
    p = np.array([len(by_c[c] & by_g[g]) / len(by_c[c]) for c, g in zip(labels, gold)])
    r = np.array([len(by_c[c] & by_g[g]) / len(by_g[g]) for c, g in zip(labels, gold)])
    return p, r


def f1(p: np.ndarray, r: np.ndarray) -> float:
    pm, rm = float(p.mean()), float(r.mean())
    return 2 * pm * rm / (pm + rm) if pm + rm else 0.0


def fit(name: str, arts: list[Article], gold: dict[str, str], log=print) -> dict:
    from newsweave.stories.model import load_model

    t0 = time.perf_counter()
    base = load_model(name)
    embedder = None
    if base.embeddings:
        from newsweave.synthesize.embed import get_embedder

        embedder = get_embedder()
    s = prepare(arts, embedder)
    n = len(s.reps)
    g = [gold[s.articles[i].id] for i in s.order]
    stories = sorted(set(g))
    random.Random(0).shuffle(stories)
    fold_of = {st: k % FOLDS for k, st in enumerate(stories)}
    af = np.array([fold_of[x] for x in g])
    pairs = sorted(s.pairs(base.window_days))
    x1 = np.array(s.features(pairs))
    y = np.array([1.0 if g[i] == g[j] else 0.0 for i, j in pairs])
    fi, fj = af[[i for i, _ in pairs]], af[[j for _, j in pairs]]
    n_gold = sum(1 for i in range(n) for j in range(i + 1, n) if g[i] == g[j])
    log(f"[{name}] {n} articles, {len(pairs)} candidate pairs, gold pairs among them {int(y.sum())}/{n_gold}")
    used = [k for k, f in enumerate(PAIR_FEATURES) if f != "emb" or base.embeddings]
    z1 = crossfit(x1[:, used], y, fi, fj)
    lf = link_features(dict(zip(pairs, z1.tolist())))
    x2 = np.array([lf[p] for p in pairs])
    z2 = crossfit(x2, y, fi, fj)
    probs = dict(zip(pairs, (1.0 / (1.0 + np.exp(-z2))).tolist()))
    curve = {}
    for t in GRID:
        curve[t] = item_scores(average_linkage(n, probs, t), g)
    # cross-validated threshold: chosen on four folds' articles, applied to the fifth
    p_cv, r_cv, folds = np.zeros(n), np.zeros(n), []
    for k in range(FOLDS):
        out = af != k
        t_k = max(GRID, key=lambda t: (f1(curve[t][0][out], curve[t][1][out]), -abs(t - 0.5)))
        p, r = curve[t_k]
        p_cv[~out], r_cv[~out] = p[~out], r[~out]
        folds.append({"threshold": t_k, "bcubed_f1": round(f1(p[~out], r[~out]), 4)})
    best_t = max(GRID, key=lambda t: (f1(*curve[t]), -abs(t - 0.5)))
    cv = {"bcubed_p": round(float(p_cv.mean()), 4), "bcubed_r": round(float(r_cv.mean()), 4),
          "bcubed_f1": round(f1(p_cv, r_cv), 4), "folds": folds,
          "in_sample_best": {"threshold": best_t, "bcubed_f1": round(f1(*curve[best_t]), 4)}}
    log(f"[{name}] cv {cv}")
    log(f"[{name}] curve " + " ".join(f"{t:.3f}:{f1(*curve[t]):.3f}" for t in GRID[::2]))
    w1 = np.zeros(len(PAIR_FEATURES))
    w1[used] = fit_lr(x1[:, used], y)
    w2 = fit_lr(x2, y)
    model = PairModel(name, tuple(round(float(v), 4) for v in w1), tuple(round(float(v), 4) for v in w2),
                      threshold=best_t, window_days=base.window_days)
    old = _current(name)
    if old is not None:
        model = replace(model, brief_margin=old.brief_margin)
    out = model.to_dict()
    out["cv"] = cv
    out["fit_seconds"] = round(time.perf_counter() - t0, 1)
    return out


def _current(name: str) -> PairModel | None:
    raw = json.loads(MODEL_FILE.read_text("utf-8"))
    entry = raw["models"].get(name, {}).get("pairs")
    return PairModel.from_dict(name, entry) if entry else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEV)
    ap.add_argument("--only", choices=["lexical", "embed"])
    ap.add_argument("--dry-run", action="store_true", help="print the fitted models; do not write the file")
    args = ap.parse_args()
    arts, gold = load(args.data)
    raw = json.loads(MODEL_FILE.read_text("utf-8"))
    for name in [args.only] if args.only else ["lexical", "embed"]:
        fitted = fit(name, arts, gold, log=lambda m: print(m, file=sys.stderr))
        if args.dry_run:
            print(json.dumps(fitted, indent=1))
        else:
            raw["models"][name]["pairs"] = fitted
    if not args.dry_run:
        raw["pairs_note"] = (f"pairs: fitted by scripts/fit_story_pairs.py on {args.data.name} ({len(arts)} articles, "
                             f"{len(set(gold.values()))} stories); cv = five-fold cross-fitted B-cubed, threshold "
                             "chosen on the other folds")
        MODEL_FILE.write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_FILE}", file=sys.stderr)


if __name__ == "__main__":
    main()
