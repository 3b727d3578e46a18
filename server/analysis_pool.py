"""The app's one analysis pool: worker processes behind a bounded queue, with a result cache.

Forecasts, forecast series and reports (with their turning points) are CPU work of
seconds to minutes. They run in the app's single ``ProcessPoolExecutor`` and are awaited
as asyncio futures, so no thread waits on them and database work (which has its own
threads, see ``server.store``) is never queued behind them. A report spreads its
rollouts over every worker (``run_spread``: one of the pool's own planning threads plans
them and waits for them).

At most ``workers + queue`` jobs are admitted at once; one more is refused at once with
``AnalysisBusy`` (the routes answer 429 ``busy`` with ``Retry-After``, an estimate from
the recent job times). A result whose key is given (a finished game: it can no longer
change) is cached, and identical requests already in flight share one computation.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import threading
import time
from collections.abc import Awaitable, Callable, Hashable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, TypeVar, cast

from cachetools import LRUCache

T = TypeVar("T")


class AnalysisBusy(Exception):
    """Every worker is busy and the queue is full; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int, admitted: int) -> None:
        super().__init__(f"the analysis queue is full ({admitted} jobs); retry in {retry_after} s")
        self.retry_after = retry_after
        self.admitted = admitted


class InFlightCap(Executor):
    """One spread job's view of the pool: at most ``limit`` of its parts queued or running.

    The pool's queue is first come, first served, so a job that queued all its parts at
    once would make every other job (a live game's forecast) wait behind all of them;
    capped at twice the number of workers (one part running and one ready for each, so no
    worker idles between parts), another job waits for at most two rounds of parts.
    ``submit`` blocks (in the job's planning thread) until one of its parts ends. After a
    part fails, further parts are not run: they come back failed with the same error.
    """

    def __init__(self, inner: Executor, limit: int) -> None:
        self._inner = inner
        self._slots = threading.BoundedSemaphore(max(1, limit))
        self._failed: BaseException | None = None

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """Queue a part once fewer than ``limit`` of this job's parts are in the pool."""
        self._slots.acquire()
        if self._failed is not None:
            self._slots.release()
            failed: Future[T] = Future()
            failed.set_exception(self._failed)
            return failed
        try:
            fut = self._inner.submit(fn, *args, **kwargs)
        except BaseException:
            self._slots.release()
            raise
        fut.add_done_callback(self._part_done)
        return fut

    def _part_done(self, fut: Future[Any]) -> None:
        if not fut.cancelled() and fut.exception() is not None and self._failed is None:
            self._failed = fut.exception()
        self._slots.release()


class AnalysisPool:
    """The process pool, its admission limit, the cache and the figures the routes report."""

    def __init__(self, workers: int, queue: int, cache_entries: int) -> None:
        self.workers = workers
        self.limit = workers + queue
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn")
        )
        # One planning thread per admitted job at most: a spread job's thread waits on its
        # parts here, never on a thread anything else (database, model steps) needs.
        self._planners = ThreadPoolExecutor(
            max_workers=self.limit, thread_name_prefix="analysis-plan"
        )
        self._cache: LRUCache[Hashable, Any] | None = (
            LRUCache(maxsize=cache_entries) if cache_entries > 0 else None
        )
        self._shared: dict[Hashable, asyncio.Future[Any]] = {}
        self.admitted = 0
        self.refused = 0
        self.cache_hits = 0
        self._mean_seconds = 2.0

    def retry_after(self) -> int:
        """Seconds until a slot is likely free: the queue's share of the recent job time."""
        return max(1, math.ceil(self._mean_seconds * self.admitted / self.workers))

    async def run(self, key: Hashable | None, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(*args)`` in a worker process and await it (cached under ``key`` if given).

        Raises:
            AnalysisBusy: ``workers + queue`` jobs are already admitted.
        """

        async def given() -> tuple[Any, ...]:
            return args

        return await self.run_prepared(key, fn, given)

    async def run_prepared(
        self,
        key: Hashable | None,
        fn: Callable[..., T],
        prepare: Callable[[], Awaitable[tuple[Any, ...]]],
    ) -> T:
        """Like ``run``, but the arguments come from ``prepare()``, awaited only once admitted.

        A cached result, a shared computation or a refusal costs nothing: the arguments
        (e.g. a game's whole log) are gathered only for a job that will run.

        Raises:
            AnalysisBusy: ``workers + queue`` jobs are already admitted.
        """

        def in_worker(args: tuple[Any, ...]) -> asyncio.Future[T]:
            return asyncio.wrap_future(self._pool.submit(fn, *args))

        return await self._admitted(key, in_worker, prepare)

    async def run_spread(
        self,
        key: Hashable | None,
        fn: Callable[..., T],
        prepare: Callable[[], Awaitable[tuple[Any, ...]]],
    ) -> T:
        """Like ``run_prepared``, for a job that spreads its own tasks over the workers.

        ``fn(executor, *args)`` runs in one of the pool's own planning threads (one per
        admitted job, used by nothing else) and submits its parts to the pool's
        processes (``executor``, an ``InFlightCap``: at most two parts per worker in the
        queue at a time), waiting for them there: still one admitted job, whose parts
        queue with every other job's. Its own work in the thread must be light
        (planning, not computing).

        Raises:
            AnalysisBusy: ``workers + queue`` jobs are already admitted.
        """

        def in_thread(args: tuple[Any, ...]) -> asyncio.Future[T]:
            loop = asyncio.get_running_loop()
            capped = InFlightCap(self._pool, 2 * self.workers)
            return loop.run_in_executor(self._planners, fn, capped, *args)

        return await self._admitted(key, in_thread, prepare)

    async def _admitted(
        self,
        key: Hashable | None,
        start: Callable[[tuple[Any, ...]], asyncio.Future[T]],
        prepare: Callable[[], Awaitable[tuple[Any, ...]]],
    ) -> T:
        """Serve from the cache or a shared computation, or admit, prepare and start a job."""
        if key is not None and self._cache is not None and key in self._cache:
            self.cache_hits += 1
            return cast(T, self._cache[key])
        if key is not None and key in self._shared:
            return cast(T, await asyncio.shield(self._shared[key]))
        if self.admitted >= self.limit:
            self.refused += 1
            raise AnalysisBusy(self.retry_after(), self.admitted)
        self.admitted += 1
        started = time.monotonic()
        try:
            result = start(await prepare())
        except BaseException:
            self.admitted -= 1
            raise
        result.add_done_callback(lambda f: self._finished(f, started))
        if key is None:
            return await asyncio.shield(result)
        self._shared[key] = result
        try:
            value = await asyncio.shield(result)
        finally:
            if self._shared.get(key) is result:
                del self._shared[key]
        if self._cache is not None:
            self._cache[key] = value
        return value

    def _finished(self, done: asyncio.Future[Any], started: float) -> None:
        """A job ended (called on the event loop): free its slot and update the mean time."""
        if not done.cancelled():
            done.exception()  # retrieved here: a waiter that went away must not log it
        self.admitted -= 1
        self._mean_seconds = 0.8 * self._mean_seconds + 0.2 * (time.monotonic() - started)

    def shutdown(self) -> None:
        """Stop the workers at once: queued jobs are cancelled and running ones abandoned."""
        processes = dict(getattr(self._pool, "_processes", None) or {})
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._planners.shutdown(wait=False, cancel_futures=True)
        for process in processes.values():
            process.terminate()
