"""Figures: numbers that count or measure something, with what they count and who gave them.

One rule engine serves both paths. Number cores come from
:mod:`newsweave.analyze.figures_numbers` (digits, number words, vague amounts,
shares, ranges, changes; dates, times, ages and identifiers dropped). Here
each core gets its phrase: the qualifier to the left, the unit or the counted
noun to the right (with a spaCy Doc the counted noun is chosen with
part-of-speech tags: "250 wanted militant fighters" -> "fighters"), what
happened to the counted things and the figure's kind
(:mod:`newsweave.analyze.figures_events`), who gave it
(:mod:`newsweave.analyze.figures_speakers`) and its date (a date expression in
its sentence, else the article's date).

A bare number borrows what it counts from the figure it answers ("the union
says 4,000 workers joined; the authority says 1,200 did"). Breakdowns ("82
civilians, including 11 women and 13 children") point to the figure they break
down through :attr:`Figure.parent`. What the rules are unsure of is written to
:attr:`Figure.doubts`; the briefing leaves such figures out, the analysis
output keeps them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from newsweave.analyze.figures_cues import (
    adjacent_event,
    event_noun_before,
    event_of,
    frame_from_rules,
    is_revision,
)
from newsweave.analyze.figures_events import Frame, frame_from_doc, has_parse, noun_event
from newsweave.analyze.figures_numbers import (
    NumberCore,
    currency_before,
    is_excluded,
    number_cores,
    qualifier_after,
    qualifier_before,
    time_after,
    unit_after,
)
from newsweave.analyze.figures_speakers import Context, actor_name, attribution
from newsweave.models import Article, Entity, Figure, Quote, Sentence, TimeExpr

__all__ = ["extract_figures", "figure_dict", "figures_json", "doc_matches", "is_human", "NLP_COMPONENTS"]

# The spaCy components this stage reads (tags, and the parse when it is there); the orchestrator unions them.
NLP_COMPONENTS = ("tok2vec", "tagger")
_WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])


def _wordset(words: str) -> frozenset[str]:
    """A set from a whitespace-separated word list (keeps long lexicons readable)."""
    return frozenset(words.split())


_WORD = re.compile(r"[A-Za-z][\w'’.\-]*[\w]|[A-Za-z]")
_STOP = _wordset(
    """and or but of in on at to from by with for as into than that which who whom whose were was is are be
    been being have has had will would could should may might can did do does said says say told still also
    already more most per each a an the it they he she we their its his her this these those there here when
    while after before since during until across over under about around among including such not no just
    only so then according all both some many other another across near nearly what where why how if
    whether because though although yet now again even ago later earlier yesterday today tomorrow tonight"""
) | _WEEKDAYS
_IRREGULAR = _wordset(
    "people men women children police personnel staff troops cattle sheep livestock militia clergy "
    "youth deaths dead wounded injured casualties data media"
)
_MONTH_WORDS = _wordset(
    "january february march april june july august september october november december"
)
_HUMAN_RIGHT = re.compile(
    r"^\s+(?:(?:have|had|were|are|was|has|had|reportedly|already|also|been|now|still)\s+){0,3}"
    r"(?:fled|died|killed|wounded|injured|escaped|remain|remained|trapped|evacuated|arrived|crossed|"
    r"arrested|detained|drowned|missing|displaced|perished|dead|left\s+(?!\w+\s+(?:to|for))|were\s+killed)\b",
    re.I,
)
_HUMAN_LEFT = re.compile(
    r"\b(?:killed|killing|kill|kills|wounded|wounding|injured|injuring|evacuated|evacuating|rescued|"
    r"displaced|displacing|arrested|detained|executed|executing|massacred|slaughtered|claimed\s+the\s+lives\s+of|"
    r"lives\s+of)\s+(?:(?:some|about|at\s+least|more\s+than|an\s+estimated|nearly|around|over)\s+)?$",
    re.I,
)
_TOLL_LEFT = re.compile(r"\b(?:death\s+toll|toll)\b[^.;]{0,80}\b(?:to|at|of|reached|hit)\s+$", re.I)
_NUMBER_OF = re.compile(r"\bnumbers?\s+of\s+(?=[A-Za-z])", re.I)
_BREAKDOWN_GAP = re.compile(
    r"^\s*(?:,|\(|—|–|-)?\s*(?:including|among\s+them|among\s+whom|of\s+whom|of\s+them|of\s+which|incl\.|such\s+as)\s+$",
    re.I,
)
_AND_GAP = re.compile(r"^\s*(?:,|and|,\s*and|as\s+well\s+as)\s*$", re.I)
_OF_THEM = re.compile(r"^\s+of\s+(?:them|whom|those)\s+(?:(?:were|are|was)\s+)?", re.I)


class _Tags:
    """Penn tags looked up by character offset (binary search in the Doc, nothing copied)."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc

    def get(self, off: int) -> str | None:
        span = self.doc.char_span(off, off + 1, alignment_mode="expand")
        if span is None or len(span) == 0 or span[0].idx != off:
            return None
        return str(span[0].tag_)


def doc_matches(doc: Any, text: str) -> bool:
    """True when ``doc`` was parsed from ``text`` (cheap: no ``doc.text`` join)."""
    if len(doc) == 0:
        return not text.strip()
    last = doc[len(doc) - 1]
    return bool(last.idx + len(last.text_with_ws) == len(text) and doc[0].text == text[doc[0].idx:doc[0].idx + len(doc[0].text)])


def _word_class(word: str, off: int, tags: _Tags | None) -> str:
    """'plural' | 'noun' | 'mod' | 'stop' for the counted-noun scan."""
    lw = word.lower()
    if lw in _STOP or lw in _MONTH_WORDS or word == "May":
        return "stop"
    hyphen = word.rfind("-")
    tag = tags.get(off + hyphen + 1 if hyphen > 0 else off) if tags is not None else None  # "remote-controlled": its last part
    if tag is not None:
        if tag in ("NNS", "NNPS"):
            return "plural"
        if tag in ("NN", "NNP"):
            return "noun"
        if tag in ("JJ", "JJR", "JJS", "VBN", "VBG", "VBD", "HYPH", "POS"):
            return "mod"
        return "stop"
    if lw in _IRREGULAR:
        return "plural"
    if lw.endswith(("'s", "’s", "'")):
        return "mod"
    if lw.endswith(("ed", "ing")):
        return "mod"
    if lw.endswith("s") and not lw.endswith(("ss", "us", "is", "ous")) and len(lw) > 3:
        return "plural"
    return "noun"


def _counted(text: str, pos: int, s1: int, tags: _Tags | None, share: bool = False) -> tuple[str | None, int]:
    """The head noun of the counted phrase starting at ``pos`` and where it ends."""
    of = r"\s+(?:of\s+)?" if share else r"\s+of\s+"
    m = re.match(of + r"(?:(?:the|their|its|his|her|these|those)\s+)?", text[pos:s1], re.I)
    if m and not re.match(r"\s+of\s+(?:them|whom|which|us|those)\b", text[pos:s1], re.I):
        pos += m.end()
        nm = re.match(r"\s*[\d,.]+\s+(?=[A-Za-z])", text[pos:s1])  # "68 of the 150 seats"
        if nm:
            pos += nm.end() - 1
    more = re.match(r"\s+(?:more|additional|extra|further|other|new)\b(?!\s+than)", text[pos:s1], re.I)
    if more:
        pos += more.end()  # "eight more deputies"
    last: tuple[str, int] | None = None
    for n, w in enumerate(_WORD.finditer(text, pos, min(s1, pos + 80)), 1):
        gap = text[pos:w.start()]
        if gap.strip() and gap.strip() not in ("-",):
            break  # punctuation ends the phrase
        cls = _word_class(w.group(0), w.start(), tags)
        if cls == "stop":
            break
        if cls == "plural":
            return w.group(0), w.end()
        if cls == "noun":
            last = (w.group(0), w.end())
        elif last is not None:
            break  # a modifier after the noun: "population displaced"
        pos = w.end()
        if n >= 5:
            break
    if last:
        return last
    return None, pos


def _elliptic_counted(text: str, start: int, end: int, s0: int, s1: int, tags: _Tags | None) -> str | None:
    """What a bare number counts: 'killed hundreds' -> people; 'the number of X ... 2,000' -> X."""
    left = text[max(s0, start - 60):start]
    if _TOLL_LEFT.search(left):
        return "deaths"
    if _HUMAN_LEFT.search(left) or _HUMAN_RIGHT.match(text[end:min(s1, end + 60)]):
        return "people"
    m = None
    for m in _NUMBER_OF.finditer(text, s0, start):  # noqa: B007 - the last one before the figure
        pass
    if m:
        word, _ = _counted(text, m.end() - 1, start, tags)
        return word
    return None


_HUMAN = _wordset(
    """miners drivers pickets stewards fishermen sailors seafarers guards engineers deputies senators teenagers
    tenants traders shopkeepers recruits conscripts medics paramedics pensioners seekers MPs relatives
    people person persons civilians civilian residents resident inhabitants children child women woman men man
    workers worker members member employees staff dockers strikers fighters fighter soldiers troops rebels
    militants insurgents police officers policemen personnel refugees migrants evacuees patients doctors nurses
    students pupils voters protesters demonstrators passengers crew families individuals adults boys girls
    babies infants victims survivors prisoners detainees hostages captives journalists volunteers
    firefighters rescuers pilgrims tourists miners farmers villagers citizens nationals settlers jihadists
    gunmen commanders officials delegates lawmakers deaths dead wounded injured casualties bodies teachers
    population families households""")


def is_human(counted: str | None) -> bool:
    """Whether a counted noun names people (then what happened to them matters).

    >>> is_human("civilians"), is_human("buses")
    (True, False)
    """
    if not counted:
        return False
    w = counted.lower().split()[-1]
    return w in _HUMAN or w.endswith(("workers", "men", "women", "fighters", "people"))


_ELLIPSIS_VERB = re.compile(r"^\s+(?:(?:have|had|has|were|are|was|did|do|does|will|would)\b|(?:now\s+)?(?:did|do)\b)", re.I)


def _antecedent(out: list[Figure], text: str, sent: Sentence, start: int, end: int, tags: _Tags | None) -> tuple[str | None, int | None]:
    """What a bare number counts, from the figure it answers: the nearest counted figure
    before it in its sentence (else right after it), or the last one of the sentence
    before; a bare subject ("at least 14 were anchored") takes the last plural noun before it."""
    same = [i for i, f in enumerate(out) if f.sentence_index == sent.index and f.counted and not f.unit
            and f.end <= start]
    if same:
        return out[same[-1]].counted, same[-1]
    value = _value_at(text, start, end)
    for i in range(len(out) - 1, -1, -1):  # "We have counted 38": the "38 bodies" said before
        f = out[i]
        if f.sentence_index < sent.index - 4:
            break
        if f.counted and not f.unit and value is not None and f.value == value and f.sentence_index < sent.index:
            return f.counted, i
    ellipsis = bool(_ELLIPSIS_VERB.match(text[end:sent.end]))
    prev = [i for i, f in enumerate(out) if f.sentence_index == sent.index - 1 and f.counted and not f.unit]
    if prev and (ellipsis or re.search(r"\bthe\s+(?:number|figure|total|count)\b|\bcloser\s+to\b",
                                       text[sent.start:start], re.I)):
        return out[prev[-1]].counted, prev[-1]  # "... 4,000 of its members walked out. The authority says 1,200 did."
    if ellipsis:
        words = list(_WORD.finditer(text, sent.start, start))
        for w in reversed(words[-8:]):
            if _word_class(w.group(0), w.start(), tags) == "plural" and w.group(0).lower() not in ("talks",):
                return w.group(0), None  # "the ships wait: at least 14 were anchored"
    return None, None


def _number_of_event(text: str, sent: Sentence, start: int) -> str | None:
    """What happened to "the number of people leaving" that a bare figure gives."""
    m = None
    for m in _NUMBER_OF.finditer(text, sent.start, start):  # noqa: B007 - the last one before the figure
        pass
    if m is None:
        return None
    phrase = text[m.end():min(start, m.end() + 40)]
    return event_of(phrase, 0, 0) or None


def _value_at(text: str, start: int, end: int) -> float | None:
    """The value of the single number core in ``text[start:end]``."""
    cores = number_cores(text, start, end)
    return cores[0].value if len(cores) == 1 and cores[0].high is None else None


_HARM = frozenset(["killed", "injured", "casualties", "detained", "missing", "damaged", "displaced"])
_OFFER_NOUNS = frozenset(["offer", "offers", "bid", "proposal"])
_DATE_VALUE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")


class _Dates:
    """The date expressions that can date a figure, in text order; built once per article, so
    dating a figure looks only at its own sentence (one long line may hold thousands of both)."""

    def __init__(self, timexes: Sequence[TimeExpr], article: Article) -> None:
        text = article.text
        self.items: list[tuple[int, int, str]] = []  # (start, end, the date part of the value)
        for t in sorted(timexes, key=lambda t: t.start):
            if t.type not in ("DATE", "TIME"):
                continue
            m = _DATE_VALUE.match(t.value)
            if re.search(r"\b(?:since|until|till|from)\s+$", text[max(0, t.start - 8):t.start], re.I):
                continue  # "since Sunday" starts a period, it does not date the figure
            if not m or (article.date and article.date.startswith(m.group(0)) and len(m.group(0)) < 10):
                continue  # "this year" says less than the article's date
            self.items.append((t.start, t.end, m.group(0)))
        self.starts = [it[0] for it in self.items]


def _date_of(dates: _Dates, sent: Sentence, start: int, end: int, article: Article,
             speaker: tuple[int, int] | None = None) -> str | None:
    """The date a figure was given: the date expression of its sentence nearest to who gave it
    ("X said on Monday it would cut 1,800 jobs by next March": Monday), else nearest to it, else
    the article's date (an expression before it wins a tie)."""
    if speaker is not None:
        start, end = speaker
    lo, hi = bisect_left(dates.starts, sent.start), bisect_left(dates.starts, sent.end)
    mid = min(max(lo, bisect_left(dates.starts, end)), hi)
    # Date expressions do not overlap, so distance grows outwards from the figure on each side:
    # the first one found on a side (skipping any inside the span itself) is the nearest there.
    after = next(((s - end, v) for s, _, v in dates.items[mid:hi]), None)
    before = next(((start - e, v) for s, e, v in reversed(dates.items[lo:mid]) if not start <= s < end), None)
    if before is not None and (after is None or before[0] <= after[0]):
        return before[1]
    return after[1] if after is not None else article.date


def _sentence_doc(doc: Any, text: str, sent: Sentence) -> tuple[Any, int]:
    """The parse to read a sentence in, and the offset of its text: the article's Doc, or,
    when the parser tied the sentence to words outside it (a "date 2025-03-04" line or a
    headline run into the first sentence), a parse of the sentence alone."""
    span = doc.char_span(sent.start, sent.end, alignment_mode="expand")
    if span is None or all(span.start <= t.head.i < span.end and all(span.start <= c.i < span.end for c in t.children)
                           for t in span):
        return doc, 0
    from newsweave.analyze.nlp import ALL_COMPONENTS, get_nlp

    try:
        return get_nlp(ALL_COMPONENTS)(text[sent.start:sent.end]), sent.start
    except Exception:  # noqa: BLE001 - a failed re-parse leaves the article's Doc
        return doc, 0


def _frame(doc: Any | None, ctx: Context, sent: Sentence, start: int, end: int) -> Frame:
    text, cache = ctx.text, ctx.cache_docs
    if has_parse(doc):
        parsed = frame_from_doc(doc, sent.start, sent.end, start, end)
        if parsed is not None and parsed.crossed:  # re-read in a parse of its sentence alone (rare, and cached)
            if sent.index not in cache:
                cache[sent.index] = _sentence_doc(doc, text, sent)
            sdoc, off = cache[sent.index]
            if off:
                again = frame_from_doc(sdoc, 0, sent.end - off, start - off, end - off)
                if again is not None:
                    shift = lambda sp: None if sp is None else (sp[0] + off, sp[1] + off)  # noqa: E731
                    return replace(again, speaker=shift(again.speaker), actor=shift(again.actor))
        if parsed is not None:
            return parsed
    return frame_from_rules(ctx.sentence_text(sent), start - sent.start, end - sent.start)


def _phrase(text: str, c: NumberCore, sent: Sentence, tags: _Tags | None) -> tuple[int, int, str | None, str | None, str | None, bool] | None:
    """(start, end, qualifier, unit, counted, of_them) of the figure around a core, or None when it is no figure."""
    if is_excluded(text, c, sent.start, sent.end):
        qual, _ = qualifier_before(text, c, sent.start)
        if not (qual and c.kind == "words" and c.value == 1 and not time_after(text, c.end, sent.end)):
            return None  # "at least one civilian" still counts
    qual, start = qualifier_before(text, c, sent.start)
    if c.kind == "share" and not qual and not re.match(r"\s+(?:of\b|the\b|its\b|their\b)", text[c.end:sent.end]):
        return None  # "half" alone is rarely a figure
    qual, end = qualifier_after(text, c.end, sent.end, qual)
    unit, cur_start = currency_before(text, c.start, sent.start)
    if unit is not None:  # "an estimated $35 million": the qualifier stands before the sign
        qual2, start = qualifier_before(text, NumberCore(cur_start, c.end, c.value, c.high, c.kind), sent.start)
        qual = qual or qual2
    if unit is None:
        unit, end = unit_after(text, end)
        if unit is None and c.kind == "share":
            unit = "share"
    of_them = _OF_THEM.match(text[end:sent.end])
    counted, cend = _counted(text, end + (of_them.end() - 1 if of_them else 0), max(sent.end, end), tags,
                             share=c.kind == "share" or unit == "%")
    if counted and unit not in (None, "share", "%"):
        counted = None if not re.match(r"\s+of\b", text[end:sent.end], re.I) else counted
    if counted:
        end = cend
        qual, end = qualifier_after(text, end, sent.end, qual)  # "100 jobs or more"
    elif unit is None:
        counted = _elliptic_counted(text, start, end, sent.start, sent.end, tags)
    if c.kind == "words" and c.value == 1 and not qual and not counted:
        return None
    return start, end, qual, unit, counted, bool(of_them)


def extract_figures(
    article: Article,
    sentences: Sequence[Sentence],
    doc: Any | None = None,
    quotes: Sequence[Quote] = (),
    entities: Sequence[Entity] = (),
    timexes: Sequence[TimeExpr] = (),
) -> tuple[Figure, ...]:
    """Numbers that count or measure something in one article.

    Args:
        article: the article; offsets are into ``article.text``.
        sentences: its sentences (:func:`newsweave.analyze.sentences.split_sentences`).
        doc: an optional spaCy Doc of ``article.text``: tags give better counted nouns,
            a dependency parse better events, kinds and speakers.
        quotes: the article's quotes; a figure inside one is attributed to its speaker.
        entities: the article's entities; attributions are given their full names.
        timexes: the article's date expressions; a figure takes the date of its sentence.

    Returns:
        Figures in text order; breakdowns carry the index of their parent figure.

    Example:
        >>> from newsweave.models import Article
        >>> from newsweave.analyze.sentences import split_sentences
        >>> a = Article("At least 82 civilians, including 11 women, died, the monitor said.")
        >>> [(f.value, f.qualifier, f.counted, f.event, f.parent) for f in extract_figures(a, split_sentences(a))]
        [(82.0, 'at least', 'civilians', 'killed', None), (11.0, None, 'women', 'killed', 0)]
    """
    text = article.text
    if doc is not None and not doc_matches(doc, text):
        doc = None  # a Doc of other text would give wrong tags
    tags = _Tags(doc) if doc is not None else None
    ctx = Context(text, sentences, quotes, entities, doc, {})
    dates = _Dates(timexes, article)
    out: list[Figure] = []
    for sent in sentences:
        if sent.boilerplate or not re.search(r"\d|[a-z]", text[sent.start:sent.end]):
            continue
        first_in_sentence = len(out)
        for c in number_cores(text, sent.start, sent.end):
            found = _phrase(text, c, sent, tags)
            if found is None:
                continue
            start, end, qual, unit, counted, of_them = found
            if (unit and len(out) > first_in_sentence and out[-1].unit
                    and re.fullmatch(r"\s*\(\s*", text[out[-1].end:start])):
                continue  # "2.5 sq. km (1 sq. mile)": the same measure converted
            parent = None
            if len(out) > first_in_sentence:
                prev = out[-1]
                gap = text[prev.end:start]
                if _BREAKDOWN_GAP.match(gap) or of_them:
                    parent = len(out) - 1
                elif _AND_GAP.match(gap) and prev.parent is not None:
                    parent = prev.parent
            out.append(_figure(article, ctx, out, c, sent, (start, end, qual, unit, counted), parent, doc, tags,
                               dates))
        for i in range(first_in_sentence, len(out) - 1):
            f, nxt = out[i], out[i + 1]
            if f.earlier and not f.counted and not f.unit and nxt.counted:
                # "raise the quota from 2,000 to 10,000 crates": the earlier number counts the same thing
                out[i] = replace(f, counted=nxt.counted, unit=nxt.unit, event=f.event or nxt.event,
                                 doubts=tuple(d for d in f.doubts if d != "what is counted"))
    return tuple(out)


def _figure(article: Article, ctx: Context, out: list[Figure], c: NumberCore, sent: Sentence,
            phrase: tuple[int, int, str | None, str | None, str | None], parent: int | None, doc: Any | None,
            tags: _Tags | None, dates: _Dates) -> Figure:
    """One figure with its frame (event, kind), speaker, date and doubts."""
    text = article.text
    start, end, qual, unit, counted = phrase
    frame = _frame(doc, ctx, sent, start, end)
    doubts: list[str] = []
    borrowed: int | None = None
    if counted == "people" and counted not in text[start:end]:
        # "9 miners died and 26 were trapped", "... leaving 16 still trapped": a count of people
        # guessed from a verb is a count of the people the sentence counted before
        before = [i for i, f in enumerate(out) if f.sentence_index == sent.index and is_human(f.counted)]
        if before:
            counted, borrowed = out[before[-1]].counted, before[-1]
    if not counted:
        counted = frame.counted if unit is not None else None
        if not counted and unit is None:
            counted, borrowed = _antecedent(out, text, sent, start, end, tags)
    event = (noun_event(counted) or event_noun_before(text, start) or adjacent_event(text, start, end)
             or frame.event or (None if counted and counted in text[start:end] else _number_of_event(text, sent, start)))
    if event is None and parent is not None:
        event = out[parent].event  # "82 civilians, including 11 women, were executed"
    if event is None and borrowed is not None:
        event = out[borrowed].event  # "... about 1,200 did": what the answered figure says
    kind = frame.kind
    if kind == "reported" and counted and counted.lower() in _OFFER_NOUNS:
        kind = "offered"  # "its 4.5% offer"
    if kind == "reported" and qual in ("estimated", "about") and re.search(r"estimated", text[start:end], re.I):
        kind = "estimated"
    if parent is not None and kind == "reported":
        kind = out[parent].kind
    who, sure = attribution(ctx, sent, start, end, frame)
    if (who is None or not sure) and frame.actor is not None and event not in _HARM:
        who, sure = actor_name(ctx, sent, frame.actor)  # "The province opened 14 shelters"
    if who is None and parent is not None:
        who = out[parent].attribution
    if who is None and borrowed is not None and frame.speaker is None and not frame.parsed:
        sure = False
    if not counted and not (event and unit and unit not in ("%", "share")):
        doubts.append("what is counted")  # "68", "30 kilometres", "9%" alone (not "4,200 hectares burned")
    if not sure:
        doubts.append("who gave it")
    return Figure(
        start=start, end=end, text=text[start:end], value=c.value, high=c.high, qualifier=qual,
        counted=counted, unit=unit, attribution=who, parent=parent, sentence_index=sent.index,
        article_id=article.id, event=event, kind=kind, date=_date_of(dates, sent, start, end, article, frame.speaker),
        earlier=c.earlier, revised=c.revised or is_revision(ctx.sentence_text(sent), start - sent.start),
        doubts=tuple(doubts),
    )


def figure_dict(f: Figure) -> dict[str, Any]:
    """One figure as the JSON object of ``newsweave figures FILE --json``.

    ``value`` is the figure's number (the low end of a range); ``low`` and
    ``high`` bound what its wording allows (``high`` null when open-ended, as
    in "at least 82"); ``sure`` is false when something about it is in doubt
    (``doubts`` says what), and such figures stay out of the briefing.
    """
    from newsweave.analyze.figures_numbers import bounds

    low, high = bounds(f.value, f.high, f.qualifier)
    return {
        "start": f.start, "end": f.end, "text": f.text, "value": _num(f.value), "high": _num(f.high),
        "qualifier": f.qualifier, "counted": f.counted, "unit": f.unit, "attribution": f.attribution,
        "parent": f.parent, "sentence_index": f.sentence_index,
        "low": _num(low), "bounds": [_num(low), _num(high)], "event": f.event, "kind": f.kind, "date": f.date,
        "earlier": f.earlier, "revised": f.revised, "sure": not f.doubts, "doubts": list(f.doubts),
    }


def _num(v: float | None) -> float | int | None:
    if v is None or v != v or v in (float("inf"), float("-inf")):
        return None
    return int(v) if float(v).is_integer() else round(v, 6)


def figures_json(article: Article) -> list[dict[str, Any]]:
    """The ``newsweave figures FILE --json`` contract for one article.

    Runs the whole analysis (quotes and entities make attributions better).

    Returns:
        ``[{"start", "end", "text", "value", "high", "qualifier", "counted", "unit",
        "attribution", "parent", "sentence_index", "low", "bounds", "event", "kind", "date",
        "earlier", "revised", "sure", "doubts"}]`` with offsets into ``article.text``.
    """
    from newsweave.analyze import analyze
    from newsweave.analyze.sentences import split_sentences

    if not any(number_cores(article.text, s.start, s.end) for s in split_sentences(article) if not s.boilerplate):
        return []  # no number anywhere that extract_figures would read: no figure, and no spaCy to load for it
    return [figure_dict(f) for f in analyze(article).figures]
