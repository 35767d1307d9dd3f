"""Online story clustering: each article joins the best story or starts a new one.

Articles are taken one at a time, in time order. For each, candidate stories
come from an inverted index (:mod:`newsweave.stories.index`), a republished
copy goes straight to its original's story (:mod:`newsweave.stories.dedupe`),
and otherwise every candidate is scored by the learned model
(:mod:`newsweave.stories.model`); the article joins the best one if its
score passes the threshold, else it starts a new story. When an article
scores above the (higher) merge threshold with a second story too, it is a
bridge: the two stories are one, the younger merges into the older and the
merge is recorded (the old id resolves to the new).

A story's id is ``s`` + the first 12 hex digits of its first article's
content hash, so the same articles in the same order always give the same
ids. Memory is bounded: stories whose last day falls out of the time window,
and past ``max_active`` the least recently grown, leave the in-memory index
(they stay in the store).

>>> from newsweave.models import Article
>>> c = StoryClusterer()
>>> a = c.add(Article("Dockers at Port Vell walked out on Tuesday over pay and night shifts at the harbour.",
...                   title="Port Vell dockers strike", source="Harbor Wire"))
>>> b = c.add(Article("Port Vell dockers stayed off work on Tuesday, halting the harbour's cranes over pay.",
...                   title="Dockers strike at Port Vell", source="Bay Times"))
>>> a.story_id == b.story_id, a.new_story, b.new_story
(True, True, False)
"""

from __future__ import annotations

import base64
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsweave.models import Article
from newsweave.stories.dedupe import CopyIndex
from newsweave.stories.index import InvertedIndex
from newsweave.stories.model import Model, load_model, seq_gap
from newsweave.stories.represent import ArticleRep, DocFreq, represent, represent_many, unassignable

__all__ = ["Assignment", "StoryClusterer", "StoryState", "story_id_for"]

STORY_TERMS = 300  # summed term weights kept per story
STORY_TITLE_TERMS = 60  # summed title-term weights kept per story
STORY_ENTITIES = 100  # name counts kept per story
INDEX_TERMS = 15  # a story is indexed under its heaviest terms...
INDEX_ENTITIES = 8  # ...and its most telling names
PROBE_TERMS = 12  # an article asks with its heaviest terms...
PROBE_ENTITIES = 8  # ...and its rarest names
CANDIDATES = 24  # stories scored per article
# Follow-ups in a stream: a report from another angle a day later (the anger after a dam
# release, an official's denial, an analysis) scores just below the join threshold against
# its story, yet still names the story's own people and places. Such a near miss (within
# FOLLOW_MARGIN log-odds) joins when it shares FOLLOW_NAMES names with the story that no
# article outside the story carries: names that mark one story, not a whole beat. Measured:
# the example stories' follow-ups came 0.6-0.95 below the threshold; on the AllSides stream
# (check_stream, 6 batches) the rule moved B-cubed F1 from 0.903 to 0.901.
FOLLOW_MARGIN = 1.0
FOLLOW_NAMES = 2


def story_id_for(article_hash: str) -> str:
    """The id of a story started by the article with this content hash."""
    return "s" + article_hash[:12]


@dataclass(slots=True)
class StoryState:
    """A story as the clusterer holds it: summed representations of its articles."""

    id: str
    terms: Counter[str] = field(default_factory=Counter)
    title_terms: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    weekdays: Counter[str] = field(default_factory=Counter)
    months: Counter[str] = field(default_factory=Counter)
    outlets: Counter[str] = field(default_factory=Counter)
    emb: Any = None  # numpy sum of member embeddings
    n: int = 0
    independent: int = 0  # members that are not copies of another member
    first_day: int | None = None
    last_day: int | None = None
    first_seq: int = 0
    last_seq: int = 0
    title: str | None = None
    # cached weighted vectors, rebuilt when the story grows
    vec: dict[str, float] = field(default_factory=dict)
    title_vec: dict[str, float] = field(default_factory=dict)
    ent_vec: dict[str, float] = field(default_factory=dict)
    fresh: bool = False

    def absorb(self, rep: ArticleRep, seq: int, title: str | None, copy: bool) -> None:
        """Add one article's representation."""
        self.terms.update(_unit_tf(rep.terms))
        self.title_terms.update(_unit_tf(rep.title_terms))
        self.entities.update(rep.entities)
        self.weekdays.update(rep.weekdays)
        self.months.update(rep.months)
        if rep.outlet:
            self.outlets[rep.outlet] += 1
        if rep.embedding is not None:
            self.emb = rep.embedding.copy() if self.emb is None else self.emb + rep.embedding
        self.n += 1
        self.independent += 0 if copy else 1
        if rep.day is not None:
            self.first_day = rep.day if self.first_day is None else min(self.first_day, rep.day)
            self.last_day = rep.day if self.last_day is None else max(self.last_day, rep.day)
        self.first_seq = seq if self.n == 1 else min(self.first_seq, seq)
        self.last_seq = max(self.last_seq, seq)
        if not self.title and title:
            self.title = title
        self._trim()
        self.fresh = False

    def release(self, rep: ArticleRep, copy: bool) -> None:
        """Take one article's representation back out (a set's refinement pass)."""
        for mine, theirs in ((self.terms, _unit_tf(rep.terms)), (self.title_terms, _unit_tf(rep.title_terms))):
            for k, v in theirs.items():
                left = mine.get(k, 0.0) - v
                if left > 1e-6:
                    mine[k] = left  # type: ignore[assignment]  # summed weights are floats
                else:
                    mine.pop(k, None)
        for mine, keys in ((self.entities, rep.entities), (self.weekdays, rep.weekdays), (self.months, rep.months)):
            for k in keys:
                if mine.get(k, 0) > 1:
                    mine[k] -= 1
                else:
                    mine.pop(k, None)
        if rep.outlet:
            if self.outlets.get(rep.outlet, 0) > 1:
                self.outlets[rep.outlet] -= 1
            else:
                self.outlets.pop(rep.outlet, None)
        if rep.embedding is not None and self.emb is not None:
            self.emb = self.emb - rep.embedding
        self.n -= 1
        self.independent -= 0 if copy else 1
        self.fresh = False

    def merge_from(self, other: StoryState) -> None:
        """Take in every article of ``other`` (a bridge showed they are one story)."""
        for mine, theirs in ((self.terms, other.terms), (self.title_terms, other.title_terms),
                             (self.entities, other.entities), (self.weekdays, other.weekdays),
                             (self.months, other.months), (self.outlets, other.outlets)):
            mine.update(theirs)
        if other.emb is not None:
            self.emb = other.emb.copy() if self.emb is None else self.emb + other.emb
        self.n += other.n
        self.independent += other.independent
        days = [d for d in (self.first_day, self.last_day, other.first_day, other.last_day) if d is not None]
        self.first_day, self.last_day = (min(days), max(days)) if days else (None, None)
        self.first_seq = min(self.first_seq, other.first_seq)
        self.last_seq = max(self.last_seq, other.last_seq)
        self.title = self.title or other.title
        self._trim()
        self.fresh = False

    def _trim(self) -> None:
        # Bounded per story however long it grows (a story of 20,000 reports costs
        # what one of 200 does); trimmed with slack so it is not sorted on every article.
        if len(self.terms) > STORY_TERMS * 1.2:
            self.terms = Counter(dict(self.terms.most_common(STORY_TERMS)))
        if len(self.title_terms) > STORY_TITLE_TERMS * 1.2:
            self.title_terms = Counter(dict(self.title_terms.most_common(STORY_TITLE_TERMS)))
        if len(self.entities) > STORY_ENTITIES * 1.2:
            self.entities = Counter(dict(self.entities.most_common(STORY_ENTITIES)))

    def refresh(self, df: DocFreq) -> None:
        """Rebuild the weighted vectors with the current document frequencies."""
        self.vec = _unit({t: v * df.idf(t) for t, v in self.terms.items()})
        self.title_vec = _unit({t: v * df.idf(t) for t, v in self.title_terms.items()})
        self.ent_vec = _unit({e: c * df.idf("e:" + e) for e, c in self.entities.items()})
        self.fresh = True

    def index_keys(self) -> set[str]:
        top = sorted(self.vec.items(), key=lambda kv: -kv[1])[:INDEX_TERMS]
        ents = sorted(self.ent_vec.items(), key=lambda kv: -kv[1])[:INDEX_ENTITIES]
        return {t for t, _ in top} | {"e:" + e for e, _ in ents}

    # -------------------------------------------------------------- persistence
    def to_json(self) -> dict[str, Any]:
        """A compact JSON-ready dict (rounded weights; embedding as base64 float32)."""
        d: dict[str, Any] = {
            "t": {k: round(v, 4) for k, v in self.terms.items()},
            "tt": {k: round(v, 4) for k, v in self.title_terms.items()},
            "e": dict(self.entities), "wd": dict(self.weekdays), "mo": dict(self.months),
            "o": dict(self.outlets), "n": self.n, "i": self.independent,
            "d": [self.first_day, self.last_day], "q": [self.first_seq, self.last_seq], "ti": self.title,
        }  # fmt: skip
        if self.emb is not None:
            d["v"] = base64.b64encode(np.asarray(self.emb, dtype="<f4").tobytes()).decode("ascii")
        return d

    @classmethod
    def from_json(cls, story_id: str, d: dict[str, Any]) -> StoryState:
        emb = None
        if d.get("v"):
            emb = np.frombuffer(base64.b64decode(d["v"]), dtype="<f4").astype(np.float32)
        return cls(
            id=story_id, terms=Counter(d.get("t", {})), title_terms=Counter(d.get("tt", {})),
            entities=Counter(d.get("e", {})), weekdays=Counter(d.get("wd", {})),
            months=Counter(d.get("mo", {})), outlets=Counter(d.get("o", {})), emb=emb,
            n=int(d.get("n", 0)), independent=int(d.get("i", 0)),
            first_day=d.get("d", [None, None])[0], last_day=d.get("d", [None, None])[1],
            first_seq=int(d.get("q", [0, 0])[0]), last_seq=int(d.get("q", [0, 0])[1]), title=d.get("ti"),
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one article went. ``story_id`` is None when it could not be placed (``reason`` says why)."""

    article_hash: str
    article_id: str
    story_id: str | None
    score: float | None = None
    new_story: bool = False
    copy_of: str | None = None  # content hash of the article it republishes
    merged: tuple[str, ...] = ()  # story ids merged into ``story_id`` by this article
    reason: str | None = None
    seq: int = 0
    signature: bytes | None = None  # MinHash of the text (kept so copies are found later)


class StoryClusterer:
    """Online story clustering over a stream of articles (see the module docstring).

    Args:
        model: the fitted scorer; default: ``lexical`` (or ``embed`` when an embedder is given).
        embedder: a :class:`newsweave.synthesize.embed.Embedder` to add MiniLM similarity.
        stream: True when arrival order is the clock for undated articles (a store fed over
            time); False for a set of files, where undated articles join by content alone.
        df: document frequencies to start from (a store's), else empty.
        max_active: stories kept in memory; the least recently grown leave first.
    """

    def __init__(
        self,
        model: Model | None = None,
        *,
        embedder: Any = None,
        stream: bool = False,
        df: DocFreq | None = None,
        max_active: int = 20_000,
        candidates: int = CANDIDATES,
    ) -> None:
        self.model = model or load_model("embed" if embedder is not None else "lexical")
        self.embedder = embedder if self.model.embeddings else None
        self.stream = stream
        self.df = df or DocFreq()
        self.max_active = max_active
        self.candidates = candidates
        self.stories: dict[str, StoryState] = {}
        self.index = InvertedIndex()
        self.copies = CopyIndex()
        self.member: dict[str, str] = {}  # article hash -> story id, for articles in ``copies``
        self.merged: dict[str, str] = {}  # old story id -> the story it merged into
        self.seq = 0
        self.clock: int | None = None  # the latest day seen
        self.changed: set[str] = set()  # stories grown or created since the last save
        self.evicted: set[str] = set()
        self.counting = True  # False once document frequencies were counted up front (a set)
        self.kept: dict[str, tuple[ArticleRep, int, Article, bool]] = {}  # a set's articles, for refine()
        self.where: dict[str, str] = {}  # article hash -> story id, for refine()
        self.keep = False  # True for a set: articles are kept so refine() can re-place them
        # Chooses the model per article (cross-fitting in scripts/fit_stories.py); None: ``model``.
        self.model_for: Callable[[Article], Model] | None = None

    # ------------------------------------------------------------------ public
    def resolve(self, story_id: str) -> str:
        """The live id of a story, following merges."""
        seen = set()
        while story_id in self.merged and story_id not in seen:
            seen.add(story_id)
            story_id = self.merged[story_id]
        return story_id

    def add(self, article: Article, seq: int | None = None) -> Assignment:
        """Place one article; see :meth:`add_many` for batches (embeddings are batched there)."""
        return self.add_many([article], [seq] if seq is not None else None)[0]

    def add_many(
        self,
        articles: Sequence[Article],
        seqs: Sequence[int] | None = None,
        reps: Sequence[ArticleRep | None] | None = None,
    ) -> list[Assignment]:
        """Place articles in the given order (their time order); one :class:`Assignment` each.

        ``reps``: representations prepared elsewhere (:func:`~newsweave.stories.represent.represent_many`
        in a worker), None where this process should make them.
        """
        prepared = represent_many(articles, self.embedder, reps)
        out = []
        for k, (art, rep) in enumerate(zip(articles, prepared)):
            seq = seqs[k] if seqs is not None else self.seq + 1
            self.seq = max(self.seq, seq)
            if rep is None:
                out.append(Assignment(art.hash, art.id, None, reason=unassignable(art), seq=seq))
                continue
            out.append(self._place(art, rep, seq))
        return out

    def load(self, story: StoryState) -> None:
        """Bring a stored story into the index (when resuming from a store)."""
        story.refresh(self.df)
        self.stories[story.id] = story
        self.index.update(story.id, story.index_keys())

    def load_member(self, article_hash: str, story_id: str, sig: bytes | None) -> None:
        """Bring a stored article's copy signature back (when resuming from a store)."""
        if sig is not None:
            self.copies.add(article_hash, sig)
            self.member[article_hash] = story_id

    # ----------------------------------------------------------------- placing
    def prime(self, articles: Iterable[Article]) -> None:
        """Count document frequencies over a whole set before placing any of it.

        For a set of files every article is known up front, so the first
        articles placed are weighed as well as the last; a stream counts as
        it goes instead.
        """
        for art in articles:
            if not unassignable(art):
                rep = represent(art)
                self.df.add(rep.terms, rep.entities)
        self.counting = False
        self.keep = True

    def prepare(self, art: Article, rep: ArticleRep) -> None:
        """Count the article in the document frequencies and weigh its vectors."""
        if self.counting:
            self.df.add(rep.terms, rep.entities)
        self.df.weigh(rep)
        if rep.day is not None:
            self.clock = rep.day if self.clock is None else max(self.clock, rep.day)

    def candidate_features(self, rep: ArticleRep, seq: int) -> list[tuple[str, tuple[float, ...]]]:
        """(story id, features) for each candidate story of a prepared article."""
        probe = [t for t, _ in sorted(rep.vec.items(), key=lambda kv: -kv[1])[:PROBE_TERMS]]
        ents = sorted(rep.ent_vec.items(), key=lambda kv: -kv[1])[:PROBE_ENTITIES]
        probe += ["e:" + e for e in (e for e, _ in ents)]
        out = []
        for sid in self.index.candidates(probe, self.candidates):
            st = self.stories.get(sid)
            if st is None:
                continue
            if not self._in_window(rep, st):
                continue
            if not st.fresh:
                st.refresh(self.df)
            out.append((sid, self.features(rep, st, seq)))
        return out

    def _in_window(self, rep: ArticleRep, st: StoryState) -> bool:
        """False when both are dated and the article is further than the window from the story."""
        if rep.day is None or st.first_day is None or st.last_day is None:
            return True
        w = self.model.window_days
        return rep.day - st.last_day <= w and st.first_day - rep.day <= w

    def join(self, sid: str | None, art: Article, rep: ArticleRep, seq: int, copy: bool = False) -> str:
        """Put a prepared article in story ``sid`` (None: a new story); return the story id."""
        if sid is None:
            sid = story_id_for(art.hash)
            if sid in self.stories or sid in self.merged:  # the same text under two ids: one story
                sid = self.resolve(sid)
            else:
                self.stories[sid] = StoryState(id=sid)
        self._join(sid, art, rep, seq, copy)
        return sid

    def _place(self, art: Article, rep: ArticleRep, seq: int) -> Assignment:
        self.prepare(art, rep)
        sig = CopyIndex.signature(art)
        orig = self.copies.find(sig)
        if orig is not None:
            sid = self.resolve(self.member.get(orig, ""))
            if sid in self.stories and self._in_window(rep, self.stories[sid]):
                self._join(sid, art, rep, seq, copy=True)
                self._remember(rep.key, sid, sig)
                return Assignment(art.hash, art.id, sid, None, copy_of=orig, seq=seq, signature=sig)
        model = self.model_for(art) if self.model_for else self.model
        scored = self._score_candidates(rep, seq, model)
        threshold, merge = model.thresholds(self.stream)
        if scored and scored[0][0] >= threshold:
            best_score, best = scored[0]
            merged: list[str] = []
            for s, other in scored[1:]:
                if s < merge:
                    break
                keep, gone = sorted((best, other), key=lambda sid: (self.stories[sid].first_seq, sid))
                self._merge(gone, keep)
                merged.append(gone)
                best = keep
            self._join(best, art, rep, seq, copy=False)
            self._remember(rep.key, best, sig)
            self._maybe_evict()
            return Assignment(art.hash, art.id, best, round(best_score, 4), merged=tuple(merged), seq=seq,
                              signature=sig)
        follow = self._follow_up(rep, scored, threshold) if self.stream else None
        if follow is not None:
            self._join(follow, art, rep, seq, copy=False)
            self._remember(rep.key, follow, sig)
            self._maybe_evict()
            return Assignment(art.hash, art.id, follow, round(scored[0][0], 4), seq=seq, signature=sig)
        sid = self.join(None, art, rep, seq)
        self._remember(rep.key, sid, sig)
        self._maybe_evict()
        top = round(scored[0][0], 4) if scored else None
        return Assignment(art.hash, art.id, sid, top, new_story=self.stories[sid].n == 1, seq=seq, signature=sig)

    def _follow_up(self, rep: ArticleRep, scored: list[tuple[float, str]], threshold: float) -> str | None:
        """The story a near miss follows up, if any: the best candidate, when it scores within
        :data:`FOLLOW_MARGIN` below the threshold and shares :data:`FOLLOW_NAMES` names with
        the article that no article outside the story carries."""
        if not scored or scored[0][0] < threshold - FOLLOW_MARGIN:
            return None
        sid = scored[0][1]
        st = self.stories[sid]
        # exclusive: every article seen that carries the name is in this story (or is this article)
        shared = [e for e in rep.entities if e in st.entities and self.df.counts.get("e:" + e, 0) <= st.entities[e] + 1]
        return sid if len(shared) >= FOLLOW_NAMES else None

    def _score_candidates(self, rep: ArticleRep, seq: int, model: Model) -> list[tuple[float, str]]:
        out = [(model.score(f), sid) for sid, f in self.candidate_features(rep, seq)]
        out.sort(key=lambda x: (-x[0], x[1]))
        return out

    def features(self, rep: ArticleRep, st: StoryState, seq: int) -> tuple[float, ...]:
        """The feature vector of ``rep`` against story ``st`` (in :data:`~newsweave.stories.model.FEATURES` order)."""
        emb = 0.0
        if rep.embedding is not None and st.emb is not None:
            norm = float(np.linalg.norm(st.emb))
            emb = float(np.dot(rep.embedding, st.emb)) / norm if norm else 0.0
        dated = dgap = 0.0
        if rep.day is not None and st.first_day is not None and st.last_day is not None:
            dated = 1.0
            dgap = math.log1p(max(0, st.first_day - rep.day, rep.day - st.last_day))
        use_seq = self.stream and dated == 0.0
        text = _dot(rep.vec, st.vec)
        # No title on one side: the title says nothing, so it is taken to agree as much as the text.
        title = _dot(rep.title_vec, st.title_vec) if rep.has_title and st.title_terms else text
        return (
            1.0,
            text,
            title,
            _dot(rep.ent_vec, st.ent_vec),
            emb,
            _agree(rep.weekdays, st.weekdays),
            _agree(rep.months, st.months),
            dated,
            dgap,
            1.0 if use_seq else 0.0,
            seq_gap(max(st.first_seq - seq, seq - st.last_seq)) if use_seq else 0.0,
            1.0 if rep.outlet and rep.outlet in st.outlets else 0.0,
        )

    def refine(self, passes: int = 2) -> int:
        """Re-place every article of a set with all the others known; return the moves made.

        A set is known whole, so an early article need not stay where the first
        pass put it: each article is taken out of its story and placed again
        (best candidate above the threshold, else a story of its own), a few
        passes over the set. Dates, copies and merges are kept; ids do not change
        unless a story empties.
        """
        moves = 0
        for _ in range(passes):
            moved = 0
            for key, (rep, seq, art, copy) in self.kept.items():
                if copy:
                    continue
                cur = self.resolve(self.where[key])
                st = self.stories.get(cur)
                if st is None or st.n <= 1:
                    st_alone = True
                else:
                    st_alone = False
                    st.release(rep, copy)
                    st.refresh(self.df)
                model = self.model_for(art) if self.model_for else self.model
                threshold, _ = model.thresholds(self.stream)
                scored = self._score_candidates(rep, seq, model)
                scored = [x for x in scored if not (st_alone and x[1] == cur)]
                if scored and scored[0][0] >= threshold:
                    target = scored[0][1]
                elif st_alone:
                    target = cur
                else:
                    target = story_id_for(art.hash)
                    if target in self.stories:  # its own old id is taken by the story it leaves
                        target = "s" + art.hash[:12] + "r"
                    self.stories.setdefault(target, StoryState(id=target))
                if target == cur:
                    if not st_alone:
                        st.absorb(rep, seq, None, copy)  # type: ignore[union-attr]
                        st.refresh(self.df)  # type: ignore[union-attr]
                    continue
                if st_alone and st is not None:
                    self._evict(cur)
                    self.evicted.discard(cur)
                elif st is not None:
                    self.index.update(cur, st.index_keys())
                self._join(target, art, rep, seq, copy)
                self.where[key] = target
                moved += 1
            moves += moved
            if not moved:
                break
        return moves

    def consolidate(self, threshold: float) -> int:
        """Merge a set's stories that any of their articles links above ``threshold``;
        return how many merged.

        Used by ``brief``: a folder handed to it is far more likely to be one story
        than two articles drawn from a news archive, so its groups are kept apart
        only when no article of one comes near the other (the smaller story merges
        into the larger, one at a time, until nothing links).
        """
        merged = 0
        while True:
            best: tuple[float, str, str] | None = None
            for key, (rep, seq, art, _copy) in self.kept.items():
                sid = self.resolve(self.where[key])
                model = self.model_for(art) if self.model_for else self.model
                for score, other in self._score_candidates(rep, seq, model):
                    if other != sid and score >= threshold and (best is None or score > best[0]):
                        best = (score, sid, other)
            if best is None:
                return merged
            _, a, b = best
            gone, keep = sorted((a, b), key=lambda x: (self.stories[x].n, -self.stories[x].first_seq))
            self._merge(gone, keep)
            merged += 1

    def _join(self, sid: str, art: Article, rep: ArticleRep, seq: int, copy: bool) -> None:
        st = self.stories[sid]
        if self.keep:
            self.kept[art.hash] = (rep, seq, art, copy)
            self.where[art.hash] = sid
        st.absorb(rep, seq, (art.title or "").strip() or None, copy)
        st.refresh(self.df)
        self.index.update(sid, st.index_keys())
        self.changed.add(sid)

    def _remember(self, key: str, sid: str, sig: bytes | None) -> None:
        if sig is not None:
            self.copies.add(key, sig)
            self.member[key] = sid
            if len(self.member) > 2 * self.copies.capacity:
                self.member = {k: v for k, v in self.member.items() if k in self.copies.sigs}

    def _merge(self, gone: str, keep: str) -> None:
        self.stories[keep].merge_from(self.stories.pop(gone))
        self.index.remove(gone)
        self.merged[gone] = keep
        self.changed.add(keep)
        self.changed.add(gone)

    def _maybe_evict(self) -> None:
        """Keep memory bounded: drop stories out of the time window, then the stalest."""
        if len(self.stories) <= self.max_active and self.seq % 512:
            return
        if self.clock is not None:
            limit = self.clock - self.model.window_days
            for sid in [s for s, st in self.stories.items() if st.last_day is not None and st.last_day < limit]:
                self._evict(sid)
        if len(self.stories) > self.max_active:
            keep = int(self.max_active * 0.9)
            order = sorted(self.stories.values(), key=lambda st: st.last_seq)
            for st in order[: len(order) - keep]:
                self._evict(st.id)

    def _evict(self, sid: str) -> None:
        self.stories.pop(sid, None)
        self.index.remove(sid)
        self.evicted.add(sid)


def _unit_tf(counts: Counter[str]) -> dict[str, float]:
    """Sub-linear term frequencies scaled to unit length (each article counts once)."""
    tf = {t: 1.0 + math.log(c) for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in tf.values()))
    return {t: v / norm for t, v in tf.items()} if norm else {}


def _unit(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _agree(a: Iterable[str], b: Counter[str]) -> float:
    a = set(a)
    if not a or not b:
        return 0.0
    return 1.0 if any(x in b for x in a) else -1.0
