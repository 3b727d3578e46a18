"""A game's life cycle over REST (facilitator token): start, end, delete, and the rejoin links."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypedDict

from fastapi import APIRouter, Response

from server.deps import ApiError, HubDep, TokenDep, game_or_404, require_facilitator
from server.links import facilitator_rejoin_url, seat_rejoin_url
from server.openapi import errors
from server.protocol import ProtocolError
from server.routes.lobby import summary
from server.security import seat_token, token_matches
from server.session import GameSession, phase

router = APIRouter(prefix="/api/games", tags=["life cycle"])


def _refused(exc: ProtocolError) -> ApiError:
    return ApiError(409, exc.code, exc.message)


async def _change_phase(
    game_id: str, hub: HubDep, token: TokenDep, move: Callable[[GameSession], Awaitable[None]]
) -> dict[str, Any]:
    """Apply a facilitator's phase change under the game's lock; a refusal is a typed 409."""
    game = await game_or_404(hub, game_id)
    require_facilitator(game, token)
    async with game.lock:
        try:
            await move(game)
        except ProtocolError as exc:
            raise _refused(exc) from None
    return summary(game, insight=True)  # the facilitator's own card names the seed


@router.post("/{game_id}/start", responses=errors(401, 403, 404, 409))
async def start_game(game_id: str, hub: HubDep, token: TokenDep) -> dict[str, Any]:
    """Start a game in the lobby (facilitator): the clock runs from now. 409 ``wrong_phase`` otherwise."""
    return await _change_phase(game_id, hub, token, phase.start)


@router.post("/{game_id}/end", responses=errors(401, 403, 404, 409))
async def end_game(game_id: str, hub: HubDep, token: TokenDep) -> dict[str, Any]:
    """End the game now (facilitator): it is over, ``end_reason`` ``ended_by_facilitator``."""
    return await _change_phase(game_id, hub, token, phase.end)


@router.delete("/{game_id}", status_code=204, responses=errors(401, 403, 404, 409))
async def delete_game(game_id: str, hub: HubDep, token: TokenDep) -> Response:
    """Delete a game with its seats and log (facilitator); every socket is closed (4404)."""
    game = await game_or_404(hub, game_id)
    require_facilitator(game, token)
    await hub.delete(game)
    return Response(status_code=204)


class SeatLink(TypedDict):
    """A held seat's rejoin URL (null for a seat claimed before links existed)."""

    role: str
    name: str
    player: str
    connected: bool
    rejoin_url: str | None


class Links(TypedDict):
    """Every rejoin URL of a game, for its facilitator."""

    game_id: str
    facilitator_rejoin_url: str
    join_code: str | None
    visibility: str
    seats: list[SeatLink]


def links(game: GameSession, facilitator_token: str) -> Links:
    """The rejoin URL of every held seat, derived again from the game's link key."""
    out: list[SeatLink] = []
    for seat in game.seats.values():
        if seat.mode != "human":
            continue
        url = None
        if game.link_key and seat.token_nonce:
            tok = seat_token(game.link_key, game.id, seat.role, seat.token_nonce)
            if token_matches(tok, seat.token_hash):
                url = seat_rejoin_url(game.id, seat.role, tok)
        out.append(
            {
                "role": seat.role,
                "name": seat.name,
                "player": seat.player,
                "connected": seat.conn is not None,
                "rejoin_url": url,
            }
        )
    return {
        "game_id": game.id,
        "facilitator_rejoin_url": facilitator_rejoin_url(game.id, facilitator_token),
        "join_code": game.join_code,
        "visibility": game.visibility,
        "seats": out,
    }


@router.get("/{game_id}/seats/links", responses=errors(401, 403, 404, 409))
async def seat_links(game_id: str, hub: HubDep, token: TokenDep) -> Links:
    """Every held seat's rejoin URL, the console's own, and the join code (facilitator only)."""
    game = await game_or_404(hub, game_id)
    require_facilitator(game, token)
    assert token is not None
    async with game.lock:
        return links(game, token)
