"""Model evaluations at points of parameter space: a batch of bot-only games per point.

A point gives values to some scenario parameters (``ParameterRange``s); ``evaluate`` plays
``runs`` games at every point, all with the same seeds (common random numbers), through
``run_tasks`` (local processes or a cluster), and measures each point's outputs:
P(rogue ASI) and, for each state, P(ASI built by that state). Tasks return a small
``Tally`` of how their games ended, not the games, so little crosses the wire.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np

from agents.analysis.games import GameTask, pairs, play_games
from agents.analysis.parameters import ParameterRange
from agents.analysis.runner import Progress, chunks, run_tasks
from rules.scenario import Scenario, load_scenario, with_overrides

CHUNK = 50
"""Games per task at most (a point with more runs is split)."""


@dataclass(frozen=True, slots=True)
class Tally:
    """How a batch of games ended: games, rogue ASIs, ASIs built by each state."""

    runs: int
    rogue: int
    built: tuple[tuple[str, int], ...]


def tally_games(task: GameTask) -> Tally:
    """Play a task's games and count how they ended (a small, picklable result)."""
    results = play_games(task)
    built: dict[str, int] = {}
    for r in results:
        if r.outcome != "no_asi" and r.state:
            built[r.state] = built.get(r.state, 0) + 1
    rogue = sum(1 for r in results if r.outcome == "rogue_asi")
    return Tally(len(results), rogue, tuple(sorted(built.items())))


def outputs_of(scenario: Scenario) -> dict[str, str]:
    """The outputs measured at each point: name -> label."""
    out = {"p_rogue": "P(rogue ASI)"}
    for sid, spec in scenario.states.items():
        out[f"p_asi_{sid}"] = f"P(ASI built by {spec.name})"
    return out


def _measure(tallies: Sequence[Tally], outputs: Sequence[str]) -> list[float]:
    n = sum(t.runs for t in tallies)
    built: dict[str, int] = {}
    for t in tallies:
        for sid, k in t.built:
            built[sid] = built.get(sid, 0) + k
    values = {"p_rogue": sum(t.rogue for t in tallies) / n}
    values |= {f"p_asi_{sid}": k / n for sid, k in built.items()}
    return [values.get(name, 0.0) for name in outputs]


@dataclass(frozen=True, slots=True)
class Design:
    """What is varied and how each point is played."""

    scenario: str
    overrides: Mapping[str, str]
    personalities: Mapping[str, str]
    runs: int
    seed: int


def evaluate(
    design: Design,
    ranges: Sequence[ParameterRange],
    points: np.ndarray,
    outputs: Sequence[str],
    executor: Executor | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> np.ndarray:
    """The outputs (columns) at each point (rows of ``points``, one column per range).

    Raises:
        ScenarioError: if a point is not a valid scenario (checked before any game).
    """
    base = load_scenario(design.scenario, dict(design.overrides))
    cells = []
    for row in points:
        varied = {r.path: r.text(x) for r, x in zip(ranges, row, strict=True)}
        with_overrides(base, varied)
        cells.append(dict(design.overrides) | varied)
    parts = chunks(design.runs, CHUNK)
    who = pairs(design.personalities)
    tasks = [
        GameTask(design.scenario, pairs(cell), who, design.seed, part)
        for cell in cells
        for part in parts
    ]
    done = run_tasks(
        tally_games, tasks, executor, jobs=jobs, progress=progress, size=lambda t: t.size
    )
    k = len(parts)
    rows = [_measure(done[i * k : (i + 1) * k], outputs) for i in range(len(cells))]
    return np.asarray(rows, dtype=float).reshape(len(cells), len(outputs))
