"""Rollouts, and a bank of them: each computed once, many analyses served from one batch.

A ``Snapshot`` is where a game stands and who plays how; ``run_rollouts`` plays it to its
end several times with every seat its bot, rollout ``i`` with base seed ``s`` drawing all
of its randomness from ``rollout_rng(s, turn, i)``.

A rollout is thus a pure function of (snapshot, seed, index), so its result can be shared by every analysis that
asks for it: the debrief's forecast series and its turning points ask for the same
rollouts of the same quarters, and several turning points of one quarter share the
rollouts of the game as it went on. Callers name each snapshot by a key of their own and
say which rollout indices they ``need``; ``run`` computes only the missing ones, in one
call of the runner (``run_tasks``: a local pool, a server's pool or a cluster), the
costliest tasks first so that no worker is left with a long task at the end; ``results``
hands them back in index order. Results never depend on the executor or on how the work
was cut.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from agents.analysis.runner import Progress, run_tasks
from agents.engine import default_personalities, play_from, policies_for
from agents.seeds import rollout_rng
from rules.actions import parse_order
from rules.scenario import Scenario, load_scenario
from rules.scoring import scores
from rules.world import World


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


def scenario_of(snapshot: Snapshot) -> Scenario:
    """The snapshot's scenario (``load_scenario`` caches it per process)."""
    return load_scenario(snapshot.scenario, {k: str(v) for k, v in snapshot.overrides.items()})


def run_rollouts(snapshot: Snapshot, seed: int, indices: Iterable[int]) -> list[RolloutResult]:
    """Run the given rollouts of a snapshot (a picklable unit of work for a worker process)."""
    sc = scenario_of(snapshot)
    w = snapshot.world
    fixed = {r: parse_order(w.role_kind(r), data) for r, data in snapshot.fixed.items()}
    policies = policies_for(w, snapshot.personalities, default_personalities(sc))
    out = []
    for i in indices:
        end = play_from(w, sc, policies, rollout_rng(seed, snapshot.turn, i), fixed)
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


RolloutTask = tuple[Snapshot, int, Sequence[int]]
"""A unit of work: a snapshot, the base seed, the indices of its rollouts to play."""


def run_task(task: RolloutTask) -> list[RolloutResult]:
    """Run one task's rollouts (the picklable function handed to the runner)."""
    return run_rollouts(*task)


CHUNK = 10
"""Rollouts per task at most (small enough to balance two workers, large enough to amortise)."""


def turns_left(snapshot: Snapshot) -> int:
    """The quarters a rollout of this snapshot plays at most (its cost, up to a factor)."""
    w = snapshot.world
    return 0 if w.done else max(1, w.horizon - w.turn)


class RolloutBank:
    """Rollout results of named snapshots, computed in batches (see the module doc)."""

    def __init__(
        self,
        seed: int,
        executor: Executor | None = None,
        jobs: int | None = 1,
        progress: Progress | None = None,
    ) -> None:
        self.seed = seed
        self.executor = executor
        self.jobs = jobs
        self.progress = progress
        self._snaps: dict[Hashable, Snapshot] = {}
        self._done: dict[Hashable, dict[int, RolloutResult]] = {}
        self._wanted: dict[Hashable, set[int]] = {}
        self.computed = 0
        """Rollouts computed so far (each once)."""
        self.quarters = 0
        """Quarters those rollouts played (what they cost, whatever the machine)."""

    def need(self, key: Hashable, snapshot: Snapshot, indices: Iterable[int]) -> None:
        """Ask for rollouts ``indices`` of ``snapshot`` (named ``key``) at the next ``run``.

        Raises:
            ValueError: if ``key`` already names another snapshot.
        """
        known = self._snaps.setdefault(key, snapshot)
        if known is not snapshot and known != snapshot:
            raise ValueError(f"rollout key {key!r} names two snapshots")
        have = self._done.setdefault(key, {})
        self._wanted.setdefault(key, set()).update(i for i in indices if i not in have)

    def missing_cost(self, key: Hashable, snapshot: Snapshot, indices: Iterable[int]) -> int:
        """Quarters of play that asking for these rollouts would add (none if asked already)."""
        have = self._done.get(key, {})
        wanted = self._wanted.get(key, set())
        return turns_left(snapshot) * sum(1 for i in indices if i not in have and i not in wanted)

    def run(self) -> None:
        """Compute every rollout asked for and not computed yet, as one batch."""
        tasks: list[tuple[int, Hashable, RolloutTask]] = []
        for key, wanted in self._wanted.items():
            snap = self._snaps[key]
            idx = sorted(wanted)
            for lo in range(0, len(idx), CHUNK):
                part = idx[lo : lo + CHUNK]
                tasks.append((turns_left(snap) * len(part), key, (snap, self.seed, part)))
        self._wanted = {}
        if not tasks:
            return
        order = sorted(range(len(tasks)), key=lambda j: -tasks[j][0])  # stable: deterministic
        ordered = [tasks[j] for j in order]
        done = run_tasks(
            run_task,
            [t for _, _, t in ordered],
            self.executor,
            jobs=self.jobs,
            progress=self.progress,
            size=lambda t: len(t[2]),
        )
        for (_, key, _), results in zip(ordered, done, strict=True):
            for r in results:
                self._done[key][r.index] = r
                self.quarters += r.turns
            self.computed += len(results)

    def results(self, key: Hashable, indices: Iterable[int]) -> list[RolloutResult]:
        """The rollouts of ``key`` at these indices, in that order (``run`` first).

        Raises:
            KeyError: for a rollout not computed yet.
        """
        have = self._done[key]
        return [have[i] for i in indices]
