"""The timeline: dated events from resolved temporal expressions, merged across sources.

Each DATE or TIME expression whose value names a day (``2016-12-14``,
``2016-12-13TNI``, ``2016-12-14T23:30``) dates the sentence around it; the
sentence, trimmed to the clause holding the expression when it is long, is
the event. Events of the same day whose words overlap are one event, cited
to every sentence that states it and keeping every original wording
("late Tuesday", "on Tuesday night").

An event cites every sentence that states (the clause of) it, through the
fact model, dated or not; two events of a day that share words but
conflict (another number, a denial, a hedge) stay apart.

Left out on purpose: questions, boilerplate sentences (captions, credits), durations and
sets ("for five years", "every day"), vague references (``PRESENT_REF``,
``PAST_REF``) and values without a day (``2016-12``, ``2016-W50``): a timeline
of "this month" is no timeline.

Cost: events are blocked by day, and within a day merged through an
inverted index over their rarest words (:class:`OverlapClusterer`), so the
work is linear in the number of dated sentences.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsweave.models import Analysis, Citation, Fact, Sentence, SourceEntry, TimeExpr, TimelineEvent
from newsweave.synthesize.align import fact_support
from newsweave.synthesize.clauses import strip_dateline
from newsweave.synthesize.entail import Statement, conflicts, statement
from newsweave.synthesize.sources import SYNONYMS, OverlapClusterer, content_tokens

__all__ = ["build_timeline", "day_of", "event_clause"]

_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T(MO|AF|EV|NI|DT|\d{2}(?::\d{2})?))?")
# Rough hour of each TIMEX3 part of day, to order events within a day.
_PART_HOUR = {"MO": 8.0, "DT": 12.0, "AF": 15.0, "EV": 19.0, "NI": 22.0}
MAX_EVENT_WORDS = 35  # longer sentences are trimmed to the clause holding the date
MIN_CLAUSE_WORDS = 7
MERGE_OVERLAP = 0.5
#: Words two sentences of a day must share (besides the overlap share) to merge by their words.
MIN_SHARED_WORDS = 2
#: Share of the shorter statement's content words and numbers two retellings of one day's event share.
RETELL_SHARE = 0.4

_CLAUSE_BREAK = re.compile(
    r"\s*[;:]\s+|\s+[—–]\s+|,\s+(?=(?:but|and|while|as|which|after|before|when|where|though|although|"
    r"saying|once|since|until|whereas|because)\b)"
    r"|\s+(?=(?:as|while|because|although|whereas)\s+(?:the|a|an|his|her|its|their|[A-Z])\w*\s)"
)
# An expression must name its day: a weekday, a month, a date, today/yesterday.
# A bare "at dawn" or "11:30 p.m." is resolved to the publication day by
# default, which is wrong as often as not in a piece written overnight.
_DAY_ANCHOR = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:today|tonight|yesterday|tomorrow)\b"
    r"|\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}\b",
    re.I,
)
# Words that say when, not what: left out when comparing two events' words.
_WHEN_WORDS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tonight", "yesterday", "tomorrow", "morning", "afternoon", "evening", "night", "dawn", "late", "early", "hour", "day", "week"]
)
MAX_PER_DAY = 8


def day_of(value: str) -> tuple[str, float] | None:
    """The day (``YYYY-MM-DD``) of a TIMEX3 value and a rough hour for ordering.

    Date-only values sort first in their day (hour -1), then parts of day
    and clock times.

    >>> day_of("2016-12-13TNI"), day_of("2016-12-14"), day_of("2016-12-14T23:30"), day_of("2016-W50")
    (('2016-12-13', 22.0), ('2016-12-14', -1.0), ('2016-12-14', 23.5), None)
    """
    m = _DAY.match(value)
    if not m:
        return None
    part = m.group(2)
    if not part:
        return m.group(1), -1.0
    if part in _PART_HOUR:
        return m.group(1), _PART_HOUR[part]
    hh, _, mm = part.partition(":")
    return m.group(1), int(hh) + (int(mm) / 60 if mm else 0.0)


def event_clause(sentence: Sentence, start: int, end: int) -> tuple[str, int, int]:
    """The event text for an expression at ``[start, end)`` inside ``sentence``.

    Short sentences are kept whole; long ones are cut at clause breaks
    (semicolons, dashes, ", but", ", while" ...) to the clause holding the
    expression, widened with its neighbours until it reads on its own.
    Returns the text and its absolute offsets.
    """
    text = sentence.text
    if len(text.split()) <= MAX_EVENT_WORDS:
        return text, sentence.start, sentence.end
    cuts = [0]
    for m in _CLAUSE_BREAK.finditer(text):
        cuts.append(m.start())
        cuts.append(m.end())
    cuts.append(len(text))
    spans = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
    rel = start - sentence.start
    k = next((i for i, (s, e) in enumerate(spans) if s <= rel < e + 1), 0)
    lo, hi = k, k
    # Widen towards the sentence start first: the subject usually sits there.
    while len(text[spans[lo][0] : spans[hi][1]].split()) < MIN_CLAUSE_WORDS and (lo > 0 or hi < len(spans) - 1):
        if lo > 0:
            lo -= 1
        else:
            hi += 1
    s, e = spans[lo][0], spans[hi][1]
    clause = text[s:e].strip(" ,;:—–")
    s = s + text[s:e].find(clause)
    return clause, sentence.start + s, sentence.start + s + len(clause)


@dataclass
class _Event:
    day: str
    hour: float
    values: list[str] = field(default_factory=list)
    texts: list[tuple[str, tuple[int, int]]] = field(default_factory=list)  # (text, order key)
    citations: list[Citation] = field(default_factory=list)
    expressions: list[str] = field(default_factory=list)


def _sentence_at(sentences: Sequence[Sentence], starts: list[int], pos: int) -> Sentence | None:
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and sentences[i].start <= pos < sentences[i].end:
        return sentences[i]
    return None


def _dated(tx: TimeExpr) -> tuple[str, float] | None:
    if tx.type not in ("DATE", "TIME") or not _DAY_ANCHOR.search(tx.text):
        return None
    return day_of(tx.value)


_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{2,40},\s*$")
_DATELINE_END = re.compile(r"^\s*(?:\([^)]{1,40}\)\s*)?[-–—]")


def _in_dateline(sent: Sentence, tx: TimeExpr) -> bool:
    """"MARROWICK, March 10 (CPA) - ...": the date a wire story was filed, not an event."""
    rel_s, rel_e = tx.start - sent.start, tx.end - sent.start
    return bool(_DATELINE.match(sent.text[:rel_s])) and bool(_DATELINE_END.match(sent.text[rel_e:]))


def _in_direct_quote(an: Analysis, start: int) -> bool:
    # "Today there is more balance" inside a quote dates nothing the reader needs.
    return any(q.kind != "indirect" and q.content[0] <= start < q.content[1] for q in an.quotes)


_QUOTATION = re.compile(r"[“\"][^”\"]{12,}[”\"]")


def _support(fact: Fact | None, text: str, span: tuple[int, int]) -> tuple[Citation, ...]:
    """Every other sentence stating what the event's text (a sentence, or
    the clause of it holding the date) states; paraphrases too unless the
    text is a quotation."""
    if fact is None:
        return ()
    cits, paras = fact_support(fact, *span)
    return cits[1:] + (() if _QUOTATION.search(text) else paras)


def same_day_event(a: Statement, b: Statement) -> bool:
    """Whether two statements dated to one day tell one event in other
    words: a thing that happens in common (an event family: a vote, a toll,
    a flood) and a detail in common (a number, or another content word),
    with no conflict (numbers, stance) and no possibility against a report.
    The day in common is the caller's test; without it, this says too little.

    >>> same_day_event(statement("The service had put the toll at 23 on Monday."),
    ...                statement("The flood killed at least 23 people on Monday."))
    True
    >>> same_day_event(statement("The toll rose to 31 on Tuesday."), statement("The hospital counted 38 dead on Tuesday."))
    False
    """
    if a.hedged != b.hedged or conflicts(a, b):
        return False
    shared = set(a.content) & set(b.content)
    nums = a.numbers & b.numbers
    events = {t for t in shared if t.startswith("ev:")}
    if not events or not (shared - events) | nums:
        return False
    # What they share is much of what the shorter says: not two events that only share the story's topic.
    said = min(len(set(a.content)) + len(a.numbers), len(set(b.content)) + len(b.numbers))
    return len(shared) + len(nums) >= RETELL_SHARE * said


def _join_retellings(events: Sequence[_Event], items: Sequence[tuple[str, Citation]]) -> None:
    """Cite, for each event of a day, the articles that tell it in other
    words that day (:func:`same_day_event`): the first such sentence of each."""
    stmts = [statement(text) for text, _ in items]
    for ev in events:
        shown = statement(min(ev.texts, key=lambda t: t[1])[0])
        have = {c.article_id for c in ev.citations}
        for st, (_, cit) in zip(stmts, items):
            if cit.article_id not in have and same_day_event(shown, st):
                ev.citations.append(cit)
                have.add(cit.article_id)


def _shown(ev: _Event) -> str:
    return min(ev.texts, key=lambda t: t[1])[0]


def _place_undated(events: list[_Event], undated: set[str]) -> list[_Event]:
    """An undated article's days are estimates: its "Thursday" is read
    against the story's dates and may land a week off. An event only
    undated articles tell, that retells (:func:`same_day_event`) an event
    of the dated articles on the same weekday within two weeks, is that
    event: its citations and wordings join it, and it is not shown apart."""
    if not undated:
        return events
    dated = [ev for ev in events if any(c.article_id not in undated for c in ev.citations)]
    dated_ids = {id(ev) for ev in dated}
    out = []
    for ev in events:
        if id(ev) in dated_ids or not (day := _date(ev.day)):
            out.append(ev)
            continue
        st = statement(_shown(ev))
        home = next((f for f in dated if (fd := _date(f.day)) and (fd - day).days % 7 == 0
                     and abs((fd - day).days) <= 14 and same_day_event(statement(_shown(f)), st)), None)
        if home is None:
            out.append(ev)
            continue
        home.citations.extend(c for c in ev.citations if c not in home.citations)
        home.expressions.extend(x for x in ev.expressions if x not in home.expressions)
    return out


def _date(day: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(day)
    except ValueError:
        return None


def build_timeline(
    analyses: Sequence[Analysis],
    sources: Sequence[SourceEntry],
    facts: Sequence[Fact] = (),
    *,
    max_per_day: int | None = MAX_PER_DAY,
) -> tuple[TimelineEvent, ...]:
    """Dated events of a story, merged across its sources and in date order.

    Two dated sentences of one day are one event when their words overlap
    (half the smaller one's content words, dates left out), or when
    alignment put them in one fact.

    Args:
        analyses: one analysis per article (sentences and resolved time expressions).
        sources: the numbered sources (their order breaks ties between events).
        facts: aligned facts, when available: sentences of one fact merge.
        max_per_day: keep at most this many events per day, the best
            supported (most sources, then earliest in the lead); None keeps all.

    Returns:
        Events sorted by day, then part of day or clock time, then where the
        earliest source states them. Each event's text is the wording of the
        earliest source; ``citations`` point at every supporting sentence
        (representative first); ``expressions`` keep the original wordings.

    Example:
        >>> from newsweave.models import Article, Analysis, Sentence, TimeExpr, SourceEntry
        >>> art = Article("Talks resumed on Monday in the port city.", id="a")
        >>> s = Sentence("a", 0, 0, len(art.text), art.text)
        >>> an = Analysis(art, (s,), timexes=(TimeExpr(13, 22, "on Monday", "DATE", "2024-03-04", "a"),))
        >>> ev = build_timeline([an], [SourceEntry(1, "a", None, None, None, None, None, group=1)])
        >>> ev[0].date, ev[0].expressions
        ('2024-03-04', ('on Monday',))
    """
    number = {s.article_id: s.number for s in sources}
    raw: list[tuple[str, float, str, str, Citation, str, set[str]]] = []
    raw_spans: list[tuple[int, int]] = []
    for an in analyses:
        aid = an.article.id
        sents = an.sentences
        starts = [s.start for s in sents]
        seen: set[tuple[int, str]] = set()
        for tx in an.timexes:
            when = _dated(tx)
            if when is None or _in_direct_quote(an, tx.start):
                continue
            sent = _sentence_at(sents, starts, tx.start)
            if sent is None or sent.boilerplate or _in_dateline(sent, tx):
                continue
            if sent.text.rstrip().rstrip("\"”’'").endswith("?"):
                continue  # a question ("Can you win Thursday's vote?") dates no event
            text, s, e = event_clause(sent, tx.start, tx.end)
            cut = strip_dateline(text) if s == sent.start else 0
            text, s = text[cut:], s + cut  # "BRENNICK, Oct 14 (WNA) - " is no part of the event
            key = (s, when[0])
            if key in seen:  # "Tuesday ... late Tuesday" in one clause: one event
                continue
            seen.add(key)
            cit = Citation(aid, sent.index, sent.start, sent.end)
            toks = content_tokens(text, SYNONYMS) - _WHEN_WORDS
            raw.append((when[0], when[1], tx.value, text, cit, tx.text, toks))
            raw_spans.append((s, e))

    # The fact model: each sentence's own fact, and the sentences stating (part of) it.
    fact_of = {(f.citations[0].article_id, f.citations[0].sentence_index): f for f in facts if f.citations}
    members_of = {
        key: {(c.article_id, c.sentence_index) for c in (*f.citations, *f.paraphrases)} for key, f in fact_of.items()
    }
    by_day: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(raw):
        by_day[r[0]].append(i)

    events: list[_Event] = []
    for day, idx in by_day.items():
        # Earliest sources first, so each event's representative is the
        # earliest wording and merging is deterministic.
        idx.sort(key=lambda i: (number.get(raw[i][4].article_id, 10**9), raw[i][4].sentence_index))
        df: Counter[str] = Counter()
        for i in idx:
            df.update(raw[i][6])
        clusterer = OverlapClusterer(df, threshold=MERGE_OVERLAP)
        local: dict[int, _Event] = {}
        placed: dict[tuple[str, int], int] = {}  # sentence -> cluster id, within this day
        rep_stmt: dict[int, Statement] = {}  # cluster id -> its first member's features
        apart: dict[int, tuple[set[str], Statement]] = {}  # events set apart by a conflict
        rep_toks: dict[int, set[str]] = {}  # cluster id -> its first member's words
        for i in idx:
            _, hour, value, text, cit, expr, toks = raw[i]
            skey = (cit.article_id, cit.sentence_index)
            # Sentences the fact model says state the same thing are one event.
            same = next((placed[m] for m in sorted(members_of.get(skey, ())) if m in placed), None)
            st = statement(text)
            cid = same if same is not None else clusterer.add(toks)
            if same is None and cid in rep_toks and len(toks & rep_toks[cid]) < MIN_SHARED_WORDS:
                cid = -1 - i  # one word in common (a short clause's "deal") is no event in common
            if same is None and cid in rep_stmt and conflicts(st, rep_stmt[cid]):
                # Words in common but another number, stance or modality: another
                # event (one of those set apart before, or a new one).
                cid = next((c for c, (t, r) in apart.items()
                            if OverlapClusterer.overlap(toks, t) >= MERGE_OVERLAP and not conflicts(st, r)), -1 - i)
                apart.setdefault(cid, (toks, st))
            rep_stmt.setdefault(cid, st)
            rep_toks.setdefault(cid, toks)
            placed.setdefault(skey, cid)
            ev = local.get(cid)
            if ev is None:
                ev = local[cid] = _Event(day, hour)
            order = (number.get(cit.article_id, 10**9), cit.sentence_index)
            ev.values.append(value)
            ev.texts.append((text, order))
            for c in (cit, *_support(fact_of.get(skey), text, raw_spans[i])):
                if c not in ev.citations:
                    ev.citations.append(c)
            if expr not in ev.expressions:
                ev.expressions.append(expr)
        day_events = list(local.values())
        _join_retellings(day_events, [(raw[i][3], raw[i][4]) for i in idx])
        if max_per_day is not None and len(day_events) > max_per_day:
            # The best supported events of the day; ties to the earliest in a lead.
            groups = {s.article_id: s.group for s in sources}
            day_events.sort(key=lambda ev: (
                -len({groups.get(c.article_id, c.article_id) for c in ev.citations}),
                min(c.sentence_index for c in ev.citations),
                min(o for _, o in ev.texts),
            ))
            day_events = day_events[:max_per_day]
        events.extend(day_events)
    events = _place_undated(events, {an.article.id for an in analyses if not an.article.date})

    out = []
    for ev in events:
        counts = Counter(ev.values)
        # The most reported value; ties go to the more specific ("2016-12-13TNI").
        value = max(counts, key=lambda v: (counts[v], len(v)))
        when = day_of(value)
        hour = when[1] if when else ev.hour
        first_text, first_order = min(ev.texts, key=lambda t: t[1])
        out.append((ev.day, hour, first_order, TimelineEvent(value, first_text, tuple(ev.citations), tuple(ev.expressions))))
    out.sort(key=lambda t: (t[0], t[1], t[2]))
    return tuple(t[3] for t in out)
