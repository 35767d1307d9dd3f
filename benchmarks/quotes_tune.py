"""In-process PolNeAR harness for the quote rules and their confidence model.

``bench_quotes.py`` runs the real command once per article (the contract);
this tool runs :func:`newsweave.analyze.quotes.extract_quotes` in one process
over a cached parse of a split, so a change to the rules is measured in
seconds, and it fits the confidence model:

    python benchmarks/quotes_tune.py --split dev                 # scores, at several thresholds
    python benchmarks/quotes_tune.py --split train --fit         # fit, write data/quotes_confidence.json
    python benchmarks/quotes_tune.py --split dev --errors 30     # the worst predictions, for reading

Scoring imports the shared evaluation script (``../shared/eval/eval_quotes.py``),
so the numbers are the harness's own. The parse cache lives outside the
repository (``$TMPDIR/newsweave-quotes-cache``); only learned numbers are
written into the package, never text.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import ROOT, SHARED  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "newsweave-quotes-cache"
WEIGHTS = ROOT / "newsweave" / "analyze" / "data" / "quotes_confidence.json"


def load_eval() -> Any:
    """The shared evaluation module (load_split, score_doc, attribution_ok ...)."""
    path = SHARED / "eval" / "eval_quotes.py"
    spec = importlib.util.spec_from_file_location("eval_quotes", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_docs(ev: Any, split: str, limit: int | None) -> list[dict[str, Any]]:
    """The split's articles with gold; .ann files the harness cannot read are skipped."""
    data = ev.SPLITS[split]
    import glob
    import os

    texts = sorted(glob.glob(str(data / "text" / "*.txt")))
    anns: dict[str, list[str]] = defaultdict(list)
    for a in sorted(glob.glob(str(data / "attributions" / "*.ann"))):
        anns[os.path.basename(a)[:-4].rsplit("_", 1)[0]].append(a)
    docs = []
    for t in texts:
        stem = os.path.basename(t)[:-4]
        if stem not in anns:
            continue
        text = ev.read_text(t)
        try:
            rels, _ = ev.parse_ann(anns[stem][0])
        except (ValueError, IndexError):
            continue  # span text with a line break: the harness cannot read it either
        for r in rels:
            r["content_text"] = " ".join(text[s:e] for s, e in r["content"])
            r["source_text"] = " ".join(text[s:e] for s, e in r["source"])
            r["direct"] = ev.is_direct(r["content_text"])
        docs.append({"name": stem, "text": text, "gold": rels})
        if limit and len(docs) >= limit:
            break
    return docs


def parsed(split: str, docs: list[dict[str, Any]]) -> list[Any]:
    """spaCy Docs for the articles, parsed once and cached on disk."""
    from spacy.tokens import DocBin

    from newsweave.analyze.nlp import get_nlp
    from newsweave.analyze.quotes import QUOTE_COMPONENTS

    nlp = get_nlp(QUOTE_COMPONENTS)
    CACHE.mkdir(parents=True, exist_ok=True)
    pipes = "-".join(n.replace("newsweave_", "nw") for n in nlp.pipe_names)  # a new pipeline parses anew
    key = hashlib.sha1(pipes.encode()).hexdigest()[:8]
    out: list[Any] = []
    todo = []
    for d in docs:
        f = CACHE / f"{split}-{d['name']}.{key}.spacy"
        if f.exists():
            out.append(list(DocBin().from_disk(f).get_docs(nlp.vocab))[0])
        else:
            out.append(None)
            todo.append(len(out) - 1)
    if todo:
        t0 = time.perf_counter()
        for i, doc in zip(todo, nlp.pipe((docs[i]["text"] for i in todo), batch_size=8)):
            DocBin(store_user_data=False, docs=[doc]).to_disk(CACHE / f"{split}-{docs[i]['name']}.{key}.spacy")
            out[i] = doc
        print(f"parsed {len(todo)} articles in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    return out


def run(docs: list[dict[str, Any]], spacy_docs: list[Any]) -> list[list[Any]]:
    """Quotes per article, in process."""
    from newsweave.analyze.quotes import extract_quotes
    from newsweave.ingest.text import parse_text

    out = []
    for d, sd in zip(docs, spacy_docs):
        art = parse_text(d["text"], path=d["name"])
        out.append(list(extract_quotes(art, sd)))
    return out


def labels(ev: Any, text: str, gold: list[dict[str, Any]], quotes: list[Any]) -> list[tuple[bool, bool]]:
    """Per prediction: (content matches some gold, and with the right speaker)."""
    res = []
    gch = [ev.chars(g["content"]) for g in gold]
    for q in quotes:
        p = {"content": q.content, "source": q.source, "cue": q.cue, "speaker": q.speaker or ""}
        pc = set(range(*q.content))
        match = joint = False
        for j, gc in enumerate(gch):
            ov = len(pc & gc)
            if ov and ov >= 0.5 * min(len(pc), len(gc)):
                match = True
                joint = joint or ev.attribution_ok(p, gold[j])
        res.append((match, joint))
    return res


def score(ev: Any, docs: list[dict[str, Any]], preds: list[list[Any]], min_conf: float = 0.0) -> dict[str, float]:
    """The harness's metrics for predictions at or above ``min_conf``."""
    counts = []
    for d, qs in zip(docs, preds):
        raw = [
            {"content": list(q.content), "source": list(q.source) if q.source else None,
             "cue": list(q.cue) if q.cue else None, "speaker": q.speaker}
            for q in qs if getattr(q, "confidence", 1.0) >= min_conf
        ]
        counts.append(ev.score_doc(d["text"], d["gold"], ev.validate_preds(raw, len(d["text"]))))
    m = ev.metrics_from(ev.aggregate(counts, "all"))
    md = ev.metrics_from(ev.aggregate(counts, "direct"))
    return {
        "iou50_f1": m["iou50"][2], "relaxed_f1": m["relaxed"][2], "joint_p": m["joint"][0],
        "joint_r": m["joint"][1], "joint_f1": m["joint"][2], "speaker_acc": m["speaker_acc"],
        "direct_f1": md["relaxed"][2], "direct_p": md["relaxed"][0], "direct_r": md["relaxed"][1], "n_pred": sum(c["all"]["n_pred"] for c in counts),
    }


def fit_logistic(x: Any, y: Any, l2: float = 1.0, iters: int = 50) -> Any:
    """Weights (bias last) of an L2-regularised logistic regression, by Newton steps."""
    import numpy as np

    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    reg = np.eye(xb.shape[1]) * l2
    reg[-1, -1] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-xb @ w))
        g = xb.T @ (p - y) + reg @ w
        h = (xb * (p * (1 - p))[:, None]).T @ xb + reg
        step = np.linalg.solve(h, g)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--fit", action="store_true", help="fit the confidence model on this split and write it")
    ap.add_argument("--l2", type=float, default=2.0)
    ap.add_argument("--errors", type=int, default=0, help="print N wrong predictions (confident first)")
    ap.add_argument("--thresholds", default="0,0.3,0.4,0.5,0.6,0.7")
    ap.add_argument("--dump", help="write every prediction with its labels as JSON lines here")
    args = ap.parse_args(argv)

    ev = load_eval()
    docs = load_docs(ev, args.split, args.limit)
    sdocs = parsed(args.split, docs)
    t0 = time.perf_counter()
    preds = run(docs, sdocs)
    print(f"{len(docs)} articles, rules {time.perf_counter() - t0:.1f}s", file=sys.stderr)

    if args.fit:
        import numpy as np

        from newsweave.analyze.quotes_confidence import FEATURES, feature_vector

        rows, ys = [], []
        for d, qs in zip(docs, preds):
            for q, (_m, joint) in zip(qs, labels(ev, d["text"], d["gold"], qs)):
                rows.append(feature_vector(q.evidence))
                ys.append(float(joint))
        x, y = np.array(rows), np.array(ys)
        w = fit_logistic(x, y, l2=args.l2)
        model = {
            "_doc": "Logistic model of P(attribution right: content and speaker) over the features in "
            "newsweave/analyze/quotes_confidence.py, fitted on PolNeAR train by benchmarks/quotes_tune.py "
            f"--fit (L2 {args.l2}, {len(y)} predictions, {int(y.sum())} right). Numbers only.",
            "weights": {f: round(float(v), 4) for f, v in zip(FEATURES, w[:-1])},
            "bias": round(float(w[-1]), 4),
        }
        WEIGHTS.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS}", file=sys.stderr)
        for f, v in sorted(model["weights"].items(), key=lambda kv: -abs(kv[1])):
            print(f"  {f:28s} {v:+.3f}")
        return 0

    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for d, qs in zip(docs, preds):
                for q, (m, joint) in zip(qs, labels(ev, d["text"], d["gold"], qs)):
                    t = d["text"]
                    f.write(json.dumps({
                        "doc": d["name"], "content": list(q.content), "speaker": q.speaker, "match": m, "joint": joint,
                        "text": t[q.content[0]:q.content[1]], "src": t[q.source[0]:q.source[1]] if q.source else None,
                        "cue": t[q.cue[0]:q.cue[1]] if q.cue else None, "confidence": getattr(q, "confidence", 1.0),
                        "evidence": list(getattr(q, "evidence", ())), "claim": getattr(q, "claim", None),
                        "stance": getattr(q, "stance", None)}, ensure_ascii=False) + "\n")
    for t in [float(x) for x in args.thresholds.split(",")]:
        s = score(ev, docs, preds, t)
        print(f"min_conf {t:.2f}: " + " ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                              for k, v in s.items()))
    if args.errors:
        wrong = []
        for d, qs in zip(docs, preds):
            for q, (m, joint) in zip(qs, labels(ev, d["text"], d["gold"], qs)):
                if not joint:
                    wrong.append((q.confidence, m, d, q))
        wrong.sort(key=lambda w: -w[0])
        why: Counter[str] = Counter()
        for conf, m, d, q in wrong[: args.errors]:
            why["speaker" if m else "content"] += 1
            t = d["text"]
            gold = [g for g in d["gold"] if set(range(*q.content)) & ev.chars(g["content"])]
            print(f"\n[{conf:.2f}] {'SPEAKER' if m else 'CONTENT'} {d['name']} cue={t[q.cue[0]:q.cue[1]] if q.cue else None!r}"
                  f" src={t[q.source[0]:q.source[1]] if q.source else None!r} speaker={q.speaker!r} stance={q.stance}")
            print("   pred:", t[q.content[0]:q.content[1]][:200].replace("\n", " / "))
            for g in gold[:2]:
                print("   gold:", g["content_text"][:200].replace("\n", " / "), "| src:", g["source_text"][:60])
        print(dict(why))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
