"""Whole bot-only games in bulk: the unit of work of sweeps, tournaments and questions.

A ``GameTask`` names a scenario (with overrides), who plays each seat (bot personalities)
and a range of game indices; ``play_games`` plays each game ``i`` with seed
``game_seed(base, i)`` through the bare turn loop (``agents.engine.play_game``) and
returns one ``GameResult`` per game. The ``precipice`` scenario (Armstrong, Bostrom &
Shulman) is played by its own one-shot model. Tasks are picklable: they run on any
executor through ``agents.analysis.runner.run_tasks``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from agents.engine import GameResult, default_personalities, play_game
from agents.seeds import game_seed
from rules.scenario import Scenario, ScenarioError, get_path, load_scenario

Pairs = tuple[tuple[str, str], ...]


def pairs(mapping: Mapping[str, object] | None) -> Pairs:
    """A mapping as a sorted tuple of string pairs (hashable, picklable, order-free)."""
    return tuple(sorted((k, str(v)) for k, v in (mapping or {}).items()))


@dataclass(frozen=True, slots=True)
class GameTask:
    """Games ``indices`` of a batch: scenario, overrides, seats' personalities, base seed."""

    scenario: str
    overrides: Pairs = ()
    personalities: Pairs = ()
    """Personality per role where it differs from the scenario's."""
    seed: int = 0
    indices: range = field(default_factory=lambda: range(0))

    @property
    def size(self) -> int:
        """How many games this task plays."""
        return len(self.indices)


def play_games(task: GameTask) -> list[GameResult]:
    """Play every game of a task and return their results in index order."""
    sc = load_scenario(task.scenario, dict(task.overrides))
    if sc.mode == "precipice":
        return [play_precipice(sc, game_seed(task.seed, i)) for i in task.indices]
    who = default_personalities(sc) | dict(task.personalities)
    return [play_game(sc, game_seed(task.seed, i), who) for i in task.indices]


def play_precipice(sc: Scenario, seed: int) -> GameResult:
    """One game of the one-shot ``precipice`` scenario."""
    from agents.precipice_model import PrecipiceModel

    pm = PrecipiceModel(sc, seed)
    pm.run()
    builder = pm.teams[pm.winner].team_id
    return GameResult(
        seed=seed,
        outcome=pm.outcome,
        lab=builder,
        state=builder,
        turn=0,
        turns_played=1,
        p_rogue=1.0 - pm.teams[pm.winner].safety,
        distribution=None,
        scores=pm.scores(),
        final_hash=pm.final_hash,
    )


def play_one(scenario: str, seed: int, overrides: Mapping[str, str] | None = None) -> GameResult:
    """Play one bot-only game of a bundled scenario with the given seed."""
    return play_games(GameTask(scenario, pairs(overrides), (), seed, range(1)))[0]


def check_overrides(scenario: str, overrides: Mapping[str, str]) -> None:
    """Fail early, with the path named, on an unknown parameter or a bad value.

    Raises:
        ScenarioError: naming the path and the problem.
    """
    sc = load_scenario(scenario)
    for path in overrides:
        get_path(sc, path)
    load_scenario(scenario, dict(overrides))


def parse_assignments(items: list[str] | tuple[str, ...]) -> dict[str, str]:
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
