"""Stories for a set of articles known whole (files given on the command line).

The set is prepared once (:func:`prepare`: representations, document
frequencies over the whole set, MiniLM embeddings when on, republished copies)
and then clustered globally (:func:`cluster_prepared`): candidate pairs from
an inverted index, two-stage pair probabilities, average linkage (see
:mod:`newsweave.stories.pairs`). A copy is linked to its original outright.

Story ids are those the online clusterer would give: ``s`` + the content hash
of the story's first article in time order (dated articles by date, then
undated ones in input order), so the same input gives the same ids.

>>> from newsweave.models import Article
>>> s = prepare([Article("Cranes stood idle at Port Vell on Tuesday as dockers struck over pay and shifts.", id="a"),
...              Article("Too short.", id="b")])
>>> s.reasons[1]
'only 2 words: too short to tell its story'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsweave.models import Article
from newsweave.stories.cluster import Assignment, story_id_for
from newsweave.stories.dedupe import CopyIndex
from newsweave.stories.linkage import average_linkage, link_components
from newsweave.stories.pairs import PairModel, candidate_pairs, link_features, pair_features
from newsweave.stories.represent import ArticleRep, DocFreq, day_of, embed_text, represent, unassignable

__all__ = ["PreparedSet", "cluster_prepared", "prepare", "time_order"]


def time_order(articles: Sequence[Article]) -> list[int]:
    """Indices of dated articles by date (stable), then undated ones in input order."""
    days = [day_of(a) for a in articles]
    dated = sorted((i for i, d in enumerate(days) if d is not None), key=lambda i: days[i])  # type: ignore[arg-type,return-value]
    return dated + [i for i, d in enumerate(days) if d is None]


@dataclass
class PreparedSet:
    """A set ready to cluster: articles in time order, their representations, copies.

    ``order[k]`` is the input index of the k-th article in time order; ``reps``,
    ``copy_of`` and ``sigs`` are indexed by time position, ``reasons`` by input index
    (None where the article can be placed).
    """

    articles: Sequence[Article]
    order: list[int]
    reps: list[ArticleRep | None]
    df: DocFreq
    reasons: list[str | None]
    copy_of: dict[int, int] = field(default_factory=dict)  # time position -> its original's position
    sigs: list[bytes | None] = field(default_factory=list)
    _pairs: dict[int, set[tuple[int, int]]] = field(default_factory=dict)

    def live(self) -> list[int]:
        """Time positions of the articles that can be placed."""
        return [k for k, r in enumerate(self.reps) if r is not None]

    def pairs(self, window_days: int) -> set[tuple[int, int]]:
        """Candidate pairs of time positions (index neighbours within the window, and copies)."""
        if window_days not in self._pairs:
            live = self.live()
            found = candidate_pairs([self.reps[k] for k in live], window_days)  # type: ignore[misc]
            out = {(live[i], live[j]) for i, j in found}
            out.update((min(k, o), max(k, o)) for k, o in self.copy_of.items())
            self._pairs[window_days] = out
        return self._pairs[window_days]

    def features(self, pairs: Sequence[tuple[int, int]]) -> list[tuple[float, ...]]:
        """First-stage features of pairs of time positions."""
        reps = self.reps
        return [pair_features(reps[i], reps[j], self.df) for i, j in pairs]  # type: ignore[arg-type]


def prepare(articles: Sequence[Article], embedder: Any = None, window_days: int = 30) -> PreparedSet:
    """Represent a set, count its document frequencies, embed it (when ``embedder``), find copies.

    A copy dated further than ``window_days`` from its original is a new telling, not a copy.
    """
    order = time_order(articles)
    reasons = [unassignable(a) for a in articles]
    reps: list[ArticleRep | None] = [None if reasons[i] else represent(articles[i]) for i in order]
    df = DocFreq()
    for r in reps:
        if r is not None:
            df.add(r.terms, r.entities)
    for r in reps:
        if r is not None:
            df.weigh(r)
    if embedder is not None:
        todo = [k for k, r in enumerate(reps) if r is not None]
        if todo:
            vecs = embedder.embed([embed_text(articles[order[k]]) for k in todo])
            for k, v in zip(todo, vecs):
                reps[k].embedding = v  # type: ignore[union-attr]
    s = PreparedSet(articles, order, reps, df, reasons)
    copies = CopyIndex(capacity=max(1, len(order)))
    for k, i in enumerate(order):
        sig = CopyIndex.signature(articles[i]) if reps[k] is not None else None
        s.sigs.append(sig)
        if sig is None:
            continue
        orig = copies.find(sig)
        if orig is not None and _within(reps[int(orig)], reps[k], window_days):
            s.copy_of[k] = int(orig)
        copies.add(str(k), sig)
    return s


def _share_a_name(a: ArticleRep | None, b: ArticleRep | None) -> bool:
    """True when both name someone or something in common (a copy always does)."""
    return a is not None and b is not None and bool(a.entities & b.entities)


def _within(a: ArticleRep | None, b: ArticleRep | None, window_days: int) -> bool:
    """False when both are dated further apart than the window."""
    if a is None or b is None or a.day is None or b.day is None:
        return True
    return abs(a.day - b.day) <= window_days


def cluster_prepared(
    s: PreparedSet, model: PairModel, *, threshold: float | None = None, join_margin: float | None = None,
    probs: dict[tuple[int, int], float] | None = None,
) -> list[Assignment]:
    """Cluster a prepared set; one :class:`Assignment` per article, in input order.

    Args:
        s: the prepared set.
        model: the pair model.
        threshold: average-linkage threshold (default: the model's).
        join_margin: when given, groups are then joined while any pair between them shares
            a name and has a first-stage log-odds at least ``-join_margin`` (``brief``: a
            folder is seldom several stories, and the parts of one story told from other
            angles still name its people and places).
        probs: precomputed pair probabilities (time positions), as :func:`pair_probabilities` gives.
    """
    if probs is None:
        probs, logits = pair_probabilities(s, model)
    else:
        logits = {}
    n = len(s.reps)
    labels = average_linkage(n, probs, model.threshold if threshold is None else threshold)
    if join_margin is not None:
        if not logits:
            _, logits = pair_probabilities(s, model)
        named = {p: z for p, z in logits.items() if _share_a_name(s.reps[p[0]], s.reps[p[1]])}
        labels = link_components(labels, named, -join_margin)
    best: dict[int, float] = {}
    for (i, j), p in probs.items():
        if labels[i] == labels[j]:
            for k in (i, j):
                best[k] = max(best.get(k, 0.0), p)
    ids: dict[int, str] = {}
    taken: set[str] = set()
    out: list[Assignment | None] = [None] * len(s.articles)
    for k, i in enumerate(s.order):
        art = s.articles[i]
        if s.reps[k] is None:
            out[i] = Assignment(art.hash, art.id, None, reason=s.reasons[i], seq=k + 1)
            continue
        lab = labels[k]
        new = lab not in ids
        if new:
            sid = story_id_for(art.hash)
            while sid in taken:
                sid += "x"
            ids[lab] = sid
            taken.add(sid)
        orig = s.copy_of.get(k)
        copy = s.articles[s.order[orig]].hash if orig is not None and labels[orig] == lab else None
        score = round(best[k], 4) if k in best else None
        out[i] = Assignment(art.hash, art.id, ids[lab], score, new_story=new, copy_of=copy, seq=k + 1,
                            signature=s.sigs[k])
    return [a for a in out if a is not None]


def pair_probabilities(
    s: PreparedSet, model: PairModel
) -> tuple[dict[tuple[int, int], float], dict[tuple[int, int], float]]:
    """(second-stage probability, first-stage log-odds) per candidate pair; copies get 1."""
    pairs = sorted(s.pairs(model.window_days))
    logits = {p: model.logit(f) for p, f in zip(pairs, s.features(pairs))}
    probs = {p: model.link(f) for p, f in link_features(logits).items()}
    for k, o in s.copy_of.items():
        key = (min(k, o), max(k, o))
        probs[key] = 1.0
        logits[key] = math.inf
    return probs, logits
