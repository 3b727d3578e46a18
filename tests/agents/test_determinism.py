"""Determinism at scale: random games with human-like orders and events replay exactly.

CI runs 120 games; the full check (1,000 games) is ``uv run python benchmarks/determinism.py``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from agents.saved import load_saved, new_model, replay, to_saved
from rules.scenario import SCENARIO_NAMES, load_scenario
from tests.support.fuzzplay import play_randomly

RACE = [n for n in SCENARIO_NAMES if load_scenario(n).mode == "race"]


@pytest.mark.parametrize("batch", range(6))
def test_random_games_save_and_replay_to_every_hash(batch):
    for i in range(20):
        k = batch * 20 + i
        rng = np.random.default_rng([k, 7])
        model = new_model(RACE[k % len(RACE)], int(rng.integers(1_000_000)), collect=False)
        play_randomly(model, rng)
        text = to_saved(model).model_dump_json()
        again = replay(load_saved(json.loads(text)), collect=False)
        assert [h.hash for h in again.history] == [h.hash for h in model.history], f"game {k}"
