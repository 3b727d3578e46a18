"""Saved games (REST): export, import, turn-by-turn replay, and fork at a turn."""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Body, Request
from pydantic import BaseModel, ConfigDict, Field

from agents.saved import ReplayError, load_saved, replay
from rules.observe import public_state
from rules.views import GodView, Observation, PublicState
from server.deps import ApiError, HubDep, TokenDep, game_or_404, who
from server.hub import LobbyError, NewGame
from server.routes.lobby import summary, ws_path
from server.session import GameSession

router = APIRouter(prefix="/api/games", tags=["games"])


class Fork(BaseModel):
    """Fork a game at turn ``turn`` (0 = before the first turn)."""

    model_config = ConfigDict(extra="forbid")
    turn: int = Field(ge=0)
    open_seats: list[str] | None = None
    deadline_seconds: float | None = Field(None, gt=0)


def _need_insight(game: GameSession, token: str | None, role: str | None = None) -> None:
    """Secrets of a live game go only to its facilitator (or, for ``role``, that seat)."""
    if game.model.done:
        return
    if token is None:
        raise ApiError(
            401, "unauthorized", "the game is not over: send the facilitator token (or your seat's)"
        )
    kind, seat = who(game, token)
    if kind == "facilitator" or (role is not None and kind == "seat" and seat == role):
        return
    raise ApiError(403, "forbidden", "until the game is over only the facilitator may see this")


def _created(new: NewGame) -> dict[str, Any]:
    return {
        "game_id": new.game.id,
        "facilitator_token": new.facilitator_token,
        "ws_url": ws_path(new.game.id),
        "game": summary(new.game),
    }


@router.get("/{game_id}/export")
async def export_game(game_id: str, hub: HubDep, token: TokenDep) -> dict[str, Any]:
    """The whole game as one saved-game JSON document (facilitator only until the end)."""
    game = await game_or_404(hub, game_id)
    _need_insight(game, token)
    saved = await hub.export(game)
    return saved.model_dump(mode="json")


@router.post("/import", status_code=201)
async def import_game(
    request: Request, hub: HubDep, data: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    """Import a saved game: it is replayed and every hash verified, then continues as a new game."""
    try:
        saved = load_saved(data)
        new = await hub.from_saved(saved, request.client.host if request.client else "unknown")
    except ReplayError as exc:
        raise ApiError(
            422, "replay_failed", str(exc) if exc.turn is None else f"turn {exc.turn}: {exc}"
        ) from None
    except LobbyError as exc:
        raise ApiError(exc.status, exc.code, exc.message) from None
    return _created(new)


@router.get("/{game_id}/replay")
async def replay_index(game_id: str, hub: HubDep) -> dict[str, Any]:
    """The resolved turns: quarter, hash and public news of each."""
    game = await game_or_404(hub, game_id)
    async with game.lock:
        turns = [
            {
                "turn": r.turn,
                "quarter": r.quarter,
                "hash": r.hash,
                "news": [{"kind": n.kind, "text": n.text} for n in r.news if n.public],
            }
            for r in game.model.history
        ]
    return {
        "game_id": game_id,
        "done": game.model.done,
        "initial_hash": game.model.initial_hash,
        "turns": turns,
    }


@router.get("/{game_id}/replay/{turn}")
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
    last = model.history[-1].hash if model.history else model.initial_hash
    return {
        "game_id": game_id,
        "turn": turn,
        "quarter": model.world.quarter_label(),
        "hash": last,
        "view": view,
        "state": body,
    }


@router.post("/{game_id}/fork", status_code=201)
async def fork_game(
    game_id: str, body: Fork, hub: HubDep, token: TokenDep, request: Request
) -> dict[str, Any]:
    """Start a new live game from this one at turn ``turn`` (new id, new tokens, parent recorded)."""
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
    return _created(new) | {"parent_id": game_id, "fork_turn": body.turn}
