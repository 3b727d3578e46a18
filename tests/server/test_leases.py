"""Game leases on the machine's PostgreSQL: one owner at a time, and a stale owner's append fails."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import create_engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from server.cluster import leases
from server.cluster.leases import StaleLease
from server.db import repo
from server.db.migrate import upgrade
from server.db.models import GameRow, LeaseRow, LogRow
from server.session.log import GameLog
from server.store import Store
from tests.server.pg import fresh_pg_database


def _game(s: Session, gid: str) -> None:
    s.add(
        GameRow(
            id=gid,
            scenario="baseline",
            overrides={},
            seed=1,
            rules_version="x",
            personalities={},
            settings={},
            status="live",
            creator="t",
            facilitator_hash="h",
            created_at=repo.now(),
        )
    )


def _expire(s: Session, gid: str) -> None:
    s.execute(update(LeaseRow).where(LeaseRow.game_id == gid).values(expires_at=func.now()))


def test_one_owner_at_a_time_and_a_stale_owner_cannot_append() -> None:
    with fresh_pg_database() as url:
        upgrade(url)
        engine = create_engine(url)
        factory = sessionmaker(engine)
        try:
            with factory.begin() as s:
                _game(s, "g1")
            with factory.begin() as s:
                assert leases.acquire(s, "g1", "a", "http://a", 30) == 1
            with factory.begin() as s:  # a live lease is not taken
                assert leases.acquire(s, "g1", "b", "http://b", 30) is None
                assert leases.orphans(s) == []
            store = Store(engine, factory)
            log_a = GameLog(store, "g1", 0)
            log_a.guard = lambda s: leases.check(s, "g1", "a", 1, 30)
            asyncio.run(log_a.append(0, (("chat", {"text": "a's line"}),), None))
            with factory.begin() as s:  # a dies: its lease runs out, b takes the game
                _expire(s, "g1")
            with factory.begin() as s:
                assert leases.orphans(s) == ["g1"]
                assert leases.acquire(s, "g1", "b", "http://b", 30) == 2
                lease = leases.lookup(s, "g1")
                assert lease is not None and lease.owner == "b" and lease.alive
            with pytest.raises(StaleLease, match="epoch 1"):  # a wakes up: refused, loudly
                asyncio.run(log_a.append(0, (("chat", {"text": "a again"}),), None))
            with factory.begin() as s:
                texts = [r.data["text"] for r in s.scalars(select(LogRow))]
                assert texts == ["a's line"]
                assert leases.renew(s, "a", 30) == {}
                assert leases.renew(s, "b", 30) == {"g1": 2}
                leases.release(s, "b")
            time.sleep(0.01)
            with factory.begin() as s:
                assert leases.orphans(s) == ["g1"]
        finally:
            engine.dispose()
