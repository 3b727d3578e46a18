"""Short database transactions run off the event loop (``anyio.to_thread.run_sync``).

Every unit of work opens its own ``with factory.begin()`` in a worker thread, so a commit
never blocks the event loop and no session outlives its transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import TypeVar

import anyio.to_thread
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")


class Store:
    """The engine and session factory, with an async ``run`` for one transaction."""

    def __init__(self, engine: Engine, factory: sessionmaker[Session]) -> None:
        self.engine = engine
        self.factory = factory
        # SQLite has one writer at a time; queueing here beats its busy-wait back-off.
        self._serial = threading.Lock() if engine.dialect.name == "sqlite" else None

    def run_sync(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn`` in one transaction (committed on success, rolled back on error)."""
        if self._serial is None:
            with self.factory.begin() as session:
                return fn(session)
        with self._serial, self.factory.begin() as session:
            return fn(session)

    async def run(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn`` in one transaction in a worker thread."""
        return await anyio.to_thread.run_sync(partial(self.run_sync, fn))
