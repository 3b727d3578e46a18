"""Reliability tests reuse the server test fixtures (a real ``precipice serve`` per module)."""

from __future__ import annotations

from tests.server.conftest import _close_clients, fresh_db, server

__all__ = ["_close_clients", "fresh_db", "server"]
