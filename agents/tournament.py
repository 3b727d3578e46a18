"""Bot tournaments: pit bot personalities against each other over many seeds.

A tournament plays the same ``runs`` seeds (common random numbers) under each matchup,
a full assignment of personalities to roles, and reports every role's mean score with a
95% interval plus P(rogue ASI) with a Wilson interval. Two designs:

- ``swap`` (default): the scenario's own personalities, then each role's personality
  swapped in turn (1 + number of roles matchups): "what does this seat gain by playing
  the other way, all else equal?"
- ``grid``: every combination of state and lab personalities (officials and
  whistleblowers keep the scenario's): 2 ** (states + labs) matchups.

Games are played by the rollout engine of ``agents.forecast`` (the same rules and bots as
``RaceModel``, without Mesa's bookkeeping); game ``i`` of every matchup draws from
``SeedSequence([seed, 0, i])``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

from agents.batch import wilson
from agents.bots import PERSONALITIES
from agents.forecast import Snapshot, run_rollouts
from agents.model import default_personalities
from rules.scenario import ScenarioError, load_scenario
from rules.setup import initial_world

Design = Literal["swap", "grid"]


@dataclass(frozen=True, slots=True)
class Matchup:
    """One assignment of personalities, with a short label of what differs from the default."""

    label: str
    personalities: dict[str, str]


def other(kind: str, personality: str) -> str:
    """The other personality of a role kind."""
    a, b = PERSONALITIES[kind]
    return b if personality == a else a


def matchups(
    scenario: str, design: Design = "swap", overrides: dict[str, str] | None = None
) -> list[Matchup]:
    """The matchups of a tournament design for a scenario.

    Raises:
        ValueError: for an unknown design.
    """
    sc = load_scenario(scenario, overrides)
    if sc.mode != "race":
        raise ScenarioError(
            f"scenario {scenario!r} is not a race scenario (its bots play a fixed equilibrium)"
        )
    world = initial_world(sc)
    base = default_personalities(sc)
    if design == "swap":
        out = [Matchup("default", dict(base))]
        for rid in world.role_ids():
            swapped = other(world.role_kind(rid), base[rid])
            out.append(Matchup(f"{rid}={swapped}", base | {rid: swapped}))
        return out
    if design == "grid":
        seats = [*world.states, *world.labs]
        choices = [PERSONALITIES[world.role_kind(rid)] for rid in seats]
        return [
            Matchup(
                " ".join(f"{rid}={p}" for rid, p in zip(seats, combo, strict=True)),
                base | dict(zip(seats, combo, strict=True)),
            )
            for combo in itertools.product(*choices)
        ]
    raise ValueError(f"unknown tournament design {design!r} (swap or grid)")


def _play(args: tuple[Snapshot, int, range]) -> list[tuple[str, dict[str, float]]]:
    snap, seed, indices = args
    return [(r.outcome, r.scores) for r in run_rollouts(snap, seed, indices)]


def _mean_ci(values: list[float]) -> dict[str, Any]:
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else 0.0
    half = 1.96 * sd / math.sqrt(n)
    return {"mean": round(mean, 3), "ci": [round(mean - half, 3), round(mean + half, 3)]}


def tournament(
    scenario: str = "baseline",
    runs: int = 100,
    design: Design = "swap",
    overrides: dict[str, str] | None = None,
    seed: int = 0,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Play ``runs`` games per matchup; one row per matchup.

    Each row: ``label``, ``personalities``, ``runs``, ``p_disaster`` with its Wilson
    ``ci``, and ``scores``: role -> {``mean``, ``ci``} (95% normal interval).

    Raises:
        ValueError: if ``runs`` is less than 1 or the design is unknown.
        ScenarioError: for a bad scenario or override.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    ov = {k: str(v) for k, v in (overrides or {}).items()}
    sc = load_scenario(scenario, ov)
    world = initial_world(sc)
    games = matchups(scenario, design, ov)
    step = max(1, min(runs, 25))
    tasks = [
        (j, (Snapshot(scenario, ov, world, m.personalities), seed, range(lo, min(runs, lo + step))))
        for j, m in enumerate(games)
        for lo in range(0, runs, step)
    ]
    results: list[list[tuple[str, dict[str, float]]]] = [[] for _ in games]
    total, done = len(games) * runs, 0
    if jobs <= 1:
        outs = (_play(t) for _, t in tasks)
        for (j, _), res in zip(tasks, outs, strict=True):
            results[j] += res
            done += len(res)
            if progress:
                progress(done, total)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for (j, _), res in zip(tasks, pool.map(_play, [t for _, t in tasks]), strict=True):
                results[j] += res
                done += len(res)
                if progress:
                    progress(done, total)
    rows = []
    for m, res in zip(games, results, strict=True):
        rogue = sum(1 for o, _ in res if o == "rogue_asi")
        lo, hi = wilson(rogue, runs)
        rows.append(
            {
                "label": m.label,
                "personalities": m.personalities,
                "runs": runs,
                "p_disaster": round(rogue / runs, 4),
                "ci": [round(lo, 4), round(hi, 4)],
                "scores": {rid: _mean_ci([s[rid] for _, s in res]) for rid in world.role_ids()},
            }
        )
    return rows
