"""Repository functions: each takes a ``Session`` and never commits (the caller does)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session, load_only

from server.db.models import CreationRow, GameRow, LogRow, SeatRow


class SeatBrief(NamedTuple):
    """A seat as the lobby listing shows it: the role, who plays it, the player's name."""

    role_id: str
    mode: str
    player: str


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


def game_ids_in_phase(session: Session, phase: str) -> list[str]:
    """The ids of every game in one phase (``playing`` ones are rebuilt at start-up)."""
    return list(session.scalars(select(GameRow.id).where(GameRow.phase == phase)))


def note_creation(session: Session, creator: str, quota: int, window: float) -> bool:
    """Count one creation for ``creator`` if fewer than ``quota`` fall in the last ``window`` s.

    The count and the insert are one transaction; on PostgreSQL a transaction-scoped
    advisory lock on the creator serialises them (two requests cannot both see room for
    one), on SQLite the database's single writer does (the store also serialises its
    transactions). Returns False, counting nothing, when the quota is used up.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:c))"), {"c": creator})
    else:
        # Take SQLite's write lock before reading, so the read and the insert are one step.
        session.execute(text("DELETE FROM creations WHERE 0"))
    at = now()
    since = at - timedelta(seconds=window)
    stmt = (
        select(func.count())
        .select_from(CreationRow)
        .where(CreationRow.creator == creator, CreationRow.at > since)
    )
    if int(session.scalar(stmt) or 0) >= quota:
        return False
    session.add(CreationRow(creator=creator, at=at))
    session.execute(
        delete(CreationRow).where(CreationRow.at < at - timedelta(seconds=max(window, 86400)))
    )
    return True


def set_status(session: Session, game_id: str, status: str) -> None:
    """Mark a game live or over (an over game's phase is ``over`` too)."""
    game = session.get(GameRow, game_id)
    if game is not None:
        game.status = status
        if status == "over":
            game.phase = "over"


def set_phase(session: Session, game_id: str, phase: str) -> None:
    """Move a game to ``phase`` (``lobby``, ``playing``, ``over``, ``abandoned``); status follows."""
    game = session.get(GameRow, game_id)
    if game is not None:
        game.phase = phase
        game.status = "over" if phase == "over" else "live"


def set_turn(session: Session, game_id: str, turn: int) -> None:
    """Record the turn a game is at (for the lobby listing, which never folds a game)."""
    game = session.get(GameRow, game_id)
    if game is not None:
        game.turn = turn


def delete_game(session: Session, game_id: str) -> bool:
    """Delete a game with its seats and log; False if there was none."""
    game = session.get(GameRow, game_id)
    if game is None:
        return False
    session.execute(delete(LogRow).where(LogRow.game_id == game_id))
    session.execute(delete(SeatRow).where(SeatRow.game_id == game_id))
    session.delete(game)
    return True


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
    token_nonce: str | None = None,
) -> None:
    """Change who plays a seat (``bot``, ``open`` or ``human`` with a token hash and its nonce)."""
    seat = session.get(SeatRow, (game_id, role_id))
    if seat is None:
        raise KeyError(role_id)
    seat.mode = mode
    seat.token_hash = token_hash
    seat.player = player
    seat.token_nonce = token_nonce


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


def chat_before(session: Session, game_id: str, before: int | None, n: int) -> list[LogRow]:
    """Up to ``n`` of a game's chat entries with ``seq < before`` (all if None), newest first."""
    query = select(LogRow).where(LogRow.game_id == game_id, LogRow.kind == "chat")
    if before is not None:
        query = query.where(LogRow.seq < before)
    return list(session.scalars(query.order_by(LogRow.seq.desc()).limit(n)))


def last_seq(session: Session, game_id: str) -> int:
    """The highest sequence number in a game's log (0 when empty)."""
    return int(session.scalar(select(func.max(LogRow.seq)).where(LogRow.game_id == game_id)) or 0)


def list_public(
    session: Session,
    limit: int,
    offset: int,
    phase: str | None = None,
    scenario: str | None = None,
) -> tuple[list[GameRow], dict[str, list[SeatBrief]], int]:
    """One page of public games (newest first), their seats, and how many match in all."""
    where = [GameRow.visibility == "public"]
    if phase is not None:
        where.append(GameRow.phase == phase)
    if scenario is not None:
        where.append(GameRow.scenario == scenario)
    total = int(session.scalar(select(func.count()).select_from(GameRow).where(*where)) or 0)
    rows = list(
        session.scalars(
            select(GameRow)
            .options(
                load_only(
                    GameRow.id,
                    GameRow.scenario,
                    GameRow.status,
                    GameRow.phase,
                    GameRow.turn,
                    GameRow.created_at,
                    GameRow.parent_id,
                    GameRow.fork_turn,
                    GameRow.rules_version,
                )
            )
            .where(*where)
            .order_by(GameRow.created_at.desc(), GameRow.id)
            .limit(limit)
            .offset(offset)
        )
    )
    by_game: dict[str, list[SeatBrief]] = {r.id: [] for r in rows}
    if rows:
        stmt = select(SeatRow.game_id, SeatRow.role_id, SeatRow.mode, SeatRow.player).where(
            SeatRow.game_id.in_(list(by_game))
        )
        for gid, role, mode, player in session.execute(stmt):
            by_game[gid].append(SeatBrief(role, mode, player))
    return rows, by_game, total
