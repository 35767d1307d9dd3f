"""What the story clusterer knows about one article, and document frequencies.

An article becomes an :class:`ArticleRep`: TF-IDF terms of its title and text,
cheap named entities (capitalised name runs, no spaCy parse), the weekdays
and months it mentions, its day (publication date, else a date in its URL,
else none), its outlet, and optionally a MiniLM embedding of its opening.

Document frequencies are counted online (:class:`DocFreq`): each article
updates them as it arrives, so a term's weight reflects the stream so far and
no corpus is needed up front.

>>> from newsweave.models import Article
>>> rep = represent(Article("Dockers at Port Vell walked out on Tuesday.", title="Port strike",
...                         url="https://example.org/2025/03/04/strike"))
>>> rep.day is not None, sorted(rep.weekdays), "port vell" in rep.entities
(True, ['tue'], True)
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from newsweave.models import Article
from newsweave.synthesize.lexical import STOPWORDS, stem, words

__all__ = [
    "ArticleRep",
    "DocFreq",
    "EMBED_WORDS",
    "MIN_WORDS",
    "calendar_cues",
    "day_of",
    "embed_text",
    "entities",
    "represent",
    "represent_many",
    "unassignable",
    "url_date",
]

MIN_WORDS = 8  # fewer words than this say nothing about which story they belong to
EMBED_WORDS = 40  # title + opening words embedded (about 55 word pieces: the lead carries the event)
LEAD_WORDS = 120  # terms and names come from the title and the opening: the lead names the event
MAX_TERMS = 200  # an article's vector keeps its heaviest terms
# Document frequencies from a handful of articles say little: idf is computed as if this
# many more documents, holding none of the terms, had been seen. A folder of eight
# articles then weighs a story's own words as a large corpus would; past a few
# thousand articles the prior no longer matters.
PRIOR_DOCS = 300
SHINGLE_WORDS = 4
_NUMBER = re.compile(r"(?<![\w.,])\d[\d,]*(?:\.\d+)?(?![\w])")
_YEAR = re.compile(r"(?:19|20)\d\d")

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")  # fmt: skip
_DAY_RE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.I)
# "May" is also a verb: months count only when capitalised and near a number or "in/of/last/next".
_MONTH_RE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?(?=\s*\d|\s*,?\s*(?:19|20)\d\d)"
    r"|\b(?:in|of|last|next|early|late|mid)\s+(January|February|March|April|May|June|July"
    r"|August|September|October|November|December)\b"
)
# A date in a URL path: /2021/10/18/, /2021-10-18, /20211018/ (as htmldate reads them).
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
# Capitalised runs not at a sentence start: "Supreme Court", "Joe Biden", "Port Vell".
_CAP_RUN = re.compile(r"(?<![.!?:\"“]\s)(?<!^)(?<!\n)\b([A-Z][\w'’-]*[A-Za-z](?:[ \t]+(?:of[ \t]+|de[ \t]+|al-)?[A-Z][\w'’-]*[A-Za-z])*)")
_POSSESSIVE = re.compile(r"'s?$")  # "Elena Marsh's" is Elena Marsh; "Thursday's" is a weekday
_NOT_NAMES = frozenset(w.capitalize() for w in _WEEKDAYS + _MONTHS) | frozenset(
    ["The", "A", "An", "In", "On", "At", "But", "And", "It", "He", "She", "They", "We", "I", "This", "That", "There", "These", "Those", "His", "Her", "Its", "Their", "Our", "Your", "If", "When", "While", "After", "Before", "As", "For", "From", "With", "By", "Of", "To", "Mr", "Mrs", "Ms", "Dr", "Read", "More", "Photo", "Image", "Video", "Watch", "Advertisement", "Click", "Subscribe", "Sign", "Share"]
)


@dataclass(slots=True)
class ArticleRep:
    """The clusterer's view of one article (vectors are filled by :class:`DocFreq`)."""

    key: str  # content hash
    terms: Counter[str]
    title_terms: Counter[str]
    entities: frozenset[str]
    weekdays: frozenset[str]
    months: frozenset[str]
    day: int | None  # proleptic ordinal of the publication (or URL) date
    outlet: str | None
    words: int
    has_title: bool = True
    embedding: Any = None  # numpy unit vector when embeddings are on
    shingles: frozenset[int] = frozenset()  # hashed word 4-grams of the lead (quotes, shared phrasing)
    numbers: frozenset[str] = frozenset()  # numbers the lead gives ("498,000", "27.1")
    vec: dict[str, float] = field(default_factory=dict)
    title_vec: dict[str, float] = field(default_factory=dict)
    ent_vec: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=1 << 17)
def _term(word: str) -> str:
    """A word's stem, '' for stop words (cached: a stream's vocabulary repeats)."""
    return "" if word in STOPWORDS or len(word) < 2 else stem(word)


def terms(text: str) -> list[str]:
    """Stems of the content words of ``text``, as :func:`newsweave.synthesize.lexical.terms`."""
    return [t for t in map(_term, words(text)) if t]


def url_date(url: str | None) -> str | None:
    """The ``YYYY-MM-DD`` date in a URL's path, if it has one.

    >>> url_date("https://news.example/2021/10/18/court-rules.html")
    '2021-10-18'
    >>> url_date("https://news.example/article/abc123") is None
    True
    """
    if not url:
        return None
    m = _URL_DATE.search(url)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def day_of(article: Article) -> int | None:
    """The article's day as an ordinal: its publication date, else its URL's date."""
    for iso in (article.date, url_date(article.url)):
        if iso:
            try:
                return date.fromisoformat(iso[:10]).toordinal()
            except ValueError:
                continue
    return None


def calendar_cues(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Weekdays and months a text mentions, as three-letter keys.

    >>> days, months = calendar_cues("The vote on Thursday followed talks in August and on Oct. 3.")
    >>> sorted(days), sorted(months)
    (['thu'], ['aug', 'oct'])
    """
    days = frozenset(m.group(1)[:3].lower() for m in _DAY_RE.finditer(text))
    months = frozenset((m.group(1) or m.group(2))[:3].lower() for m in _MONTH_RE.finditer(text))
    return days, months


def entities(text: str) -> frozenset[str]:
    """Capitalised name runs not at a sentence start, lower-cased (no spaCy).

    >>> sorted(entities("Talks failed. The Harbor Union and Mayor Ana Ruiz met at City Hall."))
    ['city hall', 'harbor union', 'mayor ana ruiz']
    >>> sorted(entities("Before Thursday's vote in March, Ana Ruiz's aides met Port Vell’s union."))
    ['ana ruiz', 'port vell']
    """
    out = set()
    for m in _CAP_RUN.finditer(text):
        name = m.group(1)
        name = _POSSESSIVE.sub("", name.replace("’", "'"))
        if name in _NOT_NAMES or name.lower() in STOPWORDS or len(name) < 3:
            continue
        out.add(name.lower())
    return frozenset(out)


def unassignable(article: Article) -> str | None:
    """Why an article cannot be placed in a story (empty, one line, too short), or None."""
    text = article.text.strip()
    if not text:
        return "empty text"
    n = len(text.split())
    if n < MIN_WORDS:
        return f"only {n} word{'s' if n != 1 else ''}: too short to tell its story"
    if "\n" not in text and n < 2 * MIN_WORDS and not article.title:
        return "a single short line with no title: too short to tell its story"
    return None


def embed_text(article: Article) -> str:
    """The title and opening words, as embedded."""
    head = " ".join(article.text.split()[:EMBED_WORDS])
    return f"{article.title.strip()}. {head}" if article.title else head


def represent(article: Article) -> ArticleRep:
    """The clusterer's raw view of an article (vectors come later, from :class:`DocFreq`)."""
    # The lead, not the whole text: two long reports of one event differ in their
    # details far more than in their openings, and the model was fitted on openings.
    text = " ".join(article.text[: LEAD_WORDS * 12].split(" ")[:LEAD_WORDS])
    title = article.title or ""
    both = f"{title}\n{text}" if title else text
    days, months = calendar_cues(both)
    return ArticleRep(
        key=article.hash,
        terms=Counter(terms(both)),
        title_terms=Counter(terms(title)),
        entities=entities(both),
        weekdays=days,
        months=months,
        day=day_of(article),
        outlet=(article.source or "").strip() or None,
        words=len(article.text.split()),
        has_title=bool(title.strip()),
        shingles=shingles(text),
        numbers=frozenset(n for n in _NUMBER.findall(both) if not _YEAR.fullmatch(n)),
    )


def shingles(text: str, n: int = SHINGLE_WORDS) -> frozenset[int]:
    """Hashed word ``n``-grams of ``text`` (lower-cased, punctuation dropped).

    >>> len(shingles("He said the talks would resume on Monday.") & shingles("Ruiz said the talks would resume."))
    2
    """
    ws = [w.lower() for w in words(text)]
    return frozenset(zlib.crc32(" ".join(ws[k : k + n]).encode("utf-8")) for k in range(len(ws) - n + 1))


def represent_many(
    articles: Sequence[Article], embedder: Any = None, given: Sequence[ArticleRep | None] | None = None
) -> list[ArticleRep | None]:
    """Each article's representation (None when it cannot be placed), with its embedding
    when an ``embedder`` is given; ``given`` ones (prepared elsewhere, e.g. by a Dask
    worker) are kept. What a worker prepares equals what this process would: an
    article's representation and embedding depend on it alone, not on its batch.
    """
    reps: list[ArticleRep | None] = []
    for k, art in enumerate(articles):
        pre = given[k] if given is not None else None
        reps.append(pre if pre is not None else (None if unassignable(art) else represent(art)))
    if embedder is not None:
        todo = [(i, art) for i, (art, rep) in enumerate(zip(articles, reps)) if rep is not None and rep.embedding is None]
        if todo:
            vecs = embedder.embed([embed_text(a) for _, a in todo])
            for (i, _), v in zip(todo, vecs):
                reps[i].embedding = v  # type: ignore[union-attr]
    return reps


class DocFreq:
    """Document frequencies counted online over terms and entities.

    >>> df = DocFreq()
    >>> df.add(["port", "strike"], ["port vell"]); df.add(["port"], [])
    >>> round(df.idf("port"), 3) < round(df.idf("strike"), 3)
    True
    """

    def __init__(self, n: int = 0, counts: Mapping[str, int] | None = None) -> None:
        self.n = n
        self.counts: Counter[str] = Counter(counts or {})
        self.dirty: set[str] = set()  # keys changed since the last save

    def add(self, term_keys: Iterable[str], entity_keys: Iterable[str]) -> None:
        """Count one document's distinct terms and entities (entities prefixed ``e:``)."""
        self.n += 1
        keys = set(term_keys) | {"e:" + e for e in entity_keys}
        self.counts.update(keys)
        self.dirty.update(keys)

    def idf(self, key: str) -> float:
        """Smoothed idf as in scikit-learn, with :data:`PRIOR_DOCS` unseen documents:
        ``ln((1 + n + prior) / (1 + df)) + 1``."""
        return math.log((1 + self.n + PRIOR_DOCS) / (1 + self.counts.get(key, 0))) + 1.0

    def weigh(self, rep: ArticleRep) -> None:
        """Fill ``rep``'s L2-normalised TF-IDF vectors (text, title, entities)."""
        rep.vec = _unit({t: (1.0 + math.log(c)) * self.idf(t) for t, c in rep.terms.items()}, MAX_TERMS)
        rep.title_vec = _unit({t: (1.0 + math.log(c)) * self.idf(t) for t, c in rep.title_terms.items()})
        rep.ent_vec = _unit({e: self.idf("e:" + e) for e in rep.entities})

    def prune(self, max_keys: int) -> int:
        """Drop keys seen once when there are more than ``max_keys`` (bounded memory).

        Returns how many were dropped; their idf becomes that of an unseen key,
        which is what a key seen once in a large stream nearly has anyway.
        """
        if len(self.counts) <= max_keys:
            return 0
        gone = [k for k, c in self.counts.items() if c <= 1]
        for k in gone:
            del self.counts[k]
        return len(gone)


def _unit(vec: dict[str, float], keep: int | None = None) -> dict[str, float]:
    if keep is not None and len(vec) > keep:
        vec = dict(sorted(vec.items(), key=lambda kv: -kv[1])[:keep])
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}
