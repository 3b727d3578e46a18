"""A seat's order for the current turn: checked, logged, acknowledged, and queued (last one wins)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rules.actions import (
    IllegalOrderError,
    InvalidOrderError,
    check_order,
    order_to_wire,
    parse_order,
)
from server.conn import Connection
from server.protocol import ProtocolError, SubmitOrder
from server.session.push import encode_ack
from server.session.seats import holder

if TYPE_CHECKING:
    from server.session.game import GameSession


async def submit(
    game: GameSession, conn: Connection, m: SubmitOrder, mid: str | int | None
) -> None:
    """Accept (or refuse) a seat's order for the current turn; the ack follows the commit.

    Raises:
        ProtocolError: not_your_seat, game_over, game_paused, stale_turn, invalid_action, illegal_action.
    """
    async with game.lock:
        seat = holder(game, conn)
        model = game.model
        if game.over:
            raise ProtocolError("game_over", "the game is over")
        if game.phase != "playing":
            raise ProtocolError(
                "wrong_phase", f"the game is in the {game.phase}: orders open when it starts"
            )
        if game.paused:
            raise ProtocolError("game_paused", "the facilitator has paused the game")
        if m.turn != model.turn:
            raise ProtocolError(
                "stale_turn",
                f"this order is for turn {m.turn}; the current turn is {model.turn}",
                "turn",
            )
        try:
            order = parse_order(seat.kind, m.order)
            check_order(order, model.observe(seat.role))
        except InvalidOrderError as exc:
            raise ProtocolError("invalid_action", str(exc), f"order.{exc.field}") from None
        except IllegalOrderError as exc:
            raise ProtocolError("illegal_action", str(exc), f"order.{exc.field}") from None
        wire = order_to_wire(order)
        await game.append(("order", {"role": seat.role, "order": wire}))
        model.pending[seat.role] = order
        game.submitted.add(seat.role)
        conn.reply(encode_ack(mid, "order", {"turn": model.turn, "order": wire}))
        await game.settle()
        if game.model.turn == m.turn:
            game.broadcast_state_soon()
