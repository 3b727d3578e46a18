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
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any, Literal, cast

from sqlalchemy.orm import Session

from agents.model import RaceModel
from rules.observe import public_state
from rules.views import PublicState
from server.conn import Connection
from server.fold import Folded
from server.payloads import (
    Announcement,
    ChatLine,
    EndReason,
    Phase,
    SeriesPoint,
    TurnReason,
    Visibility,
)
from server.protocol import Chat, SubmitOrder
from server.session import chat, connect, orders, phase, resolve, seats
from server.session.clock import TurnClock
from server.session.log import GameLog, LogEntry
from server.session.push import Room, encode_json, encode_push, encode_with_world
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
        self.forced_pending = folded.forced
        # The latest lines only (``chat_history``): welcomes carry these; older ones are paged
        # from the log (GET /api/games/{id}/chat).
        self.chat: deque[ChatLine] = deque(folded.chat, maxlen=settings.chat_history)
        self.announcements: list[Announcement] = folded.announcements
        self.chat_published = folded.chat_published
        self.submitted: set[str] = {r for r in self.model.pending if self.seats[r].mode == "human"}
        self._public: tuple[int, PublicState] | None = None
        self._public_json: tuple[int, str] | None = None
        self._state_push: asyncio.Task[None] | None = None
        self.tasks: set[asyncio.Task[None]] = set()
        self.phase: Phase = "over" if self.model.done else cast(Phase, info.get("phase", "playing"))
        self.visibility: Visibility = cast(Visibility, info.get("visibility", "public"))
        self.join_code: str | None = info.get("join_code")
        self.link_key: str | None = info.get("link_key")
        for role in folded.ready:
            if role in self.seats:
                self.seats[role].ready = True
        self.last_used = time.monotonic()
        self._idle: asyncio.Task[None] | None = None
        self.series: list[SeriesPoint] = folded.series
        self.closed = False

    # ----- start-up and shutdown -------------------------------------------------------

    def start(self) -> None:
        """Arm the clocks after a (re)load: grace for every absent human, the turn deadline."""
        for seat in self.seats.values():
            if seat.mode == "human" and seat.conn is None:
                seats.start_seat_grace(self, seat)
        self.arm_deadline(self.clock.seconds)
        self.arm_idle()

    def spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run ``work`` in a task the game keeps until it ends (cancelled at shutdown)."""
        task = asyncio.get_running_loop().create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def shutdown(self, code: int = 1001, reason: str = "") -> None:
        """Cancel timers and kept tasks, close every socket (with ``code``); no timer is armed again.

        A cluster's 4409 names the new owner's websocket URL as ``reason``.
        """
        self.closed = True
        for seat in self.seats.values():
            if seat.grace is not None:
                seat.grace.cancel()
        self.clock.cancel()
        self.cancel_idle()
        if self._state_push is not None:
            self._state_push.cancel()
        for task in list(self.tasks):
            task.cancel()
        for conn in self.connections():
            with contextlib.suppress(Exception):
                await conn.close(code, reason)

    # ----- state -------------------------------------------------------------------------

    @property
    def over(self) -> bool:
        """True once the rules decided an outcome or the facilitator ended the game."""
        return self.phase == "over" or self.model.done

    @property
    def end_reason(self) -> EndReason | None:
        """Why the game is over (None while it is not)."""
        if self.model.done:
            return "outcome"
        return "ended_by_facilitator" if self.phase == "over" else None

    @property
    def running(self) -> bool:
        """True while quarters may resolve: playing, not paused, not over."""
        return self.phase == "playing" and not self.paused and not self.model.done

    def people_present(self) -> bool:
        """True if a seat holder or the facilitator has a socket open (spectators do not count)."""
        return bool(self.room.facilitators) or any(s.conn is not None for s in self.seats.values())

    def touch(self) -> None:
        """Note that the game was just used (eviction counts idle time from here)."""
        self.last_used = time.monotonic()

    def arm_idle(self) -> None:
        """If a playing game has nobody here, abandon it after the idle time (unless someone comes)."""
        self.cancel_idle()
        if self.closed or self.phase != "playing" or self.people_present():
            return
        seconds = self.settings.idle_abandon_seconds

        async def wait() -> None:
            await asyncio.sleep(seconds)
            async with self.lock:
                self._idle = None
                await phase.abandon(self)

        self._idle = asyncio.get_running_loop().create_task(wait())

    def cancel_idle(self) -> None:
        """Stop the idle timer (a person is here, or the game stops)."""
        if self._idle is not None and self._idle is not asyncio.current_task():
            self._idle.cancel()
        self._idle = None

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

    def public_world_json(self) -> str:
        """The public state of the world as JSON (encoded once per turn, for every push)."""
        if self._public_json is None or self._public_json[0] != len(self.model.history):
            self._public_json = (len(self.model.history), encode_json(self.public_world()))
        return self._public_json[1]

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
        data = dict(game_state_push(self))
        del data["world"]
        return encode_with_world("game_state", data, self.public_world_json())

    def broadcast_state(self) -> None:
        """Push the public game state to everyone now (one encoding for every socket)."""
        if self._state_push is not None:
            self._state_push.cancel()
            self._state_push = None
        self.broadcast(self.state_message())

    def broadcast_state_soon(self) -> None:
        """Push the public game state to everyone shortly, once for every change until then.

        An order changes only who has submitted; several orders arriving together (and the
        turn they complete, which pushes the state itself) share one push.
        """
        if self._state_push is None or self._state_push.done():
            self._state_push = asyncio.get_running_loop().create_task(self._push_state_later())

    async def _push_state_later(self) -> None:
        await asyncio.sleep(self.settings.state_push_ms / 1000)
        async with self.lock:
            if self._state_push is asyncio.current_task():
                self._state_push = None
                self.broadcast(self.state_message())

    # ----- the log and the clock ---------------------------------------------------------

    async def append(
        self,
        *entries: LogEntry,
        extra: Callable[[Session], object] | None = None,
        turn: int | None = None,
    ) -> None:
        """Append entries to the log, at ``turn`` (default the current one), in one transaction."""
        await self.log.append(self.model.turn if turn is None else turn, entries, extra)

    def arm_deadline(self, seconds: float | None) -> None:
        """Start this turn's deadline ``seconds`` from now (not while paused or once over)."""
        self.clock.arm(seconds, self.model.turn, self.running)

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

    async def settle(self, reason: TurnReason = "all_submitted") -> None:
        """After an ack: resolve if due, reporting and retrying a failure (see ``resolve.settle``)."""
        await resolve.settle(self, reason)
