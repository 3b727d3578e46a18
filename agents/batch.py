"""Bot-only games in bulk: one summary per game, Monte Carlo sweeps over parameters.

``play_bot_game`` runs one whole game of any scenario (race or precipice) and returns a
plain summary; ``sweep`` runs many seeds for each value of a varied parameter, on worker
processes, and reports outcome frequencies with 95% Wilson intervals.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from rules.hashing import world_hash
from rules.scenario import ScenarioError, get_path, load_scenario

OUTCOMES = ("rogue_asi", "corrigible_asi", "no_asi")


@dataclass(frozen=True, slots=True)
class GameSummary:
    """The result of one bot-only game."""

    scenario: str
    seed: int
    turns_played: int
    outcome: str
    asi_state: str | None
    scores: dict[str, float]
    final_hash: str


def play_bot_game(scenario: str, seed: int, overrides: dict[str, str] | None = None) -> GameSummary:
    """Play one bot-only game to the end and summarise it."""
    sc = load_scenario(scenario, overrides)
    if sc.mode == "precipice":
        from agents.precipice_model import PrecipiceModel

        pm = PrecipiceModel(sc, seed)
        pm.run()
        return GameSummary(
            scenario, seed, 1, pm.outcome, pm.winner_team, pm.scores(), pm.final_hash
        )
    from agents.model import RaceModel

    model = RaceModel(sc, seed, collect=False, record=False)
    model.overrides = dict(overrides or {})
    model.run()
    out = model.world.outcome
    assert out is not None
    return GameSummary(
        scenario,
        seed,
        model.turns_played,
        out.kind,
        out.state if out.kind == "corrigible_asi" else None,
        model.scores(),
        world_hash(model.world),
    )


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval for a binomial proportion."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def _outcome_only(args: tuple[str, int, dict[str, str]]) -> tuple[str, str | None]:
    scenario, seed, overrides = args
    g = play_bot_game(scenario, seed, overrides)
    return g.outcome, g.asi_state


def check_overrides(scenario: str, overrides: dict[str, str]) -> None:
    """Fail early, with the path named, on an unknown parameter or a bad value.

    Raises:
        ScenarioError: naming the path and the problem.
    """
    sc = load_scenario(scenario)
    for path in overrides:
        get_path(sc, path)
    load_scenario(scenario, overrides)


def sweep(
    scenario: str,
    runs: int,
    overrides: dict[str, str] | None = None,
    vary: tuple[str, list[str]] | None = None,
    jobs: int = 1,
    seed0: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Run ``runs`` bot-only games per varied value; return one row per value.

    Each row: the varied ``value`` (if any), ``runs``, ``outcomes`` (frequency of each
    outcome), ``p_disaster`` (rogue ASI frequency) with its 95% interval ``ci``, and
    ``asi_states`` (how often each state won a corrigible ASI).

    Raises:
        ScenarioError: for an unknown parameter path or a bad value.
    """
    base = dict(overrides or {})
    values: list[str | None] = list(vary[1]) if vary else [None]
    cells = []
    for value in values:
        ov = dict(base)
        if vary and value is not None:
            ov[vary[0]] = value
        check_overrides(scenario, ov)
        cells.append(ov)
    tasks = [(scenario, seed0 + i, ov) for ov in cells for i in range(runs)]
    results: list[tuple[str, str | None]] = []
    total = len(tasks)
    if jobs <= 1:
        for i, task in enumerate(tasks):
            results.append(_outcome_only(task))
            if progress:
                progress(i + 1, total)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for i, res in enumerate(
                pool.map(_outcome_only, tasks, chunksize=max(1, total // (jobs * 20)))
            ):
                results.append(res)
                if progress:
                    progress(i + 1, total)
    rows = []
    for j, value in enumerate(values):
        chunk = results[j * runs : (j + 1) * runs]
        counts = Counter(o for o, _ in chunk)
        states = Counter(s for o, s in chunk if o == "corrigible_asi" and s is not None)
        lo, hi = wilson(counts["rogue_asi"], runs)
        row: dict[str, Any] = {
            "runs": runs,
            "outcomes": {o: counts[o] / runs for o in OUTCOMES},
            "p_disaster": counts["rogue_asi"] / runs,
            "ci": [round(lo, 4), round(hi, 4)],
            "asi_states": {s: c / runs for s, c in sorted(states.items())},
        }
        if vary:
            row = {"parameter": vary[0], "value": value, **row}
        rows.append(row)
    return rows


def default_jobs() -> int:
    """All cores."""
    return os.cpu_count() or 1


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """Parse ``key=value`` strings.

    Raises:
        ScenarioError: for an item without ``=``.
    """
    out = {}
    for item in items:
        if "=" not in item:
            raise ScenarioError(f"expected key=value, got {item!r}")
        key, value = item.split("=", 1)
        out[key.strip()] = value.strip()
    return out
