"""Chat history over REST, paged: what a welcome no longer carries.

A ``welcome`` holds only the latest ``chat_history`` lines of a game (those its reader
may read). Older lines come from the game's log, newest page first:
``GET /api/games/{id}/chat?before=SEQ&limit=N`` answers the ``limit`` latest lines with
``seq < before`` that the bearer may read (the facilitator token reads every channel, a
seat token the public channel and its own private ones, no token the public channel),
oldest first, with ``next_before`` to ask for the page before (null at the start).
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from server.db import repo
from server.deps import HubDep, TokenDep, game_or_404, who
from server.openapi import errors
from server.payloads import ChatLine
from server.views import may_read

router = APIRouter(prefix="/api/games", tags=["games"])
SCAN = 500  # log rows read per query while looking for lines the reader may read


class PagedLine(BaseModel):
    """One chat line with its place in the game's log."""

    seq: int = Field(description="The line's sequence number in the game's log (a cursor).")
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    text: str
    turn: int
    at: str
    bot: bool = Field(False, description="True on a line a bot wrote (a treaty answer).")


class ChatPage(BaseModel):
    """A page of chat, oldest line first."""

    lines: list[PagedLine]
    next_before: int | None = Field(
        description="Pass as ``before`` for the page before this one; null when none is left."
    )


@router.get("/{game_id}/chat", response_model_by_alias=True, responses=errors(403, 404, 409, 422))
async def chat_history(
    game_id: str,
    hub: HubDep,
    token: TokenDep,
    before: Annotated[int | None, Query(ge=1, description="Only lines with a smaller seq.")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Lines per page.")] = 100,
) -> ChatPage:
    """A page of the chat lines the bearer may read, before ``before`` (the latest if omitted)."""
    game = await game_or_404(hub, game_id)
    kind, role = who(game, token)

    def page(s: Session) -> tuple[list[tuple[int, ChatLine]], bool]:
        found: list[tuple[int, ChatLine]] = []
        cursor = before
        while len(found) <= limit:
            rows = repo.chat_before(s, game_id, cursor, SCAN)
            for row in rows:
                line = cast(ChatLine, row.data)
                if may_read(line, kind, role):
                    found.append((row.seq, line))
            if len(rows) < SCAN:
                break
            cursor = rows[-1].seq
        return found[: limit + 1], len(found) > limit

    found, more = await hub.store.run(page)
    shown = list(reversed(found[:limit]))
    lines = [PagedLine.model_validate({"seq": seq, **line}) for seq, line in shown]
    return ChatPage(lines=lines, next_before=shown[0][0] if more and shown else None)
