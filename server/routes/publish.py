"""Chat at the debrief (REST): the facilitator publishes the private chat of a finished game.

Private lines stay out of every export and replay, also once the game is over, until the
facilitator publishes them here; the act is logged, and from then on exports include them.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.deps import ApiError, HubDep, TokenDep, game_or_404, who
from server.openapi import errors
from server.secrecy import PUBLISH_CHAT, is_over, is_private_chat

router = APIRouter(prefix="/api/games", tags=["games"])


@router.post("/{game_id}/chat/publish", responses=errors(401, 403, 404, 409))
async def publish_chat(game_id: str, hub: HubDep, token: TokenDep) -> dict[str, Any]:
    """Facilitator, once the game is over: make its private chat part of its exports (logged)."""
    game = await game_or_404(hub, game_id)
    if token is None:
        raise ApiError(401, "unauthorized", "send the facilitator token")
    if who(game, token)[0] != "facilitator":
        raise ApiError(403, "forbidden", "only the facilitator may publish the private chat")
    async with game.lock:
        if not is_over(game):
            raise ApiError(
                409, "game_not_over", "private chat may be published only at the debrief"
            )
        if not game.chat_published:
            await game.append(("facilitator", {"action": PUBLISH_CHAT}))
            game.chat_published = True
        private = sum(1 for line in game.chat if is_private_chat(dict(line)))
    return {"game_id": game_id, "published": True, "private_lines": private}
