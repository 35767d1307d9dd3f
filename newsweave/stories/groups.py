"""A store's new articles placed as one set, then joined to the stories it holds.

The articles one call brings (an ``add``, a ``watch`` round, a bulk load) are
known whole when they are placed, so arrival order inside the call says
nothing: a shuffled file and a sorted one give the same stories. They are
placed in two steps:

1. **Groups.** The new articles are clustered among themselves as a set
   (:mod:`newsweave.stories.sets`: pair model and average linkage), weighed
   with the store's document frequencies (which now count them too); a
   report or two that shares names only its group carries joins it as a
   follow-up (:func:`newsweave.stories.sets.join_follow_ups`).
2. **Placement.** Each group is scored against the stories the store held
   before the call with the online model (:mod:`newsweave.stories.model`):
   every member against every candidate story any member proposes, all at the
   call's first arrival number (the stream's clock for undated articles). A
   group joins the story with the best *mean* member log-odds when that mean
   passes the stream threshold (average linkage between the group and the
   story, as within the set), or falls short by less than the follow-up margin
   while the group names the story's own people and places (the online
   clusterer's follow-up rule), or the story a republished member copies;
   otherwise it is a new story, whose id is ``s`` + the content hash of its
   first article in time order (dated by date, then undated by arrival).

Groups of one call never merge with each other here (the set already kept
them apart), and stories never merge, so ids stay stable.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from newsweave.models import Article
from newsweave.stories.cluster import FOLLOW_MARGIN, FOLLOW_NAMES, Assignment, StoryClusterer
from newsweave.stories.pairs import PairModel
from newsweave.stories.represent import ArticleRep, represent_many, unassignable
from newsweave.stories.sets import cluster_prepared, prepare

__all__ = ["place_set"]


def place_set(
    c: StoryClusterer, pm: PairModel, rows: Sequence[tuple[int, Article]],
    given: Sequence[ArticleRep | None] | None = None,
) -> list[Assignment]:
    """Place one call's new articles (``(arrival number, article)`` in arrival order) with
    clusterer ``c`` holding the store's stories; one :class:`Assignment` per row, in order.

    ``given``: representations prepared elsewhere (a Dask worker), None where this process
    should make them. An assignment's score is its group's mean log-odds with the held
    story it joined, or, in a new story, the article's best pair probability within it.
    """
    arts = [a for _, a in rows]
    seqs = [q for q, _ in rows]
    if not rows:
        return []
    reps = represent_many(arts, c.embedder, given)
    for rep in reps:  # count the whole call first: every member is weighed alike
        if rep is not None:
            c.df.add(rep.terms, rep.entities)
            if rep.day is not None:
                c.clock = rep.day if c.clock is None else max(c.clock, rep.day)
    for rep in reps:
        if rep is not None:
            c.df.weigh(rep)
    for st in c.stories.values():
        st.fresh = False  # frequencies moved: rebuild a story's vectors when it is scored
    c.seq = max(c.seq, *seqs)
    s = prepare(arts, window_days=pm.window_days, reps=reps, df=c.df)
    grouped = cluster_prepared(s, pm, follow_ups=True)  # input order; provisional ids
    members: dict[str, list[int]] = defaultdict(list)  # provisional id -> input indices in time order
    for i in s.order:
        sid = grouped[i].story_id
        if sid is not None:
            members[sid].append(i)
    start = min(seqs)
    held = set(c.stories)
    targets = {g: _target(c, [(grouped[i].signature, reps[i]) for i in idx], start, held)
               for g, idx in members.items()}
    out: list[Assignment | None] = [None] * len(rows)
    for i, a in enumerate(grouped):
        if a.story_id is None:
            out[i] = Assignment(arts[i].hash, arts[i].id, None, reason=a.reason or unassignable(arts[i]), seq=seqs[i])
    for g, idx in members.items():
        target, score = targets[g]
        sid = target
        for n, i in enumerate(idx):
            art, rep, a = arts[i], reps[i], grouped[i]
            assert rep is not None
            orig = c.copies.find(a.signature) if a.signature is not None else None
            copy_of = a.copy_of or (orig if orig is not None and c.member.get(orig) and
                                    c.resolve(c.member[orig]) == sid else None)
            sid = c.join(sid, art, rep, seqs[i], copy=copy_of is not None)
            c.remember(rep.key, sid, a.signature)
            out[i] = Assignment(art.hash, art.id, sid, score if target is not None else a.score,
                                new_story=target is None and n == 0, copy_of=copy_of, seq=seqs[i],
                                signature=a.signature)
    c.evict_stale()
    return [a for a in out if a is not None]


def _target(
    c: StoryClusterer, group: list[tuple[bytes | None, ArticleRep | None]], seq: int, held: set[str]
) -> tuple[str | None, float | None]:
    """(the held story a group joins, its mean log-odds), or (None, None) for a new story."""
    copied: Counter[str] = Counter()
    cands: set[str] = set()
    for sig, rep in group:
        assert rep is not None
        orig = c.copies.find(sig) if sig is not None else None
        if orig is not None and orig in c.member:
            sid = c.resolve(c.member[orig])
            if sid in held and c.in_window(rep, c.stories[sid]):
                copied[sid] += 1
        cands.update(sid for sid, _ in c.candidate_features(rep, seq) if sid in held)
    if copied:
        best = min(copied, key=lambda sid: (-copied[sid], sid))
        return best, None
    threshold, _ = c.model.thresholds(True)
    reps = [rep for _, rep in group if rep is not None]
    scored = []
    for sid in cands:
        st = c.stories[sid]
        if not st.fresh:
            st.refresh(c.df)
        scores = [c.model.score(c.features(rep, st, seq)) if c.in_window(rep, st) else -50.0 for rep in reps]
        scored.append((sum(scores) / len(scores), sid))
    if not scored:
        return None, None
    mean, sid = min(scored, key=lambda x: (-x[0], x[1]))
    if mean >= threshold or (mean >= threshold - FOLLOW_MARGIN and _follows(c, reps, sid)):
        return sid, round(mean, 4)
    return None, None


def _follows(c: StoryClusterer, reps: list[ArticleRep], sid: str) -> bool:
    """True when the group names :data:`FOLLOW_NAMES` of the story's own people or places:
    names no article outside the story and the group carries (a follow-up from another
    angle, as the online clusterer's rule for one article)."""
    st = c.stories[sid]
    carried: Counter[str] = Counter(e for rep in reps for e in rep.entities)
    shared = [e for e, k in carried.items() if e in st.entities and c.df.counts.get("e:" + e, 0) <= st.entities[e] + k]
    return len(shared) >= FOLLOW_NAMES

