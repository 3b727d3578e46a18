"""The dispatcher: one table from each client message type to who may send it and its handler.

``ROUTES`` maps every ``type`` of the protocol's ``ClientMessage`` union to a ``Route``:
the message class, who may send it (any authenticated connection, a seat, a seat or the
facilitator, or only the facilitator) and the handler. A type with no route, or a
message that is not of its route's class, is refused (``unknown_type``): the dispatcher
fails closed. A test checks the table's keys are exactly the union's types.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, get_args

from pydantic import BaseModel

from server import facilitator
from server.conn import Connection
from server.protocol import (
    Broadcast,
    Chat,
    ClientMessage,
    ForceTurn,
    GodView,
    Hello,
    Inject,
    Pause,
    Ping,
    ProtocolError,
    Ready,
    Resume,
    Reveal,
    SetDeadline,
    SetSeat,
    Start,
    SubmitOrder,
    Sync,
)
from server.session import GameSession, encode_ack, encode_push, phase
from server.session.seats import holder
from server.views import seat_observation

MsgId = str | int | None


class Sender(StrEnum):
    """Who may send a message type (after ``hello``)."""

    ANY = "any"
    SEAT = "seat"
    SEAT_OR_FACILITATOR = "seat_or_facilitator"
    FACILITATOR = "facilitator"


@dataclass(frozen=True, slots=True)
class Route[M: BaseModel]:
    """How one client message type is handled: its class, who may send it, the handler."""

    message: type[M]
    sender: Sender
    handler: Callable[[GameSession, Connection, M, MsgId], Awaitable[None]]

    @property
    def type(self) -> str:
        """The message's ``type`` (the literal its class declares)."""
        literal: tuple[str, ...] = get_args(self.message.model_fields["type"].annotation)
        return literal[0]


async def _hello(game: GameSession, conn: Connection, m: Hello, mid: MsgId) -> None:
    raise ProtocolError("already_authenticated", "this connection is already authenticated")


async def _ping(game: GameSession, conn: Connection, m: Ping, mid: MsgId) -> None:
    conn.reply(encode_ack(mid, "ping"))


async def _sync(game: GameSession, conn: Connection, m: Sync, mid: MsgId) -> None:
    async with game.lock:
        conn.reply(encode_ack(mid, "sync"))
        conn.send(game.state_message())
        if conn.kind == "seat" and conn.role is not None and game.seats[conn.role].conn is conn:
            conn.send(encode_push("observation", seat_observation(game, conn.role)))


async def _order(game: GameSession, conn: Connection, m: SubmitOrder, mid: MsgId) -> None:
    await game.submit(conn, m, mid)


async def _chat(game: GameSession, conn: Connection, m: Chat, mid: MsgId) -> None:
    await game.say(conn, m, mid)


async def _ready(game: GameSession, conn: Connection, m: Ready, mid: MsgId) -> None:
    async with game.lock:
        seat = holder(game, conn)
        await phase.set_ready(game, seat, m.ready)
        conn.reply(encode_ack(mid, "ready"))


def _table(*routes: Route[Any]) -> dict[str, Route[Any]]:
    table: dict[str, Route[Any]] = {}
    for r in routes:
        if r.type in table:
            raise ValueError(f"two routes for message type {r.type!r}")
        table[r.type] = r
    return table


ROUTES: dict[str, Route[Any]] = _table(
    Route(Hello, Sender.ANY, _hello),
    Route(Ping, Sender.ANY, _ping),
    Route(Sync, Sender.ANY, _sync),
    Route(SubmitOrder, Sender.SEAT, _order),
    Route(Chat, Sender.SEAT_OR_FACILITATOR, _chat),
    Route(Pause, Sender.FACILITATOR, facilitator.pause),
    Route(Resume, Sender.FACILITATOR, facilitator.resume),
    Route(SetDeadline, Sender.FACILITATOR, facilitator.set_deadline),
    Route(ForceTurn, Sender.FACILITATOR, facilitator.force_turn),
    Route(Inject, Sender.FACILITATOR, facilitator.inject),
    Route(SetSeat, Sender.FACILITATOR, facilitator.set_seat),
    Route(Broadcast, Sender.FACILITATOR, facilitator.broadcast),
    Route(GodView, Sender.FACILITATOR, facilitator.god_view),
    Route(Reveal, Sender.FACILITATOR, facilitator.reveal),
    Route(Ready, Sender.SEAT, _ready),
    Route(Start, Sender.FACILITATOR, facilitator.start),
)
FACILITATOR_TYPES = frozenset(t for t, r in ROUTES.items() if r.sender is Sender.FACILITATOR)


def check_sender(route: Route[Any], conn: Connection) -> None:
    """Refuse a message this connection may not send.

    Raises:
        ProtocolError: ``forbidden`` (a facilitator command from someone else) or
            ``not_your_seat`` (a seat's message from a spectator or the facilitator).
    """
    if route.sender is Sender.FACILITATOR and conn.kind != "facilitator":
        raise ProtocolError("forbidden", f"only the facilitator may send {route.type!r}", "type")
    if route.sender is Sender.SEAT and conn.kind != "seat":
        raise ProtocolError("not_your_seat", f"a {conn.kind} holds no seat")
    if route.sender is Sender.SEAT_OR_FACILITATOR and conn.kind == "spectator":
        raise ProtocolError("not_your_seat", "spectators may read public chat but not post")


async def dispatch(game: GameSession, conn: Connection, m: ClientMessage, mid: MsgId) -> None:
    """Handle one client message from an authenticated connection.

    Raises:
        ProtocolError: the typed refusal to send back (nothing changed).
    """
    route = ROUTES.get(m.type)
    if route is None or not isinstance(m, route.message):
        raise ProtocolError("unknown_type", f"no handler for message type {m.type!r}", "type")
    check_sender(route, conn)
    await route.handler(game, conn, m, mid)
