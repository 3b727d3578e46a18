"""PostgreSQL for tests: a fresh database per use, dropped afterwards; skip (or fail) without one."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ENV = "PRECIPICE_TEST_POSTGRES_URL"


def postgres_url() -> str:
    """The admin URL from the environment; skip (or fail under PRECIPICE_REQUIRE_POSTGRES=1) if unset."""
    url = os.environ.get(ENV)
    if not url:
        msg = f"{ENV} is not set: no PostgreSQL to test against"
        if os.environ.get("PRECIPICE_REQUIRE_POSTGRES") == "1":
            pytest.fail(msg + " (and PRECIPICE_REQUIRE_POSTGRES=1)")
        pytest.skip(msg)
    return url


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """Create ``precipice_test_<random>``, yield its URL, drop it."""
    admin = make_url(postgres_url())
    name = f"precipice_test_{secrets.token_hex(4)}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
