"""Facilitator commands: pause, resume, deadline, force, inject, seats, broadcast, god view, reveal.

Each handler takes the game's lock, checks the game's state allows the command, logs it,
then applies it; only the facilitator reaches them (``server.dispatch`` refuses anyone
else with ``forbidden``).
"""

from __future__ import annotations

from rules.actions import order_to_wire
from rules.events import EVENTS
from rules.hashing import world_hash
from server.conn import Connection
from server.payloads import Announcement
from server.protocol import (
    Broadcast,
    ForceTurn,
    GodView,
    Inject,
    Pause,
    ProtocolError,
    Resume,
    Reveal,
    SetDeadline,
    SetSeat,
    Start,
)
from server.session import GameSession, encode_ack, encode_push, phase, resolve
from server.views import reveal_body

MsgId = str | int | None


def _refuse_if_over(game: GameSession) -> None:
    if game.over:
        raise ProtocolError("game_over", "the game is over")


async def god_view(game: GameSession, conn: Connection, m: GodView, mid: MsgId) -> None:
    """Send the facilitator the whole world, latent variables and pending orders included."""
    async with game.lock:
        model = game.model
        conn.send(
            encode_ack(
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


async def reveal(game: GameSession, conn: Connection, m: Reveal, mid: MsgId) -> None:
    """Once the game is over, show the whole world to the room."""
    async with game.lock:
        if not game.over:
            raise ProtocolError("game_not_over", "the world is revealed only once the game is over")
        await game.append(("facilitator", {"action": "reveal"}))
        game.revealed = True
        conn.reply(encode_ack(mid, "reveal"))
        game.broadcast(encode_push("revealed", reveal_body(game.model)))


async def broadcast(game: GameSession, conn: Connection, m: Broadcast, mid: MsgId) -> None:
    """Announce a line to the room (kept for late joiners)."""
    async with game.lock:
        line: Announcement = {"text": m.text, "turn": game.model.turn}
        await game.append(("facilitator", {"action": "broadcast", **line}))
        conn.reply(encode_ack(mid, "broadcast"))
        game.announce(line)


async def set_seat(game: GameSession, conn: Connection, m: SetSeat, mid: MsgId) -> None:
    """Hand a seat to a bot or open it to people; its holder is removed."""
    async with game.lock:
        if m.role not in game.seats:
            raise ProtocolError("unknown_role", f"no role {m.role!r} in this game", "role")
        await game.set_seat(m.role, m.mode, "facilitator")
        conn.reply(encode_ack(mid, "set_seat"))


async def pause(game: GameSession, conn: Connection, m: Pause, mid: MsgId) -> None:
    """Stop the clock (keeping what is left of the deadline); no turn resolves while paused."""
    async with game.lock:
        _refuse_if_over(game)
        if not game.paused:
            await game.append(("facilitator", {"action": "pause"}))
            game.clock.pause()
            game.paused = True
        conn.reply(encode_ack(mid, "pause"))
        game.broadcast_state()


async def resume(game: GameSession, conn: Connection, m: Resume, mid: MsgId) -> None:
    """Restart the clock where the pause left it; the turn resolves if everyone has submitted."""
    async with game.lock:
        _refuse_if_over(game)
        if game.paused:
            await game.append(("facilitator", {"action": "resume"}))
            game.paused = False
            game.arm_deadline(game.clock.resume_seconds())
        conn.reply(encode_ack(mid, "resume"))
        game.broadcast_state()
        await game.settle()


async def set_deadline(game: GameSession, conn: Connection, m: SetDeadline, mid: MsgId) -> None:
    """Seconds per turn from now on (null: no deadline)."""
    low = game.settings.min_deadline_seconds
    if m.seconds is not None and m.seconds < low:
        raise ProtocolError(
            "invalid_message", f"seconds: at least {low:g} seconds per quarter", "seconds"
        )
    async with game.lock:
        _refuse_if_over(game)
        await game.append(("facilitator", {"action": "set_deadline", "seconds": m.seconds}))
        game.clock.set_seconds(m.seconds)
        game.arm_deadline(m.seconds)
        conn.reply(encode_ack(mid, "set_deadline"))
        game.broadcast_state()


async def inject(game: GameSession, conn: Connection, m: Inject, mid: MsgId) -> None:
    """Deal a scenario event this turn."""
    async with game.lock:
        _refuse_if_over(game)
        if m.event not in EVENTS:
            raise ProtocolError(
                "unknown_event", f"no event {m.event!r}; see GET /api/events", "event"
            )
        await game.append(("inject", {"event": m.event}))
        game.model.inject(m.event)
        conn.reply(encode_ack(mid, "inject", {"event": m.event, "title": EVENTS[m.event].title}))


async def force_turn(game: GameSession, conn: Connection, m: ForceTurn, mid: MsgId) -> None:
    """Resolve the turn now, keeping present people's choices; bots decide only for the rest.

    A person holding a seat (connected, or within the grace period) who has not submitted
    keeps their current settings: an order that changes nothing is logged for them, so the
    bot never decides for someone who is there. Those orders, the command and the
    resolution are committed in one transaction before the ack, so an acked
    ``force_turn`` is a resolved quarter, also after a crash; a failed commit is refused
    with ``internal`` and changes nothing.
    """
    async with game.lock:
        _refuse_if_over(game)
        if game.phase != "playing":
            raise ProtocolError("wrong_phase", f"the game is {game.phase}: nothing to force")
        if game.paused:
            raise ProtocolError(
                "game_paused", "the game is paused: resume it before forcing the quarter"
            )
        kept = resolve.kept_for_present(game)
        done = await resolve.commit_resolution(
            game,
            "forced",
            before=(
                *resolve.kept_entries(kept, "forced"),
                ("facilitator", {"action": "force_turn", "kept": sorted(kept)}),
            ),
            kept=kept,
        )
        conn.reply(encode_ack(mid, "force_turn"))
        resolve.announce(game, done, "forced")


async def start(game: GameSession, conn: Connection, m: Start, mid: MsgId) -> None:
    """Start a game in the lobby: the clock runs from now."""
    async with game.lock:
        await phase.start(game)
        conn.reply(encode_ack(mid, "start"))
