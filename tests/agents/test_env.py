"""The PettingZoo research API: PettingZoo's own API test, seeding, rewards, masks."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pettingzoo")
from pettingzoo.test import parallel_api_test

from agents.rl.env import ACTIONS, PrecipiceParallelEnv
from agents.saved import new_model


def test_passes_pettingzoo_parallel_api_test() -> None:
    parallel_api_test(PrecipiceParallelEnv(), num_cycles=40)


def test_passes_with_a_single_seat_against_the_bots() -> None:
    parallel_api_test(PrecipiceParallelEnv(seats=["us-lab"]), num_cycles=40)


def test_same_seed_same_game_and_rewards_sum_to_final_score() -> None:
    def play(seed: int) -> tuple[list[float], dict[str, float]]:
        env = PrecipiceParallelEnv(seats=["us", "cn-official"])
        obs, _ = env.reset(seed=seed)
        total = dict.fromkeys(env.possible_agents, 0.0)
        trace = []
        start = env.model.scores()
        while env.agents:
            acts = {a: int(np.flatnonzero(obs[a]["action_mask"])[0]) for a in env.agents}
            obs, rew, _, _, _ = env.step(acts)
            for a, r in rew.items():
                total[a] += r
            trace.append(float(env.model.world.labs["us-lab"].capability))
        final = env.model.scores()
        for a in total:
            assert total[a] == pytest.approx(final[a] - start[a], abs=1e-6)
        return trace, final

    assert play(4) == play(4)
    assert play(4) != play(5)


def test_masked_out_action_lets_the_bot_play_and_is_flagged() -> None:
    """In the baseline each state has one lab, so merging is masked out; choosing it anyway
    is flagged and the state's bot plays the quarter, exactly as in a game of bots only."""
    env = PrecipiceParallelEnv(seats=["us"])
    obs, _ = env.reset(seed=1)
    merge = ACTIONS["state"].index("merge_labs")
    assert obs["us"]["action_mask"][merge] == 0
    assert obs["us"]["action_mask"][ACTIONS["state"].index("bot")] == 1
    _, _, _, _, info = env.step({"us": merge})
    assert info["us"]["illegal_action"] is True and info["us"]["action"] == "merge_labs"
    played = env.model.history[0]
    assert played.human_orders == {} and "us" in played.bot_orders
    bots = new_model("baseline", 1, collect=False)
    bots.step()
    assert played.bot_orders == bots.history[0].bot_orders
    assert played.hash == bots.history[0].hash
    # A legal action is not flagged, and is played as the seat's own order.
    keep = ACTIONS["state"].index("keep")
    _, _, _, _, info = env.step({"us": keep})
    assert info["us"]["illegal_action"] is False and "us" in env.model.history[1].human_orders


def test_observation_hides_latent_variables() -> None:
    env = PrecipiceParallelEnv()
    for agent in env.possible_agents:
        names = env.feature_names(agent)
        assert not any("misalignment" in n or "deception" in n for n in names)
        assert env.observation_space(agent)["observation"].shape == (len(names),)


def test_a_state_can_merge_its_labs_and_the_absorbed_lab_is_masked() -> None:
    env = PrecipiceParallelEnv(scenario="consolidation", seats=["cn", "cn-lab-2"])
    obs, _ = env.reset(seed=3)
    merge = ACTIONS["state"].index("merge_labs")
    assert obs["cn"]["action_mask"][merge] == 1
    keep, bot = ACTIONS["lab"].index("keep"), ACTIONS["lab"].index("bot")
    obs, _, _, _, _ = env.step({"cn": merge, "cn-lab-2": keep})
    assert env.model.world.labs["cn-lab-2"].merged_into == "cn-lab"
    assert obs["cn"]["action_mask"][merge] == 0
    lab_mask = obs["cn-lab-2"]["action_mask"]
    assert [i for i, ok in enumerate(lab_mask) if ok] == [keep, bot]
    # In the baseline a state has one lab: merging is never on offer.
    base, _ = PrecipiceParallelEnv(seats=["us"]).reset(seed=1)
    assert base["us"]["action_mask"][merge] == 0
