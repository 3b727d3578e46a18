"""The one replay: re-run a game's inputs turn by turn and check every recorded hash.

A game's inputs are, per resolved turn, the orders people gave, the events the
facilitator injected, and the world hash recorded then (``TurnInputs``). ``open_replay``
builds the model a game started from, refusing another rules version with both versions
named; ``replay_turns`` steps it through the inputs, yielding the model after each turn
and raising ``ReplayError`` at the first order refused or hash that differs. A saved game
(``replay``), the server's log (``server.fold``) and forecasts of past turns
(``agents.analysis.forecast``) all replay through these two functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from agents.model import RaceModel
from agents.saved.errors import ReplayError, RulesVersionError
from agents.saved.format import SavedGame
from rules import RULES_VERSION
from rules.actions import OrderError, parse_order
from rules.scenario import ScenarioError, load_scenario


@dataclass(frozen=True, slots=True)
class TurnInputs:
    """What one resolved turn of a game took in, and the hash it ended with."""

    turn: int
    orders: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    events: tuple[str, ...] = ()
    hash: str | None = None
    """The recorded world hash after the turn (None: not checked)."""
    quarter: str = ""


def new_model(
    scenario: str,
    seed: int,
    overrides: Mapping[str, Any] | None = None,
    personalities: Mapping[str, str] | None = None,
    collect: bool = True,
    secret: str | None = None,
) -> RaceModel:
    """Build a fresh ``RaceModel`` from a bundled scenario name, overrides, seed (and secret)."""
    sc = load_scenario(scenario, {k: str(v) for k, v in (overrides or {}).items()})
    model = RaceModel(sc, seed, dict(personalities or {}), collect=collect, secret=secret)
    model.overrides = dict(overrides or {})
    return model


def open_replay(
    scenario: str,
    seed: int,
    overrides: Mapping[str, Any],
    personalities: Mapping[str, str],
    rules_version: str,
    initial_hash: str | None = None,
    collect: bool = False,
    secret: str | None = None,
) -> RaceModel:
    """The model a recorded game started from, ready to be stepped through its inputs.

    Raises:
        RulesVersionError: if the game was played under another rules version.
        ReplayError: for a scenario that no longer loads or another starting world.
    """
    if rules_version != RULES_VERSION:
        raise RulesVersionError(rules_version, RULES_VERSION)
    try:
        model = new_model(scenario, seed, overrides, personalities, collect, secret)
    except (ScenarioError, ValueError) as exc:
        raise ReplayError(f"scenario: {exc}") from None
    if initial_hash is not None and model.initial_hash != initial_hash:
        raise ReplayError(
            f"initial world hash mismatch (recorded {initial_hash}, replay {model.initial_hash})", 0
        )
    return model


def submit_inputs(model: RaceModel, turn: int, orders: Mapping[str, Mapping[str, Any]]) -> None:
    """Queue recorded orders for the model's current turn (each checked as it was then).

    Raises:
        ReplayError: naming the role whose order the rules refuse.
    """
    for role, data in orders.items():
        try:
            model.submit(role, parse_order(model.world.role_kind(role), dict(data)))
        except (OrderError, KeyError) as exc:
            raise ReplayError(f"turn {turn}: order for {role!r} refused: {exc}", turn) from None


def apply_reseeds(model: RaceModel, reseeds: Mapping[int, str]) -> None:
    """Switch the model to a fork's fresh secret if one starts at its current turn."""
    secret = reseeds.get(model.turn)
    if secret is not None and (model.turn, secret) not in model.reseeds:
        model.reseed(secret)


def replay_turns(
    model: RaceModel,
    turns: Iterable[TurnInputs],
    verify: bool = True,
    reseeds: Mapping[int, str] | None = None,
    before_step: Callable[[RaceModel], None] | None = None,
) -> Iterator[RaceModel]:
    """Step ``model`` through recorded turns, yielding it after each (hash checked).

    ``reseeds`` (turn: secret) switches to a fork's fresh secret at its fork turn (also
    at the turn the model ends on). ``before_step`` is called with the model just before
    each turn is resolved (its inputs queued, its streams as the turn draws from them).

    Raises:
        ReplayError: at the first turn out of order, refused order or event, or hash mismatch.
    """
    forks = reseeds or {}
    for st in turns:
        apply_reseeds(model, forks)
        if model.done:
            raise ReplayError(f"turn {st.turn}: the game was already over", st.turn)
        if st.turn != model.turn:
            raise ReplayError(
                f"turn {st.turn}: recorded out of order (the game is at turn {model.turn})", st.turn
            )
        submit_inputs(model, st.turn, st.orders)
        for eid in st.events:
            try:
                model.inject(eid)
            except KeyError as exc:
                raise ReplayError(f"turn {st.turn}: {exc}", st.turn) from None
        if before_step is not None:
            before_step(model)
        model.step()
        if verify and st.hash is not None and (got := model.history[-1].hash) != st.hash:
            where = f"turn {st.turn}" + (f" ({st.quarter})" if st.quarter else "")
            raise ReplayError(
                f"{where}: state hash mismatch (recorded {st.hash}, replay {got})", st.turn
            )
        yield model
    apply_reseeds(model, forks)


def saved_inputs(saved: SavedGame) -> list[TurnInputs]:
    """The inputs of every turn of a saved game."""
    return [
        TurnInputs(st.turn, st.orders, tuple(st.events), st.hash, st.quarter) for st in saved.turns
    ]


def saved_reseeds(saved: SavedGame) -> dict[int, str]:
    """A saved game's fork secrets by the turn each starts at."""
    return {r.turn: r.secret for r in saved.reseeds}


def open_saved(saved: SavedGame, verify: bool = True, collect: bool = False) -> RaceModel:
    """The model a saved game started from (see ``open_replay``)."""
    return open_replay(
        saved.scenario,
        saved.seed,
        saved.overrides,
        saved.personalities,
        saved.rules_version,
        saved.initial_hash if verify else None,
        collect,
        saved.secret,
    )


def replay(
    saved: SavedGame, upto: int | None = None, verify: bool = True, collect: bool = True
) -> RaceModel:
    """Re-run a saved game's inputs (to turn ``upto`` if given) and check every hash.

    Raises:
        RulesVersionError: if it was saved under other rules.
        ReplayError: on a bad order, the first hash mismatch, or a final hash that differs.
    """
    model = open_saved(saved, verify, collect)
    inputs = saved_inputs(saved)
    upto_inputs = inputs[: upto if upto is not None else len(inputs)]
    for _ in replay_turns(model, upto_inputs, verify, saved_reseeds(saved)):
        pass
    if verify and upto is None and model.history and model.history[-1].hash != saved.final_hash:
        raise ReplayError("final hash mismatch")
    return model
