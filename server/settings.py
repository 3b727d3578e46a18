"""Server settings, read from the environment (prefix ``PRECIPICE_``, plus ``DATABASE_URL``).

Nothing reads the environment at import time: ``create_app(settings)`` takes a ``Settings``
instance, and ``precipice serve`` builds one from the environment and its options.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_WEB_DIR = Path(__file__).resolve().parent.parent / "web"


_ORIGIN = re.compile(r"https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?")
"""An origin: scheme, host (a name, an IPv4 address or a bracketed IPv6 one), optional port.
Nothing else: the list goes into the pages' Content-Security-Policy as it is."""


class Settings(BaseSettings):
    """Every knob of the game server; each can be set as ``PRECIPICE_<NAME>``."""

    model_config = SettingsConfigDict(
        env_prefix="PRECIPICE_", extra="ignore", populate_by_name=True, validate_default=True
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
        description="Largest body of a saved game to import (every other route takes at most "
        "max_json_body_bytes).",
    )
    messages_per_second: float = Field(
        20.0, gt=0, description="Sustained client messages per second per connection."
    )
    message_burst: int = Field(40, ge=1, description="Messages a connection may send in a burst.")
    max_games_per_creator: int = Field(
        100,
        ge=1,
        description="Games one client address may create (create, import or fork) within "
        "creation_window_seconds (a sliding window counted in the database).",
    )
    creation_window_seconds: float = Field(
        3600.0, gt=0, description="The sliding window of the creation quota."
    )
    idle_abandon_seconds: float = Field(
        1800.0,
        gt=0,
        description="A playing game nobody (seat holder or facilitator) has been connected to "
        "for this long is abandoned: its clock stops until a person comes back.",
    )
    evict_idle_seconds: float = Field(
        300.0,
        gt=0,
        description="A game not being played (lobby, over, abandoned) that nobody has used for "
        "this long leaves memory; it is rebuilt from its log when needed again.",
    )
    min_deadline_seconds: float = Field(
        10.0, gt=0, description="The shortest turn deadline a creator or facilitator may set."
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
    sqlite_synchronous: Literal["OFF", "NORMAL", "FULL", "EXTRA"] = Field(
        "NORMAL",
        description="SQLite PRAGMA synchronous (NORMAL is durable in WAL mode across process "
        "crashes); any other value is a start-up error.",
    )
    state_push_ms: float = Field(
        5.0,
        ge=0,
        le=1000,
        description="Milliseconds an order's game_state push waits, so orders arriving "
        "together (and the turn they complete) share one push.",
    )
    ws_compression: bool = Field(
        True,
        description="Offer permessage-deflate on websockets: smaller frames for players on "
        "slow links, more server CPU per frame (docs/performance.md measures both).",
    )
    public_url: str | None = Field(
        None,
        description="This process's absolute base URL (http://host:port); set, the process "
        "joins a cluster of servers on the same PostgreSQL database.",
    )
    peer_url: str | None = Field(
        None,
        description="Where the other processes of a cluster reach this one (http://host:port), "
        "when that differs from the public URL (behind a proxy); default: the public URL.",
    )
    lease_seconds: float = Field(
        3.0,
        gt=0,
        le=300,
        description="How long a game's lease lasts without renewal: the time before another "
        "process of a cluster takes over the games of one that died.",
    )
    db_threads: int = Field(
        8,
        ge=1,
        le=256,
        description="Threads for database work (their own pool: analysis never takes them).",
    )
    analysis_queue: int = Field(
        8,
        ge=0,
        le=10_000,
        description="Analysis requests that may wait for a worker; beyond workers + queue, "
        "a request is refused with 429 and Retry-After.",
    )
    analysis_cache_entries: int = Field(
        64, ge=0, description="Analysis results of finished games kept in memory (0: no cache)."
    )
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Origins (scheme://host[:port]) whose pages may open a websocket, besides "
        "the server's own; a socket from any other Origin is refused with HTTP 403. This "
        "server's pages may also connect to them (the Content-Security-Policy's connect-src): "
        "in a cluster whose processes have different hosts, list every process's public URL.",
    )
    keep_alive_seconds: int = Field(
        5, ge=1, le=600, description="An idle HTTP keep-alive connection is closed after this."
    )
    header_timeout_seconds: float = Field(
        10.0,
        gt=0,
        le=600,
        description="A connection must finish sending its request headers within this time "
        "of connecting (or of its previous response), or it is closed.",
    )
    max_header_bytes: int = Field(
        16 * 1024, ge=1024, description="Largest request head (request line and headers)."
    )
    max_json_body_bytes: int = Field(
        64 * 1024,
        ge=1024,
        description="Largest body of any request but an import (creating a game, claiming...).",
    )
    chat_history: int = Field(
        200,
        ge=1,
        le=100_000,
        description="Chat lines a welcome carries (the latest a connection may read); older "
        "lines are paged with GET /api/games/{id}/chat.",
    )
    slow_client_seconds: float = Field(
        10.0,
        gt=0,
        description="A client whose outbox stays full this long is closed (1008, reason given).",
    )

    @field_validator("sqlite_synchronous", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            if not _ORIGIN.fullmatch(origin.rstrip("/")):
                raise ValueError(f"{origin!r} is not an origin like https://example.org")
        return [o.rstrip("/").lower() for o in value]


def settings_error(exc: ValidationError) -> str:
    """One line per bad setting, naming its environment variable and what is wrong."""
    lines = []
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else "settings"
        value = err.get("input")
        lines.append(f"PRECIPICE_{name.upper()}={value!r}: {err['msg']}")
    return "bad setting: " + "; ".join(lines)
