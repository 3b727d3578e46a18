"""The PettingZoo research API: PettingZoo's own API test, seeding, rewards, masks."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pettingzoo")
from pettingzoo.test import parallel_api_test

from agents.rl.env import ACTIONS, PrecipiceParallelEnv


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
    env = PrecipiceParallelEnv(seats=["us-official"])
    obs, _ = env.reset(seed=1)
    mask = obs["us-official"]["action_mask"]
    assert mask[ACTIONS["official"].index("bot")] == 1
    illegal = [i for i, ok in enumerate(mask) if not ok]
    if illegal:
        _, _, _, _, info = env.step({"us-official": illegal[0]})
        assert info["us-official"]["illegal_action"] is True


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
