"""Saved games (REST): export, import, turn-by-turn replay, and fork at a turn."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator

from agents.saved import ReplayError, SavedGame, SavedTurn, replay
from rules.observe import public_state
from rules.views import GodView, Observation, PublicState
from server.deps import ApiError, HubDep, SettingsDep, TokenDep, game_or_404, who
from server.hub import Hub, LobbyError, NewGame
from server.openapi import errors
from server.routes.lobby import check_deadline, created, unique_roles
from server.secrecy import may_see_secrets
from server.session import GameSession

router = APIRouter(prefix="/api/games", tags=["games"])
# The import route takes the one big body; the app includes it with its own body limit.
imports = APIRouter(prefix="/api/games", tags=["games"])


class Fork(BaseModel):
    """Fork a game at turn ``turn`` (0 = before the first turn)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    turn: int = Field(ge=0)
    open_seats: list[str] | None = Field(None, json_schema_extra={"uniqueItems": True})

    @field_validator("open_seats")
    @classmethod
    def _each_seat_once(cls, seats: list[str] | None) -> list[str] | None:
        return unique_roles(seats)

    deadline_seconds: float | None = Field(None, gt=0)


class ImportedTurn(SavedTurn):
    """One resolved turn of an imported game (strict: no coercion)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ImportedGame(SavedGame):
    """A saved-game document (``precipice-game/1``, as ``GET /api/games/{id}/export`` gives it).

    Strict: a JSON string is never a number. The seed must fit this server's store.
    """

    model_config = ConfigDict(extra="forbid", strict=True)
    seed: int = Field(ge=0, le=2**31 - 1, description="The game's seed.")
    turns: list[ImportedTurn] = Field(default_factory=list)  # type: ignore[assignment]  # read-only here


def _need_insight(game: GameSession, token: str | None, role: str | None = None) -> None:
    """Secrets of a live game go only to its facilitator (or, for ``role``, that seat)."""
    if game.over:
        return
    if token is None:
        raise ApiError(
            401, "unauthorized", "the game is not over: send the facilitator token (or your seat's)"
        )
    kind, seat = who(game, token)
    if kind == "facilitator" or (role is not None and kind == "seat" and seat == role):
        return
    raise ApiError(403, "forbidden", "until the game is over only the facilitator may see this")


def _created(new: NewGame, hub: Hub) -> dict[str, Any]:
    return created(new, hub)


@router.get("/{game_id}/export", responses=errors(401, 403, 404, 409))
async def export_game(game_id: str, hub: HubDep, token: TokenDep) -> dict[str, Any]:
    """The whole game as one saved-game JSON document (facilitator only until the end)."""
    game = await game_or_404(hub, game_id)
    _need_insight(game, token)
    saved = await hub.export(game)
    return saved.model_dump(mode="json")


@imports.post("/import", status_code=201, responses=errors(413, 422, 429))
async def import_game(request: Request, hub: HubDep, saved: ImportedGame) -> dict[str, Any]:
    """Import a saved game: it is replayed and every hash verified, then continues as a new game."""
    try:
        new = await hub.from_saved(saved, request.client.host if request.client else "unknown")
    except ReplayError as exc:
        raise ApiError(
            422, "replay_failed", str(exc) if exc.turn is None else f"turn {exc.turn}: {exc}"
        ) from None
    except LobbyError as exc:
        raise ApiError(exc.status, exc.code, exc.message) from None
    return _created(new, hub)


@router.get("/{game_id}/replay", responses=errors(403, 404, 409))
async def replay_index(game_id: str, hub: HubDep, token: TokenDep) -> dict[str, Any]:
    """The resolved turns: quarter and public news of each.

    Each turn's hash of the whole world (and ``initial_hash``) is listed only for the
    facilitator until the game is over: with the seed it would be an oracle for the hidden
    world and the other seats' moves.
    """
    game = await game_or_404(hub, game_id)
    hashes = may_see_secrets(game, who(game, token)[0])
    async with game.lock:
        turns: list[dict[str, Any]] = []
        for r in game.model.history:
            item: dict[str, Any] = {"turn": r.turn, "quarter": r.quarter}
            if hashes:
                item["hash"] = r.hash
            item["news"] = [{"kind": n.kind, "text": n.text} for n in r.news if n.public]
            turns.append(item)
    out: dict[str, Any] = {"game_id": game_id, "done": game.model.done, "turns": turns}
    if hashes:
        out["initial_hash"] = game.model.initial_hash
    return out


@router.get("/{game_id}/replay/{turn}", responses=errors(401, 403, 404, 409, 422))
async def replay_turn(
    game_id: str, turn: int, hub: HubDep, token: TokenDep, view: str = "god"
) -> dict[str, Any]:
    """Replay to the start of ``turn`` (hashes checked) and show it from ``view``.

    ``view``: ``god`` (everything: the facilitator, or anyone once the game is over), a role
    (that seat's observation: its own token, the facilitator, or anyone once over), or
    ``public`` (what every spectator saw then: no token needed).
    """
    game = await game_or_404(hub, game_id)
    if view not in ("god", "public") and view not in game.seats:
        raise ApiError(404, "unknown_role", f"no role {view!r} in this game")
    if view != "public":
        _need_insight(game, token, None if view == "god" else view)
    saved = await hub.export(game)
    if not 0 <= turn <= len(saved.turns):
        raise ApiError(404, "unknown_turn", f"turn {turn} is not between 0 and {len(saved.turns)}")
    try:
        model = await anyio.to_thread.run_sync(lambda: replay(saved, upto=turn, collect=False))
    except ReplayError as exc:
        raise ApiError(409, "replay_failed", str(exc)) from None
    body: PublicState | GodView | Observation
    if view == "public":
        body = public_state(model.world)
    else:
        body = model.god_view() if view == "god" else model.observe(view)
    out: dict[str, Any] = {
        "game_id": game_id,
        "turn": turn,
        "quarter": model.world.quarter_label(),
        "view": view,
        "state": body,
    }
    if may_see_secrets(game, who(game, token)[0]):  # a whole-world hash: facilitator's till the end
        out["hash"] = model.history[-1].hash if model.history else model.initial_hash
    return out


@router.post(
    "/{game_id}/fork", status_code=201, responses=errors(401, 403, 404, 409, 413, 422, 429)
)
async def fork_game(
    game_id: str, body: Fork, hub: HubDep, settings: SettingsDep, token: TokenDep, request: Request
) -> dict[str, Any]:
    """Start a new live game from this one at turn ``turn`` (new id, new tokens, parent recorded)."""
    check_deadline(body.deadline_seconds, settings, "deadline_seconds")
    game = await game_or_404(hub, game_id)
    _need_insight(game, token)
    saved = await hub.export(game)
    if body.turn > len(saved.turns):
        raise ApiError(
            422,
            "unknown_turn",
            f"turn {body.turn} is after the last resolved turn {len(saved.turns)}",
        )
    try:
        new = await hub.from_saved(
            saved,
            request.client.host if request.client else "unknown",
            upto=body.turn,
            parent_id=game_id,
            open_seats=body.open_seats,
            deadline_seconds=body.deadline_seconds,
        )
    except ReplayError as exc:
        raise ApiError(409, "replay_failed", str(exc)) from None
    except LobbyError as exc:
        raise ApiError(exc.status, exc.code, exc.message) from None
    return _created(new, hub) | {"parent_id": game_id, "fork_turn": body.turn}
