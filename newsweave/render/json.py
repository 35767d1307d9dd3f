"""JSON briefing: the whole structure, for tools and the web page's ``.json`` twin.

Every citation carries its source number, the article id, the sentence index,
the character offsets into the article text exactly as read, and the cited
text, so a consumer can check each claim without re-running anything. Article
texts are left out unless asked for (``include_text=True``); their metadata
is always there. Keys come out in a fixed order, so two runs on the same
input give byte-identical JSON.
"""

from __future__ import annotations

import json
from typing import Any

from newsweave.models import Briefing, Citation, Fact
from newsweave.render.common import CiteIndex, date_label, date_span

__all__ = ["to_json", "to_dict", "FORMAT"]

FORMAT = "newsweave.briefing/1"


def _cite(idx: CiteIndex, c: Citation) -> dict[str, Any]:
    return {
        "source": idx.number(c),
        "article_id": c.article_id,
        "sentence_index": c.sentence_index,
        "start": c.start,
        "end": c.end,
        "text": idx.text(c),
    }


def _cites(idx: CiteIndex, cites: tuple[Citation, ...] | list[Citation]) -> list[dict[str, Any]]:
    return [_cite(idx, c) for c in cites]


def _fact(idx: CiteIndex, f: Fact) -> dict[str, Any]:
    return {
        "id": f.id,
        "text": f.text,
        "sources": idx.numbers(f.citations),
        "articles": list(f.articles),
        "independent": f.independent,
        "score": round(f.score, 6),
        "citations": _cites(idx, f.citations),
    }


def _articles(b: Briefing, idx: CiteIndex, include_text: bool) -> list[dict[str, Any]]:
    out = []
    for a in b.articles:
        entry = idx.by_id.get(a.id)
        d: dict[str, Any] = {
            "number": entry.number if entry else None,
            "id": a.id,
            "hash": a.hash,
            "title": a.title,
            "source": a.source,
            "url": a.url,
            "published": a.published,
            "byline": a.byline,
            "story": a.story,
            "stance": a.stance,
            "path": a.path,
            "format": a.format,
            "chars": len(a.text),
            "sentences": len(b.sentences.get(a.id, ())),
        }
        if include_text:
            d["text"] = a.text
            d["sentence_spans"] = [
                {
                    "index": s.index,
                    "start": s.start,
                    "end": s.end,
                    "paragraph": s.paragraph,
                    "boilerplate": s.boilerplate,
                }
                for s in b.sentences.get(a.id, ())
            ]
        out.append(d)
    return out


def to_dict(briefing: Briefing, *, include_text: bool = False) -> dict[str, Any]:
    """The briefing as plain JSON-ready data (see :func:`to_json`)."""
    b = briefing
    idx = CiteIndex(b)
    sources = [
        {
            "number": s.number,
            "article_id": s.article_id,
            "outlet": s.outlet,
            "title": s.title,
            "date": s.date,
            "url": s.url,
            "path": s.path,
            "group": s.group,
            "copy_of": s.copy_of,
            "agencies": list(s.agencies),
        }
        for s in sorted(b.sources, key=lambda e: e.number)
    ]
    timeline = []
    for ev in b.timeline:
        span = date_span(ev.date)
        timeline.append(
            {
                "date": ev.date,
                "label": date_label(ev.date),
                "first_day": span[0].isoformat() if span else None,
                "last_day": span[1].isoformat() if span else None,
                "text": ev.text,
                "expressions": list(ev.expressions),
                "sources": idx.numbers(ev.citations),
                "citations": _cites(idx, ev.citations),
            }
        )
    speakers = [
        {
            "speaker": sp.speaker,
            "role": sp.role,
            "outlets": list(sp.outlets),
            "variants_differ": sp.variants_differ,
            "quotes": [
                {
                    "text": text,
                    "direct": direct,
                    "sources": idx.numbers(cites),
                    "citations": _cites(idx, cites),
                }
                for text, cites, direct in sp.quotes
            ],
        }
        for sp in b.speakers
    ]
    figures = [
        {
            "counted": e.counted,
            "status": e.status,
            "values": [
                {"text": text, "attribution": attribution, "source": idx.number(c), "citation": _cite(idx, c)}
                for text, attribution, c in e.values
            ],
        }
        for e in b.figures
    ]
    disputes = [
        {
            "kind": d.kind,
            "topic": d.topic,
            "sides": [
                {"statement": st, "sources": idx.numbers(cites), "citations": _cites(idx, cites)}
                for st, cites in d.sides
            ],
        }
        for d in b.disputes
    ]
    result: dict[str, Any] = {
        "format": FORMAT,
        "title": b.title,
        "words": b.words,
        "summary": [
            {
                "text": s.text,
                "fact_id": s.fact_id,
                "sources": idx.numbers(s.citations),
                "citations": _cites(idx, s.citations),
            }
            for s in b.summary
        ],
        "sources": sources,
        "timeline": timeline,
        "speakers": speakers,
        "figures": figures,
        "disputes": disputes,
        "corroborated": [_fact(idx, f) for f in b.corroborated],
        "single_source": [_fact(idx, f) for f in b.single_source],
        "coverage": {k: [_fact(idx, f) for f in b.coverage[k]] for k in sorted(b.coverage)},
        "notes": list(b.notes),
        "articles": _articles(b, idx, include_text),
    }
    return result


def to_json(briefing: Briefing, *, include_text: bool = False, indent: int | None = 2) -> str:
    """Render a briefing as JSON.

    Args:
        briefing: the briefing.
        include_text: also embed each article's full text and sentence spans.
        indent: JSON indentation; None for one line.

    Returns:
        The JSON text (UTF-8 characters kept as they are), ending with a newline.

    Example:
        >>> from newsweave.models import Article, Briefing, Citation, SourceEntry, SummarySentence
        >>> a = Article("Dockers walked out.", id="a1")
        >>> src = SourceEntry(1, "a1", "Harbor Wire", None, None, None, None)
        >>> s = SummarySentence("Dockers walked out.", (Citation("a1", 0, 0, 19),))
        >>> d = json.loads(to_json(Briefing("Strike", (src,), (s,), articles=(a,))))
        >>> d["summary"][0]["citations"][0]["text"]
        'Dockers walked out.'
    """
    return json.dumps(to_dict(briefing, include_text=include_text), ensure_ascii=False, indent=indent) + "\n"
