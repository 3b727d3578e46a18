"""Repository functions: each takes a ``Session`` and never commits (the caller does)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.db.models import GameRow, LogRow, SeatRow


def now() -> datetime:
    """The server clock (UTC, timezone-aware)."""
    return datetime.now(UTC)


def add_game(session: Session, game: GameRow, seats: Sequence[SeatRow]) -> None:
    """Insert a new game and its seats."""
    session.add(game)
    session.flush()
    session.add_all(seats)


def get_game(session: Session, game_id: str) -> GameRow | None:
    """One game by id, or None."""
    return session.get(GameRow, game_id)


def list_games(session: Session, status: str | None = None) -> list[GameRow]:
    """Every game (optionally with one status), newest first."""
    stmt = select(GameRow).order_by(GameRow.created_at.desc())
    if status is not None:
        stmt = stmt.where(GameRow.status == status)
    return list(session.scalars(stmt))


def count_live_games_by(session: Session, creator: str) -> int:
    """How many live games one creator (client address) has."""
    stmt = (
        select(func.count())
        .select_from(GameRow)
        .where(GameRow.creator == creator, GameRow.status == "live")
    )
    return int(session.scalar(stmt) or 0)


def set_status(session: Session, game_id: str, status: str) -> None:
    """Mark a game live or over."""
    game = session.get(GameRow, game_id)
    if game is not None:
        game.status = status


def seats(session: Session, game_id: str) -> list[SeatRow]:
    """A game's seats in insertion order of their roles."""
    return list(session.scalars(select(SeatRow).where(SeatRow.game_id == game_id)))


def set_seat(
    session: Session,
    game_id: str,
    role_id: str,
    mode: str,
    token_hash: str | None,
    player: str = "",
) -> None:
    """Change who plays a seat (``bot``, ``open`` or ``human`` with a token hash)."""
    seat = session.get(SeatRow, (game_id, role_id))
    if seat is None:
        raise KeyError(role_id)
    seat.mode = mode
    seat.token_hash = token_hash
    seat.player = player


def append_log(
    session: Session, game_id: str, seq: int, turn: int, kind: str, data: dict[str, Any]
) -> LogRow:
    """Append one log entry; (game_id, seq) is unique, so a lost race fails loudly."""
    row = LogRow(game_id=game_id, seq=seq, turn=turn, kind=kind, data=data, at=now())
    session.add(row)
    return row


def log_entries(session: Session, game_id: str) -> list[LogRow]:
    """A game's whole log in sequence order."""
    return list(
        session.scalars(select(LogRow).where(LogRow.game_id == game_id).order_by(LogRow.seq))
    )


def last_seq(session: Session, game_id: str) -> int:
    """The highest sequence number in a game's log (0 when empty)."""
    return int(session.scalar(select(func.max(LogRow.seq)).where(LogRow.game_id == game_id)) or 0)
