"""Connecting and leaving: a socket becomes a seat, the facilitator or a spectator, and goes.

A seat has one live connection: a new one with the same token takes over (the old one
gets ``replaced`` and is closed with 4000). A seat whose socket closes keeps its place for
the grace period.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from server.conn import Connection
from server.protocol import ProtocolError
from server.security import token_matches
from server.session.clock import cancel_grace
from server.session.push import encode_ack, encode_push
from server.session.seats import seat_of_token, start_seat_grace
from server.views import reveal_body, seat_observation, welcome

if TYPE_CHECKING:
    from server.session.game import GameSession


async def attach(
    game: GameSession, conn: Connection, token: str | None, mid: str | int | None
) -> None:
    """Authenticate a socket as a seat, the facilitator, or (no token) a spectator.

    Raises:
        ProtocolError: ``unauthorized`` for a token that matches nothing here.
    """
    async with game.lock:
        seat = None
        if token is None:
            conn.kind = "spectator"
        elif token_matches(token, game.facilitator_hash):
            conn.kind = "facilitator"
        else:
            seat = seat_of_token(game, token)
            if seat is None:
                raise ProtocolError(
                    "unauthorized", "this token holds no seat in this game", "token"
                )
            conn.kind, conn.role = "seat", seat.role
        conn.authed = True
        conn.send(encode_ack(mid, "hello", {"kind": conn.kind, "role": conn.role}))
        if seat is not None:
            old = seat.conn
            seat.conn = conn
            if old is not None and old is not conn:
                old.send(encode_push("replaced", {"reason": "this seat connected again elsewhere"}))
                asyncio.get_running_loop().create_task(old.close(4000))
            cancel_grace(seat)
            if seat.away:
                seat.away = False
                await game.append(("seat", {"role": seat.role, "change": "back"}))
        elif conn.kind == "spectator":
            game.room.spectators.add(conn)
        else:
            game.room.facilitators.add(conn)
        conn.send(encode_push("welcome", welcome(game, conn)))
        game.broadcast_state()
        if seat is not None:
            conn.send(encode_push("observation", seat_observation(game, seat.role)))
        if game.revealed:
            conn.send(encode_push("revealed", reveal_body(game.model)))


async def detach(game: GameSession, conn: Connection) -> None:
    """A socket closed: a seat keeps its place for the grace period."""
    async with game.lock:
        game.room.spectators.discard(conn)
        game.room.facilitators.discard(conn)
        seat = game.seats.get(conn.role or "")
        if seat is not None and seat.conn is conn:
            seat.conn = None
            if seat.mode == "human":
                start_seat_grace(game, seat)
            game.broadcast_state()
