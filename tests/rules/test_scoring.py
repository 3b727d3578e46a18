"""Scores: a state's unresolved race counts ``state_unresolved_scale`` of itself (rules 2.8)."""

from __future__ import annotations

import numpy as np
import pytest

from rules.scenario import load_scenario
from rules.scoring import ROGUE_SCORE, scores
from rules.setup import initial_world
from rules.world import Outcome


@pytest.mark.parametrize("scale", [0.0, 0.6, 1.0])
def test_a_states_score_without_an_asi_is_scaled_and_an_asis_is_not(scale: float) -> None:
    full = load_scenario("baseline", {"dynamics.state_unresolved_scale": "1.0"})
    scaled = load_scenario("baseline", {"dynamics.state_unresolved_scale": str(scale)})
    world = initial_world(full, np.random.default_rng(1))
    for outcome in (None, Outcome("no_asi", 27, cause="horizon")):
        world.outcome = outcome
        whole, part = scores(world, full.dynamics), scores(world, scaled.dynamics)
        for sid in world.states:
            assert whole[sid] > 0
            assert part[sid] == pytest.approx(scale * whole[sid], abs=1e-3)
        assert {r: part[r] for r in world.labs} == {r: whole[r] for r in world.labs}
    for winner in world.states:
        world.outcome = Outcome("corrigible_asi", 20, f"{winner}-lab", winner, 0.1, "oligarchy")
        whole, part = scores(world, full.dynamics), scores(world, scaled.dynamics)
        assert {s: part[s] for s in world.states} == {s: whole[s] for s in world.states}
    world.outcome = Outcome("rogue_asi", 20, "us-lab", "us", 0.9)
    assert all(scores(world, scaled.dynamics)[s] == ROGUE_SCORE for s in world.states)
