"""Saved games: export a played game to one JSON document and replay it, checking hashes.

A saved game is the scenario name and overrides, the seed, the rules version, the bot
personalities and, per turn, the human orders and injected events (the inputs) plus the
bots' orders, the news and the world hash (what replay must reproduce). ``replay`` re-runs
the inputs and raises ``ReplayError`` naming the first turn whose hash differs.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agents.model import RaceModel
from rules import RULES_VERSION
from rules.actions import OrderError, parse_order
from rules.scenario import ScenarioError, load_scenario

FORMAT = "precipice-game/1"


class ReplayError(ValueError):
    """A saved game does not replay to the hashes it records (or cannot be read)."""

    def __init__(self, message: str, turn: int | None = None) -> None:
        super().__init__(message)
        self.turn = turn


class SavedTurn(BaseModel):
    """One resolved turn of a saved game."""

    model_config = ConfigDict(extra="forbid")
    turn: int
    quarter: str
    orders: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Human orders (inputs)."
    )
    events: list[str] = Field(
        default_factory=list, description="Events injected by the facilitator (inputs)."
    )
    bot_orders: dict[str, dict[str, Any]] = Field(default_factory=dict)
    news: list[dict[str, Any]] = Field(default_factory=list)
    hash: str


class SavedGame(BaseModel):
    """A whole game in one JSON document."""

    model_config = ConfigDict(extra="forbid")
    format: Literal["precipice-game/1"] = "precipice-game/1"
    scenario: str
    overrides: dict[str, Any] = Field(default_factory=dict)
    seed: int
    rules_version: str
    personalities: dict[str, str] = Field(default_factory=dict)
    initial_hash: str
    turns: list[SavedTurn] = Field(default_factory=list)
    outcome: dict[str, Any] | None = None
    scores: dict[str, float] = Field(default_factory=dict)
    final_hash: str
    log: list[dict[str, Any]] = Field(
        default_factory=list, description="Server log: seats, chat, facilitator actions."
    )


def new_model(
    scenario: str,
    seed: int,
    overrides: dict[str, Any] | None = None,
    personalities: dict[str, str] | None = None,
    collect: bool = True,
) -> RaceModel:
    """Build a fresh ``RaceModel`` from a bundled scenario name, overrides and seed."""
    sc = load_scenario(scenario, {k: str(v) for k, v in (overrides or {}).items()})
    model = RaceModel(sc, seed, personalities, collect=collect)
    model.overrides = dict(overrides or {})
    return model


def to_saved(model: RaceModel, log: list[dict[str, Any]] | None = None) -> SavedGame:
    """Export a model's game so far."""
    return SavedGame(
        scenario=model.spec.name,
        overrides=model.overrides,
        seed=model.seed,
        rules_version=model.rules_version,
        personalities=model.personalities,
        initial_hash=model.initial_hash,
        turns=[
            SavedTurn(
                turn=rec.turn,
                quarter=rec.quarter,
                orders=rec.human_orders,
                events=rec.injected,
                bot_orders=rec.bot_orders,
                news=[asdict(n) for n in rec.news],
                hash=rec.hash,
            )
            for rec in model.history
        ],
        outcome=asdict(model.world.outcome) if model.world.outcome else None,
        scores=model.scores(),
        final_hash=model.history[-1].hash if model.history else model.initial_hash,
        log=list(log or []),
    )


def load_saved(data: Any) -> SavedGame:
    """Validate a saved-game document.

    Raises:
        ReplayError: if the document is not a saved game.
    """
    try:
        return SavedGame.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ReplayError(f"not a Precipice saved game: {where}: {err['msg']}") from None


def replay(
    saved: SavedGame, upto: int | None = None, verify: bool = True, collect: bool = True
) -> RaceModel:
    """Re-run a saved game's inputs (to turn ``upto`` if given) and check every hash.

    Raises:
        ReplayError: on another rules version, a bad order, or the first hash mismatch.
    """
    if saved.rules_version != RULES_VERSION:
        raise ReplayError(
            f"saved under rules {saved.rules_version}, this server runs rules {RULES_VERSION}"
        )
    try:
        model = new_model(saved.scenario, saved.seed, saved.overrides, saved.personalities, collect)
    except ScenarioError as exc:
        raise ReplayError(f"scenario: {exc}") from None
    if verify and model.initial_hash != saved.initial_hash:
        raise ReplayError(
            f"initial world hash mismatch (file {saved.initial_hash}, replay {model.initial_hash})",
            0,
        )
    for st in saved.turns[: upto if upto is not None else len(saved.turns)]:
        if model.done:
            raise ReplayError(f"turn {st.turn}: the game was already over", st.turn)
        for role, data in st.orders.items():
            try:
                model.submit(role, parse_order(model.world.role_kind(role), data))
            except (OrderError, KeyError) as exc:
                raise ReplayError(
                    f"turn {st.turn}: order for {role!r} refused: {exc}", st.turn
                ) from None
        for eid in st.events:
            try:
                model.inject(eid)
            except KeyError as exc:
                raise ReplayError(f"turn {st.turn}: {exc}", st.turn) from None
        model.step()
        got = model.history[-1].hash
        if verify and got != st.hash:
            raise ReplayError(
                f"turn {st.turn} ({st.quarter}): state hash mismatch (file {st.hash}, replay {got})",
                st.turn,
            )
    if verify and upto is None and model.history and model.history[-1].hash != saved.final_hash:
        raise ReplayError("final hash mismatch")
    return model
