"""The one engine: Mesa and bare loops agree, one seed scheme, one runner, canonical hashes."""

from __future__ import annotations

import json
import math
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pytest
from scipy import stats as scipy_stats

from agents.analysis.games import GameTask, play_games, play_one
from agents.analysis.runner import chunks, run_tasks
from agents.analysis.stats import (
    diff_ci,
    hidden_share_ci,
    mean_ci,
    paired_ratio_ci,
    quantile,
    spread_ci,
    wilson,
    z_for,
)
from agents.analysis.sweep import sweep
from agents.engine import (
    GameResult,
    decide_with,
    default_personalities,
    new_game,
    play_game,
    play_turn,
    policies_for,
)
from agents.model import RaceModel
from agents.saved import RulesVersionError, new_model, replay, to_saved
from agents.seeds import game_rng
from rules.hashing import canonical_text, world_hash
from rules.scenario import SCENARIO_NAMES, load_scenario
from rules.setup import initial_world
from server.cli import main

RACE = [n for n in SCENARIO_NAMES if load_scenario(n).mode == "race"]


def bare_hashes(scenario: str, seed: int) -> list[str]:
    sc = load_scenario(scenario)
    world, streams = new_game(sc, game_rng(seed))
    who = default_personalities(sc)
    decide = decide_with(policies_for(world, who, who), streams)
    out = []
    while not world.done:
        world = play_turn(world, sc, {}, decide, streams.rules).world
        out.append(world_hash(world))
    return out


@pytest.mark.parametrize("scenario", RACE)
def test_mesa_and_bare_loops_reach_the_same_worlds(scenario: str) -> None:
    for seed in range(12):
        model = RaceModel(load_scenario(scenario), seed, collect=False)
        model.run()
        assert [r.hash for r in model.history] == bare_hashes(scenario, seed), (scenario, seed)


def test_a_sweep_plays_the_games_simulate_plays() -> None:
    results = play_games(GameTask("baseline", seed=40, indices=range(5)))
    for i, g in enumerate(results):
        model = new_model("baseline", 40 + i, collect=False)
        model.run()
        assert g.seed == 40 + i
        assert g.final_hash == world_hash(model.world)
        assert g.final_hash == play_one("baseline", 40 + i).final_hash


def test_one_and_two_varied_parameters_estimate_a_cell_from_the_same_games() -> None:
    one = sweep("baseline", 30, axes=[("states.us.oversight", ["committee", "embedded"])], seed=7)
    two = sweep(
        "baseline",
        30,
        axes=[
            ("states.us.oversight", ["committee", "embedded"]),
            ("officials.us-official.career_pressure", ["0.25"]),  # the scenario's own value
        ],
        seed=7,
    )
    assert len(one) == len(two) == 2
    for a, b in zip(one, two, strict=True):
        assert a["values"]["states.us.oversight"] == b["values"]["states.us.oversight"]
        for key in (
            "outcomes",
            "asi_states",
            "by_builder",
            "asi_turn",
            "p_rogue_at_build",
            "hidden_share",
        ):
            assert a[key] == b[key], key


def test_results_do_not_depend_on_the_workers() -> None:
    tasks = [GameTask("baseline", seed=3, indices=part) for part in chunks(12, 5)]
    alone = run_tasks(play_games, tasks, jobs=1)
    pooled = run_tasks(play_games, tasks, jobs=2)
    with ThreadPoolExecutor(3) as pool:
        threaded = run_tasks(play_games, tasks, pool)
    assert alone == pooled == threaded
    assert [g.seed for part in alone for g in part] == list(range(3, 15))


def test_an_arm_played_in_two_rounds_is_the_arm_played_at_once() -> None:
    """Game ``i`` is the same game whatever the batch: the first 5 games, then the 7 from
    ``start=5``, are the 12 games played in one go (what test_claims' arms rely on)."""
    assert chunks(12, 5, start=5) == [range(5, 10), range(10, 12)]

    def play(parts: list[range]) -> list[GameResult]:
        tasks = [GameTask("baseline", seed=3, indices=part) for part in parts]
        return [g for part in run_tasks(play_games, tasks, jobs=1) for g in part]

    assert play(chunks(5, 5)) + play(chunks(12, 5, start=5)) == play(chunks(12, 5))


def test_progress_counts_units_up_to_the_total() -> None:
    seen: list[tuple[int, int]] = []
    run_tasks(len, ["ab", "cde", ""], jobs=1, progress=lambda d, t: seen.append((d, t)), size=len)
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_game_from_another_rules_version_is_refused_naming_both() -> None:
    model = new_model("baseline", 2)
    model.run(turns=2)
    saved = to_saved(model)
    saved.rules_version = "0.9"
    with pytest.raises(RulesVersionError) as err:
        replay(saved)
    assert "0.9" in str(err.value) and model.rules_version in str(err.value)


def test_the_replay_command_names_both_versions(tmp_path, capsys) -> None:
    model = new_model("baseline", 2)
    model.run(turns=1)
    saved = to_saved(model)
    saved.rules_version = "0.9"
    path = tmp_path / "old.json"
    path.write_text(saved.model_dump_json())
    code = main(["replay", str(path), "--verify"])
    err = capsys.readouterr().err
    assert code == 1
    assert "0.9" in err and model.rules_version in err


@dataclass
class _Renamed:
    """Two fields in the other order, under another class name."""

    b: list[int]
    a: float


@dataclass
class _Original:
    a: float
    b: list[int]


def test_canonical_text_ignores_class_names_field_order_and_dict_order() -> None:
    assert canonical_text(_Original(0.1, [1, 2])) == canonical_text(_Renamed([1, 2], 0.1))
    assert canonical_text({"x": 1, "y": 2}) == canonical_text({"y": 2, "x": 1})
    assert canonical_text(_Original(0.1, [1, 2])) != canonical_text(_Original(0.1, [2, 1]))
    assert json.loads(canonical_text(_Original(0.1, [1]))) == {"a": 0.1, "b": [1]}


def test_world_hash_changes_with_any_value_hidden_ones_too() -> None:
    world = initial_world(load_scenario("baseline"), game_rng(0))
    before = world_hash(world)
    assert world_hash(world.clone()) == before
    world.labs["us-lab"].misalignment += 1e-12
    assert world_hash(world) != before


def test_wilson_interval_known_values() -> None:
    lo, hi = wilson(5, 10)
    assert lo == pytest.approx(0.2366, abs=1e-4) and hi == pytest.approx(0.7634, abs=1e-4)
    lo, hi = wilson(0, 10)
    assert lo == 0.0 and hi == pytest.approx(0.2775, abs=1e-4)
    lo, hi = wilson(81, 263)
    assert lo == pytest.approx(0.2553, abs=1e-4) and hi == pytest.approx(0.3662, abs=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)


def test_bonferroni_widens_each_interval() -> None:
    assert z_for(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_for(0.95, 5) == pytest.approx(2.575829, abs=1e-6)
    narrow = wilson(30, 100)
    wide = wilson(30, 100, z_for(0.95, 10))
    assert wide[0] < narrow[0] and wide[1] > narrow[1]


def test_mean_diff_and_quantile_known_values() -> None:
    mean, (lo, hi) = mean_ci([1.0, 2.0, 3.0, 4.0])
    assert mean == 2.5
    assert hi - lo == pytest.approx(2 * 1.959964 * 1.290994 / 2, abs=1e-5)
    d, (dlo, dhi) = diff_ci(60, 100, 40, 100)
    assert d == pytest.approx(0.2) and dlo == pytest.approx(0.2 - 1.959964 * 0.069282, abs=1e-5)
    assert dhi == pytest.approx(0.2 + 1.959964 * 0.069282, abs=1e-5)
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert quantile([5.0], 0.9) == 5.0
    assert quantile([0.0, 10.0], 0.1) == pytest.approx(1.0)


def test_paired_ratio_interval_known_values() -> None:
    # Every denominator 1: the ratios are means, and the interval is the paired mean's.
    a, b, ones = [1.0, 0.0, 1.0, 1.0, 0.0], [0.0, 0.0, 1.0, 0.0, 0.0], [1.0] * 5
    d, ci = paired_ratio_ci(a, ones, b, ones)
    m, mci = mean_ci([x - y for x, y in zip(a, b, strict=True)])
    assert d == pytest.approx(m) and ci == pytest.approx(mci)
    # By hand: R_a = 2/4 = 0.5 and R_b = 1/2 = 0.5 over 4 trials; each trial's
    # contribution (x_a - 0.5 y_a) / 1 - (x_b - 0.5 y_b) / 0.5 is 0.5, -1.5, 0.5, 0.5
    # (mean 0, sample variance 3/3 = 1), so the half-width is 1.96 * sqrt(1 / 4).
    d, (lo, hi) = paired_ratio_ci(
        [1.0, 0.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0], [0.0, 1.0, 0.0, 0.0], [0.0, 1.0, 1.0, 0.0]
    )
    half = 1.959964 * math.sqrt(1 / 4)
    assert d == 0.0 and lo == pytest.approx(-half, abs=1e-5) and hi == pytest.approx(half, abs=1e-5)
    with pytest.raises(ValueError, match="sum to zero"):
        paired_ratio_ci([0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="different lengths"):
        paired_ratio_ci([0.0], [1.0, 1.0], [1.0, 0.0], [1.0, 1.0])


def test_paired_ratio_interval_covers_the_true_difference() -> None:
    """Share of successes among events, two paired arms with known shares 0.4 and 0.5:
    over 400 seeded replicates of 600 trials the 95% interval holds the true -0.1 in
    about 95% of them (the Wilson interval of the count must contain 0.95)."""
    rng = np.random.default_rng(20261206)
    held = 0
    for _ in range(400):
        event = rng.random((600, 2)) < [0.7, 0.6]  # each arm's trials that built anything
        shared = rng.random(600)  # common random numbers: the arms' shares are correlated
        num_a = (event[:, 0] & (shared < 0.4)).astype(float)
        num_b = (event[:, 1] & (shared < 0.5)).astype(float)
        _, (lo, hi) = paired_ratio_ci(
            num_a.tolist(),
            event[:, 0].astype(float).tolist(),
            num_b.tolist(),
            event[:, 1].astype(float).tolist(),
        )
        held += lo <= -0.1 <= hi
    lo, hi = wilson(held, 400)
    assert lo <= 0.95 <= hi, held


def test_hidden_share_known_values() -> None:
    # Every trial at the same odds: the final die is all the variance.
    assert hidden_share_ci([0.2] * 5) == (pytest.approx(0.0), (0.0, 0.0))
    # Every trial decided before the die (odds 0 or 1): the die adds nothing.
    share, (lo, hi) = hidden_share_ci([0.0, 1.0, 1.0, 0.0])
    assert share == pytest.approx(1.0) and lo == pytest.approx(1.0) and hi == 1.0
    # By hand: odds 0.1 and 0.3, mean 0.2, Var(p) = 0.01, pbar (1 - pbar) = 0.16.
    share, _ = hidden_share_ci([0.1, 0.3])
    assert share == pytest.approx(0.0625)
    with pytest.raises(ValueError, match="no variance"):
        hidden_share_ci([0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        hidden_share_ci([0.5, 1.5])


def test_hidden_share_interval_covers_the_true_share() -> None:
    """Odds drawn from Beta(0.5, 2.5), skewed as the risk at build is (most builds safe, a
    few very risky), whose share is 1 / (a + b + 1) = 0.25: over 400 seeded replicates of
    600 trials the 95% interval holds it in about 95% of them."""
    rng = np.random.default_rng(20261206)
    held = 0
    for _ in range(400):
        _, (lo, hi) = hidden_share_ci(rng.beta(0.5, 2.5, 600).tolist())
        held += lo <= 0.25 <= hi
    lo, hi = wilson(held, 400)
    assert lo <= 0.95 <= hi, held


def test_spread_known_values() -> None:
    # 0, 0.01, ..., 1: the 10th and 90th percentiles are 0.1 and 0.9.
    grid = [i / 100 for i in range(101)]
    spread, (lo, hi) = spread_ci(grid)
    assert spread == pytest.approx(0.8)
    assert lo < 0.8 < hi and hi - lo < 0.2
    # Every value the same: no spread, and no resample can have any.
    assert spread_ci([0.3] * 50) == (pytest.approx(0.0), (pytest.approx(0.0), pytest.approx(0.0)))
    # The same seed gives the same interval; a wider correction a wider one.
    assert spread_ci(grid, seed=3) == spread_ci(grid, seed=3)
    _, (wlo, whi) = spread_ci(grid, z_for(0.95, 20))
    assert wlo < lo and whi > hi
    assert spread_ci(grid, low=0.25, high=0.75)[0] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="two values"):
        spread_ci([0.5])
    with pytest.raises(ValueError, match="low < high"):
        spread_ci(grid, low=0.9, high=0.1)


def test_spread_interval_covers_the_true_spread() -> None:
    """Odds drawn from Beta(0.5, 2.5), skewed as the risk at build is: over 200 seeded
    replicates of 600 draws the 95% interval holds the true 10th-90th spread in about
    95% of them."""
    true = float(np.diff(scipy_stats.beta.ppf([0.1, 0.9], 0.5, 2.5))[0])
    rng = np.random.default_rng(20261206)
    held = 0
    for i in range(200):
        _, (lo, hi) = spread_ci(rng.beta(0.5, 2.5, 600).tolist(), seed=i, resamples=1000)
        held += lo <= true <= hi
    lo, hi = wilson(held, 200)
    assert lo <= 0.95 <= hi, held


def test_play_game_result_matches_its_world() -> None:
    """A game result is read off the world the Mesa model reaches with the same seed, for
    each kind of ending (seeds are taken in order until all three have occurred)."""
    sc = load_scenario("baseline")
    labs = {lab.id: lab.state for lab in sc.labs}
    kinds: set[str] = set()
    for seed in range(40):
        if len(kinds) == 3 and seed >= 6:
            break
        g = play_game(sc, seed, default_personalities(sc))
        model = RaceModel(sc, seed, collect=False)
        model.run()
        out = model.world.outcome
        assert out is not None
        assert (g.outcome, g.lab, g.state, g.turn) == (out.kind, out.lab, out.state, out.turn)
        assert g.turns_played == g.turn + 1 == len(model.history)
        assert g.scores == model.scores() and g.final_hash == world_hash(model.world)
        if g.outcome == "no_asi":
            assert g.lab is None and g.state is None and g.turn == sc.turns - 1
        else:
            assert g.lab in labs and g.state == labs[g.lab]
        kinds.add(g.outcome)
    assert kinds == {"rogue_asi", "corrigible_asi", "no_asi"}


def test_a_failed_task_drops_the_rest_from_a_shared_executor() -> None:
    """A shared executor (the server's analysis pool) stops working for a job that failed:
    tasks not yet started are cancelled (one worker: at most the one running goes on)."""
    release = threading.Event()
    ran: list[int] = []

    def task(i: int) -> int:
        if i == 0:
            raise ValueError("boom")
        release.wait(10)
        ran.append(i)
        return i

    with ThreadPoolExecutor(max_workers=1) as pool:
        with pytest.raises(ValueError, match="boom"):
            run_tasks(task, list(range(10)), pool)
        release.set()
    assert set(ran) <= {1}, ran
