"""Monte Carlo sweeps: outcome odds over seeds, for every cell of a grid of parameters.

``sweep`` plays ``runs`` bot-only games in every cell of the Cartesian product of its axes
(none: one cell; one axis: a table; two or more: a grid). Every cell plays games with
seeds ``seed .. seed + runs - 1`` (common random numbers, ``agents.seeds``), so one and
two varied parameters estimate the same cell from the same games, and any game can be
replayed with ``precipice simulate --seed``. ``summarise`` turns a list of game results
into the row every analysis reports.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from typing import Any

from agents.analysis.games import GameTask, check_overrides, pairs, play_games
from agents.analysis.runner import Progress, chunks, run_tasks
from agents.analysis.stats import hidden_share_ci, quantile, spread_ci, wilson
from agents.engine import GameResult

OUTCOMES = ("rogue_asi", "corrigible_asi", "no_asi")
Axis = tuple[str, list[str]]
CHUNK = 50
"""Games per task: large enough to amortise a task's overhead, small enough to balance."""


def summarise(results: Sequence[GameResult]) -> dict[str, Any]:
    """The outcome row of a batch of games (see ``sweep`` for its fields).

    Raises:
        ValueError: for an empty batch.
    """
    n = len(results)
    if n == 0:
        raise ValueError("no games")
    counts = Counter(r.outcome for r in results)
    lo, hi = wilson(counts["rogue_asi"], n)
    won = Counter(r.state for r in results if r.outcome == "corrigible_asi" and r.state)
    built = [r for r in results if r.outcome != "no_asi"]
    builders: dict[str, dict[str, Any]] = {}
    for sid in sorted({r.state for r in built if r.state}):
        mine = [r for r in built if r.state == sid]
        rogue = sum(1 for r in mine if r.outcome == "rogue_asi")
        blo, bhi = wilson(rogue, len(mine))
        builders[sid] = {
            "asi": len(mine),
            "rogue": rogue,
            "p_rogue": round(rogue / len(mine), 4),
            "p_rogue_ci": [round(blo, 4), round(bhi, 4)],
        }

    def kind(r: GameResult) -> str:
        v = r.values.get(r.lab or "", "")
        return "compromise" if "+" in v else v

    by_values: dict[str, dict[str, Any]] = {}
    for v in sorted({kind(r) for r in built} - {""}):
        mine = [r for r in built if kind(r) == v]
        rogue = sum(1 for r in mine if r.outcome == "rogue_asi")
        vlo, vhi = wilson(rogue, len(mine))
        by_values[v] = {
            "asi": len(mine),
            "rogue": rogue,
            "p_rogue": round(rogue / len(mine), 4),
            "p_rogue_ci": [round(vlo, 4), round(vhi, 4)],
        }
    dist = Counter(r.distribution for r in results if r.outcome == "corrigible_asi")
    turns = [float(r.turn) for r in built]
    at_build = [r.p_rogue for r in built if r.p_rogue is not None]
    return {
        "runs": n,
        "outcomes": {o: counts[o] / n for o in OUTCOMES},
        "p_disaster": counts["rogue_asi"] / n,
        "ci": [round(lo, 4), round(hi, 4)],
        "asi_states": {s: c / n for s, c in sorted(won.items())},
        "distribution": {d: c / n for d, c in sorted(dist.items()) if d},
        "by_builder": builders,
        "by_ai_values": by_values,
        "asi_turn": _spread(turns, ("median", "p10", "p90"), (0.5, 0.1, 0.9)),
        "p_rogue_at_build": _risk_at_build(at_build),
        "hidden_share": _hidden_share(at_build),
    }


def _hidden_share(at_build: list[float]) -> dict[str, Any] | None:
    """The share of rogue-or-not's variance (given an ASI) that the risk at build explains."""
    try:
        share, (lo, hi) = hidden_share_ci(at_build)
    except ValueError:  # fewer than two ASIs, or none of them had any chance either way
        return None
    return {"share": round(share, 4), "ci": [round(lo, 4), round(hi, 4)]}


def _risk_at_build(at_build: list[float]) -> dict[str, Any] | None:
    """Quantiles of the risk at build, and the 10th-90th spread with its 95% bootstrap interval."""
    out: dict[str, Any] | None = _spread(at_build, ("p10", "p50", "p90"), (0.1, 0.5, 0.9))
    if out is None or len(at_build) < 2:
        return out
    width, (lo, hi) = spread_ci(at_build)
    return out | {"spread": round(width, 4), "spread_ci": [round(lo, 4), round(hi, 4)]}


def _spread(
    xs: list[float], names: tuple[str, ...], qs: tuple[float, ...]
) -> dict[str, float] | None:
    if not xs:
        return None
    return {name: round(quantile(xs, q), 4) for name, q in zip(names, qs, strict=True)}


def cells(axes: Sequence[Axis]) -> list[dict[str, str]]:
    """Every combination of the axes' values, the first axis varying slowest.

    Raises:
        ValueError: for an axis without values or a parameter varied twice.
    """
    names = [a[0] for a in axes]
    if len(set(names)) != len(names):
        raise ValueError(f"vary each parameter once, not {names}")
    for name, values in axes:
        if not values:
            raise ValueError(f"{name}: give at least one value")
    return [
        dict(zip(names, combo, strict=True)) for combo in itertools.product(*(a[1] for a in axes))
    ]


def sweep(
    scenario: str,
    runs: int,
    overrides: Mapping[str, str] | None = None,
    axes: Sequence[Axis] = (),
    seed: int = 0,
    *,
    personalities: Mapping[str, str] | None = None,
    jobs: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> list[dict[str, Any]]:
    """Play ``runs`` bot-only games in every cell of the grid of ``axes``; one row per cell.

    Each row: ``values`` (the cell: path -> value; with one axis also ``parameter`` and
    ``value``, with two ``a`` and ``b``), then ``summarise``'s fields: ``runs``,
    ``outcomes`` (frequency of each), ``p_disaster`` (rogue ASI) with its 95% Wilson
    ``ci``, ``asi_states`` (corrigible ASIs won by each state), ``distribution`` (shared
    or oligarchy), ``by_builder`` (per state that built an ASI: ``asi``, ``rogue``,
    ``p_rogue`` with ``p_rogue_ci``), ``asi_turn`` (``median``, ``p10``, ``p90`` over games
    with an ASI), ``p_rogue_at_build`` (``p10``, ``p50``, ``p90``, and ``spread``, p90 - p10,
    with its 95% bootstrap ``spread_ci``), ``hidden_share`` (the share
    of the variance of rogue-or-corrigible, over games with an ASI, that the risk at build
    explains rather than the final die: ``share`` and its 95% ``ci``; ``None`` with fewer
    than two ASIs) and ``by_ai_values`` (per
    sealed value type of the builder's AI, a compromise of two as ``compromise``: ``asi``,
    ``rogue``, ``p_rogue``, ``p_rogue_ci``).

    Raises:
        ValueError: if ``runs`` is less than 1 or an axis is malformed.
        ScenarioError: for an unknown parameter path or a bad value.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    base = {k: str(v) for k, v in (overrides or {}).items()}
    grid = cells(axes)
    cell_overrides = [base | cell for cell in grid]
    for ov in cell_overrides:
        check_overrides(scenario, ov)
    who = pairs(personalities)
    tasks = [
        GameTask(scenario, pairs(ov), who, seed, part)
        for ov in cell_overrides
        for part in chunks(runs, CHUNK)
    ]
    done = run_tasks(
        play_games, tasks, executor, jobs=jobs, progress=progress, size=lambda t: t.size
    )
    per_cell = len(chunks(runs, CHUNK))
    rows = []
    for j, cell in enumerate(grid):
        games = [g for part in done[j * per_cell : (j + 1) * per_cell] for g in part]
        row: dict[str, Any] = {"values": cell}
        if len(axes) == 1:
            row |= {"parameter": axes[0][0], "value": cell[axes[0][0]]}
        elif len(axes) == 2:
            row |= {"a": cell[axes[0][0]], "b": cell[axes[1][0]]}
        rows.append(row | summarise(games))
    return rows


def parse_axis(text: str) -> Axis:
    """Parse ``path=v1,v2,...`` into an axis.

    Raises:
        ValueError: if there is no ``=`` or no value.
    """
    key, _, values = text.partition("=")
    vals = [v.strip() for v in values.split(",") if v.strip()]
    if not key.strip() or not vals:
        raise ValueError(f"expected KEY=V1,V2,...; got {text!r}")
    return key.strip(), vals
