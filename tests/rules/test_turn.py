"""Turn resolution is pure and deterministic."""

from __future__ import annotations

import numpy as np
import pytest

from rules.actions import LabOrder
from rules.hashing import world_hash
from rules.observe import observe
from rules.scenario import load_scenario
from rules.setup import initial_world
from rules.turn import GameOverError, resolve_turn


def test_resolve_does_not_touch_its_input_and_is_repeatable():
    sc = load_scenario("baseline")
    w0 = initial_world(sc, np.random.default_rng(0))
    h0 = world_hash(w0)
    a, news_a = resolve_turn(w0, {"us-lab": LabOrder(pause=True)}, sc, np.random.default_rng(5))
    b, news_b = resolve_turn(w0, {"us-lab": LabOrder(pause=True)}, sc, np.random.default_rng(5))
    assert world_hash(w0) == h0
    assert world_hash(a) == world_hash(b) and news_a == news_b
    assert a.turn == 1 and a.labs["us-lab"].paused


def test_a_pause_slows_the_lab():
    sc = load_scenario("baseline")
    w0 = initial_world(sc, np.random.default_rng(0))
    run, _ = resolve_turn(w0, {}, sc, np.random.default_rng(1))
    pause, _ = resolve_turn(w0, {"us-lab": LabOrder(pause=True)}, sc, np.random.default_rng(1))
    assert pause.labs["us-lab"].capability < run.labs["us-lab"].capability


def test_injected_event_changes_the_world_and_the_feed():
    sc = load_scenario("baseline")
    w0 = initial_world(sc, np.random.default_rng(0))
    w1, news = resolve_turn(w0, {}, sc, np.random.default_rng(1), ["oversight_committee"])
    assert int(w1.states["us"].oversight) >= 2
    assert any(n.kind == "event:oversight_committee" for n in news)
    with pytest.raises(KeyError):
        resolve_turn(w0, {}, sc, np.random.default_rng(1), ["alien_invasion"])


def test_horizon_ends_the_game():
    sc = load_scenario("baseline", {"turns": "2", "dynamics.asi_threshold": "1000"})
    w = initial_world(sc, np.random.default_rng(0))
    rng = np.random.default_rng(0)
    w, _ = resolve_turn(w, {}, sc, rng)
    w, _ = resolve_turn(w, {}, sc, rng)
    assert w.outcome is not None and w.outcome.kind == "no_asi"
    with pytest.raises(GameOverError):
        resolve_turn(w, {}, sc, rng)


class CountingRandom:
    """A random source that counts its draws (the rules' stream, watched)."""

    def __init__(self, seed: int) -> None:
        self.gen = np.random.default_rng(seed)
        self.draws = 0

    def random(self) -> float:
        self.draws += 1
        return float(self.gen.random())

    def normal(self, loc: float, scale: float) -> float:
        self.draws += 1
        return float(self.gen.normal(loc, scale))


@pytest.mark.parametrize("scenario", ["baseline", "consolidation", "ai-2027-race"])
def test_the_rules_draw_the_same_dice_whatever_the_orders(scenario):
    """Common random numbers: no order changes how many numbers a quarter draws, so two games
    that differ in one seat's play see the same dice everywhere else."""
    from tests.support.fuzzplay import random_order

    sc = load_scenario(scenario)
    picker = np.random.default_rng(7)
    for seed in range(6):
        world = initial_world(sc, np.random.default_rng(seed))
        counts = set()
        for trial in range(8):
            orders = {}
            if trial:  # trial 0: nobody orders anything
                for rid in world.role_ids():
                    order = random_order(observe(world, rid), picker)
                    if order is not None:
                        orders[rid] = order
            rng = CountingRandom(seed)
            nxt, _ = resolve_turn(world, orders, sc, rng, ["warning_shot"] if trial == 7 else None)
            counts.add(rng.draws)
            if trial == 1 and not nxt.done:
                world = nxt  # move on to a later, different quarter for the next trials
        assert len(counts) == 1, f"{scenario} seed {seed}: draws per quarter vary: {counts}"
