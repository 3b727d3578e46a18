"""Turning points: the fork replays its quarter, paired intervals, shared rollouts, determinism."""

from __future__ import annotations

from dataclasses import replace

import pytest

from agents.analysis.forecast import replay_saved
from agents.analysis.rollouts import RolloutBank
from agents.analysis.stats import paired_diff_ci
from agents.analysis.turning_points import Candidate, candidates, fork_world, turning_points
from agents.saved import SavedGame, new_model, to_saved
from rules.actions import AIOrder, LabOrder, StateOrder


@pytest.fixture(scope="module")
def played() -> SavedGame:
    """A game with people in two seats, an injected event and a fork's fresh secret."""
    model = new_model("baseline", 4, secret="5e" * 32)
    model.submit("us-lab", LabOrder(safety_share=0.3))
    model.step()
    model.submit("us-ai", AIOrder(action="sandbag"))
    model.inject("controls_relaxed")
    model.step()
    model.reseed("a7" * 32)  # a fork from turn 2 on: its dice come from another secret
    model.submit("cn", StateOrder(subsidy=model.world.states["cn"].subsidy + 1))
    model.step()
    model.run()
    return to_saved(model)


def test_paired_interval_matches_newcombe_and_narrows_with_agreeing_pairs() -> None:
    # Newcombe's square-and-add interval for paired proportions (Statistics in Medicine
    # 17:2635, method 10), as in the contingencytables package's chapter 8 example.
    d, (lo, hi) = paired_diff_ci(59, 6, 16, 80)
    assert d == pytest.approx(-0.0621, abs=1e-4)
    assert lo == pytest.approx(-0.1186, abs=1e-4) and hi == pytest.approx(-0.0046, abs=1e-4)
    # 6 rogue in 30 both ways: paired, the interval is far narrower than unpaired.
    _, (plo, phi) = paired_diff_ci(6, 0, 0, 24)
    assert -0.12 < plo < 0 < phi < 0.12
    _, (wide_lo, wide_hi) = paired_diff_ci(3, 3, 3, 21)
    assert wide_lo < plo and wide_hi > phi
    with pytest.raises(ValueError):
        paired_diff_ci(0, 0, 0, 0)


def test_a_fork_with_the_order_given_replays_the_game_exactly(played: SavedGame) -> None:
    snaps, dice = replay_saved(played)
    assert len(dice) == len(played.turns) == len(snaps) - 1
    for c in candidates(played, snaps):
        # The decision itself in place of its alternative: the same dice, the same orders,
        # the same events give the game's own next world, forks and reseeds included.
        same = replace(c, alternative=c.order)
        assert fork_world(played, snaps, dice, same) == snaps[c.turn + 1].world
        fork = fork_world(played, snaps, dice, c)
        assert fork.turn == snaps[c.turn + 1].world.turn and fork != snaps[c.turn].world
    for st in played.turns:
        wire = {**st.orders, **st.bot_orders}
        role = next(iter(st.bot_orders))
        c = Candidate(st.turn, role, False, wire[role], wire[role], "", "")
        assert fork_world(played, snaps, dice, c) == snaps[st.turn + 1].world


def test_turning_points_are_deterministic_and_independent_of_workers(played: SavedGame) -> None:
    a = turning_points(played, top=3, rollouts=8, screen_rollouts=4)
    b = turning_points(played, top=3, rollouts=8, screen_rollouts=4, jobs=2)
    assert [tp.to_dict() for tp in a] == [tp.to_dict() for tp in b]
    assert len(a) == 3
    assert [abs(tp.delta_rogue) for tp in a] == sorted(
        (abs(tp.delta_rogue) for tp in a), reverse=True
    )
    for tp in a:
        assert tp.rollouts == 8 and 0 <= tp.changed <= 8
        assert tp.delta_ci[0] <= tp.delta_rogue <= tp.delta_ci[1]
        assert tp.delta_rogue == pytest.approx(tp.p_rogue - tp.p_rogue_alternative)


def test_the_game_arm_is_the_forecast_series_and_is_computed_once(played: SavedGame) -> None:
    snaps, dice = replay_saved(played)
    bank = RolloutBank(played.seed)
    for t, snap in enumerate(snaps):
        bank.need(("turn", t), snap, range(6))
    tps = turning_points(
        played, top=100, rollouts=6, screen_rollouts=2, snaps=snaps, dice=dice, bank=bank
    )
    cands = candidates(played, snaps)
    assert len(tps) == len(cands)  # all measured: nothing to screen out
    # The series' rollouts and one fork arm per candidate, nothing computed twice.
    assert bank.computed == 6 * len(snaps) + 6 * len(cands)
    alone = turning_points(played, top=100, rollouts=6, screen_rollouts=2)
    assert [tp.to_dict() for tp in tps] == [tp.to_dict() for tp in alone]


def test_many_candidates_are_screened_on_other_rollouts(played: SavedGame) -> None:
    snaps, dice = replay_saved(played)
    cands = candidates(played, snaps)
    assert len(cands) > 6
    bank = RolloutBank(played.seed)
    tps = turning_points(
        played, top=2, rollouts=40, screen_rollouts=2, snaps=snaps, dice=dice, bank=bank
    )
    assert len(tps) == 2 and all(tp.rollouts == 40 for tp in tps)
    # Screening on indices 40-41 of every arm, then 40 rollouts of the two chosen only.
    assert bank.computed < 40 * len(cands)


def test_the_bank_refuses_one_key_for_two_snapshots(played: SavedGame) -> None:
    snaps, _ = replay_saved(played)
    bank = RolloutBank(1)
    bank.need("k", snaps[0], range(2))
    with pytest.raises(ValueError, match="two snapshots"):
        bank.need("k", snaps[1], range(2))
