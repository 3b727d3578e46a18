"""Rebuild a game from its stored inputs and log: the same fold at start-up, import and fork.

The log is read in sequence order into the inputs of each resolved turn: ``order``
entries (the last one of a seat wins), ``order_withdrawn`` (the seat went to a bot),
``inject`` (an event), then ``turn_resolved`` with the world hash recorded then. Those
inputs are replayed by the one replay (``agents.saved.replay_turns``), which checks every
hash; orders acknowledged for the unresolved turn end up queued again. Pause, deadline
and reveal entries restore the session flags (and ``publish_chat`` whether the private chat
is in exports), seat entries who is ready; chat entries restore the chat history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from agents.model import RaceModel
from agents.saved import ReplayError, TurnInputs, open_replay, replay_turns, submit_inputs
from server.payloads import Announcement, ChatLine, SeriesPoint
from server.secrecy import PUBLISH_CHAT, chat_published, exported_chat, public_forecast
from server.views import series_point


@dataclass(slots=True)
class Entry:
    """A log entry detached from the database row."""

    seq: int
    turn: int
    kind: str
    data: dict[str, Any]
    at: str


@dataclass(slots=True)
class Folded:
    """A rebuilt game: the model (with this turn's orders queued) and the session flags."""

    model: RaceModel
    paused: bool = False
    deadline_seconds: float | None = None
    revealed: bool = False
    chat: list[ChatLine] = field(default_factory=list)
    announcements: list[Announcement] = field(default_factory=list)
    seq: int = 0
    chat_published: bool = False
    ready: set[str] = field(default_factory=set)
    series: list[SeriesPoint] = field(default_factory=list)
    forced: bool = False
    """A ``force_turn`` was logged for the unresolved turn (an older log): resolve it at load."""


IMPORTED = "import"
"""``source`` of the log entries an import or fork writes to rebuild the saved turns."""


def announcement(entry: dict[str, Any]) -> Announcement:
    """The room's copy of a facilitator broadcast or shared forecast (text, turn, forecast).

    A shared forecast carries its odds, never the seed it drew from (older logs kept it).
    """
    line = cast(Announcement, {k: entry[k] for k in ("text", "turn") if k in entry})
    if "forecast" in entry:
        line["forecast"] = public_forecast(entry["forecast"])
    return line


def start_model(
    scenario: str,
    seed: int,
    overrides: dict[str, Any],
    personalities: dict[str, str],
    rules_version: str,
    secret: str | None = None,
) -> RaceModel:
    """The model a stored game starts from (no data collection: the server does not need it).

    ``secret`` is the game's server secret, mixed with the seed (None: a game stored
    before secrets, drawn from its seed alone).

    Raises:
        RulesVersionError: if the game was created under other rules.
        ReplayError: if its scenario no longer loads.
    """
    return open_replay(scenario, seed, overrides, personalities, rules_version, secret=secret)


@dataclass(slots=True)
class _Reading:
    """The log read so far: resolved turns' inputs, and the current turn's."""

    turns: list[TurnInputs] = field(default_factory=list)
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)
    turn: int = 0


def fold(
    model: RaceModel,
    entries: list[Entry],
    deadline_seconds: float | None,
    reseeds: dict[int, str] | None = None,
) -> Folded:
    """Apply a game's log to a fresh model, verifying every resolved turn's hash.

    ``reseeds`` are a fork's fresh secrets by the turn each starts at.

    Raises:
        ReplayError: naming the turn whose order is refused or whose hash differs.
    """
    out = Folded(model=model, deadline_seconds=deadline_seconds)
    r = _Reading(turn=model.turn)
    for e in entries:
        out.seq = max(out.seq, e.seq)
        d = e.data
        if e.kind == "order":
            if e.turn != r.turn:
                raise ReplayError(f"turn {e.turn}: order logged for another turn", e.turn)
            r.orders[d["role"]] = d["order"]
        elif e.kind == "order_withdrawn":
            r.orders.pop(d["role"], None)
        elif e.kind == "inject":
            r.events.append(d["event"])
        elif e.kind == "turn_resolved":
            if d["turn"] != r.turn:
                raise ReplayError(f"turn {d['turn']}: resolved out of order", d["turn"])
            r.turns.append(TurnInputs(r.turn, dict(r.orders), tuple(r.events), d["hash"]))
            r.orders, r.events, r.turn = {}, [], r.turn + 1
            out.forced = False
        elif e.kind == "facilitator":
            _facilitator(out, d)
        elif e.kind == "chat":
            out.chat.append(cast(ChatLine, d))
        elif e.kind == "seat":
            _seat(out, d)
    out.series.append(series_point(model))
    for _ in replay_turns(model, r.turns, reseeds=reseeds):
        out.series.append(series_point(model))
    submit_inputs(model, model.turn, r.orders)
    for eid in r.events:
        try:
            model.inject(eid)
        except KeyError as exc:
            raise ReplayError(f"turn {model.turn}: {exc}", model.turn) from None
    return out


def _seat(out: Folded, d: dict[str, Any]) -> None:
    """Restore whether a seat said it is ready (a new holder, or none, starts not ready)."""
    change = d.get("change")
    if change == "ready":
        out.ready.add(d["role"])
    elif change in ("unready", "claimed", "released", "bot", "open"):
        out.ready.discard(d["role"])


def _facilitator(out: Folded, d: dict[str, Any]) -> None:
    """Restore a session flag from a facilitator entry."""
    action = d.get("action")
    if action == "pause":
        out.paused = True
    elif action == "resume":
        out.paused = False
    elif action == "set_deadline":
        out.deadline_seconds = d.get("seconds")
    elif action == "reveal":
        out.revealed = True
    elif action == "force_turn":
        out.forced = True
    elif action in ("broadcast", "share_forecast"):
        out.announcements.append(announcement(d))
    elif action == PUBLISH_CHAT:
        out.chat_published = True


def export_log(entries: list[Entry]) -> list[dict[str, Any]]:
    """The server log for a saved game: every acked order, withdrawal and event, seats, chat, facilitator.

    Every order a seat had acknowledged is here (superseded ones and the unresolved
    turn's too), so orders can be audited from an export; the turns hold what each
    resolution used. Entries an import or fork wrote to rebuild the parent's turns
    (``source: import``) are left out: they are the saved turns again. Private chat lines
    are left out unless the facilitator has published them (``server.secrecy``); shared
    forecasts lose their seed.
    """
    published = chat_published(entries)
    out: list[dict[str, Any]] = []
    for e in entries:
        if e.kind == "turn_resolved" or e.data.get("source") == IMPORTED:
            continue
        if e.kind == "imported":
            item = dict(e.data["entry"])
        else:
            item = {"seq": e.seq, "turn": e.turn, "kind": e.kind, "at": e.at, **e.data}
        if item.get("kind") == "chat" and not exported_chat(item, published):
            continue
        if "forecast" in item:
            item["forecast"] = public_forecast(item["forecast"])
        out.append(item)
    return out
