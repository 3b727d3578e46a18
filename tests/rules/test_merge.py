"""A state merging its labs into one champion (the `consolidation` scenario)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.actions import (
    IllegalOrderError,
    LabOrder,
    StateOrder,
    check_order,
    has_choice,
    idle_roles,
    legal_actions,
)
from rules.observe import observe, public_state
from rules.scenario import SCENARIO_NAMES, load_scenario
from rules.scoring import scores
from rules.setup import initial_world
from rules.turn import resolve_turn
from rules.world import World
from tests.support.fuzzplay import play_rules
from tests.support.hyp import examples

SC = load_scenario("consolidation")
RACE = [n for n in SCENARIO_NAMES if load_scenario(n).mode == "race"]


def merged_world() -> tuple[World, World]:
    """The world before and after China merges its two labs in the first quarter."""
    w0 = initial_world(SC, np.random.default_rng(0))
    w1, _ = resolve_turn(w0, {"cn": StateOrder(merge_labs=True)}, SC, np.random.default_rng(3))
    return w0, w1


def test_merge_is_offered_only_to_a_state_with_two_racing_labs():
    w0, w1 = merged_world()
    names = lambda w, r: {s["name"] for s in legal_actions(observe(w, r))}  # noqa: E731
    assert "merge_labs" in names(w0, "cn") and "merge_labs" in names(w0, "us")
    assert "merge_labs" not in names(w1, "cn")
    assert "merge_labs" in names(w1, "us")
    baseline = initial_world(load_scenario("baseline"), np.random.default_rng(0))
    assert "merge_labs" not in names(baseline, "us")
    with pytest.raises(IllegalOrderError) as err:
        check_order(StateOrder(merge_labs=True), observe(baseline, "us"))
    assert err.value.field == "merge_labs"


def test_the_champion_pools_compute_and_the_absorbed_lab_stops_racing():
    w0, w1 = merged_world()
    alone, _ = resolve_turn(w0, {}, SC, np.random.default_rng(3))
    champion, absorbed = w1.labs["cn-lab"], w1.labs["cn-lab-2"]
    assert absorbed.merged_into == "cn-lab" and champion.merged_into is None
    # The champion got the other lab's compute, so it grew faster than on its own.
    assert champion.compute > alone.labs["cn-lab"].compute
    assert champion.capability > alone.labs["cn-lab"].capability
    assert absorbed.compute == 0.0 and absorbed.capability == w0.labs["cn-lab-2"].capability
    # Its employee now works at the champion, and nobody tracks the absorbed lab any more.
    assert w1.whistleblowers["cn-wb"].lab == "cn-lab"
    assert all("cn-lab-2" not in s.estimates for s in w1.states.values())
    assert all("cn-lab-2" not in lab.estimates for lab in w1.labs.values())
    assert absorbed.estimates == {}
    assert any(n.kind == "merge" and n.public for n in w1.news)
    # Later quarters leave the absorbed lab where it was.
    w2, _ = resolve_turn(w1, {}, SC, np.random.default_rng(4))
    assert w2.labs["cn-lab-2"].capability == absorbed.capability


def test_a_merged_lab_decides_nothing_and_shares_the_champions_score():
    _, w1 = merged_world()
    obs = observe(w1, "cn-lab-2")
    assert legal_actions(obs) == []
    check_order(LabOrder(), obs)
    with pytest.raises(IllegalOrderError) as err:
        check_order(LabOrder(pause=True), obs)
    assert "merged into cn-lab" in str(err.value)
    assert "cn-lab-2" in idle_roles(public_state(w1))
    s = scores(w1, SC.dynamics)
    assert s["cn-lab-2"] == s["cn-lab"]


@settings(max_examples=examples(40))
@given(name=st.sampled_from(RACE), seed=st.integers(0, 10**6), turns=st.integers(0, 20))
def test_idle_roles_are_exactly_those_with_nothing_to_decide(name, seed, turns):
    """The server's "do not wait for this seat" rule agrees with legal_actions, every role."""
    w = play_rules(name, seed, turns)
    idle = set(idle_roles(public_state(w)))
    for rid in w.role_ids():
        assert (rid in idle) == (not has_choice(legal_actions(observe(w, rid)))), rid
