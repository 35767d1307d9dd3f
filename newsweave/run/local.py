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
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from multiprocessing import get_context
from typing import TypeVar

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
    fn: Callable[[list[T]], list[R]],
    chunks: Iterable[list[T]],
    n_process: int = 1,
    max_pending: int | None = None,
) -> Iterator[list[R]]:
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
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        pending: deque[Future[list[R]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(fn, chunk))
            if len(pending) >= pending_max:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
