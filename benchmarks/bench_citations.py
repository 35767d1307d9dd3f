"""Citation precision and recall of the briefing on the example story.

The example story (``examples/harbor-strike/``) was written by us together
with ``truth.json``, which lists for each fact the articles that state it (by
a distinctive substring of the stating sentence). For every statement the
briefing makes with citations (summary sentences; also the agreement facts,
timeline events and dispute sides when present) we find which true facts it
expresses and compare the articles it cites with the articles that state them:

* precision: cited articles that really state the fact / cited articles;
* recall: articles that state the fact and are cited / articles that state it;
* sentence precision: citations whose *cited sentence* states the fact.

A sentence can state several true facts (the walkout *and* the collapse of
the talks); it is scored against the fact its citations fit best, and
"precision, all facts" counts a cited article as right only when it states
every one of them. A statement that matches no fact in
truth.json is listed as unmatched, not scored. Also checked: every citation's
offsets point at the text it claims, the summary is extractive, and the wire
copies are grouped as one independent report.

Usage::

    .venv/bin/python benchmarks/bench_citations.py [--words 150] [--no-embeddings]

Writes ``benchmarks/out/citations.json`` and ``benchmarks/out/citations.md``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STORY = ROOT / "examples" / "harbor-strike"
OUT = ROOT / "benchmarks" / "out"


@dataclass
class Truth:
    """truth.json joined to the ingested articles."""

    raw: dict[str, Any]
    key_of: dict[str, str]  # article id -> truth key
    texts: dict[str, str]  # article id -> text
    facts: list[dict[str, Any]] = field(default_factory=list)

    def stating(self, fact: dict[str, Any]) -> set[str]:
        ids = {v: k for k, v in self.key_of.items()}
        return {ids[k] for k in fact["stated_in"] if k in ids}

    def substrings(self, fact: dict[str, Any], article_id: str | None = None) -> list[str]:
        if article_id is not None:
            return list(fact["stated_in"].get(self.key_of.get(article_id, ""), []))
        return [s for subs in fact["stated_in"].values() for s in subs]


def load_truth(articles: list[Any], story: Path) -> Truth:
    """Match truth.json's article keys to ingested articles by file name (and JSONL id)."""
    raw = json.loads((story.parent / f"{story.name}.truth.json").read_text(encoding="utf-8"))
    key_of: dict[str, str] = {}
    for key, meta in raw["articles"].items():
        hits = [
            a
            for a in articles
            if a.path
            and Path(a.path.split(":")[0]).name == meta["file"]
            and ("id" not in meta or a.id == meta["id"])
        ]
        if len(hits) != 1:
            raise SystemExit(f"truth.json article {key!r} matches {len(hits)} ingested articles")
        key_of[hits[0].id] = key
    return Truth(raw, key_of, {a.id: a.text for a in articles}, raw["facts"])


_BRACKETED = re.compile(r"\s*\[[^\]]*\]")


def _norm(text: str) -> str:
    return " ".join(text.split())


def facts_in(truth: Truth, text: str) -> list[dict[str, Any]]:
    """True facts a statement expresses: those with a stating substring inside it."""
    t = _norm(text)
    return [f for f in truth.facts if any(_norm(s) in t for s in truth.substrings(f))]


def score_statement(truth: Truth, briefing: Any, text: str, citations: Any) -> dict[str, Any]:
    """Precision and recall of one statement's citations against truth."""
    from newsweave.render.common import CiteIndex

    idx = CiteIndex(briefing)
    matched = facts_in(truth, text)
    via = "statement"
    if not matched and citations:
        # A trimmed or bracket-edited statement: judge it by its first cited sentence.
        matched = facts_in(truth, idx.text(citations[0]))
        via = "first cited sentence"
    cited = list(dict.fromkeys(c.article_id for c in citations))
    row: dict[str, Any] = {
        "text": text,
        "cited": [truth.key_of.get(a, a) for a in cited],
        "facts": [f["id"] for f in matched],
        "matched_via": via if matched else None,
    }
    if not matched:
        return row
    cited_set = set(cited)

    def f1(stating: set[str]) -> tuple[float, int]:
        tp = len(cited_set & stating)
        return (2 * tp / (len(cited_set) + len(stating)) if cited_set or stating else 0.0), len(stating)

    # A sentence may state several true facts (the walkout *and* the talks'
    # collapse); it is judged against the one its citations fit best, and,
    # more strictly, against all of them at once.
    best = max(matched, key=lambda f: f1(truth.stating(f)))
    support = truth.stating(best)
    strict = set.intersection(*(truth.stating(f) for f in matched))
    sent_ok = 0
    for c in citations:
        cited_text = _norm(idx.text(c))
        if any(_norm(s) in cited_text for f in matched for s in truth.substrings(f, c.article_id)):
            sent_ok += 1
    row.update(
        {
            "fact": best["id"],
            "supporting": sorted(truth.key_of[a] for a in support),
            "tp": len(cited_set & support),
            "tp_strict": len(cited_set & strict),
            "n_cited": len(cited_set),
            "n_support": len(support),
            "n_citations": len(citations),
            "sentence_ok": sent_ok,
            "missing": sorted(truth.key_of[a] for a in support - cited_set),
            "wrong": sorted(truth.key_of.get(a, a) for a in cited if a not in support),
        }
    )
    return row


def aggregate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Micro-averaged precision and recall over (statement, article) pairs."""
    scored = [r for r in rows if r.get("facts")]

    def ratio(num: str, den: str) -> float | None:
        d = sum(r[den] for r in scored)
        return round(sum(r[num] for r in scored) / d, 4) if d else None

    return {
        "statements": len(rows),
        "scored": len(scored),
        "unmatched": len(rows) - len(scored),
        "precision": ratio("tp", "n_cited"),
        "recall": ratio("tp", "n_support"),
        "precision_all_facts": ratio("tp_strict", "n_cited"),
        "sentence_precision": ratio("sentence_ok", "n_citations"),
        "statements_fully_correct": sum(1 for r in scored if not r["missing"] and not r["wrong"]),
    }


def check_offsets(briefing: Any) -> dict[str, int]:
    """Every citation in the JSON quotes the article text at its offsets and
    starts inside the sentence it names; spans that run past that sentence's
    end (a quote over two sentences) are counted apart."""
    from newsweave.render.json import to_dict

    data = to_dict(briefing)
    texts = {a.id: a.text for a in briefing.articles}
    counts = {"citations": 0, "bad_offsets": 0, "beyond_sentence": 0}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if {"article_id", "sentence_index", "start", "end"} <= node.keys():
                counts["citations"] += 1
                sents = briefing.sentences.get(node["article_id"], ())
                ok = 0 <= node["sentence_index"] < len(sents)
                if ok:
                    s = sents[node["sentence_index"]]
                    ok = s.start <= node["start"] < s.end and node["start"] < node["end"]
                    counts["beyond_sentence"] += ok and node["end"] > s.end
                ok = ok and texts.get(node["article_id"], "")[node["start"] : node["end"]] == node["text"]
                counts["bad_offsets"] += not ok
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return counts


def extractive(briefing: Any) -> dict[str, int]:
    """Summary sentences that are a source sentence (or a trim of one, brackets aside)."""
    from newsweave.render.common import CiteIndex

    idx = CiteIndex(briefing)
    ok = 0
    for s in briefing.summary:
        body = _norm(_BRACKETED.sub("", s.text)).rstrip(".…")
        if any(body and body in _norm(idx.text(c)) for c in s.citations):
            ok += 1
    return {"summary_sentences": len(briefing.summary), "extractive": ok}


def wire_groups(truth: Truth, briefing: Any) -> dict[str, Any]:
    """Are the truth's wire copies one group, and the independent articles apart?"""
    group = {s.article_id: s.group for s in briefing.sources}
    by_key = {truth.key_of[a]: g for a, g in group.items() if a in truth.key_of}
    want = [sorted(g) for g in truth.raw["independent_groups"]]
    found: dict[int, list[str]] = {}
    for k, g in by_key.items():
        found.setdefault(g, []).append(k)
    got = sorted(sorted(v) for v in found.values())
    return {"expected": sorted(want), "found": got, "correct": got == sorted(want)}


def run(words: int, embeddings: bool, story: Path) -> dict[str, Any]:
    from newsweave.config import Settings
    from newsweave.ingest import read_inputs
    from newsweave.models import Article
    from newsweave.synthesize.briefing import build_briefing

    articles = [a for a in read_inputs([str(story)]) if isinstance(a, Article)]
    truth = load_truth(articles, story)
    t0 = time.perf_counter()
    briefing = build_briefing(articles, words, settings=Settings(words=words, embeddings=embeddings))
    seconds = time.perf_counter() - t0
    sections: dict[str, list[tuple[str, Any]]] = {
        "summary": [(s.text, s.citations) for s in briefing.summary],
        "facts": [(f.text, f.citations) for f in (*briefing.corroborated, *briefing.single_source)],
        "timeline": [(e.text, e.citations) for e in briefing.timeline],
        "disputes": [(st, cites) for d in briefing.disputes for st, cites in d.sides],
    }
    result: dict[str, Any] = {
        "story": str(story.relative_to(ROOT)) if story.is_relative_to(ROOT) else str(story),
        "words": words,
        "embeddings": embeddings,
        # The pipeline falls back to word overlap (and says so in a note) when
        # the embedding model is missing; report what actually ran.
        "embeddings_used": embeddings and not any("word overlap only" in n for n in briefing.notes),
        "build_seconds": round(seconds, 2),
        "notes": list(briefing.notes),
        "offsets": check_offsets(briefing),
        "extractive": extractive(briefing),
        "wire_groups": wire_groups(truth, briefing),
        "sections": {},
    }
    for name, items in sections.items():
        rows = [score_statement(truth, briefing, text, tuple(cites)) for text, cites in items]
        result["sections"][name] = {"scores": aggregate(rows), "statements": rows}
    return result


def _emb(r: dict[str, Any]) -> str:
    if r["embeddings_used"]:
        return "on"
    return "requested but not installed (word overlap)" if r["embeddings"] else "off"


def _fmt(v: Any) -> str:
    return "—" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))


def to_markdown(r: dict[str, Any], command: str) -> str:
    lines = [
        "# Citation precision and recall on the example story",
        "",
        f"Command: `{command}`  ",
        f"Story: `{r['story']}`, summary of {r['words']} words, embeddings {_emb(r)}, "
        f"briefing built in {r['build_seconds']} s.",
        "",
        "| section | statements | scored | precision | recall | precision, all facts | "
        "cited sentence states it | fully correct |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, sec in r["sections"].items():
        s = sec["scores"]
        lines.append(
            f"| {name} | {s['statements']} | {s['scored']} | {_fmt(s['precision'])} | {_fmt(s['recall'])} | "
            f"{_fmt(s['precision_all_facts'])} | {_fmt(s['sentence_precision'])} | {s['statements_fully_correct']} |"
        )
    o, e, w = r["offsets"], r["extractive"], r["wire_groups"]
    lines += [
        "",
        f"- Citations whose offsets do not start in their sentence or do not quote the text: {o['bad_offsets']} "
        f"of {o['citations']}; spans running past their sentence's end: {o['beyond_sentence']}.",
        f"- Extractive summary sentences: {e['extractive']} of {e['summary_sentences']}.",
        f"- Wire copy grouped correctly: {'yes' if w['correct'] else 'no'} (found {w['found']}, expected {w['expected']}).",
        "",
        "## Summary sentences",
        "",
    ]
    for row in r["sections"]["summary"]["statements"]:
        verdict = (
            "unmatched" if not row.get("facts") else ("ok" if not row["missing"] and not row["wrong"] else "")
        )
        if row.get("facts") and verdict != "ok":
            bits = []
            if row["wrong"]:
                bits.append("wrongly cites " + ", ".join(row["wrong"]))
            if row["missing"]:
                bits.append("misses " + ", ".join(row["missing"]))
            verdict = "; ".join(bits)
        fact = f"fact {row['fact']}" if row.get("fact") else "no fact"
        lines.append(f"- {row['text']}  \n  cites {', '.join(row['cited'])}; {fact}: **{verdict}**")
    if r["notes"]:
        lines += ["", "Pipeline notes: " + " ".join(r["notes"])]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=int, default=150)
    ap.add_argument("--no-embeddings", action="store_true", help="skip the second run with --embeddings")
    ap.add_argument("--story", type=Path, default=STORY, help="a folder with articles (truth beside it)")
    args = ap.parse_args(argv)
    # The default briefing aligns by word overlap; the MiniLM alignment is
    # measured beside it in the same run so the default stays an informed choice.
    result = run(args.words, False, args.story.resolve())
    OUT.mkdir(parents=True, exist_ok=True)
    command = "python benchmarks/bench_citations.py " + " ".join(argv if argv is not None else sys.argv[1:])
    md = to_markdown(result, command.strip())
    both = {"default": result}
    if not args.no_embeddings:
        emb = run(args.words, True, args.story.resolve())
        both["embeddings"] = emb
        if emb.get("embeddings_used"):
            table = [ln for ln in to_markdown(emb, command.strip()).splitlines() if ln.startswith("|")]
            head, _, rest = md.partition("\n- ")
            md = (head.rstrip() + "\n\nThe same story briefed with `--embeddings` (MiniLM alignment), same run:\n\n"
                  + "\n".join(table) + "\n\n- " + rest)
    (OUT / "citations.json").write_text(json.dumps(both, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (OUT / "citations.md").write_text(md, encoding="utf-8")
    s = result["sections"]["summary"]["scores"]
    print(
        f"summary: precision {_fmt(s['precision'])} recall {_fmt(s['recall'])} "
        f"(all facts at once: precision {_fmt(s['precision_all_facts'])}), cited sentence states it "
        f"{_fmt(s['sentence_precision'])}, {s['scored']}/{s['statements']} sentences scored; "
        f"bad offsets {result['offsets']['bad_offsets']}"
    )
    print(f"wrote {OUT / 'citations.json'} and {OUT / 'citations.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
