"""A game's append-only log: entries committed in one transaction, numbered in sequence.

The game's lock is held across an append, so sequence numbers never race; ``seq``
moves on only once the transaction has committed, so a failed append changes nothing.
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

    async def append(
        self, turn: int, entries: tuple[LogEntry, ...], extra: Callable[[Session], object] | None
    ) -> None:
        """Append ``entries`` (logged at ``turn``) and run ``extra`` in one committed transaction."""
        first = self.seq + 1

        def work(s: Session) -> None:
            for i, (kind, data) in enumerate(entries):
                repo.append_log(s, self.game_id, first + i, turn, kind, dict(data))
            if extra is not None:
                extra(s)

        await self.store.commit(work)
        self.seq = first + len(entries) - 1
