"""Lobby (REST): scenarios, events, creating, listing and inspecting games, seats, spectating."""

from __future__ import annotations

import functools
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator

from agents.saved import new_model
from rules.events import EVENTS
from rules.scenario import SCENARIO_NAMES, load_scenario
from server.db import repo
from server.deps import ApiError, HubDep, SettingsDep, TokenDep, game_or_404, who
from server.hub import Hub, LobbyError, NewGame
from server.links import facilitator_rejoin_url, seat_rejoin_url
from server.listing import GameList, card
from server.openapi import errors
from server.payloads import Phase, Visibility
from server.secrecy import is_over
from server.security import join_code_matches
from server.session import GameSession
from server.settings import Settings
from server.views import game_state

router = APIRouter(prefix="/api", tags=["lobby"])
PLAYABLE = tuple(n for n in SCENARIO_NAMES if load_scenario(n).mode == "race")
"""The scenarios a game can be created from (the others are one-shot analyses)."""


class CreateGame(BaseModel):
    """Create a game. Seats not in ``open_seats`` are played by bots (``null``: all open).

    Strict: a JSON string is never a number (``"seed": "7"`` is refused) nor a number a
    switch (``"seed": true`` is refused).
    """

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        # single_player needs a seat: said in the schema, so a client (or a fuzzer) knows it
        json_schema_extra={
            "if": {"properties": {"single_player": {"const": True}}, "required": ["single_player"]},
            "then": {
                "required": ["seat"],
                "properties": {"seat": {"type": "string", "minLength": 1}},
            },
        },
    )
    scenario: str = Field(
        "baseline",
        description="A playable scenario (see GET /api/scenarios).",
        json_schema_extra={"enum": list(PLAYABLE)},
    )
    seed: int | None = Field(
        None, ge=0, le=2**31 - 1, description="Random seed; omitted or null: random."
    )
    open_seats: list[str] | None = Field(
        None,
        description="Roles people may claim (each once); null means every role.",
        json_schema_extra={"uniqueItems": True},
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
    visibility: Visibility | None = Field(
        None,
        description="public: listed, open seats claimable by anyone; private: not listed, "
        "claiming needs the join_code of the create response. Default: private for an "
        "exercise, public for single player.",
    )

    @field_validator("open_seats")
    @classmethod
    def _each_seat_once(cls, seats: list[str] | None) -> list[str] | None:
        return unique_roles(seats)


def unique_roles(roles: list[str] | None) -> list[str] | None:
    """``roles`` unchanged if no role is named twice.

    Raises:
        ValueError: naming the first role given twice.
    """
    if roles is not None:
        twice = next((r for i, r in enumerate(roles) if r in roles[:i]), None)
        if twice is not None:
            raise ValueError(f"role {twice!r} is named twice")
    return roles


class ClaimSeat(BaseModel):
    """Claim an open seat (a private game needs its join code)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    player: Annotated[str, Field(max_length=64)] = ""
    join_code: Annotated[str, Field(max_length=32)] | None = Field(
        None, description="The private game's join code, from its facilitator."
    )


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def ws_path(game_id: str) -> str:
    """The websocket path of a game."""
    return f"/ws/games/{game_id}"


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness probe."""
    return {"status": "ok"}


@functools.cache
def scenario_cards() -> list[dict[str, Any]]:
    """Every bundled scenario's lobby card (built once per process: the files are bundled)."""
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


@router.get("/scenarios")
async def scenarios() -> list[dict[str, Any]]:
    """Every bundled scenario; only ``race`` scenarios are playable here."""
    return await anyio.to_thread.run_sync(scenario_cards)


@router.get("/events")
async def events() -> list[dict[str, str]]:
    """Scenario events a facilitator may inject."""
    return [{"id": e.id, "title": e.title, "source": e.source} for e in EVENTS.values()]


def check_deadline(seconds: float | None, settings: Settings, field: str) -> None:
    """Refuse a turn deadline under the server's minimum (a typed 422 naming the field).

    Raises:
        ApiError: 422 ``invalid_request``.
    """
    if seconds is not None and seconds < settings.min_deadline_seconds:
        raise ApiError(
            422,
            "invalid_request",
            f"{field}: at least {settings.min_deadline_seconds:g} seconds per quarter",
            {"field": field},
        )


@router.post("/games", status_code=201, responses=errors(413, 422, 429))
async def create_game(
    body: CreateGame, hub: HubDep, settings: SettingsDep, request: Request
) -> dict[str, Any]:
    """Create a game; returns the facilitator token (and a seat token in single-player mode).

    An exercise is created in the ``lobby`` phase (the facilitator starts it); single
    player starts at once. A private game's response carries its ``join_code``.
    """
    if body.single_player and not body.seat:
        raise ApiError(422, "seat_required", 'single_player needs a seat (e.g. "us")')
    check_deadline(body.deadline_seconds, settings, "deadline_seconds")
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
            visibility=body.visibility,
        )
    except LobbyError as exc:
        raise ApiError(exc.status, exc.code, exc.message) from None
    out = created(new, hub)
    if body.single_player and body.seat:
        token = new.seat_tokens[body.seat]
        out |= {
            "seat": body.seat,
            "seat_token": token,
            "rejoin_url": seat_rejoin_url(new.game.id, body.seat, token),
        }
    return out


def created(new: NewGame, hub: Hub) -> dict[str, Any]:
    """What a new game's creator gets: the facilitator token and console link, the join code.

    ``ws_url`` is a path on a single server, the owner's absolute URL in a cluster.
    """
    gid = new.game.id
    return {
        "game_id": gid,
        "facilitator_token": new.facilitator_token,
        "facilitator_rejoin_url": facilitator_rejoin_url(gid, new.facilitator_token),
        "ws_url": hub.ws_url(gid),
        "visibility": new.game.visibility,
        "join_code": new.game.join_code,
        "game": summary(new.game, insight=True),
    }


def summary(game: GameSession, insight: bool = False) -> dict[str, Any]:
    """A game's lobby card: scenario, status, turn, seats, rules version.

    The seed is on it only for the facilitator (``insight``) or once the game is over
    (``server.secrecy``).
    """
    st = game_state(game)
    out = {k: v for k, v in st.items() if k != "world"} | {
        "status": game.info["status"],
        "visibility": game.visibility,
        "created_at": game.info["created_at"],
        "rules_version": game.info["rules_version"],
    }
    if insight or is_over(game):
        out["seed"] = game.info["seed"]
    return out


@router.get("/games", responses=errors(422))
async def list_games(
    hub: HubDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    phase: Phase | None = None,
    scenario: Annotated[str | None, Query(max_length=64)] = None,
) -> GameList:
    """Public games, newest first, one page at a time (``phase``, ``scenario`` filter).

    Read from the database: listing never loads a game into memory. Private games are
    not listed. A game made under other rules is listed as ``needs_upgrade``.
    """
    rows, seats, total = await hub.store.run(
        lambda s: repo.list_public(s, limit, offset, phase, scenario)
    )
    return {
        "games": [card(r, seats[r.id]) for r in rows],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


@router.get("/games/{game_id}", responses=errors(404, 409))
async def get_game(game_id: str, hub: HubDep) -> dict[str, Any]:
    """One game's public state (seats, turn, clock, public world) and its websocket URL.

    ``ws_url`` is a path on a single server; in a cluster it is the absolute URL of the
    process that owns the game (any process answers: ``server.cluster.proxy``).
    """
    game = await game_or_404(hub, game_id)
    return game_state(game) | {
        "status": game.info["status"],
        "visibility": game.visibility,
        "ws_url": hub.ws_url(game_id),
    }


@router.post(
    "/games/{game_id}/seats/{role}/claim",
    status_code=201,
    responses=errors(403, 404, 409, 413, 422),
)
async def claim_seat(
    game_id: str, role: str, hub: HubDep, body: ClaimSeat | None = None
) -> dict[str, Any]:
    """Claim an open seat: returns the seat's secret token (shown once) and its rejoin URL.

    A private game needs its ``join_code`` (403 ``bad_join_code`` without the right one).
    """
    game = await game_or_404(hub, game_id)
    if game.over:
        raise ApiError(409, "game_over", "the game is over")
    if game.visibility == "private" and not join_code_matches(
        body.join_code if body else None, game.join_code
    ):
        raise ApiError(
            403,
            "bad_join_code",
            "join_code: this game is private; ask its facilitator for the join code",
            {"field": "join_code"},
        )
    try:
        token = await game.claim(role, body.player if body else "")
    except KeyError:
        raise ApiError(404, "unknown_role", f"no role {role!r} in this game") from None
    except PermissionError as exc:
        code = "seat_taken" if str(exc) == "taken" else "seat_not_open"
        raise ApiError(
            409, code, f"seat {role!r} is {'taken' if code == 'seat_taken' else 'played by a bot'}"
        ) from None
    return {
        "game_id": game_id,
        "role": role,
        "seat_token": token,
        "rejoin_url": seat_rejoin_url(game_id, role, token),
        "ws_url": hub.ws_url(game_id),
    }


@router.post("/games/{game_id}/seats/{role}/release", responses=errors(401, 403, 404, 409))
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


@router.get("/games/{game_id}/spectate", responses=errors(404, 409))
async def spectate(game_id: str, hub: HubDep) -> dict[str, Any]:
    """How to watch: open the websocket and say hello without a token."""
    await game_or_404(hub, game_id)
    return {"ws_url": hub.ws_url(game_id), "hello": {"v": 1, "type": "hello"}}
