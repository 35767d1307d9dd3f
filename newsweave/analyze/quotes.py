"""Quotes and reported speech: who said what, with cue, content and source spans.

Two paths share one output type, :class:`newsweave.models.Quote`:

* with spaCy (the ``nlp`` extra), :mod:`newsweave.analyze.quotes_rules` reads
  the dependency parse: a reporting cue (a verb from a lexicon measured on the
  PolNeAR train split, "according to", a colon after a name), its subject as
  the source and its clausal complement or object as the content; direct
  quotations found by :func:`quote_spans` replace the content they overlap,
  and the pieces of a quote interrupted by its attribution are joined;
* without spaCy, :func:`_regex_quotes` keeps only direct quotations that sit
  next to a "said"-like cue and a capitalised name or pronoun: fewer results,
  not wrong ones.

Speakers are resolved against the article's entities: pronouns to the last
person named, partial names to the full name, institutions and groups kept as
speakers, anonymous sources ("a source close to the government") kept with
their description.

``newsweave quotes FILE --json`` prints :func:`quotes_json` (the contract in product.md).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from newsweave.models import Article, Entity, Quote, Sentence, Span

log = logging.getLogger(__name__)
# What the spaCy path needs: lemmas and the parse for cues, NER for speakers.
QUOTE_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")

CLOSERS = {
    '"': ('"', "”"), "“": ("”", '"'), "«": ("»",), "„": ("“", "”"), "‘": ("’",), "‹": ("›",),
    "``": ("''",), "''": ("''",), "'": ("'",), "”": ("”", "“", '"'),
}
_DQ_TOKEN = re.compile(r"``|''|[\"“”«»„‘’‹›']")
_LETTER = re.compile(r"\w")


def _is_apostrophe(text: str, i: int) -> bool:
    """A single quote between letters (don't, Ra'ad) or after s (rebels') is no quote mark."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if _LETTER.match(before) and _LETTER.match(after):
        return True
    if text[i] in "’'" and before in "sS" and not _LETTER.match(after):
        # "the rebels' demands": plural possessive, unless a quote was opened.
        return True
    if text[i] in "’'" and before.isdigit():
        return True  # 5' 11"
    return text[i] in "‘'" and after.isdigit()  # '90s


def quote_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, bool]]:
    """Top-level quotations in ``text[start:end]`` as ``(start, end, closed)``.

    Spans include their quotation marks. A quotation left open at the end of a
    paragraph runs to the paragraph's end (``closed`` False): news style opens
    each paragraph of a long quote again without closing the one before.
    Nested quotes stay inside their outer quote.

    >>> quote_spans('He said "go now" and left.')
    [(8, 16, True)]
    """
    end = len(text) if end is None else end
    out: list[tuple[int, int, bool]] = []
    pos = start
    for para in re.finditer(r"[^\n]+", text[start:end]):
        p0, p1 = start + para.start(), start + para.end()
        pos = p0
        opener: str | None = None
        q0 = -1
        while pos < p1:
            m = _DQ_TOKEN.search(text, pos, p1)
            if not m:
                break
            ch, i = m.group(0), m.start()
            pos = m.end()
            if opener is None:
                if ch == "”" and (i == p0 or text[i - 1] in " \u202a(") and text[i + 1 : i + 2].isalnum():
                    opener, q0 = ch, i  # a closing mark typed as the opener: ”Like this.”
                    continue
                if ch in "”»›":
                    continue  # a stray closer: unbalanced text, ignore it
                if ch in "’'" and (_is_apostrophe(text, i) or ch == "’"):
                    continue
                if ch == "‘" and _is_apostrophe(text, i):
                    continue
                if ch == "'" and i > 0 and _LETTER.match(text[i - 1]):
                    continue
                opener, q0 = ch, i
                continue
            if opener == "“" and ch == "“" and text[i - 1 : i] in ",.!?" and text[i + 1 : i + 2] in (" ", "\n", ""):
                ch = "”"  # '“It's unusual,“ said ...': an opening mark typed as the closer
            if ch in CLOSERS.get(opener, ()):
                if opener in ("‘", "'") and _is_apostrophe(text, i):
                    continue
                out.append((q0, pos, True))
                opener = None
        if opener is not None and opener not in ("‘", "'"):
            # Open double quote: it runs to the paragraph end (multi-paragraph quote).
            out.append((q0, p1, False))
    return [s for s in out if s[1] - s[0] > 2]


def _regex_quotes(article: Article) -> list[Quote]:
    """Rule-only path: direct quotations next to a speech verb and a name or pronoun."""
    from newsweave.analyze.entities import extract_entities, find_by_name
    from newsweave.analyze.quotes_rules import CUE_VERBS_RE
    from newsweave.analyze.quotes_speakers import clean_speaker, speaker_type, split_title

    text = article.text
    entities = extract_entities(article)  # the conservative rule path: titled names only
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
            known = find_by_name(entities, speaker)
            if known is not None:
                speaker, role = known.name, known.role or role
        out.append(
            Quote(
                content=(qs, qe), source=src, cue=cue, speaker=speaker, kind="direct", role=role,
                speaker_type=("person" if role else speaker_type(raw)) if speaker else "unknown",
                article_id=article.id, text=content,
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
    from newsweave.analyze.quotes_rules import rule_quotes

    if entities is None:
        entities = extract_entities(article, doc)
    quotes = rule_quotes(article, doc, entities, quote_spans(article.text))
    return tuple(_with_sentences(article, quotes, sentences))


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


def quotes_json(article: Article, doc: Any | None = None) -> list[dict[str, Any]]:
    """The ``newsweave quotes FILE --json`` contract for one article.

    Returns:
        ``[{"content": [s, e], "source": [s, e] | None, "cue": [s, e] | None,
        "speaker": str | None}]`` with offsets into ``article.text``.
    """
    return [
        {
            "content": list(q.content),
            "source": list(q.source) if q.source else None,
            "cue": list(q.cue) if q.cue else None,
            "speaker": q.speaker,
        }
        for q in extract_quotes(article, doc)
    ]
