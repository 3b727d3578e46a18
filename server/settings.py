"""Server settings, read from the environment (prefix ``PRECIPICE_``, plus ``DATABASE_URL``).

Nothing reads the environment at import time: ``create_app(settings)`` takes a ``Settings``
instance, and ``precipice serve`` builds one from the environment and its options.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_WEB_DIR = Path(__file__).resolve().parent.parent / "web"


class Settings(BaseSettings):
    """Every knob of the game server; each can be set as ``PRECIPICE_<NAME>``."""

    model_config = SettingsConfigDict(
        env_prefix="PRECIPICE_", extra="ignore", populate_by_name=True
    )

    database_url: str = Field(
        "sqlite:///./precipice.db",
        validation_alias=AliasChoices("DATABASE_URL", "PRECIPICE_DATABASE_URL", "database_url"),
        description="SQLAlchemy URL; a SQLite file by default, PostgreSQL via DATABASE_URL.",
    )
    web_dir: Path = Field(DEFAULT_WEB_DIR, description="Folder served at / (the browser client).")
    max_message_bytes: int = Field(
        16 * 1024, ge=256, description="Largest websocket message accepted."
    )
    max_body_bytes: int = Field(
        16 * 1024 * 1024,
        ge=1024,
        description="Largest HTTP request body accepted (a saved game to import is the biggest).",
    )
    messages_per_second: float = Field(
        20.0, gt=0, description="Sustained client messages per second per connection."
    )
    message_burst: int = Field(40, ge=1, description="Messages a connection may send in a burst.")
    max_games_per_creator: int = Field(
        50, ge=1, description="Live games one client address may create."
    )
    analysis_workers: int = Field(
        2,
        ge=1,
        le=64,
        description="Worker processes for forecasts and reports (off the event loop).",
    )
    max_connections: int = Field(
        2000, ge=1, description="Open websocket connections on this server."
    )
    grace_seconds: float = Field(
        60.0, ge=0, description="How long a disconnected human keeps a seat before a bot plays it."
    )
    hello_timeout_seconds: float = Field(
        20.0, gt=0, description="Time a new socket has to authenticate."
    )
    outbox_size: int = Field(
        256, ge=8, description="Messages queued for a slow client before it is dropped."
    )
    group_commit: bool = Field(
        True,
        description="Write game-log entries that arrive together in one transaction "
        "(each is still committed before its ack).",
    )
    group_commit_ms: float = Field(
        0.0,
        ge=0,
        le=100,
        description="Extra milliseconds to gather a group commit (0: only what queued "
        "during the previous commit).",
    )
    enable_echo: bool = Field(False, description="Expose /ws/echo (benchmarks only).")
    sqlite_synchronous: str = Field(
        "NORMAL",
        description="SQLite PRAGMA synchronous (NORMAL is durable in WAL mode across process crashes).",
    )
