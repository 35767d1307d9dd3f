"""The figures ledger: every number that counts something, grouped by what it counts.

A figure's *quantity* is the counted noun in a lemma-ish singular
("civilians" -> "civilian") plus what happened to them, read from the
sentence ("killed", "evacuated", "remaining" ...), plus, for a breakdown
("including 11 women"), the value of the figure it breaks down. "people"
and "civilians" stay separate quantities, but equal values for the two are
shown as one corroborated entry ("civilians / people"), since reporters
swap the words freely.

Each figure is read as an interval ("at least 82" is [82, inf), "about
6,000" is [5100, 6900], "tens of thousands" is [10000, 99999]), so that
"at least 2" and "at least 7" never conflict. Within a quantity:

* figures with the same value are one entry, ``corroborated`` when two or
  more articles give it;
* figures whose sentences speak of the same thing (their other words
  overlap) join one entry too: ``conflicting`` when their intervals are
  disjoint (different parties' estimates side by side), else corroborated;
* anything else stands alone as ``single``.

Cost: figures are blocked by quantity; value groups inside a quantity are
compared only with groups that share one of their rarest context words
(an inverted index with a cap), so the ledger is linear in figures.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsweave.models import Analysis, Citation, Figure, LedgerEntry, Sentence, SourceEntry
from newsweave.synthesize.sources import content_tokens, singular

__all__ = ["figures_ledger", "figure_interval", "event_of", "RELATED"]

CONTEXT_OVERLAP = 0.34  # share of the smaller context two sentences need to speak of one quantity
MAX_CANDIDATES = 50
EVENT_BEFORE, EVENT_AFTER = 50, 90  # characters around a figure where its event word may be
_CLAUSE_START = re.compile(r"[;:]\s|,\s|\band that\b|\bbut\b|\bwhile\b|\bwhen\b|\bwhere\b|\bwho\b")
_SPEECH_AFTER = re.compile(r"^[\w ’'-]{0,40}?\b(?:said|say|says|told|tell|added)\b")
_NOUN_WOUNDED = re.compile(r".*\b(?:the|of)\s+$")
_PLACES = frozenset(
    ["village", "town", "city", "district", "neighbourhood", "neighborhood", "area", "province", "region", "country", "building", "hospital", "school", "street", "zone", "enclave", "front"]
)
_GENERIC = frozenset(["side", "party", "way", "time", "thing", "point", "option", "step", "term", "round", "part", "kind"])
_TIME_WORDS = frozenset(
    ["yesterday", "today", "tomorrow", "tonight", "day", "week", "month", "year", "hour", "minute", "decade", "morning", "night"]
)
# Sentence words that say nothing about which quantity a figure is.
_CONTEXT_NOISE = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today", "now", "figure", "number", "total", "estimate", "estimated", "toll", "latest", "new"]
)
SMALL = 5  # counts below this are listed only for grave events (two people killed, not two towns)
_GRAVE = frozenset({"killed", "wounded", "casualties", "detained", "missing"})

_EVENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("killed", re.compile(r"\b(?:kill\w*|dead|die[ds]?|dying|deaths?|execut\w*|slaughter\w*|massacr\w*|"
                          r"lost their lives|death toll|toll|fatalit\w*|shot)\b", re.I)),
    ("wounded", re.compile(r"\b(?:wound\w*|injur\w*|hurt)\b", re.I)),
    ("casualties", re.compile(r"\bcasualt\w*\b", re.I)),
    ("evacuated", re.compile(r"\b(?:evacuat\w*|evacuees?|left|leav\w*|fled|flee\w*|escap\w*|exit\w*|"
                             r"depart\w*|bused|transported)\b", re.I)),
    ("remaining", re.compile(r"\b(?:remain\w*|trapped|still|besieged|stay\w*|holed up|inside)\b", re.I)),
    ("displaced", re.compile(r"\b(?:displac\w*|refugees?|homeless)\b", re.I)),
    ("detained", re.compile(r"\b(?:arrest\w*|detain\w*|captur\w*|hostages?|prisoners?|abduct\w*|kidnap\w*)\b", re.I)),
    ("missing", re.compile(r"\b(?:missing|disappear\w*)\b", re.I)),
    ("diverted", re.compile(r"\b(?:divert\w*|re-?routed|redirected|turned back|turned away)\b", re.I)),
    ("waiting", re.compile(r"\b(?:wait\w*|queu\w*|stranded|stuck|idle|at anchor)\b", re.I)),
)  # fmt: skip
_EVENT_WORDS = frozenset(
    ["kill", "killed", "dead", "died", "die", "death", "toll", "executed", "execution", "slaughter", "massacre", "shot", "shooting", "wounded", "injured", "hurt", "casualty", "evacuated", "evacuation", "evacuee", "left", "leave", "leaving", "fled", "flee", "escape", "exit", "remain", "remaining", "trapped", "still", "besieged", "stay", "displaced", "refugee", "arrested", "detained", "captured", "hostage", "prisoner", "missing",
     "diverted", "waiting", "queued", "stranded", "stuck", "idle"]
)
# Counted nouns that name overlapping sets of people: equal values are one entry.
RELATED: dict[str, str] = {
    "people": "people", "person": "people", "civilian": "people", "resident": "people",
    "inhabitant": "people", "individual": "people",
    "worker": "workers", "member": "workers", "employee": "workers", "docker": "workers",
    "striker": "workers", "staff": "workers", "labourer": "workers",
}  # fmt: skip
_VAGUE = (
    (re.compile(r"\bhundreds of thousands\b", re.I), (100_000.0, 999_999.0)),
    (re.compile(r"\btens of thousands\b", re.I), (10_000.0, 99_999.0)),
    (re.compile(r"\bthousands\b", re.I), (1_000.0, 9_999.0)),
    (re.compile(r"\bhundreds\b", re.I), (100.0, 999.0)),
    (re.compile(r"\bscores\b", re.I), (40.0, 199.0)),
    (re.compile(r"\bdozens\b", re.I), (24.0, 199.0)),
)
_LOWER = re.compile(r"at least|more than|over|in excess of|upwards of|no fewer than|\bmin", re.I)
_UPPER = re.compile(r"up to|less than|fewer than|no more than|under|at most|as many as|\bmax", re.I)
_APPROX = re.compile(r"about|around|approximately|roughly|some|estimated|an estimated|nearly|almost|close to|~", re.I)


def figure_interval(f: Figure) -> tuple[float, float] | None:
    """The values a figure allows, as a closed interval (None when it has no value).

    >>> from newsweave.models import Figure
    >>> figure_interval(Figure(0, 0, "at least 82 civilians", 82.0, qualifier="at least"))
    (82.0, inf)
    >>> figure_interval(Figure(0, 0, "tens of thousands of civilians", None))
    (10000.0, 99999.0)
    """
    for pat, span in _VAGUE:
        if pat.search(f.text) and (f.value is None or f.value <= span[1]):
            return span
    if f.value is None:
        return None
    v = float(f.value)
    if f.high is not None and f.high >= v:
        return (v, float(f.high))
    q = f.qualifier or ""
    if _LOWER.search(q):
        return (v, math.inf)
    if _UPPER.search(q):
        return (0.0, v)
    if _APPROX.search(q):
        return (v * 0.85, v * (1.0 if re.search(r"nearly|almost", q, re.I) else 1.15))
    return (v, v)


def _is_vague(f: Figure) -> bool:
    """"Scores", "thousands", "tens of thousands": too loose to contradict anything."""
    return any(pat.search(f.text) for pat, _ in _VAGUE)


def _meets(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] * 1.02 and b[0] <= a[1] * 1.02


def event_of(sentence: str, pos: int) -> str:
    """What happened to the counted things: the event word nearest ``pos``,
    looked for in a window around it (a few words before, a clause after).

    >>> event_of("At least 82 civilians were executed, the UN said.", 9)
    'killed'
    """
    best, best_d = "", 10**9
    lo, hi = max(0, pos - EVENT_BEFORE), pos + EVENT_AFTER
    # Words before the figure count only inside its own clause.
    for m in _CLAUSE_START.finditer(sentence, lo, pos):
        lo = m.end()
    after = sentence[pos : min(len(sentence), hi)]
    if _SPEECH_AFTER.match(after):
        return ""  # "Three rebel spokesmen said ...": a count of speakers, not of victims
    for name, pat in _EVENTS:
        for m in pat.finditer(sentence, lo, min(len(sentence), hi)):
            if name == "wounded" and _NOUN_WOUNDED.match(sentence, max(0, m.start() - 5), m.start()):
                continue  # "evacuation of the wounded": people, not an event
            d = m.start() - pos if m.start() >= pos else (pos - m.end()) + 8  # prefer what follows
            if d < best_d:
                best, best_d = name, d
    return best


def _head(counted: str | None, unit: str | None) -> tuple[str, str]:
    """(lemma, shown word) of what a figure counts."""
    if counted:
        words = re.findall(r"[^\W\d_][\w'’-]*", counted)
        if words:
            return singular(words[-1]), words[-1].lower()
    if unit:
        return unit.lower(), unit
    return "", ""


@dataclass
class _Item:
    figure: Figure
    interval: tuple[float, float]
    citation: Citation
    attribution: str | None
    context: set[str]
    order: tuple[int, int]
    sentence_text: str = ""


@dataclass
class _Group:
    items: list[_Item] = field(default_factory=list)

    @property
    def interval(self) -> tuple[float, float]:
        return (max(i.interval[0] for i in self.items), min(i.interval[1] for i in self.items))

    def articles(self) -> set[str]:
        return {i.citation.article_id for i in self.items}


def _attribution(an: Analysis, f: Figure) -> str | None:
    from newsweave.synthesize.speakers import short_description

    if f.attribution:
        return short_description(f.attribution)
    # A figure inside a quote belongs to the quote's speaker.
    for q in an.quotes:
        if q.speaker and q.content[0] <= f.start and f.end <= q.content[1]:
            return short_description(q.speaker)
    return None


def _sentence_of(an: Analysis, starts: list[int], f: Figure) -> Sentence | None:
    if 0 <= f.sentence_index < len(an.sentences) and an.sentences[f.sentence_index].start <= f.start:
        s = an.sentences[f.sentence_index]
        if f.start < s.end:
            return s
    i = bisect.bisect_right(starts, f.start) - 1
    return an.sentences[i] if i >= 0 and f.start < an.sentences[i].end else None


_Key = tuple[str, str, str]  # (counted lemma, event, breakdown of)


def _without_figures(sent: Sentence, figs: Sequence[Figure]) -> str:
    """The sentence with every figure phrase blanked: what remains says which
    quantity the figures are ("executed in recent days", "in the assault")."""
    chars = list(sent.text)
    for f in figs:
        s, e = max(f.start, sent.start) - sent.start, min(f.end, sent.end) - sent.start
        if s < e:
            chars[s:e] = " " * (e - s)
    return re.sub(r"\b(?:including|among them|of whom)\b", " ", "".join(chars))


def _counted_nearby(figs: Sequence[Figure], i: int, sent: Sentence) -> str | None:
    """What a bare number counts, from the nearest figure before it in its
    sentence (else after it) that names its count."""
    before = [f for f in figs[:i] if f.counted and f.start >= sent.start and not f.unit]
    if before:
        return before[-1].counted
    after = [f for f in figs[i + 1 :] if f.counted and f.end <= sent.end and not f.unit]
    if after:
        return after[0].counted
    # "... 4,000 of its members walked out. The authority says about 1,200 did."
    prev = [f for f in figs[:i] if f.counted and not f.unit and f.sentence_index == sent.index - 1]
    return prev[-1].counted if prev else None


def _proper_noun(text: str, f: Figure, word: str) -> bool:
    """Whether the counted word is a name ("half of Aleppo"), not a count noun."""
    i = text.rfind(word, f.start, f.end) if word else -1
    if i < 0:
        i = text.lower().rfind(word, f.start, f.end)
    return i > f.start and text[i : i + 1].isupper()


def _collect(
    analyses: Sequence[Analysis], number: dict[str, int]
) -> tuple[dict[_Key, list[_Item]], dict[_Key, Counter[str]]]:
    """Figures keyed by quantity, and the counted words as written per quantity."""
    keyed: dict[_Key, list[_Item]] = defaultdict(list)
    shown: dict[_Key, Counter[str]] = defaultdict(Counter)
    for an in analyses:
        aid = an.article.id
        starts = [s.start for s in an.sentences]
        figs = an.figures
        for fi, f in enumerate(figs):
            iv = figure_interval(f)
            sent = _sentence_of(an, starts, f)
            if iv is None or sent is None or sent.boilerplate:
                continue
            counted = f.counted if f.counted and singular(f.counted.split()[-1]) not in _TIME_WORDS else None
            if not counted and not f.unit:
                # "the authority says the figure is closer to 1,200": the count of
                # the figure before it in the sentence ("4,000 workers").
                counted = _counted_nearby(figs, fi, sent)
            lemma, word = _head(counted, f.unit)
            if not lemma:
                continue
            event = "" if lemma in _PLACES else event_of(sent.text, f.start - sent.start)
            if _proper_noun(an.article.text, f, word) or (
                iv[1] < SMALL and f.parent is None and event not in _GRAVE
                and (lemma in _PLACES or lemma in _GENERIC or _SPEECH_AFTER.match(sent.text[f.end - sent.start :]))
            ):  # fmt: skip
                continue  # "nearly half of Aleppo", "two towns", "the two sides", "three spokesmen said"
            part = ""
            if f.parent is not None and 0 <= f.parent < len(figs) and figs[f.parent].value is not None:
                # A breakdown only compares with breakdowns of the same total.
                part = f"of {figs[f.parent].value:g}"
                event = event or event_of(sent.text, figs[f.parent].start - sent.start)
            # The sentence's other words: the figure phrase itself ("at least 14
            # people") says nothing about which quantity this is.
            ctx = content_tokens(_without_figures(sent, figs)) - _EVENT_WORDS - _CONTEXT_NOISE - {lemma}
            ctx = {t for t in ctx if not t[:1].isdigit()}
            key = (lemma, event, part)
            keyed[key].append(
                _Item(f, iv, Citation(aid, sent.index, f.start, f.end), _attribution(an, f), ctx,
                      (number.get(aid, 10**9), f.start), sent.text)
            )  # fmt: skip
            shown[key][word] += 1
    return keyed, shown


def _value_groups(items: list[_Item]) -> list[_Group]:
    """Figures of one quantity with the same value (exact intervals equal)."""
    groups: dict[tuple[float, float], _Group] = {}
    for it in sorted(items, key=lambda i: i.order):
        k = (round(it.interval[0], 3), round(it.interval[1], 3))
        groups.setdefault(k, _Group()).items.append(it)
    return list(groups.values())


def _point_differs(a: _Group, b: _Group) -> bool:
    """Whether two groups give different numbers ("at least 14" vs "19"),
    beyond a 3% rounding; "at least 82" and "82" give the same one."""
    va, vb = a.items[0].figure.value, b.items[0].figure.value
    if va is None or vb is None:
        return False
    return abs(va - vb) > 0.03 * max(abs(va), abs(vb))


_SPEECH = re.compile(r"\b(?:says|said|say|claims?|claimed|estimates?|estimated|puts?|counts?|counted)\b", re.I)


def _two_parties(a: _Group, b: _Group) -> bool:
    """Whether two figures come from different parties: no attribution in
    common, or a sentence holding both that reports two speakers ("the union
    says 4,000; the authority says 1,200")."""
    pa = {i.attribution.lower() for i in a.items if i.attribution}
    pb = {i.attribution.lower() for i in b.items if i.attribution}
    if pa and pb and not pa & pb:
        return True
    shared = {(i.citation.article_id, i.citation.sentence_index) for i in b.items}
    return any(
        (i.citation.article_id, i.citation.sentence_index) in shared and len(_SPEECH.findall(i.sentence_text)) >= 2
        for i in a.items
    )


def _same_side_bounds(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Two lower bounds ("at least 2", "at least 7") or two upper bounds: both
    may be true, and neither confirms the other."""
    return (a[1] == math.inf and b[1] == math.inf) or (a[0] == 0.0 and b[0] == 0.0)


def _link(groups: list[_Group]) -> tuple[list[int], set[int]]:
    """Union groups that speak of the same thing; return roots and conflicting roots."""
    parent = list(range(len(groups)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    ctx = [set().union(*(i.context for i in g.items)) for g in groups]
    sent_keys = [{(i.citation.article_id, i.citation.sentence_index) for i in g.items} for g in groups]
    df: Counter[str] = Counter(t for c in ctx for t in c)
    postings: dict[str, list[int]] = defaultdict(list)
    conflict_pairs = []
    for gi, c in enumerate(ctx):
        rare = sorted((t for t in c if df[t] > 1), key=lambda t: (df[t], t))[:6]
        seen: set[int] = set()
        for t in rare:
            for gj in postings[t][:MAX_CANDIDATES]:
                if gj in seen:
                    continue
                seen.add(gj)
                small = min(len(c), len(ctx[gj])) or 1
                same_sentence = bool(sent_keys[gi] & sent_keys[gj])
                if not same_sentence and len(c & ctx[gj]) / small < CONTEXT_OVERLAP:
                    continue
                vague = all(_is_vague(i.figure) for i in groups[gi].items) or all(
                    _is_vague(i.figure) for i in groups[gj].items
                )
                meets = _meets(groups[gi].interval, groups[gj].interval)
                if vague and not meets:
                    continue  # "scores" vs "more than 465": neither agreement nor conflict
                differ = not meets or (not vague and _point_differs(groups[gi], groups[gj]))
                if differ and meets and _same_side_bounds(groups[gi].interval, groups[gj].interval):
                    continue
                if differ and same_sentence and not _two_parties(groups[gi], groups[gj]):
                    # Two numbers in one sentence are usually a list ("5,000 fighters
                    # and 15,000 civilians"), not a dispute, unless two parties give them.
                    continue
                if differ:
                    conflict_pairs.append((gi, gj))
                parent[find(gi)] = find(gj)
        for t in rare:
            postings[t].append(gi)
    conflicted = {find(a) for a, b in conflict_pairs}
    return [find(i) for i in range(len(groups))], conflicted


def figures_ledger(analyses: Sequence[Analysis], sources: Sequence[SourceEntry]) -> tuple[LedgerEntry, ...]:
    """Group a story's figures by what they count and mark agreement.

    Args:
        analyses: per-article analyses with figures (and quotes, for attribution).
        sources: the numbered sources (order of values and entries).

    Returns:
        Ledger entries: conflicting ones first, then by how many articles give
        the figure, then first appearance. ``counted`` reads like "civilians
        killed"; each value is ``(figure text, attribution, citation)`` in
        source order, the citation spanning the figure itself.

    Example:
        >>> from newsweave.models import Article, Analysis, Figure, Sentence, SourceEntry
        >>> def one(aid, text, fig, val, who):
        ...     a = Article(text, id=aid)
        ...     i = text.index(fig)
        ...     f = Figure(i, i + len(fig), fig, val, counted="buses", attribution=who, sentence_index=0)
        ...     return Analysis(a, (Sentence(aid, 0, 0, len(text), text),), figures=(f,))
        >>> src = [SourceEntry(1, "a", "A", None, None, None, None, group=1),
        ...        SourceEntry(2, "b", "B", None, None, None, None, group=2)]
        >>> e = figures_ledger([one("a", "Police said 20 buses left the depot.", "20 buses", 20, "police"),
        ...                     one("b", "Drivers said 35 buses left the depot.", "35 buses", 35, "drivers")], src)
        >>> e[0].counted, e[0].status, [v[0] for v in e[0].values]
        ('buses evacuated', 'conflicting', ['20 buses', '35 buses'])
    """
    number = {s.article_id: s.number for s in sources}
    keyed, shown = _collect(analyses, number)

    entries: list[tuple[list[_Item], str, str, bool]] = []  # items, related class, label, conflicting
    for key, items in keyed.items():
        groups = _value_groups(items)
        roots, conflicted = _link(groups)
        comps: dict[int, list[_Item]] = defaultdict(list)
        for gi, r in enumerate(roots):
            comps[r].extend(groups[gi].items)
        word = shown[key].most_common(1)[0][0]
        label = " ".join(x for x in (word, key[1], key[2]) if x)
        for r, its in comps.items():
            entries.append((its, RELATED.get(key[0], "") + "|" + key[1] + "|" + key[2], label, r in conflicted))

    # Agreeing values of related counts ("82 civilians" / "at least 82 people")
    # are one entry: same event, a shared low value, and every interval
    # agreeing. Candidates are blocked by (related class, low value).
    by_point: dict[tuple[str, float], list[int]] = defaultdict(list)
    final: list[tuple[list[_Item], list[str], bool]] = []
    for its, rel, label, conflicting in entries:
        points = {i.figure.value for i in its if not _is_vague(i.figure) and i.figure.value is not None}
        target = None
        if not rel.startswith("|") and not conflicting and points:
            for p in sorted(points):
                for fi in by_point.get((rel, p), ())[:MAX_CANDIDATES]:
                    cand = final[fi]
                    # Into an agreeing entry when every value agrees; into a
                    # conflicting one when it repeats one side's value.
                    same = [b for b in cand[0] if b.figure.value is not None and abs(b.figure.value - p) <= 0.03 * max(p, 1.0)]
                    if (cand[2] and same and len(points) == 1) or (
                        not cand[2] and all(_meets(a.interval, b.interval) for a in its for b in cand[0])
                    ):
                        target = fi
                        break
                if target is not None:
                    break
        if target is not None:
            final[target][0].extend(its)
            if label not in final[target][1]:
                final[target][1].append(label)
            continue
        for p in points:
            by_point[(rel, p)].append(len(final))
        final.append((list(its), [label], conflicting))

    out = []
    for its, labels, conflicting in final:
        its.sort(key=lambda i: i.order)
        n_articles = len({i.citation.article_id for i in its})
        status = "conflicting" if conflicting else ("corroborated" if n_articles > 1 else "single")
        values = tuple((i.figure.text, i.attribution, i.citation) for i in its)
        rank = {"conflicting": 0, "corroborated": 1, "single": 2}[status]
        out.append((rank, -n_articles, its[0].order, LedgerEntry(" / ".join(labels), values, status)))  # type: ignore[arg-type]
    out.sort(key=lambda t: t[:3])
    return tuple(t[3] for t in out)
