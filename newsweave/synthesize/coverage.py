"""Coverage: what each outlet (or each stance) reported that the others did not.

A fact belongs to an outlet's coverage when every article supporting it
comes from that outlet and no other outlet has a close sentence (its
``related`` articles): that may be the fact in words the same-fact test
could not match, and calling it exclusive would then be wrong. With stances (AllSides gives "left", "center",
"right"), the same is done per stance: the facts only one side's outlets
carried, which is often the most telling part of a comparison.

Cost: one pass over the facts, each looking up its articles' outlets in a
dictionary: linear in facts times their support.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Literal

from newsweave.models import Article, Fact, SourceEntry
from newsweave.synthesize.sources import outlet_label

__all__ = ["coverage", "coverage_by_stance"]


def _exclusive(facts: Sequence[Fact], label_of: dict[str, str], limit: int | None) -> dict[str, tuple[Fact, ...]]:
    if len(set(label_of.values())) < 2:
        return {}  # one outlet (or stance) only: nothing is exclusive to it
    out: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if {label_of[a] for a in f.related if a in label_of} - {label_of.get(a) for a in f.articles}:
            continue  # another outlet has a close sentence: perhaps the fact in other words, so not shown as exclusive
        labels = {label_of[a] for a in f.articles if a in label_of}
        if len(labels) == 1:
            out[labels.pop()].append(f)
    result = {}
    for key in sorted(out, key=lambda k: (-len(out[k]), k)):
        ranked = sorted(out[key], key=lambda f: (-f.score, f.id))
        result[key] = tuple(ranked[:limit] if limit else ranked)
    return result


def coverage(
    facts: Sequence[Fact],
    sources: Sequence[SourceEntry],
    articles: Sequence[Article] = (),
    *,
    by: Literal["outlet", "stance"] = "outlet",
    limit: int | None = None,
) -> dict[str, tuple[Fact, ...]]:
    """Facts only one outlet (or one stance) reported, per outlet (or stance).

    Args:
        facts: the story's aligned facts.
        sources: the numbered sources (outlet names; an article with no
            outlet is shown as its number and title).
        articles: the articles, needed for ``by="stance"``.
        by: group by ``"outlet"`` or by the articles' ``stance``.
        limit: keep at most this many facts per key (best scored first).

    Returns:
        Outlet (or stance) -> its exclusive facts, best scored first; keys
        with the most exclusive facts first. Empty when the story has a
        single outlet (or fewer than two stances).

    Example:
        >>> from newsweave.models import Fact, SourceEntry
        >>> src = [SourceEntry(1, "a", "Dock News", None, None, None, None, group=1),
        ...        SourceEntry(2, "b", "Harbor Wire", None, None, None, None, group=2)]
        >>> f1 = Fact(1, "The port closed.", (), ("a", "b"))
        >>> f2 = Fact(2, "Ferries ran late.", (), ("b",))
        >>> {k: [f.id for f in v] for k, v in coverage([f1, f2], src).items()}
        {'Harbor Wire': [2]}
    """
    if by == "stance":
        return coverage_by_stance(facts, sources, articles, limit=limit)
    label_of = {s.article_id: outlet_label(s) for s in sources}
    return _exclusive(facts, label_of, limit)


def coverage_by_stance(
    facts: Sequence[Fact],
    sources: Sequence[SourceEntry],
    articles: Sequence[Article],
    *,
    limit: int | None = None,
) -> dict[str, tuple[Fact, ...]]:
    """Facts only one stance's outlets reported; articles without a stance are left out."""
    known = {s.article_id for s in sources}
    label_of = {a.id: a.stance.strip().lower() for a in articles if a.stance and a.id in known}
    return _exclusive(facts, label_of, limit)
