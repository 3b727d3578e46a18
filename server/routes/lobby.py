"""Lobby (REST): scenarios, events, creating, listing and inspecting games, seats, spectating."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypedDict

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from agents.saved import RulesVersionError, new_model
from rules.events import EVENTS
from rules.scenario import SCENARIO_NAMES, load_scenario
from server.db import repo
from server.deps import ApiError, HubDep, TokenDep, game_or_404, who
from server.hub import LobbyError, StaleGame
from server.session import GameSession
from server.views import game_state

router = APIRouter(prefix="/api", tags=["lobby"])


class CreateGame(BaseModel):
    """Create a game. Seats not in ``open_seats`` are played by bots (``null``: all open)."""

    model_config = ConfigDict(extra="forbid")
    scenario: str = "baseline"
    seed: int | None = Field(
        None, ge=0, le=2**31 - 1, description="Random seed; omitted or null: random."
    )
    open_seats: list[str] | None = Field(
        None, description="Roles people may claim; null means every role."
    )
    deadline_seconds: float | None = Field(
        None, gt=0, le=7 * 86400, description="Seconds per turn; null: none."
    )
    personalities: dict[str, str] = Field(
        default_factory=dict, description="Bot personality per role."
    )
    overrides: dict[str, Annotated[str | float | int | bool, Field()]] = Field(default_factory=dict)
    single_player: bool = Field(
        False, description="Seat the creator at ``seat`` at once; every other seat a bot."
    )
    seat: str | None = Field(None, description="The seat to take with single_player.")
    player: Annotated[str, Field(max_length=64)] = ""


class ClaimSeat(BaseModel):
    """Claim an open seat."""

    model_config = ConfigDict(extra="forbid")
    player: Annotated[str, Field(max_length=64)] = ""


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def ws_path(game_id: str) -> str:
    """The websocket path of a game."""
    return f"/ws/games/{game_id}"


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness probe."""
    return {"status": "ok"}


@router.get("/scenarios")
async def scenarios() -> list[dict[str, Any]]:
    """Every bundled scenario; only ``race`` scenarios are playable here."""
    out = []
    for name in SCENARIO_NAMES:
        sc = load_scenario(name)
        roles = new_model(name, 0, collect=False).roles() if sc.mode == "race" else []
        out.append(
            {
                "name": name,
                "title": sc.title,
                "description": sc.description,
                "mode": sc.mode,
                "playable": sc.mode == "race",
                "turns": sc.turns,
                "start": f"{sc.start_year}-Q{sc.start_quarter}",
                "roles": roles,
            }
        )
    return out


@router.get("/events")
async def events() -> list[dict[str, str]]:
    """Scenario events a facilitator may inject."""
    return [{"id": e.id, "title": e.title, "source": e.source} for e in EVENTS.values()]


@router.post("/games", status_code=201)
async def create_game(body: CreateGame, hub: HubDep, request: Request) -> dict[str, Any]:
    """Create a game; returns the facilitator token (and a seat token in single-player mode)."""
    if body.single_player and not body.seat:
        raise ApiError(422, "seat_required", 'single_player needs a seat (e.g. "us")')
    open_seats = body.open_seats
    if body.single_player:
        open_seats = [] if open_seats is None else open_seats
    try:
        new = await hub.create(
            scenario=body.scenario,
            seed=body.seed,
            overrides=dict(body.overrides),
            personalities=body.personalities,
            open_seats=open_seats,
            deadline_seconds=body.deadline_seconds,
            creator=_client(request),
            claim=body.seat if body.single_player else None,
            player=body.player,
        )
    except LobbyError as exc:
        raise ApiError(exc.status, exc.code, exc.message) from None
    out: dict[str, Any] = {
        "game_id": new.game.id,
        "facilitator_token": new.facilitator_token,
        "ws_url": ws_path(new.game.id),
        "game": summary(new.game),
    }
    if body.single_player and body.seat:
        out |= {"seat": body.seat, "seat_token": new.seat_tokens[body.seat]}
    return out


def summary(game: GameSession) -> dict[str, Any]:
    """A game's lobby card: scenario, status, turn, seats, rules version."""
    st = game_state(game)
    return {k: v for k, v in st.items() if k != "world"} | {
        "status": game.info["status"],
        "seed": game.info["seed"],
        "created_at": game.info["created_at"],
        "rules_version": game.info["rules_version"],
    }


class StaleCard(TypedDict):
    """The lobby card of a game created under other rules: it needs an upgrade to be played."""

    game_id: str
    scenario: str
    status: Literal["needs_upgrade"]
    stored_status: str
    seed: int
    created_at: str
    parent_id: str | None
    fork_turn: int | None
    rules_version: str
    current_rules_version: str
    message: str


def stale_summary(stale: StaleGame) -> StaleCard:
    """The lobby card of a game this server cannot play (both rules versions named)."""
    info = stale.info
    return {
        "game_id": stale.game_id,
        "scenario": info["scenario"],
        "status": "needs_upgrade",
        "stored_status": info["status"],
        "seed": info["seed"],
        "created_at": info["created_at"],
        "parent_id": info["parent_id"],
        "fork_turn": info["fork_turn"],
        "rules_version": stale.error.saved,
        "current_rules_version": stale.error.current,
        "message": stale.message,
    }


@router.get("/games")
async def list_games(hub: HubDep) -> list[dict[str, Any] | StaleCard]:
    """Every game this server holds, newest first; one made under other rules as ``needs_upgrade``."""
    ids = await hub.store.run(lambda s: [r.id for r in repo.list_games(s)])
    out: list[dict[str, Any] | StaleCard] = []
    for gid in ids:
        try:
            game = await hub.get(gid)
        except RulesVersionError:
            out.append(stale_summary(hub.stale[gid]))
            continue
        except ValueError:
            continue
        if game is not None:
            out.append(summary(game))
    return out


@router.get("/games/{game_id}")
async def get_game(game_id: str, hub: HubDep) -> dict[str, Any]:
    """One game's public state (seats, turn, clock, public world)."""
    game = await game_or_404(hub, game_id)
    return game_state(game) | {"status": game.info["status"]}


@router.post("/games/{game_id}/seats/{role}/claim", status_code=201)
async def claim_seat(
    game_id: str, role: str, hub: HubDep, body: ClaimSeat | None = None
) -> dict[str, Any]:
    """Claim an open seat: returns the seat's secret token (shown once)."""
    game = await game_or_404(hub, game_id)
    if game.model.done:
        raise ApiError(409, "game_over", "the game is over")
    try:
        token = await game.claim(role, body.player if body else "")
    except KeyError:
        raise ApiError(404, "unknown_role", f"no role {role!r} in this game") from None
    except PermissionError as exc:
        code = "seat_taken" if str(exc) == "taken" else "seat_not_open"
        raise ApiError(
            409, code, f"seat {role!r} is {'taken' if code == 'seat_taken' else 'played by a bot'}"
        ) from None
    return {"game_id": game_id, "role": role, "seat_token": token, "ws_url": ws_path(game_id)}


@router.post("/games/{game_id}/seats/{role}/release")
async def release_seat(game_id: str, role: str, hub: HubDep, token: TokenDep) -> dict[str, Any]:
    """Give a seat back (its token or the facilitator's): a bot plays it at once, and it reopens."""
    game = await game_or_404(hub, game_id)
    if token is None:
        raise ApiError(
            401, "unauthorized", "send the seat token as 'Authorization: Bearer <token>'"
        )
    kind, seat_role = who(game, token)
    if role not in game.seats:
        raise ApiError(404, "unknown_role", f"no role {role!r} in this game")
    if kind == "seat" and seat_role != role:
        raise ApiError(403, "not_your_seat", f"this token holds {seat_role!r}, not {role!r}")
    async with game.lock:
        if game.seats[role].mode != "human":
            raise ApiError(409, "seat_not_held", f"nobody holds {role!r}")
        await game.set_seat(role, "open", "player" if kind == "seat" else "facilitator")
    return {"game_id": game_id, "role": role, "mode": "open"}


@router.get("/games/{game_id}/spectate")
async def spectate(game_id: str, hub: HubDep) -> dict[str, Any]:
    """How to watch: open the websocket and say hello without a token."""
    await game_or_404(hub, game_id)
    return {"ws_url": ws_path(game_id), "hello": {"v": 1, "type": "hello"}}
