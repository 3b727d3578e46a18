"""Facilitator commands and the dispatcher that routes every authenticated client message.

Facilitator commands (pause, resume, deadline, force, inject, seats, broadcast, god view,
reveal) are refused with ``forbidden`` for any other connection. Each is logged before it
takes effect.
"""

from __future__ import annotations

from rules.actions import order_to_wire
from rules.events import EVENTS
from rules.hashing import world_hash
from server.conn import Connection
from server.protocol import (
    FACILITATOR_TYPES,
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
    Resume,
    Reveal,
    SetDeadline,
    SetSeat,
    SubmitOrder,
    Sync,
)
from server.session import GameSession
from server.session.push import encode_ack as ack
from server.session.push import encode_push as msg
from server.views import reveal_body, seat_observation


async def dispatch(
    game: GameSession, conn: Connection, m: ClientMessage, mid: str | int | None
) -> None:
    """Handle one client message from an authenticated connection.

    Raises:
        ProtocolError: the typed refusal to send back (nothing changed).
    """
    if isinstance(m, Hello):
        raise ProtocolError("already_authenticated", "this connection is already authenticated")
    if isinstance(m, Ping):
        conn.send(ack(mid, "ping"))
        return
    if isinstance(m, Sync):
        async with game.lock:
            conn.send(ack(mid, "sync"))
            conn.send(game.state_message())
            if conn.kind == "seat" and conn.role is not None and game.seats[conn.role].conn is conn:
                conn.send(msg("observation", seat_observation(game, conn.role)))
        return
    if isinstance(m, SubmitOrder):
        await game.submit(conn, m, mid)
        return
    if isinstance(m, Chat):
        await game.say(conn, m, mid)
        return
    if m.type in FACILITATOR_TYPES and conn.kind != "facilitator":
        raise ProtocolError("forbidden", f"only the facilitator may send {m.type!r}", "type")
    async with game.lock:
        await _facilitate(game, conn, m, mid)


async def _facilitate(
    game: GameSession, conn: Connection, m: ClientMessage, mid: str | int | None
) -> None:
    """Run one facilitator command (the game's lock is held)."""
    model = game.model
    if isinstance(m, GodView):
        conn.send(
            ack(
                mid,
                "god_view",
                {
                    "turn": model.turn,
                    "hash": world_hash(model.world),
                    "god_view": model.god_view(),
                    "pending": {r: order_to_wire(o) for r, o in sorted(model.pending.items())},
                    "pending_events": list(model.pending_events),
                },
            )
        )
        return
    if isinstance(m, Reveal):
        if not model.done:
            raise ProtocolError("game_not_over", "the world is revealed only once the game is over")
        await game.append(("facilitator", {"action": "reveal"}))
        game.revealed = True
        conn.send(ack(mid, "reveal"))
        game.broadcast(msg("revealed", reveal_body(game.model)))
        return
    if isinstance(m, Broadcast):
        line = {"text": m.text, "turn": model.turn}
        await game.append(("facilitator", {"action": "broadcast", **line}))
        conn.send(ack(mid, "broadcast"))
        game.announce(line)
        return
    if isinstance(m, SetSeat):
        if m.role not in game.seats:
            raise ProtocolError("unknown_role", f"no role {m.role!r} in this game", "role")
        await game.set_seat(m.role, m.mode, "facilitator")
        conn.send(ack(mid, "set_seat"))
        return
    if model.done:
        raise ProtocolError("game_over", "the game is over")
    if isinstance(m, Pause):
        if not game.paused:
            await game.append(("facilitator", {"action": "pause"}))
            game.clock.pause()
            game.paused = True
        conn.send(ack(mid, "pause"))
        game.broadcast_state()
    elif isinstance(m, Resume):
        if game.paused:
            await game.append(("facilitator", {"action": "resume"}))
            game.paused = False
            game.arm_deadline(game.clock.resume_seconds())
        conn.send(ack(mid, "resume"))
        game.broadcast_state()
        await game.maybe_resolve()
    elif isinstance(m, SetDeadline):
        await game.append(("facilitator", {"action": "set_deadline", "seconds": m.seconds}))
        game.clock.set_seconds(m.seconds)
        game.arm_deadline(m.seconds)
        conn.send(ack(mid, "set_deadline"))
        game.broadcast_state()
    elif isinstance(m, Inject):
        if m.event not in EVENTS:
            raise ProtocolError(
                "unknown_event", f"no event {m.event!r}; see GET /api/events", "event"
            )
        await game.append(("inject", {"event": m.event}))
        model.inject(m.event)
        conn.send(ack(mid, "inject", {"event": m.event, "title": EVENTS[m.event].title}))
    elif isinstance(m, ForceTurn):
        await game.append(("facilitator", {"action": "force_turn"}))
        conn.send(ack(mid, "force_turn"))
        await game.resolve("forced")
