"""A cheap snapshot of a live game's model, taken before a turn so a failed commit can undo it.

``RaceModel.step`` never modifies the world it starts from (the rules return a new one),
so the snapshot keeps a reference to that world plus the few things a step does change:
the state of every random stream, the queued orders and events and the history's length.
Mesa's clock (``steps``, ``time``) is left as it is: Mesa schedules the next step as an
event on that clock, and the game reads only its own turn counter. Taking and restoring it costs microseconds, where a ``deepcopy`` of
the model cost milliseconds and grew with the game's history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agents.model import RaceModel
from rules.actions import AnyOrder
from rules.world import World


@dataclass(frozen=True, slots=True)
class ModelSnapshot:
    """What ``RaceModel.step`` changes, as it was before the step."""

    world: World
    rules_rng: Mapping[str, Any]
    role_rngs: dict[str, Mapping[str, Any]]
    pending: dict[str, AnyOrder]
    events: tuple[str, ...]
    history: int
    collected: int
    turns_played: int
    running: bool


def _collected(model: RaceModel) -> int:
    """How many rows the model's data collector holds (0 when it does not collect)."""
    return len(next(iter(model.datacollector.model_vars.values()), []))


def take(model: RaceModel) -> ModelSnapshot:
    """Snapshot the model before a step."""
    return ModelSnapshot(
        world=model.world,
        rules_rng=model.streams.rules.bit_generator.state,
        role_rngs={r: g.bit_generator.state for r, g in model.streams.roles.items()},
        pending=dict(model.pending),
        events=tuple(model.pending_events),
        history=len(model.history),
        collected=_collected(model),
        turns_played=model.turns_played,
        running=bool(getattr(model, "running", True)),
    )


def restore(model: RaceModel, snap: ModelSnapshot) -> None:
    """Put the model back as it was when ``snap`` was taken."""
    model.world = snap.world
    model.streams.rules.bit_generator.state = snap.rules_rng
    for role, state in snap.role_rngs.items():
        model.streams.roles[role].bit_generator.state = state
    model.pending.clear()
    model.pending.update(snap.pending)
    model.pending_events[:] = snap.events
    del model.history[snap.history :]
    for column in model.datacollector.model_vars.values():
        del column[snap.collected :]
    model.turns_played = snap.turns_played
    model.running = snap.running  # type: ignore[has-type]
