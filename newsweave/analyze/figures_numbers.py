"""Number cores of figures: digits, number words, vague amounts, shares, ranges.

The value arithmetic of :mod:`newsweave.analyze.figures`: regular expressions
find number cores ("1,250", "eighty-two", "a dozen", "tens of thousands",
"nearly half", "2,000 to 10,000"); dates, clock times, durations, ages,
ordinals, identifiers ("Resolution 2254") and phone numbers are dropped; the
qualifier is read to the left ("at least", "an estimated") or right ("or
more"), a currency to the left and a unit to the right.

A change is not a range: in "raised the quota from 2,000 to 10,000" the two
numbers are two figures, the first marked ``earlier``; in "between 300 and
400" or "2,000 to 10,000 people" they are one range.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

__all__ = [
    "NumberCore", "number_cores", "is_excluded", "qualifier_before", "qualifier_after", "currency_before",
    "unit_after", "time_after", "bounds", "VAGUE_WORDS",
]


def _wordset(words: str) -> frozenset[str]:
    """A set from a whitespace-separated word list (keeps long lexicons readable)."""
    return frozenset(words.split())


_UNITS = {w: i for i, w in enumerate(re.split(
    r"\s+", "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"))}
_TENS = {w: 10 * (i + 2) for i, w in enumerate(re.split(r"\s+", "twenty thirty forty fifty sixty seventy eighty ninety"))}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "dozen": 12}
_SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}
# Vague magnitudes as (low, high): "hundreds" is at least two hundred and fewer than a thousand.
_VAGUE = {"dozens": (24, 99), "scores": (40, 199), "hundreds": (200, 999), "thousands": (2_000, 9_999),
          "millions": (2_000_000, 9_999_999), "billions": (2e9, 9.99e9),
          "tens of thousands": (20_000, 99_999), "hundreds of thousands": (200_000, 999_999),
          "tens of millions": (2e7, 9.99e7), "hundreds of millions": (2e8, 9.99e8),
          "thousands of thousands": (2e6, 9.99e6)}
_SHARES = {"half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "two thirds": 2 / 3, "a quarter": 0.25,
           "one quarter": 0.25, "three quarters": 0.75}

_W = "(?:" + "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True)) + ")"
_WG = rf"{_W}(?:-{_W})?"
_S = "(?:hundred|thousand|million|billion|trillion|dozen)"
_DIG = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CORE = re.compile(
    rf"""
    (?P<vague>\b(?:(?:tens|hundreds|thousands)\s+of\s+(?:thousands|millions)
        |(?:a\s+few|several|a\s+couple\s+of)\s+(?:dozen|hundred|thousand|million)
        |dozens|hundreds|thousands|millions|billions|scores(?=\s+of\b))\b)
    |(?P<halfscale>\bhalf\s+an?\s+(?:dozen|hundred|thousand|million|billion)\b)
    |(?P<share>\b(?:half|an?\s+third|one\s+third|two[\s-]thirds|an?\s+quarter|one\s+quarter|three[\s-]quarters)\b)
    |(?P<digits>(?<![\w.,/:#@-]){_DIG}(?:\s*[-–]\s*{_DIG})?(?![\w/:@]|[.,]\d|-[A-Za-z])
        (?:\s+(?:hundred|thousand|million|billion|trillion)\b|\s?(?:bn|mn|m|k)\b)?)
    |(?P<words>\b(?:(?:an?|{_WG})(?:[\s-]+{_S})+(?:(?:\s+and\s+|\s+|-){_WG}(?:[\s-]+{_S})*)*|{_WG})\b)
    """,
    re.I | re.X,
)

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
# Spans that are never figures: dates, clock times, phone numbers.
_BLOCK = re.compile(
    rf"""\b\d{{4}}-\d{{1,2}}-\d{{1,2}}\b | \b\d{{1,4}}/\d{{1,4}}(?:/\d{{2,4}})?\b
    | \b\d{{1,2}}(?::\d{{2}}){{1,2}}(?:\s*[ap]\.?m\b\.?)? | \b\d{{1,2}}\s*[ap]\.?m\.?(?!\w)
    | \b\d{{1,2}}\s*o['’]clock\b | \b\d{{3,4}}\s*(?:GMT|UTC|hrs|hours\s+local|local\s+time)\b
    | \b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)? | \b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:\s+\d{{4}})?
    | \b{_MONTH}\s+\d{{4}}\b | \+\d[\d\s().-]{{7,}}\d | \(?\b\d{{3}}\)?[\s.-]\d{{3}}[.-]\d{{4}}\b
    """.replace("{_MONTH}", _MONTH),
    re.X,
)
_DIGIT = re.compile(r"\d")
_TIME_AFTER = re.compile(
    r"(?:\s+|-)(?:(?:consecutive|straight|full|long|more|successive|previous|past|last|next|additional|whole|"
    r"entire|calendar|working|further|or\s+so)\s+)?(?:seconds?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|"
    r"weekends?|fortnights?|months?|years?|yrs?|decades?|centuries|century|mornings?|evenings?|afternoons?|"
    r"o['’]clock)\b",
    re.I,
)
_AGE_LEFT = re.compile(r"\b(?:aged|age|ages)\s+$", re.I)
_ID_LEFT = re.compile(
    r"(?:\b(?:No|no|Nos|nr)\.\s*|#\s*|\b(?:number|page|chapter|paragraph|article|section|item|version|season|"
    r"episode|round|stage|phase|level|grade|tier|category|line|platform|gate|room|route|highway|flight|"
    r"resolution|protocol|vol\.?|volume|act|bus|tram|channel)\s+)$",
    re.I,
)
# Capitalised words that may stand right before a count without making it an identifier.
_CAP_OK = _wordset(
    """another some about over nearly around only just all the those these its their his her of at up more
    fewer less almost roughly approximately estimated an and but with by to in on for from least than
    some another while after before as when if since were are was is had have has also including
    among then even killing killed wounding injuring evacuating says said between exactly"""
)

_QUALIFIERS = [
    (r"at\s+least|no\s+fewer\s+than|no\s+less\s+than|a\s+minimum\s+of|not\s+less\s+than", "at least"),
    (r"(?:(?:just|slightly|far)\s+)?(?:more\s+than|over|upwards\s+of|in\s+excess\s+of|above)|well\s+(?:over|above)",
     "more than"),
    (r"(?:fewer|less)\s+than|well\s+under|under", "fewer than"),
    (r"at\s+most|up\s+to|as\s+many\s+as|no\s+more\s+than|as\s+much\s+as", "up to"),
    (r"about|around|approximately|roughly|some|circa|an\s+estimated\s+(?:about|around)", "about"),
    (r"(?:an\s+)?estimated", "estimated"),
    (r"nearly|almost|close\s+to|just\s+under|nearing", "nearly"),
]
_QUAL_LEFT = re.compile(
    r"(?:^|(?<=[\s(\[“\"]))(?:" + "|".join(f"(?P<q{i}>{p})" for i, (p, _) in enumerate(_QUALIFIERS))
    + r")\s+(?:(?:another|the|a)\s+)?$",
    re.I,
)
_EXTRA_LEFT = re.compile(r"(?:^|(?<=\s))(?:another|an\s+additional|a\s+further|the|only|exactly)\s+$", re.I)
_QUAL_RIGHT = re.compile(r"^(?:\s+or\s+more\b|\s*-?plus\b|\s+or\s+so\b)", re.I)
_CURRENCY_LEFT = re.compile(r"(?:US\s?\$|\$|€|£|¥)\s?$")
_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_UNIT_RIGHT = re.compile(
    r"""^\s*(?:
      (?P<sqkm>(?:sq(?:\.|uare)?\s*(?:km|kilomet(?:er|re)s?)\b\.?|km2\b|km²))
    | (?P<sqmi>sq(?:\.|uare)?\s*miles?\b) | (?P<sqm>sq(?:\.|uare)?\s*(?:m|met(?:er|re)s?)\b)
    | (?P<ha>hectares?\b|ha\b) | (?P<acres>acres?\b) | (?P<km>km\b|kilomet(?:er|re)s?\b)
    | (?P<mi>miles?\b) | (?P<m>met(?:er|re)s?\b) | (?P<cm>cm\b|centimet(?:er|re)s?\b) | (?P<mm>mm\b|millimet(?:er|re)s?\b)
    | (?P<ft>feet\b|ft\b|foot\b) | (?P<t>tonnes?\b|tons?\b) | (?P<kg>kg\b|kilo(?:gram)?s?\b)
    | (?P<l>lit(?:er|re)s?\b) | (?P<barrels>barrels?\b) | (?P<deg>degrees?(?:\s+(?:Celsius|Fahrenheit|C|F)\b)?)
    | (?P<pct>%|per\s?cent\b|percent\b) | (?P<kmh>km/h|kph\b|mph\b)
    | (?P<USD>dollars\b) | (?P<EUR>euros\b) | (?P<GBP>pounds\s+sterling\b|pounds\b)
    )""",
    re.I | re.X,
)
_UNIT_NAMES = {"sqkm": "sq km", "sqmi": "sq mi", "sqm": "sq m", "deg": "degrees", "pct": "%", "kmh": "km/h"}


@dataclass(slots=True)
class NumberCore:
    """A number in the text: ``value`` (low end of a range), ``high`` (its top) and its family."""

    start: int
    end: int
    value: float
    high: float | None
    kind: str  # digits | words | vague | share
    earlier: bool = False  # the "from" side of a change: "from 2,000 to 10,000"
    revised: bool = False  # the "to" side of a change


def _parse_words(s: str) -> float | None:
    """'one hundred and fifty thousand' -> 150000.0; None when not a number."""
    total, current, seen = 0.0, 0.0, False
    for w in re.split(r"[\s-]+", s.lower()):
        if w in ("and", ""):
            continue
        if w in ("a", "an"):
            current = max(current, 1.0)
            continue
        if w in _UNITS or w in _TENS:
            current += _UNITS.get(w, 0) + _TENS.get(w, 0)
            seen = True
        elif w in _SCALES:
            scale = _SCALES[w]
            current = max(current, 1.0) * scale
            if scale >= 1000:
                total, current = total + current, 0.0
            seen = True
        else:
            return None
    return total + current if seen else None


def _parse_digits(s: str, currency: bool) -> tuple[float, float | None] | None:
    m = re.match(rf"({_DIG})(?:\s*[-–]\s*({_DIG}))?(?:\s*(\w+))?$", s.strip())
    if not m:
        return None
    scale = 1.0
    if m.group(3):
        w = m.group(3).lower()
        if w in _SCALES:
            scale = _SCALES[w]
        elif w in _SHORT_SCALES and (currency or w == "bn"):
            scale = _SHORT_SCALES[w]
        else:
            return None
    low = float(m.group(1).replace(",", "")) * scale
    high = float(m.group(2).replace(",", "")) * scale if m.group(2) else None
    return low, high


def number_cores(text: str, s0: int, s1: int) -> list[NumberCore]:
    """Number cores in ``text[s0:s1]`` with values, ranges merged, blocked spans dropped.

    >>> [(c.value, c.high) for c in number_cores("Between 300 and 400 dockers", 0, 27)]
    [(300.0, 400.0)]
    >>> [(c.value, c.earlier) for c in number_cores("They raised it from 2,000 to 10,000.", 0, 36)]
    [(2000.0, True), (10000.0, False)]
    """
    if not _DIGIT.search(text, s0, s1):
        blocked: list[tuple[int, int]] = []  # dates and times all have digits
    else:
        blocked = [(m.start(), m.end()) for m in _BLOCK.finditer(text, s0, s1)]
    blocked_ends = [y for _, y in blocked]  # in text order and disjoint (finditer), so ends ascend too
    out: list[NumberCore] = []
    for m in _CORE.finditer(text, s0, s1):
        a, b = m.start(), m.end()
        i = bisect_right(blocked_ends, a)  # the first blocked span ending after a; overlaps if it starts before b
        if i < len(blocked) and blocked[i][0] < b:
            continue
        kind = m.lastgroup or "words"
        raw = m.group(0)
        if kind == "vague":
            key = " ".join(raw.lower().split())
            if key in _VAGUE:
                low, high = _VAGUE[key]
            else:  # "a few hundred", "several thousand"
                base = _SCALES[key.rsplit(" ", 1)[-1]]
                low, high = 2 * base, 9 * base
            out.append(NumberCore(a, b, float(low), float(high), "vague"))
        elif kind == "halfscale":
            out.append(NumberCore(a, b, _SCALES[raw.lower().split()[-1]] / 2, None, "words"))
        elif kind == "share":
            key = " ".join(re.split(r"[\s-]+", raw.lower())).replace("an ", "a ")
            out.append(NumberCore(a, b, _SHARES.get(key, 0.5), None, "share"))
        elif kind == "digits":
            parsed = _parse_digits(raw, bool(_CURRENCY_LEFT.search(text, max(s0, a - 4), a)))
            if parsed is None:
                # "5m" without a currency: ambiguous between metres and millions.
                continue
            lo, hi = parsed
            if hi is not None and hi <= lo:  # "3-1" is a score, "12-14" may be a date: skip
                continue
            out.append(NumberCore(a, b, lo, hi, "digits"))
        else:
            if raw.lower() in ("a", "an"):
                continue
            value = _parse_words(raw)
            if value is not None:
                out.append(NumberCore(a, b, value, None, "words"))
    return _merge_ranges(text, out)


_RANGE_GAP = re.compile(r"^\s*(?:to|or|-|–|and)\s*$", re.I)
# A verb of change before "from X to Y" makes it two figures, not a range.
_CHANGE_BEFORE = re.compile(
    r"\b(?:rais\w*|rise[sn]?|rising|rose|increas\w*|climb\w*|jump\w*|grow\w*|grew|cut\w*|reduc\w*|lower\w*|"
    r"drop\w*|fell|fall\w*|revis\w*|doubl\w*|tripl\w*|push\w*|bump\w*|boost\w*|slash\w*|lift\w*|swell\w*|"
    r"swollen|soar\w*|decreas\w*|declin\w*|expand\w*|shr[iu]nk\w*|chang\w*|went|gone|moved?|up|down)\b"
    r"[^.;:]{0,40}\bfrom\s+$",
    re.I,
)
_UP_FROM = re.compile(r"\b(?:up|down|rising|falling|increased|reduced|revised|raised|cut)\s+from\s+$", re.I)


def _is_change(text: str, c: NumberCore) -> bool:
    """Whether "X to Y" starting at ``c`` is a change ("raised it from X to Y")."""
    return bool(_CHANGE_BEFORE.search(text, max(0, c.start - 60), c.start))


def _merge_ranges(text: str, cores: list[NumberCore]) -> list[NumberCore]:
    """'2,000 to 10,000', 'between 5 and 10', 'two or three' -> one core with a high end;
    'from 2,000 to 10,000' after a verb of change -> two cores, the first ``earlier``."""
    out: list[NumberCore] = []
    i = 0
    while i < len(cores):
        c = cores[i]
        if i + 1 < len(cores) and c.high is None and c.kind in ("digits", "words"):
            n = cores[i + 1]
            gap = text[c.end:n.start]
            ok = bool(_RANGE_GAP.match(gap)) and n.kind in ("digits", "words") and n.value > c.value
            if ok and gap.strip().lower() == "and":
                ok = bool(re.search(r"\bbetween\s+$", text[max(0, c.start - 9):c.start], re.I))
            if ok and gap.strip().lower() == "to" and _is_change(text, c):
                c.earlier, n.revised = True, True
                out.append(c)
                i += 1
                continue
            if ok:
                out.append(NumberCore(c.start, n.end, c.value, n.value if n.high is None else n.high, c.kind))
                i += 2
                continue
        if _UP_FROM.search(text, max(0, c.start - 20), c.start):
            c.earlier = True  # "62, up from 40"
        out.append(c)
        i += 1
    return out


def is_excluded(text: str, c: NumberCore, s0: int, s1: int) -> bool:
    """Dates, times, durations, ages, identifiers and idioms are not figures."""
    left = text[max(s0, c.start - 40):c.start]
    right = text[c.end:min(s1, c.end + 40)]
    raw = text[c.start:c.end]
    if _TIME_AFTER.match(right) and c.kind != "share":
        return True
    if c.kind == "share":
        return bool(re.match(r"\s+an?\s+(?:day|hour|minute|year|week|month|century|decade|mile|dozen|kilomet)", right, re.I))
    if _AGE_LEFT.search(left) or _ID_LEFT.search(left):
        return True
    if re.match(r"-[A-Za-z]", right) and c.kind == "words":  # "three-member", "two-state"
        return True
    if c.kind == "digits":
        if re.search(r"[A-Za-z]-?$", left) or re.match(r"\s*(?:st|nd|rd|th)\b", right):
            return True
        prev = re.search(r"([A-Z][\w.'’-]*)\s+$", left)
        if prev and prev.group(1).lower() not in _CAP_OK and prev.group(1)[-2:] not in ("'s", "’s"):
            return True  # "Resolution 2254", "Brigade 47"
        if re.fullmatch(r"\d{4}", raw) and 1500 <= c.value <= 2100:
            return True  # a year; "2000 people" is rare next to "in 2000"
        if re.search(r"[A-Z][a-z]+,\s*$", left) and re.match(r"\s*,", right) and c.value < 120:
            return True  # "Ines Varga, 43, said": an age
        if re.search(r"\(\s*$", left) and re.match(r"\s*\)", right) and c.value < 120:
            return True  # "(43)"
    # "one of", "no one", "at one point": bare "one" only counts with a qualifier (see the caller).
    return c.kind == "words" and c.value == 1 and bool(re.fullmatch(r"one", raw, re.I))


def qualifier_before(text: str, c: NumberCore, s0: int) -> tuple[str | None, int]:
    """The qualifier left of a core ("at least") and where the figure phrase starts."""
    left = text[max(s0, c.start - 40):c.start]
    m = _QUAL_LEFT.search(left)
    if m:
        for i, (_, name) in enumerate(_QUALIFIERS):
            if m.group(f"q{i}"):
                return name, c.start - (len(left) - m.start())
    m2 = _EXTRA_LEFT.search(left)
    if m2 and m2.group(0).strip().lower() in ("another", "an additional", "a further"):
        return None, c.start - (len(left) - m2.start())
    return None, c.start


def qualifier_after(text: str, end: int, s1: int, qual: str | None) -> tuple[str | None, int]:
    """A qualifier right of a figure ("100 jobs or more", "40-plus"): (qualifier, new end)."""
    rq = _QUAL_RIGHT.match(text[end:s1])
    if not rq:
        return qual, end
    word = rq.group(0)
    return qual or ("about" if "so" in word else "more than" if "plus" in word else "at least"), end + rq.end()


def currency_before(text: str, start: int, s0: int) -> tuple[str | None, int]:
    """An ISO currency code for a sign right before ``start`` ("$35 million"), and the new start."""
    cur = _CURRENCY_LEFT.search(text, max(s0, start - 4), start)
    if not cur:
        return None, start
    return _CURRENCY.get(cur.group(0).strip()[-1], "USD"), cur.start()


def unit_after(text: str, end: int) -> tuple[str | None, int]:
    """A unit right after a figure ("2.5 sq. km", "9%"), and the new end.

    Units may run past a wrong sentence break ("2.5 sq. | km"), so this reads on a little.
    """
    um = _UNIT_RIGHT.match(text[end:min(len(text), end + 30)])
    if not um:
        return None, end
    g = um.lastgroup or ""
    return _UNIT_NAMES.get(g, g), end + um.end()


def time_after(text: str, end: int, s1: int) -> bool:
    """Whether a unit of time follows (a duration or a clock time, not a count)."""
    return bool(_TIME_AFTER.match(text[end:s1]))


VAGUE_WORDS = frozenset(_VAGUE)

_AT_LEAST = frozenset(["at least", "more than"])
_AT_MOST = frozenset(["up to", "fewer than", "nearly"])


def bounds(value: float | None, high: float | None, qualifier: str | None) -> tuple[float | None, float | None]:
    """The bounds a figure's wording states: a range or vague amount gives both, "at least 82"
    gives (82, None), "up to 40" (None, 40), an exact 14 gives (14, 14), "about 1,200" neither.

    >>> bounds(82.0, None, "at least"), bounds(2000.0, 10000.0, None), bounds(14.0, None, None)
    ((82.0, None), (2000.0, 10000.0), (14.0, 14.0))
    """
    if value is None:
        return None, None
    if high is not None:
        return value, high
    if qualifier in _AT_LEAST:
        return value, None
    if qualifier in _AT_MOST:
        return None, value
    if qualifier:
        return None, None
    return value, value
