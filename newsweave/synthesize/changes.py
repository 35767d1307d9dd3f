"""Update briefings: what a story's new reports changed since a point in time.

The earlier briefing (the story's articles up to ``since``) and the current
one are compared section by section, matching items by their content, never
by their position or internal ids, so the comparison keeps working whatever
the facts, figures and speakers stages become:

- a **new fact** is a fact of the current briefing that a new article
  supports and that no earlier fact states (content words compared);
- a **figure that changed** is a quantity both briefings count (same
  ``counted``) for which a new article gives a number no earlier report gave
  (a toll revised from 12 to 15), shown with the earlier numbers;
- a **new dispute** is one whose sides no earlier dispute had;
- a **new speaker** is one the earlier briefing did not quote, and a known
  speaker's quotes that only new articles carry are listed too.

Every item keeps its citations; items that no new article supports are left
out (precision first: a re-worded old fact is not news).

>>> from newsweave.models import Briefing
>>> what_changed(Briefing("t", (), ()), Briefing("t", (), ()), "2025-03-04", ()).facts
()
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from newsweave.models import (
    Briefing,
    Changes,
    Citation,
    Dispute,
    Fact,
    FigureChange,
    LedgerEntry,
    SpeakerQuotes,
)
from newsweave.synthesize.lexical import terms

__all__ = ["SAME_FACT", "what_changed"]

SAME_FACT = 0.5  # share of content words two statements must share to be one
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _words(text: str) -> frozenset[str]:
    return frozenset(terms(text))


def _same(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= SAME_FACT and len(a & b) / max(len(a), len(b)) >= SAME_FACT / 1.5


def _known(text: str, old: Sequence[frozenset[str]]) -> bool:
    w = _words(text)
    return any(_same(w, o) for o in old)


def _cites_new(citations: Iterable[Citation], new: set[str]) -> bool:
    return any(c.article_id in new for c in citations)


def _facts(b: Briefing) -> list[Fact]:
    seen: set[int] = set()
    out = []
    for f in (*b.corroborated, *b.single_source):
        if f.id not in seen:
            seen.add(f.id)
            out.append(f)
    return out


def _new_facts(old: Briefing, cur: Briefing, new: set[str]) -> tuple[Fact, ...]:
    before = [_words(f.text) for f in _facts(old)] + [_words(s.text) for s in old.summary]
    out = []
    for f in _facts(cur):
        if not _cites_new(f.citations, new) or _known(f.text, before):
            continue
        out.append(f)
    # The summary's own sentences count too when no fact list holds them.
    listed = [_words(f.text) for f in out]
    for s in cur.summary:
        if _cites_new(s.citations, new) and not _known(s.text, before) and not _known(s.text, listed):
            arts = tuple(dict.fromkeys(c.article_id for c in s.citations))
            out.append(Fact(id=-1, text=s.text, citations=s.citations, articles=arts))
            listed.append(_words(s.text))
    return tuple(out)


def _numbers(text: str) -> set[float]:
    out = set()
    for m in _NUMBER.finditer(text):
        try:
            out.add(float(m.group().replace(",", "")))
        except ValueError:
            continue
    return out


def _key(counted: str) -> frozenset[str]:
    return _words(counted) or frozenset([counted.lower()])


def _changed_figures(old: Briefing, cur: Briefing, new: set[str]) -> tuple[FigureChange, ...]:
    out = []
    for entry in cur.figures:
        match: LedgerEntry | None = next(
            (e for e in old.figures if _key(e.counted) == _key(entry.counted)), None
        )
        if match is None:
            continue
        before_nums = set().union(*(_numbers(t) for t, _, _ in match.values)) if match.values else set()
        after = tuple(
            (t, c) for t, _, c in entry.values if c.article_id in new and _numbers(t) and not _numbers(t) <= before_nums
        )
        if after:
            out.append(FigureChange(entry.counted, tuple((t, c) for t, _, c in match.values), after))
    return tuple(out)


def _dispute_words(d: Dispute) -> frozenset[str]:
    return frozenset().union(*(_words(st) for st, _ in d.sides)) if d.sides else _words(d.topic)


def _new_disputes(old: Briefing, cur: Briefing, new: set[str]) -> tuple[Dispute, ...]:
    before = [_dispute_words(d) for d in old.disputes]
    return tuple(
        d for d in cur.disputes
        if any(_cites_new(c, new) for _, c in d.sides) and not any(_same(_dispute_words(d), o) for o in before)
    )  # fmt: skip


def _new_speakers(old: Briefing, cur: Briefing, new: set[str]) -> tuple[SpeakerQuotes, ...]:
    before = {sp.speaker.lower(): [_words(q.text) for q in sp.quotes] for sp in old.speakers}
    out = []
    for sp in cur.speakers:
        known = before.get(sp.speaker.lower(), [])
        fresh = tuple(q for q in sp.quotes if _cites_new(q.citations, new) and not _known(q.text, known))
        if fresh:
            out.append(replace(sp, quotes=fresh))
    return tuple(out)


def what_changed(old: Briefing, current: Briefing, since: str, new_articles: Sequence[str]) -> Changes:
    """Compare the briefing of the articles up to ``since`` with the current one.

    Args:
        old: the briefing of the story's articles up to ``since`` (may be empty).
        current: the briefing of all its articles.
        since: the ISO date/time compared against (shown to the reader).
        new_articles: ids of the articles that arrived after ``since``.
    """
    new = set(new_articles)
    return Changes(
        since=since,
        new_articles=tuple(new_articles),
        facts=_new_facts(old, current, new),
        figures=_changed_figures(old, current, new),
        disputes=_new_disputes(old, current, new),
        speakers=_new_speakers(old, current, new),
    )
