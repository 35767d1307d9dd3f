"""Plain-text articles with the seed conventions.

* an optional ``date YYYY-MM-DD`` prefix (first line or inline prefix);
* an optional headline (and standfirst) as the first lines;
* an optional closing ``Source: Outlet`` line;
* the outlet inferred from the text when not given: ``Source: Al Jazeera``,
  a dateline ``(Reuters) -``, or the outlet the piece's own reporters talk to.

The article text is kept exactly as read so offsets match the file.
"""

from __future__ import annotations

import re

from newsweave.analyze.sentences import body_start
from newsweave.errors import BadInput
from newsweave.models import Article

_DATE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]+)?)\s", re.I)
_SOURCE_LINE = re.compile(r"^\s*Source\s*:\s*(.+?)\s*$", re.M)
_DATELINE = re.compile(
    r"^[A-Z][A-Z .,'\-]{2,40}\s*(?:\([^)]*\))?\s*\((Reuters|AP|AFP|Associated Press|[A-Z][A-Za-z ]{1,30})\)\s*[-–—]",
    re.M,
)
# Outlet names read from the text: "told Al Jazeera", "Al Jazeera's Zeina Khodr".
_TOLD = re.compile(r"\btold\s+((?:[A-Z][\w'&.-]*\s?){1,4})(?:\s+(?:in|on|by|that)\b|[,.])")
_AGENCIES = ("Reuters", "AP", "AFP", "Associated Press", "Agence France-Presse")


def _clean_outlet(value: str) -> str:
    # "Al Jazeera, News Agencies" -> "Al Jazeera"
    first = re.split(r"\s*(?:,|;|\band\b)\s*", value.strip())[0]
    return first.strip(" .")


def infer_outlet(text: str) -> str | None:
    """Guess the outlet of a plain-text article from its own words."""
    m = None
    for m in _SOURCE_LINE.finditer(text):
        pass
    if m:
        return _clean_outlet(m.group(1))
    d = _DATELINE.search(text[:2000])
    if d:
        return d.group(1)
    # The outlet its correspondents speak to, excluding agencies: an outlet's
    # own reporters write "told Al Jazeera", wire copy writes "told AFP".
    counts: dict[str, int] = {}
    for t in _TOLD.finditer(text):
        name = t.group(1).strip()
        if name in _AGENCIES or len(name) < 3 or name.split()[0] in {"The", "A", "An", "He", "She"}:
            continue
        counts[name] = counts.get(name, 0) + 1
    if counts:
        best = max(counts, key=lambda k: counts[k])
        if counts[best] >= 2:
            return best
    return None


def _looks_like_headline(line: str) -> bool:
    line = line.strip()
    return 0 < len(line.split()) <= 25 and not re.search(r"[.!?:;,\"”]\s*$", line)


def parse_text(
    text: str,
    *,
    path: str | None = None,
    source: str | None = None,
    published: str | None = None,
    title: str | None = None,
    url: str | None = None,
) -> Article:
    """Build an Article from plain text.

    Raises:
        BadInput: when the text is empty or not text at all.

    >>> a = parse_text("date 2024-03-05 Dockers walked out on Tuesday.")
    >>> a.published
    '2024-03-05'
    """
    if "\x00" in text:
        raise BadInput("contains NUL bytes; it is binary, not a text article", path)
    if not text.strip():
        raise BadInput("is empty; an article needs some text", path)
    m = _DATE.match(text)
    if m and not published:
        published = m.group(1).strip()
    body = text[body_start(text) :]
    if title is None:
        lines = [ln for ln in body.splitlines() if ln.strip()]
        if len(lines) > 2 and _looks_like_headline(lines[0]):
            title = lines[0].strip()
    if not body.strip():
        raise BadInput("has a date line but no article text", path)
    return Article(
        text=text,
        title=title,
        source=source or infer_outlet(text),
        published=published,
        url=url,
        path=path,
        format="text",
    )
