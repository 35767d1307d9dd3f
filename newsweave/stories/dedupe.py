"""Republished copies: near-duplicate articles found with MinHash and banded LSH.

An article whose words are nearly those of one already placed (the same wire
text under another outlet's name, a re-run with a new headline) joins that
article's story directly and is marked as its copy. The MinHash signature is
:class:`newsweave.synthesize.sources.PassageIndex`'s (CRC-32 shingles,
universal hashing, stable across processes); here it is taken over a whole
article's word 5-gram shingles and banded 8 x 8, so pairs above a Jaccard
similarity of about 0.75 meet in a bucket, and a candidate counts as a copy
when its signatures agree on at least :data:`COPY_JACCARD` of their values.

>>> from newsweave.models import Article
>>> d = CopyIndex()
>>> text = " ".join(f"word{i}" for i in range(60))
>>> d.add("a1", d.signature(Article(text)))
>>> d.find(d.signature(Article(text + " extra")))
'a1'
"""

from __future__ import annotations

import re
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from newsweave.models import Article

__all__ = ["COPY_JACCARD", "CopyIndex", "MIN_COPY_WORDS"]

COPY_JACCARD = 0.8  # estimated Jaccard of shingle sets at or above which an article is a copy
MIN_COPY_WORDS = 25  # shorter texts share 5-grams by chance (boilerplate, one quoted line)
BANDS, ROWS = 8, 8
SHINGLE = 5
_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def _hasher() -> Any:
    from newsweave.synthesize.sources import PassageIndex

    return PassageIndex()


class CopyIndex:
    """A bounded LSH index of article signatures (the most recent ``capacity`` articles)."""

    def __init__(self, capacity: int = 50_000) -> None:
        self.capacity = capacity
        self.sigs: OrderedDict[str, bytes] = OrderedDict()
        self.buckets: list[dict[bytes, list[str]]] = [{} for _ in range(BANDS)]

    def __len__(self) -> int:
        return len(self.sigs)

    @staticmethod
    def signature(article: Article) -> bytes | None:
        """The article's MinHash signature as bytes, or None for a text too short to judge."""
        words = _WORD.findall(article.text.lower())
        if len(words) < MIN_COPY_WORDS:
            return None
        shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
        sig = _hasher().signature(shingles)
        return bytes(sig.astype("<u4").tobytes())

    def find(self, sig: bytes | None) -> str | None:
        """The key of an indexed article this signature copies, or None."""
        if sig is None:
            return None
        seen: set[str] = set()
        best, best_sim = None, 0.0
        for band, key in zip(self.buckets, _bands(sig), strict=True):
            for other in band.get(key, ()):
                if other in seen:
                    continue
                seen.add(other)
                sim = _agreement(sig, self.sigs[other])
                if sim > best_sim:
                    best, best_sim = other, sim
        return best if best_sim >= COPY_JACCARD else None

    def add(self, key: str, sig: bytes | None) -> None:
        """Index an article's signature; the oldest entries leave past ``capacity``."""
        if sig is None or key in self.sigs:
            return
        self.sigs[key] = sig
        for band, k in zip(self.buckets, _bands(sig), strict=True):
            band.setdefault(k, []).append(key)
        while len(self.sigs) > self.capacity:
            old, old_sig = self.sigs.popitem(last=False)
            for band, k in zip(self.buckets, _bands(old_sig), strict=True):
                lst = band.get(k)
                if lst is not None:
                    lst.remove(old)
                    if not lst:
                        del band[k]


def _bands(sig: bytes) -> list[bytes]:
    step = ROWS * 4
    return [sig[i * step : (i + 1) * step] for i in range(BANDS)]


def _agreement(a: bytes, b: bytes) -> float:
    """Share of equal MinHash values: an estimate of the Jaccard similarity."""
    n = len(a) // 4
    same = sum(1 for i in range(0, len(a), 4) if a[i : i + 4] == b[i : i + 4])
    return same / n if n else 0.0
