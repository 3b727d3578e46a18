"""A game's append-only log: entries committed in one transaction, numbered in sequence.

The game's lock is held across an append, so sequence numbers never race; ``seq``
moves on only once the transaction has committed, so a failed append changes nothing.
An append that ends in an exception or a cancellation leaves ``seq`` uncertain (a
commit can fail after the database applied it, and a cancelled caller does not see
the outcome): the next append reads the last sequence number back from the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy.orm import Session

from server.db import repo
from server.store import Store

LogEntry = tuple[str, Mapping[str, object]]
"""One log entry: its kind (``order``, ``seat``, ``chat``, ...) and its JSON data."""


class GameLog:
    """Where a game's entries go: its id in the store and the last sequence number used."""

    def __init__(self, store: Store, game_id: str, seq: int) -> None:
        self.store = store
        self.game_id = game_id
        self.seq = seq
        self._uncertain = False
        self.guard: Callable[[Session], None] | None = None
        """Run first in every append's transaction (a cluster's lease check); may raise."""

    async def append(
        self, turn: int, entries: tuple[LogEntry, ...], extra: Callable[[Session], object] | None
    ) -> None:
        """Append ``entries`` (logged at ``turn``) and run ``extra`` in one committed transaction."""
        if self._uncertain:
            self.seq = await self.store.run(lambda s: repo.last_seq(s, self.game_id))
            self._uncertain = False
        first = self.seq + 1

        guard = self.guard

        def work(s: Session) -> None:
            if guard is not None:
                guard(s)
            for i, (kind, data) in enumerate(entries):
                repo.append_log(s, self.game_id, first + i, turn, kind, dict(data))
            if extra is not None:
                extra(s)

        try:
            await self.store.commit(work)
        except BaseException:
            self._uncertain = True
            raise
        self.seq = first + len(entries) - 1
