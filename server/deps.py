"""``Annotated`` dependency aliases and the token/error helpers shared by the routers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends, Header
from starlette.requests import HTTPConnection

from agents.saved import ReplayError, RulesVersionError
from server.cluster.node import NotOwner, ws_url
from server.hub import Hub
from server.security import token_matches
from server.session import GameSession
from server.settings import Settings


class ApiError(Exception):
    """An HTTP error with a JSON body ``{"error": code, "message": ...}`` (plus ``extra`` fields).

    ``headers`` go on the response (e.g. ``Retry-After`` on a 429).
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        extra: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})


def get_hub(conn: HTTPConnection) -> Hub:
    """The app's game registry (created in the lifespan)."""
    hub: Hub = conn.app.state.hub
    return hub


def get_settings(conn: HTTPConnection) -> Settings:
    """The app's settings."""
    settings: Settings = conn.app.state.settings
    return settings


def bearer(authorization: Annotated[str | None, Header()] = None) -> str | None:
    """The token from ``Authorization: Bearer <token>``, if any."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


HubDep = Annotated[Hub, Depends(get_hub)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
TokenDep = Annotated[str | None, Depends(bearer)]


async def game_or_404(hub: Hub, game_id: str) -> GameSession:
    """The game, or a typed refusal: 404 ``unknown_game``, 409 ``rules_version_mismatch``.

    A game created under other rules is refused with both versions named (and as
    ``rules_version`` and ``current_rules_version``); a log that does not replay with
    409 ``replay_failed`` naming the turn.
    """
    try:
        game = await hub.get(game_id)
    except RulesVersionError as exc:
        raise ApiError(
            409,
            "rules_version_mismatch",
            hub.stale[game_id].message if game_id in hub.stale else str(exc),
            {"rules_version": exc.saved, "current_rules_version": exc.current},
        ) from None
    except ReplayError as exc:
        raise ApiError(409, "replay_failed", str(exc)) from None
    except NotOwner as exc:
        raise ApiError(
            409,
            "not_owner",
            f"game {game_id!r} is served by {exc.url}; ask it",
            {"owner": exc.url, "ws_url": ws_url(exc.url, game_id)},
        ) from None
    if game is None:
        raise ApiError(404, "unknown_game", f"no game {game_id!r}")
    return game


def who(game: GameSession, token: str | None) -> tuple[str, str | None]:
    """Who a bearer token is in a game: ``("facilitator", None)``, ``("seat", role)`` or ``("anyone", None)``.

    Raises:
        ApiError: 403 for a token that matches nothing in this game.
    """
    if token is None:
        return "anyone", None
    if token_matches(token, game.facilitator_hash):
        return "facilitator", None
    for seat in game.seats.values():
        if seat.mode == "human" and token_matches(token, seat.token_hash):
            return "seat", seat.role
    raise ApiError(
        403, "forbidden", "this token holds no seat in this game and is not its facilitator token"
    )


def require_facilitator(game: GameSession, token: str | None) -> None:
    """Refuse anyone but the game's facilitator.

    Raises:
        ApiError: 401 without a token, 403 for any other token.
    """
    if token is None:
        raise ApiError(
            401, "unauthorized", "send the facilitator token as 'Authorization: Bearer <token>'"
        )
    if not token_matches(token, game.facilitator_hash):
        raise ApiError(403, "forbidden", "only this game's facilitator may do this")
