"""Quotes and reported speech: who said what, with cue, content, source, stance and confidence.

Two paths share one output type, :class:`newsweave.models.Quote`:

* with spaCy (the ``nlp`` extra) the stages run in one direction, each in its
  own module:

  - :mod:`~newsweave.analyze.quotes_spans` finds quotations by their marks;
  - :mod:`~newsweave.analyze.quotes_rules` (with the fixed patterns of
    :mod:`~newsweave.analyze.quotes_patterns`) reads the dependency parse: a
    reporting cue from the lexicon of :mod:`~newsweave.analyze.quotes_lexicon`,
    its subject as the source and its complement as the content;
  - :mod:`~newsweave.analyze.quotes_speakers` resolves each source to a
    speaker, in text order, so pronouns and definite descriptions find the
    speaker just quoted, and lone quotation paragraphs take the speaker
    quoted around them;
  - :mod:`~newsweave.analyze.quotes_stance` reads the stance (asserts,
    denies, rejects, accuses, questions) and the claim a reader should see;
  - :mod:`~newsweave.analyze.quotes_confidence` scores each attribution;

* without spaCy, :func:`_regex_quotes` keeps only direct quotations that sit
  next to a "said"-like cue and a capitalised name or pronoun: fewer results,
  not wrong ones.

``newsweave quotes FILE --json`` prints :func:`quotes_json` (the contract in product.md).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any, Literal

from newsweave.analyze.quotes_confidence import confidence, gather_evidence, length_bucket
from newsweave.analyze.quotes_lexicon import CUE_VERBS_RE
from newsweave.analyze.quotes_spans import Rel, quote_spans, span_of
from newsweave.analyze.quotes_speakers import (
    NO_SPEAKER,
    Speaker,
    SpeakerResolver,
    clean_speaker,
    speaker_type,
    split_title,
)
from newsweave.analyze.quotes_stance import ClaimReading, read_claim
from newsweave.models import Article, Entity, Quote, Sentence, Span

__all__ = ["QUOTE_COMPONENTS", "extract_quotes", "quote_spans", "quotes_json"]

log = logging.getLogger(__name__)
# What the spaCy path needs: lemmas and the parse for cues, NER for speakers.
QUOTE_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
_REPLY_LEMMAS = frozenset(["reply", "respond", "answer", "retort", "counter", "rejoin", "fire", "shoot", "hit"])


def _regex_quotes(article: Article) -> list[Quote]:
    """Rule-only path: direct quotations next to a speech verb and a name or pronoun."""
    from newsweave.analyze.entities import extract_entities, find_by_name

    text = article.text
    entities: tuple[Entity, ...] | None = None  # found on first need: a long text without quotes needs none
    out = []
    name = r"((?:[A-Z][\w’'.-]+\s){0,3}[A-Z][\w’'-]+|[Hh]e|[Ss]he|[Tt]hey)"
    after = re.compile(rf"^\s*,?\s*(?:{name}\s+({CUE_VERBS_RE})|({CUE_VERBS_RE})\s+{name})\b")
    before = re.compile(rf"{name}\s+({CUE_VERBS_RE})\s*[:,]?\s*$")
    for qs, qe, _closed in quote_spans(text):
        content = text[qs:qe]
        if len(content.split()) < 3:
            continue
        src: Span | None = None
        cue: Span | None = None
        m = after.match(text[qe : qe + 80])
        if m:
            if m.group(1):
                src, cue = (qe + m.start(1), qe + m.end(1)), (qe + m.start(2), qe + m.end(2))
            else:
                cue, src = (qe + m.start(3), qe + m.end(3)), (qe + m.start(4), qe + m.end(4))
        else:
            window = text[max(0, qs - 80) : qs]
            b = before.search(window)
            if b:
                off = qs - len(window)
                src, cue = (off + b.start(1), off + b.end(1)), (off + b.start(2), off + b.end(2))
        if src is None:
            continue
        raw = text[src[0] : src[1]]
        if raw.split()[0] in ("The", "A", "An", "This", "That", "It", "But", "And"):
            continue  # a sentence start, not a name: better no quote than a wrong speaker
        speaker: str | None = None
        role: str | None = None
        if raw.lower() not in ("he", "she", "they"):  # pronouns stay unresolved without a parser
            speaker, role = split_title(clean_speaker(raw))
            if entities is None:
                entities = extract_entities(article)  # the conservative rule path: titled names only
            known = find_by_name(entities, speaker)
            if known is not None:
                speaker, role = known.name, known.role or role
        verb = text[cue[0] : cue[1]].lower() if cue else ""
        stance: Literal["asserts", "questions"] = "questions" if verb.startswith("ask") else "asserts"
        evidence = ("how:verb", "cue:say" if verb in ("said", "says", "say", "told", "tells") else "cue:speech",
                    "qkind:direct", f"via:{'name' if speaker else 'none'}", f"len:{length_bucket(len(content.split()))}",
                    "claim")
        out.append(
            Quote(
                content=(qs, qe), source=src, cue=cue, speaker=speaker, kind="direct", role=role,
                speaker_type=("person" if role else speaker_type(raw)) if speaker else "unknown",
                article_id=article.id, text=content, stance=stance,
                claim=content.strip() if stance == "asserts" else f"asked {content.strip()}",
                confidence=confidence(evidence), evidence=evidence,
            )
        )
    return out


def extract_quotes(
    article: Article,
    doc: Any | None = None,
    entities: Sequence[Entity] | None = None,
    sentences: Sequence[Sentence] | None = None,
) -> tuple[Quote, ...]:
    """Direct quotes and reported speech in one article.

    Args:
        article: the article; every span is an offset into ``article.text``.
        doc: a spaCy Doc of ``article.text`` (tagger, parser, ner); parsed
            here when None and spaCy is installed.
        entities: the article's entities (for speaker resolution); extracted
            from ``doc`` when None.
        sentences: the article's sentences (for ``sentence_index``); split here when None.

    Returns:
        Quotes in text order.

    Example:
        >>> from newsweave.models import Article
        >>> qs = extract_quotes(Article('"We will rebuild," Mayor Ines Varga said.'))  # doctest: +SKIP
        >>> qs[0].speaker  # doctest: +SKIP
        'Ines Varga'
    """
    from newsweave.analyze.nlp import parse

    if not article.text.strip():
        return ()
    if doc is not None and not (
        doc.has_annotation("DEP") and doc.has_annotation("LEMMA") and doc.has_annotation("ENT_IOB")
    ):
        # The cue lexicon is keyed by lemma and frame: a Doc without them would find nothing.
        log.warning("quotes need %s; re-parsing the article", ", ".join(QUOTE_COMPONENTS))
        doc = None
    if doc is None:
        # None without spaCy, or for a text too long to parse: the rule path.
        doc = parse(article.text, QUOTE_COMPONENTS, where=article.path)
        if doc is None:
            return tuple(_with_sentences(article, _regex_quotes(article), sentences))
    from newsweave.analyze.entities import extract_entities
    from newsweave.analyze.quotes_rules import find_attributions

    if entities is None:
        entities = extract_entities(article, doc)
    qspans = quote_spans(article.text)
    rels = find_attributions(article, doc, entities, qspans)
    quotes = _build_quotes(article, doc, entities, qspans, rels)
    return tuple(_with_sentences(article, quotes, sentences))


def _anchor(r: Rel) -> int:
    """Where an attribution names its speaker: the source, else the cue, else the content."""
    if r.source is not None:
        return r.source[0]
    if r.cue:
        return int(r.head.idx)
    return r.content[0]


def _resolve_all(resolver: SpeakerResolver, text: str, rels: list[Rel]) -> list[Speaker]:
    """Speakers for every attribution: in text order, then lone quotations from their neighbours."""
    speakers: list[Speaker] = [NO_SPEAKER] * len(rels)
    order = sorted(range(len(rels)), key=lambda i: _anchor(rels[i]))
    for i in order:
        if rels[i].how == "standalone":
            continue
        speakers[i] = resolver.resolve(rels[i])
        resolver.remember(_anchor(rels[i]), speakers[i], rels[i].source)
    by_para: dict[int, list[int]] = {}
    for i in order:
        if rels[i].how != "standalone":
            by_para.setdefault(resolver.para_index(_anchor(rels[i])), []).append(i)
    for i, r in enumerate(rels):
        if r.how != "standalone":
            continue
        p = resolver.para_index(r.content[0])
        prev_p = _previous_paragraph(text, resolver, r.content[0])
        before = by_para.get(prev_p)
        after = by_para.get(p + 1) or by_para.get(_next_paragraph(text, resolver, r.content[1]))
        actor = None if before else resolver.paragraph_subject(prev_p)
        replied = after is not None and rels[after[0]].head.lemma_.lower() in _REPLY_LEMMAS
        sp = resolver.resolve_turns(
            r.content,
            speakers[before[-1]] if before else None,
            speakers[after[0]] if after else None,
            actor[0] if actor else None,
            replied,
        )
        speakers[i] = sp
        # The source of a lone quotation is where its speaker was named around it
        if sp.name and before and speakers[before[-1]].name == sp.name:
            r.source = rels[before[-1]].source
        elif sp.name and actor is not None:
            r.source = actor[1]
    return speakers


def _previous_paragraph(text: str, resolver: SpeakerResolver, pos: int) -> int:
    """The index of the last non-empty paragraph before ``pos``."""
    i = text.rfind("\n", 0, pos)
    while i > 0 and not text[text.rfind("\n", 0, i) + 1 : i].strip():
        i = text.rfind("\n", 0, i)
    return resolver.para_index(max(0, i - 1)) if i > 0 else -1


def _next_paragraph(text: str, resolver: SpeakerResolver, pos: int) -> int:
    """The index of the first non-empty paragraph after ``pos``."""
    m = re.compile(r"\n\s*\S").search(text, pos)
    return resolver.para_index(m.end() - 1) if m else -1


def _quote_kind(text: str, r: Rel, cue: Span | None, qspans: list[tuple[int, int, bool]]
                ) -> Literal["direct", "indirect", "mixed"]:
    """Direct when quotation marks, the attribution and punctuation make up the content
    (or when it is a transcript's turn: the speaker's own words, without marks)."""
    if "transcript" in r.notes:
        return "direct"
    cs, ce = r.content
    inside = [q for q in qspans if q[0] >= cs and q[1] <= ce]
    rest = text[cs:ce]
    for a, b in [q[:2] for q in inside] + [x for x in (r.source, cue) if x]:
        if cs <= a and b <= ce:
            rest = rest[: a - cs] + " " * (b - a) + rest[b - cs :]
    if inside and len(re.sub(r"[\W_]+", "", rest)) <= 3:
        return "direct"
    return "mixed" if inside else "indirect"


def _relayed(rels: list[Rel]) -> set[int]:
    """Attributions whose content holds another attribution's cue and source (nested speech)."""
    out = set()
    for k, r in enumerate(rels):
        for other in rels:
            if other is r or not other.cue or other.source is None:
                continue
            cue_at = other.head.idx
            # the content *is* the other attribution: it opens with its source or its cue
            opens = min(cue_at, other.source[0]) - r.content[0]
            if 0 <= opens <= 3 and r.content[0] <= other.source[0] < r.content[1] and cue_at < r.content[1]:
                out.add(k)
                break
    return out


def _build_quotes(article: Article, doc: Any, entities: Sequence[Entity],
                  qspans: list[tuple[int, int, bool]], rels: list[Rel]) -> list[Quote]:
    """Quotes from attributions: speaker, kind, stance, claim and confidence."""
    text = article.text
    resolver = SpeakerResolver(doc, entities, qspans)
    speakers = _resolve_all(resolver, text, rels)
    relayed = _relayed(rels)
    out = []
    for k, (r, sp) in enumerate(zip(rels, speakers)):
        if r.how == "standalone" and not sp.name:
            continue  # a lone quotation whose speaker the turns do not show: left out
        cue = span_of([doc[i] for i in r.cue])
        qkind = _quote_kind(text, r, cue, qspans)
        reading = read_claim(r, doc, text, qkind != "indirect")
        if k in relayed and reading.claim:
            # "According to WNA, he said the inquiry would begin ...": the claim is his; the agency relays it
            reading = ClaimReading(reading.stance, "", reading.target, reading.negative, "relayed")
        evidence = gather_evidence(text, r, sp, qkind, reading, cue, qspans)
        out.append(Quote(
            content=r.content, source=r.source, cue=cue, speaker=sp.name, kind=qkind, role=sp.role,
            speaker_type=sp.kind, article_id=article.id, text=text[r.content[0] : r.content[1]],
            stance=reading.stance, claim=reading.claim, target=reading.target, negative=reading.negative,
            confidence=confidence(evidence), evidence=evidence,
        ))
    return out


def _with_sentences(
    article: Article, quotes: list[Quote], sentences: Sequence[Sentence] | None
) -> list[Quote]:
    """Fill ``sentence_index``: the sentence holding the content's start, or the next one."""
    from bisect import bisect_right
    from dataclasses import replace

    from newsweave.analyze.sentences import split_sentences

    if not quotes:
        return []
    sents = sentences if sentences is not None else split_sentences(article)
    ends = [s.end for s in sents]
    out = []
    for q in sorted(quotes, key=lambda q: q.content):
        i = bisect_right(ends, q.content[0])  # first sentence ending after the start
        out.append(replace(q, sentence_index=sents[i].index if i < len(sents) else -1))
    return out


def quotes_json(article: Article, doc: Any | None = None, min_confidence: float = 0.0) -> list[dict[str, Any]]:
    """The ``newsweave quotes FILE --json`` contract for one article.

    Args:
        article: the article.
        doc: its spaCy Doc, parsed here when None.
        min_confidence: leave out attributions scored below this.

    Returns:
        ``[{"content": [s, e], "source": [s, e] | None, "cue": [s, e] | None,
        "speaker": str | None, "stance": str, "confidence": float}]`` with
        offsets into ``article.text`` (the contract's four keys first).
    """
    return [
        {
            "content": list(q.content),
            "source": list(q.source) if q.source else None,
            "cue": list(q.cue) if q.cue else None,
            "speaker": q.speaker,
            "stance": q.stance,
            "confidence": q.confidence,
        }
        for q in extract_quotes(article, doc)
        if q.confidence >= min_confidence
    ]
