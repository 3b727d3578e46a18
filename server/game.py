"""A live game in memory: its model, seats, connections, turn clock and one asyncio lock.

Every change follows one path under the game's lock: validate, append to the log and
commit (in a worker thread), then change the in-memory game, then push to clients. So an
acknowledged order is always committed, and a refused message changes nothing.
Facilitator commands live in ``server.facilitator``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import logging
import time
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

from agents.model import RaceModel
from rules.actions import (
    IllegalOrderError,
    InvalidOrderError,
    check_order,
    idle_roles,
    order_to_wire,
    parse_order,
)
from rules.observe import public_state
from rules.views import PublicState
from server.conn import Connection
from server.db import repo
from server.fold import Folded
from server.protocol import Chat, ProtocolError, SubmitOrder
from server.security import new_token, token_hash, token_matches
from server.settings import Settings
from server.store import Store
from server.views import chat_for, game_state, reveal_body, seat_observation

log = logging.getLogger("precipice.game")


def msg(kind: str, data: dict[str, Any]) -> str:
    """Encode a server push (``{"v":1,"type":kind,"data":data}``)."""
    return json.dumps({"v": 1, "type": kind, "data": data}, separators=(",", ":"))


def ack(mid: str | int | None, of: str, result: dict[str, Any] | None = None) -> str:
    """Encode an ack echoing the client's ``id``."""
    return json.dumps(
        {"v": 1, "type": "ack", "id": mid, "of": of, "result": result}, separators=(",", ":")
    )


@dataclass(slots=True)
class Seat:
    """Who plays one role now: a bot, nobody yet (open: a bot plays), or a human."""

    role: str
    kind: str
    name: str
    mode: str
    token_hash: str | None = None
    player: str = ""
    conn: Connection | None = None
    away: bool = False
    grace: asyncio.Task[None] | None = None


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
        self.seq = folded.seq
        self.paused = folded.paused
        self.revealed = folded.revealed
        self.deadline_seconds = folded.deadline_seconds
        self.deadline_at: float | None = None
        self.remaining: float | None = None
        self.chat: list[dict[str, Any]] = folded.chat
        self.announcements: list[dict[str, Any]] = folded.announcements
        self.submitted: set[str] = {r for r in self.model.pending if self.seats[r].mode == "human"}
        self.spectators: set[Connection] = set()
        self.facilitators: set[Connection] = set()
        self._timer: asyncio.Task[None] | None = None
        self._public: tuple[int, PublicState] | None = None

    # ----- start-up and shutdown -------------------------------------------------------

    def start(self) -> None:
        """Arm the clocks after a (re)load: grace for every absent human, the turn deadline."""
        for seat in self.seats.values():
            if seat.mode == "human" and seat.conn is None:
                self._start_grace(seat)
        self._arm_deadline(self.deadline_seconds)

    async def shutdown(self) -> None:
        """Cancel timers and close every socket."""
        tasks = [s.grace for s in self.seats.values() if s.grace] + (
            [self._timer] if self._timer else []
        )
        for task in tasks:
            task.cancel()
        for conn in self.connections():
            with contextlib.suppress(Exception):
                await conn.close(1001)

    # ----- views -------------------------------------------------------------------------

    def connections(self) -> list[Connection]:
        """Every open socket of this game."""
        seats = [s.conn for s in self.seats.values() if s.conn is not None]
        return [*seats, *self.spectators, *self.facilitators]

    def public_world(self) -> PublicState:
        """The public state of the world (cached per turn)."""
        if self._public is None or self._public[0] != len(self.model.history):
            self._public = (len(self.model.history), public_state(self.model.world))
        return self._public[1]

    # ----- pushing -----------------------------------------------------------------------

    def broadcast(self, text: str) -> None:
        """Send one message to every socket of the game."""
        for conn in self.connections():
            conn.send(text)

    def announce(self, line: dict[str, Any]) -> None:
        """Send a facilitator announcement to the room and keep it for late joiners."""
        self.announcements.append(line)
        self.broadcast(msg("announcement", line))

    def state_message(self) -> str:
        """The ``game_state`` push: the public state plus the server's clock.

        ``server_now`` lets a client count down to ``deadline_at`` even if its clock is off.
        """
        return msg("game_state", game_state(self) | {"server_now": round(time.time(), 3)})

    def broadcast_state(self) -> None:
        """Push the public game state to everyone."""
        self.broadcast(self.state_message())

    # ----- the log -----------------------------------------------------------------------

    async def append(self, *entries: tuple[str, dict[str, Any]], extra: Any = None) -> None:
        """Append entries to the log in one committed transaction (then bump ``seq``)."""
        first = self.seq + 1
        turn = self.model.turn

        def work(s: Session) -> None:
            for i, (kind, data) in enumerate(entries):
                repo.append_log(s, self.id, first + i, turn, kind, data)
            if extra is not None:
                extra(s)

        await self.store.commit(work)
        self.seq = first + len(entries) - 1

    # ----- connecting --------------------------------------------------------------------

    async def attach(self, conn: Connection, token: str | None, mid: str | int | None) -> None:
        """Authenticate a socket as a seat, the facilitator, or (no token) a spectator.

        Raises:
            ProtocolError: ``unauthorized`` for a token that matches nothing here.
        """
        async with self.lock:
            seat = None
            if token is None:
                conn.kind = "spectator"
            elif token_matches(token, self.facilitator_hash):
                conn.kind = "facilitator"
            else:
                seat = next(
                    (
                        s
                        for s in self.seats.values()
                        if s.mode == "human" and token_matches(token, s.token_hash)
                    ),
                    None,
                )
                if seat is None:
                    raise ProtocolError(
                        "unauthorized", "this token holds no seat in this game", "token"
                    )
                conn.kind, conn.role = "seat", seat.role
            conn.authed = True
            conn.send(ack(mid, "hello", {"kind": conn.kind, "role": conn.role}))
            if seat is not None:
                old = seat.conn
                seat.conn = conn
                if old is not None and old is not conn:
                    old.send(msg("replaced", {"reason": "this seat connected again elsewhere"}))
                    asyncio.get_running_loop().create_task(old.close(4000))
                if seat.grace is not None:
                    seat.grace.cancel()
                    seat.grace = None
                if seat.away:
                    seat.away = False
                    await self.append(("seat", {"role": seat.role, "change": "back"}))
            elif conn.kind == "spectator":
                self.spectators.add(conn)
            else:
                self.facilitators.add(conn)
            conn.send(
                msg(
                    "welcome",
                    {
                        "game_id": self.id,
                        "protocol": 1,
                        "kind": conn.kind,
                        "role": conn.role,
                        "chat": chat_for(self.chat, conn),
                        "announcements": list(self.announcements),
                    },
                )
            )
            self.broadcast_state()
            if seat is not None:
                conn.send(msg("observation", seat_observation(self, seat.role)))
            if self.revealed:
                conn.send(msg("revealed", reveal_body(self.model)))

    async def detach(self, conn: Connection) -> None:
        """A socket closed: a seat keeps its place for the grace period."""
        async with self.lock:
            self.spectators.discard(conn)
            self.facilitators.discard(conn)
            seat = self.seats.get(conn.role or "")
            if seat is not None and seat.conn is conn:
                seat.conn = None
                if seat.mode == "human":
                    self._start_grace(seat)
                self.broadcast_state()

    def _start_grace(self, seat: Seat) -> None:
        if seat.grace is not None:
            seat.grace.cancel()
        seat.grace = asyncio.get_running_loop().create_task(self._grace(seat.role))

    async def _grace(self, role: str) -> None:
        await asyncio.sleep(self.settings.grace_seconds)
        async with self.lock:
            seat = self.seats[role]
            if seat.mode != "human" or seat.conn is not None or seat.away:
                return
            seat.grace = None
            seat.away = True
            await self.append(("seat", {"role": role, "change": "away"}))
            self.broadcast_state()
            await self.maybe_resolve()

    # ----- seats (REST) ------------------------------------------------------------------

    async def claim(self, role: str, player: str) -> str:
        """Give an open seat to a person; returns the seat token (only its hash is kept).

        Raises:
            KeyError: unknown role. PermissionError: the seat is not open.
        """
        async with self.lock:
            seat = self.seats[role]
            if seat.mode != "open":
                raise PermissionError("taken" if seat.mode == "human" else "not_open")
            token = new_token()
            digest = token_hash(token)
            await self.append(
                ("seat", {"role": role, "change": "claimed", "player": player}),
                extra=lambda s: repo.set_seat(s, self.id, role, "human", digest, player),
            )
            seat.mode, seat.token_hash, seat.player, seat.away = "human", digest, player, False
            self._start_grace(seat)
            self.broadcast_state()
            return token

    async def set_seat(self, role: str, mode: str, by: str) -> None:
        """Hand a seat to a bot (``bot``) or open it to people (``open``); a holder is removed.

        Raises:
            KeyError: unknown role.
        """
        seat = self.seats[role]
        entries: list[tuple[str, dict[str, Any]]] = []
        if role in self.model.pending:
            entries.append(("order_withdrawn", {"role": role, "reason": f"seat {mode} ({by})"}))
        entries.append(
            (
                "seat",
                {
                    "role": role,
                    "change": "released" if by == "player" else mode,
                    "mode": mode,
                    "by": by,
                },
            )
        )
        await self.append(*entries, extra=lambda s: repo.set_seat(s, self.id, role, mode, None))
        self.model.pending.pop(role, None)
        self.submitted.discard(role)
        old = seat.conn
        if seat.grace is not None:
            seat.grace.cancel()
        seat.mode, seat.token_hash, seat.player, seat.conn, seat.away, seat.grace = (
            mode,
            None,
            "",
            None,
            False,
            None,
        )
        if old is not None:
            old.send(msg("seat_revoked", {"role": role, "mode": mode, "by": by}))
            asyncio.get_running_loop().create_task(old.close(4001))
        self.broadcast_state()
        await self.maybe_resolve()

    # ----- orders and chat ----------------------------------------------------------------

    def _holder(self, conn: Connection) -> Seat:
        if conn.kind != "seat":
            raise ProtocolError("not_your_seat", f"a {conn.kind} holds no seat")
        seat = self.seats[conn.role or ""]
        if seat.mode != "human" or seat.conn is not conn:
            raise ProtocolError("not_your_seat", "this connection no longer holds the seat")
        return seat

    async def submit(self, conn: Connection, m: SubmitOrder, mid: str | int | None) -> None:
        """Accept (or refuse) a seat's order for the current turn; last one wins.

        Raises:
            ProtocolError: not_your_seat, game_over, game_paused, stale_turn, invalid_action, illegal_action.
        """
        async with self.lock:
            seat = self._holder(conn)
            if self.model.done:
                raise ProtocolError("game_over", "the game is over")
            if self.paused:
                raise ProtocolError("game_paused", "the facilitator has paused the game")
            if m.turn != self.model.turn:
                raise ProtocolError(
                    "stale_turn",
                    f"this order is for turn {m.turn}; the current turn is {self.model.turn}",
                    "turn",
                )
            try:
                order = parse_order(seat.kind, m.order)
                check_order(order, self.model.observe(seat.role))
            except InvalidOrderError as exc:
                raise ProtocolError("invalid_action", str(exc), f"order.{exc.field}") from None
            except IllegalOrderError as exc:
                raise ProtocolError("illegal_action", str(exc), f"order.{exc.field}") from None
            wire = order_to_wire(order)
            await self.append(("order", {"role": seat.role, "order": wire}))
            self.model.pending[seat.role] = order
            self.submitted.add(seat.role)
            conn.send(ack(mid, "order", {"turn": self.model.turn, "order": wire}))
            self.broadcast_state()
            await self.maybe_resolve()

    async def say(self, conn: Connection, m: Chat, mid: str | int | None) -> None:
        """Post a chat line (public, or private between two roles), server-stamped and logged.

        Raises:
            ProtocolError: not_your_seat (spectators), unknown_role, invalid_message.
        """
        async with self.lock:
            if conn.kind == "spectator":
                raise ProtocolError("not_your_seat", "spectators may read public chat but not post")
            sender = "facilitator" if conn.kind == "facilitator" else self._holder(conn).role
            if m.to != "public" and m.to not in self.seats:
                raise ProtocolError("unknown_role", f"no role {m.to!r} in this game", "to")
            if m.to == sender:
                raise ProtocolError(
                    "invalid_message", "a private channel needs two different roles", "to"
                )
            line = {
                "from": sender,
                "to": m.to,
                "text": m.text,
                "turn": self.model.turn,
                "at": repo.now().isoformat(),
            }
            await self.append(("chat", line))
            self.chat.append(line)
            conn.send(ack(mid, "chat", {"at": line["at"], "turn": line["turn"]}))
            text = msg("chat", line)
            if m.to == "public":
                self.broadcast(text)
                return
            for role in (sender, m.to):
                seat = self.seats.get(role)
                if seat is not None and seat.conn is not None:
                    seat.conn.send(text)
            for fac in self.facilitators:
                fac.send(text)

    # ----- the turn ------------------------------------------------------------------------

    def waiting_on(self) -> list[str] | None:
        """Present human seats the quarter still waits for (None: no person is present).

        A seat with nothing to decide (a merged lab, an official without a post, a fired
        whistleblower) is not waited for while someone else still decides; if every
        present person is in that position, they end the quarter by submitting.
        """
        present = [s.role for s in self.seats.values() if s.mode == "human" and not s.away]
        if not present:
            return None
        idle = set(idle_roles(self.public_world()))
        deciding = [r for r in present if r not in idle] or present
        return [r for r in deciding if r not in self.submitted]

    async def maybe_resolve(self) -> None:
        """Resolve the turn once every present human seat has submitted (lock held)."""
        if self.paused or self.model.done:
            return
        if self.waiting_on() == []:
            await self.resolve("all_submitted")

    async def resolve(self, reason: str) -> None:
        """Resolve the turn (lock held): bots fill the rest, commit the hash, push the news."""
        snapshot = copy.deepcopy(self.model)
        turn = self.model.turn
        self.model.step()
        rec = self.model.history[-1]
        over = self.model.done
        try:
            await self.append(
                ("turn_resolved", {"turn": turn, "hash": rec.hash, "reason": reason}),
                extra=(lambda s: repo.set_status(s, self.id, "over")) if over else None,
            )
        except Exception:
            self.model = snapshot
            raise
        self.submitted.clear()
        self._arm_deadline(self.deadline_seconds)
        public_news = [
            {"turn": n.turn, "kind": n.kind, "text": n.text} for n in rec.news if n.public
        ]
        base = {
            "turn": turn,
            "quarter": rec.quarter,
            "next_turn": self.model.turn,
            "reason": reason,
            "done": over,
            "news": public_news,
        }
        for seat in self.seats.values():
            if seat.conn is None:
                continue
            private = [
                {"turn": n.turn, "kind": n.kind, "text": n.text}
                for n in rec.news
                if not n.public and seat.role in n.audience
            ]
            seat.conn.send(msg("turn_resolved", base | {"private_news": private}))
            seat.conn.send(msg("observation", seat_observation(self, seat.role)))
        for conn in self.spectators:
            conn.send(msg("turn_resolved", base))
        full = base | {"hash": rec.hash, "all_news": [asdict(n) for n in rec.news]}
        for conn in self.facilitators:
            conn.send(msg("turn_resolved", full))
        if over:
            self.info["status"] = "over"
            self.broadcast(
                msg(
                    "game_over",
                    {"outcome": self.public_world()["outcome"], "scores": self.model.scores()},
                )
            )
        self.broadcast_state()

    def _arm_deadline(self, seconds: float | None) -> None:
        if self._timer is not None and self._timer is not asyncio.current_task():
            self._timer.cancel()
        self._timer = None
        if seconds is None or self.paused or self.model.done:
            self.deadline_at = None
            return
        self.deadline_at = time.time() + seconds
        self._timer = asyncio.get_running_loop().create_task(
            self._deadline(self.model.turn, seconds)
        )

    async def _deadline(self, turn: int, seconds: float) -> None:
        await asyncio.sleep(seconds)
        async with self.lock:
            if self.model.turn == turn and not self.paused and not self.model.done:
                try:
                    await self.resolve("deadline")
                except Exception:
                    log.exception(
                        "game %s: resolving turn %d at the deadline failed", self.id, turn
                    )
