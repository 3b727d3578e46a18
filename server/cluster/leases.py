"""The SQL of game leases: each function takes a ``Session`` and never commits.

Times are the database's (``now()``), so the processes' clocks need not agree. A lease
is taken when it is free or expired (the epoch grows), renewed by its owner, and checked
(owner and epoch) inside the very transaction that appends to a game's log: PostgreSQL
locks the lease row until that commit, so a takeover either waits for the append or
makes it fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from server.db.models import GameRow, LeaseRow

CHANNEL = "precipice_cluster"
"""The PostgreSQL ``LISTEN/NOTIFY`` channel of lease moves."""


class StaleLease(RuntimeError):
    """This process no longer owns the game (another took it over): nothing was written."""

    def __init__(self, game_id: str, epoch: int) -> None:
        super().__init__(
            f"game {game_id}: this process's lease (epoch {epoch}) was taken over; "
            "the append is refused so the log cannot fork"
        )
        self.game_id = game_id
        self.epoch = epoch


@dataclass(frozen=True, slots=True)
class Lease:
    """Who owns a game now, as the database says."""

    game_id: str
    owner: str
    url: str
    peer_url: str
    epoch: int
    expires_at: datetime
    alive: bool


def _interval(seconds: float) -> object:
    return func.make_interval(0, 0, 0, 0, 0, 0, seconds)


def acquire(
    s: Session, game_id: str, owner: str, url: str, seconds: float, peer_url: str | None = None
) -> int | None:
    """Take the game's lease if it is free, expired or already ours; the new epoch, or None.

    ``url`` is the owner's public URL (clients), ``peer_url`` where other processes reach
    it (default: the public URL).
    """
    expires = func.now() + _interval(seconds)
    stmt = insert(LeaseRow).values(
        game_id=game_id,
        owner=owner,
        url=url,
        peer_url=peer_url or url,
        epoch=1,
        expires_at=expires,
    )
    upsert = stmt.on_conflict_do_update(
        index_elements=[LeaseRow.game_id],
        set_={
            "owner": stmt.excluded.owner,
            "url": stmt.excluded.url,
            "peer_url": stmt.excluded.peer_url,
            "epoch": LeaseRow.epoch + 1,
            "expires_at": stmt.excluded.expires_at,
        },
        where=(LeaseRow.expires_at < func.now()) | (LeaseRow.owner == owner),
    ).returning(LeaseRow.epoch)
    epoch = s.execute(upsert).scalar_one_or_none()
    if epoch is not None:
        notify(s, f"lease {game_id} {url}")
    return epoch


def check(s: Session, game_id: str, owner: str, epoch: int, seconds: float) -> None:
    """Refuse (``StaleLease``) unless ``owner`` still holds the game at ``epoch``; renew it.

    Run inside the transaction that appends to the game's log: the row stays locked
    until that transaction ends, so no takeover can slip in between check and commit.
    """
    done = s.execute(
        update(LeaseRow)
        .where(LeaseRow.game_id == game_id, LeaseRow.owner == owner, LeaseRow.epoch == epoch)
        .values(expires_at=func.now() + _interval(seconds))
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleLease(game_id, epoch)


def renew(s: Session, owner: str, seconds: float) -> dict[str, int]:
    """Extend every lease ``owner`` holds; returns them (game id -> epoch)."""
    rows = s.execute(
        update(LeaseRow)
        .where(LeaseRow.owner == owner)
        .values(expires_at=func.now() + _interval(seconds))
        .returning(LeaseRow.game_id, LeaseRow.epoch)
    )
    return {str(gid): int(ep) for gid, ep in rows}


def release(s: Session, owner: str) -> None:
    """Let every lease of ``owner`` expire now (a clean shutdown: others take over at once)."""
    s.execute(update(LeaseRow).where(LeaseRow.owner == owner).values(expires_at=func.now()))
    notify(s, f"released {owner}")


def lookup(s: Session, game_id: str) -> Lease | None:
    """The game's lease, or None if no process has held it."""
    row = s.execute(
        select(LeaseRow, LeaseRow.expires_at > func.now()).where(LeaseRow.game_id == game_id)
    ).one_or_none()
    if row is None:
        return None
    lease, alive = row
    return Lease(
        lease.game_id,
        lease.owner,
        lease.url,
        lease.peer_url,
        lease.epoch,
        lease.expires_at,
        bool(alive),
    )


def orphans(s: Session) -> list[str]:
    """Live games whose owner's lease has expired (its process died or hung)."""
    stmt = (
        select(LeaseRow.game_id)
        .join(GameRow, GameRow.id == LeaseRow.game_id)
        .where(GameRow.status == "live", LeaseRow.expires_at < func.now())
        .order_by(LeaseRow.expires_at)
    )
    return list(s.scalars(stmt))


def unleased(s: Session) -> list[str]:
    """Live games no process has ever held (created before the cluster, or imported)."""
    stmt = (
        select(GameRow.id)
        .outerjoin(LeaseRow, LeaseRow.game_id == GameRow.id)
        .where(GameRow.status == "live", LeaseRow.game_id.is_(None))
    )
    return list(s.scalars(stmt))


def alive_peers(s: Session) -> list[str]:
    """Where other processes reach every process holding a live lease (peer URLs)."""
    stmt = select(LeaseRow.peer_url).where(LeaseRow.expires_at > func.now()).distinct()
    return sorted(s.scalars(stmt))


def notify(s: Session, payload: str) -> None:
    """Announce a change to every process (delivered only if this transaction commits)."""
    s.execute(text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": payload})
