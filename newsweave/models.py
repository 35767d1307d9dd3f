"""The data model: frozen dataclasses that every stage takes and returns.

No I/O lives here. Every statement a briefing makes carries one or more
:class:`Citation` values, so renderers never guess where a claim came from.
Offsets are Unicode code-point offsets into ``Article.text`` exactly as read.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

Span = tuple[int, int]


def content_hash(text: str) -> str:
    """Stable id of an article's text: 16 hex digits of SHA-256 over NFC text.

    Whitespace runs are folded first so that re-saving a file with other line
    endings does not make a "new" article.

    >>> content_hash("Hello  world") == content_hash("Hello world\\n")
    True
    """
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Article:
    """One news report as ingested.

    ``id`` is the id given by the input (JSONL ``id``) or, when none was
    given, the content hash; ``hash`` is always the content hash, which the
    store uses to make re-ingest a no-op.
    """

    text: str
    id: str = ""
    hash: str = ""
    title: str | None = None
    source: str | None = None  # outlet name, e.g. "Harbor Wire"
    url: str | None = None
    published: str | None = None  # ISO date or datetime
    story: str | None = None
    path: str | None = None  # where it was read from (file, URL, "<stdin>")
    format: str = "text"  # text | html | jsonl | feed
    byline: str | None = None
    stance: str | None = None  # e.g. AllSides "left" / "center" / "right"

    def __post_init__(self) -> None:
        if not self.hash:
            object.__setattr__(self, "hash", content_hash(self.text))
        if not self.id:
            object.__setattr__(self, "id", self.hash)

    @property
    def date(self) -> str | None:
        """The publication date as ``YYYY-MM-DD`` (or None)."""
        return self.published[:10] if self.published else None


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with exact offsets; ``text == article.text[start:end]``."""

    article_id: str
    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0
    boilerplate: bool = False  # captions, READ MORE lines, credits: kept, never summarised


@dataclass(frozen=True, slots=True)
class Citation:
    """A pointer to the source text behind a statement."""

    article_id: str
    sentence_index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity merged within an article (and later across a story)."""

    name: str  # canonical (longest full) name
    label: str  # PERSON | ORG | GPE | LOC | NORP | GROUP
    mentions: tuple[Span, ...] = ()
    variants: tuple[str, ...] = ()
    role: str | None = None  # "Syria researcher for Human Rights Watch"
    article_id: str = ""


Stance = Literal["asserts", "denies", "rejects", "accuses", "questions"]


@dataclass(frozen=True, slots=True)
class Quote:
    """Direct quote or reported speech with its attribution.

    ``stance`` is what the cue does with the content: "The army denied
    carrying out killings" has stance ``denies``, never ``asserts``.
    ``claim`` is the claim as a reader should see it ("denied carrying out
    killings ...", "accused Kestrel of ..."), or "" when the attribution
    makes no claim worth showing (a position such as "backs", a
    self-description, a fragment), or None when it was not read (then
    ``text`` stands for it). ``confidence`` is the calibrated
    probability that content and speaker are both right (1.0 when not scored).
    """

    content: Span
    source: Span | None
    cue: Span | None
    speaker: str | None  # resolved full name, or description for anonymous sources
    kind: Literal["direct", "indirect", "mixed"] = "direct"
    role: str | None = None
    speaker_type: Literal["person", "organisation", "group", "anonymous", "unknown"] = "unknown"
    article_id: str = ""
    sentence_index: int = -1
    text: str = ""  # the content text
    stance: Stance = "asserts"
    claim: str | None = None  # None: not read (shown as ``text``); "": read, and not a claim
    target: str | None = None  # who is accused or blamed
    negative: bool = False  # the claimed proposition is itself negative ("no workers were hired")
    confidence: float = 1.0
    evidence: tuple[str, ...] = ()  # how it was found (the confidence model's indicators)

    @property
    def is_denial(self) -> bool:
        """Whether the speaker denies or rejects the content (for disputes)."""
        return self.stance in ("denies", "rejects")


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A TIMEX3 temporal expression normalised against the publication date."""

    start: int
    end: int
    text: str
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str
    article_id: str = ""


@dataclass(frozen=True, slots=True)
class Figure:
    """A number that counts or measures something."""

    start: int
    end: int
    text: str  # the whole figure phrase, e.g. "at least 82 civilians"
    value: float | None  # point value (or low end of a range)
    high: float | None = None  # upper end of a range
    qualifier: str | None = None  # at least | more than | about | up to | nearly | estimated
    counted: str | None = None  # what is counted: "civilians", "buses"
    unit: str | None = None  # for measures: "sq km", "km"
    attribution: str | None = None  # who gave the number
    parent: int | None = None  # index of the figure this is a breakdown of
    sentence_index: int = -1
    article_id: str = ""
    event: str | None = None  # what happened to them: killed | injured | evacuated | fled | remaining ...
    kind: str = "reported"  # reported | estimated | demanded | planned | offered
    date: str | None = None  # TIMEX3 value of the sentence's date, else the article's date
    earlier: bool = False  # the "from" side of a change ("raised from 2,000 to 10,000")
    revised: bool = False  # worded as a revision: "the toll rose to 62", "in a new toll"
    doubts: tuple[str, ...] = ()  # why the figure is unsure ("what is counted", "who gave it" ...)


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the analysis layer found in one article."""

    article: Article
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    timexes: tuple[TimeExpr, ...] = ()


@dataclass(frozen=True, slots=True)
class UnitSupport:
    """Where one unit of a fact's sentence (a clause stating one thing) is
    stated elsewhere: ``start``/``end`` are the unit's offsets in its article;
    ``citations`` the other sentences stating it (carrying its quotation,
    if it has one), ``paraphrases`` those stating it in other words."""

    start: int
    end: int
    citations: tuple[Citation, ...] = ()
    paraphrases: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact stated by one or more sentences across a story's articles."""

    id: int
    text: str  # the representative sentence's text
    citations: tuple[Citation, ...]  # every supporting sentence, representative first
    articles: tuple[str, ...]  # supporting article ids, in order
    independent: int = 1  # independent reports among the supporting articles
    score: float = 0.0
    # Sentences stating the fact in other words than the quotation ``text``
    # carries: they support the fact but do not carry the quoted words.
    paraphrases: tuple[Citation, ...] = ()
    # Articles with a sentence close to this fact that the same-fact test did
    # not accept: the fact may be stated there, so it is never called single-source.
    related: tuple[str, ...] = ()
    # Per unit of the representative sentence, where else it is stated: a
    # view that shows only part of the sentence cites only that part's support.
    # Internal to the pipeline (not written to the JSON), so it is left out of equality.
    support: tuple[UnitSupport, ...] = field(default=(), compare=False)
    # Sentences stating what this one denies or negates (or the reverse),
    # best match first: a contradiction the disputes view pairs up. Internal too.
    contradicted_by: tuple[Citation, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """A summary sentence; ``citations`` name every article stating it (its
    own sentence first), ``paraphrases`` those that state it without the
    quotation it carries."""

    text: str
    citations: tuple[Citation, ...]
    fact_id: int | None = None
    paraphrases: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One article in the sources list, with its independence group."""

    number: int  # the [n] used in citations
    article_id: str
    outlet: str | None
    title: str | None
    date: str | None
    url: str | None
    path: str | None
    group: int = 0  # articles sharing wire copy share a group
    copy_of: int | None = None  # number of the article this one republishes
    agencies: tuple[str, ...] = ()  # agencies whose copy the article carries (dateline, credit line, byline)
    cites: tuple[str, ...] = ()  # agencies the article only cites ("Reuters reported")


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    date: str  # TIMEX3 value, e.g. 2016-12-14 or 2016-12-13TNI
    text: str
    citations: tuple[Citation, ...]
    expressions: tuple[str, ...] = ()  # the original wording(s): "late Tuesday"


@dataclass(frozen=True, slots=True)
class Claim:
    """One thing a speaker said, across the articles that carry it.

    ``text`` is what the briefing shows, with its stance ("denied that an
    agreement had been reached"); ``content`` the source words of the
    representative article, exactly as cited.
    """

    text: str
    citations: tuple[Citation, ...]
    direct: bool = False
    stance: Stance = "asserts"
    confidence: float = 1.0
    target: str | None = None
    negative: bool = False
    content: str = ""


@dataclass(frozen=True, slots=True)
class SpeakerQuotes:
    speaker: str
    role: str | None
    quotes: tuple[Claim, ...]
    outlets: tuple[str, ...] = ()
    variants_differ: bool = False
    kind: str = "person"  # person | organisation | anonymous (a description)


@dataclass(frozen=True, slots=True)
class LedgerFigure:
    """One number given for a quantity, by one party, with every article that gives it.

    ``value`` is the point value (None for a range or a vague amount such as
    "dozens"); ``low`` and ``high`` bound what the wording allows (``high``
    None when open: "at least 82" is low 82, high None).
    """

    text: str  # the commonest wording, e.g. "at least 82 civilians"
    value: float | None
    low: float | None
    high: float | None
    unit: str | None = None
    qualifier: str | None = None
    counted: str | None = None
    event: str | None = None
    kind: str = "reported"  # reported | estimated | demanded | planned | offered
    by: str | None = None  # who gave it; None when the outlet states it itself
    date: str | None = None
    citations: tuple[Citation, ...] = ()
    note: str | None = None  # "earlier figure", "latest figure"
    disputed: bool = False  # another party gives a different number for the quantity


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One quantity of the story and every figure given for it.

    ``values`` is the flat list kept from the first ledger (one row per
    mention); ``figures`` has one row per distinct number and party.
    """

    counted: str
    values: tuple[tuple[str, str | None, Citation], ...]  # (figure text, attribution, citation)
    status: Literal["conflict", "updated", "corroborated", "single", "conflicting"] = "single"
    what: str = ""  # what is counted, e.g. "civilians"
    event: str | None = None  # what happened to them
    figures: tuple[LedgerFigure, ...] = ()


@dataclass(frozen=True, slots=True)
class Dispute:
    kind: Literal["denial", "blame", "numeric", "contradiction"]
    topic: str
    sides: tuple[tuple[str, tuple[Citation, ...]], ...]  # (statement, citations)


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    article_ids: tuple[str, ...]
    title: str | None = None


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One story as the store lists it (``stories --db``; the web app's story list).

    Dates are ISO strings (``first_date``/``last_date`` the earliest and latest
    publication dates, ``updated_at`` when the story last grew), or None.
    """

    id: str
    title: str | None
    articles: int
    outlets: tuple[str, ...]
    independent: int
    first_date: str | None
    last_date: str | None
    updated_at: str | None


@dataclass(frozen=True, slots=True)
class FigureChange:
    """A figure for one quantity that new reports changed (a toll revised from 12 to 15)."""

    counted: str
    before: tuple[tuple[str, Citation], ...]  # (figure text, citation) reported up to ``since``
    after: tuple[tuple[str, Citation], ...]  # the differing figures reported since


@dataclass(frozen=True, slots=True)
class Changes:
    """What a story's new reports added since a point in time (``brief --since``).

    Every item is cited; items are matched between the earlier and the current
    briefing by their content, never by position.
    """

    since: str  # the ISO date/time compared against
    new_articles: tuple[str, ...] = ()  # ids of the articles that arrived since
    facts: tuple[Fact, ...] = ()  # facts no earlier report stated
    figures: tuple[FigureChange, ...] = ()
    disputes: tuple[Dispute, ...] = ()  # disputes that were not there before
    speakers: tuple[SpeakerQuotes, ...] = ()  # new speakers, and new quotes of known ones


@dataclass(frozen=True)
class Briefing:
    """The whole briefing for one story. Sections beyond summary and sources
    stay empty until the stages that fill them run."""

    title: str
    sources: tuple[SourceEntry, ...]
    summary: tuple[SummarySentence, ...]
    articles: tuple[Article, ...] = ()
    sentences: dict[str, tuple[Sentence, ...]] = field(default_factory=dict)
    timeline: tuple[TimelineEvent, ...] = ()
    speakers: tuple[SpeakerQuotes, ...] = ()
    figures: tuple[LedgerEntry, ...] = ()
    disputes: tuple[Dispute, ...] = ()
    corroborated: tuple[Fact, ...] = ()
    single_source: tuple[Fact, ...] = ()
    coverage: dict[str, tuple[Fact, ...]] = field(default_factory=dict)
    words: int = 150
    notes: tuple[str, ...] = ()  # e.g. "spaCy not installed: rule-based quotes"
    changes: Changes | None = None  # set by ``brief --since``: what changed since then
    story_id: str | None = None  # the story's id when it came from story clustering

    def number_of(self, article_id: str) -> int:
        """The citation number [n] of an article."""
        for s in self.sources:
            if s.article_id == article_id:
                return s.number
        raise KeyError(article_id)
