"""Chat: public and private lines, server-stamped and logged.

A private line goes to its two roles and every facilitator (a seat may also write to
``facilitator``: that line reaches the facilitators and the writer); a public one to everyone
(``server.views.chat_for`` says which lines a late joiner may read).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from server.conn import Connection
from server.db import repo
from server.payloads import ChatLine
from server.protocol import Chat, ProtocolError
from server.session.push import encode_ack, encode_push
from server.session.seats import holder

if TYPE_CHECKING:
    from server.session.game import GameSession


async def say(game: GameSession, conn: Connection, m: Chat, mid: str | int | None) -> None:
    """Post a chat line (public, or private between two roles), server-stamped and logged.

    Raises:
        ProtocolError: not_your_seat (spectators), unknown_role, invalid_message.
    """
    async with game.lock:
        if conn.kind == "spectator":
            raise ProtocolError("not_your_seat", "spectators may read public chat but not post")
        sender = "facilitator" if conn.kind == "facilitator" else holder(game, conn).role
        if m.to not in ("public", "facilitator") and m.to not in game.seats:
            raise ProtocolError("unknown_role", f"no role {m.to!r} in this game", "to")
        if m.to == sender:
            raise ProtocolError(
                "invalid_message", "a private channel needs two different roles", "to"
            )
        line: ChatLine = {
            "from": sender,
            "to": m.to,
            "text": m.text,
            "turn": game.model.turn,
            "at": repo.now().isoformat(),
        }
        await game.append(("chat", line))
        game.chat.append(line)
        conn.reply(encode_ack(mid, "chat", {"at": line["at"], "turn": line["turn"]}))
        text = encode_push("chat", line)
        if m.to == "public":
            game.room.everyone(text)
            return
        game.room.to_roles((sender, m.to), text)
        game.room.to_facilitators(text)
