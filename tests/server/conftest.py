"""Fixtures for the server tests: a real ``precipice serve`` subprocess on a free port."""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    """One server per test module, on a fresh SQLite file, with short grace and relaxed limits."""
    db = tmp_path_factory.mktemp("db") / "precipice.db"
    proc = start_server(db_url=f"sqlite:///{db}", env={"PRECIPICE_GRACE_SECONDS": "1"})
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
