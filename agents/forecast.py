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

import math
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from agents.batch import wilson
from agents.bots import decide
from agents.model import RaceModel
from agents.record import ReplayError, SavedGame, replay
from rules.actions import AnyOrder, parse_order
from rules.observe import observe, public_state
from rules.scenario import Scenario, load_scenario
from rules.scoring import scores
from rules.turn import resolve_turn
from rules.world import World

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything a rollout needs, picklable: where the game stands and who plays how."""

    scenario: str
    overrides: dict[str, str]
    world: World
    personalities: dict[str, str]
    fixed: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Wire orders some roles give in the first rollout turn (a fork); bots play the rest."""

    @property
    def turn(self) -> int:
        """The turn about to be played."""
        return self.world.turn


@dataclass(frozen=True, slots=True)
class RolloutResult:
    """How one rollout ended."""

    index: int
    outcome: str
    state: str | None
    turns: int
    scores: dict[str, float]


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


@lru_cache(maxsize=64)
def _scenario(name: str, frozen_overrides: tuple[tuple[str, str], ...]) -> Scenario:
    return load_scenario(name, dict(frozen_overrides))


def scenario_of(snapshot: Snapshot) -> Scenario:
    """The snapshot's scenario (loaded once per process)."""
    return _scenario(
        snapshot.scenario, tuple(sorted((k, str(v)) for k, v in snapshot.overrides.items()))
    )


def rollout_rng(seed: int, turn: int, index: int) -> np.random.Generator:
    """The independent generator of rollout ``index`` of a forecast at ``turn``."""
    return np.random.default_rng(np.random.SeedSequence([seed, turn, index]))


def observations(world: World) -> dict[str, dict[str, Any]]:
    """Every role's observation, sharing one public part built once per turn."""
    pub = public_state(world)
    return {rid: observe(world, rid, pub) for rid in world.role_ids()}


def play_out(
    world: World,
    scenario: Scenario,
    personalities: dict[str, str],
    rng: np.random.Generator,
    fixed: dict[str, AnyOrder] | None = None,
) -> World:
    """Play a world to its end with every seat a bot; return the final world (input untouched).

    ``fixed`` gives orders some roles play in the first turn instead of their bot.
    """
    w = world
    first = dict(fixed or {})
    while not w.done:
        obs = observations(w)
        orders: dict[str, AnyOrder] = {}
        for rid in w.role_ids():
            order = first.get(rid)
            orders[rid] = (
                order
                if order is not None
                else decide(w.role_kind(rid), personalities[rid], obs[rid], rng)
            )
        first = {}
        w, _ = resolve_turn(w, orders, scenario, rng)
    return w


def run_rollouts(snapshot: Snapshot, seed: int, indices: Iterable[int]) -> list[RolloutResult]:
    """Run the given rollouts of a snapshot (a picklable unit of work for a worker process)."""
    sc = scenario_of(snapshot)
    w = snapshot.world
    fixed = {r: parse_order(w.role_kind(r), data) for r, data in snapshot.fixed.items()}
    out = []
    for i in indices:
        rng = rollout_rng(seed, snapshot.turn, i)
        end = play_out(w, sc, snapshot.personalities, rng, fixed)
        assert end.outcome is not None
        out.append(
            RolloutResult(
                i,
                end.outcome.kind,
                end.outcome.state,
                end.turn - snapshot.turn,
                scores(end, sc.dynamics),
            )
        )
    return out


def _mean_ci(values: list[float]) -> tuple[float, tuple[float, float]]:
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, (mean, mean)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = 1.96 * sd / math.sqrt(n)
    return mean, (mean - half, mean + half)


def summarise(snapshot: Snapshot, seed: int, results: list[RolloutResult]) -> Forecast:
    """Turn rollout results into a forecast."""
    results = sorted(results, key=lambda r: r.index)
    n = len(results)
    keys = ("rogue_asi", *(f"corrigible_asi:{sid}" for sid in snapshot.world.states), "no_asi")
    counts = Counter(outcome_key(r.outcome, r.state) for r in results)
    means: dict[str, float] = {}
    cis: dict[str, tuple[float, float]] = {}
    for rid in snapshot.world.role_ids():
        m, ci = _mean_ci([r.scores[rid] for r in results]) if n else (0.0, (0.0, 0.0))
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


def _chunks(n: int, parts: int) -> list[range]:
    parts = max(1, min(n, parts))
    bounds = [round(j * n / parts) for j in range(parts + 1)]
    return [range(bounds[j], bounds[j + 1]) for j in range(parts) if bounds[j + 1] > bounds[j]]


# --- entry points ----------------------------------------------------------------------


def forecast(
    snapshot: Snapshot,
    rollouts: int = 200,
    seed: int = 0,
    jobs: int = 1,
    executor: Executor | None = None,
) -> Forecast:
    """Forecast the outcome odds from a snapshot with ``rollouts`` bot rollouts.

    Pure and picklable: a server may call it inside its own process pool. With
    ``jobs > 1`` (or an ``executor``) the rollouts are split into chunks run on worker
    processes; the result does not depend on how they are split.

    Raises:
        ValueError: if ``rollouts`` is less than 1.
    """
    return forecast_many([snapshot], rollouts, seed, jobs, executor)[0]


def forecast_many(
    snapshots: list[Snapshot],
    rollouts: int = 200,
    seed: int = 0,
    jobs: int = 1,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> list[Forecast]:
    """Forecast several snapshots at once, sharing one pool of workers.

    Raises:
        ValueError: if ``rollouts`` is less than 1.
    """
    if rollouts < 1:
        raise ValueError("rollouts must be at least 1")
    results: list[list[RolloutResult]] = [[] for _ in snapshots]
    total = len(snapshots) * rollouts
    done = 0
    if executor is None and jobs <= 1:
        for j, snap in enumerate(snapshots):
            for chunk in _chunks(rollouts, max(1, rollouts // 25)):
                results[j] += run_rollouts(snap, seed, chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
        return [summarise(s, seed, r) for s, r in zip(snapshots, results, strict=True)]
    pool = executor or ProcessPoolExecutor(max_workers=jobs)
    try:
        workers = jobs if executor is None else 4
        futures = {}
        for j, snap in enumerate(snapshots):
            parts = workers * 4 if len(snapshots) == 1 else max(1, rollouts // 50)
            for chunk in _chunks(rollouts, parts):
                futures[pool.submit(run_rollouts, snap, seed, chunk)] = j
        for fut in as_completed(futures):
            res = fut.result()
            results[futures[fut]] += res
            done += len(res)
            if progress:
                progress(done, total)
    finally:
        if executor is None:
            pool.shutdown()
    return [summarise(s, seed, r) for s, r in zip(snapshots, results, strict=True)]


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


def snapshots_of_saved(saved: SavedGame) -> list[Snapshot]:
    """The snapshot at the start of every turn of a saved game, and at its end.

    Raises:
        ReplayError: if the saved game does not replay to its recorded hashes.
    """
    model = replay(saved, upto=0, collect=False)
    snaps = [snapshot_of(model)]
    for st in saved.turns:
        for role, data in st.orders.items():
            model.submit(role, parse_order(model.world.role_kind(role), data))
        for eid in st.events:
            model.inject(eid)
        model.step()
        if model.history[-1].hash != st.hash:
            raise ReplayError(f"turn {st.turn} ({st.quarter}): state hash mismatch", st.turn)
        snaps.append(snapshot_of(model))
    return snaps


def forecast_series(
    saved: SavedGame,
    rollouts: int = 100,
    seed: int | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> list[Forecast]:
    """Forecast every turn of a saved game (turn 0 to the end), for the replay chart.

    The last entry is the finished world (its outcome has probability 1); if an ASI ended
    the game, it has the same turn and quarter as the one before it, and ``over`` set.
    """
    snaps = snapshots_of_saved(saved)
    return forecast_many(
        snaps, rollouts, saved.seed if seed is None else seed, jobs, progress=progress
    )
