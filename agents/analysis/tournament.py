"""Bot tournaments: pit bot personalities against each other over many seeds.

A tournament plays the same ``runs`` seeds (common random numbers) under each matchup,
a full assignment of personalities to roles, and reports every role's mean score with a
95% interval plus P(rogue ASI) with a Wilson interval. Two designs:

- ``swap`` (default): the scenario's own personalities, then each role's personality
  swapped in turn (1 + number of roles matchups): "what does this seat gain by playing
  the other way, all else equal?"
- ``grid``: every combination of state and lab personalities (officials and
  whistleblowers keep the scenario's): 2 ** (states + labs) matchups.

Games are played by the bare turn loop (``agents.analysis.games``), game ``i`` of every
matchup with seed ``seed + i``, the same games a sweep plays.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, Literal

from agents.analysis.games import GameTask, pairs, play_games
from agents.analysis.runner import Progress, chunks, run_tasks
from agents.analysis.stats import mean_ci, wilson
from agents.bots import PERSONALITIES
from agents.engine import default_personalities
from agents.seeds import game_rng
from rules.scenario import ScenarioError, load_scenario
from rules.setup import initial_world

Design = Literal["swap", "grid"]


@dataclass(frozen=True, slots=True)
class Matchup:
    """One assignment of personalities, with a short label of what differs from the default."""

    label: str
    personalities: dict[str, str]


def other(kind: str, personality: str) -> str | None:
    """The other personality of a role kind (None for a kind with one, such as an AI)."""
    choices = [p for p in PERSONALITIES[kind] if p != personality]
    return choices[0] if choices else None


def matchups(
    scenario: str,
    design: Design = "swap",
    overrides: dict[str, str] | None = None,
    play: Mapping[str, str] | None = None,
) -> list[Matchup]:
    """The matchups of a tournament design for a scenario (``play``: seats held to a policy).

    Raises:
        ValueError: for an unknown design.
    """
    sc = load_scenario(scenario, overrides)
    if sc.mode != "race":
        raise ScenarioError(
            f"scenario {scenario!r} is not a race scenario (its bots play a fixed equilibrium)"
        )
    world = initial_world(sc, game_rng(0))
    held = dict(play or {})
    base = default_personalities(sc) | held
    if design == "swap":
        out = [Matchup("default", dict(base))]
        for rid in world.role_ids():
            if rid in held:
                continue
            swapped = other(world.role_kind(rid), base[rid])
            if swapped is not None:
                out.append(Matchup(f"{rid}={swapped}", base | {rid: swapped}))
        return out
    if design == "grid":
        seats = [rid for rid in (*world.states, *world.labs) if rid not in held]
        choices = [PERSONALITIES[world.role_kind(rid)] for rid in seats]
        return [
            Matchup(
                " ".join(f"{rid}={p}" for rid, p in zip(seats, combo, strict=True)),
                base | dict(zip(seats, combo, strict=True)),
            )
            for combo in itertools.product(*choices)
        ]
    raise ValueError(f"unknown tournament design {design!r} (swap or grid)")


def _score_ci(values: list[float]) -> dict[str, Any]:
    mean, (lo, hi) = mean_ci(values)
    return {"mean": round(mean, 3), "ci": [round(lo, 3), round(hi, 3)]}


def tournament(
    scenario: str = "baseline",
    runs: int = 100,
    design: Design = "swap",
    overrides: Mapping[str, str] | None = None,
    seed: int = 0,
    jobs: int | None = 1,
    progress: Progress | None = None,
    executor: Executor | None = None,
    play: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Play ``runs`` games per matchup; one row per matchup (``play`` holds seats to a policy).

    Each row: ``label``, ``personalities``, ``runs``, ``p_disaster`` with its Wilson
    ``ci``, and ``scores``: role -> {``mean``, ``ci``} (95% normal interval).

    Raises:
        ValueError: if ``runs`` is less than 1 or the design is unknown.
        ScenarioError: for a bad scenario or override.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    ov = {k: str(v) for k, v in (overrides or {}).items()}
    world = initial_world(load_scenario(scenario, ov), game_rng(0))
    games = matchups(scenario, design, ov, play)
    parts = chunks(runs, 25)
    tasks = [
        GameTask(scenario, pairs(ov), pairs(m.personalities), seed, part)
        for m in games
        for part in parts
    ]
    done = run_tasks(
        play_games, tasks, executor, jobs=jobs, progress=progress, size=lambda t: t.size
    )
    rows = []
    for j, m in enumerate(games):
        res = [g for part in done[j * len(parts) : (j + 1) * len(parts)] for g in part]
        rogue = sum(1 for g in res if g.outcome == "rogue_asi")
        lo, hi = wilson(rogue, runs)
        rows.append(
            {
                "label": m.label,
                "personalities": m.personalities,
                "runs": runs,
                "p_disaster": round(rogue / runs, 4),
                "ci": [round(lo, 4), round(hi, 4)],
                "scores": {
                    rid: _score_ci([g.scores[rid] for g in res]) for rid in world.role_ids()
                },
            }
        )
    return rows
