"""Plain-text articles with the seed conventions.

* an optional ``date YYYY-MM-DD`` prefix (its own first line, or inline before
  the first sentence);
* an optional headline (and standfirst) as the first lines;
* an optional closing ``Source: Outlet`` line;
* captions repeated verbatim and ``READ MORE:`` lines, kept in the text (the
  sentence splitter flags them as boilerplate so they are never summarised);
* the outlet inferred when not given: a closing ``Source: Al Jazeera`` line, a
  wire dateline ``BEIRUT (Reuters) -``, the outlet its own reporters talk to
  (``told Al Jazeera``; ``told AFP`` is agency copy, not the outlet), then the
  URL's domain.

The article text is kept exactly as read so offsets match the file.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlparse

from newsweave.analyze.sentences import body_start
from newsweave.errors import BadInput
from newsweave.models import Article

__all__ = ["AGENCIES", "infer_outlet", "outlet_from_url", "parse_text"]

_DATE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]+)?)\s", re.I)
_SOURCE_LINE = re.compile(r"^\s*Sources?\s*:\s*(.+?)\s*$")
# "BEIRUT (Reuters) -", "ALEPPO, Syria (AP) —", "BEIRUT, Dec 14 (Reuters) -".
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .,'\-]{1,40}(?:,\s*[A-Z][a-z]{2,9}\.?(?:\s+\d{1,2})?)?\s*"
    r"\((Reuters|AP|AFP|Associated Press|Agence France-Presse|[A-Z][A-Za-z&' ]{1,30})\)\s*[-–—]",
    re.M,
)
# "told Al Jazeera in ...", "told the Harbor Wire." An outlet's own reporters
# write "told <outlet>"; wire copy folded into the piece writes "told AFP".
_TOLD = re.compile(
    r"\btold\s+(?:the\s+)?((?:[A-Z][\w'&.-]*)(?:\s+[A-Z][\w'&.-]*){0,3})(?=\s+(?:in|on|by|that|from|via)\b|[,.;])"
)
AGENCIES = frozenset(
    {
        "Reuters",
        "AP",
        "AFP",
        "Associated Press",
        "Agence France-Presse",
        "ANSA",
        "EFE",
        "DPA",
        "Xinhua",
        "TASS",
    }
)
_NOT_OUTLETS = {"The", "A", "An", "He", "She", "They", "We", "I", "Him", "Her", "Them", "Us", "Me", "It"}
_WORDY = re.compile(r"\s*(?:,|;|\band\b|\bwith\b)\s*", re.I)


def _clean_outlet(value: str) -> str:
    """``"Al Jazeera, News Agencies"`` -> ``"Al Jazeera"``."""
    first = _WORDY.split(value.strip())[0]
    return first.strip(" .")


def outlet_from_url(url: str | None) -> str | None:
    """The site's domain as the outlet of last resort.

    >>> outlet_from_url("https://www.harborwire.example/2031/strike")
    'harborwire.example'
    """
    if not url:
        return None
    try:
        host = urlparse(url).hostname or ""
    except ValueError:  # "http://[broken": not a URL we can take a name from
        return None
    return host.removeprefix("www.") or None


def _closing_source(text: str) -> str | None:
    """A ``Source:`` line among the last three non-blank lines."""
    tail = [ln for ln in text.rstrip().splitlines()[-6:] if ln.strip()][-3:]
    for line in reversed(tail):
        m = _SOURCE_LINE.match(line)
        if m and len(m.group(1).split()) <= 8:
            name = _clean_outlet(m.group(1))
            if name:
                return name
    return None


def infer_outlet(text: str, url: str | None = None) -> str | None:
    """Guess the outlet of an article from its own words, then its URL.

    >>> infer_outlet("Text.\\n\\nSource: Al Jazeera, News Agencies")
    'Al Jazeera'
    >>> infer_outlet("BEIRUT (Reuters) - Shelling resumed.")
    'Reuters'
    >>> infer_outlet("He told AFP it was over. She told AFP on Monday.") is None
    True
    """
    src = _closing_source(text)
    if src:
        return src
    d = _DATELINE.search(text[body_start(text) :][:600])
    if d:
        return d.group(1)
    counts: dict[str, int] = {}
    for t in _TOLD.finditer(text):
        name = t.group(1).strip(" .")
        if name in AGENCIES or len(name) < 2 or name.split()[0] in _NOT_OUTLETS:
            continue
        counts[name] = counts.get(name, 0) + 1
    if counts:
        best = max(counts, key=lambda k: counts[k])
        # Once could be a person ("told Rami on Monday"); an outlet recurs.
        if counts[best] >= 2:
            return best
    return outlet_from_url(url)


def _looks_like_headline(line: str) -> bool:
    line = line.strip()
    return (
        0 < len(line.split()) <= 25
        and not re.search(r"[.!?:;,\"”’)]\s*$", line)
        and not re.match(r"(?:READ MORE|Read more|Source|Watch|Related)\b", line)
    )


def _check_date(value: str, path: str | None) -> str:
    try:
        if len(value) > 10:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        else:
            date.fromisoformat(value)
    except ValueError:
        raise BadInput(
            f"the 'date {value}' line is not a real date; write it as 'date YYYY-MM-DD' (e.g. date 2024-03-05)",
            path,
        ) from None
    return value


def parse_text(
    text: str,
    *,
    path: str | None = None,
    source: str | None = None,
    published: str | None = None,
    title: str | None = None,
    url: str | None = None,
) -> Article:
    """Build an Article from plain text, keeping ``text`` exactly as given.

    Metadata passed in wins over what is read from the text.

    Raises:
        BadInput: when the text is empty, binary, or has only a date line.

    >>> a = parse_text("date 2024-03-05 Dockers walked out on Tuesday.")
    >>> a.published
    '2024-03-05'
    >>> parse_text("Port closed\\n\\nCranes stood idle.\\n\\nShips waited.").title
    'Port closed'
    """
    if "\x00" in text:
        raise BadInput("contains NUL bytes; it is a binary file, not a text article; leave it out", path)
    if not text.strip():
        raise BadInput("is empty; an article needs some text (fill the file or leave it out)", path)
    m = _DATE.match(text + "\n")
    if m and not published:
        published = _check_date(m.group(1).strip(), path)
    body = text[body_start(text) :]
    if not body.strip() or (m and not text[m.end() :].strip()):
        raise BadInput("has a date line but no article text; add the text after the date", path)
    if title is None:
        lines = [ln for ln in body.splitlines()[:8] if ln.strip()]
        # A headline needs a body after it; a lone short line is the article.
        if len(lines) > 2 and _looks_like_headline(lines[0]):
            title = lines[0].strip()
    return Article(
        text=text,
        title=title,
        source=source or infer_outlet(text, url),
        published=published,
        url=url,
        path=path,
        format="text",
    )
