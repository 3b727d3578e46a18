"""Alembic migrations for the game server (applied by ``precipice serve``)."""
