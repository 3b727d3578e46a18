"""Fixtures for the server tests: a real ``precipice serve`` subprocess on a free port."""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.helpers import ServerProc, close_all, start_server


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    """Close every websocket and HTTP client a test opened."""
    yield
    close_all()


@pytest.fixture(autouse=True)
def _repeatable_game_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process games draw their server secrets from a fixed sequence, so each test's
    games play the same way on every run (a real server process still draws random ones)."""
    counter = itertools.count()
    monkeypatch.setattr(
        "server.hub.new_game_secret",
        lambda: hashlib.sha256(f"test-secret-{next(counter)}".encode()).hexdigest(),
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    """One server per test module, on a fresh SQLite file, with short grace and relaxed limits."""
    db = tmp_path_factory.mktemp("db") / "precipice.db"
    proc = start_server(
        db_url=f"sqlite:///{db}",
        env={"PRECIPICE_GRACE_SECONDS": "1", "PRECIPICE_MIN_DEADLINE_SECONDS": "0.1"},
    )
    yield proc
    proc.stop()


@pytest.fixture
def fresh_db(tmp_path: Path) -> str:
    """A SQLite URL on a new file."""
    return f"sqlite:///{tmp_path / 'p.db'}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Nothing to change; kept so markers are declared in pyproject only."""
    del items


os.environ.setdefault("PYTHONHASHSEED", "0")
