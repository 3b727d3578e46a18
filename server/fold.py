"""Rebuild a game from its stored inputs and log: the same fold at start-up, import and fork.

The log is folded in sequence order: ``order`` entries are submitted for the turn they
name, ``order_withdrawn`` drops a seat's pending order (the seat went to a bot),
``inject`` queues an event, and ``turn_resolved`` steps the model and checks the world
hash recorded then. Pause, deadline and reveal entries restore the session flags; chat
entries restore the chat history. Orders acknowledged for the unresolved turn end up
queued again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agents.model import RaceModel
from agents.record import ReplayError, new_model
from rules.actions import OrderError, parse_order


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
    chat: list[dict[str, Any]] = field(default_factory=list)
    announcements: list[dict[str, Any]] = field(default_factory=list)
    seq: int = 0


def announcement(entry: dict[str, Any]) -> dict[str, Any]:
    """The room's copy of a facilitator broadcast or shared forecast (text, turn, forecast)."""
    return {k: entry[k] for k in ("text", "turn", "forecast") if k in entry}


def start_model(
    scenario: str, seed: int, overrides: dict[str, Any], personalities: dict[str, str]
) -> RaceModel:
    """A fresh model for a stored game (no data collection: the server does not need it)."""
    return new_model(scenario, seed, overrides, personalities, collect=False)


def fold(model: RaceModel, entries: list[Entry], deadline_seconds: float | None) -> Folded:
    """Apply a game's log to a fresh model, verifying every resolved turn's hash.

    Raises:
        ReplayError: naming the turn whose order is refused or whose hash differs.
    """
    out = Folded(model=model, deadline_seconds=deadline_seconds)
    for e in entries:
        out.seq = max(out.seq, e.seq)
        d = e.data
        if e.kind == "order":
            if e.turn != model.turn:
                raise ReplayError(f"turn {e.turn}: order logged for another turn", e.turn)
            try:
                model.submit(d["role"], parse_order(model.world.role_kind(d["role"]), d["order"]))
            except (OrderError, KeyError) as exc:
                raise ReplayError(
                    f"turn {e.turn}: order for {d.get('role')!r} refused: {exc}", e.turn
                ) from None
        elif e.kind == "order_withdrawn":
            model.pending.pop(d["role"], None)
        elif e.kind == "inject":
            try:
                model.inject(d["event"])
            except KeyError as exc:
                raise ReplayError(f"turn {e.turn}: {exc}", e.turn) from None
        elif e.kind == "turn_resolved":
            if d["turn"] != model.turn or model.done:
                raise ReplayError(f"turn {d['turn']}: resolved out of order", d["turn"])
            model.step()
            got = model.history[-1].hash
            if got != d["hash"]:
                raise ReplayError(
                    f"turn {d['turn']}: state hash mismatch (log {d['hash']}, replay {got})",
                    d["turn"],
                )
        elif e.kind == "facilitator":
            action = d.get("action")
            if action == "pause":
                out.paused = True
            elif action == "resume":
                out.paused = False
            elif action == "set_deadline":
                out.deadline_seconds = d.get("seconds")
            elif action == "reveal":
                out.revealed = True
            elif action in ("broadcast", "share_forecast"):
                out.announcements.append(announcement(d))
        elif e.kind == "chat":
            out.chat.append(d)
    return out


def export_log(entries: list[Entry]) -> list[dict[str, Any]]:
    """The server log for a saved game: seats, chat and facilitator entries (inputs live in turns)."""
    out: list[dict[str, Any]] = []
    for e in entries:
        if e.kind in ("order", "order_withdrawn", "inject", "turn_resolved"):
            continue
        if e.kind == "imported":
            out.append(dict(e.data["entry"]))
            continue
        out.append({"seq": e.seq, "turn": e.turn, "kind": e.kind, "at": e.at, **e.data})
    return out
