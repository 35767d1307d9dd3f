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

from newsweave.synthesize.lexical import names_and_numbers, stem, terms, words

__all__ = ["Statement", "statement", "covers", "conflicts", "same_fact", "carries_quote", "blend", "QUOTE_MIN_WORDS", "participants"]

#: A quotation shorter than this is a phrase ("an 'excuse'"), not words to carry.
QUOTE_MIN_WORDS = 4
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
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
_QUOTED = re.compile(r"[“\"]([^”\"]+)[”\"]")
# Words that say who reported, not what happened.
_REPORTING = frozenset(stem(w) for w in (
    "said", "says", "told", "added", "stated", "reported", "according", "statement", "spokesman",
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
    content: tuple[str, ...]  # what happened: stems less names, roles and reporting words (repeats kept)
    numbers: frozenset[str]
    names: frozenset[str]
    negated: bool  # a denial: "denied", "rejected claims", "was false"
    quotes: tuple[tuple[str, ...], ...]  # each quotation's words (lower case), QUOTE_MIN_WORDS or more
    words: frozenset[str]  # every lower-cased word, for names stated as common words


def _numbers(text: str) -> frozenset[str]:
    out = {m.group().replace(",", "").rstrip(".") for m in _NUMBER.finditer(text)}
    out |= {_NUMBER_WORDS[w] for w in words(text) if w in _NUMBER_WORDS}
    return frozenset(out)


def statement(text: str) -> Statement:
    """The features of one sentence or clause.

    >>> s = statement('Kestrel denied that 4,000 members had "walked off the job at all".')
    >>> sorted(s.numbers), s.negated, s.quotes
    (['4000'], True, (('walked', 'off', 'the', 'job', 'at', 'all'),))
    """
    names = set()
    for n in names_and_numbers(text):
        if not n[:1].isdigit() and n not in _NOT_NAMES:
            names.add(n)
    quotes = tuple(
        tuple(ws) for m in _QUOTED.finditer(text) if len(ws := words(m.group(1))) >= QUOTE_MIN_WORDS
    )
    name_stems = {stem(w) for n in names for w in n.split()}
    toks = [t for t in terms(text) if t not in _REPORTING and not t[:1].isdigit()]
    return Statement(
        terms=frozenset(toks),
        content=tuple(t for t in toks if t not in name_stems and t not in _ROLES),
        numbers=_numbers(text),
        names=frozenset(names),
        negated=bool(_DENIAL.search(text)),
        quotes=quotes,
        words=frozenset(words(text)),
    )


def covers(a: Statement, b: Statement, idf: Mapping[str, float], default: float = 1.0) -> float:
    """The share of ``a``'s content that ``b`` also states, in [0, 1]: its
    stems weighted by rarity, and its numbers, each weighing like the rarest word."""
    total = sum(idf.get(t, default) for t in a.terms) + default * len(a.numbers)
    if not total:
        return 0.0
    shared = sum(idf.get(t, default) for t in a.terms & b.terms) + default * len(a.numbers & b.numbers)
    return shared / total


def _name_known(name: str, other: Statement) -> bool:
    parts = name.split()
    if any(name == n or name in n.split() or parts[-1] in n.split() for n in other.names):
        return True
    return all(p in other.words for p in parts if p not in ("of", "the"))


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
    if a.negated != b.negated:
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
