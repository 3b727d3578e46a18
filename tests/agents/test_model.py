"""RaceModel: deterministic, human takeover at the model level, bots that play fair."""

from __future__ import annotations

import numpy as np
import pytest

from agents.model import RaceModel
from agents.saved import ReplayError, load_saved, new_model, replay, to_saved
from rules.actions import IllegalOrderError, LabOrder, StateOrder, check_order, parse_order
from rules.scenario import SCENARIO_NAMES, load_scenario

RACE = [n for n in SCENARIO_NAMES if load_scenario(n).mode == "race"]


@pytest.mark.parametrize("name", RACE)
def test_same_seed_same_game_different_seed_different_game(name):
    a, b, c = (RaceModel(load_scenario(name), s) for s in (3, 3, 4))
    for m in (a, b, c):
        m.run()
    assert [h.hash for h in a.history] == [h.hash for h in b.history]
    assert [h.hash for h in a.history] != [h.hash for h in c.history]


def test_randomness_comes_only_from_the_models_rng():
    np.random.seed(1)
    a = RaceModel(load_scenario("baseline"), 9)
    a.run()
    np.random.seed(2)
    import random

    random.seed(99)
    b = RaceModel(load_scenario("baseline"), 9)
    b.run()
    assert a.history[-1].hash == b.history[-1].hash


def test_a_human_order_is_used_for_that_role_and_bots_fill_the_rest():
    # A Spec-aligned AI never talks its lab out of safety, so the order's lever stands.
    m = RaceModel(load_scenario("baseline", {"ais.us-ai.values": "spec"}), 1)
    m.submit("us-lab", LabOrder(safety_share=0.4, pause=True))
    m.step()
    rec = m.history[0]
    assert rec.human_orders == {"us-lab": {"kind": "lab", "safety_share": 0.4, "pause": True}}
    assert "us-lab" not in rec.bot_orders and set(rec.bot_orders) == set(m.world.role_ids()) - {
        "us-lab"
    }
    assert m.world.labs["us-lab"].safety_share == 0.4 and m.world.labs["us-lab"].paused


def test_illegal_human_order_is_refused_and_changes_nothing():
    m = RaceModel(load_scenario("baseline"), 1)
    with pytest.raises(IllegalOrderError):
        m.submit("us", StateOrder(treaty="accept"))
    assert m.pending == {}


@pytest.mark.parametrize("name", RACE)
def test_every_bot_order_is_legal_for_what_the_bot_saw(name):
    for seed in range(6):
        m = RaceModel(load_scenario(name), seed, collect=False)
        while not m.done:
            observations = {rid: m.observe(rid) for rid in m.world.role_ids()}
            m.step()
            for rid, data in m.history[-1].bot_orders.items():
                check_order(parse_order(m.world.role_kind(rid), data), observations[rid])


def test_replay_reproduces_a_game_with_human_orders_and_injected_events():
    m = new_model("baseline", 11)
    m.submit("us", StateOrder(oversight=2, export_controls=0.9))
    m.inject("warning_shot")
    m.step()
    m.submit("cn-lab", LabOrder(pause=True))
    m.run()
    saved = to_saved(m)
    again = replay(load_saved(saved.model_dump(mode="json")))
    assert [h.hash for h in again.history] == [t.hash for t in saved.turns]


def test_tampered_order_fails_replay_naming_the_turn():
    m = new_model("baseline", 11)
    m.submit("us", StateOrder(oversight=2))
    m.run()
    data = to_saved(m).model_dump(mode="json")
    data["turns"][0]["orders"]["us"]["oversight"] = 0
    with pytest.raises(ReplayError, match="turn 0"):
        replay(load_saved(data))


def test_datacollector_keeps_the_debrief_series():
    m = RaceModel(load_scenario("baseline"), 2)
    m.run()
    df = m.datacollector.get_model_vars_dataframe()
    assert len(df) == len(m.history) + 1
    assert df["us-lab.capability"].is_monotonic_increasing
