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

from newsweave.errors import BadInput
from newsweave.models import (
    Article,
    Briefing,
    Changes,
    Citation,
    Claim,
    Dispute,
    Fact,
    LedgerEntry,
    LedgerFigure,
    Sentence,
    SourceEntry,
    SpeakerQuotes,
    SummarySentence,
    TimelineEvent,
)
from newsweave.render.common import CiteIndex, date_label, date_span

__all__ = ["to_json", "to_dict", "from_dict", "from_json", "schema", "FORMAT", "VERSION"]

FORMAT = "newsweave.briefing/1"
# MAJOR.MINOR of the shape documented by briefing.schema.json: MAJOR follows
# FORMAT; MINOR goes up whenever fields are added (they are never renamed).
VERSION = "1.0"


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the briefing JSON, shipped with the package.

    >>> schema()["$defs"]["briefing"]["properties"]["format"]["const"]
    'newsweave.briefing/1'
    """
    from importlib.resources import files

    text = files("newsweave.render").joinpath("briefing.schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


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
        "score": f.score,
        "citations": _cites(idx, f.citations),
        "paraphrases": _cites(idx, f.paraphrases),
        "related": list(f.related),
    }


def _number(v: float | None) -> int | float | None:
    """A JSON number: integral values as integers ("4000", not "4000.0")."""
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v


def _ledger_entry(idx: CiteIndex, e: LedgerEntry) -> dict[str, Any]:
    """One quantity of the figures ledger: its rows (``figures``) with numbers, and the
    mentions (``values``) as in the first ledger."""
    return {
        "counted": e.counted,
        "what": e.what,
        "event": e.event,
        "status": e.status,
        "figures": [
            {
                "text": r.text,
                "value": _number(r.value),
                "low": _number(r.low),
                "high": _number(r.high),
                "unit": r.unit,
                "qualifier": r.qualifier,
                "counted": r.counted,
                "event": r.event,
                "kind": r.kind,
                "by": r.by,
                "date": r.date,
                "note": r.note,
                "disputed": r.disputed,
                "sources": idx.numbers(r.citations),
                "citations": _cites(idx, r.citations),
            }
            for r in e.figures
        ],
        "values": [
            {"text": text, "attribution": attribution, "source": idx.number(c), "citation": _cite(idx, c)}
            for text, attribution, c in e.values
        ],
    }


def _ledger_from(e: dict[str, Any], cite: Any, cites: Any) -> LedgerEntry:
    rows = tuple(
        LedgerFigure(
            r["text"], r.get("value"), r.get("low"), r.get("high"), r.get("unit"), r.get("qualifier"),
            r.get("counted"), r.get("event"), r.get("kind") or "reported", r.get("by"), r.get("date"),
            cites(r.get("citations") or []), r.get("note"), bool(r.get("disputed")),
        )
        for r in e.get("figures") or []
    )
    return LedgerEntry(
        e["counted"],
        tuple((v["text"], v["attribution"], cite(v["citation"])) for v in e["values"]),
        e["status"],
        what=e.get("what") or "",
        event=e.get("event"),
        figures=rows,
    )


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
            "cites": list(s.cites),
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
            "type": sp.kind,
            "outlets": list(sp.outlets),
            "variants_differ": sp.variants_differ,
            "quotes": [
                {
                    "text": cl.text,
                    "direct": cl.direct,
                    "stance": cl.stance,
                    "denial": cl.stance in ("denies", "rejects"),
                    "polarity": "negative" if cl.negative else "positive",
                    "target": cl.target,
                    "confidence": cl.confidence,
                    "content": cl.content,
                    "sources": idx.numbers(cl.citations),
                    "citations": _cites(idx, cl.citations),
                }
                for cl in sp.quotes
            ],
        }
        for sp in b.speakers
    ]
    figures = [_ledger_entry(idx, e) for e in b.figures]
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
        "version": VERSION,
        "title": b.title,
        "words": b.words,
        "summary": [
            {
                "text": s.text,
                "fact_id": s.fact_id,
                "sources": idx.numbers(s.citations),
                "citations": _cites(idx, s.citations),
                "paraphrases": _cites(idx, s.paraphrases),
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
    if b.story_id is not None:
        result["story_id"] = b.story_id
    if b.changes is not None:
        result["changes"] = _changes(b.changes, idx)
    return result


def _changes(ch: Changes, idx: CiteIndex) -> dict[str, Any]:
    """What changed since ``ch.since`` (``brief --since``): every item cited."""
    return {
        "since": ch.since,
        "new_articles": list(ch.new_articles),
        "facts": [_fact(idx, f) for f in ch.facts],
        "figures": [
            {
                "counted": fc.counted,
                "before": [{"text": t, "source": idx.number(c), "citation": _cite(idx, c)} for t, c in fc.before],
                "after": [{"text": t, "source": idx.number(c), "citation": _cite(idx, c)} for t, c in fc.after],
            }
            for fc in ch.figures
        ],
        "disputes": [
            {
                "kind": d.kind,
                "topic": d.topic,
                "sides": [
                    {"statement": st, "sources": idx.numbers(cites), "citations": _cites(idx, cites)}
                    for st, cites in d.sides
                ],
            }
            for d in ch.disputes
        ],
        "speakers": [
            {
                "speaker": sp.speaker,
                "role": sp.role,
                "quotes": [
                    {"text": q.text, "direct": q.direct, "stance": q.stance, "sources": idx.numbers(q.citations),
                     "citations": _cites(idx, q.citations)}
                    for q in sp.quotes
                ],
            }
            for sp in ch.speakers
        ],
    }


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


def _c(d: dict[str, Any]) -> Citation:
    return Citation(d["article_id"], d["sentence_index"], d["start"], d["end"])


def _cs(items: list[dict[str, Any]]) -> tuple[Citation, ...]:
    return tuple(_c(d) for d in items)


def _f(d: dict[str, Any]) -> Fact:
    return Fact(d["id"], d["text"], _cs(d["citations"]), tuple(d["articles"]), d["independent"], d["score"],
                paraphrases=_cs(d.get("paraphrases", [])), related=tuple(d.get("related", [])))


def from_dict(data: dict[str, Any]) -> Briefing:
    """Rebuild a :class:`Briefing` from :func:`to_dict` output.

    Articles come back only when the JSON was written with ``include_text=True``
    (a briefing without its texts cannot be checked, so it is not invented).

    Raises:
        BadInput: when the data is not a newsweave briefing of this format.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadInput(f"not a newsweave briefing; expected 'format': '{FORMAT}'")
    try:
        articles, sentences = [], {}
        for a in data["articles"]:
            if "text" not in a:
                continue
            art = Article(
                text=a["text"],
                id=a["id"],
                hash=a["hash"],
                title=a["title"],
                source=a["source"],
                url=a["url"],
                published=a["published"],
                story=a["story"],
                path=a["path"],
                format=a["format"],
                byline=a["byline"],
                stance=a["stance"],
            )
            articles.append(art)
            sentences[art.id] = tuple(
                Sentence(
                    art.id,
                    s["index"],
                    s["start"],
                    s["end"],
                    art.text[s["start"] : s["end"]],
                    s["paragraph"],
                    s["boilerplate"],
                )
                for s in a["sentence_spans"]
            )
        return Briefing(
            title=data["title"],
            sources=tuple(
                SourceEntry(
                    s["number"],
                    s["article_id"],
                    s["outlet"],
                    s["title"],
                    s["date"],
                    s["url"],
                    s["path"],
                    s["group"],
                    s["copy_of"],
                    tuple(s["agencies"]),
                    tuple(s.get("cites", ())),
                )
                for s in data["sources"]
            ),
            summary=tuple(
                SummarySentence(s["text"], _cs(s["citations"]), s["fact_id"], _cs(s.get("paraphrases", [])))
                for s in data["summary"]
            ),
            articles=tuple(articles),
            sentences=sentences,
            timeline=tuple(
                TimelineEvent(e["date"], e["text"], _cs(e["citations"]), tuple(e["expressions"]))
                for e in data["timeline"]
            ),
            speakers=tuple(
                SpeakerQuotes(
                    sp["speaker"],
                    sp["role"],
                    tuple(
                        Claim(q["text"], _cs(q["citations"]), q["direct"], q.get("stance", "asserts"),
                              q.get("confidence", 1.0), q.get("target"), q.get("polarity") == "negative",
                              q.get("content", ""))
                        for q in sp["quotes"]
                    ),
                    tuple(sp["outlets"]),
                    sp["variants_differ"],
                    sp.get("type", "person"),
                )
                for sp in data["speakers"]
            ),
            figures=tuple(_ledger_from(e, _c, _cs) for e in data["figures"]),
            disputes=tuple(
                Dispute(
                    d["kind"], d["topic"], tuple((x["statement"], _cs(x["citations"])) for x in d["sides"])
                )
                for d in data["disputes"]
            ),
            corroborated=tuple(_f(f) for f in data["corroborated"]),
            single_source=tuple(_f(f) for f in data["single_source"]),
            coverage={k: tuple(_f(f) for f in v) for k, v in data["coverage"].items()},
            words=data["words"],
            notes=tuple(data["notes"]),
        )
    except (KeyError, TypeError, IndexError) as exc:
        raise BadInput(f"briefing JSON is missing or mangles a field ({exc!r})") from None


def from_json(text: str) -> Briefing:
    """Rebuild a briefing from :func:`to_json` text (see :func:`from_dict`).

    Example:
        >>> from newsweave.models import Article, Briefing, Citation, SourceEntry, SummarySentence
        >>> a = Article("Dockers walked out.", id="a1")
        >>> src = SourceEntry(1, "a1", "Harbor Wire", None, None, None, None)
        >>> b = Briefing("Strike", (src,), (SummarySentence("Dockers walked out.", (Citation("a1", 0, 0, 19),)),),
        ...              articles=(a,), sentences={"a1": ()})
        >>> from_json(to_json(b, include_text=True)) == b
        True
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"briefing JSON is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    return from_dict(data)
