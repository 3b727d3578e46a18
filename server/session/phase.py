"""A game's life cycle: ``lobby`` -> ``playing`` -> ``over``, with ``abandoned`` while nobody is there.

A game is created in ``lobby`` (no clock runs, no quarter resolves; people take seats and
say they are ready) unless it is a single-player game, an import or a fork, which start at
once. The facilitator starts it; it is ``over`` when the rules decide an outcome or when the
facilitator ends it. A playing game that no person (seat holder or facilitator) has been
connected to for ``PRECIPICE_IDLE_ABANDON_SECONDS`` is ``abandoned``: its clock stops, the
server no longer rebuilds it at start-up, and the first person back makes it ``playing``
again. Every move is logged (a ``phase`` entry) and written to the game's row in the same
transaction, before it takes effect (functions here expect the game's lock to be held).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from server.db import repo
from server.payloads import Phase
from server.protocol import ProtocolError
from server.session.push import encode_push
from server.views import game_over

if TYPE_CHECKING:
    from server.session.game import GameSession
    from server.session.seats import Seat


async def move(game: GameSession, phase: Phase, by: str) -> None:
    """Log the move to ``phase`` and write it to the game's row, then apply it (lock held)."""
    gid = game.id
    await game.append(
        ("phase", {"phase": phase, "from": game.phase, "by": by}),
        extra=lambda s: repo.set_phase(s, gid, phase),
    )
    game.phase = phase
    game.info["phase"] = phase
    game.info["status"] = "over" if phase == "over" else "live"


async def start(game: GameSession, by: str = "facilitator") -> None:
    """Start a game in the lobby: the clock runs from now (lock held).

    Raises:
        ProtocolError: ``wrong_phase`` unless the game is in the lobby.
    """
    if game.phase != "lobby":
        raise ProtocolError(
            "wrong_phase", f"the game is {game.phase}: only a game in the lobby can be started"
        )
    await move(game, "playing", by)
    game.arm_deadline(game.clock.seconds)
    game.arm_idle()
    game.touch()
    game.broadcast_state()
    await game.settle()  # a failure is retried and reported, never a refusal of the start


async def end(game: GameSession) -> None:
    """End the game now (the facilitator): ``over``, nothing more resolves (lock held).

    Raises:
        ProtocolError: ``game_over`` if it is over already.
    """
    if game.over:
        raise ProtocolError("game_over", "the game is over already")
    await move(game, "over", "facilitator")
    game.clock.cancel()
    game.clock.deadline_at = None
    game.broadcast(encode_push("game_over", game_over(game)))
    game.broadcast_state()


async def set_ready(game: GameSession, seat: Seat, ready: bool) -> None:
    """A seat says it is ready to start (or not any more); logged, shown in the roster (lock held)."""
    if seat.ready != ready:
        await game.append(("seat", {"role": seat.role, "change": "ready" if ready else "unready"}))
        seat.ready = ready
    game.broadcast_state()


async def abandon(game: GameSession) -> None:
    """Nobody has been here for the idle time: stop the clock and mark the game ``abandoned`` (lock held)."""
    if game.phase != "playing" or game.people_present():
        return
    await move(game, "abandoned", "idle")
    if game.clock.deadline_at is not None:  # a pause already kept what was left
        game.clock.pause()
    game.broadcast_state()


async def come_back(game: GameSession, by: str) -> None:
    """A person is back in an abandoned game: ``playing`` again, the clock restarts (lock held)."""
    if game.phase != "abandoned":
        return
    await move(game, "playing", by)
    game.arm_deadline(game.clock.resume_seconds())
