"""Stories for a set of files, and for a store as articles arrive.

:func:`cluster_articles` places a set of articles (files given on the
command line) globally, the set being known whole (:mod:`newsweave.stories.sets`):
candidate pairs from an inverted index, a two-stage pair model
(:mod:`newsweave.stories.pairs`), average linkage
(:mod:`newsweave.stories.linkage`).

:func:`assign_pending` places the articles a store holds but has not placed
yet, in arrival order, with the online clusterer (the store is a stream: for
undated articles, arrival order is the clock; a near miss that shares the
story's own names joins it as a follow-up). The clusterer's state (document frequencies, the
stories still in the time window, recent copy signatures) is read from the
store, and each batch's work is written back in one transaction, so an
interrupted run resumes where it stopped and story ids never change.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from newsweave.errors import MissingExtra
from newsweave.models import Article
from newsweave.store.stories_sql import StoryWrite
from newsweave.stories.cluster import Assignment, StoryClusterer, StoryState
from newsweave.stories.dedupe import CopyIndex
from newsweave.stories.model import Model, load_model
from newsweave.stories.pairs import load_pair_model
from newsweave.stories.represent import ArticleRep, DocFreq, day_of
from newsweave.stories.sets import cluster_prepared, prepare

__all__ = ["AssignReport", "MODEL_CHOICES", "Placer", "assign_pending", "cluster_articles", "pick_model"]

log = logging.getLogger(__name__)

MODEL_CHOICES = ("auto", "lexical", "embed")
MAX_ACTIVE = 20_000  # stories held in memory
MAX_DF_KEYS = 400_000  # document-frequency keys before words seen once are dropped
SIGNATURES = 20_000  # recent articles whose copies are recognised
REFINE_PASSES = 2  # passes re-placing a batch's articles when a store's batch is refined


@dataclass
class AssignReport:
    """What :func:`assign_pending` did."""

    placed: int = 0
    unassigned: list[tuple[str, str]] = field(default_factory=list)  # (article id, reason)
    new_stories: list[str] = field(default_factory=list)
    grown: dict[str, int] = field(default_factory=dict)  # story id -> articles added now
    merges: list[tuple[str, str]] = field(default_factory=list)
    copies: int = 0
    model: str = "lexical"


def pick_model(choice: str = "auto") -> tuple[Model, Any]:
    """The story model and embedder for a choice: ``auto`` uses MiniLM when installed.

    Raises:
        MissingExtra: for ``embed`` when the 'embed' extra is missing.
        ValueError: for an unknown choice.
    """
    if choice not in MODEL_CHOICES:
        raise ValueError(f"story model {choice!r} is invalid; must be one of {', '.join(MODEL_CHOICES)}")
    if choice == "lexical":
        return load_model("lexical"), None
    from newsweave.synthesize.embed import embeddings_available, get_embedder

    if choice == "auto" and not embeddings_available():
        return load_model("lexical"), None
    try:
        return load_model("embed"), get_embedder()
    except (ImportError, MissingExtra):
        if choice == "embed":
            raise
        return load_model("lexical"), None


def cluster_articles(
    articles: Sequence[Article], *, model: str = "auto", join_margin: float | None = None,
) -> tuple[dict[str, str], list[Assignment]]:
    """Place a set of articles in stories (globally: see :mod:`newsweave.stories.sets`).

    Args:
        articles: the set, in any order.
        model: ``auto``, ``lexical`` or ``embed``.
        join_margin: when given, groups are then joined while any pair between them
            scores a first-stage log-odds of at least ``-join_margin`` (``brief`` uses
            the model's ``brief_margin``: a folder is seldom several stories).

    Returns:
        (article id -> story id for every placed article, one assignment per
        article in input order; unplaced ones have ``story_id`` None and a reason).

    Example:
        >>> from newsweave.models import Article
        >>> text = "Cranes stood idle at Port Vell on Tuesday as dockers went on strike over pay and night shifts."
        >>> ids, placed = cluster_articles([Article(text, id="a"), Article("Too short.", id="b")], model="lexical")
        >>> list(ids), placed[1].reason
        (['a'], 'only 2 words: too short to tell its story')
    """
    m, embedder = pick_model(model)
    pm = load_pair_model(m.name)
    prepared = prepare(articles, embedder, pm.window_days)
    out = cluster_prepared(prepared, pm, join_margin=join_margin)
    mapping: dict[str, str] = {}
    for a in out:
        if a.story_id is not None:
            mapping.setdefault(a.article_id, a.story_id)
    return mapping, out


def _iso(day: int | None) -> str | None:
    return date.fromordinal(day).isoformat() if day is not None else None


def load_clusterer(store: Any, model: Model, embedder: Any) -> StoryClusterer:
    """A clusterer holding the store's state: frequencies, live stories, recent copies."""
    n, counts = store.story_df()
    c = StoryClusterer(model, embedder=embedder, stream=True, df=DocFreq(n, counts), max_active=MAX_ACTIVE)
    c.copies = CopyIndex(capacity=SIGNATURES)
    c.df.dirty.clear()
    newest, last_seq = store.story_clock()
    min_date = None
    if newest:
        min_date = date.fromordinal(date.fromisoformat(newest).toordinal() - model.window_days).isoformat()
        c.clock = date.fromisoformat(newest).toordinal()
    for sid, state in store.story_states(min_last_date=min_date, max_active=MAX_ACTIVE):
        c.load(StoryState.from_json(sid, json.loads(state)))
    for h, sid, sig in store.story_signatures(SIGNATURES):
        c.load_member(h, sid, sig)
    for old, new in store.story_merges():
        c.merged[old] = new
    c.seq = last_seq
    return c


def _writes(c: StoryClusterer, ids: set[str]) -> list[StoryWrite]:
    out = []
    for sid in ids:
        st = c.stories.get(sid)
        if st is None:
            continue
        outlets = tuple(o for o, _ in st.outlets.most_common())
        out.append(StoryWrite(sid, st.title, st.n, st.independent, outlets, _iso(st.first_day), _iso(st.last_day),
                              st.first_seq, st.last_seq, json.dumps(st.to_json(), separators=(",", ":"),
                                                                     ensure_ascii=False)))
    return out


def assign_pending(
    store: Any,
    *,
    model: str = "auto",
    batch: int = 500,
    progress: Callable[[int], None] | None = None,
    refine: int = 0,
) -> AssignReport:
    """Place every stored article that has no story yet (see the module docstring).

    The model a store started with is kept for its whole life (recorded in the
    store), so story scores stay comparable; ``model`` only matters for a new store.
    ``refine`` re-places each batch's articles that many times once the batch is
    known (off by default: on the AllSides stream it lowered B-cubed F1 from
    0.878 to 0.868).
    """
    with store.placing():  # one placer per store at a time (see Placer)
        if not store.has_pending():  # nothing to place: do not load a model (brief --db stays fast)
            return AssignReport(model=store.story_meta("model") or "lexical")
        placer = Placer(store, model=model, batch=batch, refine=refine)
        placer.place(progress=progress)
        return placer.finish()


class Placer:
    """Places a store's pending articles in arrival order, batch by batch.

    :func:`assign_pending` places everything at once. A bulk load (``add
    --engine dask``) places as it writes: after each partition it calls
    :meth:`place` with ``final=False``, which places only whole batches, and
    with the representations its workers prepared (:meth:`offer`), then
    :meth:`place` once more at the end. The batches, and so the stories, are
    those :func:`assign_pending` would make after the whole load: the result
    does not depend on the number of workers or the partitioning.

    Hold the store's placer lock (``with store.placing():``) while using one:
    two placers must not both place the same articles from two stale copies of
    the clusterer's state.
    """

    def __init__(self, store: Any, *, model: str = "auto", batch: int = 500, refine: int = 0) -> None:
        stored = store.story_meta("model")
        choice = stored if stored in ("lexical", "embed") else model
        try:
            m, embedder = pick_model(choice)
        except MissingExtra as exc:
            log.warning("%s; placing stories with the lexical model instead", exc)
            m, embedder = pick_model("lexical")
        self.store, self.model, self.batch, self.refine = store, m, batch, refine
        self.report = AssignReport(model=m.name)
        self.c = load_clusterer(store, m, embedder)
        self.known = set(self.c.stories)
        self.last = 0  # arrival number of the last article placed by this placer
        self.reps: dict[str, ArticleRep | None] = {}  # content hash -> prepared representation

    @property
    def embeds(self) -> bool:
        """True when the store's model uses MiniLM embeddings (workers should prepare them)."""
        return self.c.embedder is not None

    def offer(self, reps: Iterable[tuple[str, ArticleRep | None]]) -> None:
        """Representations prepared elsewhere, by content hash, used when their articles are placed."""
        self.reps.update(reps)

    def place(self, *, final: bool = True, progress: Callable[[int], None] | None = None) -> int:
        """Place pending articles in arrival order; return how many.

        ``final=False`` stops before a batch that is not full (more may arrive);
        ``final=True`` places everything, also articles other writers stored
        out of order meanwhile.
        """
        n = 0
        start = self.last
        for after in (start, 0) if final and start else (start,):
            for rows in self.store.pending_articles(self.batch, after=after):
                if not final and len(rows) < self.batch:
                    break
                self._place_batch(rows)
                self.last = max(self.last, rows[-1][0])
                n += len(rows)
                if progress:
                    progress(len(rows))
        return n

    def _place_batch(self, rows: list[tuple[int, Article]]) -> None:
        c, report, refine = self.c, self.report, self.refine
        # Within a batch, dated articles go in date order; undated ones keep their place.
        clock = None
        keyed = []
        for k, (seq, art) in enumerate(rows):
            d = day_of(art)
            clock = d if d is not None else clock
            keyed.append(((clock if clock is not None else -1), k, seq, art))
        if all(x[0] != -1 for x in keyed):
            keyed.sort(key=lambda x: (x[0], x[1]))
        arts = [x[3] for x in keyed]
        given = [self.reps.pop(a.hash, None) for a in arts]
        c.keep, c.kept, c.where = bool(refine), {}, {}
        done = c.add_many(arts, [x[2] for x in keyed], given)
        if refine:  # the batch is known whole: re-place its articles with all of it known
            c.refine(refine)
            done = [replace(a, story_id=c.resolve(c.where.get(a.article_hash, a.story_id)))
                    if a.story_id is not None else a for a in done]
        c.keep = False
        merges = []
        for a in done:
            if a.story_id is None:
                report.unassigned.append((a.article_id, a.reason or ""))
                continue
            report.placed += 1
            report.copies += a.copy_of is not None
            if a.story_id not in self.known:
                report.new_stories.append(a.story_id)
                self.known.add(a.story_id)
            else:
                report.grown[a.story_id] = report.grown.get(a.story_id, 0) + 1
            for gone in a.merged:
                merges.append((gone, a.story_id, a.article_hash))
                report.merges.append((gone, a.story_id))
        placed = [(a.article_hash, a.story_id, a.seq, a.score, a.copy_of, a.reason, a.signature) for a in done]
        if c.df.prune(MAX_DF_KEYS):
            log.info("story document frequencies pruned to %d keys", len(c.df.counts))
        self.store.save_story_batch(
            placed, _writes(c, c.changed), merges, c.df.n,
            [(k, c.df.counts.get(k, 0)) for k in c.df.dirty], meta={"model": self.model.name},
        )  # fmt: skip
        c.changed.clear()
        c.df.dirty.clear()
        if c.embedder is not None:
            c.embedder.forget()  # a stream's texts seldom come again: memory stays flat

    def finish(self) -> AssignReport:
        """The report of everything placed (a story that grew and then merged away is
        reported under the story it merged into)."""
        report = self.report
        for old, new in report.merges:
            if old in report.grown:
                report.grown[new] = report.grown.get(new, 0) + report.grown.pop(old)
            if old in report.new_stories:
                report.new_stories.remove(old)
        self.reps.clear()
        return report
