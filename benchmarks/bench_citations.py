"""Citation precision and recall of every section, on every example story with an answer key.

Each ``examples/NAME/`` folder has an answer key ``examples/NAME.key.json`` in
the schema of ``../shared/checks/check_trust.py``, written with the articles
before any briefing ran on them. Its ``facts`` list, for each fact, phrases
that state it (``any``: substrings of the article texts) and the articles that
state it (``articles``). Every statement the briefing makes with citations is
scored the way check_trust.py scores summary sentences:

* the facts a statement expresses are those with a phrase inside its text
  (case, quotes and apostrophes folded); a statement with none is
  "unmatched" and not scored;
* its gold articles are the union of those facts' articles; its cited
  articles are those of its ``citations`` (paraphrase citations of a summary
  sentence are counted apart, as check_trust.py ignores them);
* precision = cited and gold / cited, recall = cited and gold / gold, summed
  over statements (micro), per section and story, and pooled over stories.

Sections: ``summary``; ``facts`` (the corroborated facts and the
single-source list: a fact's text is its representative sentence);
``timeline`` (each event's text); ``disputes`` (each side's statement).
Also counted: how many citations quote their article at their offsets, and
"cited sentence states it" (a citation whose own sentence holds a phrase of
one of the statement's facts: a lower bound, as the key lists a fact's
phrases, not every wording of it).

Usage::

    .venv/bin/python benchmarks/bench_citations.py [--words 150] [--story NAME ...] [--embeddings]

Writes ``benchmarks/out/citations.json`` and ``benchmarks/out/citations.md``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.common import ROOT, write_result  # noqa: E402

EXAMPLES = ROOT / "examples"
SECTIONS = ("summary", "facts", "timeline", "disputes")
#: The issue's bar for every section (precision, recall).
TARGET = (0.95, 0.85)


def norm(s: str) -> str:
    """Fold quotes, apostrophes, case and whitespace as check_trust.py does."""
    s = re.sub(r"[\u2018\u2019'`]", "'", str(s))
    s = re.sub(r"[\u201c\u201d]", '"', s)
    return re.sub(r"\s+", " ", s).lower()


def stories(names: Sequence[str] | None = None) -> list[tuple[str, Path, Path]]:
    """(name, folder, key) for every example story with an answer key."""
    out = []
    for key in sorted(EXAMPLES.glob("*.key.json")):
        name = key.name.removesuffix(".key.json")
        if (EXAMPLES / name).is_dir() and (not names or name in names):
            out.append((name, EXAMPLES / name, key))
    return out


class Key:
    """An answer key joined to the ingested articles (article id -> "01", ...)."""

    def __init__(self, raw: dict[str, Any], articles: Sequence[Any]) -> None:
        self.facts = raw["facts"]
        self.key_of: dict[str, str] = {}
        for a in articles:
            k = Path((a.path or "").split(":")[0]).name[:2]
            if k.isdigit():
                self.key_of[a.id] = k
        self.phrases = [[norm(p) for p in f["any"]] for f in self.facts]

    def facts_in(self, text: str) -> list[int]:
        t = norm(text)
        return [i for i, ps in enumerate(self.phrases) if any(p in t for p in ps)]


def score_statement(key: Key, text: str, cites: Sequence[Any], paraphrases: Sequence[Any],
                    cited_text: Any) -> dict[str, Any]:
    """One statement's facts, gold and cited articles, and what is missing or wrong."""
    facts = key.facts_in(text)
    cited = sorted({key.key_of.get(c.article_id, c.article_id) for c in cites})
    row: dict[str, Any] = {"text": text, "cited": cited, "facts": [key.facts[i]["id"] for i in facts]}
    if not facts:
        return row
    gold = set().union(*(set(key.facts[i]["articles"]) for i in facts))
    para = {key.key_of.get(c.article_id, c.article_id) for c in paraphrases} - set(cited)
    ok_sent = sum(1 for c in cites if any(p in norm(cited_text(c)) for i in facts for p in key.phrases[i]))
    row.update({
        "gold": sorted(gold),
        "tp": len(gold & set(cited)),
        "fp": len(set(cited) - gold),
        "fn": len(gold - set(cited)),
        "missing": sorted(gold - set(cited)),
        "wrong": sorted(set(cited) - gold),
        "paraphrase_only": sorted(para & gold),
        "citations": len(cites),
        "sentence_ok": ok_sent,
    })
    return row


def aggregate(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Micro precision and recall over the scored statements."""
    scored = [r for r in rows if "gold" in r]
    tp, fp, fn = (sum(r[k] for r in scored) for k in ("tp", "fp", "fn"))
    cites = sum(r["citations"] for r in scored)
    return {
        "statements": len(rows),
        "scored": len(scored),
        "tp": tp, "fp": fp, "fn": fn,
        "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "recall": round(tp / (tp + fn), 4) if tp + fn else None,
        "sentence_states_it": round(sum(r["sentence_ok"] for r in scored) / cites, 4) if cites else None,
        "paraphrase_only": sum(len(r["paraphrase_only"]) for r in scored),
        "fully_right": sum(1 for r in scored if not r["missing"] and not r["wrong"]),
    }


def offsets_ok(briefing: Any) -> tuple[int, int]:
    """(citations, citations whose offsets lie in their sentence and quote its text)."""
    from newsweave.render.json import to_dict

    texts = {a.id: a.text for a in briefing.articles}
    n = bad = 0

    def walk(node: Any) -> None:
        nonlocal n, bad
        if isinstance(node, dict):
            if {"article_id", "sentence_index", "start", "end", "text"} <= node.keys():
                n += 1
                sents = briefing.sentences.get(node["article_id"], ())
                i = node["sentence_index"]
                good = 0 <= i < len(sents) and sents[i].start <= node["start"] < node["end"]
                good = good and texts.get(node["article_id"], "")[node["start"]:node["end"]] == node["text"]
                bad += not good
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(to_dict(briefing))
    return n, n - bad


def run_story(name: str, folder: Path, key_path: Path, words: int, embeddings: bool) -> dict[str, Any]:
    from newsweave.config import Settings
    from newsweave.ingest import read_inputs
    from newsweave.models import Article
    from newsweave.render.common import CiteIndex
    from newsweave.synthesize.briefing import build_briefing

    articles = [a for a in read_inputs([str(folder)]) if isinstance(a, Article)]
    key = Key(json.loads(key_path.read_text(encoding="utf-8")), articles)
    t0 = time.perf_counter()
    b = build_briefing(articles, words, settings=Settings(words=words, embeddings=embeddings))
    seconds = time.perf_counter() - t0
    idx = CiteIndex(b)
    items: dict[str, list[tuple[str, Any, Any]]] = {
        "summary": [(s.text, s.citations, s.paraphrases) for s in b.summary],
        "facts": [(f.text, f.citations, ()) for f in (*b.corroborated, *b.single_source)],
        "timeline": [(e.text, e.citations, ()) for e in b.timeline],
        "disputes": [(st, cites, ()) for d in b.disputes for st, cites in d.sides],
    }
    n, good = offsets_ok(b)
    out: dict[str, Any] = {"story": name, "seconds": round(seconds, 2), "citations": n, "offsets_ok": good,
                           "notes": list(b.notes), "sections": {}}
    for sec, rows_in in items.items():
        rows = [score_statement(key, t, c, p, idx.text) for t, c, p in rows_in]
        out["sections"][sec] = {"scores": aggregate(rows), "statements": rows}
    return out


def pooled(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {sec: aggregate([r for res in results for r in res["sections"][sec]["statements"]]) for sec in SECTIONS}


def _f(v: Any) -> str:
    return "—" if v is None else f"{v:.2f}"


def _met(s: dict[str, Any]) -> str:
    p, r = s["precision"], s["recall"]
    if p is None:
        return "—"
    return "yes" if p >= TARGET[0] and r >= TARGET[1] else "no"


def to_markdown(results: Sequence[dict[str, Any]], pool: dict[str, Any], command: str) -> str:
    lines = [
        "# Citations on the example stories, section by section",
        "",
        f"Command: `{command}`. Each statement's gold articles are those its answer-key facts list "
        f"(check_trust.py's rule); target precision >= {TARGET[0]}, recall >= {TARGET[1]} in every section.",
        "",
        "| story | section | statements | scored | precision | recall | cited sentence states it | "
        "paraphrase-only | fully right | target met |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for res in [*results, {"story": "**pooled**", "sections": {k: {"scores": v} for k, v in pool.items()}}]:
        for sec in SECTIONS:
            s = res["sections"][sec]["scores"]
            lines.append(
                f"| {res['story']} | {sec} | {s['statements']} | {s['scored']} | {_f(s['precision'])} | "
                f"{_f(s['recall'])} | {_f(s['sentence_states_it'])} | {s['paraphrase_only']} | "
                f"{s['fully_right']} | {_met(s)} |"
            )
    lines += ["", "Citations quoting their article at their offsets: "
              + ", ".join(f"{r['story']} {r['offsets_ok']}/{r['citations']}" for r in results) + ".", ""]
    for res in results:
        misses = [(sec, row) for sec in SECTIONS for row in res["sections"][sec]["statements"]
                  if row.get("missing") or row.get("wrong")]
        if misses:
            lines += [f"## {res['story']}: statements missing or wrongly citing an article", ""]
            for sec, row in misses:
                bits = []
                if row["wrong"]:
                    bits.append("wrongly cites " + ", ".join(row["wrong"]))
                if row["missing"]:
                    bits.append("misses " + ", ".join(row["missing"]))
                text = row["text"] if len(row["text"]) < 140 else row["text"][:137] + "..."
                lines.append(f"- {sec}: {text} (facts {', '.join(row['facts'])}; cites {', '.join(row['cited'])}): "
                             + "; ".join(bits))
            lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=int, default=150)
    ap.add_argument("--story", action="append", help="only this example story (repeatable)")
    ap.add_argument("--embeddings", action="store_true", help="align with MiniLM embeddings (the 'embed' extra)")
    ap.add_argument("--quiet", action="store_true", help="print the table only, write no files")
    args = ap.parse_args(argv)
    results = [run_story(n, f, k, args.words, args.embeddings) for n, f, k in stories(args.story)]
    if not results:
        raise SystemExit("no example story with an answer key found")
    pool = pooled(results)
    command = "python benchmarks/bench_citations.py " + " ".join(argv if argv is not None else sys.argv[1:])
    md = to_markdown(results, pool, command.strip())
    if not args.quiet:
        write_result("citations", {"words": args.words, "embeddings": args.embeddings, "stories": results,
                                   "pooled": pool}, md)
    for res in [*results, {"story": "pooled", "sections": {k: {"scores": v} for k, v in pool.items()}}]:
        print(res["story"] + ": " + "; ".join(
            f"{sec} {_f(res['sections'][sec]['scores']['precision'])}/{_f(res['sections'][sec]['scores']['recall'])}"
            for sec in SECTIONS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
