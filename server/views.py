"""What a live game shows: its public state, a seat's observation, the welcome, a turn's news.

Pure functions of a ``GameSession`` (read under its lock by the caller) returning the
typed payloads of ``server.payloads``; every push and REST answer about a live game is
built here.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from agents.model import RaceModel
from rules.actions import idle_roles, legal_actions, order_to_wire
from rules.observe import public_state
from rules.views import GodNews, NewsView
from rules.world import NewsItem
from server.conn import Connection
from server.payloads import (
    ChatLine,
    GameOverData,
    GameStateData,
    GameStateView,
    History,
    HistoryNews,
    ObservationData,
    RevealedData,
    SeatView,
    SeriesPoint,
    TurnReason,
    TurnResolvedData,
    WelcomeData,
)

if TYPE_CHECKING:
    from agents.model import TurnRecord
    from server.session import GameSession


def game_state(game: GameSession) -> GameStateView:
    """The game's public state: seats, who has submitted, clock, pause, public world."""
    world = game.public_world()
    idle = set(idle_roles(world))
    seats: list[SeatView] = [
        {
            "role": s.role,
            "kind": s.kind,
            "name": s.name,
            "mode": s.mode,
            "player": s.player,
            "connected": s.conn is not None,
            "away": s.away,
            "submitted": s.role in game.submitted,
            "idle": s.role in idle,
            "ready": s.ready,
        }
        for s in game.seats.values()
    ]
    return {
        "game_id": game.id,
        "scenario": game.info["scenario"],
        "phase": game.phase,
        "end_reason": game.end_reason,
        "turn": game.model.turn,
        "quarter": game.model.world.quarter_label(),
        "done": game.over,
        "paused": game.paused,
        "revealed": game.revealed,
        "deadline_seconds": game.deadline_seconds,
        "deadline_at": game.deadline_at,
        "parent_id": game.info.get("parent_id"),
        "fork_turn": game.info.get("fork_turn"),
        "seats": seats,
        "world": world,
    }


def game_state_push(game: GameSession) -> GameStateData:
    """The ``game_state`` push: the public state plus the server's clock (``server_now``)."""
    return {**game_state(game), "server_now": round(time.time(), 3)}


def seat_observation(game: GameSession, role: str) -> ObservationData:
    """A seat's ``observation`` push: its own view, its legal actions, its pending order."""
    obs = game.model.observe(role)
    pending = game.model.pending.get(role)
    return {
        "turn": game.model.turn,
        "observation": obs,
        "legal_actions": legal_actions(obs),
        "your_order": order_to_wire(pending)
        if pending is not None and role in game.submitted
        else None,
    }


def may_read(line: ChatLine, kind: str, role: str | None) -> bool:
    """May a reader (``facilitator``, ``seat`` of ``role``, or anyone else) read this line?"""
    if kind == "facilitator" or line["to"] == "public":
        return True
    return kind == "seat" and role in (line["from"], line["to"])


def chat_for(chat: Iterable[ChatLine], conn: Connection) -> list[ChatLine]:
    """The chat lines a connection may read (the facilitator reads every channel)."""
    return [c for c in chat if may_read(c, conn.kind, conn.role)]


def series_point(model: RaceModel) -> SeriesPoint:
    """The public state now, as one point of the chart series."""
    public = public_state(model.world)
    return {"turn": public["turn"], "quarter": public["quarter"], "public": public}


def news_for(records: list[TurnRecord], kind: str, role: str | None) -> list[HistoryNews]:
    """Every past line of news an audience may read.

    The public ones for everyone, a seat's own private ones too, and everything (with its
    audience) for the facilitator.
    """
    out: list[HistoryNews] = []
    for rec in records:
        for n in rec.news:
            if kind == "facilitator":
                out.append(
                    {
                        "turn": n.turn,
                        "kind": n.kind,
                        "text": n.text,
                        "public": n.public,
                        "audience": list(n.audience),
                    }
                )
            elif n.public or (kind == "seat" and role in n.audience):
                out.append({"turn": n.turn, "kind": n.kind, "text": n.text, "public": n.public})
    return out


def history(game: GameSession, conn: Connection) -> History:
    """The story so far for one connection: its news and the public chart series."""
    return {
        "news": news_for(game.model.history, conn.kind, conn.role),
        "series": list(game.series),
    }


def welcome(game: GameSession, conn: Connection) -> WelcomeData:
    """The ``welcome`` push of a connection that just said hello."""
    return {
        "game_id": game.id,
        "protocol": 1,
        "kind": conn.kind,
        "role": conn.role,
        "chat": chat_for(game.chat, conn),
        "announcements": list(game.announcements),
        "history": history(game, conn),
    }


def _news(n: NewsItem) -> NewsView:
    return {"turn": n.turn, "kind": n.kind, "text": n.text}


def turn_resolved(
    rec: TurnRecord, turn: int, next_turn: int, reason: TurnReason, done: bool
) -> TurnResolvedData:
    """The ``turn_resolved`` push every audience gets: the quarter and its public news."""
    return {
        "turn": turn,
        "quarter": rec.quarter,
        "next_turn": next_turn,
        "reason": reason,
        "done": done,
        "news": [_news(n) for n in rec.news if n.public],
    }


def private_news(rec: TurnRecord, role: str) -> list[NewsView]:
    """The quarter's private news addressed to ``role``."""
    return [_news(n) for n in rec.news if not n.public and role in n.audience]


def all_news(rec: TurnRecord) -> list[GodNews]:
    """Every line of the quarter's news with its audience (facilitator only)."""
    return [
        {
            "turn": n.turn,
            "kind": n.kind,
            "text": n.text,
            "public": n.public,
            "audience": list(n.audience),
        }
        for n in rec.news
    ]


def game_over(game: GameSession) -> GameOverData:
    """The ``game_over`` push: the outcome and the scores."""
    return {
        "outcome": game.public_world()["outcome"],
        "end_reason": game.end_reason or "outcome",
        "scores": game.model.scores(),
    }


def reveal_body(model: RaceModel) -> RevealedData:
    """The whole world and the scores, for the debrief."""
    return {"god_view": model.god_view(), "scores": model.scores()}
