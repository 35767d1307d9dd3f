"""Who gave a figure: the speaker of the quote or reporting cue around it.

First a quote or reported speech that contains the figure (the quotes stage
resolved its speaker); then a reporting cue in the same sentence ("X said",
"according to X", "..., said X", "X estimated", "X raised alarms"); pronouns
and descriptors ("he", "the monitor") go to the last named speaker a few
sentences back. Names are given their full form from the article's entities;
a phrase headed by a common noun ("Opponents of President X", "a source close
to the government") keeps its words rather than the name inside it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from newsweave.models import Entity, Quote, Sentence

_WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])


def _wordset(words: str) -> frozenset[str]:
    """A set from a whitespace-separated word list (keeps long lexicons readable)."""
    return frozenset(words.split())


@dataclass(slots=True)
class _Cue:
    start: int
    name: str
    span: tuple[int, int]


_CUE = re.compile(
    r"\b(?:said|says|say|told|tells|reported|announced|announces|stated|added|adds|confirmed|confirms|"
    r"claimed|claims|tweeted|wrote|writes|estimated|estimates|counted|recorded|documented|warned|warns|"
    r"accused|accuses|alleged|insisted|predicted|"
    r"(?:voiced|expressed|raised)\s+(?:(?:deep|grave|serious|growing)\s+)?(?:concerns?|alarms?|fears?)|"
    r"puts?\s+(?:the|its|their)\s+(?:[\w-]+\s+){0,6}?at|according\s+to)\b",
    re.I,
)
_SKIP_BACK = _wordset(
    """also later earlier previously separately had has have then further on late early last this
    yesterday today morning night evening afternoon in a statement again already has"""
) | _WEEKDAYS
_SUBJ_STOP = _wordset(
    """that which who when while as after before because if but said says told than where although though
    since whether what how was were is are be been being"""
)
_LEAD_STRIP = re.compile(r"^(?:(?:And|But|However|Meanwhile|Now|So|Also|Yet|Still|Separately|Then)\b[,\s]*)+")
_PRONOUNS = _wordset("he she it they we i")
_DESCRIPTOR = re.compile(
    r"^(?:[Tt]he|[Tt]his)\s+(?:monitor|group|agency|organi[sz]ation|watchdog|ministry|body|official|spokesman|"
    r"spokeswoman|spokesperson|statement|report|mission|office|network)$"
)
_TOKEN = re.compile(r"[\w'’.\-]+|[^\w\s]")
_TITLE_WORDS = _wordset(
    """deputy prime minister foreign defence defense interior president vice secretary general chief commander
    spokesman spokeswoman spokesperson ambassador envoy governor mayor senator director gen. col. mr. mrs. ms.
    dr. colonel activist researcher journalist analyst official resident doctor leader head adviser advisor
    coordinator correspondent commissioner king prince sheikh pope counterpart monitor lawyer witness"""
)
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|al|el|bin|ibn|abu|de|van|von|al-\w+|el-\w+)$")


def _strip_title(name: str) -> str:
    """'Turkey's Deputy Prime Minister Mehmet Simsek' -> 'Mehmet Simsek' (persons only)."""
    words = name.split()
    last_title = max((i for i, w in enumerate(words) if w.lower() in _TITLE_WORDS), default=-1)
    rest = words[last_title + 1:]
    lead_ok = all(w.lower() in _TITLE_WORDS or w[0].isupper() for w in words[:last_title])
    if last_title >= 0 and lead_ok and 1 <= len(rest) <= 4 and all(_NAME_WORD.match(w) for w in rest):
        return " ".join(rest)
    return name


def _subject_before(text: str, s0: int, cue_start: int) -> tuple[int, int] | None:
    """The noun phrase right before a reporting cue, as a span, or None."""
    toks = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(text, max(s0, cue_start - 200), cue_start)]
    while toks and toks[-1][2].lower() in _SKIP_BACK:
        toks.pop()
    kept: list[tuple[int, int, str]] = []
    for i in range(len(toks) - 1, -1, -1):
        tok = toks[i][2]
        low = tok.lower()
        if not (tok[0].isalnum() or tok[0] == "’" and tok.endswith("s")):
            break
        if low in _SUBJ_STOP or _CUE.fullmatch(tok):
            break
        if low == "and" and not (kept and kept[-1][2][0].isupper() and i > 0 and toks[i - 1][2][0].isupper()):
            break
        kept.append(toks[i])
        if len(kept) > 10:
            return None
    if not kept:
        # "Rami Haddad, the head of ..., said": the name before the apposition.
        seg = text[max(s0, cue_start - 200):cue_start].rstrip()
        m = re.search(r"(?:^|[.,;:“”\"]\s*)((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*),\s+"
                      r"(?:the|a|an|[a-z][\w-]*|[A-Z][\w-]*\s+(?:researcher|analyst|spokesman|"
                      r"spokeswoman|head|director|correspondent|commander))\b[^,]{2,120},$", seg)
        if m:
            base = cue_start - len(text[max(s0, cue_start - 200):cue_start]) + m.start(1)
            return base, base + len(m.group(1))
        return None
    kept.reverse()
    start, end = kept[0][0], kept[-1][1]
    lead = _LEAD_STRIP.match(text[start:end])
    if lead:
        start += lead.end()
    return (start, end) if start < end else None


def _subject_after(text: str, cue_end: int, s1: int) -> tuple[int, int] | None:
    """Inverted attribution: '..., said Ines Varga, a local activist.'"""
    m = re.match(r"\s+((?:(?:the|a|an)\s+)?(?:[A-Z][\w'’.-]*|of|for|al|de)(?:\s+(?:[A-Z][\w'’.-]*|of|for|al|de))*)",
                 text[cue_end:s1])
    if not m or not m.group(1)[0].isalpha():
        return None
    return cue_end + m.start(1), cue_end + m.end(1)


def _cues(text: str, s0: int, s1: int) -> list[_Cue]:
    out = []
    for m in _CUE.finditer(text, s0, s1):
        word = m.group(0).lower()
        if word.startswith("according"):
            sub = re.match(r"\s+((?:[^\s,.;:“”\"(]+|\.(?=\w))(?:\s+[^\s,;:“”\"(]+){0,9}?)(?=\s*(?:[,;:“”\"(]|\.(?:\s|$)|$|\s+(?:on|in)\s+[A-Z]))",
                           text[m.end():s1])
            if sub:
                a = m.end() + sub.start(1)
                out.append(_Cue(m.start(), text[a:a + len(sub.group(1))], (a, a + len(sub.group(1)))))
            continue
        before = text[max(s0, m.start() - 12):m.start()].lower()
        if word.startswith("estimate") and re.search(r"\b(?:an|the|is|are|was|were|been)\s+$", before):
            continue  # "an estimated 130,000" is a qualifier, "is estimated" has no speaker here
        span = _subject_before(text, s0, m.start())
        if span is None and re.search(r"[,”\"’]\s*$", text[max(s0, m.start() - 3):m.start()]):
            span = _subject_after(text, m.end(), s1)
        if span:
            out.append(_Cue(m.start(), text[span[0]:span[1]], span))
    return out


def _clean_speaker(name: str) -> str:
    name = name.strip(" ,;:")
    if name.endswith(".") and not re.search(r"\b[A-Z]\.$|\b(?:Mr|Mrs|Ms|Dr|Jr|Sr|Co|Inc|Ltd)\.$", name):
        name = name[:-1]
    if re.match(r"^[Tt]he\s+\w", name):
        name = name[4:]
    return _strip_title(name)


_PREP = re.compile(r"\s(?:of|for|from|close\s+to|with|in|at|near)\s")


def _common_head(name: str) -> bool:
    """'Opponents of President X', 'a source close to Y': a common noun heads the phrase."""
    prep = _PREP.search(name)
    if not prep:
        return False
    words = re.sub(r"^(?:[Tt]he|[Aa]n?)\s+", "", name[:prep.start()]).split()
    # Only the first word may be capitalised (sentence-initial "Opponents"), and it must not be a name.
    return bool(words) and all(w[:1].islower() for w in words[1:]) and (
        words[0][:1].islower() or (len(words) == 1 and words[0].lower().endswith("s")))


class _Mentions:
    """Every mention of the article's entities by start, to find those overlapping a span
    without reading them all (a long text may hold thousands, asked about once per figure)."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        rows = sorted((s, t, i, j) for i, e in enumerate(entities) for j, (s, t) in enumerate(e.mentions))
        self.entities = entities
        self.rows = rows
        self.starts = [r[0] for r in rows]
        self.reach = list(accumulate((r[1] for r in rows), max))  # furthest end among rows[:k + 1]

    def overlapping(self, start: int, end: int) -> list[tuple[Entity, int, int]]:
        """(entity, mention start, mention end) for mentions overlapping ``[start, end)``, in entity order."""
        hits = []
        k = bisect_left(self.starts, end) - 1  # rows[:k + 1] start before end
        while k >= 0 and self.reach[k] > start:
            s, t, i, j = self.rows[k]
            if t > start:
                hits.append((i, j, s, t))
            k -= 1
        return [(self.entities[i], s, t) for i, _, s, t in sorted(hits)]


def _canonical(name: str, span: tuple[int, int], entities: Sequence[Entity], doc: Any | None,
               mentions: _Mentions | None = None) -> str:
    """The full name of the speaker when the entities (or NER) know it."""
    if _common_head(name):
        return _clean_speaker(name)
    coord = re.search(r"\s(?:and|&)\s(?=[A-Z])", name)
    if coord and name[:1].isalpha():  # "the UN and Amnesty International": name both
        left = (span[0], span[0] + coord.start())
        right = (span[0] + coord.end(), span[1])
        return (f"{_canonical(name[:coord.start()], left, entities, doc, mentions)} and "
                f"{_canonical(name[coord.end():], right, entities, doc, mentions)}")
    prep = _PREP.search(name)
    head_end = span[0] + prep.start() if prep else span[1]
    if entities:
        over = (mentions or _Mentions(entities)).overlapping(span[0], head_end)
        persons = [x for x in over if x[0].label == "PERSON"]
        if persons:  # the first person named in the phrase is its head ("X from the Y group")
            return min(persons, key=lambda x: x[1])[0].name
        orgs = [x for x in over if x[0].label == "ORG"]
        if orgs:
            return max(orgs, key=lambda x: min(x[2], span[1]) - max(x[1], span[0]))[0].name
        for e, s, t in over:  # a country or group only when it is most of the phrase: "Russia", "the rebels"
            if e.label in ("GPE", "NORP") and (min(t, span[1]) - max(s, span[0])) >= 0.6 * (span[1] - span[0]):
                return e.name
        from newsweave.analyze.entities import find_by_name

        hit = find_by_name(entities, _clean_speaker(name[:prep.start()] if prep else name))
        if hit is not None and hit.label in ("PERSON", "ORG"):
            return hit.name
    elif doc is not None:
        for e in doc.ents:
            if e.label_ == "PERSON" and span[0] <= e.start_char and e.end_char == head_end:
                return str(e.text)
    return _clean_speaker(name)


class _QuoteIndex:
    """Quotes with a speaker by content start, to find those holding a figure without reading them all."""

    def __init__(self, quotes: Sequence[Quote]) -> None:
        rows = sorted((q.content[0], q.content[1], i) for i, q in enumerate(quotes) if q.speaker)
        self.quotes = quotes
        self.rows = rows
        self.starts = [r[0] for r in rows]
        self.reach = list(accumulate((r[1] for r in rows), max))

    def holding(self, fstart: int, fend: int) -> list[Quote]:
        hits = []
        k = bisect_right(self.starts, fstart) - 1  # contents starting at or before the figure
        while k >= 0 and self.reach[k] + 1 >= fend:
            if self.rows[k][1] + 1 >= fend:
                hits.append(self.rows[k][2])
            k -= 1
        return [self.quotes[i] for i in sorted(hits)]


@dataclass
class Context:
    """What attribution reads: the text, sentences, quotes, entities, the Doc; a per-sentence cache."""

    text: str
    sentences: Sequence[Sentence]
    quotes: Sequence[Quote]
    entities: Sequence[Entity]
    doc: Any | None
    cache: dict[int, str | None]
    cache_docs: dict[int, tuple[Any, int]] = field(default_factory=dict)  # sentence -> (its parse, offset)
    cache_cues: dict[tuple[int, int], list[_Cue]] = field(default_factory=dict)  # (start, end) -> its cues
    last_sentence: tuple[tuple[int, int], str] | None = None
    mention_index: _Mentions | None = None
    quote_index: _QuoteIndex | None = None

    def mentions(self) -> _Mentions:
        """The entities' mentions, indexed once per article."""
        if self.mention_index is None:
            self.mention_index = _Mentions(self.entities)
        return self.mention_index

    def quotes_holding(self, fstart: int, fend: int) -> list[Quote]:
        """Quotes with a speaker whose content holds ``[fstart, fend)`` (one character of slack), in order."""
        if self.quote_index is None:
            self.quote_index = _QuoteIndex(self.quotes)
        return self.quote_index.holding(fstart, fend)

    def sentence_cues(self, sent: Sentence) -> list[_Cue]:
        """The reporting cues of ``sent``, found once (one sentence may hold hundreds of figures)."""
        key = (sent.start, sent.end)
        if key not in self.cache_cues:
            self.cache_cues[key] = _cues(self.text, sent.start, sent.end)
        return self.cache_cues[key]

    def sentence_text(self, sent: Sentence) -> str:
        """The text of ``sent``, sliced once for all of its figures (one object, so its hash is kept)."""
        key = (sent.start, sent.end)
        if self.last_sentence is None or self.last_sentence[0] != key:
            self.last_sentence = (key, self.text[sent.start:sent.end])
        return self.last_sentence[1]

    def sentence_speaker(self, idx: int) -> str | None:
        """The last named speaker of sentence ``idx`` (quote speakers first), for pronouns."""
        if idx in self.cache:
            return self.cache[idx]
        s = self.sentences[idx]
        found: str | None = None
        for q in self.quotes:
            if (q.speaker and q.speaker_type != "anonymous" and not _needs_resolution(q.speaker)
                    and q.source and s.start <= q.source[0] < s.end):
                found = q.speaker
        if found is None:
            for cue in self.sentence_cues(s):
                if not _needs_resolution(cue.name):
                    found = _canonical(cue.name, cue.span, self.entities, self.doc, self.mentions())
        self.cache[idx] = found
        return found


def _needs_resolution(name: str) -> bool:
    return name.lower() in _PRONOUNS or bool(_DESCRIPTOR.match(name))


def _resolve_back(ctx: Context, index: int, personal: bool = False) -> str | None:
    """The named speaker of one of the four sentences before ``index`` (a person for "he", "she")."""
    for j in range(index - 1, max(-1, index - 5), -1):
        found = ctx.sentence_speaker(j)
        if found and (not personal or _person_like(ctx, found)):
            return found
    return None


def _person_like(ctx: Context, name: str) -> bool:
    """Whether a name can be "he" or "she": a person, not an organisation."""
    for e in ctx.entities:
        if e.name == name or name in e.variants:
            return e.label == "PERSON"
    words = name.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)


_JUNK_SPEAKER = re.compile(r"^(?:[a-z]+ing|[a-z]+ed|many|some|most|few|all|several)\b")


_TIME_SPEAKER = re.compile(
    r"^(?:(?:on|late|early|last|this)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
    r"tonight|morning|evening|night|afternoon|week|month|year)\b",
    re.I,
)


def _plausible(name: str) -> bool:
    """A speaker phrase that reads like a party: not "saying many workers", not "Tuesday", not a digit."""
    name = name.strip()
    return (bool(name) and not _JUNK_SPEAKER.match(name) and not _TIME_SPEAKER.match(name)
            and not name[:1].isdigit() and len(name) <= 120)


_ANONYMOUS = re.compile(r"^(?:[Aa]n?|[Oo]ne)\s+((?:[A-Z][\w'’.-]*\s+){0,3}[a-z][\w-]*(?:\s+[a-z][\w-]*)?)$")
_DOCUMENT_BY = re.compile(
    r"^(?:(?:a|an|the|its|their)\s+)?(?:new\s+|latest\s+|recent\s+)?(?:poll|survey|study|report|count|tally|figures|"
    r"data|analysis|estimate|census|statement|audit|review)\s+(?:by|from|of)\s+(?:the\s+)?",
    re.I,
)


def _from_span(ctx: Context, sent: Sentence, span: tuple[int, int], pronoun: bool) -> tuple[str | None, bool]:
    """The name of the speaker whose words a parse found, resolving pronouns and descriptors."""
    raw = ctx.text[span[0]:span[1]]
    doc = _DOCUMENT_BY.match(raw)
    if doc:  # "A poll by the Norvik Institute found": the institute
        span = (span[0] + doc.end(), span[1])
        raw = ctx.text[span[0]:span[1]]
    name = _clean_speaker(raw)
    if pronoun or _needs_resolution(name) or _needs_resolution(raw.strip()):
        personal = name.lower() in ("he", "she")
        for q in ctx.quotes:  # the quotes stage may already have resolved this pronoun
            if (q.speaker and q.source and q.source[0] <= span[0] < q.source[1] and not _needs_resolution(q.speaker)
                    and (not personal or _person_like(ctx, q.speaker))):
                return re.sub(r"^[Tt]he\s+", "", q.speaker), True
        found = _resolve_back(ctx, sent.index, personal)
        if found:
            return found, True
        return (None, False) if pronoun or name.lower() in _PRONOUNS else (name, True)
    if not _plausible(name):
        return None, False
    anon = _ANONYMOUS.match(raw.strip())
    if anon:  # "A Kestrel manager said": an unnamed source, described, not the company
        return anon.group(1), True
    return _canonical(raw.strip(" ,"), span, ctx.entities, ctx.doc, ctx.mentions()), True


def attribution(ctx: Context, sent: Sentence, fstart: int, fend: int, frame: Any = None) -> tuple[str | None, bool]:
    """Who gave the figure at ``text[fstart:fend]``, and whether that is sure.

    The reporting verb that governs the figure in a parse wins; then a quote
    holding the figure; then a reporting cue in the sentence. ``(None, True)``
    means the outlet states the figure itself; ``(name, False)`` or ``(None,
    False)`` that the rules could not tell.
    """
    parsed = bool(frame is not None and getattr(frame, "parsed", False))
    if frame is not None and frame.speaker is not None:
        who, sure = _from_span(ctx, sent, frame.speaker, frame.speaker_pronoun)
        if who is not None or not sure:
            return who, sure
    for q in ctx.quotes_holding(fstart, fend):
        if q.speaker and q.content[0] <= fstart and fend <= q.content[1] + 1:
            inner = [c for c in _cues(ctx.text, max(sent.start, q.content[0]), fstart)
                     if not (c.span[0] < fend and fstart < c.span[1])]
            if inner and q.kind != "direct":
                break  # "the union says 4,000; the authority says 1,200": the cue inside the span is nearer
            source = ctx.text[q.source[0]:q.source[1]] if q.source else ""
            if source and _common_head(source):  # not the name inside "Opponents of X"
                return _clean_speaker(source), True
            if _needs_resolution(q.speaker):  # "the monitor said": the speaker named before
                found = _resolve_back(ctx, sent.index)
                return (found, True) if found else (_clean_speaker(q.speaker), False)
            if source.strip().lower() in ("he", "she") and not _person_like(ctx, q.speaker):
                found = _resolve_back(ctx, sent.index, True)  # "she said" resolved to a company: look again
                return (found, True) if found else (None, False)
            return re.sub(r"^[Tt]he\s+", "", q.speaker), q.kind == "direct" or not parsed
    # A cue whose subject holds the figure ("Three rebel spokesmen said") says nothing about who gave it.
    cues = [c for c in ctx.sentence_cues(sent) if not (c.span[0] < fend and fstart < c.span[1])]
    before = [c for c in cues if c.start < fstart]
    after = [c for c in cues if c.start >= fend]
    cue = before[-1] if before else (after[0] if after else None)
    if cue is None:
        return None, True
    # A parse that found no reporting verb over the figure, or a clause break between the
    # figure and a cue after it, leaves the rules unsure.
    sure = not parsed and not (cue.start >= fend and re.search(r"[;:]", ctx.text[fend:cue.start]))
    if not _plausible(cue.name):
        return None, False
    if _needs_resolution(cue.name):
        for q in ctx.quotes:  # the quotes stage may already have resolved this pronoun
            if q.speaker and q.source and q.source[0] <= cue.span[0] < q.source[1]:
                return q.speaker, sure
        found = _resolve_back(ctx, sent.index)
        return (found, sure) if found else ((None, False) if cue.name.lower() in _PRONOUNS else (cue.name, False))
    return _canonical(cue.name, cue.span, ctx.entities, ctx.doc, ctx.mentions()), sure


def actor_name(ctx: Context, sent: Sentence, span: tuple[int, int]) -> tuple[str | None, bool]:
    """The name of an organisation that did what a figure counts (resolved like a speaker)."""
    return _from_span(ctx, sent, span, False)
