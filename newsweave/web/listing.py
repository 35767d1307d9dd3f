"""The front page's list: filters, ranking, pages, and "changed since your last visit".

Pure functions over story rows, so the ranking can be tested without a server.

Ranking: a story moves up with the number of independent reports it has and
with how much it grew lately. Growth is read from the rows alone (no
per-article query per story): articles per day over the story's span, and how
recent its newest article is compared with the newest article in the store
(not the wall clock, so an archive of 2016 reports still ranks sensibly).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from newsweave.web.data import StoryLike

__all__ = [
    "Filters",
    "PER_PAGE",
    "changed",
    "filter_rows",
    "next_visit_cookie",
    "page_of",
    "parse_day",
    "rank",
    "visit_threshold",
]

PER_PAGE = 20
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A visit ends after this much quiet; markers then compare with the visit before.
VISIT_GAP = timedelta(minutes=30)

R = TypeVar("R", bound=StoryLike)


def parse_day(value: str | None, name: str) -> str | None:
    """A ``YYYY-MM-DD`` filter value, or None when empty.

    Raises:
        ValueError: naming the parameter and the expected shape.

    >>> parse_day("2026-03-10", "from"), parse_day("", "to")
    ('2026-03-10', None)
    """
    if value is None or not value.strip():
        return None
    v = value.strip()
    try:
        if not _DAY.match(v):
            raise ValueError
        date.fromisoformat(v)
    except ValueError:
        raise ValueError(f"{name} {value!r} is invalid; must be a date like 2026-03-10") from None
    return v


@dataclass(frozen=True)
class Filters:
    """What the reader asked the front page for."""

    query: str | None = None
    outlet: str | None = None
    start: str | None = None  # YYYY-MM-DD: stories with articles on or after
    end: str | None = None  # YYYY-MM-DD: stories with articles on or before
    page: int = 1

    def params(self) -> dict[str, str]:
        """The non-empty filters as query parameters (for links to other pages)."""
        out = {"q": self.query, "outlet": self.outlet, "from": self.start, "to": self.end}
        return {k: v for k, v in out.items() if v}


def filter_rows(rows: Sequence[R], f: Filters) -> list[R]:
    """Rows whose outlets include ``f.outlet`` and whose dates overlap the range.

    A story without dates is kept only when no date range is asked for.
    """
    out = []
    want = f.outlet.casefold().strip() if f.outlet else None
    for r in rows:
        if want and not any(o.casefold() == want for o in r.outlets):
            continue
        if f.start or f.end:
            first, last = r.first_date, r.last_date or r.first_date
            if not first or not last:
                continue
            if f.start and last[:10] < f.start:
                continue
            if f.end and first[:10] > f.end:
                continue
        out.append(r)
    return out


def _days(a: str | None, b: str | None) -> float:
    try:
        return float((date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days) if a and b else 0.0
    except ValueError:
        return 0.0


def score(row: StoryLike, newest: str | None) -> float:
    """Independent reports and recent growth, decaying with a 3-day half-life.

    >>> from newsweave.models import StoryRow as Row
    >>> big = Row("a", None, 12, ("X", "Y", "Z"), 3, "2026-03-09", "2026-03-12", None)
    >>> small = Row("b", None, 2, ("X",), 1, "2026-03-12", "2026-03-12", None)
    >>> old = Row("c", None, 12, ("X", "Y", "Z"), 3, "2026-02-01", "2026-02-03", None)
    >>> score(big, "2026-03-12") > score(small, "2026-03-12") > score(old, "2026-03-12")
    True
    """
    age = max(0.0, _days(row.last_date, newest))
    per_day = row.articles / (1.0 + _days(row.first_date, row.last_date))
    strength = row.independent + math.log2(1 + row.articles) + math.log2(1 + per_day)
    return strength * 0.5 ** (age / 3.0)


def rank(rows: Sequence[R]) -> list[R]:
    """Best first; ties go to the most recently updated story, then the id."""
    newest = max((r.last_date for r in rows if r.last_date), default=None)
    out = sorted(rows, key=lambda r: r.id)
    out.sort(key=lambda r: r.updated_at or "", reverse=True)  # stable sorts: the last key decides first
    out.sort(key=lambda r: -score(r, newest))
    return out


def page_of(rows: Sequence[R], page: int, per_page: int = PER_PAGE) -> tuple[list[R], int]:
    """One page of rows (1-based; past the end gives the last page) and the page count."""
    pages = max(1, math.ceil(len(rows) / per_page))
    page = min(max(1, page), pages)
    return list(rows[(page - 1) * per_page : page * per_page]), pages


def changed(row: StoryLike, threshold: str | None) -> bool | None:
    """Whether the story changed after ``threshold`` (None when there is none)."""
    if not threshold:
        return None
    limit = _parse_ts(threshold) if "T" in threshold else _parse_ts(threshold + "T00:00:00")
    updated = _parse_ts(row.updated_at) if row.updated_at else None
    if limit is None or updated is None:
        return None
    return updated > limit


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _parse_ts(value: str) -> datetime | None:
    try:
        ts = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def visit_threshold(cookie: str | None, now: datetime | None = None) -> str | None:
    """The time the reader's previous visit ended, from the visit cookie.

    The cookie holds ``PREVIOUS|LAST``: the end of the visit before this one
    and the last page view. Within one visit the markers stay put; after
    ``VISIT_GAP`` of quiet, the last view becomes the new threshold.

    >>> visit_threshold(None) is None
    True
    >>> t = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
    >>> visit_threshold("2026-03-11T08:00:00+00:00|2026-03-12T08:55:00+00:00", t)
    '2026-03-11T08:00:00+00:00'
    >>> visit_threshold("2026-03-11T08:00:00+00:00|2026-03-12T07:00:00+00:00", t)
    '2026-03-12T07:00:00+00:00'
    """
    prev, last = _split(cookie)
    if last is None:
        return None
    now = now or _now()
    if now - last > VISIT_GAP:
        return last.isoformat()
    return prev.isoformat() if prev else None


def next_visit_cookie(cookie: str | None, now: datetime | None = None) -> str:
    """The visit cookie to set after this page view (see :func:`visit_threshold`)."""
    prev, last = _split(cookie)
    now = now or _now()
    if last is None:
        return f"|{now.isoformat()}"
    if now - last > VISIT_GAP:
        prev = last
    return f"{prev.isoformat() if prev else ''}|{now.isoformat()}"


def _split(cookie: str | None) -> tuple[datetime | None, datetime | None]:
    if not cookie or "|" not in cookie or len(cookie) > 80:
        return None, None
    a, b = cookie.split("|", 1)
    return (_parse_ts(a) if a else None), _parse_ts(b)
