"""Batching and local parallelism: the only module that knows about executors.

Work is cut into chunks (:func:`chunked`) and each chunk is handed to a
worker process; results come back in input order and at most a few chunks
are in flight, so a stream of 10,000 articles is never held in memory at
once. With one process nothing is spawned and the function runs inline.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # the pool is imported where it is used: a one-process run never starts one
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items, read lazily.

    >>> list(chunked(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    if size < 1:
        raise ValueError(f"chunk size {size!r} is invalid; must be at least 1")
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def worker_count(n_process: int) -> int:
    """``n_process`` capped at the machine's cores; 0 or less means all cores."""
    cores = os.cpu_count() or 1
    return cores if n_process <= 0 else min(n_process, cores)


def imap_chunks(
    fn: Callable[[list[T]], R],
    chunks: Iterable[list[T]],
    n_process: int = 1,
    max_pending: int | None = None,
) -> Iterator[R]:
    """Apply ``fn`` to each chunk, in worker processes when ``n_process > 1``.

    Results are yielded in input order. At most ``max_pending`` chunks
    (default: two per worker) are submitted ahead of the one being read, so
    memory stays bounded however long the input is. ``fn`` must be a
    module-level function (it is pickled); workers are started with
    ``spawn`` because forking a process that holds BLAS threads can hang.

    >>> [r for r in imap_chunks(sorted, [[3, 1], [2]])]
    [[1, 3], [2]]
    """
    workers = worker_count(n_process)
    if workers <= 1:
        for chunk in chunks:
            yield fn(chunk)
        return
    pending_max = max_pending or 2 * workers
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        pending: deque[Future[R]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(fn, chunk))
            if len(pending) >= pending_max:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


class LocalEngine:
    """The :class:`~newsweave.run.Engine` of this machine: inline, or a pool of processes.

    ``workers`` is the number of processes (1 runs inline, 0 one per core).
    A chunk that raises is passed to ``on_failure`` (not retried: on one
    machine an error is a bug or bad data, and would recur).

    >>> with LocalEngine(1) as engine:
    ...     list(engine.imap_chunks(sorted, [[2, 1]]))
    [[1, 2]]
    """

    name = "local"

    def __init__(self, workers: int = 1) -> None:
        self.workers = worker_count(workers)

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def imap_chunks(
        self,
        fn: Callable[[list[T]], R],
        chunks: Iterable[list[T]],
        *,
        on_failure: Callable[[int, list[T], BaseException], None] | None = None,
    ) -> Iterator[R]:
        """Apply ``fn`` to each chunk, yielding results in input order."""
        if on_failure is None:
            yield from imap_chunks(fn, chunks, n_process=self.workers)
            return
        if self.workers <= 1:
            for i, chunk in enumerate(chunks):
                try:
                    result = fn(chunk)
                except Exception as exc:
                    on_failure(i, chunk, exc)
                    continue
                yield result
            return
        for i, (chunk, outcome) in enumerate(_with_inputs(fn, chunks, self.workers)):
            if isinstance(outcome, BaseException):
                on_failure(i, chunk, outcome)
            else:
                yield outcome


def _with_inputs(
    fn: Callable[[list[T]], R], chunks: Iterable[list[T]], workers: int
) -> Iterator[tuple[list[T], R | BaseException]]:
    """(chunk, result or its exception), in input order, from a process pool."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        pending: deque[tuple[list[T], Future[R]]] = deque()

        def settle() -> tuple[list[T], R | BaseException]:
            chunk, fut = pending.popleft()
            try:
                return chunk, fut.result()
            except Exception as exc:
                return chunk, exc

        for chunk in chunks:
            pending.append((chunk, pool.submit(fn, chunk)))
            if len(pending) >= 2 * workers:
                yield settle()
        while pending:
            yield settle()
