"""What the server sends, protocol version 1: acks, errors and pushes, each with its typed payload.

``ServerMessage`` is a union tagged by ``type`` (and an ack's by ``of``), so each push's
``data`` and each ack's ``result`` has its own schema (``server.payloads``);
``SERVER_ADAPTER`` gives the JSON Schema that ``GET /api/protocol`` publishes. The server
does not validate what it sends on the hot path (pushes are ``json.dumps`` of the typed
records); a test validates every push of a real game against ``SERVER_ADAPTER``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, TypeAdapter

from server.payloads import (
    Announcement,
    ChatLine,
    ChatResult,
    GameOverData,
    GameStateData,
    GodViewResult,
    HelloResult,
    InjectResult,
    ObservationData,
    OrderResult,
    ReplacedData,
    RevealedData,
    SeatRevokedData,
    ServerAlertData,
    TurnResolvedData,
    WelcomeData,
)
from server.protocol import ErrorCode, MsgId


class _Server(BaseModel):
    model_config = ConfigDict(extra="forbid")
    v: Literal[1] = 1


class _Ack(_Server):
    type: Literal["ack"] = "ack"
    id: MsgId | None = None


class HelloAck(_Ack):
    """The reply to ``hello``: what the token made this connection."""

    of: Literal["hello"]
    result: HelloResult


class OrderAck(_Ack):
    """The reply to ``order``, once it is committed."""

    of: Literal["order"]
    result: OrderResult


class ChatAck(_Ack):
    """The reply to ``chat``."""

    of: Literal["chat"]
    result: ChatResult


class GodViewAck(_Ack):
    """The reply to ``god_view`` (facilitator only)."""

    of: Literal["god_view"]
    result: GodViewResult


class InjectAck(_Ack):
    """The reply to ``inject``."""

    of: Literal["inject"]
    result: InjectResult


class PlainAck(_Ack):
    """The reply to a message whose ack carries nothing."""

    of: Literal[
        "ping",
        "sync",
        "pause",
        "resume",
        "set_deadline",
        "force_turn",
        "set_seat",
        "broadcast",
        "reveal",
        "ready",
        "start",
    ]
    result: None = None


Ack = Annotated[
    HelloAck | OrderAck | ChatAck | GodViewAck | InjectAck | PlainAck, Field(discriminator="of")
]
"""The reply to an accepted client message; ``of`` names the message, ``result`` its outcome."""


class Error(_Server):
    """The reply to a refused client message; nothing changed."""

    type: Literal["error"] = "error"
    id: MsgId | None = None
    code: ErrorCode
    message: str
    field: str | None = None


class WelcomePush(_Server):
    """To a new connection, first."""

    type: Literal["welcome"] = "welcome"
    data: WelcomeData


class GameStatePush(_Server):
    """To everyone, on every change."""

    type: Literal["game_state"] = "game_state"
    data: GameStateData


class ObservationPush(_Server):
    """To a seat: its view, its levers, its order."""

    type: Literal["observation"] = "observation"
    data: ObservationData


class TurnResolvedPush(_Server):
    """To everyone, when a quarter ends (each audience its own news)."""

    type: Literal["turn_resolved"] = "turn_resolved"
    data: TurnResolvedData


class ChatPush(_Server):
    """A chat line, to its audience."""

    type: Literal["chat"] = "chat"
    data: ChatLine


class AnnouncementPush(_Server):
    """A facilitator announcement or shared forecast, to everyone."""

    type: Literal["announcement"] = "announcement"
    data: Announcement


class GameOverPush(_Server):
    """To everyone, when the game ends."""

    type: Literal["game_over"] = "game_over"
    data: GameOverData


class RevealedPush(_Server):
    """To everyone, once the facilitator reveals the world after the end."""

    type: Literal["revealed"] = "revealed"
    data: RevealedData


class SeatRevokedPush(_Server):
    """To a seat's holder when the facilitator (or they) gave the seat away."""

    type: Literal["seat_revoked"] = "seat_revoked"
    data: SeatRevokedData


class ReplacedPush(_Server):
    """To an older connection of a seat that connected again."""

    type: Literal["replaced"] = "replaced"
    data: ReplacedData


class ServerAlertPush(_Server):
    """To the facilitator: a resolution failed and is being retried, or recovered."""

    type: Literal["server_alert"] = "server_alert"
    data: ServerAlertData


Push = (
    WelcomePush
    | GameStatePush
    | ObservationPush
    | TurnResolvedPush
    | ChatPush
    | AnnouncementPush
    | GameOverPush
    | RevealedPush
    | SeatRevokedPush
    | ReplacedPush
    | ServerAlertPush
)
"""Every push; ``type`` names it, ``data`` carries its payload."""


def _message_type(value: Any) -> str | None:
    """The ``type`` of a server message being validated (a dict, or a model)."""
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if isinstance(kind, str) else None


# Tagged by a function rather than Field(discriminator="type"): an ack is itself a union
# (on ``of``), and a nested string discriminator would publish a mapping that is not a
# reference; this way the schema is a plain ``oneOf`` of members, each with a ``type`` const.
ServerMessage = Annotated[
    Annotated[Ack, Tag("ack")]
    | Annotated[Error, Tag("error")]
    | Annotated[WelcomePush, Tag("welcome")]
    | Annotated[GameStatePush, Tag("game_state")]
    | Annotated[ObservationPush, Tag("observation")]
    | Annotated[TurnResolvedPush, Tag("turn_resolved")]
    | Annotated[ChatPush, Tag("chat")]
    | Annotated[AnnouncementPush, Tag("announcement")]
    | Annotated[GameOverPush, Tag("game_over")]
    | Annotated[RevealedPush, Tag("revealed")]
    | Annotated[SeatRevokedPush, Tag("seat_revoked")]
    | Annotated[ReplacedPush, Tag("replaced")]
    | Annotated[ServerAlertPush, Tag("server_alert")],
    Discriminator(_message_type),
]
"""Every message the server sends: an ack, an error, or a push."""
SERVER_ADAPTER: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)


def encode(msg: Error) -> str:
    """Serialise an error reply."""
    return msg.model_dump_json(exclude_none=False)
