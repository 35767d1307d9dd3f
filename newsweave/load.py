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
  same articles end up stored in the same order.

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

from newsweave.models import Analysis, Article
from newsweave.run import Engine
from newsweave.run.local import chunked
from newsweave.store.base import AddResult, ArticleStore

__all__ = ["PARTITION_SIZE", "LoadStats", "add_articles", "analyze_partition", "split_partition"]

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
    task: Callable[[list[Article]], list[Analysis]] = split_partition,
    partition_size: int = PARTITION_SIZE,
    progress: Callable[[AddResult], None] | None = None,
    stats: LoadStats | None = None,
) -> AddResult:
    """Add ``articles`` to ``store``, with ``task`` run on ``engine``'s workers per partition.

    Args:
        store: any :class:`~newsweave.store.base.ArticleStore`.
        articles: read lazily; memory holds only the partitions in flight.
        engine: a started engine (``with make_engine(...) as engine``).
        task: the worker function per partition (module-level, so it can be
            sent to workers): :func:`split_partition` or :func:`analyze_partition`.
        partition_size: articles per partition (one task, one transaction).
        progress: called after each written partition with the running totals.
        stats: filled with the number of partitions and a line per failed one.

    Returns:
        The merged :class:`AddResult`; a failed partition counts each of its
        articles as failed, with one error line naming the partition.
    """
    if partition_size < 1:
        raise ValueError(f"partition_size {partition_size} is invalid; must be at least 1")
    stats = stats if stats is not None else LoadStats()
    total = AddResult()

    def fresh() -> Iterator[list[Article]]:
        # Drop what is stored before paying for any work on it. (A copy inside the
        # partitions in flight is prepared twice and stored once: memory stays flat.)
        nonlocal total
        for chunk in chunked(articles, partition_size):
            known = store.known_hashes(a.hash for a in chunk)
            todo = []
            for a in chunk:
                if a.hash in known:
                    total += AddResult(skipped_existing=1)
                else:
                    known.add(a.hash)
                    todo.append(a)
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
        # One transaction per partition: written whole or not at all.
        total += store.add(done, batch_size=len(done) + 1)
        if progress:
            progress(total)
    return total
