"""An entailment-style test of whether two statements state the same fact.

Topical overlap is not enough: "the union says 4,000 joined" and "the
authority says 1,200 joined" share nearly every word and are different
facts; "Kestrel denied hiring replacements" and "the union says Kestrel hired
replacements" are opposite ones. Two statements state the same fact here
when each states most of the other's content **and** nothing in them
conflicts:

* **content**: the share of a statement's content words (stems, weighted by
  their rarity in the story) that the other also states, both ways
  (:func:`covers`); reporting verbs and stop words do not count;
* **numbers**: every number one states must be in the other ("4,000" vs
  "1,200" is two facts; "14 ships" vs "19 ships" is two);
* **participants**: a name one gives must be among the other's names or
  be stated by it as a word ("Vessey" matches "Martin Vessey");
* **stance**: a denial or negation on one side and not the other is a
  different fact.

Quotations are tested apart (:func:`carries_quote`): an article that says
the same thing in other words states the fact but does not carry the
quotation, and is cited as a paraphrase.

Pure Python over the lexical helpers: no model, so it always runs. The
``embed`` extra can add a MiniLM score (:func:`blend`) for paraphrases with
few shared words; it can raise the content score, never override a conflict.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from newsweave.synthesize.clauses import strip_dateline
from newsweave.synthesize.lexical import STOPWORDS, names_and_numbers, stem, words
from newsweave.synthesize.lexicon import family_tokens, lemma

__all__ = ["Statement", "statement", "unit_match", "content_terms", "covers", "conflicts", "same_fact", "carries_quote", "blend", "QUOTE_MIN_WORDS", "participants"]

#: A quotation shorter than this is a phrase ("an 'excuse'"), not words to carry.
QUOTE_MIN_WORDS = 4
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?:\s+(?:million|billion|thousand|bn|m)\b)?", re.I)
_NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15", "twenty": "20", "fifty": "50", "hundred": "100",
    "dozen": "12",
}  # fmt: skip
# Stance: a denial turns a statement into its opposite. Plain negation ("would
# not put its offer in writing") is part of what is stated, so it is content,
# not stance.
_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|denials?|refuted|refutes|rebuffed|(?:rejected|rejects|dismissed|dismisses)"
    r"\s+(?:the\s+|a\s+|an\s+|these\s+|such\s+)?(?:\w+\s+)?(?:claims?|allegations?|accusations?|reports?|charges?|"
    r"suggestions?)|(?:was|were|is|are)\s+(?:completely\s+|totally\s+)?(?:false|untrue|baseless|unfounded))\b",
    re.I,
)
# Polarity: negation or refusal also reverses what is stated ("she never met
# him" against "she met him"); compared only when one side is a denial.
_NEGATIVE = re.compile(
    r"\b(?:not|never|no|nobody|none|nothing|neither|nor|refused|refuses|refuse|refusing|declined)\b|n['’]t\b", re.I
)
_DENY_WORDS = frozenset(
    ["denied", "denies", "deny", "denying", "denial", "denials", "refuted", "rejected", "rejects", "dismissed"]
)
_REFUSE_WORDS = frozenset(["refused", "refuses", "refuse", "refusing", "declined", "declines", "declining"])
_NOT_WORDS = frozenset(["not", "never", "no", "nobody", "none", "nothing", "neither", "nor", "without"])
# Light verbs say little on their own ("went on strike", "will go to a vote").
_LIGHT = frozenset(["go", "goes", "going", "gone", "went", "get", "gets", "got", "getting", "come", "comes", "came",
                    "coming", "make", "makes", "made", "making", "take", "takes", "took", "taken", "taking"])
_NOT_CONTENT = _NOT_WORDS | _REFUSE_WORDS | _LIGHT | frozenset(_NUMBER_WORDS) | {
    "least", "than", "about", "around", "nearly", "single", "million", "billion", "thousand"}
_CLAUSE_END = frozenset(
    ["but", "while", "whereas", "although", "though", "before", "after", "when", "because", "since", "until", "and"]
)
# Lower case only: "May 5" is a date.
_HEDGE = re.compile(r"\b(?:likely|unlikely|could|might|may|possibly|perhaps|expected\s+to|feared)\b")
_QUOTED = re.compile(r"[“\"]([^”\"]+)[”\"]")
# Words that say who reported, not what happened.
_REPORTING = frozenset(stem(w) for w in (
    "said", "says", "say", "told", "tell", "added", "stated", "reported", "according", "statement", "spokesman",
    "spokeswoman", "spokesperson", "announced", "noted", "claimed", "confirmed", "insisted", "explained",
    "reporters", "press", "interview", "news", "agency",
))  # fmt: skip
# Words that say who someone is, not what happened ("Kestrel's chief executive").
_ROLES = frozenset(stem(w) for w in (
    "chief", "executive", "president", "secretary", "general", "minister", "spokesman", "spokeswoman",
    "director", "head", "leader", "official", "officials", "spokesperson", "chairman", "chairwoman", "chair",
    "governor", "mayor", "senator", "representative", "analyst", "manager", "founder", "deputy", "adviser",
    "advisor", "commissioner", "member", "members",
))  # fmt: skip
# Name runs that are not participants: days, months, sentence openers.
_NOT_NAMES = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
     "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Statement:
    """What the test compares: content stems, numbers, names, stance, quotations."""

    terms: frozenset[str]
    content: tuple[str, ...]  # what happened: stems and event families less names, roles and reporting words
    numbers: frozenset[str]
    names: frozenset[str]
    negated: bool  # a denial: "denied", "rejected claims", "was false"
    quotes: tuple[tuple[str, ...], ...]  # each quotation's words (lower case), QUOTE_MIN_WORDS or more
    words: frozenset[str]  # every lower-cased word, for names stated as common words
    negative: bool = False  # polarity: a denial, a refusal or a negation ("never met", "no workers were hired")
    negated_terms: frozenset[str] = frozenset()  # content under a negation or denial
    speakers: frozenset[str] = frozenset()  # words naming who spoke ("board", "sandor"), roles left out
    hedged: bool = False  # a possibility, not a report: "likely to rise", "could", "might"


_DAY_OF_MONTH = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\b\d{1,2}\s+(?=(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\b)"
)


_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_COMPOUND = re.compile(r"\b(" + "|".join(_TENS) + r")[- ](" + "|".join(_UNITS) + r")\b", re.I)


def _numbers(text: str) -> frozenset[str]:
    text = _DAY_OF_MONTH.sub(" ", text)  # "9 March", "Oct 14": a date, not a quantity
    # "Eighty-two" is 82, not 2.
    text = _COMPOUND.sub(lambda m: str(_TENS[m.group(1).lower()] + _UNITS[m.group(2).lower()]), text)
    out = {" ".join(m.group().replace(",", "").rstrip(".").lower().split()) for m in _NUMBER.finditer(text)}
    out |= {_NUMBER_WORDS[w] for w in words(text) if w in _NUMBER_WORDS}
    return frozenset(out)


_LEADING_NAME = re.compile(r"^[\"“‘']?([A-Z][\w'’-]+(?:\s+(?:of\s+)?[A-Z][\w'’-]+)+)")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[,;:“”\"()—–]")
_SPEECH = frozenset([
    "said", "says", "say", "told", "tells", "added", "adds", "stated", "states", "announced", "announces",
    "confirmed", "confirms", "insisted", "insists", "claimed", "claims", "reported", "reports", "noted",
    "explained", "estimates", "estimated", "warned", "warns", "wrote", "writes",
])  # fmt: skip
_WHEN = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday", "tonight",
     "tomorrow", "night", "morning", "evening", "afternoon", "overnight", "dawn", "midnight", "noon", "weekend",
     "late", "early"]
) | _NOT_NAMES  # fmt: skip
_MONTHS = frozenset(m for m in _NOT_NAMES if not m.endswith("day")) | {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
MAX_SPEAKER_WORDS = 7


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """Lower-cased words, and for each the punctuation standing right before it ("" for none)."""
    ws: list[str] = []
    punct: list[str] = []
    pending = "^"
    for m in _TOKEN.finditer(text):
        t = m.group()
        if t[0].isalnum():
            ws.append(t.lower().replace("’", "'"))
            punct.append(pending)
            pending = ""
        else:
            pending += t
    return ws, punct


def speaker_words(ws: list[str], punct: list[str]) -> set[int]:
    """Positions of the words that say who spoke, not what happened: the
    subject of a reporting verb ("the port authority said", "Ilse Brandt, a
    spokeswoman for the port authority, said"), the speaker of an inverted
    attribution ('"...," said Dana Okafor, the union's general secretary'),
    the listener ("told the Review that") and "according to X"."""
    out: set[int] = set()
    n = len(ws)

    def forward(i: int, stop: tuple[str, ...] = ()) -> list[int]:
        span: list[int] = []
        j = i
        while j < n and len(span) <= MAX_SPEAKER_WORDS:
            span.append(j)
            j += 1
            if j < n and (punct[j] or ws[j] in stop):
                break
        return span if len(span) <= MAX_SPEAKER_WORDS else []

    def backward(i: int, segments: int) -> list[int]:
        # Back over ``segments`` comma-separated segments at most (a name and
        # its appositive), never across a quotation.
        span: list[int] = []
        j = i
        limit = MAX_SPEAKER_WORDS * segments
        while j >= 0 and len(span) <= limit and ws[j] != "that":
            span.append(j)
            p = punct[j]
            if p:
                segments -= 1
                if p == "^" or any(c in p for c in "“”\";:(") or segments == 0:
                    break
            j -= 1
        return span if len(span) <= limit else []

    for i, w in enumerate(ws):
        if w in _SPEECH:
            p = punct[i]
            if i > 0 and any(c in p for c in "“”\""):  # '"...," said Dana Okafor, the union's general secretary'
                span = forward(i + 1)
                out.update(span)
                k = max(span, default=i) + 1
                if k < n and punct[k] == "," and ws[k] in ("the", "a", "an"):
                    out.update(forward(k))
            elif i > 0:
                # A trailing attribution (", union officials said on Monday.") is
                # one segment; a subject before what was said may have an appositive.
                trailing = all(x in _WHEN or x in ("on", "late", "early", "in", "a", "statement") for x in ws[i + 1 :])
                out.update(backward(i - 1, 1 if trailing else 2))
            if w in ("told", "tells") and i + 1 < n:
                out.update(forward(i + 1, ("that",)))
        elif w == "according" and i + 1 < n and ws[i + 1] == "to":
            out.update(forward(i + 2))
    return out


def _terms_at(text: str, skip: frozenset[str] | set[str] = frozenset()) -> list[tuple[int, str]]:
    return [(i, t) for i, t, is_stem in _all_terms_at(text) if not (is_stem and t in skip)]


@lru_cache(maxsize=16384)
def _all_terms_at(text: str) -> tuple[tuple[int, str, bool], ...]:
    """Every term of ``text`` with its position, and whether ``skip`` may drop it (stems may,
    event families may not); worked out once per text (a sentence and its units meet often)."""
    ws, punct = _tokens(text)
    fams, covered = family_tokens(ws)
    covered |= speaker_words(ws, punct)
    out = [(i, f, False) for i, f in fams if i not in covered or ws[i] not in _SPEECH]
    for i, w in enumerate(ws):
        if i in covered or w in STOPWORDS or len(w) < 2 or w[:1].isdigit() or w in _NOT_CONTENT or w in _WHEN:
            continue
        t = stem(lemma(w))
        if t in _REPORTING:
            continue
        out.append((i, t, True))
    return tuple(sorted(out))


def _speakers(text: str) -> frozenset[str]:
    ws, punct = _tokens(text)
    return frozenset(
        w for i in speaker_words(ws, punct)
        if (w := ws[i].removesuffix("'s")) not in STOPWORDS and stem(w) not in _ROLES and len(w) > 2
    )


def content_terms(text: str, skip: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """What ``text`` says, as comparable tokens: event families (``ev:strike``
    for "walked out", "downed tools", "stoppage") and the stems of the other
    content words (irregular verbs at their base: "met" -> "meet"), less
    reporting words and the stems in ``skip``.

    >>> content_terms("Dockers downed tools after talks broke down.")
    ['dock', 'ev:strike', 'ev:talks', 'ev:collapse']
    """
    return [t for _, t in _terms_at(text, skip)]


def _negated(text: str) -> frozenset[str]:
    """Content tokens under a negation or a denial: a denial covers the rest
    of its clause ("denied that she had met him"), "refused to" its verb,
    and "not", "never", "no" the next content word."""
    ws, punct = _tokens(text)
    terms = _terms_at(text)
    out: set[str] = set()
    for i, w in enumerate(ws):
        if w in _DENY_WORDS:
            # To the end of the denied clause: a comma, or a new clause ("before her ministry awarded ...").
            end = next((k for k in range(i + 1, len(ws)) if ws[k] in _CLAUSE_END or (punct[k] and k > i + 1)), len(ws))
            out.update(t for k, t in terms if i < k < end)
        elif w in _REFUSE_WORDS or w in _NOT_WORDS or w.endswith("n't"):
            out.update(t for _, t in [x for x in terms if x[0] > i][:1])
    return frozenset(out)


@lru_cache(maxsize=8192)  # a Statement is immutable; alignment and the summary ask for the same texts
def statement(text: str) -> Statement:
    """The features of one sentence or clause.

    >>> s = statement('Kestrel denied that 4,000 members had "walked off the job at all".')
    >>> sorted(s.numbers), s.negated, s.negative, s.quotes
    (['4000'], True, True, (('walked', 'off', 'the', 'job', 'at', 'all'),))
    >>> statement("She never met him.").negative, statement("She met him.").negative
    (True, False)
    """
    text = text[strip_dateline(text) :]
    names = set()
    for n in names_and_numbers(text):
        if not n[:1].isdigit() and n not in _NOT_NAMES:
            names.add(n)
    lead = _LEADING_NAME.match(text)
    if lead and lead.group(1).split()[0].lower() not in STOPWORDS:
        names.add(lead.group(1).lower())  # "Transport Minister Elena Marsh ...": a name opens the sentence
    quotes = tuple(
        tuple(ws) for m in _QUOTED.finditer(text) if len(ws := words(m.group(1))) >= QUOTE_MIN_WORDS
    )
    name_stems = {stem(w) for n in names for w in n.split()}
    toks = [t for t in content_terms(text) if t != "ev:deny"]  # a denial is stance, not content
    denial = bool(_DENIAL.search(text))
    negated = _negated(text)
    return Statement(
        terms=frozenset(toks),
        content=tuple(t for t in toks if t not in name_stems and t not in _ROLES),
        numbers=_numbers(text),
        names=frozenset(names),
        negated=denial,
        quotes=quotes,
        words=frozenset(words(text)),
        negative=denial or bool(_NEGATIVE.search(text)) or bool(negated),
        negated_terms=negated,
        speakers=_speakers(text),
        hedged=bool(_HEDGE.search(text)),
    )


def covers(a: Statement, b: Statement, idf: Mapping[str, float], default: float = 1.0) -> float:
    """The share of ``a``'s content that ``b`` also states, in [0, 1]: its
    stems weighted by rarity, and its numbers, each weighing like the rarest word."""
    total = sum(idf.get(t, default) for t in a.terms) + default * len(a.numbers)
    if not total:
        return 0.0
    shared = sum(idf.get(t, default) for t in a.terms & b.terms) + default * len(a.numbers & b.numbers)
    return shared / total


@lru_cache(maxsize=16384)
def _name_words(names: frozenset[str]) -> frozenset[str]:
    return frozenset(w for n in names for w in n.split())


@lru_cache(maxsize=65536)
def _names_known(names: frozenset[str], other_names: frozenset[str], other_words: frozenset[str]) -> int:
    """How many of ``names`` the other side states (see :func:`_name_known`); once per combination."""
    return sum(1 for n in names if _known(n, other_names, other_words))


def _name_known(name: str, other: Statement) -> bool:
    return _known(name, other.names, other.words)


def _known(name: str, other_names: frozenset[str], other_words: frozenset[str]) -> bool:
    parts = name.split()
    # A name stated whole, or its last word as a word of one of the other's names
    # (which also covers a one-word name that is a word of one of them).
    if name in other_names or (parts and parts[-1] in _name_words(other_names)):
        return True
    # "the office" for "the National Integrity Office", "the river" for "the River Orrin":
    # the head noun stands for the name.
    if len(parts) > 1 and parts[-1] in other_words:
        return True
    if len(parts) > 1 and parts[0] in _GEO_HEADS and parts[0] in other_words \
            and not any(n.split()[0] == parts[0] for n in other_names):
        return True  # "the river", not "the River Leen"
    return all(p in other_words for p in parts if p not in ("of", "the"))


# Names whose head comes first: "River Orrin", "Lake Vell", "Port Vell".
_GEO_HEADS = frozenset(["river", "lake", "mount", "bay", "cape", "gulf", "isle", "island"])


def conflicts(a: Statement, b: Statement) -> str | None:
    """Why ``a`` and ``b`` cannot state the same fact, or None.

    >>> conflicts(statement("The union says 4,000 joined."), statement("The authority says 1,200 joined."))
    'numbers'
    >>> conflicts(statement("Kestrel hired agency staff."), statement("Kestrel denied hiring agency staff."))
    'stance'
    """
    if a.numbers and b.numbers and not (a.numbers & b.numbers):
        # Numbers on both sides and none shared: another quantity, or the same
        # one given differently (a number on one side only is a detail the
        # other leaves out, which lowers the content score instead).
        return "numbers"
    if a.quotes and b.quotes and not any(carries_quote(q, b) for q in a.quotes) and not any(
        carries_quote(q, a) for q in b.quotes
    ):
        return "quotes"  # two different quotations are two statements
    if a.hedged != b.hedged:
        return "modality"  # "the toll was likely to rise" is no report that it rose
    shared = set(a.content) & set(b.content)
    if (a.negated_terms & shared and not b.negative) or (b.negated_terms & shared and not a.negative):
        # What one side states the other denies or negates ("met" / "never met").
        return "stance"
    return None


def participants(a: Statement, b: Statement) -> float:
    """The share of ``a``'s names that ``b`` states too (1.0 when ``a`` names nobody)."""
    if not a.names:
        return 1.0
    return sum(1 for n in a.names if _name_known(n, b)) / len(a.names)


def same_fact(a: Statement, b: Statement, idf: Mapping[str, float], default: float = 1.0) -> float:
    """How surely ``a`` and ``b`` state one fact, in [0, 1]; 0 on any conflict.

    The weaker direction of content coverage, scaled by how many of each
    side's participants the other names.

    >>> idf = {}
    >>> x = statement("Dock workers at the Port of Marrowick walked out on Monday.")
    >>> y = statement("Workers walked out at the Port of Marrowick on Monday, the union said.")
    >>> round(same_fact(x, y, idf), 2) > 0.6
    True
    >>> same_fact(statement("The union says 4,000 walked out."), statement("The authority says 1,200 walked out."), idf)
    0.0
    """
    if conflicts(a, b):
        return 0.0
    content = min(covers(a, b, idf, default), covers(b, a, idf, default))
    return content * (0.5 + 0.5 * min(participants(a, b), participants(b, a)))


#: Weight of a name one side gives and the other states, relative to the rarest word.
NAME_WEIGHT = 0.5
#: Weight of the better-covered side in :func:`unit_match` (the rest goes to the other).
MIX = 0.5


def unit_match(
    a: Statement, b: Statement, idf: Mapping[str, float], default: float = 1.0, min_shared: int = 2,
    topic: frozenset[str] | set[str] = frozenset(), veto: bool = True,
) -> float:
    """How surely two fact units state one fact, in [0, 1]; 0 on a conflict.

    Each side's content (event families, stems, numbers and, at half weight,
    names) is weighed by rarity; the score mixes how much of the smaller
    side the other states (mostly) with how much of the larger it states,
    so "Kestrel has offered 4.5%" meets "the union says Kestrel refused to
    put its 4.5% offer in writing". At least two things must be shared
    (``min_shared``: content words, numbers, a name), one of them a content word,
    and unless a number is shared, one shared word must be outside
    ``topic`` (the words of many of a story's sentences name its topic, not a
    fact; a word both sides negate, "never met", counts as specific). ``veto=False`` scores without the vetoes (for relatedness).

    >>> x = statement("Talks broke down late Monday.")
    >>> y = statement("The two sides blame each other for the collapse of the talks late Monday.")
    >>> unit_match(x, y, {}) > 0.6
    True
    >>> unit_match(statement("The union says 4,000 walked out."), statement("The authority says 1,200 walked out."), {})
    0.0
    """
    ca, cb = set(a.content), set(b.content)
    shared = ca & cb
    if not shared or (veto and conflicts(a, b)):  # nothing in common is 0 too: checked first, it is cheaper
        return 0.0
    nums = a.numbers & b.numbers
    known_ab = _names_known(a.names, b.names, b.words) if a.names else 0
    known_ba = _names_known(b.names, a.names, a.words) if b.names else 0
    # A name both know counts once; when one names nobody, the other's name it refers to counts.
    named = min(1, known_ab, known_ba) if a.names and b.names else min(1, known_ab + known_ba)
    if not shared or len(shared) + len(nums) + named < min_shared:
        return 0.0
    if not nums and not (a.negated_terms & b.negated_terms & shared) and shared <= topic:
        return 0.0  # only the story's commonest words in common: its topic, not one fact
    w = lambda ts: sum(idf.get(t, default) for t in ts)  # noqa: E731
    sw = w(shared) + default * len(nums)
    cov_a = (sw + NAME_WEIGHT * default * known_ab) / (w(ca) + default * len(a.numbers) + NAME_WEIGHT * default * len(a.names))
    cov_b = (sw + NAME_WEIGHT * default * known_ba) / (w(cb) + default * len(b.numbers) + NAME_WEIGHT * default * len(b.names))
    if len(shared) == 1 and not nums and not (a.negated_terms & b.negated_terms) and _says_more(a, b, ca, cb):
        # One word in common: the same fact only when neither says anything
        # else ("the battle of Aleppo was over" / "as the battle for Aleppo unfolded").
        return 0.0
    return MIX * max(cov_a, cov_b) + (1 - MIX) * min(cov_a, cov_b)


def _says_more(a: Statement, b: Statement, ca: set[str], cb: set[str]) -> bool:
    """Whether either side states content the other does not (a word that is
    part of the other side's name, "the river" for "the River Orrin", aside)."""
    return (ca - _name_stems(b.names)) != (cb - _name_stems(a.names))


@lru_cache(maxsize=16384)
def _name_stems(names: frozenset[str]) -> frozenset[str]:
    return frozenset(stem(w) for n in names for w in n.split())


def carries_quote(quote: tuple[str, ...], other: Statement, share: float = 0.8) -> bool:
    """Whether ``other`` carries (most of) the words of ``quote``."""
    if not quote:
        return True
    return sum(1 for w in quote if w in other.words) / len(quote) >= share


def blend(lexical: float, cosine: float, lo: float = 0.45, hi: float = 0.85) -> float:
    """Raise a lexical same-fact score with a MiniLM cosine (mapped from
    ``lo..hi`` onto 0..1); a conflict (0.0) stays 0."""
    if lexical <= 0.0:
        return 0.0
    sem = min(1.0, max(0.0, (cosine - lo) / (hi - lo)))
    return max(lexical, 0.5 * lexical + 0.5 * sem)
