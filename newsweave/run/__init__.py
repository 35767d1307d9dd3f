"""Executors: the only package that knows how work is spread over processes.

An :class:`Engine` maps a function over chunks of work and yields the results
in input order, with a bounded number of chunks in flight, so a stream of any
length runs in bounded memory. Two engines share that contract:

- :class:`newsweave.run.local.LocalEngine`: this process, or a pool of local
  worker processes (``--workers N``);
- :class:`newsweave.run.dask.DaskEngine`: a Dask cluster, either a local one of
  worker processes or an existing ``dask.distributed`` scheduler
  (``--engine dask --workers N`` / ``--scheduler ADDRESS``). A failed chunk is
  retried; one that still fails is reported through ``on_failure`` and none
  of its results are yielded.

>>> with make_engine("local") as engine:
...     list(engine.imap_chunks(sorted, [[3, 1], [2]]))
[[1, 3], [2]]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, Self, TypeVar

from newsweave.config import ENGINES
from newsweave.errors import invalid_value

__all__ = ["ENGINES", "Engine", "OnFailure", "make_engine"]

T = TypeVar("T")
R = TypeVar("R")

OnFailure = Callable[[int, list, BaseException], None]  # type: ignore[type-arg]
"""Called with (chunk number from 0, the chunk, the last error) for a chunk that failed for good."""


class Engine(Protocol):
    """Runs ``fn`` over chunks; results come back in input order."""

    name: str
    workers: int

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def imap_chunks(
        self,
        fn: Callable[[list[T]], R],
        chunks: Iterable[list[T]],
        *,
        on_failure: OnFailure | None = None,
    ) -> Iterator[R]:
        """Apply ``fn`` (a module-level function) to each chunk; yield results in order.

        A chunk whose ``fn`` raises (after the engine's retries) is passed to
        ``on_failure`` and skipped; without ``on_failure`` the error is raised.
        """
        ...


def make_engine(
    name: str = "local", *, workers: int = 1, scheduler: str | None = None, setup: Callable[[], object] | None = None
) -> Engine:
    """The engine called ``name`` (``local`` or ``dask``), not started until ``with``.

    Args:
        name: ``local`` (this machine's processes) or ``dask``.
        workers: worker processes (``local``: 1 runs inline, 0 one per core;
            ``dask``: the size of the local cluster, ignored with ``scheduler``).
        scheduler: address of a running ``dask.distributed`` scheduler
            (``tcp://host:8786``); implies the ``dask`` engine.
        setup: a module-level function each worker runs once before any work
            (e.g. loading the spaCy pipeline), so its cost is paid per worker.

    Raises:
        ValueError: for an unknown engine name.
    """
    if scheduler and name == "local":
        name = "dask"
    if name == "local":
        from newsweave.run.local import LocalEngine

        return LocalEngine(workers)
    if name == "dask":
        from newsweave.run.dask import DaskEngine

        return DaskEngine(workers=workers, scheduler=scheduler, setup=setup)
    raise invalid_value("engine", name, ENGINES)
