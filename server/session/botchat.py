"""Bots answering in chat: a bot state that answers a person's treaty proposal says what it decided.

Bots do not read chat, but a treaty proposal is a question a bot does answer, in its order.
When a quarter resolves with a proposal standing from a seat a person holds, and the rival
state's seat is played by a bot, that bot's order for the quarter is its answer: it accepts,
or it lets the quarter pass without accepting. The answer goes to the proposer as a private
chat line from the bot's seat, marked ``bot`` (so the facilitator reads it too, as every
private line). The lines are logged with the quarter's resolution, in one transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rules.views import TreatyView
from server.db import repo
from server.payloads import ChatLine

if TYPE_CHECKING:
    from agents.model import TurnRecord
    from server.session.game import GameSession

KINDS = {"pause": "mutual pause", "floor": "mutual safety floor"}
"""A treaty kind in words."""


def treaty_replies(game: GameSession, before: TreatyView, rec: TurnRecord) -> list[ChatLine]:
    """The chat lines bots owe for the quarter ``rec`` resolved, from the treaty as it stood before.

    One line at most: from the rival of the proposer, if a bot played that seat this quarter
    and the proposer's seat is held by a person.
    """
    proposer = before["proposed_by"]
    if before["status"] != "proposed" or proposer is None or before["kind"] is None:
        return []
    world = game.model.world
    lapse = game.model.spec.dynamics.proposal_quarters
    if rec.turn - before["since"] >= lapse:
        return []  # it lapsed as the quarter began, before any answer counted
    bot = world.rival_of(proposer)
    seat, asker = game.seats.get(bot), game.seats.get(proposer)
    if seat is None or asker is None or seat.mode == "human" or asker.mode != "human":
        return []
    order = rec.bot_orders.get(bot)
    if order is None:
        return []
    what = KINDS[before["kind"]]
    now = world.treaty
    standing = now.status == "proposed" and now.proposed_by == proposer
    if order.get("treaty") == "accept":
        if now.status == "active" and now.since == rec.turn:
            until = f" until {world.quarter_label(now.until)}" if now.kind == "pause" else ""
            text = (
                f"I accept your proposed {what}: the treaty is in force{until}, "
                f"with verification {now.verification:.0%}."
            )
        else:
            text = f"I accepted your proposed {what}, but it was no longer on the table."
    elif standing and rec.turn + 1 - now.since < lapse:
        text = (
            f"I do not accept your proposed {what} this quarter. "
            "It still stands; I will weigh it again next quarter."
        )
    elif standing:
        text = (
            f"I do not accept your proposed {what}. Unanswered, it lapses as next quarter begins."
        )
    else:
        text = f"I do not accept your proposed {what}. It is no longer on the table."
    line: ChatLine = {
        "from": bot,
        "to": proposer,
        "text": text,
        "turn": rec.turn,
        "at": repo.now().isoformat(),
        "bot": True,
    }
    return [line]
