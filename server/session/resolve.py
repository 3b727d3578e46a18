"""Resolving a turn: when the quarter may end, and ending it (bots fill the rest).

The turn resolves when every present human who has something to decide has submitted,
at the deadline, or when the facilitator forces it. Its hash is committed to the log
before anyone hears of it; if that commit fails, the model is put back as it was.
"""

from __future__ import annotations

import copy
import logging
from typing import TYPE_CHECKING

from rules.actions import idle_roles
from server.db import repo
from server.payloads import TurnReason, TurnResolvedData
from server.session.push import encode_push
from server.views import all_news, game_over, private_news, seat_observation, turn_resolved

if TYPE_CHECKING:
    from server.session.game import GameSession

log = logging.getLogger("precipice.game")


def waiting_on(game: GameSession) -> list[str] | None:
    """Present human seats the quarter still waits for (None: no person is present).

    A seat with nothing to decide (a merged lab, an official without a post, a fired
    whistleblower) is not waited for while someone else still decides; if every
    present person is in that position, they end the quarter by submitting.
    """
    present = [s.role for s in game.seats.values() if s.mode == "human" and not s.away]
    if not present:
        return None
    idle = set(idle_roles(game.public_world()))
    deciding = [r for r in present if r not in idle] or present
    return [r for r in deciding if r not in game.submitted]


async def maybe_resolve(game: GameSession) -> None:
    """Resolve the turn once every present human seat has submitted (lock held)."""
    if game.paused or game.model.done:
        return
    if waiting_on(game) == []:
        await resolve(game, "all_submitted")


async def resolve(game: GameSession, reason: TurnReason) -> None:
    """Resolve the turn (lock held): bots fill the rest, commit the hash, push the news."""
    snapshot = copy.deepcopy(game.model)
    turn = game.model.turn
    game.model.step()
    rec = game.model.history[-1]
    over = game.model.done
    try:
        await game.append(
            ("turn_resolved", {"turn": turn, "hash": rec.hash, "reason": reason}),
            extra=(lambda s: repo.set_status(s, game.id, "over")) if over else None,
        )
    except Exception:
        game.model = snapshot
        raise
    game.submitted.clear()
    game.arm_deadline(game.clock.seconds)
    base = turn_resolved(rec, turn, game.model.turn, reason, over)
    for seat in game.seats.values():
        if seat.conn is None:
            continue
        own: TurnResolvedData = {**base, "private_news": private_news(rec, seat.role)}
        seat.conn.send(encode_push("turn_resolved", own))
        seat.conn.send(encode_push("observation", seat_observation(game, seat.role)))
    game.room.to_spectators(encode_push("turn_resolved", base))
    full: TurnResolvedData = {**base, "hash": rec.hash, "all_news": all_news(rec)}
    game.room.to_facilitators(encode_push("turn_resolved", full))
    if over:
        game.info["status"] = "over"
        game.broadcast(encode_push("game_over", game_over(game)))
    game.broadcast_state()


async def on_deadline(game: GameSession, turn: int) -> None:
    """The deadline of ``turn`` passed: resolve it, if it is still the turn and the clock runs."""
    async with game.lock:
        if game.model.turn == turn and not game.paused and not game.model.done:
            try:
                await resolve(game, "deadline")
            except Exception:
                log.exception("game %s: resolving turn %d at the deadline failed", game.id, turn)
