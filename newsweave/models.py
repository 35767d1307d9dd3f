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


@dataclass(frozen=True, slots=True)
class Quote:
    """Direct quote or reported speech with its attribution."""

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
class SpeakerQuotes:
    speaker: str
    role: str | None
    quotes: tuple[tuple[str, tuple[Citation, ...], bool], ...]  # (text, citations, direct?)
    outlets: tuple[str, ...] = ()
    variants_differ: bool = False


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    counted: str
    values: tuple[tuple[str, str | None, Citation], ...]  # (figure text, attribution, citation)
    status: Literal["corroborated", "conflicting", "single"] = "single"


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

    def number_of(self, article_id: str) -> int:
        """The citation number [n] of an article."""
        for s in self.sources:
            if s.article_id == article_id:
                return s.number
        raise KeyError(article_id)
