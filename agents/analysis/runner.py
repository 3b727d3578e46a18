"""The one runner for parallel work: ``run_tasks(fn, tasks, executor=None)``.

Every analysis (sweeps, tournaments, forecasts, turning points, questions) cuts its work
into tasks that carry their own seeds and hands them here. By default the tasks run on a
local process pool with one worker per core (``jobs``); any ``concurrent.futures.Executor``
is accepted instead (a server's own pool, a Dask cluster's ``client.get_executor()``).
Results come back in task order, so they never depend on the number of workers or on
which worker ran which task.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed

Progress = Callable[[int, int], None]
"""Called with (units done, units in all) as results arrive."""


def default_jobs() -> int:
    """One worker per core."""
    return os.cpu_count() or 1


def run_tasks[T, R](
    fn: Callable[[T], R],
    tasks: Sequence[T],
    executor: Executor | None = None,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    size: Callable[[T], int] | None = None,
) -> list[R]:
    """Run ``fn`` on every task and return the results in task order.

    ``executor``: where to run (default: a local process pool of ``jobs`` workers, all
    cores if ``jobs`` is None; ``jobs=1`` runs in this process). ``progress`` is told of
    completed units, where a task counts ``size(task)`` units (1 by default). ``fn`` and
    the tasks must be picklable for a process pool or a cluster.
    """
    weight = size or (lambda _task: 1)
    total = sum(weight(t) for t in tasks)
    done = 0
    if progress:
        progress(0, total)
    results: list[R | None] = [None] * len(tasks)
    workers = default_jobs() if jobs is None else max(1, jobs)
    if executor is None and (workers <= 1 or len(tasks) <= 1):
        for i, task in enumerate(tasks):
            results[i] = fn(task)
            done += weight(task)
            if progress:
                progress(done, total)
        return results  # type: ignore[return-value]
    pool = executor or ProcessPoolExecutor(max_workers=min(workers, len(tasks)))
    futures: dict[Future[R], int] = {}
    try:
        futures = {pool.submit(fn, t): i for i, t in enumerate(tasks)}
        for fut in as_completed(futures):
            i = futures[fut]
            results[i] = fut.result()
            done += weight(tasks[i])
            if progress:
                progress(done, total)
    finally:
        # On a failure, tasks not yet started are dropped: a shared executor (the
        # server's analysis pool) must not keep working for a job that has ended.
        for fut in futures:
            fut.cancel()
        if executor is None:
            pool.shutdown(cancel_futures=True)
    return results  # type: ignore[return-value]


def chunks(n: int, size: int, start: int = 0) -> list[range]:
    """Split ``range(start, n)`` into consecutive ranges of at most ``size`` items."""
    size = max(1, size)
    return [range(lo, min(n, lo + size)) for lo in range(start, n, size)]
