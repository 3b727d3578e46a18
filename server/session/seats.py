"""Seats: who plays each role, claiming one, handing one to a bot or opening it, going away.

A seat is a bot's, open (a bot plays until a person claims it) or a human's (only the
sha256 of the seat token is kept). Every change is logged before it takes effect; the
functions that change a seat expect the game's lock to be held, except ``claim`` and
``grace_expired``, which take it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rules.views import RoleKind
from server.conn import Connection
from server.db import repo
from server.payloads import SeatMode
from server.protocol import ProtocolError
from server.security import new_nonce, new_token, seat_token, token_hash, token_matches
from server.session.clock import cancel_grace, start_grace
from server.session.log import LogEntry
from server.session.push import encode_push

if TYPE_CHECKING:
    from server.session.game import GameSession

log = logging.getLogger("precipice.game")


@dataclass(slots=True)
class Seat:
    """Who plays one role now: a bot, nobody yet (open: a bot plays), or a human."""

    role: str
    kind: RoleKind
    name: str
    mode: SeatMode
    token_hash: str | None = None
    player: str = ""
    conn: Connection | None = None
    away: bool = False
    grace: asyncio.Task[None] | None = None
    ready: bool = False
    token_nonce: str | None = None


def seat_of_token(game: GameSession, token: str) -> Seat | None:
    """The human seat a token holds in this game, if any."""
    return next(
        (
            s
            for s in game.seats.values()
            if s.mode == "human" and token_matches(token, s.token_hash)
        ),
        None,
    )


def holder(game: GameSession, conn: Connection) -> Seat:
    """The seat this connection holds now.

    Raises:
        ProtocolError: ``not_your_seat`` for a spectator or facilitator, or a replaced connection.
    """
    if conn.kind != "seat":
        raise ProtocolError("not_your_seat", f"a {conn.kind} holds no seat")
    seat = game.seats[conn.role or ""]
    if seat.mode != "human" or seat.conn is not conn:
        raise ProtocolError("not_your_seat", "this connection no longer holds the seat")
    return seat


def start_seat_grace(game: GameSession, seat: Seat) -> None:
    """Give an absent human the grace period before a bot plays their seat."""
    start_grace(seat, game.settings.grace_seconds, lambda role: grace_expired(game, role))


async def grace_expired(game: GameSession, role: str) -> None:
    """A human stayed away past the grace period: mark the seat away, a bot plays it."""
    async with game.lock:
        seat = game.seats[role]
        if seat.mode != "human" or seat.conn is not None or seat.away:
            return
        try:
            await game.append(("seat", {"role": role, "change": "away"}))
        except Exception:
            log.exception("game %s: logging %s away failed; its grace starts again", game.id, role)
            seat.grace = None  # this task: not to be cancelled by the restart
            start_seat_grace(game, seat)
            return
        seat.grace = None
        seat.away = True
        game.broadcast_state()
        await game.settle()


async def claim(game: GameSession, role: str, player: str) -> str:
    """Give an open seat to a person; returns the seat token (only its hash is kept).

    Raises:
        KeyError: unknown role. PermissionError: the seat is not open.
    """
    async with game.lock:
        seat = game.seats[role]
        if seat.mode != "open":
            raise PermissionError("taken" if seat.mode == "human" else "not_open")
        nonce = new_nonce() if game.link_key else None
        token = (
            seat_token(game.link_key, game.id, role, nonce)
            if game.link_key and nonce
            else new_token()
        )
        digest = token_hash(token)
        await game.append(
            ("seat", {"role": role, "change": "claimed", "player": player}),
            extra=lambda s: repo.set_seat(s, game.id, role, "human", digest, player, nonce),
        )
        seat.mode, seat.token_hash, seat.player, seat.away = "human", digest, player, False
        seat.token_nonce, seat.ready = nonce, False
        start_seat_grace(game, seat)
        game.broadcast_state()
        return token


async def set_seat(
    game: GameSession, role: str, mode: Literal["bot", "open"], by: Literal["facilitator", "player"]
) -> None:
    """Hand a seat to a bot (``bot``) or open it to people (``open``); a holder is removed (lock held).

    Raises:
        KeyError: unknown role.
    """
    seat = game.seats[role]
    entries: list[LogEntry] = []
    if role in game.model.pending:
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
    await game.append(*entries, extra=lambda s: repo.set_seat(s, game.id, role, mode, None))
    game.model.pending.pop(role, None)
    game.submitted.discard(role)
    old = seat.conn
    cancel_grace(seat)
    seat.mode, seat.token_hash, seat.player, seat.conn, seat.away = mode, None, "", None, False
    seat.token_nonce, seat.ready = None, False
    if old is not None:
        old.send(encode_push("seat_revoked", {"role": role, "mode": mode, "by": by}))
        game.spawn(old.close(4001))
    game.broadcast_state()
    await game.settle()
