"""Forecasts: observation shortcut, determinism, intervals, agreement with bot sweeps."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from agents.analysis.forecast import (
    forecast,
    forecast_model,
    forecast_series,
    outcome_key,
    snapshot_of,
    snapshots_of_saved,
)
from agents.analysis.stats import wilson
from agents.analysis.sweep import sweep
from agents.analysis.tournament import other
from agents.model import RaceModel
from agents.saved import ReplayError, new_model, to_saved
from agents.seeds import rollout_rng
from rules.actions import LabOrder, order_to_wire


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
    # Each interval is the Wilson interval of the reported count over the rollouts.
    assert sum(large.counts.values()) == large.rollouts == 400
    out = large.to_dict()["outcomes"]
    for key in large.keys:
        k = large.counts[key]
        assert large.ci(key) == wilson(k, 400), key
        assert out[key] == {
            "p": round(k / 400, 4),
            "ci": [round(x, 4) for x in wilson(k, 400)],
            "count": k,
        }


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


def _after_a_human_turn(order: LabOrder) -> RaceModel:
    """A baseline game where a person held us-lab and gave ``order`` in the first quarter."""
    model = new_model("baseline", 4, collect=False)
    model.submit("us-lab", order)
    model.step()
    return model


def test_human_held_roles_are_played_by_their_bot_in_rollouts() -> None:
    """Rollout i is the game played on by the Mesa model from rollout i's generator with no
    human orders: every seat, the one the person held too, decided by its bot."""
    human = LabOrder(safety_share=0.5, pause=True)
    model = _after_a_human_turn(human)
    rollouts, seed = 12, 9
    fc = forecast_model(model, rollouts=rollouts, seed=seed)
    assert fc.turn == 1 and fc.rollouts == rollouts
    assert model.world.turn == 1 and model.history[-1].human_orders  # the live game is untouched
    counts: Counter[str] = Counter()
    finals: list[dict[str, float]] = []
    lab_orders = []
    for i in range(rollouts):
        again = _after_a_human_turn(human)
        again.draw_from(rollout_rng(seed, 1, i))  # what rollout i draws from
        again.run()
        assert again.world.outcome is not None
        counts[outcome_key(again.world.outcome.kind, again.world.outcome.state)] += 1
        finals.append(again.scores())
        for rec in again.history[1:]:
            assert rec.human_orders == {} and "us-lab" in rec.bot_orders
            lab_orders.append(rec.bot_orders["us-lab"])
    assert fc.counts == {k: counts[k] for k in fc.keys}
    for rid, mean in fc.mean_scores.items():
        assert mean == pytest.approx(sum(f[rid] for f in finals) / rollouts), rid
    # The bot played the seat: not the person's last order over and over.
    assert any(o != order_to_wire(human) for o in lab_orders)
    # And which bot plays it matters: the other personality gives other rollouts.
    snap = snapshot_of(model)
    swapped = other("lab", snap.personalities["us-lab"])
    flipped = replace(snap, personalities=snap.personalities | {"us-lab": swapped})
    assert forecast(flipped, rollouts, seed=seed).mean_scores != fc.mean_scores


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
