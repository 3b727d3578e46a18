"""Forecasts: the odds of each outcome if bots played on from the current world.

A forecast runs ``R`` rollouts of a snapshot of the game (scenario name and overrides,
the world, every role's bot personality). Each rollout plays the world to its end with
every seat, including the ones humans hold, played by its bot personality; rollout ``i``
of a forecast at turn ``t`` with base seed ``s`` draws all of its randomness from
``numpy.random.default_rng(SeedSequence([s, t, i]))``, so a forecast is a pure function
of (snapshot, seed, R) whatever the number of worker processes.

The result gives P(rogue ASI), P(corrigible ASI won by each state) and P(no ASI), each
with a 95% Wilson interval, plus each role's mean final score with a 95% interval.

``forecast(snapshot, ...)`` is the pure, picklable entry point a server can submit to
its own process pool; ``forecast_model`` snapshots a live ``RaceModel``;
``forecast_series`` forecasts every turn of a saved game (the replay chart).
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from agents.analysis.rollouts import (
    RolloutBank,
    RolloutResult,
    RolloutTask,
    Snapshot,
    run_rollouts,
    run_task,
    scenario_of,
)
from agents.analysis.runner import Progress
from agents.analysis.stats import mean_ci, wilson
from agents.model import RaceModel
from agents.saved import SavedGame, open_saved, replay_turns, saved_inputs, saved_reseeds

__all__ = [
    "Forecast",
    "RolloutResult",
    "RolloutTask",
    "Snapshot",
    "forecast",
    "forecast_many",
    "run_rollouts",
    "run_task",
    "scenario_of",
    "snapshots_of_saved",
]


def outcome_key(outcome: str, state: str | None) -> str:
    """Key of an outcome in a forecast: ``rogue_asi``, ``no_asi`` or ``corrigible_asi:<state>``."""
    return f"corrigible_asi:{state}" if outcome == "corrigible_asi" else outcome


def outcome_label(key: str, state_names: dict[str, str] | None = None) -> str:
    """Human-readable name of an outcome key."""
    if key == "rogue_asi":
        return "Rogue ASI"
    if key == "no_asi":
        return "No ASI"
    sid = key.split(":", 1)[1]
    return f"Corrigible ASI ({(state_names or {}).get(sid, sid)})"


@dataclass(frozen=True, slots=True)
class Forecast:
    """Outcome odds from ``rollouts`` bot rollouts of one snapshot."""

    turn: int
    quarter: str
    rollouts: int
    seed: int
    counts: dict[str, int]
    mean_scores: dict[str, float]
    score_ci: dict[str, tuple[float, float]]
    mean_turns: float = 0.0
    keys: tuple[str, ...] = field(default=())
    over: bool = False

    def p(self, key: str) -> float:
        """Estimated probability of an outcome key."""
        return self.counts.get(key, 0) / self.rollouts if self.rollouts else 0.0

    def ci(self, key: str) -> tuple[float, float]:
        """95% Wilson interval of an outcome key's probability."""
        return wilson(self.counts.get(key, 0), self.rollouts)

    @property
    def p_rogue(self) -> float:
        """P(rogue ASI)."""
        return self.p("rogue_asi")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form: odds and intervals per outcome, mean scores per role."""
        return {
            "turn": self.turn,
            "quarter": self.quarter,
            "over": self.over,
            "rollouts": self.rollouts,
            "seed": self.seed,
            "mean_turns": round(self.mean_turns, 3),
            "outcomes": {
                k: {
                    "p": round(self.p(k), 4),
                    "ci": [round(x, 4) for x in self.ci(k)],
                    "count": self.counts.get(k, 0),
                }
                for k in self.keys
            },
            "scores": {
                r: {"mean": round(m, 3), "ci": [round(x, 3) for x in self.score_ci[r]]}
                for r, m in self.mean_scores.items()
            },
        }


# --- building blocks -------------------------------------------------------------------


def summarise(snapshot: Snapshot, seed: int, results: list[RolloutResult]) -> Forecast:
    """Turn rollout results into a forecast."""
    results = sorted(results, key=lambda r: r.index)
    n = len(results)
    keys = ("rogue_asi", *(f"corrigible_asi:{sid}" for sid in snapshot.world.states), "no_asi")
    counts = Counter(outcome_key(r.outcome, r.state) for r in results)
    means: dict[str, float] = {}
    cis: dict[str, tuple[float, float]] = {}
    for rid in snapshot.world.role_ids():
        m, ci = mean_ci([r.scores[rid] for r in results]) if n else (0.0, (0.0, 0.0))
        means[rid], cis[rid] = m, ci
    return Forecast(
        turn=snapshot.turn,
        quarter=snapshot.world.quarter_label(),
        rollouts=n,
        seed=seed,
        counts={k: counts.get(k, 0) for k in keys},
        mean_scores=means,
        score_ci=cis,
        mean_turns=sum(r.turns for r in results) / n if n else 0.0,
        keys=keys,
        over=snapshot.world.done,
    )


# --- entry points ----------------------------------------------------------------------


def forecast(
    snapshot: Snapshot,
    rollouts: int = 200,
    seed: int = 0,
    jobs: int | None = 1,
    executor: Executor | None = None,
) -> Forecast:
    """Forecast the outcome odds from a snapshot with ``rollouts`` bot rollouts.

    Pure and picklable: a server may call it inside its own process pool. With
    ``jobs > 1`` (or an ``executor``) the rollouts are split into tasks run on worker
    processes; the result does not depend on how they are split.

    Raises:
        ValueError: if ``rollouts`` is less than 1.
    """
    return forecast_many([snapshot], rollouts, seed, jobs, executor)[0]


def forecast_many(
    snapshots: Sequence[Snapshot],
    rollouts: int = 200,
    seed: int = 0,
    jobs: int | None = 1,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> list[Forecast]:
    """Forecast several snapshots at once through the one runner (``run_tasks``).

    Raises:
        ValueError: if ``rollouts`` is less than 1.
    """
    if rollouts < 1:
        raise ValueError("rollouts must be at least 1")
    bank = RolloutBank(seed, executor, jobs, progress)
    for j, snap in enumerate(snapshots):
        bank.need(j, snap, range(rollouts))
    bank.run()
    return [
        summarise(snap, seed, bank.results(j, range(rollouts))) for j, snap in enumerate(snapshots)
    ]


def snapshot_of(model: RaceModel) -> Snapshot:
    """Snapshot a live (or replayed) model: a deep copy of its world and its personalities."""
    return Snapshot(
        scenario=model.spec.name,
        overrides={k: str(v) for k, v in model.overrides.items()},
        world=model.world.clone(),
        personalities=dict(model.personalities),
    )


def forecast_model(
    model: RaceModel, rollouts: int = 200, seed: int | None = None, jobs: int = 1
) -> Forecast:
    """Forecast a live model from where it stands (base seed: the game's seed)."""
    return forecast(snapshot_of(model), rollouts, model.seed if seed is None else seed, jobs)


def with_play(snapshot: Snapshot, play: Mapping[str, str] | None) -> Snapshot:
    """The snapshot with some seats played by other policies in its rollouts."""
    if not play:
        return snapshot
    return replace(snapshot, personalities=snapshot.personalities | dict(play))


def snapshots_of_saved(saved: SavedGame) -> list[Snapshot]:
    """The snapshot at the start of every turn of a saved game, and at its end.

    Raises:
        ReplayError: if the saved game does not replay to its recorded hashes.
    """
    return replay_saved(saved)[0]


def replay_saved(saved: SavedGame) -> tuple[list[Snapshot], list[np.random.Generator]]:
    """The snapshots of a saved game (``snapshots_of_saved``) and the dice of every turn.

    ``dice[t]`` is a copy of the rules' stream as turn ``t`` began (after any fork's
    reseed): resolving turn ``t`` again from ``snapshots[t]`` with it, and the orders and
    events recorded for that turn, gives ``snapshots[t + 1]`` again; with one order
    changed, what that quarter would have been (turning points).

    Raises:
        ReplayError: if the saved game does not replay to its recorded hashes.
    """
    model = open_saved(saved)
    snaps = [snapshot_of(model)]
    dice: list[np.random.Generator] = []

    def keep_dice(m: RaceModel) -> None:
        dice.append(copy.deepcopy(m.streams.rules))

    turns = replay_turns(
        model, saved_inputs(saved), reseeds=saved_reseeds(saved), before_step=keep_dice
    )
    snaps += [snapshot_of(m) for m in turns]
    return snaps, dice


def forecast_series(
    saved: SavedGame,
    rollouts: int = 100,
    seed: int | None = None,
    jobs: int | None = 1,
    progress: Progress | None = None,
    play: Mapping[str, str] | None = None,
) -> list[Forecast]:
    """Forecast every turn of a saved game (turn 0 to the end), for the replay chart.

    The last entry is the finished world (its outcome has probability 1); if an ASI ended
    the game, it has the same turn and quarter as the one before it, and ``over`` set.
    """
    snaps = [with_play(s, play) for s in snapshots_of_saved(saved)]
    return forecast_many(
        snaps, rollouts, saved.seed if seed is None else seed, jobs, progress=progress
    )
