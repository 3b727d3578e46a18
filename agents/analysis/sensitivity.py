"""Global sensitivity analysis of a scenario: Morris screening, then Sobol indices (SALib).

Which parameters decide the outcome? ``sensitivity`` screens every numeric parameter of
a scenario (``agents.analysis.parameters``) with the method of Morris: ``trajectories``
one-at-a-time paths through the parameter space on a grid of ``levels`` levels, D + 1
points each. It ranks the parameters by mu* (the mean absolute elementary effect, in
units of the output per full range of the parameter) with its 95% bootstrap interval, on
each output: P(rogue ASI) and, for each state, P(ASI built by that state). Then it
estimates Sobol' first-order and total indices (S1, ST, with 95% bootstrap intervals) of
the ``top`` parameters by mu* on ``rank_by``, the others held at the scenario's values,
from a Saltelli sample of ``sobol_n`` (a power of 2) × (top + 2) points.

Every point (a model evaluation) is a batch of ``runs`` bot-only games played with the
same seeds as every other point (common random numbers: a parameter the games never read
has an effect of exactly 0); the points' games run through ``run_tasks``, so on local
processes or a Dask cluster alike, and the result is a pure function of the arguments.
The sampling and the bootstrap draw from ``seed`` too.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import asdict, dataclass

import numpy as np
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from agents.analysis.games import check_overrides
from agents.analysis.parameters import (
    Bounds,
    ParameterRange,
    matches,
    numeric_parameters,
    parameter_ranges,
)
from agents.analysis.points import Design, evaluate, outputs_of
from agents.analysis.runner import Progress
from rules.scenario import load_scenario

CONFIDENCE = 0.95
RESAMPLES = 200
"""Bootstrap resamples behind each interval."""


class DesignError(ValueError):
    """A sensitivity design that cannot run (bad size, unknown output, nothing to vary)."""


@dataclass(frozen=True, slots=True)
class MorrisIndex:
    """Morris measures of one parameter on one output."""

    path: str
    mu: float
    mu_star: float
    mu_star_conf: float
    """Half-width of the 95% bootstrap interval of ``mu_star``."""
    sigma: float


@dataclass(frozen=True, slots=True)
class SobolIndex:
    """Sobol' first-order and total indices of one parameter on one output."""

    path: str
    s1: float
    s1_conf: float
    st: float
    st_conf: float


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """The whole analysis: ranges, Morris ranking per output, Sobol' indices of the top."""

    scenario: str
    overrides: dict[str, str]
    seed: int
    runs: int
    outputs: dict[str, str]
    parameters: list[ParameterRange]
    fixed: list[str]
    bounds: Bounds
    spread: float
    trajectories: int
    levels: int
    morris_points: int
    morris: dict[str, list[MorrisIndex]]
    """Per output, every parameter, largest mu* first."""
    rank_by: str
    sobol_n: int
    sobol_points: int
    sobol_parameters: list[str]
    sobol: dict[str, list[SobolIndex]]
    constant: list[str]
    """Outputs that did not vary over the Sobol' sample (their indices are 0)."""

    @property
    def games(self) -> int:
        """Games played in all."""
        return (self.morris_points + self.sobol_points) * self.runs

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready form."""
        return asdict(self) | {"games": self.games}


def stage_seed(seed: int, stage: int) -> int:
    """A seed for one stage of the analysis (sampling, bootstrap), drawn from ``seed``.

    Never 0: SALib's Sobol' analysis takes a seed of 0 for "no seed" and would then draw
    its bootstrap from numpy's global generator.
    """
    return int(np.random.SeedSequence([seed, stage]).generate_state(1)[0]) or 1


def _problem(ranges: Sequence[ParameterRange]) -> dict[str, object]:
    return {
        "num_vars": len(ranges),
        "names": [r.path for r in ranges],
        "bounds": [[r.low, r.high] for r in ranges],
    }


def _morris(
    ranges: Sequence[ParameterRange], x: np.ndarray, y: np.ndarray, levels: int, seed: int
) -> list[MorrisIndex]:
    si = morris_analyze.analyze(
        _problem(ranges),
        x,
        y,
        num_resamples=RESAMPLES,
        conf_level=CONFIDENCE,
        num_levels=levels,
        seed=seed,
    )
    rows = [
        MorrisIndex(
            r.path,
            round(float(si["mu"][j]), 6),
            round(float(si["mu_star"][j]), 6),
            round(float(si["mu_star_conf"][j]), 6),
            round(float(si["sigma"][j]), 6),
        )
        for j, r in enumerate(ranges)
    ]
    return sorted(rows, key=lambda m: -m.mu_star)  # stable: ties keep the schema's order


def _sobol(ranges: Sequence[ParameterRange], y: np.ndarray, seed: int) -> list[SobolIndex]:
    if float(np.ptp(y)) == 0.0:
        return [SobolIndex(r.path, 0.0, 0.0, 0.0, 0.0) for r in ranges]
    with warnings.catch_warnings():
        # Rows A and B all equal while some AB row differs (a rare event): SALib warns and
        # gives 0 for the estimators concerned, which is what the data say.
        warnings.filterwarnings("ignore", message="Constant values encountered")
        si = sobol_analyze.analyze(
            _problem(ranges),
            y,
            calc_second_order=False,
            num_resamples=RESAMPLES,
            conf_level=CONFIDENCE,
            seed=seed,
        )
    return [
        SobolIndex(
            r.path,
            *(round(float(np.nan_to_num(si[k][j])), 6) for k in ("S1", "S1_conf", "ST", "ST_conf")),
        )
        for j, r in enumerate(ranges)
    ]


def sensitivity(
    scenario: str = "baseline",
    *,
    runs: int = 20,
    trajectories: int = 10,
    levels: int = 4,
    top: int = 4,
    sobol_n: int = 64,
    overrides: Mapping[str, str] | None = None,
    personalities: Mapping[str, str] | None = None,
    bounds: Bounds = "schema",
    spread: float = 0.5,
    only: Sequence[str] = (),
    skip: Sequence[str] = (),
    rank_by: str = "p_rogue",
    seed: int = 0,
    jobs: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    sobol_progress: Progress | None = None,
) -> Sensitivity:
    """Morris screening of the scenario's numeric parameters, then Sobol' on the top ``top``.

    Parameters fixed by ``overrides`` are not varied. ``top=0`` skips the Sobol' stage.

    Raises:
        DesignError: for a bad size (runs, trajectories, levels, top, sobol_n), spread or
            bounds mode, an unknown ``rank_by`` or no parameter to vary.
        ScenarioError: for an unknown scenario or a bad override.
    """
    fixed_by_user = {k: str(v) for k, v in (overrides or {}).items()}
    check_overrides(scenario, fixed_by_user)
    sc = load_scenario(scenario, fixed_by_user)
    outputs = outputs_of(sc)
    _check_sizes(runs, trajectories, levels, top, sobol_n)
    if rank_by not in outputs:
        raise DesignError(f"rank_by must be one of {', '.join(outputs)}, not {rank_by!r}")
    known = [p.path for p in numeric_parameters(sc)]
    for prefix in (*only, *skip):
        if not any(matches(path, [prefix]) for path in known):
            raise DesignError(f"no numeric parameter of {scenario!r} is or lies under {prefix!r}")
    try:
        ranges, fixed = parameter_ranges(
            sc, bounds=bounds, spread=spread, only=only, skip=[*skip, *fixed_by_user]
        )
    except ValueError as exc:
        raise DesignError(str(exc)) from None
    if not ranges:
        raise DesignError("no numeric parameter to vary (check only and skip)")
    design = Design(scenario, fixed_by_user, dict(personalities or {}), runs, seed)
    names = list(outputs)
    x = morris_sample.sample(
        _problem(ranges), trajectories, num_levels=levels, seed=stage_seed(seed, 0)
    )
    y = evaluate(design, ranges, x, names, executor, jobs, progress)
    morris = {
        o: _morris(ranges, x, y[:, j], levels, stage_seed(seed, 1)) for j, o in enumerate(names)
    }
    chosen = [m.path for m in morris[rank_by] if m.mu_star > 0][:top]
    by_path = {r.path: r for r in ranges}
    sub = [by_path[p] for p in chosen]
    sobol: dict[str, list[SobolIndex]] = {}
    constant: list[str] = []
    sobol_points = 0
    if sub:
        xs = sobol_sample.sample(
            _problem(sub), sobol_n, calc_second_order=False, seed=stage_seed(seed, 2)
        )
        ys = evaluate(design, sub, xs, names, executor, jobs, sobol_progress)
        sobol_points = len(xs)
        sobol = {o: _sobol(sub, ys[:, j], stage_seed(seed, 3)) for j, o in enumerate(names)}
        constant = [o for j, o in enumerate(names) if float(np.ptp(ys[:, j])) == 0.0]
    return Sensitivity(
        scenario=scenario,
        overrides=fixed_by_user,
        seed=seed,
        runs=runs,
        outputs=outputs,
        parameters=list(ranges),
        fixed=fixed,
        bounds=bounds,
        spread=spread,
        trajectories=trajectories,
        levels=levels,
        morris_points=len(x),
        morris=morris,
        rank_by=rank_by,
        sobol_n=sobol_n,
        sobol_points=sobol_points,
        sobol_parameters=chosen,
        sobol=sobol,
        constant=constant,
    )


def _check_sizes(runs: int, trajectories: int, levels: int, top: int, sobol_n: int) -> None:
    if runs < 1:
        raise DesignError("runs must be at least 1")
    if trajectories < 2:
        raise DesignError("trajectories must be at least 2")
    if levels < 2 or levels % 2:
        raise DesignError("levels must be an even number, at least 2")
    if top < 0:
        raise DesignError("top must be 0 or more")
    if sobol_n < 2 or sobol_n & (sobol_n - 1):
        raise DesignError(f"sobol_n must be a power of 2 (64, 128, ...), not {sobol_n}")
