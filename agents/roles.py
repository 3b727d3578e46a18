"""The five Mesa agent types: each wraps one role of the world and plays it as a bot.

The world itself lives in ``rules`` (``model.world``); an agent holds its role id and
its bot policy, and decides an order from its own observation, drawing from its own
stream (split from the model's ``rng`` at the start), when no human has submitted one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from agents.bots import make_policy
from rules.actions import AnyOrder
from rules.observe import Observer
from rules.world import AIRec, LabRec, OfficialRec, StateRec, WhistleblowerRec

if TYPE_CHECKING:
    from agents.model import RaceModel


class RoleAgent(mesa.Agent):  # type: ignore[misc]
    """Base class: one seat of the game."""

    kind: str = ""

    def __init__(
        self, model: RaceModel, role_id: str, personality: str, base: str | None = None
    ) -> None:
        super().__init__(model)
        self.role_id = role_id
        self.personality = personality
        self.policy = make_policy(self.kind, personality, base)

    @property
    def race(self) -> RaceModel:
        """The model, typed."""
        return self.model  # type: ignore[no-any-return]

    def record(self) -> StateRec | LabRec | OfficialRec | WhistleblowerRec | AIRec:
        """This role's record in the current world."""
        return self.race.world.record(self.role_id)

    def decide(self, seen: Observer, orders: dict[str, AnyOrder]) -> None:
        """Add this role's order to ``orders`` unless one was given (a human's)."""
        rid = self.role_id
        if rid in orders:
            return
        orders[rid] = self.policy(seen.observe(rid), self.model.streams.roles[rid])

    @property
    def stream(self) -> np.random.Generator:
        """This agent's own random stream, split from the model's ``rng`` at the start."""
        return self.race.streams.roles[self.role_id]


class StateAgent(RoleAgent):
    """A state (democracy or one-party)."""

    kind = "state"


class LabAgent(RoleAgent):
    """A frontier lab."""

    kind = "lab"


class OfficialAgent(RoleAgent):
    """An official, active only where the state's oversight allows."""

    kind = "official"


class WhistleblowerAgent(RoleAgent):
    """A lab employee who may speak up or out."""

    kind = "whistleblower"


class AIAgent(RoleAgent):
    """A frontier lab's AI, playing its sealed values."""

    kind = "ai"


AGENT_TYPES: dict[str, type[RoleAgent]] = {
    "state": StateAgent,
    "lab": LabAgent,
    "official": OfficialAgent,
    "whistleblower": WhistleblowerAgent,
    "ai": AIAgent,
}
