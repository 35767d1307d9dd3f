"""Calendar arithmetic and the normalisers for calendar dates and times of day.

The first half is pure and cheap: ISO weeks, quarters, seasons, resolving a
month, a day of the month or a weekday against the publication date, spelled
numbers and duration values. The second half holds the normalisers that turn
a match of a date, weekday, "yesterday", part-of-day or clock rule into a
TIMEX3 (type, value); :mod:`newsweave.analyze.timex_rules` holds the patterns
and the normalisers of unit-relative expressions (quarters, years, durations).
Every normaliser takes ``(match, ctx, start, end)`` and returns
``(type, value)`` or None to reject the match.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the context class lives with the tense cues in timex.py
    from newsweave.analyze.timex import Ctx

Norm = tuple[str, str] | None

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
PART_OF_DAY = {
    "morning": "MO", "dawn": "MO", "daybreak": "MO", "sunrise": "MO", "predawn": "MO",
    "afternoon": "AF", "mid-afternoon": "AF", "midafternoon": "AF",
    "evening": "EV", "dusk": "EV", "sunset": "EV", "nightfall": "EV",
    "night": "NI", "nights": "NI", "overnight": "NI", "tonight": "NI",
    "midday": "T12:00", "mid-day": "T12:00", "noon": "T12:00", "midnight": "T24:00",
}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_SEASON_ORDER = ["SP", "SU", "FA", "WI"]

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "twenty-first": 21, "twenty-second": 22, "twenty-third": 23, "twenty-fourth": 24,
    "twenty-fifth": 25, "twenty-sixth": 26, "twenty-seventh": 27, "twenty-eighth": 28,
    "twenty-ninth": 29, "thirtieth": 30, "thirty-first": 31, "final": 4, "last": 4,
}
VAGUE = {"few", "a few", "several", "some", "many", "a couple of", "couple of", "a number of",
         "a handful of", "dozens of", "hundreds of", "thousands of", "countless"}


def parse_ref(value: str | None) -> date | None:
    """``YYYY-MM-DD`` (or an ISO datetime) as a date; None when absent or invalid."""
    if not value:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    if not 1000 <= int(m.group(1)) <= 8999:
        return None  # arithmetic a few years either side must stay inside the calendar
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def day(d: date) -> str:
    """A date as a TIMEX3 day value."""
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def iso_week(d: date) -> str:
    """A date's ISO week as a TIMEX3 week value.

    >>> iso_week(date(2016, 12, 14))
    '2016-W50'
    """
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    """(year, month) shifted by ``k`` months."""
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def month_value(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def add_quarters(y: int, q: int, k: int) -> tuple[int, int]:
    n = y * 4 + (q - 1) + k
    return n // 4, n % 4 + 1


def season_of(d: date) -> tuple[int, str]:
    """(season-year, code); winter belongs to the year in which it begins (December)."""
    if d.month in (3, 4, 5):
        return d.year, "SP"
    if d.month in (6, 7, 8):
        return d.year, "SU"
    if d.month in (9, 10, 11):
        return d.year, "FA"
    return (d.year if d.month == 12 else d.year - 1), "WI"


def season_shift(ref: date, code: str, direction: str) -> int:
    """Year of the season ``code`` that is ``last``/``next``/``this`` relative to ``ref``.

    "this" is the season of the current season-year, so "this winter" in
    January is the winter that began in December.
    """
    cy, cc = season_of(ref)
    if direction == "this":
        return cy if code == "WI" else ref.year
    cur = cy * 4 + _SEASON_ORDER.index(cc)
    idx = _SEASON_ORDER.index(code)
    if direction == "last":
        return ((cur - 1) - ((cur - 1 - idx) % 4)) // 4
    return ((cur + 1) + ((idx - cur - 1) % 4)) // 4


def resolve_month(ref: date, month: int, tense: str | None) -> int:
    """Year of a bare month name: the last one for past tense, the next for future, else nearest."""
    if month == ref.month:
        return ref.year
    if tense == "past":
        return ref.year if month < ref.month else ref.year - 1
    if tense == "future":
        return ref.year if month > ref.month else ref.year + 1
    diff = month - ref.month
    if diff > 6:
        return ref.year - 1
    if diff < -6:
        return ref.year + 1
    return ref.year


def resolve_month_day(ref: date, month: int, dom: int, tense: str | None) -> date | None:
    """Full date of "Dec. 14" without a year, by tense and then nearness to ``ref``."""
    cands = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            cands.append(date(y, month, dom))
        except ValueError:
            continue
    if not cands:
        return None
    if tense == "past":
        past = [c for c in cands if c <= ref]
        if past and (ref - max(past)).days <= 300:
            return max(past)
    elif tense == "future":
        fut = [c for c in cands if c >= ref]
        if fut and (min(fut) - ref).days <= 300:
            return min(fut)
    return min(cands, key=lambda c: (abs((c - ref).days), c < ref))


def resolve_weekday(ref: date, wd: int, mod: str | None, tense: str | None) -> date:
    """Date of a weekday named in an article published on ``ref``.

    The publication weekday is the publication day itself; otherwise "last"
    and past tense look back, "next", "coming" and future tense look ahead,
    and a bare weekday in news copy is the most recent one.

    >>> wed = date(2016, 12, 14)
    >>> [str(resolve_weekday(wed, 1, None, None)), str(resolve_weekday(wed, 3, None, "future"))]
    ['2016-12-13', '2016-12-15']
    >>> str(resolve_weekday(wed, 2, None, "past"))  # the publication weekday is the publication day
    '2016-12-14'
    """
    back = (ref.weekday() - wd) % 7
    fwd = (wd - ref.weekday()) % 7
    if mod in ("last", "past", "this past", "previous"):
        return ref - timedelta(days=back or 7)
    if mod in ("next", "coming", "this coming", "following"):
        return ref + timedelta(days=fwd or 7)
    if back == 0:
        return ref
    if mod == "this":
        return ref - timedelta(days=back) if tense == "past" else ref + timedelta(days=fwd)
    if tense == "future":
        return ref + timedelta(days=fwd)
    return ref - timedelta(days=back)


def words_to_num(s: str) -> float | None:
    """"twenty-four" -> 24, "2 1/2" -> 2.5, "a couple of" -> 2; None for vague amounts ("several")."""
    s = s.lower().strip()
    if s in ("a couple of", "couple of", "a couple", "a pair of"):
        return 2.0
    if s in ("a half", "half a", "half an"):
        return 0.5
    if s in VAGUE:
        return None
    total = 0.0
    cur = 0.0
    toks = re.split(r"[\s\-]+", s.replace(",", ""))
    seen = False
    for t in toks:
        if t in ("a", "an"):
            cur = cur or 1.0
            seen = True
        elif t in ("and", "of", ""):
            continue
        elif t in _SMALL:
            cur += _SMALL[t]
            seen = True
        elif t in _TENS:
            cur += _TENS[t]
            seen = True
        elif t == "hundred":
            cur = (cur or 1.0) * 100
        elif t == "thousand":
            total += (cur or 1.0) * 1000
            cur = 0.0
        elif t == "dozen":
            cur = (cur or 1.0) * 12
        elif t == "half":
            cur = cur + 0.5 if seen else 0.5
        elif t == "½":
            cur += 0.5
        elif re.fullmatch(r"\d+/\d+", t):
            a, b = t.split("/")
            cur += int(a) / int(b) if int(b) else 0
        elif re.fullmatch(r"\d+(?:\.\d+)?", t):
            cur += float(t)
            seen = True
        else:
            return None
    value = total + cur
    return value if value > 0 else None


# unit -> (designator, is_time_unit, multiplier into that designator)
_UNIT = {
    "second": ("S", True, 1), "minute": ("M", True, 1), "hour": ("H", True, 1),
    "day": ("D", False, 1), "night": ("D", False, 1), "week": ("W", False, 1), "fortnight": ("W", False, 2),
    "month": ("M", False, 1), "quarter": ("M", False, 3), "year": ("Y", False, 1),
    "decade": ("Y", False, 10), "century": ("Y", False, 100), "millennium": ("Y", False, 1000),
}
# TimeBank writes an unknown number of centuries as PXC and of millennia as PXL.
_VAGUE_UNIT = {"decade": "DE", "century": "C", "millennium": "L", "quarter": "Q"}
# How a fractional amount spills into the next smaller unit.
_SMALLER = {"Y": ("M", 12, False), "W": ("D", 7, False), "D": ("H", 24, True), "H": ("M", 60, True),
            "M_T": ("S", 60, True)}


def unit_key(word: str) -> str:
    """Canonical unit name of "Years", "centuries", "millennia", "hrs" ..."""
    w = word.lower().rstrip(".")
    w = {"centuries": "century", "millennia": "millennium", "hrs": "hour", "hr": "hour", "mins": "minute",
         "min": "minute", "secs": "second", "sec": "second", "yrs": "year", "yr": "year"}.get(w, w)
    return w[:-1] if w.endswith("s") and w[:-1] in _UNIT else w


def duration_value(n: float | None, unit: str) -> str:
    """TIMEX3 duration value of an amount of a unit (None: an unknown amount).

    >>> [duration_value(3, "days"), duration_value(1.5, "hour"), duration_value(None, "weeks")]
    ['P3D', 'PT1H30M', 'PXW']
    """
    unit = unit_key(unit)
    des, is_time, mult = _UNIT.get(unit, ("D", False, 1))
    pre = "PT" if is_time else "P"
    if n is None:
        return pre + "X" + _VAGUE_UNIT.get(unit, des)
    n = n * mult
    whole = int(n)
    frac = n - whole
    if frac < 1e-9:
        return f"{pre}{whole}{des}"
    key = "M_T" if (des == "M" and is_time) else des
    if des == "S" or (des == "M" and not is_time):
        # half a month is about two weeks, half a second has no smaller unit: keep the decimal
        return f"{pre}{n:g}{des}"
    small, factor, small_is_time = _SMALLER.get(key, (des, 1, is_time))
    rest = round(frac * factor)
    head = f"{whole}{des}" if whole else ""
    if small_is_time and not is_time:
        return f"P{head}T{rest}{small}"
    return f"{pre}{head}{rest}{small}"


# ------------------------------------------------------------- normalisers
def _low(m: re.Match[str], g: str) -> str:
    v = m.groupdict().get(g)
    return re.sub(r"\s+", " ", v.lower()) if v else ""


def _cap(m: re.Match[str], g: str) -> bool:
    """The named word starts with a capital (months and weekdays in running text)."""
    s = m.start(g)
    return s >= 0 and m.string[s].isupper()


def _month(m: re.Match[str], g: str = "mon") -> int:
    return MONTHS[m.group(g).lower().rstrip(".")]


def _dom(s: str) -> int:
    s = s.lower()
    if s in ORDINALS:
        return ORDINALS[s]
    return int(re.sub(r"\D", "", s))


_DEADLINE = re.compile(r"\b(?:by|until|till|through|before|effective)\s+$", re.I)


def _deadline(ctx: Ctx, s: int) -> bool:
    """"by August", "until mid-November": a deadline, usually still ahead."""
    return bool(_DEADLINE.search(ctx.text[max(0, s - 12):s]))


def _set_day(ctx: Ctx, end: int, d: date) -> None:
    ctx.note_day(end, d)


def _pod_suffix(pod: str) -> str:
    code = PART_OF_DAY.get(pod.lower().replace(" ", ""), "")
    return code if code.startswith("T") else ("T" + code if code else "")


def n_iso(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    try:
        dt = date(y, mo, d)
    except ValueError:
        return None
    _set_day(ctx, e, dt)
    if m.group("h"):
        return "TIME", f"{day(dt)}T{m.group('h')}:{m.group('mi')}"
    return "DATE", day(dt)


def n_numeric(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    a, b, ys = int(m.group("a")), int(m.group("b")), m.group("y")
    sep = m.group("sep")
    if len(ys) == 2:
        if sep != "/":
            return None
        y = 2000 + int(ys) if int(ys) < 50 else 1900 + int(ys)
    else:
        y = int(ys)
    if a > 12 and b <= 12:
        mo, d = b, a
    elif b > 12 and a <= 12:
        mo, d = a, b
    elif a <= 12 and b <= 12:
        # '/' is the US month-first order; '.' the European day-first one
        mo, d = (a, b) if sep == "/" else (b, a)
    else:
        return None
    try:
        dt = date(y, mo, d)
    except ValueError:
        return None
    _set_day(ctx, e, dt)
    return "DATE", day(dt)


def n_month_day(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    mo = _month(m)
    d = _dom(m.group("dom"))
    if not 1 <= d <= 31:
        return None
    if m.group("y"):
        try:
            dt = date(int(m.group("y")), mo, d)
        except ValueError:
            return None
        ctx.last_year = (e, dt.year)
    elif ctx.ref is None:
        return "DATE", f"XXXX-{mo:02d}-{d:02d}"
    else:
        got = None
        if _deadline(ctx, s):
            got = resolve_month_day(ctx.ref, mo, d, "future")
            if got is not None and (got - ctx.ref).days > 183:
                got = None
        got = got or resolve_month_day(ctx.ref, mo, d, ctx.tense(s, e))
        if got is None:
            return None
        dt = got
    _set_day(ctx, e, dt)
    return "DATE", day(dt)


def _rel_year(rel: str, ctx: Ctx) -> int | None:
    if ctx.ref is None:
        return None
    k = {"this": 0, "last": -1, "next": 1}[rel.split()[-2] if rel.startswith("of") else rel.split()[0]]
    return ctx.ref.year + k


def n_month_year(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    mo = _month(m)
    if m.group("y"):
        y = int(m.group("y"))
        ctx.last_year = (e, y)
    elif m.group("sy"):
        sy = _spelled_year(m.group("sy"))
        if sy is None:
            return None
        y = sy
    else:
        ry = _rel_year(_low(m, "rel"), ctx)
        if ry is None:
            return "DATE", f"XXXX-{mo:02d}"
        y = ry
    return "DATE", month_value(y, mo)


def n_month_alone(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    mo = _month(m)
    mod = _low(m, "mod")
    if ctx.ref is None:
        return "DATE", f"XXXX-{mo:02d}"
    ref = ctx.ref
    if mod in ("last", "this past", "past"):
        y = ref.year if mo < ref.month else ref.year - 1
    elif mod in ("next", "this coming", "coming"):
        y = ref.year if mo > ref.month else ref.year + 1
    elif mod == "this":
        y = ref.year
    elif _deadline(ctx, s) and 0 <= (mo - ref.month) % 12 <= 6:
        y = resolve_month(ref, mo, "future")
    else:
        y = resolve_month(ref, mo, ctx.tense(s, e))
    return "DATE", month_value(y, mo)


def n_weekday(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    wd = WEEKDAYS[m.group("wd").lower()]
    pod = _low(m, "pod")
    suffix = _pod_suffix(pod) if pod else ""
    if m.group("pl"):
        return "SET", f"XXXX-WXX-{wd + 1}{suffix}"
    if ctx.ref is None:
        return ("TIME" if suffix else "DATE"), f"XXXX-WXX-{wd + 1}{suffix}"
    mod = _low(m, "mod") or None
    if mod in ("previous", "following") and ctx.last_day is not None:
        # "the previous Friday": relative to the day the story is talking about
        anchor = ctx.last_day[1]
        step = -((anchor.weekday() - wd) % 7 or 7) if mod == "previous" else ((wd - anchor.weekday()) % 7 or 7)
        dt = anchor + timedelta(days=step)
    else:
        dt = resolve_weekday(ctx.ref, wd, mod, None if mod else ctx.tense(s, e))
    _set_day(ctx, e, dt)
    return ("TIME" if suffix else "DATE"), day(dt) + suffix


_RELDAY = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "last": -1, "this": 0}


def n_relday(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    word = _low(m, "rd")
    pod = _low(m, "pod")
    if word == "tonight":
        pod = "night"
    suffix = _pod_suffix(pod) if pod else ""
    typ = "TIME" if suffix else "DATE"
    if "before yesterday" in word:
        k = -2
    elif "after tomorrow" in word:
        k = 2
    else:
        k = _RELDAY[word]
    if word == "last" and pod != "night":
        k = -1
    if ctx.ref is None:
        return (typ, "PRESENT_REF") if k == 0 and not suffix else (typ, "XXXX-XX-XX" + suffix)
    dt = ctx.ref + timedelta(days=k)
    _set_day(ctx, e, dt)
    return typ, day(dt) + suffix


def n_pod_day(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    """"mid-afternoon yesterday", "noon Thursday", "midnight Friday"."""
    pod = _low(m, "pod")
    dword = _low(m, "d")
    suffix = _pod_suffix(pod)
    if ctx.ref is None:
        return "TIME", "XXXX-XX-XX" + suffix
    if dword in WEEKDAYS:
        dt = resolve_weekday(ctx.ref, WEEKDAYS[dword], None, ctx.tense(s, e))
    else:
        dt = ctx.ref + timedelta(days=_RELDAY[dword])
    _set_day(ctx, e, dt)
    return "TIME", day(dt) + suffix


def n_pod_anchored(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    """"in the morning", "at dawn", "that night": the last day mentioned, else the publication day."""
    pod = _low(m, "pod")
    suffix = _pod_suffix(pod)
    if not suffix:
        return None
    anchor = ctx.anchor_day(s, window=200)
    if anchor is None:
        return "TIME", "XXXX-XX-XX" + suffix
    return "TIME", day(anchor) + suffix


def n_day_anchored(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    """"the next day", "the same day", "the day before": relative to the last day mentioned."""
    w = _low(m, "x")
    k = 1 if re.search(r"next|following|after", w) else -1 if re.search(r"previous|before|prior", w) else 0
    anchor = ctx.anchor_day(s, window=1500)
    if anchor is None:
        return "DATE", "XXXX-XX-XX"
    dt = anchor + timedelta(days=k)
    _set_day(ctx, e, dt)
    return "DATE", day(dt)


def _clock(m: re.Match[str]) -> str | None:
    h = m.group("h")
    hour = words_to_num(h) if not h.isdigit() else int(h)
    if hour is None:
        return None
    hour = int(hour)
    minute = int(m.group("mi")) if m.groupdict().get("mi") else 0
    ap = (m.groupdict().get("ap") or "").lower().replace(".", "").strip()
    if ap:
        if not 1 <= hour <= 12:
            return None
        if ap == "pm" and hour != 12:
            hour += 12
        elif ap == "am" and hour == 12:
            hour = 0
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return None
    return f"T{hour:02d}:{minute:02d}"


def n_clock(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    clock = _clock(m)
    if clock is None:
        return None
    anchor = ctx.anchor_day(s, window=200)
    return "TIME", (day(anchor) if anchor else "XXXX-XX-XX") + clock


def n_ref(value: str) -> Callable[[re.Match[str], Ctx, int, int], Norm]:
    def norm(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
        return "DATE", value

    return norm


def _weekend(ref: date, k: int, tense: str | None) -> str:
    """ISO week value of the weekend meant by "the weekend" / "last weekend" / "next weekend"."""
    if ref.weekday() >= 5:
        base = ref
    elif k < 0 or (k == 0 and tense != "future"):
        base = ref - timedelta(days=ref.weekday() + 1)  # the Sunday just gone
    else:
        base = ref
    if k > 0:
        base = ref + timedelta(days=(5 - ref.weekday()) % 7 or 7)
    return iso_week(base) + "-WE"


def n_season(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    """A bare season ("in the summer"): by tense, else the nearest one (spring, said in December, is next)."""
    word = m.group("u")
    if word[:1].isupper() and re.match(r"\s+[A-Z]", ctx.text[m.end("u"):m.end("u") + 2]):
        return None  # "the Spring Festival"
    code = SEASONS[word.lower()]
    if ctx.ref is None:
        return "DATE", f"XXXX-{code}"
    tense = ctx.tense(s, e)
    cy, cc = season_of(ctx.ref)
    last, nxt = season_shift(ctx.ref, code, "last"), season_shift(ctx.ref, code, "next")
    if cc == code:
        y = cy
    elif tense in ("past", "future"):
        y = last if tense == "past" else nxt
    else:
        cur = _SEASON_ORDER.index(cc)
        idx = _SEASON_ORDER.index(code)
        y = nxt if (idx - cur) % 4 < (cur - idx) % 4 else last
    return "DATE", f"{y:04d}-{code}"


def n_the_weekend(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    if ctx.ref is None:
        return "DATE", "XXXX-WXX-WE"
    return "DATE", _weekend(ctx.ref, 0, ctx.tense(s, e))


def n_end_of(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    """"the end of the month", "year-end", "the end of the year" (value: the enclosing unit)."""
    unit = _low(m, "u") or "year"
    ref = ctx.ref
    if ref is None:
        return "DATE", "XXXX"
    if unit == "year":
        before = ctx.text[max(0, s - 6):s].lower()
        return "DATE", f"{ref.year - 1 if before.strip() == 'since' else ref.year:04d}"
    if unit == "month":
        return "DATE", month_value(ref.year, ref.month)
    if unit == "week":
        return "DATE", iso_week(ref)
    if unit == "quarter":
        return "DATE", f"{ref.year:04d}-Q{quarter_of(ref)}"
    if unit == "decade":
        return "DATE", f"{ref.year // 10:03d}"
    return "DATE", f"{ref.year // 100:02d}"


def _offset_value(ref: date, n: int, unit: str) -> str:
    if unit == "day":
        return day(ref + timedelta(days=n))
    if unit == "week":
        return iso_week(ref + timedelta(weeks=n))
    if unit == "month":
        return month_value(*add_months(ref.year, ref.month, n))
    if unit == "year":
        return f"{ref.year + n:04d}"
    if unit == "decade":
        return f"{(ref.year + 10 * n) // 10:03d}"
    if unit == "quarter":
        y, q = add_quarters(ref.year, quarter_of(ref), n)
        return f"{y:04d}-Q{q}"
    if unit == "hour":
        return day(ref)
    return day(ref)


def _spelled_year(s: str) -> int | None:
    s = s.lower().replace("the year ", "")
    if s.startswith("nineteen"):
        rest = words_to_num(s[len("nineteen"):].strip(" -"))
        return 1900 + int(rest) if rest is not None and rest < 100 else None
    if s.startswith("two thousand"):
        tail = s[len("two thousand"):].strip(" -")
        n = words_to_num(tail) if tail else 0.0
        return 2000 + int(n) if n is not None else None
    return None
