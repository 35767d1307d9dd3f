"""Sentence splitting with exact character offsets, and boilerplate marking.

Paragraphs are the text's lines (news text puts one paragraph per line); each
paragraph is split with pysbd's rules and every segment is mapped back onto the
original text, so ``text[s.start:s.end] == s.text`` always holds.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from newsweave.models import Article, Sentence

_BOILER = re.compile(
    r"""^(?:
        READ\s+MORE\b | Read\s+more\b | RELATED\b | Related\s*: | Watch\s*: | WATCH\s*: |
        Source\s*: | Sources\s*: | With\s+reporting\s+by\b | Additional\s+reporting\s+by\b |
        Reporting\s+by\b | Editing\s+by\b | Writing\s+by\b | Follow\s+\w+\s+on\s+Twitter |
        Copyright\b | ©  | Photo\s*: | Image\s*: | Video\s*: | Advertisement\b | Subscribe\b |
        Sign\s+up\b | Click\s+here\b | Share\s+this\b
    )""",
    re.X,
)
# Captions: short lines without a final full stop that end with a credit or a
# bracketed agency, e.g. "Raw footage shows ... (Reuters)".
_CAPTION = re.compile(r"\((?:Reuters|AP|AFP|Getty(?: Images)?|EPA|[A-Z][\w ]{1,30} Photo)\)\s*$")
_WS = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


_DATE_PREFIX = re.compile(r"\A\s*date\s+\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]+)?\s+", re.I)


def body_start(text: str) -> int:
    """Offset where the body begins, after a ``date YYYY-MM-DD`` prefix if any."""
    m = _DATE_PREFIX.match(text)
    return m.end() if m else 0


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as (start, end) with surrounding whitespace trimmed."""
    out = []
    pos = body_start(text)
    text_from = text[pos:]
    for line in text_from.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            s = pos + (len(line) - len(line.lstrip()))
            out.append((s, s + len(stripped)))
        pos += len(line)
    return out


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    para = text[start:end]
    if len(para) < 40 or not re.search(r"[.!?]\W*\s+\S", para):
        return [(start, end)]
    if len(para) > 20000:  # pysbd is quadratic-ish on huge unbroken lines
        return _regex_split(text, start, end)
    spans = []
    cursor = 0
    for seg in _segmenter().segment(para):
        seg_s = seg.strip()
        if not seg_s:
            continue
        i = para.find(seg_s, cursor)
        if i < 0:  # pysbd altered the text; fall back to a plain regex split
            return _regex_split(text, start, end)
        spans.append((start + i, start + i + len(seg_s)))
        cursor = i + len(seg_s)
    return spans or [(start, end)]


_SENT_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)\]]))\s+(?=[\"“‘(\[]?[A-Z0-9])")


def _regex_split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    s = start
    for m in _SENT_END.finditer(text, start, end):
        if m.start() > s:
            spans.append((s, m.start()))
        s = m.end()
    if s < end:
        spans.append((s, end))
    return spans


def is_boilerplate(line: str) -> bool:
    """Lines kept in the text but never summarised: credits, links, captions."""
    line = line.strip()
    if _BOILER.match(line):
        return True
    if _CAPTION.search(line) and not line.rstrip().endswith("."):
        return True
    return False


def split_sentences(article: Article) -> tuple[Sentence, ...]:
    """Split an article into sentences with offsets and boilerplate flags.

    Headline-like lines (no end punctuation, under 25 words) are kept as
    sentences but flagged as boilerplate when they repeat another line
    verbatim (captions printed twice) or look like a link or credit.

    >>> from newsweave.models import Article
    >>> [s.text for s in split_sentences(Article("One here. Two there."))]
    ['One here.', 'Two there.']
    """
    text = article.text
    paras = _paragraphs(text)
    counts = Counter(_WS.sub(" ", text[s:e]) for s, e in paras)
    title = _WS.sub(" ", article.title or "").strip()
    out: list[Sentence] = []
    for p_idx, (ps, pe) in enumerate(paras):
        line = text[ps:pe]
        boiler = (
            is_boilerplate(line)
            or (counts[_WS.sub(" ", line)] > 1 and len(line) < 300)
            or (p_idx == 0 and bool(title) and _WS.sub(" ", line) == title)
        )
        for s, e in _split_paragraph(text, ps, pe):
            out.append(
                Sentence(
                    article_id=article.id,
                    index=len(out),
                    start=s,
                    end=e,
                    text=text[s:e],
                    paragraph=p_idx,
                    boilerplate=boiler,
                )
            )
    return tuple(out)
