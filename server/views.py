"""What a live game shows: its public state, a seat's observation and the reveal.

Pure functions of a ``GameSession`` (read under its lock by the caller); every push and
REST answer about a live game is built here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agents.model import RaceModel
from rules.actions import idle_roles, legal_actions, order_to_wire

if TYPE_CHECKING:
    from server.session import GameSession


def game_state(game: GameSession) -> dict[str, Any]:
    """The game's public state: seats, who has submitted, clock, pause, public world."""
    world = game.public_world()
    idle = set(idle_roles(world))
    return {
        "game_id": game.id,
        "scenario": game.info["scenario"],
        "turn": game.model.turn,
        "quarter": game.model.world.quarter_label(),
        "done": game.model.done,
        "paused": game.paused,
        "revealed": game.revealed,
        "deadline_seconds": game.deadline_seconds,
        "deadline_at": game.deadline_at,
        "parent_id": game.info.get("parent_id"),
        "fork_turn": game.info.get("fork_turn"),
        "seats": [
            {
                "role": s.role,
                "kind": s.kind,
                "name": s.name,
                "mode": s.mode,
                "player": s.player,
                "connected": s.conn is not None,
                "away": s.away,
                "submitted": s.role in game.submitted,
                "idle": s.role in idle,
            }
            for s in game.seats.values()
        ],
        "world": world,
    }


def seat_observation(game: GameSession, role: str) -> dict[str, Any]:
    """A seat's ``observation`` push: its own view, its legal actions, its pending order."""
    obs = game.model.observe(role)
    pending = game.model.pending.get(role)
    return {
        "turn": game.model.turn,
        "observation": obs,
        "legal_actions": legal_actions(obs),
        "your_order": order_to_wire(pending)
        if pending is not None and role in game.submitted
        else None,
    }


def reveal_body(model: RaceModel) -> dict[str, Any]:
    """The whole world and the scores, for the debrief."""
    return {"god_view": model.god_view(), "scores": model.scores()}
