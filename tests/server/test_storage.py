"""Migrations and repository functions on a real SQLite file and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from server.db import repo
from server.db.engine import make_engine, make_sessionmaker
from server.db.migrate import upgrade
from server.db.models import GameRow, SeatRow
from server.security import new_token, token_hash, token_matches
from tests.server.pg import fresh_pg_database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 's.db'}"
        return
    with fresh_pg_database() as url:
        yield url


def _game(gid: str) -> GameRow:
    return GameRow(
        id=gid,
        scenario="baseline",
        overrides={},
        seed=1,
        rules_version="x",
        personalities={},
        settings={"deadline_seconds": None},
        status="live",
        creator="1.2.3.4",
        facilitator_hash=token_hash("t"),
        created_at=repo.now(),
    )


def test_migrations_and_repo(db_url: str) -> None:
    upgrade(db_url)
    upgrade(db_url)  # idempotent
    engine = make_engine(db_url)
    try:
        names = set(inspect(engine).get_table_names())
        assert {"games", "seats", "game_log", "creations", "alembic_version"} <= names
        factory = make_sessionmaker(engine)
        with factory.begin() as s:
            repo.add_game(s, _game("g1"), [SeatRow(game_id="g1", role_id="us", mode="open")])
            repo.append_log(s, "g1", 1, 0, "chat", {"text": "hi"})
            repo.append_log(s, "g1", 2, 0, "order", {"role": "us", "order": {}})
        with factory.begin() as s:
            assert [e.seq for e in repo.log_entries(s, "g1")] == [1, 2]
            assert repo.last_seq(s, "g1") == 2
            assert repo.note_creation(s, "1.2.3.4", 1, 60)
            assert not repo.note_creation(s, "1.2.3.4", 1, 60)  # the quota of one is used up
            assert repo.note_creation(s, "5.6.7.8", 1, 60)  # per client address
            tok = new_token()
            repo.set_seat(s, "g1", "us", "human", token_hash(tok), "Ann")
        with factory.begin() as s:
            seat = repo.seats(s, "g1")[0]
            # The repository keeps the hash it is given (that the server never hands it a raw
            # token is checked on a real server's database in tests/reliability/test_secrets.py).
            assert seat.mode == "human" and seat.player == "Ann"
            assert seat.token_hash == token_hash(tok) and token_matches(tok, seat.token_hash)
        # (game_id, seq) is unique: a second writer with the same seq fails and commits nothing
        with pytest.raises(IntegrityError), factory.begin() as s:
            repo.append_log(s, "g1", 2, 0, "chat", {"text": "dup"})
        with factory.begin() as s:
            assert len(repo.log_entries(s, "g1")) == 2
            repo.set_status(s, "g1", "over")
        with factory.begin() as s:
            assert repo.list_games(s, "live") == []
    finally:
        engine.dispose()


def test_tokens() -> None:
    tok = new_token()
    assert len(tok) >= 43  # 32 random bytes
    assert token_matches(tok, token_hash(tok)) and not token_matches(tok + "x", token_hash(tok))
    assert not token_matches(None, token_hash(tok)) and not token_matches(tok, None)
