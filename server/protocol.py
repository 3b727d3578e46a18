"""The websocket protocol, version 1: every message a typed, versioned JSON object.

Client messages are validated with one module-level ``TypeAdapter`` over a discriminated
union on ``type``; each gets exactly one reply, an ``ack`` or an ``error`` echoing its
``id``. What the server sends (acks, errors and pushes, each with its typed payload) is
in ``server.server_messages``. See ``docs/protocol.md``.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StrictBool, TypeAdapter, ValidationError

PROTOCOL_VERSION = 1

MsgId = Annotated[str, Field(max_length=64)] | Annotated[int, Field(ge=-(2**53), le=2**53)]


class _Client(BaseModel):
    # strict: a JSON string is never a number, nor a number a switch ("turn": "0" is refused)
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    v: Literal[1]
    id: MsgId | None = None


class Hello(_Client):
    """Authenticate: a seat or facilitator token; no token means spectator."""

    type: Literal["hello"]
    token: Annotated[str, Field(max_length=128)] | None = None


class Ping(_Client):
    """Liveness check; acked."""

    type: Literal["ping"]


class Sync(_Client):
    """Ask for the current state again (sent after a reconnect, say)."""

    type: Literal["sync"]


class SubmitOrder(_Client):
    """A seat's order for ``turn``; resubmitting before resolution replaces it."""

    type: Literal["order"]
    turn: Annotated[int, Field(ge=0, le=10_000)]
    order: dict[str, Any]


class Chat(_Client):
    """A chat line: ``to`` is ``public``, ``facilitator`` or another role id (a private channel)."""

    type: Literal["chat"]
    to: Annotated[str, Field(min_length=1, max_length=64)] = "public"
    text: Annotated[str, Field(min_length=1, max_length=2000)]


class Pause(_Client):
    """Facilitator: stop the clock; no turn resolves while paused."""

    type: Literal["pause"]


class Resume(_Client):
    """Facilitator: restart the clock."""

    type: Literal["resume"]


class SetDeadline(_Client):
    """Facilitator: seconds per turn from now on (null: no deadline)."""

    type: Literal["set_deadline"]
    seconds: Annotated[float, Field(gt=0, le=7 * 86400)] | None


class ForceTurn(_Client):
    """Facilitator: resolve the turn now; bots fill the missing orders."""

    type: Literal["force_turn"]


class Inject(_Client):
    """Facilitator: deal a scenario event this turn (ids from ``GET /api/events``)."""

    type: Literal["inject"]
    event: Annotated[str, Field(max_length=64)]


class SetSeat(_Client):
    """Facilitator: hand a seat to a bot, or open it to people."""

    type: Literal["set_seat"]
    role: Annotated[str, Field(max_length=64)]
    mode: Literal["bot", "open"]


class Broadcast(_Client):
    """Facilitator: a message to the whole room."""

    type: Literal["broadcast"]
    text: Annotated[str, Field(min_length=1, max_length=2000)]


class Ready(_Client):
    """A seat in the lobby says it is ready to start (or, ``false``, not any more)."""

    type: Literal["ready"]
    ready: StrictBool = True


class Start(_Client):
    """Facilitator: start a game in the lobby (the clock runs from now)."""

    type: Literal["start"]


class GodView(_Client):
    """Facilitator: the whole world, latent variables included (only to the facilitator)."""

    type: Literal["god_view"]


class Reveal(_Client):
    """Facilitator: once the game is over, show the whole world to the room."""

    type: Literal["reveal"]


ClientMessage = Annotated[
    Hello
    | Ping
    | Sync
    | SubmitOrder
    | Chat
    | Pause
    | Resume
    | SetDeadline
    | ForceTurn
    | Inject
    | SetSeat
    | Broadcast
    | GodView
    | Reveal
    | Ready
    | Start,
    Field(discriminator="type"),
]
CLIENT_ADAPTER: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)

ErrorCode = Literal[
    "bad_json",
    "unknown_type",
    "unsupported_version",
    "invalid_message",
    "invalid_action",
    "illegal_action",
    "stale_turn",
    "not_your_seat",
    "forbidden",
    "game_paused",
    "game_over",
    "game_not_over",
    "too_large",
    "rate_limited",
    "unauthorized",
    "unknown_event",
    "unknown_role",
    "already_authenticated",
    "too_many_connections",
    "rules_version_mismatch",
    "not_owner",
    "wrong_phase",
    "taken_over",
    "internal",
]
ERROR_CODES: tuple[str, ...] = get_args(ErrorCode)


class ProtocolError(Exception):
    """A client message refused with a typed error code (and the field at fault)."""

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code: ErrorCode = code
        self.message = message
        self.field = field


_TYPE_TAG = re.compile(r"^(constrained-)?(str|int|float|bool|none|list|dict)$|[\[(]")


def field_path(loc: tuple[int | str, ...]) -> list[str]:
    """A validation error's location as the client wrote it (pydantic's union-member tags dropped)."""
    return [str(p) for p in loc if not (isinstance(p, str) and _TYPE_TAG.search(p))]


def _raw_id(raw: dict[str, Any]) -> str | int | None:
    mid = raw.get("id")
    if isinstance(mid, bool):
        return None
    if isinstance(mid, str) and len(mid) <= 64:
        return mid
    if isinstance(mid, int) and abs(mid) <= 2**53:
        return mid
    return None


def peek_id(text: str) -> str | int | None:
    """The ``id`` of a frame refused before parsing (too large, rate limited), if it has one.

    Parsed only to echo the id: a frame that is not a JSON object has none.
    """
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return None
    return _raw_id(raw) if isinstance(raw, dict) else None


def parse_client(text: str) -> tuple[ClientMessage | None, str | int | None, ProtocolError | None]:
    """Parse one client frame: the message, the id to echo, or the error to send back."""
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return None, None, ProtocolError("bad_json", "the message is not valid JSON")
    if not isinstance(raw, dict):
        return None, None, ProtocolError("bad_json", "a message must be a JSON object")
    mid = _raw_id(raw)
    if raw.get("v") != PROTOCOL_VERSION or isinstance(raw.get("v"), bool):
        return (
            None,
            mid,
            ProtocolError("unsupported_version", f"field v must be {PROTOCOL_VERSION}", "v"),
        )
    try:
        return CLIENT_ADAPTER.validate_python(raw), mid, None
    except ValidationError as exc:
        err = exc.errors()[0]
        if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            return (
                None,
                mid,
                ProtocolError("unknown_type", f"unknown message type {raw.get('type')!r}", "type"),
            )
        loc = field_path(err["loc"])
        field = ".".join(loc[1:]) if len(loc) > 1 else (loc[0] if loc else "message")
        msg = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
        if field == "id":
            msg = "must be a string of at most 64 characters or an integer (not true/false)"
        return None, mid, ProtocolError("invalid_message", f"{field}: {msg}", field)
