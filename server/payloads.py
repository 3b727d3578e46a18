"""What each server message carries: typed records of every push's ``data`` and every ack's ``result``.

These are ``TypedDict`` s built from the rules' own views (``rules.views``): plain JSON-ready
data, encoded with ``json.dumps`` as it is, checked by mypy where it is built, and given a
JSON Schema by pydantic for ``GET /api/protocol`` (``server.protocol`` puts them in the
server-message union). A test checks every push a real game sends against that schema.
"""

from __future__ import annotations

from typing import Annotated, Literal, NotRequired, TypedDict

from pydantic import Field

from rules.views import (
    GodNews,
    GodView,
    Lever,
    NewsView,
    Observation,
    OutcomeView,
    PublicState,
    RoleKind,
)
from server.conn import ConnKind

SeatMode = Literal["bot", "open", "human"]
"""Who plays a seat: a bot, nobody yet (open: a bot plays until someone claims it), a person."""
TurnReason = Literal["all_submitted", "deadline", "forced"]
"""Why a turn resolved."""
Phase = Literal["lobby", "playing", "over", "abandoned"]
"""Where a game is in its life: created and not started, being played, over, or left idle."""
EndReason = Literal["outcome", "ended_by_facilitator"]
"""Why a game is over: the rules decided an outcome, or the facilitator ended it."""
Visibility = Literal["public", "private"]
"""Who can find a game: ``public`` games are listed, ``private`` ones need their join code."""
OrderWire = dict[str, bool | int | float | str]
"""An order as it travels: its levers (and ``kind``), only those that were set."""
Scores = dict[str, float]
"""Each role's score."""


class SeatView(TypedDict):
    """One seat as everyone sees it: who plays it and whether it has submitted (never what)."""

    role: str
    kind: RoleKind
    name: str
    mode: SeatMode
    player: str
    connected: bool
    away: bool
    submitted: bool
    idle: bool
    ready: bool


class GameStateView(TypedDict):
    """A game's public state: seats, clock, pause, and the public world."""

    game_id: str
    scenario: str
    phase: Phase
    end_reason: EndReason | None
    turn: int
    quarter: str
    done: bool
    paused: bool
    revealed: bool
    deadline_seconds: float | None
    deadline_at: float | None
    parent_id: str | None
    fork_turn: int | None
    seats: list[SeatView]
    world: PublicState


class GameStateData(GameStateView):
    """``game_state``: the public state plus the server's clock (count down to ``deadline_at`` with it)."""

    server_now: float


class ObservationData(TypedDict):
    """``observation``: what one seat sees, the levers it may pull, its order for this turn."""

    turn: int
    observation: Annotated[Observation, Field(discriminator="role_kind")]
    legal_actions: list[Lever]
    your_order: OrderWire | None


ChatLine = TypedDict(
    "ChatLine",
    {"from": str, "to": str, "text": str, "turn": int, "at": str, "bot": NotRequired[bool]},
)
"""``chat``: a line from a role (or ``facilitator``) to ``public`` or a role, server-stamped;
``bot`` is true on a line a bot wrote (a bot state answering a person's treaty proposal)."""


class OutcomeOdds(TypedDict):
    """One outcome's estimated probability, its 95% interval and its count of rollouts."""

    p: float
    ci: list[float]
    count: int


class ScoreEstimate(TypedDict):
    """A role's mean score over the rollouts and its 95% interval."""

    mean: float
    ci: list[float]


class ForecastView(TypedDict):
    """A forecast: the odds of each outcome if bots played on from ``turn``."""

    turn: int
    quarter: str
    over: bool
    rollouts: int
    seed: NotRequired[int]
    """The rollouts' base seed: only in the facilitator's own forecast, never in a shared one."""
    mean_turns: float
    outcomes: dict[str, OutcomeOdds]
    scores: dict[str, ScoreEstimate]


class Announcement(TypedDict):
    """``announcement``: a facilitator broadcast, or a forecast shared with the room."""

    text: str
    turn: int
    forecast: NotRequired[ForecastView]


class HistoryNews(TypedDict):
    """A past line of news: public, or private to its ``audience`` (given to the facilitator only)."""

    turn: int
    kind: str
    text: str
    public: bool
    audience: NotRequired[list[str]]


class SeriesPoint(TypedDict):
    """The public state at the start of ``turn``: one point of every chart."""

    turn: int
    quarter: str
    public: PublicState


class History(TypedDict):
    """The story so far that one connection may see: the news, and the public series."""

    news: list[HistoryNews]
    series: list[SeriesPoint]


class WelcomeData(TypedDict):
    """``welcome``: who this connection is, the chat it may read, announcements, the history."""

    game_id: str
    protocol: Literal[1]
    kind: ConnKind
    role: str | None
    chat: list[ChatLine]
    announcements: list[Announcement]
    history: History


class TurnResolvedData(TypedDict):
    """``turn_resolved``: the quarter's public news; a seat's own private news; the facilitator's all."""

    turn: int
    quarter: str
    next_turn: int
    reason: TurnReason
    done: bool
    news: list[NewsView]
    private_news: NotRequired[list[NewsView]]
    hash: NotRequired[str]
    all_news: NotRequired[list[GodNews]]


class GameOverData(TypedDict):
    """``game_over``: how the game ended (the rules' outcome, or ended by the facilitator), the scores."""

    outcome: OutcomeView | None
    end_reason: EndReason
    scores: Scores


class RevealedData(TypedDict):
    """``revealed``: the whole world, latent variables included, and the scores (after the end)."""

    god_view: GodView
    scores: Scores


class SeatRevokedData(TypedDict):
    """``seat_revoked``: this connection's seat went to a bot or was opened (then closed 4001)."""

    role: str
    mode: Literal["bot", "open"]
    by: Literal["facilitator", "player"]


class ReplacedData(TypedDict):
    """``replaced``: the seat connected again elsewhere (then closed 4000)."""

    reason: str


class HelloResult(TypedDict):
    """The ack of ``hello``: what the token made this connection."""

    kind: ConnKind
    role: str | None


class OrderResult(TypedDict):
    """The ack of ``order``, sent once the order is committed: the order as queued."""

    turn: int
    order: OrderWire


class ChatResult(TypedDict):
    """The ack of ``chat``: when and at which turn the line was stamped."""

    at: str
    turn: int


class GodViewResult(TypedDict):
    """The ack of ``god_view`` (facilitator only): the whole world, pending orders and events."""

    turn: int
    hash: str
    god_view: GodView
    pending: dict[str, OrderWire]
    pending_events: list[str]


AlertKind = Literal["resolution_failed", "resolution_recovered"]
"""What a ``server_alert`` reports: a resolution that failed (and is retried), or recovered."""


class ServerAlertData(TypedDict):
    """``server_alert`` (facilitator only): the server could not do something it owes the room."""

    kind: AlertKind
    turn: int
    message: str
    retry_in_seconds: float | None


class InjectResult(TypedDict):
    """The ack of ``inject``: the event dealt this turn."""

    event: str
    title: str
