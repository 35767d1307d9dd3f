"""The TIMEX3 rule table: one pattern and one normaliser per family of expressions.

Structured like HeidelTime's resources: building blocks (months, weekdays,
spelled numbers, units) are joined into extraction patterns; every rule has a
normaliser that turns the match into a TimeML (type, value) pair against the
publication date, or rejects it. A named group ``x`` narrows the extent when
the pattern needs context it must not swallow ("in [the morning]").

Extents and values follow TimeBank: "the third quarter", "the past three
months" and "more than four hours" include their determiners and
qualifiers; "late Tuesday" is the date of that Tuesday.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from newsweave.analyze import timex_normalize as tn
from newsweave.analyze.timex_normalize import (
    Norm,
    _cap,
    _low,
    _offset_value,
    _pod_suffix,
    _rel_year,
    _spelled_year,
    _weekend,
    n_clock,
    n_day_anchored,
    n_end_of,
    n_iso,
    n_month_alone,
    n_month_day,
    n_month_year,
    n_numeric,
    n_pod_anchored,
    n_pod_day,
    n_ref,
    n_relday,
    n_season,
    n_the_weekend,
    n_weekday,
)

if TYPE_CHECKING:
    from newsweave.analyze.timex import Ctx

# ------------------------------------------------------------- building blocks
_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH = rf"(?:(?:{_MONTH_FULL})\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|\b))"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_ORDW = "|".join(sorted((k for k in tn.ORDINALS if k not in ("final", "last")), key=len, reverse=True))
_DOM = rf"(?:(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?|{_ORDW})"
_U9 = "one|two|three|four|five|six|seven|eight|nine"
_TEEN = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENW = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_W99 = rf"(?:(?:{_TENW})(?:[\s-](?:{_U9}))?|{_TEEN}|{_U9})"
_NUMW = rf"(?:(?:{_W99}|a)[\s-]hundred(?:[\s-](?:and[\s-])?{_W99})?|(?:{_W99}|a)[\s-]thousand|{_W99})"
_NUM = (
    rf"(?:(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{_NUMW})(?:\s+\d/\d|\s*½|\s+and\s+a\s+half)?"
    r"|a\s+couple\s+of|a\s+few|a\s+number\s+of|a\s+dozen|a\s+half|half\s+an?|a\s+single|an?|few|several"
    r"|some|many|dozens\s+of|hundreds\s+of|thousands\s+of)"
)
_UNIT = r"(?:second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|centur(?:y|ies)|millenni(?:um|a))s?"
_QUAL = (
    r"(?:more\s+than|less\s+than|fewer\s+than|at\s+least|at\s+most|no\s+more\s+than|no\s+less\s+than|"
    r"not\s+more\s+than|just\s+over|just\s+under|well\s+over|up\s+to|close\s+to|about|around|roughly|"
    r"approximately|nearly|almost|some|only|just|barely|an\s+estimated|a\s+full)"
)
_SPAN = (
    r"(?:the\s+(?:past|last|next|first|previous|preceding|coming|following|final|remaining|latest|entire|"
    r"full|whole|same|initial|ensuing)|each\s+of\s+the\s+(?:past|last|next|first)|the|these|those|another|"
    r"an\s+additional|a\s+further|an\s+extra)"
)
_POD = r"(?:morning|afternoon|evening|night|overnight|mid-?day|noon|midnight)"
_TZ = (
    r"(?:local\s+time|(?:GMT|UTC|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|EET|EEST|ET|PT)\b"
    r"|\(\s*\d{1,4}(?::\d{2})?\s*(?:[ap]\.?m\.?\s*)?(?:GMT|UTC)\s*\))"
)
_SPELLED_YEAR = rf"(?:nineteen[\s-]{_W99}|(?:the\s+year\s+)two\s+thousand(?:[\s-](?:and[\s-])?{_W99})?)"
_COUNT_NOUN = re.compile(
    r"\s*(?:%|percent|per\s+cent|people|persons|troops|soldiers|fighters|civilians|men|women|children|"
    r"workers|employees|jobs|shares|units|cars|homes|houses|tons|tonnes|barrels|feet|foot|meters|metres|"
    r"miles|kilometers|kilometres|km|acres|points|votes|seats|rooms|beds|copies|students|members|"
    r"residents|families|refugees|prisoners|deaths|cases|calories|dollars|euros|pounds|yen|buses|"
    r"vehicles|planes|aircraft|missiles|rockets|rounds|hectares|square|sq)\b",
    re.I,
)


@dataclass(frozen=True)
class Rule:
    """One extraction pattern with its normaliser (and an optional cheap acceptance check)."""

    name: str
    rx: re.Pattern[str]
    norm: Callable[[re.Match[str], Ctx, int, int], Norm]
    accept: Callable[[re.Match[str], str], bool] | None = None



# --------------------------------------------------------------- normalisers
_NAME_MONTHS = {"april", "may", "june", "august"}
_TITLE_AFTER_DAY = re.compile(
    r"\s+(?:Times|Telegraph|Express|Mirror|Mail|Herald|Post|Independent|Star|Tribune|Observer|Edition|"
    r"Night\s+Football|Night\s+Live|Bloody|Agreement|Accords?)\b")


def a_month_alone(m: re.Match[str], text: str) -> bool:
    if not _cap(m, "mon"):
        return False
    # "June Carter", "May Ellis": a first name when a capitalised word follows a bare month
    word = m.group("mon").lower()
    if word in _NAME_MONTHS and m.groupdict().get("dom") is None and m.groupdict().get("y") is None:
        return not re.match(r"\s+[A-Z][a-z]", text[m.end("mon"):m.end("mon") + 3])
    return True


def a_weekday(m: re.Match[str], text: str) -> bool:
    if not _cap(m, "wd") or _TITLE_AFTER_DAY.match(text, m.end("wd")):
        return False  # "The Sunday Times", "Saturday Night Live"
    if m.group("pl"):
        # "Mondays" is a set only in "on Mondays" / "Mondays and ..."
        before = text[max(0, m.start("wd") - 4):m.start("wd")].lower()
        return before.endswith("on ") or text[m.end():m.end() + 4].lower() == " and"
    return True


def a_present(m: re.Match[str], text: str) -> bool:
    w = m.group("x").lower()
    if w == "current":
        after = text[m.end("x"):m.end("x") + 14].lower()
        return not re.match(r"\s+(?:account|affairs|events|liabilit|assets|ratio)", after)
    return True


def n_relunit(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    """"last week", "this month", "next year", "earlier this year", "the past year", "this summer"."""
    mod = _low(m, "mod")
    unit = _low(m, "u")
    if mod in ("last", "the past", "past", "the previous", "previous", "the preceding", "this past"):
        k = -1
    elif mod in ("next", "the next", "the coming", "coming", "the following", "following", "this coming"):
        k = 1
    else:
        k = 0
    ref = ctx.ref
    if ref is None:
        return "DATE", ("PAST_REF", "PRESENT_REF", "FUTURE_REF")[k + 1]
    unit = unit.replace("fiscal ", "").replace("calendar ", "").replace("school ", "")
    if unit == "week":
        val = tn.iso_week(ref + timedelta(weeks=k))
    elif unit == "weekend":
        return "DATE", _weekend(ref, k, ctx.tense(s, e))
    elif unit == "month":
        val = tn.month_value(*tn.add_months(ref.year, ref.month, k))
    elif unit == "year":
        val = f"{ref.year + k:04d}"
    elif unit == "quarter":
        y, q = tn.add_quarters(ref.year, tn.quarter_of(ref), k)
        ctx.fin = (e, "Q", y, q)
        val = f"{y:04d}-Q{q}"
    elif unit == "decade":
        val = f"{ref.year // 10 + k:03d}"
    elif unit == "century":
        val = f"{ref.year // 100 + k:02d}"
    elif unit in tn.SEASONS:
        code = tn.SEASONS[unit]
        direction = {-1: "last", 1: "next", 0: "this"}[k]
        val = f"{tn.season_shift(ref, code, direction):04d}-{code}"
    else:
        return None
    return "DATE", val


def n_the_year(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    w = _low(m, "x")
    if m.group("f"):
        ctx.fin = (e, "Y", ctx.ref.year if ctx.ref else 0, 0)
        return "DURATION", "P1Y"
    if ctx.ref is None:
        return "DATE", "PRESENT_REF"
    y = ctx.ref.year
    if "latest" in w or "previous" in w or "prior" in w:
        y -= 1
    return "DATE", f"{y:04d}"


def n_that_year(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    w = _low(m, "x")
    k = 1 if re.search(r"following|next|after", w) else -1 if re.search(r"previous|before|prior", w) else 0
    if ctx.last_year is not None:
        return "DATE", f"{ctx.last_year[1] + k:04d}"
    if ctx.ref is not None:
        return "DATE", f"{ctx.ref.year + k:04d}"
    return None


_Q_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
          "final": 4, "last": 4}


def n_quarter(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    """"the third quarter", "third-quarter", "next year's first quarter", "the 1988 second quarter"."""
    q = _Q_ORD[_low(m, "o")]
    pre = _low(m, "pre")
    if m.group("y"):
        y = int(m.group("y"))
    elif ctx.ref is None:
        return "DATE", f"XXXX-Q{q}"
    else:
        ref = ctx.ref
        y = ref.year
        if "last year" in pre or "year-ago" in pre or "year-earlier" in pre or "year ago" in pre:
            y -= 1
        elif "next year" in pre:
            y += 1
        elif "this year" not in pre:
            cur = tn.quarter_of(ref)
            tense = ctx.tense(s, e)
            if q > cur and tense != "future" and (q - cur >= 2 or tense == "past"):
                y -= 1
        if m.group("rel"):
            y = _rel_year(_low(m, "rel"), ctx) or y
    if m.group("half"):
        # "the first half of 1990"
        return "DATE", f"{y:04d}-H{min(q, 2)}"
    ctx.fin = (e, "Q", y, q)
    return "DATE", f"{y:04d}-Q{q}"


def n_quarter_generic(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    """"the quarter", "the latest quarter", "the current quarter", "the year-ago quarter"."""
    w = _low(m, "x")
    ago = bool(re.search(r"year[- ](?:ago|earlier)|last year|a year ago|year-before", w))
    if ctx.ref is None:
        return "DATE", "XXXX-QX"
    qc = ctx.quarter_context(s, window=3000)
    last_done = tn.add_quarters(ctx.ref.year, tn.quarter_of(ctx.ref), -1)
    if "current" in w or w.startswith("this"):
        y, q = (ctx.ref.year, tn.quarter_of(ctx.ref)) if not qc or "current" in w else qc
    elif "latest" in w or "most recent" in w or "just-ended" in w:
        # the latest reported quarter is complete: a quarter named nearby counts only if it is
        y, q = qc if qc and qc <= last_done else last_done
    elif qc:
        y, q = qc
    elif "next" in w:
        y, q = tn.add_quarters(ctx.ref.year, tn.quarter_of(ctx.ref), 1)
    else:
        # the latest reported quarter is the last complete one
        y, q = tn.add_quarters(ctx.ref.year, tn.quarter_of(ctx.ref), -1)
    if ago:
        return "DATE", f"{y - 1:04d}-Q{q}"
    ctx.fin = (e, "Q", y, q)
    return "DATE", f"{y:04d}-Q{q}"


def n_period(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    """"the latest period", "the year-earlier period", "year-ago", "the 1988 period"."""
    w = _low(m, "x")
    if ctx.ref is None:
        return None
    qc = ctx.quarter_context(s)
    ago = bool(re.search(r"year[- ](?:ago|earlier|before)|last year|a year ago|prior year", w))
    if m.groupdict().get("y"):
        y = int(m.group("y"))
        if "quarter" in w and qc:
            return "DATE", f"{y:04d}-Q{qc[1]}"
        return "DATE", f"{y:04d}"
    if qc:
        y, q = qc
        return "DATE", f"{y - 1 if ago else y:04d}-Q{q}"
    if not ago:
        return None  # "the latest period" with nothing to anchor it
    return "DATE", f"{ctx.ref.year - 1:04d}"


def a_year(m: re.Match[str], text: str) -> bool:
    if not m.group("y"):
        return True
    a = m.start("y")
    before = text[max(0, a - 16):a]
    if re.search(r"[$#£€¥]\s*$|[\d,.]$|\b(?:no|nos|nr|flight|route|highway|interstate|room|suite|boeing|airbus|"
                 r"model|version|windows|resolution|bill|page|pages|pp?|article|chapter|section|rule|code|law|"
                 r"number|apollo|unit|platform|gate|channel|series|iso|item)\.?\s*$", before, re.I):
        return False  # "Resolution 2254", "Flight 1549", "$2016"
    after = text[m.end("y"):m.end("y") + 30]
    if re.match(r"\s+(?:[A-Z][a-z]+\s+)?(?:Avenue|Ave\.|Street|St\.|Road|Rd\.|Boulevard|Blvd\.?|Lane|Drive)",
                after):
        return False  # "1600 Pennsylvania Avenue"
    return not _COUNT_NOUN.match(after)


def n_year(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    if m.group("y"):
        y = int(m.group("y"))
    else:
        got = _spelled_year(m.group("sy"))
        if got is None:
            return None
        y = got
    ctx.last_year = (e, y)
    pre = _low(m, "pre")
    for word, code in tn.SEASONS.items():
        if word in pre:
            return "DATE", f"{y:04d}-{code}"
    if "first half" in pre:
        return "DATE", f"{y:04d}-H1"
    if "second half" in pre or "last half" in pre or "latter half" in pre:
        return "DATE", f"{y:04d}-H2"
    return "DATE", f"{y:04d}"


_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}


def n_decade(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    if m.group("cd"):
        return "DATE", m.group("cd")[:3]
    digit = int(m.group("d2")) if m.group("d2") else _DECADE_WORDS[_low(m, "dw")]
    ref_year = ctx.ref.year if ctx.ref else 2000
    century = ref_year // 100
    if digit * 10 > ref_year % 100 + 5:
        century -= 1
    return "DATE", f"{century:02d}{digit}"


def n_century(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    n = _low(m, "n")
    num = tn.ORDINALS.get(n) or (int(re.sub(r"\D", "", n)) if re.search(r"\d", n) else None)
    if not num or num > 30:
        return None
    return "DATE", f"{num - 1:02d}"


def a_duration(m: re.Match[str], text: str) -> bool:
    n = _low(m, "n")
    u = _low(m, "u")
    if u.startswith("second") and n in ("a", "an", "one"):
        return False  # "a second attack"
    if u.startswith("quarter") and n in ("a", "an"):
        return False  # "a quarter of the population"
    after = text[m.end():m.end() + 12].lower()
    if re.match(r"[\s-]+old\b", after):
        return False  # ages are not durations in TimeBank
    if n in ("some", "many", "an") and u.startswith("night"):
        return False
    if u.startswith("quarter") and re.search(r"\w-quarter", m.group(0), re.I):
        return False  # "three-quarters of its food", "a four-quarter test"
    if n in ("a", "an") and m.groupdict().get("dir") is None:
        # "$500 million a year", "700 seats a week": a rate, which TimeBank leaves unmarked
        before = text[max(0, m.start() - 40):m.start()]
        prev = re.search(r"(\w+)\W*$", before)
        if prev and prev.group(1).lower() not in _A_UNIT_OK and re.search(
                r"\d|\b(?:hundred|thousand|million|billion|dozen|twice|once|times)\b", before, re.I):
            return False
    return True


_A_UNIT_OK = {"within", "for", "over", "in", "after", "than", "barely", "about", "nearly", "almost", "only",
              "just", "least", "of", "past", "last", "next", "around", "under", "up", "to", "by", "from",
              "and", "or", "the", "but", "ended", "ending", "lasting", "took", "spent", "whole"}


def a_relunit(m: re.Match[str], text: str) -> bool:
    # "This Week", "Next Year" in title case mid-sentence are programme or book titles
    u = m.group("u")
    return not (u[:1].isupper() and m.group("mod")[:1].isupper() and m.start() > 0
                and not re.search(r"[.!?\n][\"'“‘]?\s*$", text[max(0, m.start() - 4):m.start()]))


def a_relday(m: re.Match[str], text: str) -> bool:
    # "USA Today", "VOA Today": a name, not a date
    w = m.group("rd")
    if w[:1].isupper() and not m.group("pre"):
        before = text[max(0, m.start() - 20):m.start()]
        if re.search(r"\b[A-Z][\w.]*\s+$", before) and not re.search(r"[.!?:;]\s*$", before):
            return False
    return True


def n_duration(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    n_txt = _low(m, "n")
    u = tn.unit_key(_low(m, "u"))
    n = tn.words_to_num(n_txt)
    if n is not None and m.group("half"):
        n += 0.5
    before = ctx.text[max(0, s - 24):s].lower()
    if n_txt == "one" and u == "day" and re.search(r"\b(?:will|could|may|might|would|can)\s*$", before):
        return "DATE", "FUTURE_REF"
    if u in ("month", "quarter") and n in (6.0, 9.0, 3.0):
        ctx.fin = (e, "Y", 0, 0)
    # "redeemed in five years": a date when the clause looks ahead
    if (n is not None and n == int(n) and re.search(r"\bin\s*$", before) and not _low(m, "sp")
            and ctx.ref is not None and u in ("year", "month", "week", "day")
            and ctx.tense(s, e) == "future"):
        return "DATE", _offset_value(ctx.ref, int(n), u)
    return "DURATION", tn.duration_value(n, u)


def n_duration_vague(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    return "DURATION", tn.duration_value(None, _low(m, "u"))


def n_ago(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    """"two weeks ago", "a year earlier", "five years from now", "three days later"."""
    u = tn.unit_key(_low(m, "u"))
    n = tn.words_to_num(_low(m, "n"))
    direction = _low(m, "dir")
    sign = 1 if direction in ("from now", "hence") else -1
    if direction in ("later", "after"):
        return "DURATION", tn.duration_value(n, u)
    if direction in ("earlier", "before") and u not in ("year", "month"):
        return "DURATION", tn.duration_value(n, u)
    if n is None:
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF"
    if ctx.ref is None:
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF"
    if u == "year" and n == 1 and sign < 0:
        qc = ctx.quarter_context(s)
        if qc:
            return "DATE", f"{qc[0] - 1:04d}-Q{qc[1]}"
    if n != int(n) or u in ("hour", "minute", "second"):
        return "DATE", tn.day(ctx.ref) if u != "year" else f"{ctx.ref.year - round(n):04d}"
    return "DATE", _offset_value(ctx.ref, sign * int(n), u)


def n_set(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    u = _low(m, "u")
    n = tn.words_to_num(_low(m, "n")) if m.group("n") else 1.0
    if "other" in _low(m, "x"):
        n = 2.0
    base = u[:-1] if u.endswith("s") and u[:-1] in tn.WEEKDAYS else u
    if base in tn.WEEKDAYS:
        return "SET", f"XXXX-WXX-{tn.WEEKDAYS[base] + 1}"
    if base.rstrip(".") in tn.MONTHS:
        return "SET", f"XXXX-{tn.MONTHS[base.rstrip('.')]:02d}"
    if base in tn.SEASONS:
        return "SET", f"XXXX-{tn.SEASONS[base]}"
    if base in ("morning", "afternoon", "evening", "night"):
        return "SET", "XXXX-XX-XX" + _pod_suffix(base)
    if base == "weekend":
        return "SET", "XXXX-WXX-WE"
    if base == "quarter":
        return "SET", f"P{int(n or 1)}Q"
    return "SET", tn.duration_value(n, tn.unit_key(base))


_HOLIDAYS = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
             "new year's day": (1, 1), "new year's": (1, 1), "new year's eve": (12, 31), "boxing day": (12, 26),
             "independence day": (7, 4), "valentine's day": (2, 14), "halloween": (10, 31),
             "bastille day": (7, 14), "may day": (5, 1)}


def n_holiday(m: re.Match[str], ctx: Ctx, s: int, e: int) -> Norm:
    """Fixed-date holidays ("Christmas Eve", "New Year's Day"), resolved like a month and day."""
    mo, d = _HOLIDAYS[_low(m, "h").replace("’", "'")]
    if m.group("y"):
        return "DATE", f"{int(m.group('y')):04d}-{mo:02d}-{d:02d}"
    if ctx.ref is None:
        return "DATE", f"XXXX-{mo:02d}-{d:02d}"
    got = tn.resolve_month_day(ctx.ref, mo, d, ctx.tense(s, e))
    return ("DATE", tn.day(got)) if got else None


def _r(name: str, pattern: str, norm: Callable[[re.Match[str], Ctx, int, int], Norm],
       accept: Callable[[re.Match[str], str], bool] | None = None) -> Rule:
    # every expression starts at a word boundary ("know" does not contain "now")
    return Rule(name, re.compile(r"(?<![\w-])(?:" + pattern + ")", re.I), norm, accept)


_PRE_DAY = r"(?:(?P<pre>early|late|earlier|later|mid-?)\s+(?:on\s+)?)?"
_EDGE = r"(?:early|late|mid|mid-|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)"

# Rule order breaks ties between equally long matches: specific before generic.
RULES: list[Rule] = [
    _r("iso", r"(?<![\d-])(?P<y>\d{4})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?:[T ](?P<h>[01]\d|2[0-3]):(?P<mi>[0-5]\d))?(?![\d-])",
       n_iso),
    _r("numeric", r"(?<![\d/.])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/]|\.\d)",
       n_numeric),
    _r("month_day", rf"(?:{_WD},?\s+)?(?:(?:{_EDGE})\s*)?(?P<mon>{_MONTH})\s*(?P<dom>{_DOM})\b(?!\s*(?:%|,\d))"
       rf"(?:,?\s+(?P<y>{_YEAR})\b)?", n_month_day, a_month_alone),
    _r("day_month", rf"(?:{_WD},?\s+)?(?:the\s+)?(?P<dom>{_DOM})\s+(?:of\s+)?(?P<mon>{_MONTH})"
       rf"(?:,?\s+(?P<y>{_YEAR})\b)?", n_month_day, a_month_alone),
    _r("month_year", rf"(?:{_EDGE}\s*)?(?P<mon>{_MONTH})(?:,?\s+(?:of\s+)?(?:(?P<y>{_YEAR})\b|(?P<sy>{_SPELLED_YEAR}))"
       r"|\s+(?P<rel>(?:of\s+)?(?:this|last|next)\s+year))", n_month_year, a_month_alone),
    _r("month_mod", rf"(?P<mod>last|this|next|this\s+past|this\s+coming|early|late|mid-?|the\s+end\s+of|"
       rf"the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)\s*(?P<mon>{_MONTH_FULL})\b", n_month_alone,
       a_month_alone),
    _r("month_prep", rf"\b(?:in|since|until|till|by|from|through|to|of|during|for|before|after|between|and|or|"
       rf"around|throughout|a|an|the|its|their|his|her|each)\s+(?P<x>(?P<mon>{_MONTH_FULL}))\b(?!\s*\d)",
       n_month_alone, a_month_alone),
    _r("month_poss", rf"(?P<x>(?P<mon>{_MONTH_FULL}))(?=['’]s\b)", n_month_alone, a_month_alone),
    _r("holiday", rf"(?P<h>Christmas(?:\s+(?:Day|Eve))?|New\s+Year['’]s(?:\s+(?:Day|Eve))?|Boxing\s+Day|"
       rf"Independence\s+Day|Valentine['’]s\s+Day|Halloween|Bastille\s+Day|May\s+Day)\b(?!\s+Island)"
       rf"(?:,?\s+(?P<y>{_YEAR})\b)?", n_holiday, lambda m, t: m.group("h")[0].isupper()),
    _r("weekday", rf"{_PRE_DAY}(?:(?P<mod>last|this|next|this\s+past|this\s+coming|past|coming|previous|following)\s+)?"
       rf"(?P<wd>{_WD})(?P<pl>s)?(?:(?:\s+|-)(?P<pod>{_POD})s?)?\b", n_weekday, a_weekday),
    _r("relday", rf"{_PRE_DAY}(?P<rd>today|tonight|yesterday|tomorrow|the\s+day\s+before\s+yesterday|"
       r"the\s+day\s+after\s+tomorrow)(?:(?:\s+|-)(?P<pod>morning|afternoon|evening|night))?\b", n_relday,
       a_relday),
    _r("relday_pod", r"(?:(?P<pre>early|late)\s+)?(?P<rd>this|last)\s+(?P<pod>morning|afternoon|evening|night)\b",
       n_relday),
    _r("pod_day", rf"(?:(?:early|late)\s+)?(?P<pod>mid-?afternoon|mid-?morning|mid-?day|noon|midnight|dawn|dusk)"
       rf"\s+(?:on\s+)?(?P<d>today|yesterday|tomorrow|{_WD})\b", n_pod_day),
    _r("pod_anchor", r"\b(?:in|during|at|by|before|after|until|since|from|overnight\s+into|early\s+in|late\s+in)\s+"
       r"(?P<x>(?:the\s+)?(?:early\s+|late\s+)?(?:hours\s+of\s+the\s+)?(?P<pod>morning|afternoon|mid[-\s]?afternoon|mid[-\s]?morning|evening|night|"
       r"dawn|dusk|daybreak|sunrise|sunset|nightfall|midnight|noon|midday))\b(?!\s+(?:of|prayers?|shift|flight))",
       n_pod_anchored),
    _r("pod_that", r"(?P<x>(?:that|the\s+same|the\s+following|the\s+next)\s+(?P<pod>morning|afternoon|evening|night))\b",
       n_pod_anchored),
    _r("day_anchor", r"(?P<x>the\s+(?:next|following|previous|same|prior)\s+day|that\s+day|the\s+day\s+before|"
       r"the\s+day\s+after)\b(?!\s+(?:of|that|when|in|to)\b)", n_day_anchored),
    _r("clock", rf"(?:(?:about|around|approximately|roughly|shortly\s+after|shortly\s+before|just\s+after|"
       rf"just\s+before)\s+)?(?P<h>\d{{1,2}})(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|a\.m\b|p\.m\b|am\b|pm\b)"
       rf"(?:\s*{_TZ})?", n_clock),
    _r("clock24", rf"(?<![\d:,.])(?P<h>[01]?\d|2[0-3])[:h](?P<mi>[0-5]\d)\s*(?:{_TZ}|hours\b|hrs\b)", n_clock),
    _r("clock4", rf"(?<![\d:,.$])(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)\s*(?:{_TZ}|hours\b|hrs\b)", n_clock),
    _r("clock_prep", r"\b(?:at|by|until|till|from|around|about|before|after)\s+(?P<x>(?P<h>[01]?\d|2[0-3]):"
       r"(?P<mi>[0-5]\d))(?![\d:])", n_clock),
    _r("oclock", rf"(?P<h>\d{{1,2}}|{_W99})\s+o['’]clock(?:\s+in\s+the\s+(?P<ap2>morning|afternoon|evening))?",
       n_clock),
    _r("noon", r"\b(?:at|by|until|till|before|after|around|about|shortly\s+after|shortly\s+before)\s+"
       r"(?P<x>(?P<pod>noon|midnight|midday))\b", n_pod_anchored),
    _r("present", r"(?P<x>right\s+now|just\s+now|nowadays|now|currently|presently|at\s+present|"
       r"at\s+the\s+moment|these\s+days|current)\b(?!-)", n_ref("PRESENT_REF"), a_present),
    _r("past_ref", r"(?:in\s+)?(?P<x>recently|lately|more\s+recently|formerly|recent|the\s+past)\b(?!\s*-)",
       n_ref("PAST_REF")),
    _r("future_ref", r"(?P<x>(?<!as\s)soon|as\s+soon\s+as\s+possible|the\s+(?:near\s+|distant\s+)?future|in\s+future|"
       r"the\s+(?:near|short|long)\s+term|a\s+later\s+date|(?:the\s+)?(?:coming|upcoming)\s+"
       r"(?:days|weeks|months|years|quarters)|future\s+(?:quarters|years|months))\b(?!\s+after)",
       n_ref("FUTURE_REF")),
    _r("that_year", r"(?P<x>that\s+year|the\s+same\s+year|the\s+following\s+year|the\s+previous\s+year|"
       r"the\s+year\s+before|the\s+year\s+after|the\s+prior\s+year)\b", n_that_year),
    _r("relunit", r"(?:(?:early|late|mid|earlier|later|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|"
       r"the\s+middle\s+of|the\s+rest\s+of|the\s+remainder\s+of|the\s+latter\s+part\s+of)\s+)?"
       r"(?P<mod>this\s+past|this\s+coming|the\s+past|the\s+previous|the\s+preceding|the\s+coming|"
       r"the\s+following|the\s+current|the\s+same|this|last|next|past|coming|previous)\s+(?P<u>week|weekend|month|"
       r"year|quarter|decade|century|(?:fiscal|calendar|school)\s+year|summer|spring|autumn|fall|winter)\b"
       r"(?!-\w)", n_relunit, a_relunit),
    _r("season", r"\b(?:in|during|over|through|until|by|since|throughout|into|this|the)\s+(?P<x>(?:the\s+)?"
       r"(?:(?:early|late)\s+|mid-?)?(?P<u>summer|winter|spring|autumn))\b(?!\s+(?:of|months|season|olympics|games"
       r"|offensive|break|holidays?|session)\b)", n_season),
    _r("weekend", r"(?:over\s+|during\s+|at\s+)?(?P<x>the\s+weekend)\b", n_the_weekend),
    _r("end_of", r"(?:the\s+)?(?:end|beginning|start|middle|close|turn)\s+of\s+the\s+(?P<u>year|month|week|decade|"
       r"century|quarter)\b(?!\s+(?:ago|before|after|earlier)\b)|year[-\s]end\b|year['’]s\s+end\b", n_end_of),
    _r("the_year", r"(?P<x>the\s+(?:full\s+|fiscal\s+|whole\s+|entire\s+|calendar\s+|current\s+|latest\s+|"
       r"previous\s+|prior\s+)?(?:fiscal\s+)?year)\b(?![-'’])(?P<f>\s+(?:ended|ending|ends|that\s+ended|to\s+date|"
       r"through))?", n_the_year),
    _r("quarter", rf"(?P<pre>(?:(?:the|this|last|next|this\s+year['’]s|last\s+year['’]s|"
       rf"next\s+year['’]s|the\s+year[- ]ago|the\s+year[- ]earlier|year[- ]ago|year[- ]earlier|comparable|"
       rf"same|fiscal|calendar|flat|latest|current|previous)\s+){{0,3}})(?P<o>first|second|third|fourth|final|1st|2nd|"
       rf"3rd|4th)[\s-]+(?:fiscal\s+)?(?:(?P<qq>quarter)|(?P<half>half))s?\b(?:\s+(?:of\s+)?(?:fiscal\s+)?(?:"
       rf"(?P<y>{_YEAR})\b|(?P<rel>(?:this|last|next)\s+year)))?", n_quarter),
    _r("quarter_y", rf"(?P<pre>the\s+)?(?P<y>{_YEAR})\s+(?P<o>first|second|third|fourth)[\s-]+(?P<qq>quarter)"
       r"(?P<half>(?!))?(?P<rel>(?!))?", n_quarter),
    _r("quarter_generic", r"(?P<x>(?:the|this|that|last|next)\s+(?:(?:latest|current|previous|past|most\s+recent|"
       r"same|year[- ]ago|year[- ]earlier|comparable|fiscal|just-ended|recent)\s+){0,3}quarter\b(?![-\w])"
       r"(?:\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year))?)", n_quarter_generic),
    _r("quarter_poss", r"(?P<x>last\s+year['’]s\s+quarter)", n_quarter_generic),
    _r("period", r"(?P<x>(?:the|that)\s+(?:(?:latest|year[- ]ago|year[- ]earlier|comparable|same|corresponding|"
       r"year-before|prior-year|year-end)\s+){1,3}period(?:\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year))?)",
       n_period),
    _r("period_y", rf"(?P<x>the\s+(?P<y>{_YEAR})\s+(?:period|quarter))", n_period),
    _r("year_adj", r"(?<![\w-])(?P<x>year[-\s](?:ago|earlier)|year-before)(?=\s+(?:results|period|quarter|"
       r"figures|level|loss|losses|profit|net|earnings|sales|revenue|income|month|quarter)\b)", n_period),
    _r("year", rf"(?:(?P<pre>early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|"
       rf"the\s+(?:first|second|last|latter)\s+half\s+of|(?:the\s+)?(?:spring|summer|fall|autumn|winter)\s+of|"
       rf"(?:spring|summer|fall|autumn|winter))(?:\s+|-))?(?:(?:fiscal(?:\s+year)?|FY|calendar(?:\s+year)?|"
       rf"model\s+year)\s*)?(?:(?<!\d)(?<!\d-)(?P<y>{_YEAR})(?![\d]|s\b|['’]s\b|-\d{{2}}\b|\.\d)|(?P<sy>{_SPELLED_YEAR}))",
       n_year, a_year),
    _r("decade", r"(?:the\s+)?(?:(?:early|mid|late)[\s-]*)?(?:(?P<cd>\d{3})0['’]?s\b|['’](?P<d2>\d)0s\b|"
       r"(?<=the\s)(?P<dw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b)", n_decade),
    _r("century", rf"(?:the\s+)?(?:(?:early|mid|late)[\s-]*)?(?P<n>\d{{1,2}}(?:st|nd|rd|th)|{_ORDW})[\s-]+century\b",
       n_century),
    _r("set_every", rf"(?P<x>(?:every|each)\s+(?:other\s+|single\s+)?(?:(?P<n>{_NUM})\s+)?(?P<u>second|minute|hour|"
       rf"day|night|week|weekend|month|quarter|year|morning|afternoon|evening|{_WD}|{_MONTH_FULL}|spring|summer|"
       r"autumn|fall|winter)s?)\b", n_set),
    _r("ago", rf"(?:(?:{_QUAL})\s+)?(?P<n>{_NUM})\s+(?P<u>{_UNIT})\s+(?:or\s+so\s+)?"
       r"(?P<dir>ago|earlier|later|from\s+now|hence)\b", n_ago, a_duration),
    _r("years_ago", r"(?P<n>(?P<u>years|months|weeks|days|decades))\s+(?P<dir>ago)\b", n_ago),
    _r("duration", rf"(?:(?:{_QUAL})\s+)?(?:(?P<sp>{_SPAN})\s+)?(?:(?:over|under)\s+)?(?P<n>{_NUM})(?:\s+(?:to|or|-)\s+(?:{_NUM}))?"
       r"(?:\s+or\s+so)?[\s-]+(?:(?:more|additional|straight|consecutive|full|long|trading|business|working|"
       rf"calendar|fiscal|school)[\s-]+)?(?P<u>{_UNIT})\b(?P<half>\s+and\s+a\s+half)?(?:\s+or\s+so)?",
       n_duration, a_duration),
    _r("recent_units", r"(?P<x>recent\s+(?P<u>days|weeks|months|years|decades|quarters))\b", n_duration_vague),
    _r("bare_units", r"\b(?:for|within|in|after|over|during|following|lasting|took|take|takes|taking|spent|"
       r"spend|of|the)\s+(?P<x>(?:(?:early|later|first|last|past|ensuing|final|heady)\s+)?"
       r"(?P<u>minutes|hours|days|weeks|months|years|decades|centuries))\b(?!\s+(?:old|ago|later|earlier)\b)",
       n_duration_vague),
    _r("units_of", r"(?P<x>(?P<u>hours|days|weeks|months|years|decades|centuries))(?=\s+of\b)", n_duration_vague),
]
