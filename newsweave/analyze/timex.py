"""Temporal expressions: rule-based TIMEX3 tagging and normalisation.

In the spirit of HeidelTime and SUTime, but pure regex plus light context:
every rule in :mod:`newsweave.analyze.timex_rules` proposes spans, the longest
non-overlapping ones win, and each is normalised in text order against the
publication date (so "the quarter" can lean on the quarter named just
before, and "at dawn" on the day named just before). A clock time next to a
day ("10 p.m. Wednesday") becomes one TIME.

Runs in linear time over the text, needs no model, and imports only the
standard library, so one process per document stays cheap::

    newsweave dates article.txt --reference-date 2016-12-14 --json

Example:
    >>> [(t.text, t.type, t.value) for t in find_timexes("Talks resumed on Wednesday.", "2016-12-15")]
    [('Wednesday', 'DATE', '2016-12-14')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from newsweave.analyze.timex_normalize import parse_ref
from newsweave.analyze.timex_rules import RULES
from newsweave.models import TimeExpr

__all__ = ["find_timexes", "dates_json", "reference_from_text"]

# ------------------------------------------------------------- tense cues and document context
_FUTURE = re.compile(
    r"\b(?:will|won't|wo\s+n't|shall|going\s+to|is\s+to|are\s+to|due|set\s+to|scheduled|expected|expects?|"
    r"plans?\s+to|planned|planning|intends?|intended|would|upcoming|payable|effective|hopes?\s+to|aims?\s+to|"
    r"may|might|tomorrow|pending|be\s+held|(?:forecast|predicted|projected|poised|slated|likely)\s+to\s+\w+|to\s+(?:be|meet|resume|begin|start|vote|visit|travel|hold|announce|"
    r"release|expire|return|take\s+place|arrive|leave|sign|decide|acquire|buy|purchase|complete|pay|"
    r"publish|submit|deliver|launch)|(?:begins|starts|opens|expires|resumes|arrives|meets|visits|"
    r"takes\s+effect|returns|convenes|kicks\s+off))\b|'ll\b",
    re.I,
)
_PAST = re.compile(
    r"\b(?:said|told|was|were|had|did|ago|yesterday|began|came|went|took|left|fell|rose|hit|gave|made|held|"
    r"broke|got|ran|saw|sent|spent|sold|struck|won|lost|found|brought|fought|fled|led|met|paid|quit|shot|"
    r"spoke|stood|swept|threw|withdrew|wrote|knew|became|bought|caught|chose|cut|drew|drove|felt|flew|"
    r"grew|heard|hid|kept|laid|meant|sought|stole|stuck|thought|tore|understood|woke|wore|[a-z]{3,}ed)\b",
    re.I,
)
_NOT_PAST = {
    "expected", "scheduled", "planned", "proposed", "intended", "based", "armed", "united", "named",
    "limited", "advanced", "detailed", "interested", "concerned", "involved", "related", "supposed",
    "need", "speed", "feed", "seed", "bleed", "breed", "indeed", "hundred", "kindred", "sacred", "naked",
    "wicked", "aged", "rugged", "beloved", "red", "bed", "shed", "wed", "embed", "ahead", "dead", "proceed",
    "succeed", "exceed", "agreed", "freed", "teamed", "owned", "listed", "rated", "priced", "dated",
}
_PASSIVE_AUX = re.compile(r"\b(?:be|been|being|is|are|am|'s|'re|get|gets)\s+(?:\w+\s+)?$", re.I)
_COPULA_BEFORE = re.compile(r"\b(?:is|are)\s+(?:on\s+|for\s+|set\s+for\s+|slated\s+for\s+)?$", re.I)
# "declared Friday a day of mourning", "named Monday as the deadline": the day is
# what is declared, so it lies ahead (a day is not declared a holiday after it)
_DECLARED_BEFORE = re.compile(r"\b(?:declared?|declares|designated?|designates|proclaimed?|proclaims|named?|names)\s+$", re.I)
_DECLARED_AFTER = re.compile(r"^\s+(?:as\s+(?:a|an|the)|a|an)\s", re.I)
_SENT_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"“‘(]?[A-Z])|\n")


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - 140)
    hi = min(len(text), end + 100)
    left = text[lo:start]
    cut = lo
    for m in _SENT_BREAK.finditer(left):
        cut = lo + m.end()
    right = text[end:hi]
    m2 = _SENT_BREAK.search(right)
    return cut, (end + m2.start() + 1) if m2 else hi


def tense_near(text: str, start: int, end: int) -> str | None:
    """"past", "future" or None from the verbs nearest to ``text[start:end]`` in its sentence.

    A cheap stand-in for a tagger: modal and scheduling words mark the
    future, "said" and past-tense forms the past; the marker closest to the
    expression wins, so in "said Wednesday that talks will resume Thursday"
    Wednesday is past and Thursday future.
    """
    lo, hi = _clause(text, start, end)
    # "the vote is Sunday", "the deadline is on Friday": a schedule, so ahead
    if _COPULA_BEFORE.search(text[max(lo, start - 16):start]):
        return "future"
    if _DECLARED_BEFORE.search(text[max(lo, start - 16):start]) and _DECLARED_AFTER.match(text[end:hi]):
        return "future"
    best: tuple[int, str] | None = None
    for rx, label in ((_FUTURE, "future"), (_PAST, "past")):
        for seg_lo, seg in ((lo, text[lo:start]), (end, text[end:hi])):
            for m in rx.finditer(seg):
                word = m.group(0).lower()
                if label == "future":
                    a = seg_lo + m.start()
                    if word == "may" and text[a] == "M":
                        continue  # the month, not the modal
                    # "had been scheduled to expire", "as previously planned": a plan in the past
                    if re.search(r"\b(?:had|was|were|previously|originally)\b[^.;]{0,24}$",
                                 text[max(lo, a - 30):a], re.I):
                        word = "__past__"
                if label == "past":
                    if word in _NOT_PAST or word.endswith("eed") or (word.startswith("un") and word.endswith("ed")):
                        continue
                    a = seg_lo + m.start()
                    # "rebel-held", "Russian-backed": compounds, not verbs
                    if a > 0 and text[a - 1] == "-":
                        continue
                    # passives after be/is ("is expected", "will be held") are not past tense
                    if word.endswith("ed") or word in ("held", "made", "sent", "met"):
                        before = text[max(lo, a - 20):a]
                        if _PASSIVE_AUX.search(before):
                            continue
                a = seg_lo + m.start()
                b = seg_lo + m.end()
                dist = start - b if b <= start else a - end
                # markers after the expression count a little less than those before it
                score = dist if b <= start else dist + 8
                if best is None or score < best[0]:
                    best = (score, "past" if word == "__past__" else label)
    return best[1] if best else None


@dataclass
class Ctx:
    """Per-document state the rules read and update while normalising in text order."""

    text: str
    ref: date | None
    last_day: tuple[int, date] | None = None  # end offset, date of the last day-level expression
    day_counts: dict[date, int] = field(default_factory=dict)  # how often each day was named so far
    fin: tuple[int, str, int, int] | None = None  # end offset, "Q"/"Y", year, quarter
    last_year: tuple[int, int] | None = None  # end offset, year of the last explicit year

    def tense(self, start: int, end: int) -> str | None:
        return tense_near(self.text, start, end)

    def note_day(self, end: int, d: date) -> None:
        """Record a day-level expression ending at ``end``."""
        self.last_day = (end, d)
        self.day_counts[d] = self.day_counts.get(d, 0) + 1

    def anchor_day(self, pos: int, window: int = 400) -> date | None:
        """The day an undated "at dawn" or "at 5 a.m." belongs to.

        A day named just before (within ``window`` characters) wins; past
        that, the day the story has named most often so far (the day it is
        about), then the reference date.
        """
        if self.last_day and pos - self.last_day[0] <= window:
            return self.last_day[1]
        if self.day_counts:
            best = max(self.day_counts.values())
            top = [d for d, n in self.day_counts.items() if n == best]
            return self.last_day[1] if self.last_day and self.last_day[1] in top else max(top)
        return self.ref

    def quarter_context(self, pos: int, window: int = 500) -> tuple[int, int] | None:
        """(year, quarter) when the nearby text is about a quarter's results."""
        if self.fin and self.fin[1] == "Q" and pos - self.fin[0] <= window:
            return self.fin[2], self.fin[3]
        return None

_DATE_PREFIX = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]+)?\s+", re.I)
_CLOCK_RULES = {"clock", "clock24", "clock4", "clock_prep", "oclock", "noon"}
_DAY_VALUE = re.compile(r"^(?:\d{4}-\d{2}-\d{2}|XXXX-XX-XX|XXXX-WXX-\d)$")
_GAP_TIME_DAY = re.compile(r"^(?:\s*,\s*|\s+on\s+|\s+)$")
_GAP_DAY_TIME = re.compile(r"^(?:\s*,\s*|\s+)(?:at\s+|from\s+|around\s+|about\s+)?$")


def reference_from_text(text: str) -> tuple[str | None, int]:
    """The ``date YYYY-MM-DD`` prefix of a plain-text article, and where the body starts.

    >>> reference_from_text(" date 2016-12-14 Fighting resumed.")
    ('2016-12-14', 17)
    """
    m = _DATE_PREFIX.match(text)
    return (m.group(1), m.end()) if m else (None, 0)


def _candidates(text: str, start: int) -> list[tuple[int, int, int, re.Match[str]]]:
    out = []
    for idx, rule in enumerate(RULES):
        has_x = "x" in rule.rx.groupindex
        for m in rule.rx.finditer(text, start):
            if m.end() == m.start():
                continue
            if rule.accept is not None and not rule.accept(m, text):
                continue
            s, e = m.span("x") if has_x and m.group("x") is not None else m.span()
            # extents never start or end in whitespace or a trailing comma
            while s < e and text[s].isspace():
                s += 1
            while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
                e -= 1
            if e > s:
                out.append((s, e, idx, m))
    return out


def _select(text: str, cands: list[tuple[int, int, int, re.Match[str]]]) -> list[tuple[int, int, int, re.Match[str]]]:
    """Longest spans first, earlier rules on ties; overlapping spans lose."""
    taken = bytearray(len(text) + 1)
    chosen = []
    for c in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[2], c[0])):
        s, e = c[0], c[1]
        if any(taken[s:e]):
            continue
        taken[s:e] = b"\x01" * (e - s)
        chosen.append(c)
    chosen.sort(key=lambda c: c[0])
    return chosen


def _merge_clock_and_day(text: str, found: list[tuple[int, int, str, str, str]]) -> list[tuple[int, int, str, str, str]]:
    """Join "10 p.m. Wednesday" and "Wednesday at 10 p.m." into one TIME (the clock-first reading wins)."""
    out: list[tuple[int, int, str, str, str]] = []
    i = 0
    while i < len(found):
        s, e, typ, val, rule = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        if rule in _CLOCK_RULES and nxt is not None:
            ns, ne, ntype, nval, _ = nxt
            if ntype == "DATE" and _DAY_VALUE.match(nval) and _GAP_TIME_DAY.match(text[e:ns]):
                out.append((s, ne, "TIME", nval + "T" + val.split("T", 1)[1], "merged"))
                i += 2
                continue
        if rule in _CLOCK_RULES and out:
            ps, pe, ptype, pval, prule = out[-1]
            if prule != "merged" and ptype == "DATE" and _DAY_VALUE.match(pval) and _GAP_DAY_TIME.match(text[pe:s]):
                out[-1] = (ps, e, "TIME", pval + "T" + val.split("T", 1)[1], "merged")
                i += 1
                continue
        out.append(found[i])
        i += 1
    return out


def find_timexes(text: str, reference_date: str | None, *, start: int = 0, article_id: str = "") -> list[TimeExpr]:
    """Temporal expressions in ``text``, normalised against ``reference_date``.

    Args:
        text: the article text exactly as read; offsets index into it.
        reference_date: publication date ``YYYY-MM-DD`` (a datetime is cut to
            its date); None or invalid gives ``XXXX``-style values for
            relative expressions ("Wednesday" -> ``XXXX-WXX-3``).
        start: offset to begin scanning at; at 0 a leading ``date YYYY-MM-DD``
            prefix is skipped (and gives the reference date when none is passed).
        article_id: copied into each result.

    Returns:
        Non-overlapping :class:`TimeExpr` values in text order, with
        ``text[t.start:t.end] == t.text``.

    Example:
        >>> [t.value for t in find_timexes("He will meet them Thursday.", "2016-12-14")]
        ['2016-12-15']
    """
    if not text or start >= len(text):
        return []
    if start == 0:
        prefix_date, start = reference_from_text(text)
        reference_date = reference_date or prefix_date
    ctx = Ctx(text=text, ref=parse_ref(reference_date))
    found: list[tuple[int, int, str, str, str]] = []
    for s, e, idx, m in _select(text, _candidates(text, start)):
        rule = RULES[idx]
        try:
            got = rule.norm(m, ctx, s, e)
        except (ValueError, OverflowError):
            got = None  # a calendar edge (year 1 or 9999): better nothing than a wrong value
        if got is None:
            continue
        found.append((s, e, got[0], got[1], rule.name))
    found = _merge_clock_and_day(text, found)
    return [TimeExpr(start=s, end=e, text=text[s:e], type=typ, value=val, article_id=article_id)  # type: ignore[arg-type]
            for s, e, typ, val, _ in found]


def dates_json(article_text: str, reference_date: str | None) -> list[dict[str, Any]]:
    """The ``newsweave dates`` contract: ``[{"start", "end", "text", "type", "value"}]``.

    A leading ``date YYYY-MM-DD`` prefix is skipped, and gives the reference
    date when none is passed.

    >>> dates_json(" date 2016-12-14 Shelling resumed late Tuesday.", None)[0]["value"]
    '2016-12-13'
    """
    prefix_date, body = reference_from_text(article_text)
    ref = reference_date or prefix_date
    return [{"start": t.start, "end": t.end, "text": t.text, "type": t.type, "value": t.value}
            for t in find_timexes(article_text, ref, start=body)]
