"""``GameSession``: one live game in memory, its state and the one path every change follows.

Every change runs under the game's lock: validate, append to the log and commit (in a
worker thread), then change the in-memory game, then push to clients. So an acknowledged
order is always committed, and a refused message changes nothing. The work itself lives
beside this module: seats (``seats``), connecting (``connect``), orders (``orders``), chat
(``chat``), the turn (``resolve``), the clocks (``clock``), the log (``log``) and pushes
(``push``); facilitator commands in ``server.facilitator``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any, Literal

from sqlalchemy.orm import Session

from agents.model import RaceModel
from rules.observe import public_state
from rules.views import PublicState
from server.conn import Connection
from server.fold import Folded
from server.payloads import Announcement, ChatLine, TurnReason
from server.protocol import Chat, SubmitOrder
from server.session import chat, connect, orders, resolve, seats
from server.session.clock import TurnClock
from server.session.log import GameLog, LogEntry
from server.session.push import Room, encode_push
from server.session.seats import Seat
from server.settings import Settings
from server.store import Store
from server.views import game_state_push


class GameSession:
    """One game being played (or finished) on this server."""

    def __init__(
        self,
        game_id: str,
        info: dict[str, Any],
        folded: Folded,
        seats: list[Seat],
        facilitator_hash: str,
        store: Store,
        settings: Settings,
    ) -> None:
        self.id = game_id
        self.info = info
        self.model: RaceModel = folded.model
        self.seats: dict[str, Seat] = {s.role: s for s in seats}
        self.facilitator_hash = facilitator_hash
        self.store = store
        self.settings = settings
        self.lock = asyncio.Lock()
        self.log = GameLog(store, game_id, folded.seq)
        self.clock = TurnClock(folded.deadline_seconds, self._on_deadline)
        self.room = Room(self.seats)
        self.paused = folded.paused
        self.revealed = folded.revealed
        self.chat: list[ChatLine] = folded.chat
        self.announcements: list[Announcement] = folded.announcements
        self.submitted: set[str] = {r for r in self.model.pending if self.seats[r].mode == "human"}
        self._public: tuple[int, PublicState] | None = None

    # ----- start-up and shutdown -------------------------------------------------------

    def start(self) -> None:
        """Arm the clocks after a (re)load: grace for every absent human, the turn deadline."""
        for seat in self.seats.values():
            if seat.mode == "human" and seat.conn is None:
                seats.start_seat_grace(self, seat)
        self.arm_deadline(self.clock.seconds)

    async def shutdown(self) -> None:
        """Cancel timers and close every socket."""
        for seat in self.seats.values():
            if seat.grace is not None:
                seat.grace.cancel()
        self.clock.cancel()
        for conn in self.connections():
            with contextlib.suppress(Exception):
                await conn.close(1001)

    # ----- state -------------------------------------------------------------------------

    @property
    def seq(self) -> int:
        """The last sequence number of the game's log."""
        return self.log.seq

    @property
    def deadline_seconds(self) -> float | None:
        """Seconds per turn (None: no deadline)."""
        return self.clock.seconds

    @property
    def deadline_at(self) -> float | None:
        """When the current turn's deadline falls (epoch seconds), if the clock runs."""
        return self.clock.deadline_at

    @property
    def spectators(self) -> set[Connection]:
        """The spectators' sockets."""
        return self.room.spectators

    @property
    def facilitators(self) -> set[Connection]:
        """The facilitator's sockets."""
        return self.room.facilitators

    def connections(self) -> list[Connection]:
        """Every open socket of this game."""
        return self.room.connections()

    def public_world(self) -> PublicState:
        """The public state of the world (cached per turn)."""
        if self._public is None or self._public[0] != len(self.model.history):
            self._public = (len(self.model.history), public_state(self.model.world))
        return self._public[1]

    # ----- pushing -----------------------------------------------------------------------

    def broadcast(self, text: str) -> None:
        """Send one message to every socket of the game."""
        self.room.everyone(text)

    def announce(self, line: Announcement) -> None:
        """Send a facilitator announcement to the room and keep it for late joiners."""
        self.announcements.append(line)
        self.broadcast(encode_push("announcement", line))

    def state_message(self) -> str:
        """The ``game_state`` push: the public state plus the server's clock.

        ``server_now`` lets a client count down to ``deadline_at`` even if its clock is off.
        """
        return encode_push("game_state", game_state_push(self))

    def broadcast_state(self) -> None:
        """Push the public game state to everyone."""
        self.broadcast(self.state_message())

    # ----- the log and the clock ---------------------------------------------------------

    async def append(
        self, *entries: LogEntry, extra: Callable[[Session], object] | None = None
    ) -> None:
        """Append entries to the log, at the current turn, in one committed transaction."""
        await self.log.append(self.model.turn, entries, extra)

    def arm_deadline(self, seconds: float | None) -> None:
        """Start this turn's deadline ``seconds`` from now (not while paused or once over)."""
        self.clock.arm(seconds, self.model.turn, not self.paused and not self.model.done)

    async def _on_deadline(self, turn: int) -> None:
        await resolve.on_deadline(self, turn)

    # ----- connections, seats, orders, chat, the turn -------------------------------------

    async def attach(self, conn: Connection, token: str | None, mid: str | int | None) -> None:
        """Authenticate a socket as a seat, the facilitator, or (no token) a spectator."""
        await connect.attach(self, conn, token, mid)

    async def detach(self, conn: Connection) -> None:
        """A socket closed: a seat keeps its place for the grace period."""
        await connect.detach(self, conn)

    async def claim(self, role: str, player: str) -> str:
        """Give an open seat to a person; returns the seat token (see ``seats.claim``)."""
        return await seats.claim(self, role, player)

    async def set_seat(
        self, role: str, mode: Literal["bot", "open"], by: Literal["facilitator", "player"]
    ) -> None:
        """Hand a seat to a bot or open it to people (lock held; see ``seats.set_seat``)."""
        await seats.set_seat(self, role, mode, by)

    async def submit(self, conn: Connection, m: SubmitOrder, mid: str | int | None) -> None:
        """Accept (or refuse) a seat's order for the current turn (see ``orders.submit``)."""
        await orders.submit(self, conn, m, mid)

    async def say(self, conn: Connection, m: Chat, mid: str | int | None) -> None:
        """Post a chat line (see ``chat.say``)."""
        await chat.say(self, conn, m, mid)

    def waiting_on(self) -> list[str] | None:
        """Present human seats the quarter still waits for (see ``resolve.waiting_on``)."""
        return resolve.waiting_on(self)

    async def maybe_resolve(self) -> None:
        """Resolve the turn once every present human seat has submitted (lock held)."""
        await resolve.maybe_resolve(self)

    async def resolve(self, reason: TurnReason) -> None:
        """Resolve the turn now (lock held; see ``resolve.resolve``)."""
        await resolve.resolve(self, reason)
