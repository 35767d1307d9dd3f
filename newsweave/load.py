"""Bulk loading: a stream of articles into a store, the work spread by an engine.

The input is cut into partitions (a few hundred articles each, read lazily);
articles the store already holds are dropped before any work is done on them;
the engine's workers prepare each partition (sentences, or the whole
analysis); and this process writes each finished partition to the store in
one transaction, in input order. So:

- a partition is written whole or not at all: one that fails in the workers
  (after the engine's retries) is reported with the articles it held and none
  of it is stored;
- a worker that dies loses nothing and duplicates nothing: the engine runs
  its partitions again elsewhere, results are written only once they are
  back, and the store skips content it already holds;
- the result does not depend on the number of workers or on scheduling: the
  same articles end up stored in the same order;
- stories are placed here too, as partitions land (:class:`~newsweave.stories.assign.Placer`):
  the workers prepare each article's story representation (terms, names and,
  with the MiniLM model, its embedding: the costly part), and this process
  places whole batches of stored articles in arrival order, the batches
  ``assign_pending`` would make after the whole load, so the stories do not
  depend on the workers or the partitioning either. A text already stored
  under another id or outlet is recorded as a republished copy.

>>> from newsweave.store import open_store
>>> from newsweave.run import make_engine
>>> from newsweave.models import Article
>>> with open_store(":memory:") as store, make_engine("local") as engine:
...     add_articles(store, [Article("Cranes stood idle at the harbour.")], engine).added
1
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from newsweave.models import Analysis, Article
from newsweave.run import Engine
from newsweave.run.local import chunked
from newsweave.store.base import AddResult, ArticleStore
from newsweave.stories.represent import ArticleRep, represent_many

__all__ = [
    "PARTITION_SIZE", "LoadStats", "Prepared", "add_articles", "analyze_partition", "prepare_partition",
    "split_partition", "story_worker_setup",
]  # fmt: skip

log = logging.getLogger(__name__)

PARTITION_SIZE = 256


def split_partition(articles: list[Article]) -> list[Analysis]:
    """Worker task: each article with its sentences (what ``add`` stores)."""
    from newsweave.analyze.sentences import split_sentences

    return [Analysis(article=a, sentences=tuple(split_sentences(a))) for a in articles]


def analyze_partition(articles: list[Article]) -> list[Analysis]:
    """Worker task: the full analysis of each article (spaCy loads once per worker)."""
    from newsweave.analyze import analyze_many

    return list(analyze_many(articles, batch_size=min(len(articles), 64) or 1))


@dataclass
class Prepared:
    """What a worker sends back for one partition: what to store, and the articles'
    story representations by content hash (None: the article cannot be placed)."""

    analyses: list[Analysis]
    reps: list[tuple[str, ArticleRep | None]]


def prepare_partition(articles: list[Article], embed: bool = False) -> Prepared:
    """Worker task of ``add``: sentences to store and story representations (with
    MiniLM embeddings when ``embed``, one thread per worker)."""
    embedder = None
    if embed:
        from newsweave.synthesize.embed import get_embedder

        embedder = get_embedder(threads=1)
    reps = represent_many(articles, embedder)
    if embedder is not None:
        embedder.forget()  # texts rarely come twice in a load; keep the worker's memory flat
    return Prepared(split_partition(articles), [(a.hash, r) for a, r in zip(articles, reps)])


def story_worker_setup(embed: bool = False) -> None:
    """Worker set-up for :func:`prepare_partition`: load the embedder before the first task."""
    if embed:
        from newsweave.synthesize.embed import get_embedder

        get_embedder(threads=1)


@dataclass
class LoadStats:
    """What happened to the partitions of one load."""

    partitions: int = 0
    failed: list[str] = field(default_factory=list)  # one line per failed partition


def _where(articles: list[Article]) -> str:
    first, last = articles[0], articles[-1]
    a, b = first.path or first.id, last.path or last.id
    return a if len(articles) == 1 else f"{a} … {b}"


def add_articles(
    store: ArticleStore,
    articles: Iterable[Article],
    engine: Engine,
    *,
    task: Callable[[list[Article]], list[Analysis] | Prepared] = split_partition,
    partition_size: int = PARTITION_SIZE,
    progress: Callable[[AddResult], None] | None = None,
    stats: LoadStats | None = None,
    placer: Any = None,
) -> AddResult:
    """Add ``articles`` to ``store``, with ``task`` run on ``engine``'s workers per partition.

    Args:
        store: any :class:`~newsweave.store.base.ArticleStore`.
        articles: read lazily; memory holds only the partitions in flight.
        engine: a started engine (``with make_engine(...) as engine``).
        task: the worker function per partition (module-level, so it can be
            sent to workers): :func:`split_partition`, :func:`analyze_partition`
            or :func:`prepare_partition` (which also prepares story representations).
        partition_size: articles per partition (one task, one transaction).
        progress: called after each written partition with the running totals.
        stats: filled with the number of partitions and a line per failed one.
        placer: a :class:`~newsweave.stories.assign.Placer` (its store's placer lock
            held): stories are placed as partitions land, and once more at the end;
            texts stored before under another id or outlet are recorded as copies.

    Returns:
        The merged :class:`AddResult`; a failed partition counts each of its
        articles as failed, with one error line naming the partition.
    """
    if partition_size < 1:
        raise ValueError(f"partition_size {partition_size} is invalid; must be at least 1")
    stats = stats if stats is not None else LoadStats()
    total = AddResult()

    copies: list[Article] = []  # texts also in a partition in flight: recorded once it is written

    def fresh() -> Iterator[list[Article]]:
        # Drop what is stored before paying for any work on it. (A copy inside the
        # partitions in flight is prepared twice and stored once: memory stays flat.)
        nonlocal total
        for chunk in chunked(articles, partition_size):
            stored = store.known_hashes(a.hash for a in chunk)
            known = set(stored)
            todo: list[Article] = []
            again: list[Article] = []
            for a in chunk:
                if a.hash in known:
                    total += AddResult(skipped_existing=1)
                    # stored before: a copy now; in a partition in flight: once that is written
                    (again if a.hash in stored else copies).append(a)
                else:
                    known.add(a.hash)
                    todo.append(a)
            if placer is not None and again:
                placer.store.record_copies(again)
            if todo:
                stats.partitions += 1
                yield todo

    def failed(index: int, chunk: list[Article], exc: BaseException) -> None:
        nonlocal total
        line = (
            f"partition {index + 1} ({_where(chunk)}, {len(chunk)} articles) failed on the workers "
            f"({type(exc).__name__}: {exc}); none of it was stored; run the same command again to retry it"
        )
        log.warning(line)
        stats.failed.append(line)
        total += AddResult(failed=len(chunk), errors=(line,))

    for done in engine.imap_chunks(task, fresh(), on_failure=failed):
        analyses = done.analyses if isinstance(done, Prepared) else done
        # One transaction per partition: written whole or not at all.
        written = store.add(analyses, batch_size=len(analyses) + 1)
        total += written
        if placer is not None:
            if isinstance(done, Prepared):
                placer.offer(done.reps)
            if written.skipped_existing:
                # A text also in an earlier partition still in flight when this one was
                # read: stored once, by whichever came first; this one is a copy of it.
                placer.store.record_copies([an.article for an in analyses])
            _record_copies(placer.store, copies)
            placer.place(final=False)
        else:
            copies.clear()
        if progress:
            progress(total)
    if placer is not None:
        _record_copies(placer.store, copies, final=True)
        placer.place(final=True)
    return total


def _record_copies(store: Any, copies: list[Article], final: bool = False) -> None:
    """Record the waiting copies whose original is stored now (all of them when ``final``);
    the others wait for their original's partition."""
    if not copies:
        return
    stored = store.known_hashes(a.hash for a in copies)
    ready = [a for a in copies if a.hash in stored]
    if ready:
        store.record_copies(ready)
    copies[:] = [] if final else [a for a in copies if a.hash not in stored]
