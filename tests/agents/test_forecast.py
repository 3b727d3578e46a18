"""Forecasts: observation shortcut, determinism, intervals, agreement with bot sweeps."""

from __future__ import annotations

import pytest

from agents.analysis.forecast import (
    forecast,
    forecast_model,
    forecast_series,
    snapshot_of,
    snapshots_of_saved,
)
from agents.analysis.stats import wilson
from agents.analysis.sweep import sweep
from agents.saved import ReplayError, new_model, to_saved
from rules.actions import LabOrder


def test_forecast_is_deterministic_for_a_seed_and_independent_of_workers() -> None:
    snap = snapshot_of(new_model("baseline", 5))
    a = forecast(snap, 30, seed=11)
    b = forecast(snap, 30, seed=11, jobs=2)
    c = forecast(snap, 30, seed=12)
    assert a.to_dict() == b.to_dict()
    assert a.to_dict() != c.to_dict()
    assert sum(a.counts.values()) == 30


def test_interval_shrinks_as_rollouts_grow() -> None:
    model = new_model("baseline", 2)
    model.run(turns=6)
    small = forecast_model(model, rollouts=40)
    large = forecast_model(model, rollouts=400, jobs=2)
    for key in small.keys:
        w_small = small.ci(key)[1] - small.ci(key)[0]
        w_large = large.ci(key)[1] - large.ci(key)[0]
        assert w_large < w_small, key
    lo, hi = large.ci("rogue_asi")
    assert lo <= large.p_rogue <= hi
    assert abs(sum(large.p(k) for k in large.keys) - 1.0) < 1e-9


def test_turn0_forecast_agrees_with_a_sweep_of_the_same_hidden_state() -> None:
    """A forecast knows the sealed rolls and the AIs' values; a sweep fixed to them agrees."""
    runs = 300
    model = new_model("baseline", 0)
    world = model.world
    assert all(ai.fallback is None for ai in world.ais.values())  # no compromise to pin
    pinned = {
        "worldview.difficulty_low": str(world.sealed.alignment_difficulty),
        "worldview.difficulty_high": str(world.sealed.alignment_difficulty),
        "worldview.takeoff_low": str(world.sealed.takeoff),
        "worldview.takeoff_high": str(world.sealed.takeoff),
    } | {f"ais.{aid}.values": ai.values for aid, ai in world.ais.items()}
    row = sweep("baseline", runs, pinned, jobs=2)[0]
    fc = forecast(snapshot_of(model), runs, seed=0, jobs=2)
    for outcome in ("rogue_asi", "no_asi"):
        k = round(row["outcomes"][outcome] * runs)
        s_lo, s_hi = wilson(k, runs)
        f_lo, f_hi = fc.ci(outcome)
        assert s_lo <= f_hi and f_lo <= s_hi, (outcome, (s_lo, s_hi), (f_lo, f_hi))
    for sid in ("us", "cn"):
        k = round(row["asi_states"].get(sid, 0.0) * runs)
        s_lo, s_hi = wilson(k, runs)
        f_lo, f_hi = fc.ci(f"corrigible_asi:{sid}")
        assert s_lo <= f_hi and f_lo <= s_hi, (sid, (s_lo, s_hi), (f_lo, f_hi))


def test_human_held_roles_are_played_by_their_bot_in_rollouts() -> None:
    model = new_model("baseline", 4)
    model.submit("us-lab", LabOrder(safety_share=0.5, pause=True))
    model.step()
    fc = forecast_model(model, rollouts=10)
    assert fc.turn == 1 and fc.rollouts == 10
    assert model.world.turn == 1  # the live game is untouched


def test_series_covers_every_turn_and_ends_certain() -> None:
    model = new_model("baseline", 1)
    model.run()
    saved = to_saved(model)
    series = forecast_series(saved, rollouts=8)
    assert [f.turn for f in series[:-1]] == list(range(len(saved.turns)))
    assert len(series) == len(saved.turns) + 1
    assert saved.outcome is not None
    final = series[-1]
    key = (
        "rogue_asi"
        if saved.outcome["kind"] == "rogue_asi"
        else (
            f"corrigible_asi:{saved.outcome['state']}"
            if saved.outcome["kind"] == "corrigible_asi"
            else "no_asi"
        )
    )
    assert final.p(key) == 1.0


def test_tampered_game_is_refused() -> None:
    model = new_model("baseline", 1)
    model.run(turns=3)
    saved = to_saved(model)
    saved.turns[1].hash = "0" * 32
    with pytest.raises(ReplayError):
        snapshots_of_saved(saved)
