"""Helpers the three renderers share: citation numbers, cited text, date labels.

Renderers never guess where a statement came from: every mark ``[n]`` is
derived from a :class:`~newsweave.models.Citation` through :class:`CiteIndex`.
A citation to an article missing from the sources list is dropped from the
marks (and counted), never shown with a made-up number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import PurePath

from newsweave.models import Article, Briefing, Citation, LedgerEntry, LedgerFigure, Sentence, SourceEntry

DISPUTE_LABELS = {
    "denial": "Denial",
    "blame": "Competing blame",
    "numeric": "Different numbers",
    "contradiction": "Contradiction",
}
STATUS_LABELS = {
    "corroborated": "corroborated", "conflict": "conflicting figures", "conflicting": "conflicting figures",
    "updated": "updated over time", "single": "one source",
}  # fmt: skip


class CiteIndex:
    """Lookups from a briefing's citations to numbers, articles and sentences.

    >>> from newsweave.models import Article, Briefing, Citation, SourceEntry
    >>> a = Article("Dockers struck. Ships waited.", id="a1", source="Harbor Wire")
    >>> s = SourceEntry(1, "a1", "Harbor Wire", None, None, None, None)
    >>> idx = CiteIndex(Briefing("t", (s,), (), articles=(a,)))
    >>> idx.numbers([Citation("a1", 1, 16, 29), Citation("zz", 0, 0, 1)])
    [1]
    >>> idx.text(Citation("a1", 1, 16, 29))
    'Ships waited.'
    """

    def __init__(self, briefing: Briefing) -> None:
        self.briefing = briefing
        self.by_id: dict[str, SourceEntry] = {s.article_id: s for s in briefing.sources}
        self.by_number: dict[int, SourceEntry] = {s.number: s for s in briefing.sources}
        self.articles: dict[str, Article] = {a.id: a for a in briefing.articles}
        self.unknown = 0  # citations whose article is not in the sources list

    def number(self, citation: Citation) -> int | None:
        """The source number ``n`` of a citation, or None when its article is unknown."""
        entry = self.by_id.get(citation.article_id)
        if entry is None:
            self.unknown += 1
            return None
        return entry.number

    def numbers(self, citations: Iterable[Citation]) -> list[int]:
        """Distinct source numbers of some citations, ascending (the ``[1][3]`` marks)."""
        found = {n for c in citations if (n := self.number(c)) is not None}
        return sorted(found)

    def first_per_source(self, citations: Iterable[Citation]) -> dict[int, list[Citation]]:
        """Citations grouped by source number, numbers ascending, order kept inside."""
        out: dict[int, list[Citation]] = {}
        for c in citations:
            n = self.number(c)
            if n is not None:
                out.setdefault(n, []).append(c)
        return dict(sorted(out.items()))

    def sentence(self, citation: Citation) -> Sentence | None:
        """The cited sentence, when the briefing carries its article's sentences."""
        sents = self.briefing.sentences.get(citation.article_id, ())
        if 0 <= citation.sentence_index < len(sents):
            s = sents[citation.sentence_index]
            if s.index == citation.sentence_index:
                return s
        for s in sents:  # indices may not be positions if a stage filtered sentences
            if s.index == citation.sentence_index:
                return s
        return None

    def text(self, citation: Citation) -> str:
        """The cited text: the article's characters between the citation's offsets."""
        art = self.articles.get(citation.article_id)
        if art is not None and 0 <= citation.start <= citation.end <= len(art.text):
            return art.text[citation.start : citation.end]
        sent = self.sentence(citation)
        return sent.text if sent else ""


_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f<>\"'`\\]")


def safe_url(url: str | None) -> str | None:
    """``url`` when it may become a link: ``http(s)://`` with a host and no
    spaces, quotes, angle brackets or control characters; else None.

    ``javascript:``, ``data:`` and every other scheme are never linked, in
    Markdown or HTML; the renderers show such an address as plain text.

    >>> safe_url("https://harborwire.example/strike"), safe_url("javascript:alert(1)"), safe_url("data:text/html,x")
    ('https://harborwire.example/strike', None, None)
    """
    if not url or _URL_UNSAFE.search(url):
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def outlet_label(entry: SourceEntry) -> str:
    """A name for a source: its outlet, else its file name, else "Article n"."""
    if entry.outlet:
        return entry.outlet
    if entry.path:
        return PurePath(entry.path.split(":")[0]).name or f"Article {entry.number}"
    return f"Article {entry.number}"


_NUMBER_KEY = re.compile(r"^\[(\d+)\]$")
_QUOTE_CHARS = '"“”«»„'
_ONE_QUOTE = re.compile(r"^[\"“«„]([^\"“”«»„]+?)[,.]?[\"”»]$")


def outlet_name(key: str, idx: CiteIndex) -> str:
    """An outlet key from the pipeline, readable: "[1]" (an article without a
    known outlet) becomes its file name with the number; a known outlet gets
    its numbers: "Bayside Tribune [5]".

    >>> from newsweave.models import Briefing, SourceEntry
    >>> s = SourceEntry(1, "a1", None, None, None, None, "story/courier.txt")
    >>> outlet_name("[1]", CiteIndex(Briefing("t", (s,), ())))
    'courier.txt [1]'
    """
    m = _NUMBER_KEY.match(key.strip())
    if m and int(m[1]) in idx.by_number:
        return f"{outlet_label(idx.by_number[int(m[1])])} [{m[1]}]"
    nums = sorted(s.number for s in idx.by_number.values() if s.outlet == key)
    return f"{key} " + "".join(f"[{n}]" for n in nums) if nums else key


def quote_text(text: str, direct: bool) -> tuple[str, bool]:
    """A quote for display, and whether the renderer should add quote marks.

    A direct quote that is one quoted passage loses its own marks (and the
    comma before the closing mark) so the renderer can set typographic ones;
    a passage that already mixes quotes and narration is shown as it is.

    >>> quote_text('"We will stay out,"', True)
    ('We will stay out', True)
    >>> quote_text('"Yes," she said. "No."', True)
    ('"Yes," she said. "No."', False)
    """
    t = " ".join(text.split())
    if not direct:
        return t, False
    m = _ONE_QUOTE.match(t)
    if m:
        return m[1], True
    return t, not any(ch in t for ch in _QUOTE_CHARS)


def independent_groups(sources: Iterable[SourceEntry]) -> list[list[SourceEntry]]:
    """Sources grouped by independence group, in order of the group's first number."""
    groups: dict[int, list[SourceEntry]] = {}
    for s in sorted(sources, key=lambda e: e.number):
        groups.setdefault(s.group, []).append(s)
    return list(groups.values())


def overview_bits(b: Briefing) -> list[str]:
    """The briefing's one-line overview: articles, independent reports, date range."""
    dates = sorted(s.date[:10] for s in b.sources if s.date)
    n_groups = len(independent_groups(b.sources))
    bits = [f"{len(b.sources)} article{'s' if len(b.sources) != 1 else ''}"]
    if b.sources:
        bits.append(f"{n_groups} independent report{'s' if n_groups != 1 else ''}")
    if dates:
        bits.append(dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}")
    return bits


def copy_note(entry: SourceEntry, sources: Iterable[SourceEntry]) -> str:
    """The note after a source: 'copy of [2]', 'shares wire copy with [4]', or '' if independent."""
    if entry.copy_of is not None:
        return f"copy of [{entry.copy_of}]"
    mates = [s.number for s in sources if s.group == entry.group and s.number != entry.number]
    if mates:
        return "shares wire copy with " + "".join(f"[{n}]" for n in sorted(mates))
    return ""


_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(.*))?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_PARTS = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def date_span(value: str) -> tuple[date, date] | None:
    """First and last day a TIMEX3 value covers, or None when it is not a calendar date.

    >>> date_span("2026-W12")
    (datetime.date(2026, 3, 16), datetime.date(2026, 3, 22))
    >>> date_span("2026-03-10TMO")
    (datetime.date(2026, 3, 10), datetime.date(2026, 3, 10))
    >>> date_span("PRESENT_REF") is None
    True
    """
    try:
        if m := _DAY.match(value):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := _WEEK.match(value):
            d = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return d, d + timedelta(days=6)
        if m := _MONTH.match(value):
            first = date(int(m[1]), int(m[2]), 1)
            nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, nxt - timedelta(days=1)
        if m := _YEAR.match(value):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def date_label(value: str) -> str:
    """A reader's label for a TIMEX3 value; unknown shapes are shown as they are.

    >>> date_label("2026-03-09")
    'Mon 9 March 2026'
    >>> date_label("2026-03-10TMO")
    'Tue 10 March 2026, morning'
    >>> date_label("2026-W12")
    'week of Mon 16 March 2026'
    """
    if m := _DAY.match(value):
        span = date_span(value)
        if span is None:
            return value
        d = span[0]
        label = f"{d:%a} {d.day} {_MONTHS[d.month - 1]} {d.year}"
        rest = m[4]
        if rest:
            label += ", " + _PARTS.get(rest, rest)
        return label
    if _WEEK.match(value):
        span = date_span(value)
        return "week of " + date_label(span[0].isoformat()) if span else value
    if m := _MONTH.match(value):
        return f"{_MONTHS[int(m[2]) - 1]} {m[1]}" if 1 <= int(m[2]) <= 12 else value
    return value


def ledger_rows(entry: LedgerEntry) -> list[LedgerFigure]:
    """The rows of a ledger entry; an entry from an older briefing (mentions only) gets one row per mention."""
    if entry.figures:
        return list(entry.figures)
    return [LedgerFigure(text, None, None, None, by=who, citations=(cite,)) for text, who, cite in entry.values]


def figure_label(row: LedgerFigure, entry: LedgerEntry | None = None) -> str:
    """A row's figure as shown: its wording, with its kind and note when they add something.

    >>> figure_label(LedgerFigure("over 250 fighters", 250.0, 250.0, None, kind="demanded"))
    'over 250 fighters (demanded)'
    """
    kind: str | None = row.kind if row.kind not in ("reported", "") else None
    if kind and (kind[:6] in row.text.lower() or (entry is not None and f"({kind})" in entry.counted)):
        kind = None  # "an estimated 130,000", an entry already labelled "(demanded)"
    extra = [x for x in (kind, row.note) if x]
    return f"{row.text} ({'; '.join(extra)})" if extra else row.text


def is_conflict(entry: LedgerEntry) -> bool:
    """Whether parties disagree on the entry's number."""
    return entry.status in ("conflict", "conflicting")
