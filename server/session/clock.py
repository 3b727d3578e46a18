"""The clocks of a game: the turn deadline (with what a pause leaves of it) and seat grace timers.

Each clock is an asyncio task that sleeps and then calls back into the game, which takes
the game's lock and checks the clock still applies (same turn, not paused, seat still
away) before acting.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from server.session.seats import Seat


class TurnClock:
    """Seconds per turn, when the current turn's deadline falls, and what a pause left of it."""

    def __init__(
        self, seconds: float | None, on_deadline: Callable[[int], Awaitable[None]]
    ) -> None:
        self.seconds = seconds
        self.deadline_at: float | None = None
        self.remaining: float | None = None
        self._on_deadline = on_deadline
        self._timer: asyncio.Task[None] | None = None

    def arm(self, seconds: float | None, turn: int, running: bool) -> None:
        """Start the deadline of ``turn`` ``seconds`` from now (none if ``seconds`` is None or not running).

        A previous timer is cancelled, unless it is the task calling this (a deadline that
        resolves its turn re-arms the clock for the next one).
        """
        if self._timer is not None and self._timer is not asyncio.current_task():
            self._timer.cancel()
        self._timer = None
        if seconds is None or not running:
            self.deadline_at = None
            return
        self.deadline_at = time.time() + seconds
        self._timer = asyncio.get_running_loop().create_task(self._wait(turn, seconds))

    def pause(self) -> None:
        """Stop the clock, keeping what is left of the current deadline."""
        self.remaining = (
            None if self.deadline_at is None else max(0.0, self.deadline_at - time.time())
        )
        self.arm(None, 0, False)

    def resume_seconds(self) -> float | None:
        """The seconds to arm on resuming: what the pause left, else a whole turn."""
        return self.remaining if self.remaining is not None else self.seconds

    def set_seconds(self, seconds: float | None) -> None:
        """Seconds per turn from now on (also what is left of this turn)."""
        self.seconds = seconds
        self.remaining = seconds

    def cancel(self) -> None:
        """Cancel the pending deadline (at shutdown)."""
        if self._timer is not None:
            self._timer.cancel()

    async def _wait(self, turn: int, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await self._on_deadline(turn)


def start_grace(seat: Seat, seconds: float, on_expiry: Callable[[str], Awaitable[None]]) -> None:
    """(Re)start the grace period of an absent human's seat; ``on_expiry(role)`` runs after it."""
    cancel_grace(seat)

    async def wait() -> None:
        await asyncio.sleep(seconds)
        await on_expiry(seat.role)

    seat.grace = asyncio.get_running_loop().create_task(wait())


def cancel_grace(seat: Seat) -> None:
    """Stop a seat's grace timer, if one runs."""
    if seat.grace is not None:
        seat.grace.cancel()
        seat.grace = None
