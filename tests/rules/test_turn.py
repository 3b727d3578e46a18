"""Turn resolution is pure and deterministic."""

from __future__ import annotations

import numpy as np
import pytest

from rules.actions import LabOrder
from rules.hashing import world_hash
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
