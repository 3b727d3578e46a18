"""Connecting and leaving: a socket becomes a seat, the facilitator or a spectator, and goes.

A seat has one live connection: a new one with the same token takes over (the old one
gets ``replaced`` and a ``taken_over`` error, and is closed with 4000). A person (seat or
facilitator) connecting brings an abandoned game back; the last one leaving arms the idle
timer that abandons it. A seat whose socket closes keeps its place for
the grace period.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from server.conn import Connection, ConnKind
from server.protocol import ProtocolError
from server.security import token_matches
from server.session import phase
from server.session.clock import cancel_grace
from server.session.push import encode_ack, encode_push, error_message
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
        kind: ConnKind = "spectator"
        if token is None:
            kind = "spectator"
        elif token_matches(token, game.facilitator_hash):
            kind = "facilitator"
        else:
            seat = seat_of_token(game, token)
            if seat is None:
                raise ProtocolError(
                    "unauthorized", "this token holds no seat in this game", "token"
                )
            kind = "seat"
            if seat.away:
                # logged before anything changes: a failed commit leaves the socket unattached
                await game.append(("seat", {"role": seat.role, "change": "back"}))
                seat.away = False
        if kind != "spectator":
            await phase.come_back(game, kind)  # logged before the ack, too
        conn.kind, conn.role = kind, seat.role if seat is not None else None
        conn.authed = True
        conn.reply(encode_ack(mid, "hello", {"kind": conn.kind, "role": conn.role}))
        if seat is not None:
            old = seat.conn
            seat.conn = conn
            if old is not None and old is not conn:
                old.send(encode_push("replaced", {"reason": "taken_over"}))
                old.send(
                    error_message(
                        "taken_over",
                        "this seat was opened elsewhere (its rejoin link on another device); "
                        "this connection no longer holds it",
                    )
                )
                game.spawn(old.close(4000))
            cancel_grace(seat)
        elif conn.kind == "spectator":
            game.room.spectators.add(conn)
        else:
            game.room.facilitators.add(conn)
        if conn.kind != "spectator":
            game.cancel_idle()
        game.touch()
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
            if seat.mode == "human" and not game.closed:
                start_seat_grace(game, seat)
            game.broadcast_state()
        game.touch()
        game.arm_idle()
