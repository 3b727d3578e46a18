"""The saved-game format: a played game in one JSON document (``precipice-game/1``).

A saved game is the scenario name and overrides, the seed (and the server's secret for
the game, if it has one), the rules version, the bot
personalities and, per turn, the human orders and injected events (the inputs) plus the
bots' orders, the news and the world hash (what a replay must reproduce), and the
server's log (seats, chat, facilitator actions). ``agents.saved.replay`` re-runs it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agents.saved.errors import ReplayError
from agents.seeds import SECRET_PATTERN

if TYPE_CHECKING:
    from agents.model import RaceModel

FORMAT = "precipice-game/1"


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


class Reseed(BaseModel):
    """From ``turn`` on, the game draws from ``agents.seeds.fork_rng(seed, secret, turn)``."""

    model_config = ConfigDict(extra="forbid")
    turn: int = Field(ge=0)
    secret: str = Field(pattern=SECRET_PATTERN)


class SavedGame(BaseModel):
    """A whole game in one JSON document."""

    model_config = ConfigDict(extra="forbid")
    format: Literal["precipice-game/1"] = "precipice-game/1"
    scenario: str
    overrides: dict[str, Any] = Field(default_factory=dict)
    seed: int = Field(ge=0, description="The game's seed (numpy seeds are never negative).")
    secret: str | None = Field(
        None,
        pattern=SECRET_PATTERN,
        description="The server's secret for the game, mixed with the seed (absent: seed only).",
    )
    reseeds: list[Reseed] = Field(
        default_factory=list,
        description="A fork's fresh secrets: from each turn on, the game draws from it.",
    )
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


def to_saved(model: RaceModel, log: list[dict[str, Any]] | None = None) -> SavedGame:
    """Export a model's game so far."""
    return SavedGame(
        scenario=model.spec.name,
        overrides=model.overrides,
        seed=model.seed,
        secret=model.secret,
        reseeds=[Reseed(turn=t, secret=s) for t, s in model.reseeds],
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
