"""Sensitivity analysis: Morris screening and Sobol' indices on real bot-only games."""

from __future__ import annotations

import pytest

from agents.analysis.sensitivity import DesignError, sensitivity, stage_seed
from rules.scenario import load_scenario

# A small design on real baseline games: one parameter that decides when an ASI is built,
# one the games never read while the censorship switch is off, two more in between.
MATTERS = "dynamics.asi_threshold"
INERT = "dynamics.censorship_deception_rate"
SMALL = {
    "only": (MATTERS, INERT, "dynamics.assist_multiplier", "labs.us-lab.misalignment"),
    "runs": 12,
    "trajectories": 4,
    "top": 2,
    "sobol_n": 8,
}
# Smaller still where only determinism is tested (the same seed, the same analysis).
TINY = {**SMALL, "runs": 4, "trajectories": 2, "sobol_n": 4}


def test_morris_ranks_a_parameter_that_matters_above_one_the_games_never_read() -> None:
    assert load_scenario("baseline").dynamics.censorship_deception is False
    sens = sensitivity("baseline", jobs=2, **SMALL)  # type: ignore[arg-type]
    assert sens.morris_points == 4 * (4 + 1)
    assert set(sens.outputs) == {"p_rogue", "p_asi_us", "p_asi_cn"}
    for out, ranked in sens.morris.items():
        inert = next(m for m in ranked if m.path == INERT)
        assert inert.mu_star == 0 and inert.sigma == 0, out  # same seeds, same games
        assert ranked[-1].mu_star == 0
    # When the ASI comes, if at all within the horizon, moves who builds it: the threshold
    # has an effect on every output and ranks above the inert parameter. (Its size on a
    # 12-game design is noise: 0.16-0.28 on US builds between rules versions.)
    for out, ranked_here in sens.morris.items():
        paths = [m.path for m in ranked_here]
        assert paths.index(MATTERS) < paths.index(INERT), out
        assert next(m for m in ranked_here if m.path == MATTERS).mu_star > 0, out
    assert sens.morris["p_rogue"][0].mu_star > 0  # something moves P(rogue ASI)
    # Sobol' takes the top two by mu* on P(rogue ASI), never one without an effect (on 12
    # games a point a rogue ASI is rare: a parameter that moves P(rogue) may move none).
    top = [m.path for m in sens.morris["p_rogue"][:2] if m.mu_star > 0]
    assert sens.sobol_parameters == top and INERT not in top
    assert sens.sobol_points == 8 * (len(top) + 2)
    assert all(s.st > 0 for s in sens.sobol["p_rogue"] if s.path == top[0])


def test_sobol_never_takes_a_parameter_without_an_effect() -> None:
    """Asked for the top two of two parameters, one of which the games never read."""
    sens = sensitivity("baseline", jobs=2, **{**SMALL, "only": (MATTERS, INERT)})  # type: ignore[arg-type]
    assert sens.sobol_parameters == [MATTERS]
    assert sens.sobol_points == 8 * (1 + 2)


def test_the_analysis_is_a_function_of_its_seed() -> None:
    a = sensitivity("baseline", seed=0, jobs=2, **TINY)  # type: ignore[arg-type]
    b = sensitivity("baseline", seed=0, jobs=1, **TINY)  # type: ignore[arg-type]
    c = sensitivity("baseline", seed=1, jobs=2, **TINY)  # type: ignore[arg-type]
    assert a.to_dict() == b.to_dict()
    assert a.to_dict() != c.to_dict()
    assert stage_seed(0, 3) != 0 and stage_seed(0, 3) != stage_seed(0, 2)


def test_the_analysis_on_a_dask_cluster_is_the_local_one(dask_address: str) -> None:
    from agents.analysis.cluster import cluster_executor

    local = sensitivity("baseline", seed=3, jobs=2, **TINY)  # type: ignore[arg-type]
    with cluster_executor(dask_address) as executor:
        remote = sensitivity("baseline", seed=3, executor=executor, **TINY)  # type: ignore[arg-type]
    assert remote.to_dict() == local.to_dict()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sobol_n": 12}, "power of 2"),
        ({"levels": 3}, "even number"),
        ({"runs": 0}, "runs must be at least 1"),
        ({"only": ("dynamcs",)}, "'dynamcs'"),
        ({"rank_by": "p_asi_mars"}, "p_asi_mars"),
        ({"spread": 1.5}, "spread"),
    ],
)
def test_a_design_that_cannot_run_is_refused_before_any_game(kwargs, message) -> None:
    with pytest.raises(DesignError, match=message):
        sensitivity("baseline", jobs=1, **kwargs)
