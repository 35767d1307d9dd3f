"""Spans of reported speech: quotation marks, paragraphs, and the attribution being built.

The base layer of the quote modules (:mod:`~newsweave.analyze.quotes_lexicon`
is the other): :func:`quote_spans` finds quotations by their marks in plain
text, :class:`Rel` holds one attribution while the rules build it, and
:func:`span_of`, :func:`paragraph` and :func:`trim` are the character-span
arithmetic every rule shares. Nothing here reads a parse beyond token offsets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsweave.models import Span

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


NO_CONTENT: Span = (-1, -1)


@dataclass
class Rel:
    """One attribution while it is being built: cue tokens, source and content spans.

    ``how`` names the rule that found it (``verb``, ``according``, ``colon``,
    ``noun``, ``dash``) and ``notes`` the steps taken on the way (``inherited``
    subject, ``inverted`` subject, quotation ``attached`` or ``continued`` from
    the paragraph before ...): the confidence model reads both.
    """

    cue: list[int]  # token indices
    source: Span | None
    content: Span
    head: Any  # the cue token
    src_tok: Any | None = None
    how: str = "verb"
    notes: set[str] = field(default_factory=set)


# "CALVERA, May 5 (IRP) - ", "BEIRUT (Reuters) -": a wire dateline opening a paragraph.
DATELINE = re.compile(
    r"[ \t]*[A-Z][A-Z .,'’-]{1,40}(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2})?\s*(?:\([^)\n]{1,40}\))?\s*[-–—]{1,2}\s+"
)


def after_dateline(text: str, span: Span) -> Span:
    """A span that starts inside a paragraph's wire dateline, moved to start after it.

    >>> t = "CALVERA, May 5 (IRP) - Minister Elena Marsh denied it."
    >>> s, e = after_dateline(t, (0, 43)); t[s:e]
    'Minister Elena Marsh'
    """
    p0 = text.rfind("\n", 0, span[0]) + 1
    m = DATELINE.match(text, p0)
    if m and span[0] < m.end() < span[1]:
        return (m.end(), span[1])
    return span


def span_of(toks: Sequence[Any]) -> Span | None:
    """Character span covering tokens (spaces ignored), or None."""
    toks = [t for t in toks if not t.is_space]
    if not toks:
        return None
    return (min(t.idx for t in toks), max(t.idx + len(t.text) for t in toks))


def paragraph(text: str, pos: int) -> Span:
    """The line holding ``pos``."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return (start, len(text) if end < 0 else end)


def trim(text: str, span: Span) -> Span:
    """Trim spaces and leading/trailing commas, leaving quotation marks alone."""
    s, e = span
    while s < e and text[s] in " \t\n,;–—-":
        s += 1
    while e > s and text[e - 1] in " \t\n,;:–—-":
        e -= 1
    return (s, e)




def source_tokens(subj: Any) -> list[Any]:
    """The subject phrase without a trailing relative clause or participle."""
    drop = {t.i for c in subj.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
    return [t for t in subj.subtree if t.i not in drop]
