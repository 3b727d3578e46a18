"""SQLAlchemy 2.x typed tables: games, seats, each game's append-only log, and creations.

A game is stored as its inputs (scenario, overrides, seed and secret, rules version,
personalities, settings) plus an append-only log with a per-game sequence number; replaying the log
rebuilds the game. Seats hold only sha256 hashes of their tokens.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a constraint naming convention (stable Alembic names)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class GameRow(Base):
    """One game: what it was created from, and whether it is still being played."""

    __tablename__ = "games"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    scenario: Mapped[str] = mapped_column(String(64))
    overrides: Mapped[dict[str, Any]]
    seed: Mapped[int] = mapped_column(Integer)
    secret: Mapped[str | None] = mapped_column(String(64), default=None)
    """Mixed with the seed into the game's randomness; only the facilitator sees it while live."""
    reseeds: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    """A fork's fresh secrets, ``[[turn, secret], ...]``: from each turn on it draws from one."""
    rules_version: Mapped[str] = mapped_column(String(32))
    personalities: Mapped[dict[str, Any]]
    settings: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default="live", index=True)
    creator: Mapped[str] = mapped_column(String(64), default="", index=True)
    facilitator_hash: Mapped[str] = mapped_column(String(64))
    parent_id: Mapped[str | None] = mapped_column(String(32), default=None)
    fork_turn: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    phase: Mapped[str] = mapped_column(String(16), default="lobby", index=True)
    visibility: Mapped[str] = mapped_column(String(8), default="private", index=True)
    join_code: Mapped[str | None] = mapped_column(String(16), default=None)
    link_key: Mapped[str | None] = mapped_column(String(64), default=None)
    turn: Mapped[int] = mapped_column(Integer, default=0)


class SeatRow(Base):
    """A role's seat: played by a bot, open to people, or held by a human (token hash)."""

    __tablename__ = "seats"

    game_id: Mapped[str] = mapped_column(
        ForeignKey("games.id", ondelete="CASCADE"), primary_key=True
    )
    role_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    mode: Mapped[str] = mapped_column(String(8))
    token_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    player: Mapped[str] = mapped_column(String(64), default="")
    token_nonce: Mapped[str | None] = mapped_column(String(32), default=None)


class LogRow(Base):
    """One entry of a game's append-only log (orders, seats, chat, facilitator, turns)."""

    __tablename__ = "game_log"
    __table_args__ = (UniqueConstraint("game_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    game_id: Mapped[str] = mapped_column(ForeignKey("games.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    turn: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]]
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CreationRow(Base):
    """One game created by a client address: what the sliding-window creation quota counts."""

    __tablename__ = "creations"
    __table_args__ = (Index("ix_creations_creator", "creator", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    creator: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LeaseRow(Base):
    """Which process of a cluster owns a game: its id and URL, until when, and the epoch.

    The epoch grows each time the game changes hands; every log append checks it (and the
    owner) in its own transaction, so a paused old owner cannot write after a takeover.
    """

    __tablename__ = "game_leases"

    game_id: Mapped[str] = mapped_column(
        ForeignKey("games.id", ondelete="CASCADE"), primary_key=True
    )
    owner: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(String(256))
    peer_url: Mapped[str] = mapped_column(String(256))
    epoch: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
