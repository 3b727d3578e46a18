"""Two-parameter sweeps: P(disaster) over a grid of two scenario parameters.

``sweep2d`` plays ``runs`` bot-only games in every cell of the grid ``a x b`` (each axis a
dotted scenario path and a list of values) and reports each cell's outcome frequencies
with a 95% Wilson interval on P(rogue ASI). Every cell plays the same seeds (common
random numbers), so differences between cells are not luck of the draw.

Race scenarios are played by the rollout engine of ``agents.forecast`` (game ``i`` draws
from ``SeedSequence([seed, 0, i])``); the ``precipice`` (Armstrong-Bostrom-Shulman)
scenario by ``agents.batch.play_bot_game`` with seed ``seed + i``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from agents.batch import OUTCOMES, check_overrides, play_bot_game, wilson
from agents.forecast import Snapshot, run_rollouts
from agents.model import default_personalities
from rules.scenario import load_scenario
from rules.setup import initial_world

Axis = tuple[str, list[str]]
Task = tuple[str, dict[str, str], int, range]


def _cell_games(task: Task) -> list[tuple[str, str | None]]:
    scenario, overrides, seed, indices = task
    sc = load_scenario(scenario, overrides)
    if sc.mode != "race":
        out = []
        for i in indices:
            g = play_bot_game(scenario, seed + i, overrides)
            out.append((g.outcome, g.asi_state))
        return out
    snap = Snapshot(scenario, overrides, initial_world(sc), default_personalities(sc))
    return [
        (r.outcome, r.state if r.outcome == "corrigible_asi" else None)
        for r in run_rollouts(snap, seed, indices)
    ]


def sweep2d(
    scenario: str,
    runs: int,
    a: Axis,
    b: Axis,
    overrides: dict[str, str] | None = None,
    jobs: int = 1,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Play ``runs`` games in every cell of the grid; one row per cell, ``a`` varying slowest.

    Each row: ``a`` and ``b`` (the parameter values as given), ``runs``, ``outcomes``
    (frequency of each outcome), ``p_disaster`` with its 95% ``ci``, ``asi_states``.

    Raises:
        ValueError: if ``runs`` is less than 1, an axis is empty, or both axes are the same.
        ScenarioError: for an unknown parameter path or a bad value.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    if not a[1] or not b[1]:
        raise ValueError("each varied parameter needs at least one value")
    if a[0] == b[0]:
        raise ValueError(f"vary two different parameters, not {a[0]!r} twice")
    base = {k: str(v) for k, v in (overrides or {}).items()}
    cells = [(va, vb, base | {a[0]: va, b[0]: vb}) for va in a[1] for vb in b[1]]
    for _, _, ov in cells:
        check_overrides(scenario, ov)
    step = max(1, min(runs, 50))
    tasks: list[tuple[int, Task]] = [
        (j, (scenario, ov, seed, range(lo, min(runs, lo + step))))
        for j, (_, _, ov) in enumerate(cells)
        for lo in range(0, runs, step)
    ]
    results: list[list[tuple[str, str | None]]] = [[] for _ in cells]
    total, done = len(cells) * runs, 0
    if progress:
        progress(0, total)

    def collect(j: int, res: list[tuple[str, str | None]]) -> None:
        nonlocal done
        results[j] += res
        done += len(res)
        if progress:
            progress(done, total)

    if jobs <= 1:
        for j, task in tasks:
            collect(j, _cell_games(task))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for (j, _), res in zip(
                tasks, pool.map(_cell_games, [t for _, t in tasks]), strict=True
            ):
                collect(j, res)
    rows = []
    for (va, vb, _), res in zip(cells, results, strict=True):
        counts = Counter(o for o, _ in res)
        states = Counter(s for o, s in res if o == "corrigible_asi" and s is not None)
        lo, hi = wilson(counts["rogue_asi"], runs)
        rows.append(
            {
                "a": va,
                "b": vb,
                "runs": runs,
                "outcomes": {o: counts[o] / runs for o in OUTCOMES},
                "p_disaster": counts["rogue_asi"] / runs,
                "ci": [round(lo, 4), round(hi, 4)],
                "asi_states": {s: c / runs for s, c in sorted(states.items())},
            }
        )
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
