"""What a short briefing shows: every section's cap and importance order, in one place.

The default Markdown briefing is what an editor reads in three minutes, so
each long section shows its most important items and says how many more the
HTML and JSON briefings hold. The order of importance is the one each section
already has, made explicit here:

* timeline: events stated by the most independent reports, then those
  earliest in a lead, spread over the days; shown in date order;
* who said what: speakers quoted by the most independent reports, then with
  the most claims; named people and organisations before anonymous sources;
  each speaker's denials and accusations first, then the claims most
  reports carry;
* figures: the ledger's own order (conflicts, then updates, then
  corroborated figures, then one-source ones; deaths and injuries before
  other counts), whole entries only, so a conflict always shows both sides;
* disputes, corroborated facts: the pipeline's order (most independent
  reports first);
* single-source facts: best scored first, a few per article so one long
  report does not fill the list;
* coverage: per outlet, the facts only it reported that the briefing has not
  already shown in another section (its distinctive facts, not its lead again).

The Markdown renderer shows :attr:`Cut.shown` and an "and N more" line; the
HTML renderer shows the same items open and folds the rest; the JSON
renderer applies no cap. Citations of every shown item are kept whole.

The Markdown also keeps to a word budget (:func:`budget`): at most
:attr:`Caps.words`, and no more than :attr:`Caps.share` of the words of the
articles themselves (a briefing should not be as long as what it saves the
reader from reading), never under :attr:`Caps.min_words`. When the capped
briefing is still longer, :func:`fit` lowers the caps one step at a time, the
least important sections first (coverage, then single-source facts, the
timeline, corroborated facts, speakers, figures, claims, and disputes last).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, Generic, TypeVar

from newsweave.models import (
    Briefing,
    Citation,
    Claim,
    Dispute,
    Fact,
    LedgerEntry,
    SpeakerQuotes,
    TimelineEvent,
)

__all__ = ["Caps", "DEFAULT_CAPS", "NO_CAPS", "FULL_NOTE", "Cut", "Selection", "select", "budget", "fit", "more_note",
           "plural"]

T = TypeVar("T")


@dataclass(frozen=True)
class Caps:
    """How many items of each section the short briefing shows (None: all).

    >>> Caps().speakers, NO_CAPS.speakers
    (4, None)
    """

    timeline: int | None = 5
    speakers: int | None = 4
    claims: int | None = 2  # per shown speaker
    figure_rows: int | None = 8
    disputes: int | None = 4
    corroborated: int | None = 3
    single_source: int | None = 3
    single_per_article: int | None = 2
    coverage: int | None = 1  # per outlet, distinctive facts only
    coverage_outlets: int | None = 3  # outlets with the most facts of their own
    words: int | None = 1400  # the Markdown's word budget (None: no budget)
    share: float | None = 0.7  # ... and at most this share of the articles' words
    min_words: int = 700  # ... but never a budget under this


DEFAULT_CAPS = Caps()
_UNCAPPED: dict[str, Any] = {f.name: None for f in fields(Caps) if f.name != "min_words"}
NO_CAPS = Caps(**_UNCAPPED)

# The order in which :func:`fit` gives up items, least important first, and
# the fewest items each section keeps.
_SHRINK = (
    ("coverage_outlets", 0), ("single_source", 1), ("timeline", 3), ("corroborated", 2),
    ("speakers", 3), ("figure_rows", 4), ("claims", 1), ("disputes", 2),
)


def budget(b: Briefing, caps: Caps = DEFAULT_CAPS) -> int | None:
    """The Markdown's word budget for ``b``, or None for no budget.

    >>> from newsweave.models import Article
    >>> long = Briefing("t", (), (), articles=(Article("word " * 5000),))
    >>> short = Briefing("t", (), (), articles=(Article("word " * 1500),))
    >>> budget(long), budget(short), budget(Briefing("t", (), ())), budget(short, NO_CAPS)
    (1400, 1050, 1400, None)
    """
    if caps.words is None:
        return None
    read = sum(len(a.text.split()) for a in b.articles)
    if caps.share is None or not read:
        return caps.words
    return max(caps.min_words, min(caps.words, int(caps.share * read)))


def fit(b: Briefing, caps: Caps, words_of: Callable[[Caps], int]) -> Caps:
    """The caps lowered, least important sections first, until ``words_of(caps)`` is within :func:`budget`.

    Args:
        b: the briefing.
        caps: the caps to start from.
        words_of: how long the briefing is under some caps (the renderer's own count).

    Returns:
        ``caps`` when it fits (or has no budget); else the first lowered caps
        that fit, or the lowest when none does.
    """
    limit = budget(b, caps)
    if limit is None or words_of(caps) <= limit:
        return caps
    changed = True
    while changed:
        changed = False
        for name, floor in _SHRINK:
            value = getattr(caps, name)
            if value is not None and value > floor:
                caps = replace(caps, **{name: value - 1})
                changed = True
                if words_of(caps) <= limit:
                    return caps
    return caps



@dataclass(frozen=True)
class Cut(Generic[T]):
    """A section split into the items shown and the rest.

    ``shown`` holds positions into ``items`` in display order; ``rest`` the
    other positions in the section's own order.
    """

    items: tuple[T, ...]
    shown: tuple[int, ...]
    rest: tuple[int, ...] = ()

    @property
    def shown_items(self) -> list[T]:
        """The items shown, in display order."""
        return [self.items[i] for i in self.shown]

    @property
    def rest_items(self) -> list[T]:
        """The items left to the full briefing, in the section's order."""
        return [self.items[i] for i in self.rest]

    @property
    def hidden(self) -> int:
        """How many items are not shown."""
        return len(self.rest)


def _cut(items: Sequence[T], ranked: Iterable[int], cap: int | None, *, keep_order: bool = False) -> Cut[T]:
    """The first ``cap`` positions of ``ranked``; shown in rank order, or in
    the items' own order when ``keep_order``."""
    ranked = list(ranked)
    chosen = ranked if cap is None else ranked[:cap]
    shown = tuple(sorted(chosen)) if keep_order else tuple(chosen)
    taken = set(chosen)
    return Cut(tuple(items), shown, tuple(i for i in range(len(items)) if i not in taken))


def _head(items: Sequence[T], cap: int | None) -> Cut[T]:
    return _cut(items, range(len(items)), cap)


def _groups(b: Briefing) -> Callable[[Iterable[Citation]], int]:
    """Number of independent reports (wire groups) among some citations."""
    group = {s.article_id: s.group for s in b.sources}

    def count(citations: Iterable[Citation]) -> int:
        return len({group.get(c.article_id, c.article_id) for c in citations})

    return count


def _timeline(b: Briefing, cap: int | None) -> Cut[TimelineEvent]:
    events = b.timeline
    if cap is None or len(events) <= cap:
        return Cut(events, tuple(range(len(events))))
    support = _groups(b)
    key = {i: (-support(ev.citations), min((c.sentence_index for c in ev.citations), default=0), i)
           for i, ev in enumerate(events)}
    left = sorted(range(len(events)), key=lambda i: key[i])
    days: Counter[str] = Counter()
    order: list[int] = []
    while left and len(order) < cap:
        # The best supported event, a day already shown counting against it
        # among equals: the highlights spread over the story's days.
        best = min(left, key=lambda i: (key[i][0], days[events[i].date[:10]], key[i][1:]))
        left.remove(best)
        order.append(best)
        days[events[best].date[:10]] += 1
    return _cut(events, order, None, keep_order=True)


_KIND_RANK = {"person": 0, "organisation": 0}


def _speakers(b: Briefing, caps: Caps) -> tuple[Cut[SpeakerQuotes], dict[int, Cut[Claim]]]:
    support = _groups(b)
    speakers = b.speakers
    key = {
        i: (-support(c for cl in sp.quotes for c in cl.citations), -len(sp.quotes), _KIND_RANK.get(sp.kind, 1), i)
        for i, sp in enumerate(speakers)
    }
    cut = _cut(speakers, sorted(range(len(speakers)), key=lambda i: key[i]), caps.speakers)
    claims = {}
    for i in cut.shown:
        quotes = speakers[i].quotes
        ck = {j: (cl.stance == "asserts", -support(cl.citations), j) for j, cl in enumerate(quotes)}
        claims[i] = _cut(quotes, sorted(range(len(quotes)), key=lambda j: ck[j]), caps.claims, keep_order=True)
    return cut, claims


def _figures(b: Briefing, cap: int | None) -> Cut[LedgerEntry]:
    from newsweave.render.common import ledger_rows

    entries = b.figures
    if cap is None:
        return Cut(entries, tuple(range(len(entries))))
    chosen: list[int] = []
    rows = 0
    for i, e in enumerate(entries):
        n = len(ledger_rows(e))
        if rows + n <= cap or not chosen:
            chosen.append(i)
            rows += n
    return _cut(entries, chosen, None, keep_order=True)


def _single(b: Briefing, cap: int | None, per_article: int | None) -> Cut[Fact]:
    facts = b.single_source
    taken: Counter[str] = Counter()
    chosen: list[int] = []
    for i, f in enumerate(facts):
        if cap is not None and len(chosen) == cap:
            break
        art = f.articles[0] if f.articles else ""
        if per_article is None or taken[art] < per_article:
            taken[art] += 1
            chosen.append(i)
    return _cut(facts, chosen, None)


def _sentences(citations: Iterable[Citation]) -> set[tuple[str, int]]:
    return {(c.article_id, c.sentence_index) for c in citations}


@dataclass(frozen=True)
class Selection:
    """Every capped section of one briefing, cut once for all renderers."""

    timeline: Cut[TimelineEvent]
    speakers: Cut[SpeakerQuotes]
    claims: dict[int, Cut[Claim]]  # shown speaker position -> its claims
    figures: Cut[LedgerEntry]
    disputes: Cut[Dispute]
    corroborated: Cut[Fact]
    single_source: Cut[Fact]
    coverage: dict[str, Cut[Fact]] = field(default_factory=dict)

    @property
    def hidden(self) -> int:
        """How many items of all sections (claims of shown speakers included) are not shown."""
        sections = (self.timeline.hidden + self.speakers.hidden + self.figures.hidden + self.disputes.hidden
                    + self.corroborated.hidden + self.single_source.hidden)
        return sections + sum(c.hidden for c in self.claims.values()) + sum(c.hidden for c in self.coverage.values())

    def claims_of(self, position: int) -> Cut[Claim]:
        """The claims cut of the speaker at ``position`` (all of them when it is not among the shown)."""
        cut = self.claims.get(position)
        if cut is None:
            quotes = self.speakers.items[position].quotes
            return Cut(quotes, tuple(range(len(quotes))))
        return cut


def select(b: Briefing, caps: Caps = DEFAULT_CAPS) -> Selection:
    """Cut every long section of ``b`` to what the short briefing shows.

    Args:
        b: the briefing.
        caps: the caps; :data:`NO_CAPS` shows everything.

    Returns:
        The cuts; a coverage list holds only facts whose sentences no other
        shown section already carries, up to ``caps.coverage`` per outlet.

    Example:
        >>> from newsweave.models import Briefing, Fact
        >>> facts = tuple(Fact(i, f"Fact {i}.", (), ("a",)) for i in range(9))
        >>> cut = select(Briefing("t", (), (), corroborated=facts)).corroborated
        >>> len(cut.shown), cut.hidden
        (3, 6)
    """
    speakers, claims = _speakers(b, caps)
    sel = Selection(
        timeline=_timeline(b, caps.timeline),
        speakers=speakers,
        claims=claims,
        figures=_figures(b, caps.figure_rows),
        disputes=_head(b.disputes, caps.disputes),
        corroborated=_head(b.corroborated, caps.corroborated),
        single_source=_single(b, caps.single_source, caps.single_per_article),
    )
    # What the reader has already seen, sentence by sentence.
    seen = _sentences(c for s in b.summary for c in s.citations)
    seen |= _sentences(c for ev in sel.timeline.shown_items for c in ev.citations)
    seen |= _sentences(c for i in sel.speakers.shown for cl in sel.claims_of(i).shown_items for c in cl.citations)
    seen |= _sentences(c for d in sel.disputes.shown_items for _, cites in d.sides for c in cites)
    seen |= _sentences(c for f in (*sel.corroborated.shown_items, *sel.single_source.shown_items) for c in f.citations)
    outlets = 0
    for outlet, facts in b.coverage.items():  # outlets with the most facts of their own first
        fresh = [i for i, f in enumerate(facts) if caps.coverage is None or not (_sentences(f.citations) & seen)]
        room = caps.coverage_outlets is None or outlets < caps.coverage_outlets
        sel.coverage[outlet] = _cut(facts, fresh if room else [], caps.coverage)
        outlets += bool(fresh) and room
    return sel


FULL_NOTE = ("Long sections show their most important items here; the HTML and JSON briefings "
             "(--format html, --format json) hold every item.")


def plural(n: int, word: str) -> str:
    """``n`` and ``word``, with an "s" unless ``n`` is 1.

    >>> plural(1, "claim"), plural(12, "claim")
    ('1 claim', '12 claims')
    """
    return f"{n} {word}{'' if n == 1 else 's'}"


def more_note(hidden: int, what: str, extra: str = "") -> str:
    """The "and N more" line of a capped section; ``what`` is singular.

    >>> more_note(3, "speaker", "12 claims"), more_note(1, "event")
    ('and 3 more speakers (12 claims)', 'and 1 more event')
    """
    tail = f" ({extra})" if extra else ""
    return f"and {hidden} more {plural(hidden, what).split(' ', 1)[1]}{tail}"
