"""Comparing two figures given for one quantity: agree, differ, or neither; and
whether a difference is a conflict between parties or an update over time.

Each figure is read as an interval ("at least 82" is [82, inf), "about 6,000"
is [5100, 6900], "tens of thousands" is [20000, 99999]). Two figures

* **agree** when they give the same number (within 3% rounding), or a vague
  amount holds the other's number ("thousands of dockers" and "4,000");
* **differ** when their numbers differ: "4,000" against "about 1,200", and
  also "at least 14" against "19" from another party, since a desk reads a
  bound as the party's count;
* are **neither** when both are loose bounds of one side ("at least 40" and
  "at least 45", which any toll may be) or one is a vague amount that misses
  the other: they are not compared at all.

Two differing figures are an **update** when one is worded as the earlier side
of a change ("from 2,000 to 10,000"), the later one is worded as a revision
("the toll rose to 62", "in a new toll"), or the same party (or the outlet
itself) gave them on different days; otherwise two parties disagree: a
**conflict**.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from newsweave.models import Figure

__all__ = ["figure_interval", "is_vague", "relation", "pair_kind", "Side", "ROUNDING"]

ROUNDING = 0.03  # numbers within 3% are the same number rounded
LOOSE_BOUNDS = 2.0  # two lower bounds closer than this factor may both be true: not compared
_LOWER = frozenset(["at least", "more than"])
_UPPER = frozenset(["up to", "fewer than"])
_APPROX = frozenset(["about", "estimated", "nearly"])


def is_vague(f: Figure) -> bool:
    """A vague amount ("dozens", "thousands", "tens of thousands"): too loose to contradict anything."""
    if f.value is None:
        return True
    from newsweave.analyze.figures_numbers import VAGUE_WORDS

    low = f.text.lower()
    return any(w in low for w in VAGUE_WORDS) or "several" in low or "a few" in low


def figure_interval(f: Figure) -> tuple[float, float] | None:
    """The values a figure allows, as a closed interval (None when it has no value).

    >>> from newsweave.models import Figure
    >>> figure_interval(Figure(0, 0, "at least 82 civilians", 82.0, qualifier="at least"))
    (82.0, inf)
    >>> figure_interval(Figure(0, 0, "about 1,200", 1200.0, qualifier="about"))
    (1020.0, 1380.0)
    """
    if f.value is None:
        return None
    v = float(f.value)
    if f.high is not None and f.high >= v:
        return (v, float(f.high))
    q = f.qualifier or ""
    if q in _LOWER:
        return (v, math.inf)
    if q in _UPPER:
        return (0.0, v)
    if q in _APPROX:
        return (v * 0.85, v * (1.0 if q == "nearly" else 1.15))
    return (v, v)


def _meets(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] * (1 + ROUNDING) and b[0] <= a[1] * (1 + ROUNDING)


def relation(a: Figure, b: Figure) -> str:
    """"agree", "differ" or "neither" (see the module docstring).

    >>> from newsweave.models import Figure
    >>> f = lambda v, q=None, t="": Figure(0, 0, t or str(v), float(v), qualifier=q)
    >>> relation(f(4000), f(1200, "about")), relation(f(82, "at least"), f(82)), relation(f(40, "at least"), f(45, "at least"))
    ('differ', 'agree', 'neither')
    """
    ia, ib = figure_interval(a), figure_interval(b)
    if ia is None or ib is None:
        return "neither"
    if is_vague(a) or is_vague(b):
        return "agree" if _meets(ia, ib) else "neither"
    va, vb = float(a.value or 0.0), float(b.value or 0.0)
    if a.high is not None or b.high is not None:
        return "agree" if _meets(ia, ib) and abs(va - vb) <= ROUNDING * max(va, vb) else "differ"
    if abs(va - vb) <= ROUNDING * max(abs(va), abs(vb), 1.0):
        return "agree"
    lo, hi = sorted((va, vb))
    if (a.qualifier in _LOWER and b.qualifier in _LOWER and hi < LOOSE_BOUNDS * lo) or (
        a.qualifier in _UPPER and b.qualifier in _UPPER
    ):
        return "neither"
    return "differ"


@dataclass(frozen=True, slots=True)
class Side:
    """What :func:`pair_kind` reads of one row of a quantity."""

    party: str  # the party's key; "outlet:<name>" when the outlet states the figure itself
    date: str | None
    earlier: bool = False  # worded as the "from" side of a change
    revised: bool = False  # worded as a revision


def _later(a: str | None, b: str | None) -> int:
    """-1, 0 or 1: whether date ``b`` is before, the same as (or unknown), or after date ``a``."""
    if not a or not b:
        return 0
    n = min(len(a), len(b))
    if a[:n] == b[:n]:
        return 0
    return 1 if b > a else -1


def pair_kind(a: Side, b: Side) -> str | None:
    """"update", "conflict" or None (same party, same day: not comparable) for two differing rows.

    >>> pair_kind(Side("union", "2026-03-10"), Side("port authority", "2026-03-10"))
    'conflict'
    >>> pair_kind(Side("ministry", "2026-03-10"), Side("ministry", "2026-03-11"))
    'update'
    >>> pair_kind(Side("ministry", "2026-03-10"), Side("red cross", "2026-03-11", revised=True))
    'update'
    """
    if a.earlier or b.earlier:
        return "update"
    order = _later(a.date, b.date)
    # A number worded as a revision supersedes an earlier one, or one of its own party or outlet;
    # against another party's number of the same day it is still a disagreement.
    related = order != 0 or a.party == b.party or a.party.startswith("outlet:") or b.party.startswith("outlet:")
    if related and ((b.revised and order >= 0 and not a.revised) or (a.revised and order <= 0 and not b.revised)):
        return "update"
    if a.party == b.party:
        return "update" if order else None
    if (a.party.startswith("outlet:") or b.party.startswith("outlet:")) and order:
        return "update"  # an outlet's own background figure against a party's newer one
    return "conflict"
