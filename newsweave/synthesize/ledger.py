"""The figures ledger: every figure of a story, grouped by the quantity it gives.

A quantity is *what is counted* (the counted noun; "people", "civilians" and
"residents" are one class, so are "workers", "members" and "strikers"), *what
happened to them* (killed, fled, remaining, on strike ...), the figure's kind
(reported and estimated figures compare; demanded, planned and offered ones
are quantities of their own) and, for a breakdown ("including 11 women"), the
figure it breaks down. Within such a key, figures are one quantity when

* they give the same number (a corroboration), or
* they stand in one sentence from two parties ("the union says 4,000; the
  authority says 1,200"), or
* their sentences share enough other words (CONTEXT_OVERLAP) to speak of one
  thing, or
* the event is a stock, not a tally (people remaining in a place, workers on
  strike, ships waiting: a story has one such number per place) and their
  sentences name no different places.

Each quantity becomes one :class:`~newsweave.models.LedgerEntry`: one row
(:class:`~newsweave.models.LedgerFigure`) per number and party, citing every
article that gives it, and a status from
:mod:`newsweave.synthesize.ledger_compare`: ``conflict`` (two parties give
different numbers, both cited), ``updated`` (a number revised over time),
``corroborated`` (independent reports agree) or ``single``.

Only figures the analysis is sure of enter (see :attr:`Figure.doubts`);
counts under ten of things to which nothing happened ("two towns") are left
out as clutter. Cost: figures are blocked by key; inside a key, large blocks
compare a group only with groups that share one of its rarest context words
(an inverted index with a cap), so the ledger is linear in figures.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from newsweave.analyze.figures import is_human
from newsweave.analyze.figures_cues import event_of
from newsweave.analyze.figures_numbers import bounds
from newsweave.models import Analysis, Citation, Figure, LedgerEntry, LedgerFigure, Sentence, SourceEntry
from newsweave.synthesize.ledger_compare import Side, figure_interval, pair_kind, relation
from newsweave.synthesize.ledger_parties import Parties
from newsweave.synthesize.sources import content_tokens, singular

__all__ = ["figures_ledger", "figure_interval", "event_of", "RELATED", "STOCK_EVENTS"]

CONTEXT_OVERLAP = 0.34  # weighted share of the smaller context two agreeing figures' sentences need
CONFLICT_OVERLAP = 0.5  # ... and two differing ones (a false conflict costs more than a missed one)
MAX_CANDIDATES = 50
ALL_PAIRS = 40  # blocks up to this many value groups compare every pair
SMALL = 10  # counts below this are listed only when something happened to them (not "two towns")
STOCK_EVENTS = frozenset(["remaining", "on strike", "waiting", "capacity", "displaced", "missing"])
# Words that set one party's number against another's ("a figure officials have not confirmed").
_CONTRAST = re.compile(
    r"\b(?:not\s+(?:yet\s+)?(?:been\s+)?confirm\w*|did\s+not\s+confirm|(?:the|this|that)\s+(?:difference|gap|discrepancy)|"
    r"disput\w+|higher\s+than|lower\s+than|contradict\w*|at\s+odds|put\s+the\s+(?:number|figure|total|difference|"
    r"gap|toll)|closer\s+to|(?:cannot|can't|could\s+not)\s+(?:even\s+)?agree|(?:a|the)\s+figure\s+(?:that|which))\b",
    re.I,
)
_TOLL = re.compile(r"\b(?:death\s+toll|toll|tally|number\s+of\s+(?:dead|deaths|victims))\b", re.I)
_SPEAKERS_COUNT = re.compile(r"^[\w ’'-]{0,40}?\b(?:said|say|says|told|tell|added|warned|claimed)\b")
_PLACES = frozenset(
    ["village", "town", "city", "district", "neighbourhood", "neighborhood", "area", "province", "region", "country",
     "building", "hospital", "school", "street", "zone", "enclave", "front", "side", "party", "way", "time", "thing",
     "point", "option", "step", "term", "round", "part", "kind", "sides", "parties", "terminal", "port", "airport",
     "station", "crossing", "border", "bridge", "road", "gate", "quay", "island", "state", "nation", "capital"]
)  # fmt: skip
_TIME_WORDS = frozenset(
    ["yesterday", "today", "tomorrow", "tonight", "day", "week", "month", "year", "hour", "minute", "decade", "morning",
     "night"]
)  # fmt: skip
# Sentence words that say nothing about which quantity a figure is.
_CONTEXT_NOISE = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today", "now",
     "figure", "number", "total", "estimate", "estimated", "toll", "latest", "new", "said", "says", "say", "told",
     "according", "reported", "people", "civilian", "including"]
)  # fmt: skip
# Counted nouns that name overlapping sets: one class.
RELATED: dict[str, str] = {
    "people": "people", "person": "people", "civilian": "people", "resident": "people",
    "inhabitant": "people", "individual": "people", "death": "people", "dead": "people", "victim": "people",
    "body": "people",
    "worker": "workers", "member": "workers", "employee": "workers", "docker": "workers",
    "striker": "workers", "staff": "workers", "labourer": "workers", "laborer": "workers",
    "fighter": "fighters", "militant": "fighters", "insurgent": "fighters", "gunman": "fighters",
    "rebel": "fighters", "jihadist": "fighters", "troop": "troops", "soldier": "troops",
    "ship": "ships", "vessel": "ships",
}  # fmt: skip
_GRAVE = ("killed", "injured", "casualties", "missing", "detained")
# Tallies of harm in which any two counts of people may be one count ("14 dead", "18 of its members
# killed", "9 miners died"): their counted nouns are one class; whether two are one quantity is left
# to the linking evidence. Stocks ("5,000 fighters and 15,000 civilians still inside") keep their nouns.
HUMAN_TALLIES = frozenset(["killed", "injured", "casualties", "missing", "rescued"])


@dataclass
class _Item:
    figure: Figure
    citation: Citation
    party: str | None  # display name of who gave it
    side: str  # the party's key, or "outlet:<name>" when the outlet states it
    group: int  # the source's independence group
    context: frozenset[str]
    places: frozenset[str]
    order: tuple[int, int]
    word: str  # the counted word as written
    contrast: bool = False  # its sentence or the next sets it against another number
    toll: bool = False  # worded as a toll ("the death toll rose to 31")


_Key = tuple[str, str, str, str]  # (class, event, kind, breakdown of)


def _sentence_of(an: Analysis, starts: list[int], f: Figure) -> Sentence | None:
    if 0 <= f.sentence_index < len(an.sentences) and an.sentences[f.sentence_index].start <= f.start:
        s = an.sentences[f.sentence_index]
        if f.start < s.end:
            return s
    i = bisect.bisect_right(starts, f.start) - 1
    return an.sentences[i] if i >= 0 and f.start < an.sentences[i].end else None


def _without_figures(sent: Sentence, figs: Sequence[Figure]) -> str:
    """The sentence with every figure phrase blanked: what remains says which
    quantity the figures are ("executed in recent days", "in the assault")."""
    chars = list(sent.text)
    for f in figs:
        s, e = max(f.start, sent.start) - sent.start, min(f.end, sent.end) - sent.start
        if s < e:
            chars[s:e] = " " * (e - s)
    return "".join(chars)


_UNIT_WORDS = {"ha": "hectares", "sq km": "sq km", "km": "km", "mi": "miles", "m": "metres", "t": "tonnes",
               "mm": "mm", "cm": "cm", "kg": "kg", "l": "litres"}


def _head(f: Figure) -> tuple[str, str]:
    """(lemma, shown word) of what a figure counts; a measure in a unit of size is counted in its unit
    ("4,200 hectares" the fire burned and "9,000 hectares" that burned are one quantity)."""
    if f.unit in _UNIT_WORDS:
        return f.unit, _UNIT_WORDS[f.unit]
    if f.counted:
        words = re.findall(r"[^\W\d_][\w'’-]*", f.counted)
        if words:
            return singular(words[-1]), words[-1].lower()
    if f.unit and f.unit not in ("%", "share"):
        return f.unit.lower(), f.unit
    return "", ""


def _clutter(text: str, f: Figure, lemma: str, word: str) -> bool:
    """"two towns", "the two sides", "half of Aleppo": not figures a desk compares."""
    i = text.rfind(word, f.start, f.end) if word else -1
    if i < 0 and word:
        i = text.lower().rfind(word, f.start, f.end)
    if i > f.start and text[i:i + 1].isupper() and f.unit in (None, "share"):
        return True  # the counted word is a name
    if f.unit is None and f.high is None and (f.value or 0) < SMALL and f.parent is None:
        # "two towns", "the two sides", "three rebel spokesmen said": not quantities of the story
        if re.search(r"\b(?:more|additional|extra|further|new)\b", f.text, re.I):
            return False  # "four more schools will open": an increment of a quantity
        return lemma in _PLACES or bool(_SPEAKERS_COUNT.match(text[f.end:f.end + 60]))
    return False


def _collect(analyses: Sequence[Analysis], sources: Sequence[SourceEntry], parties: Parties) -> dict[_Key, list[_Item]]:
    number = {s.article_id: s.number for s in sources}
    groups = {s.article_id: s.group or s.number for s in sources}
    outlets = {s.article_id: s.outlet or f"source {s.number}" for s in sources}
    keyed: dict[_Key, list[_Item]] = defaultdict(list)
    for an in analyses:
        aid = an.article.id
        starts = [s.start for s in an.sentences]
        places_of = _places(an)
        for f in an.figures:
            sent = _sentence_of(an, starts, f)
            if f.doubts or figure_interval(f) is None or sent is None or sent.boilerplate:
                continue
            lemma, word = _head(f)
            if not lemma or lemma in _TIME_WORDS or _clutter(an.article.text, f, lemma, word):
                continue
            part = ""
            if f.parent is not None and 0 <= f.parent < len(an.figures) and an.figures[f.parent].value is not None:
                part = f"of {an.figures[f.parent].value:g}"  # a breakdown compares with breakdowns of one total
            # Reported, estimated and planned numbers of one thing compare; a demand or an offer does not.
            kind = "reported" if f.kind in ("reported", "estimated", "planned") else f.kind
            cls = "people" if f.event in HUMAN_TALLIES and is_human(f.counted) else RELATED.get(lemma, lemma)
            key = (cls, f.event or "", kind, part)
            nxt = an.sentences[sent.index + 1].text if sent.index + 1 < len(an.sentences) else ""
            local = sent.text[max(0, f.start - sent.start - 50):f.end - sent.start + 30]
            ctx = content_tokens(_without_figures(sent, an.figures)) - _CONTEXT_NOISE - {lemma}
            party = parties.display(f.attribution) if f.attribution else None
            side = parties.key(f.attribution) if f.attribution else f"outlet:{outlets.get(aid, aid)}"
            keyed[key].append(_Item(
                f, Citation(aid, sent.index, f.start, f.end), party, side, groups.get(aid, 0),
                frozenset(t for t in ctx if not t[:1].isdigit()), places_of(sent),
                (number.get(aid, 10**9), f.start), word,
                bool(_CONTRAST.search(sent.text) or _CONTRAST.search(nxt)), bool(_TOLL.search(local)),
            ))  # fmt: skip
    return keyed


def _places(an: Analysis):  # type: ignore[no-untyped-def]
    """A function from a sentence to the places its entities name."""
    spans = [(s, t, e.name.lower()) for e in an.entities if e.label in ("GPE", "LOC", "FAC") for s, t in e.mentions]

    def of(sent: Sentence) -> frozenset[str]:
        return frozenset(n for s, _, n in spans if sent.start <= s < sent.end)

    return of


class _Links:
    """Union-find over value groups."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


_ANOTHER = re.compile(r"^(?:another|an\s+additional|a\s+further|a\s+second|further)\b", re.I)


class _Weights:
    """Inverse document frequency of words over the story's sentences: "Syrian" in a story
    about Syria says little about which quantity a figure is."""

    def __init__(self, analyses: Sequence[Analysis]) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        for an in analyses:
            for s in an.sentences:
                self.n += 1
                self.df.update(content_tokens(s.text))

    def weight(self, tokens: frozenset[str], own: int) -> float:
        """Summed weight of ``tokens``, each counted in ``own`` of the compared sentences
        (left out of its document frequency: a word only the two share is strong evidence)."""
        return sum(math.log((self.n + 1) / (max(self.df.get(t, 0) - own, 0) + 1)) + 0.1 for t in tokens)


def _same_quantity(a: list[_Item], b: list[_Item], event: str, rel: str, w: _Weights) -> bool:
    """Whether two value groups of one key speak of one quantity (see the module docstring)."""
    fa, fb = a[0].figure, b[0].figure
    if rel == "differ" and (_ANOTHER.match(fa.text) or _ANOTHER.match(fb.text)):
        return False  # "another 142 civilians": a further set, not a second count of the first
    sa = {(i.citation.article_id, i.citation.sentence_index) for i in a}
    if any((i.citation.article_id, i.citation.sentence_index) in sa for i in b):
        # Two numbers in one sentence are a list ("5,000 fighters and 15,000 civilians")
        # unless two parties give them or one is what the other changed from.
        return (rel == "agree" or any(i.figure.earlier or i.figure.revised for i in (*a, *b))
                or not ({i.side for i in a} & {i.side for i in b}))
    if rel == "differ" and any(i.toll for i in a) and any(i.toll for i in b):
        return True  # "the toll rose to 31" and "the service had put the toll at 23": one toll
    if rel == "differ" and _set_against(a, b):
        return True
    if rel == "agree" and fa.high is None and fb.high is None and (
            (fa.value or 0) >= SMALL or {i.side for i in a} & {i.side for i in b}):
        return True  # the same number of the same thing: "82 people", "at least 82 civilians"
    if event in STOCK_EVENTS or (fa.unit in _UNIT_WORDS and event):  # "hectares burned": one area per story and place
        pa = frozenset().union(*(i.places for i in a))
        pb = frozenset().union(*(i.places for i in b))
        return not (pa and pb and not pa & pb)
    ca = frozenset().union(*(i.context for i in a))
    cb = frozenset().union(*(i.context for i in b))
    shared = ca & cb
    small = min(w.weight(ca - shared, 1), w.weight(cb - shared, 1)) + w.weight(shared, 2) or 1.0
    need = CONTEXT_OVERLAP if rel == "agree" else CONFLICT_OVERLAP
    return w.weight(shared, 2) / small >= need


def _set_against(a: list[_Item], b: list[_Item]) -> bool:
    """Whether one article sets the two numbers against each other: a party's number within
    three sentences after another party's, with words of contrast ("a figure officials have
    not confirmed", "put the difference at", "the difference would be resolved")."""
    for x in a:
        for y in b:
            if x.citation.article_id != y.citation.article_id or x.side == y.side:
                continue
            first, second = (x, y) if x.citation.sentence_index <= y.citation.sentence_index else (y, x)
            if second.citation.sentence_index - first.citation.sentence_index <= 3 and second.contrast:
                return True
    return False


def _quantities(items: list[_Item], event: str, w: _Weights) -> list[list[_Item]]:
    """Split one key's figures into quantities."""
    by_value: dict[tuple[float, float], list[_Item]] = {}
    for it in sorted(items, key=lambda i: i.order):
        iv = figure_interval(it.figure) or (0.0, 0.0)
        by_value.setdefault((round(iv[0], 3), round(iv[1], 3)), []).append(it)
    groups = list(by_value.values())
    links = _Links(len(groups))
    for gi, gj in _candidates(groups):
        rel = relation(groups[gi][0].figure, groups[gj][0].figure)
        if rel != "neither" and _same_quantity(groups[gi], groups[gj], event, rel, w):
            links.join(gi, gj)
    comps: dict[int, list[_Item]] = defaultdict(list)
    for gi, g in enumerate(groups):
        comps[links.find(gi)].extend(g)
    return list(comps.values())


def _candidates(groups: list[list[_Item]]) -> list[tuple[int, int]]:
    """Pairs of value groups to compare: all of them in a small block, else those
    sharing one of their rarest context words."""
    n = len(groups)
    if n <= ALL_PAIRS:
        return [(i, j) for i in range(n) for j in range(i + 1, n)]
    ctx = [frozenset().union(*(i.context for i in g)) for g in groups]
    df: Counter[str] = Counter(t for c in ctx for t in c)
    postings: dict[str, list[int]] = defaultdict(list)
    out = []
    for gi, c in enumerate(ctx):
        rare = sorted((t for t in c if df[t] > 1), key=lambda t: (df[t], t))[:6]
        seen: set[int] = set()
        for t in rare:
            for gj in postings[t][:MAX_CANDIDATES]:
                if gj not in seen:
                    seen.add(gj)
                    out.append((gj, gi))
        for t in rare:
            postings[t].append(gi)
    return out


def _num(v: float | None) -> float | None:
    return None if v is None or v in (float("inf"), float("-inf")) else v


def _rows(items: list[_Item]) -> list[tuple[LedgerFigure, Side, list[_Item]]]:
    """One row per number and party; an outlet's own mention of a party's number joins the party's row."""
    rows: list[list[_Item]] = []
    for it in sorted(items, key=lambda i: i.order):
        home = next((r for r in rows if r[0].side == it.side and relation(r[0].figure, it.figure) == "agree"), None)
        if home is None and it.side.startswith("outlet:"):
            home = next((r for r in rows if relation(r[0].figure, it.figure) == "agree"
                         and r[0].figure.value == it.figure.value), None)
        if home is None:
            rows.append([it])
        else:
            home.append(it)
    for r in rows:  # a party's row absorbs the outlets' rows of the same number
        if r and r[0].side.startswith("outlet:"):
            named = next((o for o in rows if o and o is not r and not o[0].side.startswith("outlet:")
                          and o[0].figure.value == r[0].figure.value), None)
            if named is not None:
                named.extend(r)
                r.clear()
    out = []
    for r in (r for r in rows if r):
        r.sort(key=lambda i: i.order)
        f = Counter(i.figure.text for i in r).most_common(1)[0][0]
        rep = next(i.figure for i in r if i.figure.text == f)
        named = [i for i in r if not i.side.startswith("outlet:")]
        by = Counter(i.party for i in named if i.party).most_common(1)
        dates = sorted(d for d in (i.figure.date for i in r) if d)
        low, high = bounds(rep.value, rep.high, rep.qualifier)
        point = None if rep.high is not None or _vague(rep) else rep.value
        row = LedgerFigure(
            text=rep.text, value=point, low=_num(low), high=_num(high), unit=rep.unit, qualifier=rep.qualifier,
            counted=rep.counted, event=rep.event, kind=Counter(i.figure.kind for i in r).most_common(1)[0][0],
            by=by[0][0] if by else None, date=dates[0] if dates else None,
            citations=tuple(dict.fromkeys(i.citation for i in r)),
        )
        side = Side((named[0].side if named else r[0].side), row.date, any(i.figure.earlier for i in r),
                    any(i.figure.revised for i in r))
        out.append((row, side, r))
    return out


def _vague(f: Figure) -> bool:
    from newsweave.synthesize.ledger_compare import is_vague

    return is_vague(f)


def _status(rows: list[tuple[LedgerFigure, Side, list[_Item]]]) -> tuple[str, list[str | None], set[int]]:
    """The entry's status, a note per row ("earlier figure", "latest figure") and the rows in dispute."""
    kinds = set()
    notes: list[str | None] = [None] * len(rows)
    updated: set[int] = set()
    conflicted: set[int] = set()
    pairs = [(i, j, pair_kind(rows[i][1], rows[j][1])) for i in range(len(rows)) for j in range(i + 1, len(rows))
             if relation(rows[i][2][0].figure, rows[j][2][0].figure) == "differ"]
    # A number its own party (or a revision) has replaced is no side of a dispute.
    superseded = {_older(rows, i, j) for i, j, k in pairs if k == "update"}
    for i, j, k in pairs:
        if k == "conflict" and (i in superseded or j in superseded):
            continue
        if k:
            kinds.add(k)
        if k == "update":
            updated.update((i, j))
        elif k == "conflict":
            conflicted.update((i, j))
    if updated:
        dated = sorted(updated, key=lambda i: (not rows[i][1].earlier, rows[i][1].date or "", rows[i][1].revised,
                                               rows[i][2][0].order))
        if "conflict" in kinds:  # only what no party disputes is marked as superseded
            for i in dated[:-1]:
                if i not in conflicted:
                    notes[i] = "earlier figure"
        else:
            for i in dated[:-1]:
                notes[i] = "earlier figure"
            notes[dated[-1]] = "latest figure"
    if "conflict" in kinds:
        return "conflict", notes, conflicted
    if "update" in kinds:
        return "updated", notes, conflicted
    indep = {i.group for r in rows for i in r[2]}
    return ("corroborated" if len(indep) > 1 else "single"), notes, conflicted


def _older(rows: list[tuple[LedgerFigure, Side, list[_Item]]], i: int, j: int) -> int:
    """Which of two rows in an update is the earlier number."""
    a, b = rows[i][1], rows[j][1]
    if a.earlier != b.earlier:
        return i if a.earlier else j
    if a.revised != b.revised:
        return j if a.revised else i
    return i if (a.date or "") <= (b.date or "") else j


_RANK = {"conflict": 0, "updated": 1, "corroborated": 2, "single": 3}


def figures_ledger(analyses: Sequence[Analysis], sources: Sequence[SourceEntry]) -> tuple[LedgerEntry, ...]:
    """Group a story's figures by the quantity they give and mark conflicts and updates.

    Args:
        analyses: per-article analyses with figures (and entities, for party names).
        sources: the numbered sources (order of rows and entries; independence groups).

    Returns:
        Ledger entries: conflicts first, then updates, then by how many articles
        give the figures, then first appearance. Each entry's ``figures`` has one
        row per number and party (citing every article that gives it); ``values``
        keeps one ``(figure text, who gave it, citation)`` per mention.

    Example:
        >>> from newsweave.models import Article, Analysis, Figure, Sentence, SourceEntry
        >>> def one(aid, text, fig, val, who):
        ...     a = Article(text, id=aid)
        ...     i = text.index(fig)
        ...     f = Figure(i, i + len(fig), fig, val, counted="buses", attribution=who, sentence_index=0,
        ...                event="left")
        ...     return Analysis(a, (Sentence(aid, 0, 0, len(text), text),), figures=(f,))
        >>> src = [SourceEntry(1, "a", "A", None, None, None, None, group=1),
        ...        SourceEntry(2, "b", "B", None, None, None, None, group=2)]
        >>> e = figures_ledger([one("a", "Police said 20 buses left the depot.", "20 buses", 20, "police"),
        ...                     one("b", "Drivers said 35 buses left the depot.", "35 buses", 35, "drivers")], src)
        >>> e[0].counted, e[0].status, [(r.value, r.by) for r in e[0].figures]
        ('buses left', 'conflict', [(20, 'police'), (35, 'drivers')])
    """
    names = [f.attribution for an in analyses for f in an.figures if f.attribution]
    parties = Parties(names, [e for an in analyses for e in an.entities])
    weights = _Weights(analyses)
    out = []
    for key, items in _collect(analyses, sources, parties).items():
        for quantity in _quantities(items, key[1], weights):
            rows = _rows(quantity)
            status, notes, disputed = _status(rows)
            figures = tuple(replace(r, note=n, disputed=i in disputed)
                            for i, ((r, _, _), n) in enumerate(zip(rows, notes, strict=True)))
            words = Counter(i.word for i in quantity)
            what = " / ".join(w for w, _ in words.most_common(2))
            kind = "" if key[2] == "reported" else f"({key[2]})"
            label = " ".join(x for x in (what, key[1], key[3], kind) if x)
            quantity.sort(key=lambda i: i.order)
            values = tuple((i.figure.text, i.party, i.citation) for i in quantity)
            n_articles = len({i.citation.article_id for i in quantity})
            grave = 0 if key[1] in _GRAVE else 1
            entry = LedgerEntry(label, values, status, what=what, event=key[1] or None, figures=figures)  # type: ignore[arg-type]
            out.append(((_RANK[status], grave, -n_articles, quantity[0].order), entry))
    out.sort(key=lambda t: t[0])
    return tuple(e for _, e in out)
