"""The state bot's treaty offers: a state behind in the race asks for a pause (rules 2.4)."""

from __future__ import annotations

import copy
from collections import Counter
from typing import cast

import numpy as np

from agents.bots.state import BEHIND, state_bot
from agents.seeds import game_rng
from rules.observe import observe
from rules.scenario import load_scenario
from rules.setup import initial_world
from rules.views import StateObservation

QUARTERS = 2000


def offers(gap: float, personality: str) -> Counter[str]:
    """What the US state's bot proposes over many quarters when its best lab is ``gap``
    points ahead of China's by its own estimates (no treaty yet, nothing reported)."""
    world = initial_world(load_scenario("baseline"), game_rng(0))
    obs = copy.deepcopy(cast(StateObservation, observe(world, "us")))
    assert obs["self"]["reports"] == [] and obs["public"]["treaty"]["status"] == "none"
    obs["self"]["estimates"] = {"us-lab": 50.0, "cn-lab": 50.0 - gap}
    rng = np.random.default_rng(7)
    return Counter(str(state_bot(obs, personality, rng).treaty) for _ in range(QUARTERS))


def test_a_state_behind_proposes_a_pause_and_never_a_floor() -> None:
    for personality in ("hawk", "dove"):
        behind = offers(-(BEHIND + 2), personality)
        level = offers(0.0, personality)
        assert behind["propose_floor"] == 0, personality
        # 0.3 more chance a quarter (seeded: the same 2,000 draws in every run).
        assert behind["propose_pause"] / QUARTERS > level["propose_pause"] / QUARTERS + 0.25
        assert level["propose_floor"] > 0, personality  # level, it still offers floors too
