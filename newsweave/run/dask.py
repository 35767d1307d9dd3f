"""The Dask engine: the pipeline on a cluster of worker processes.

``DaskEngine(workers=N)`` starts a local cluster of N single-threaded worker
processes on the loopback interface (no dashboard, random ports);
``DaskEngine(scheduler="tcp://host:8786")`` joins an existing
``dask.distributed`` cluster, whose workers must have newsweave installed.

Chunks of work (partitions of the input) are submitted as tasks with a
bounded number in flight, and their results come back to this process in
input order. Dask retries a task that raised (``retries``) and reschedules
the tasks of a worker that died on the others; a partition that still fails
is handed to ``on_failure`` and none of its results are yielded, so a caller
that writes each partition in one transaction never writes half of one.

Each worker loads heavy state once: module-level caches (the spaCy pipeline
in :mod:`newsweave.analyze.nlp`) live as long as the worker process, and
``setup`` runs on every worker before the first task so that the first
partitions do not pay for it.

Needs the ``dask`` extra: ``pip install 'newsweave[dask]'``.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from newsweave.errors import MissingExtra, NewsweaveError

__all__ = ["DaskEngine", "DaskError", "worker_cpu", "worker_memory"]

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class DaskError(NewsweaveError):
    """The Dask cluster could not be started or reached, or was lost."""


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise MissingExtra("dask", "--engine dask") from None
    return distributed


def worker_memory() -> tuple[int, int]:
    """(resident bytes now, peak resident bytes) of this process; run on each worker."""
    import resource

    import psutil

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    return int(psutil.Process().memory_info().rss), int(peak)


def worker_cpu() -> float:
    """CPU seconds (user + system) this process has used; run on each worker."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return float(usage.ru_utime + usage.ru_stime)


class DaskEngine:
    """A :class:`~newsweave.run.Engine` on a Dask cluster (local processes or a scheduler).

    Args:
        workers: size of the local cluster (0: one per core); ignored with ``scheduler``.
        scheduler: address of a running scheduler, e.g. ``tcp://10.0.0.5:8786``.
        setup: module-level function every worker runs once before the first task.
        retries: times Dask reruns a task that raised before it counts as failed.
        max_pending: partitions in flight (default: three per worker); bounds memory.

    Example:
        >>> with DaskEngine(workers=2) as engine:  # doctest: +SKIP
        ...     list(engine.imap_chunks(sorted, [[3, 1], [2]]))
        [[1, 3], [2]]
    """

    name = "dask"

    def __init__(
        self,
        workers: int = 1,
        scheduler: str | None = None,
        *,
        setup: Callable[[], object] | None = None,
        retries: int = 2,
        max_pending: int | None = None,
    ) -> None:
        if retries < 0:
            raise ValueError(f"retries {retries} is invalid; must be 0 or more")
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self.scheduler = scheduler
        self.setup = setup
        self.retries = retries
        self.max_pending = max_pending
        self.client: Any = None
        self.cluster: Any = None

    def __repr__(self) -> str:
        where = self.scheduler or f"{self.workers} local workers"
        return f"DaskEngine({where})"

    # -------------------------------------------------------------- lifecycle
    def __enter__(self) -> DaskEngine:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the local cluster or connect to the scheduler; run ``setup`` on every worker."""
        distributed = _distributed()
        import dask

        quiet = not log.isEnabledFor(logging.INFO)
        if quiet:
            # Worker restarts and lost workers are handled and reported by us.
            for name in ("distributed", "distributed.nanny", "distributed.scheduler", "distributed.worker",
                         "distributed.core", "distributed.client", "distributed.shuffle"):  # fmt: skip
                logging.getLogger(name).setLevel(logging.CRITICAL)
        dask.config.set({
            "distributed.comm.timeouts.connect": "60s",
            "distributed.admin.tick.limit": "30s",
            # The statistical profiler samples every worker's stack 100 times a
            # second for the dashboard, which we do not start.
            "distributed.worker.profile.enabled": False,
            # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, which also pins glibc's
            # mmap threshold: spaCy's arrays are then mapped and unmapped on every batch, and
            # analysis cost 15% more CPU per article (25 -> 29 ms, measured). spaCy's memory
            # zones keep a worker's memory flat without it (bench_scale: ~240 MB a worker).
            "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
        })  # fmt: skip
        try:
            if self.scheduler:
                self.client = distributed.Client(self.scheduler, timeout="10s", set_as_default=False)
            else:
                self.cluster = distributed.LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    # No dashboard; the scheduler's small HTTP server (health, metrics)
                    # would default to port 8787: a free loopback port instead.
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                    silence_logs=logging.CRITICAL if quiet else logging.WARNING,
                )
                self.client = distributed.Client(self.cluster, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            self.close()
            if self.scheduler:
                raise DaskError(
                    f"cannot reach the Dask scheduler at {self.scheduler} ({exc}); start one "
                    "(dask scheduler, then dask worker ADDRESS on each machine) or fix --scheduler"
                ) from None
            raise DaskError(f"cannot start a local Dask cluster ({exc}); try fewer --workers") from None
        if self.scheduler:
            try:
                self.client.wait_for_workers(1, timeout=60)
            except TimeoutError:
                self.close()
                raise DaskError(
                    f"the Dask scheduler at {self.scheduler} has no workers (waited 60 s); start some "
                    f"(dask worker {self.scheduler}) and run again"
                ) from None
            self.workers = len(self.client.scheduler_info().get("workers", {})) or 1
        if self.setup is not None:
            self.client.run(self.setup)

    def close(self) -> None:
        """Disconnect and, for a local cluster, stop its workers."""
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    # ------------------------------------------------------------------ work
    def imap_chunks(
        self,
        fn: Callable[[list[T]], R],
        chunks: Iterable[list[T]],
        *,
        on_failure: Callable[[int, list[T], BaseException], None] | None = None,
    ) -> Iterator[R]:
        """Run ``fn`` over the chunks on the cluster; yield the results in input order.

        Raises:
            DaskError: when the engine was not started or the cluster is lost.
            Exception: a chunk's error after its retries, when ``on_failure`` is None.
        """
        if self.client is None:
            raise DaskError("the Dask engine is not started; use it in a with block")
        run = uuid.uuid4().hex[:8]
        label = getattr(fn, "__name__", "task")
        max_pending = self.max_pending or 3 * max(1, self.workers)
        pending: deque[tuple[int, list[T], Any]] = deque()

        def settle() -> R | None:
            i, chunk, fut = pending.popleft()
            try:
                return fut.result()  # type: ignore[no-any-return]
            except Exception as exc:
                if self.client is None or self.client.status not in ("running", "connecting"):
                    raise DaskError(
                        f"lost the Dask cluster ({self.scheduler or 'local'}) at partition {i + 1}; partitions "
                        "written before stay; run the same command again to resume"
                    ) from exc
                if on_failure is None:
                    raise
                on_failure(i, chunk, exc)
                return None
            finally:
                fut.release()

        for i, chunk in enumerate(chunks):
            fut = self.client.submit(fn, chunk, key=f"newsweave-{label}-{run}-{i}", retries=self.retries, pure=False)
            pending.append((i, chunk, fut))
            if len(pending) >= max_pending and (res := settle()) is not None:
                yield res
        while pending:
            if (res := settle()) is not None:
                yield res

    # ------------------------------------------------------------ inspection
    def worker_pids(self) -> dict[str, int]:
        """Worker address -> process id (local cluster: to watch or kill one)."""
        return dict(self.client.run(os.getpid))

    def cpu_seconds(self) -> dict[str, float]:
        """Worker address -> CPU seconds used so far."""
        return dict(self.client.run(worker_cpu))

    def memory(self) -> dict[str, tuple[int, int]]:
        """Worker address -> (resident bytes now, peak resident bytes)."""
        return {k: tuple(v) for k, v in self.client.run(worker_memory).items()}  # type: ignore[misc]
