"""Short database transactions run off the event loop, on the store's own thread pool.

Every unit of work opens its own ``with factory.begin()`` in a worker thread, so a commit
never blocks the event loop and no session outlives its transaction. The threads are the
store's alone (``db_threads``): analysis, replays and other CPU work run elsewhere, so a
burst of them can never leave a commit (and so an ack) waiting for a thread.

``commit`` is the group-commit path for the game log: units of work that arrive while a
commit is in flight (or within ``window`` seconds) are written in one transaction, and
each caller resumes only after that transaction has committed. If the shared transaction
fails, it is rolled back whole and every unit is retried in a transaction of its own, so
one bad unit cannot fail or lose another's. Each game holds its lock across its append,
so one batch never holds two entries of the same game that depend on each other.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")
Work = Callable[[Session], Any]


async def _outcome[R](fut: asyncio.Future[R]) -> R:
    """Await ``fut``; a cancelled caller still waits for the outcome before re-raising.

    So a unit of work is never left with an unknown fate.
    """
    try:
        return await asyncio.shield(fut)
    except asyncio.CancelledError:
        if not fut.done():
            await asyncio.wait([fut])
        raise


class Store:
    """The engine and session factory, with an async ``run`` for one transaction."""

    def __init__(
        self,
        engine: Engine,
        factory: sessionmaker[Session],
        group: bool = True,
        window: float = 0.0,
        max_batch: int = 256,
        threads: int = 8,
    ) -> None:
        self.engine = engine
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="precipice-db")
        self.factory = factory
        # SQLite has one writer at a time; queueing here beats its busy-wait back-off.
        self._serial = threading.Lock() if engine.dialect.name == "sqlite" else None
        self.group = group
        self.window = window
        self.max_batch = max_batch
        self._queue: list[tuple[Work, asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self.batches = 0
        self.grouped = 0

    def run_sync(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn`` in one transaction (committed on success, rolled back on error)."""
        if self._serial is None:
            with self.factory.begin() as session:
                return fn(session)
        with self._serial, self.factory.begin() as session:
            return fn(session)

    async def _in_thread(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the store's threads; a cancelled caller still waits for the outcome."""
        fut = asyncio.get_running_loop().run_in_executor(self._threads, fn)
        return await _outcome(fut)

    async def run(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn`` in one transaction in one of the store's threads."""
        return await self._in_thread(partial(self.run_sync, fn))

    def close(self) -> None:
        """Stop the store's threads (after the last unit of work)."""
        self._threads.shutdown(wait=True)

    async def commit(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn`` in a (possibly shared) transaction; return once it has committed.

        Cancelling the caller does not cancel the commit: it waits for the outcome first,
        so the caller never sees a cancellation for a unit whose fate is unknown.
        """
        if not self.group:
            return await self.run(fn)
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[T] = loop.create_future()
        self._queue.append((fn, fut))
        if self._flusher is None or self._flusher.done():
            self._flusher = loop.create_task(self._flush())
        return await _outcome(fut)

    async def _flush(self) -> None:
        """Commit queued units in batches until the queue is empty."""
        while self._queue:
            if self.window > 0:
                await asyncio.sleep(self.window)
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
            try:
                outcomes = await self._in_thread(partial(self._commit_batch, [w for w, _ in batch]))
            except BaseException as exc:  # pragma: no cover - the thread itself failed
                outcomes = [(False, exc)] * len(batch)
            self.batches += 1
            self.grouped += len(batch)
            for (_, fut), (ok, value) in zip(batch, outcomes, strict=True):
                if fut.done():
                    continue
                if ok:
                    fut.set_result(value)
                else:
                    fut.set_exception(value)

    def _commit_batch(self, works: list[Work]) -> list[tuple[bool, Any]]:
        """One transaction for every unit; on failure, one transaction per unit."""
        if len(works) > 1:
            try:
                return [(True, r) for r in self.run_sync(lambda s: [w(s) for w in works])]
            except Exception:  # noqa: S110 - rolled back whole: retried one by one below
                pass
        out: list[tuple[bool, Any]] = []
        for w in works:
            try:
                out.append((True, self.run_sync(w)))
            except Exception as exc:
                out.append((False, exc))
        return out
