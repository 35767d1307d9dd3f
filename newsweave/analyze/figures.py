"""Figures: numbers that count or measure something, with what they count and who gave them.

One rule engine serves both paths. Number cores are found with regular
expressions (digits, number words, "a dozen", vague magnitudes such as "tens
of thousands", shares such as "nearly half", ranges such as "2,000 to 10,000");
dates, clock times, durations, ages, ordinals, identifiers ("Resolution 2254")
and phone numbers are dropped; the qualifier is read to the left ("at least",
"an estimated"), the unit or the counted noun to the right. With a spaCy Doc
the counted noun is chosen with part-of-speech tags ("250 wanted militant
fighters" -> "fighters"); without one a small lexicon stands in.

Who gave each figure is worked out in :mod:`newsweave.analyze.figures_speakers`.
Breakdowns ("82 civilians, including 11 women and 13 children") point to the
figure they break down through :attr:`Figure.parent`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsweave.analyze.figures_speakers import Context, attribution
from newsweave.models import Article, Entity, Figure, Quote, Sentence

# The spaCy components this stage reads (tags only); the orchestrator unions them.
NLP_COMPONENTS = ("tok2vec", "tagger")



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
    | (?P<mi>miles?\b) | (?P<m>met(?:er|re)s?\b) | (?P<cm>cm\b|centimet(?:er|re)s?\b) | (?P<mm>mm\b)
    | (?P<ft>feet\b|ft\b|foot\b) | (?P<t>tonnes?\b|tons?\b) | (?P<kg>kg\b|kilo(?:gram)?s?\b)
    | (?P<l>lit(?:er|re)s?\b) | (?P<barrels>barrels?\b) | (?P<deg>degrees?(?:\s+(?:Celsius|Fahrenheit|C|F)\b)?)
    | (?P<pct>%|per\s?cent\b|percent\b) | (?P<kmh>km/h|kph\b|mph\b)
    | (?P<USD>dollars\b) | (?P<EUR>euros\b) | (?P<GBP>pounds\s+sterling\b|pounds\b)
    )""",
    re.I | re.X,
)
_UNIT_NAMES = {"sqkm": "sq km", "sqmi": "sq mi", "sqm": "sq m", "deg": "degrees", "pct": "%", "kmh": "km/h"}

_WORD = re.compile(r"[A-Za-z][\w'’.\-]*[\w]|[A-Za-z]")
_STOP = _wordset(
    """and or but of in on at to from by with for as into than that which who whom whose were was is are be
    been being have has had will would could should may might can did do does said says say told still also
    already more most per each a an the it they he she we their its his her this these those there here when
    while after before since during until across over under about around among including such not no just
    only so then according all both some many other another across near nearly what where why how if
    whether because though although yet now again even ago later earlier"""
) | _WEEKDAYS
_IRREGULAR = _wordset(
    "people men women children police personnel staff troops cattle sheep livestock militia clergy "
    "youth deaths dead wounded injured casualties data media"
)
_MONTH_WORDS = _wordset(
    "january february march april june july august september october november december"
)
_HUMAN_RIGHT = re.compile(
    r"^\s+(?:(?:have|had|were|are|was|has|had|reportedly|already|also|been|now|still)\s+){0,3}"
    r"(?:fled|died|killed|wounded|injured|escaped|remain|remained|trapped|evacuated|arrived|crossed|"
    r"arrested|detained|drowned|missing|displaced|perished|dead|left\s+(?!\w+\s+(?:to|for))|were\s+killed)\b",
    re.I,
)
_HUMAN_LEFT = re.compile(
    r"\b(?:killed|killing|kill|kills|wounded|wounding|injured|injuring|evacuated|evacuating|rescued|"
    r"displaced|displacing|arrested|detained|executed|executing|massacred|slaughtered|claimed\s+the\s+lives\s+of|"
    r"lives\s+of)\s+(?:(?:some|about|at\s+least|more\s+than|an\s+estimated|nearly|around|over)\s+)?$",
    re.I,
)
_TOLL_LEFT = re.compile(r"\b(?:death\s+toll|toll)\b[^.;]{0,40}\b(?:to|at|of|reached|hit)\s+$", re.I)
_NUMBER_OF = re.compile(r"\bnumbers?\s+of\s+(?=[A-Za-z])", re.I)
_BREAKDOWN_GAP = re.compile(
    r"^\s*(?:,|\(|—|–|-)?\s*(?:including|among\s+them|among\s+whom|of\s+whom|of\s+them|of\s+which|incl\.|such\s+as)\s+$",
    re.I,
)
_AND_GAP = re.compile(r"^\s*(?:,|and|,\s*and|as\s+well\s+as)\s*$", re.I)
_OF_THEM = re.compile(r"^\s+of\s+(?:them|whom|those)\s+(?:(?:were|are|was)\s+)?", re.I)


@dataclass(slots=True)
class _Core:
    start: int
    end: int
    value: float
    high: float | None
    kind: str  # digits | words | vague | share


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


def _cores(text: str, s0: int, s1: int) -> list[_Core]:
    """Number cores in ``text[s0:s1]`` with values, ranges merged, blocked spans dropped."""
    if not _DIGIT.search(text, s0, s1):
        blocked: list[tuple[int, int]] = []  # dates and times all have digits
    else:
        blocked = [(m.start(), m.end()) for m in _BLOCK.finditer(text, s0, s1)]
    out: list[_Core] = []
    for m in _CORE.finditer(text, s0, s1):
        a, b = m.start(), m.end()
        if any(x < b and a < y for x, y in blocked):
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
            out.append(_Core(a, b, float(low), float(high), "vague"))
        elif kind == "halfscale":
            out.append(_Core(a, b, _SCALES[raw.lower().split()[-1]] / 2, None, "words"))
        elif kind == "share":
            key = " ".join(re.split(r"[\s-]+", raw.lower())).replace("an ", "a ")
            out.append(_Core(a, b, _SHARES.get(key, 0.5), None, "share"))
        elif kind == "digits":
            parsed = _parse_digits(raw, bool(_CURRENCY_LEFT.search(text, max(s0, a - 4), a)))
            if parsed is None:
                # "5m" without a currency: ambiguous between metres and millions.
                continue
            lo, hi = parsed
            if hi is not None and hi <= lo:  # "3-1" is a score, "12-14" may be a date: skip
                continue
            out.append(_Core(a, b, lo, hi, "digits"))
        else:
            if raw.lower() in ("a", "an"):
                continue
            value = _parse_words(raw)
            if value is not None:
                out.append(_Core(a, b, value, None, "words"))
    return _merge_ranges(text, out)


_RANGE_GAP = re.compile(r"^\s*(?:to|or|-|–|and)\s*$", re.I)


def _merge_ranges(text: str, cores: list[_Core]) -> list[_Core]:
    """'2,000 to 10,000', 'between 5 and 10', 'two or three' -> one core with a high end."""
    out: list[_Core] = []
    i = 0
    while i < len(cores):
        c = cores[i]
        if i + 1 < len(cores) and c.high is None and c.kind in ("digits", "words"):
            n = cores[i + 1]
            gap = text[c.end:n.start]
            ok = bool(_RANGE_GAP.match(gap)) and n.kind in ("digits", "words") and n.value > c.value
            if ok and gap.strip().lower() == "and":
                ok = bool(re.search(r"\bbetween\s+$", text[max(0, c.start - 9):c.start], re.I))
            if ok:
                out.append(_Core(c.start, n.end, c.value, n.value if n.high is None else n.high, c.kind))
                i += 2
                continue
        out.append(c)
        i += 1
    return out


def _excluded(text: str, c: _Core, s0: int, s1: int) -> bool:
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


def _qualifier(text: str, c: _Core, s0: int) -> tuple[str | None, int]:
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


class _Tags:
    """Penn tags looked up by character offset (binary search in the Doc, nothing copied)."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc

    def get(self, off: int) -> str | None:
        span = self.doc.char_span(off, off + 1, alignment_mode="expand")
        if span is None or len(span) == 0 or span[0].idx != off:
            return None
        return str(span[0].tag_)


def doc_matches(doc: Any, text: str) -> bool:
    """True when ``doc`` was parsed from ``text`` (cheap: no ``doc.text`` join)."""
    if len(doc) == 0:
        return not text.strip()
    last = doc[len(doc) - 1]
    return bool(last.idx + len(last.text_with_ws) == len(text) and doc[0].text == text[doc[0].idx:doc[0].idx + len(doc[0].text)])


def _word_class(word: str, off: int, tags: _Tags | None) -> str:
    """'plural' | 'noun' | 'mod' | 'stop' for the counted-noun scan."""
    lw = word.lower()
    if lw in _STOP or lw in _MONTH_WORDS or word == "May":
        return "stop"
    tag = tags.get(off) if tags is not None else None
    if tag is not None:
        if tag in ("NNS", "NNPS"):
            return "plural"
        if tag in ("NN", "NNP"):
            return "noun"
        if tag in ("JJ", "JJR", "JJS", "VBN", "VBG", "VBD", "HYPH", "POS"):
            return "mod"
        return "stop"
    if lw in _IRREGULAR:
        return "plural"
    if lw.endswith(("'s", "’s", "'")):
        return "mod"
    if lw.endswith(("ed", "ing")):
        return "mod"
    if lw.endswith("s") and not lw.endswith(("ss", "us", "is", "ous")) and len(lw) > 3:
        return "plural"
    return "noun"


def _counted(text: str, pos: int, s1: int, tags: _Tags | None, share: bool = False) -> tuple[str | None, int]:
    """The head noun of the counted phrase starting at ``pos`` and where it ends."""
    of = r"\s+(?:of\s+)?" if share else r"\s+of\s+"
    m = re.match(of + r"(?:(?:the|their|its|his|her|these|those)\s+)?", text[pos:s1], re.I)
    if m and not re.match(r"\s+of\s+(?:them|whom|which|us|those)\b", text[pos:s1], re.I):
        pos += m.end()
    last: tuple[str, int] | None = None
    for n, w in enumerate(_WORD.finditer(text, pos, min(s1, pos + 80)), 1):
        gap = text[pos:w.start()]
        if gap.strip() and gap.strip() not in ("-",):
            break  # punctuation ends the phrase
        cls = _word_class(w.group(0), w.start(), tags)
        if cls == "stop":
            break
        if cls == "plural":
            return w.group(0), w.end()
        if cls == "noun":
            last = (w.group(0), w.end())
        elif last is not None:
            break  # a modifier after the noun: "population displaced"
        pos = w.end()
        if n >= 5:
            break
    if last:
        return last
    return None, pos


def _elliptic_counted(text: str, start: int, end: int, s0: int, s1: int, tags: _Tags | None) -> str | None:
    """What a bare number counts: 'killed hundreds' -> people; 'the number of X ... 2,000' -> X."""
    left = text[max(s0, start - 60):start]
    if _TOLL_LEFT.search(left):
        return "deaths"
    if _HUMAN_LEFT.search(left) or _HUMAN_RIGHT.match(text[end:min(s1, end + 60)]):
        return "people"
    m = None
    for m in _NUMBER_OF.finditer(text, s0, start):  # noqa: B007 - the last one before the figure
        pass
    if m:
        word, _ = _counted(text, m.end() - 1, start, tags)
        return word
    return None


def extract_figures(
    article: Article,
    sentences: Sequence[Sentence],
    doc: Any | None = None,
    quotes: Sequence[Quote] = (),
    entities: Sequence[Entity] = (),
) -> tuple[Figure, ...]:
    """Numbers that count or measure something in one article.

    Args:
        article: the article; offsets are into ``article.text``.
        sentences: its sentences (:func:`newsweave.analyze.sentences.split_sentences`).
        doc: an optional spaCy Doc of ``article.text`` with tags (better counted nouns).
        quotes: the article's quotes; a figure inside one is attributed to its speaker.
        entities: the article's entities; attributions are given their full names.

    Returns:
        Figures in text order; breakdowns carry the index of their parent figure.

    Example:
        >>> from newsweave.models import Article
        >>> from newsweave.analyze.sentences import split_sentences
        >>> a = Article("At least 82 civilians, including 11 women, died, the monitor said.")
        >>> [(f.value, f.qualifier, f.counted, f.parent) for f in extract_figures(a, split_sentences(a))]
        [(82.0, 'at least', 'civilians', None), (11.0, None, 'women', 0)]
    """
    text = article.text
    if doc is not None and not doc_matches(doc, text):
        doc = None  # a Doc of other text would give wrong tags
    tags = _Tags(doc) if doc is not None else None
    ctx = Context(text, sentences, quotes, entities, doc, {})
    out: list[Figure] = []
    for sent in sentences:
        if sent.boilerplate or not re.search(r"\d|[a-z]", text[sent.start:sent.end]):
            continue
        first_in_sentence = len(out)
        for c in _cores(text, sent.start, sent.end):
            if _excluded(text, c, sent.start, sent.end):
                qual, _ = _qualifier(text, c, sent.start)
                if not (qual and c.kind == "words" and c.value == 1 and not _TIME_AFTER.match(text[c.end:sent.end])):
                    continue  # "at least one civilian" still counts
            qual, start = _qualifier(text, c, sent.start)
            if c.kind == "share" and not qual and not re.match(r"\s+(?:of\b|the\b|its\b|their\b)", text[c.end:sent.end]):
                continue  # "half" alone is rarely a figure
            end = c.end
            rq = _QUAL_RIGHT.match(text[end:sent.end])
            if rq:
                qual = qual or ("about" if "so" in rq.group(0) else "more than" if "plus" in rq.group(0) else "at least")
                end += rq.end()
            unit: str | None = None
            cur = _CURRENCY_LEFT.search(text, max(sent.start, start - 4), start)
            if cur:
                unit = _CURRENCY.get(cur.group(0).strip()[-1], "USD")
                start = cur.start()
            # Units may run past a wrong sentence break ("2.5 sq. | km"), so read on a little.
            um = _UNIT_RIGHT.match(text[end:min(len(text), end + 30)])
            if um and not unit:
                g = um.lastgroup or ""
                unit = _UNIT_NAMES.get(g, g)
                end += um.end()
            elif c.kind == "share":
                unit = "share"
            of_them = _OF_THEM.match(text[end:sent.end])
            counted, cend = _counted(text, end + (of_them.end() - 1 if of_them else 0), max(sent.end, end), tags,
                                     share=c.kind == "share" or unit == "%")
            if counted and unit not in (None, "share", "%"):
                counted = None if not re.match(r"\s+of\b", text[end:sent.end], re.I) else counted
            if counted:
                end = cend
                rq = _QUAL_RIGHT.match(text[end:sent.end])  # "100 jobs or more"
                if rq and not qual:
                    qual = "about" if "so" in rq.group(0) else "at least"
                    end += rq.end()
            elif unit is None:
                counted = _elliptic_counted(text, start, end, sent.start, sent.end, tags)
            if c.kind == "words" and c.value == 1 and not qual and not counted:
                continue
            parent = None
            if len(out) > first_in_sentence:
                prev = out[-1]
                gap = text[prev.end:start]
                if _BREAKDOWN_GAP.match(gap) or of_them:
                    parent = len(out) - 1
                elif _AND_GAP.match(gap) and prev.parent is not None:
                    parent = prev.parent
            out.append(Figure(
                start=start, end=end, text=text[start:end], value=c.value, high=c.high, qualifier=qual,
                counted=counted, unit=unit, attribution=attribution(ctx, sent, start, end),
                parent=parent, sentence_index=sent.index, article_id=article.id,
            ))
    return tuple(out)


def figure_dict(f: Figure) -> dict[str, Any]:
    """One figure as the JSON object of ``newsweave figures FILE --json``."""

    def num(v: float | None) -> float | int | None:
        return int(v) if v is not None and float(v).is_integer() else v

    return {
        "start": f.start, "end": f.end, "text": f.text, "value": num(f.value), "high": num(f.high),
        "qualifier": f.qualifier, "counted": f.counted, "unit": f.unit, "attribution": f.attribution,
        "parent": f.parent, "sentence_index": f.sentence_index,
    }


def figures_json(article: Article) -> list[dict[str, Any]]:
    """The ``newsweave figures FILE --json`` contract for one article.

    Runs the whole analysis (quotes and entities make attributions better).

    Returns:
        ``[{"start", "end", "text", "value", "high", "qualifier", "counted", "unit",
        "attribution", "parent", "sentence_index"}]`` with offsets into ``article.text``.
    """
    from newsweave.analyze import analyze

    return [figure_dict(f) for f in analyze(article).figures]
