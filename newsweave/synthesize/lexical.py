"""Shared lexical helpers for the synthesis stages: words, stems, stop words,
names and numbers, and sparse TF-IDF vectors with cosine similarity.

Everything here is pure Python with no model files, so alignment and
summarisation always have a fallback when the ``embed`` extra is missing,
and a cold CLI start stays cheap.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

__all__ = [
    "STOPWORDS",
    "stem",
    "words",
    "terms",
    "names_and_numbers",
    "TfidfModel",
    "cosine",
]

# A compact English stop list (function words, auxiliaries, reporting fillers
# that carry no fact). Kept small on purpose: content words like "police"
# or "court" must count.
_STOP_TEXT = """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can cannot could couldn't did didn't do does doesn't
    doing don't down during each either else ever every few for from further get gets got had
    hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
    himself his how how's however i i'd i'll i'm i've if in into is isn't it it's its itself
    just let's may me might more most much must mustn't my myself neither no nor not now of
    off on once one only or other ought our ours ourselves out over own per rather same
    shan't she she'd she'll she's should shouldn't since so some such than that that's the
    their theirs them themselves then there there's these they they'd they'll they're
    they've this those though through thus to too under until up upon us very via was wasn't
    we we'd we'll we're we've were weren't what what's when when's where where's whether which
    while who who's whom whose why why's will with within without won't would wouldn't yet
    you you'd you'll you're you've your yours yourself yourselves said says say saying told
    according also mr mrs ms dr just like
"""
STOPWORDS = frozenset(_STOP_TEXT.split())

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_NUM = re.compile(r"\d[\d,.]*")
# Capitalised words not at the start of the sentence, joined into runs:
# "Supreme Court", "Joe Biden". Digits count as facts too ("82", "2016").
_CAP_RUN = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-zA-Z'’-]+(?:\s+(?:of\s+)?[A-Z][a-zA-Z'’-]+)*)")


@lru_cache(maxsize=65536)  # pure, and asked of the same words again and again
def stem(word: str) -> str:
    """A light suffix-stripping stemmer (a subset of Porter's rules).

    Good enough to match "ruled"/"ruling"/"rules" and "officers"/"officer";
    it never needs to produce real words.

    >>> [stem(w) for w in ["ruled", "ruling", "officers", "agencies", "quickly"]]
    ['rul', 'rul', 'offic', 'agenc', 'quick']
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    for suf, rep in (("ies", "i"), ("sses", "ss"), ("ss", "ss"), ("s", "")):
        if w.endswith(suf):
            w = w[: len(w) - len(suf)] + rep
            break
    if w.endswith("i") and len(w) > 3:
        w = w[:-1]
    for suf in ("ingly", "edly", "ing", "ed", "ly", "ation", "ations", "ment", "ness", "er", "e"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: len(w) - len(suf)]
            break
    if w.endswith("e") and len(w) > 4:  # "announcement" -> "announce" -> "announc"
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    return w


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits; apostrophes kept inside)."""
    return [m.group().lower() for m in _WORD.finditer(text)]


def terms(text: str) -> list[str]:
    """Stems of the content words of ``text`` (stop words and 1-letter tokens dropped).

    >>> terms("The officers were ruling on Monday")
    ['offic', 'rul', 'monday']
    """
    return list(_terms(text))


@lru_cache(maxsize=16384)
def _terms(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1)


def names_and_numbers(text: str) -> set[str]:
    """Capitalised name runs (not sentence-initial) and numbers, normalised.

    A cheap stand-in for named entities that needs no model: two sentences
    that share "Lavrov" and "82" very likely speak of the same thing.

    >>> sorted(names_and_numbers("On Monday the Harbor Union said 1,200 workers struck."))
    ['1200', 'harbor union', 'monday']
    """
    return set(_names_and_numbers(text))


@lru_cache(maxsize=16384)  # alignment and the summary ask of the same sentences
def _names_and_numbers(text: str) -> frozenset[str]:
    out = set()
    for m in _CAP_RUN.finditer(text):
        name = m.group(1)
        if name.lower() in STOPWORDS:
            continue
        out.add(name.lower())
    for m in _NUM.finditer(text):
        out.add(m.group().rstrip(".,").replace(",", ""))
    return frozenset(out)


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two sparse vectors already L2-normalised (a dot product)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


class TfidfModel:
    """Inverse document frequencies over a set of texts (sentences), and
    L2-normalised sparse TF-IDF vectors built from them.

    >>> m = TfidfModel([["court", "rul"], ["court", "police"]])
    >>> round(cosine(m.vector(["court", "rul"]), m.vector(["court", "rul"])), 3)
    1.0
    """

    def __init__(self, docs: Iterable[Sequence[str]]) -> None:
        df: Counter[str] = Counter()
        n = 0
        for d in docs:
            n += 1
            df.update(set(d))
        self.n = n
        self.df = df
        # Smoothed idf as in scikit-learn: never zero, rare terms weigh most.
        self.idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
        self._default = math.log(1 + n) + 1.0

    def weight(self, term: str) -> float:
        """The idf of ``term`` (unknown terms weigh like the rarest)."""
        return self.idf.get(term, self._default)

    def vector(self, doc: Sequence[str]) -> dict[str, float]:
        """Sub-linear tf times idf, L2-normalised; empty dict for no terms."""
        tf = Counter(doc)
        vec = {t: (1.0 + math.log(c)) * self.weight(t) for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        if not norm:
            return {}
        return {t: v / norm for t, v in vec.items()}
