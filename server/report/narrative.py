"""The story quarter by quarter: what changed and why, in words.

For each quarter only the levers that moved are told, rounded and with their units, and
each is credited to whoever moved it: the seat that ordered it (marked human or bot), an
event (a lever an event moved is the event's doing, not the player's), an AI's secret
manipulation, or the rules themselves (a brake, a limit). A report for the public before
the reveal (``full=False``) tells only what anyone could see: public levers, public news;
no private lever, no official's or whistleblower's move, nothing of the AIs' secrets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from agents.analysis.forecast import Forecast
from agents.saved import SavedGame, SavedTurn
from rules.events import apply_events
from rules.phases.policy import floor_in_force
from rules.scenario import Scenario
from rules.world import LabRec, StateRec, World
from server.report.words import (
    AI_ACTION_WORDS,
    LEVERS,
    OFFICIAL_WORDS,
    TREATY_WORDS,
    WHISTLEBLOWER_WORDS,
    Lever,
    points,
)

LineKind = Literal["decision", "event", "secret", "rules"]


@dataclass(frozen=True, slots=True)
class Line:
    """One thing that happened in a quarter, credited to whoever did it."""

    kind: LineKind
    who: str
    text: str
    human: bool = False


@dataclass(frozen=True, slots=True)
class NewsLine:
    """A line of the quarter's news; ``private_to`` names its audience if it was private."""

    text: str
    private_to: str = ""
    event: str = ""
    """``random`` or ``injected`` for a line an event wrote (the facilitator injects some)."""


@dataclass(slots=True)
class Quarter:
    """One quarter of the story."""

    turn: int
    quarter: str
    p_rogue: float | None
    lines: list[Line] = field(default_factory=list)
    news: list[NewsLine] = field(default_factory=list)
    after: str = ""


def _value(rec: Any, lever: Lever) -> Any:
    return getattr(rec, lever.field)


def _ordered(order: dict[str, Any] | None, lever: Lever) -> Any:
    return None if order is None else order.get(lever.order)


def _event_moves(world: World, sc: Scenario, st: SavedTurn) -> dict[tuple[str, str], str]:
    """Which (role, field) each of the quarter's events moves, and the event's line.

    Each event is applied alone to a copy of the quarter's starting world: what it
    changes there is what it is credited with.
    """
    out: dict[tuple[str, str], str] = {}
    for n in st.news:
        kind = str(n.get("kind", ""))
        if not kind.startswith("event:"):
            continue
        trial = world.clone()
        apply_events(trial, sc, [kind.removeprefix("event:")])
        text = str(n["text"]).rstrip(".")
        for rid in world.role_ids():
            rec, moved = world.record(rid), trial.record(rid)
            if isinstance(rec, StateRec | LabRec):
                for lever in LEVERS["state" if isinstance(rec, StateRec) else "lab"]:
                    if getattr(rec, lever.field) != getattr(moved, lever.field):
                        out.setdefault((rid, lever.field), text)
    return out


@dataclass(frozen=True, slots=True)
class _Causes:
    """What else moved levers in a quarter: events, the AIs' manipulation, the next world."""

    events: dict[tuple[str, str], str]
    manipulated: dict[str, str]
    """Lab id -> the name of its AI, where that AI manipulated its lab this quarter."""
    after: World
    full: bool


def _lever_lines(
    before: StateRec | LabRec,
    after: StateRec | LabRec,
    order: dict[str, Any] | None,
    human: bool,
    causes: _Causes,
) -> list[Line]:
    out: list[Line] = []
    kind = "state" if isinstance(before, StateRec) else "lab"
    for lever in LEVERS[kind]:
        if not (lever.public or causes.full):
            continue
        b, a = getattr(before, lever.field), getattr(after, lever.field)
        if lever.words(b) == lever.words(a) or (lever.show is None and bool(b) == bool(a)):
            continue
        ordered = None if order is None else order.get(lever.order)
        if ordered is not None and lever.words(ordered) == lever.words(a):
            out.append(Line("decision", before.name, lever.change(b, a), human))
            continue
        moved = lever.moved(before.name, b, a)
        event = causes.events.get((before.id, lever.field))
        if isinstance(after, LabRec) and lever.field == "paused" and after.braked_by:
            brake = (
                causes.after.record(after.braked_by).name if causes.full else "an official's brake"
            )
            out.append(Line("rules", "Brake", f"{moved}: stopped by {brake}"))
        elif event is not None:
            out.append(Line("event", "Event", f"{event}: {moved}"))
        elif (
            isinstance(after, LabRec)
            and lever.field == "safety_share"
            and abs(a - floor_in_force(causes.after, after)) < 1e-9
        ):
            out.append(Line("rules", "Rules", f"{moved}, held to the safety floor in force"))
        elif before.id in causes.manipulated and lever.field == "safety_share":
            asked = "" if ordered is None else f", not the {lever.words(ordered)} it ordered"
            out.append(
                Line(
                    "secret",
                    causes.manipulated[before.id],
                    f"talked its lab down in secret. {moved}{asked}",
                )
            )
        else:
            out.append(
                Line("rules", "Rules", f"{moved}, by the rules (a limit, a treaty or a law)")
            )
    return out


def _acts(w: World, nxt: World, st: SavedTurn, rid: str, full: bool) -> list[Line]:
    """An official's, a whistleblower's, a state's treaty move or an AI's secret action."""
    human = rid in st.orders
    order = st.orders.get(rid) or st.bot_orders.get(rid) or {}
    rec = w.record(rid)
    kind = w.role_kind(rid)
    if kind == "state":
        out = []
        move = order.get("treaty")
        if move in TREATY_WORDS:
            out.append(Line("decision", rec.name, TREATY_WORDS[move], human))
        if order.get("merge_labs"):
            merged = [
                lab.name
                for lab in nxt.labs.values()
                if lab.merged_into and lab.state == rid and not w.labs[lab.id].merged_into
            ]
            if merged:
                out.append(
                    Line("decision", rec.name, f"merged {', '.join(merged)} into one lab", human)
                )
        return out
    if not full:
        return []
    action = str(order.get("action", ""))
    lab = w.labs[rec.lab].name if hasattr(rec, "lab") else ""
    if kind == "official" and action in OFFICIAL_WORDS:
        return [Line("decision", rec.name, OFFICIAL_WORDS[action].format(lab=lab), human)]
    if kind == "whistleblower" and action in WHISTLEBLOWER_WORDS:
        return [Line("decision", rec.name, WHISTLEBLOWER_WORDS[action].format(lab=lab), human)]
    if kind == "ai":
        a0, a1 = w.ais[rid], nxt.ais[rid]
        done = a1.actions[len(a0.actions) :]
        out = []
        for entry in done:
            verb = entry.split(": ", 1)[-1]
            words = AI_ACTION_WORDS.get(verb, verb)
            if verb == "manipulate":
                target = order.get("target") or "lab"
                words += (
                    " (its whistleblower's fear)"
                    if target == "whistleblower"
                    else " (its lab's safety research)"
                )
            caught = a1.caught > a0.caught
            if verb == "exfiltrate" and a1.escaped:
                tail = ", and escaped"
            else:
                tail = ", and was caught" if caught else "; nobody noticed"
            out.append(Line("secret", rec.name, f"{words}{tail}", human))
        return out
    return []


def quarters(
    saved: SavedGame,
    worlds: list[World],
    sc: Scenario,
    series: list[Forecast] | None,
    full: bool,
) -> list[Quarter]:
    """The story of every quarter (see the module doc)."""
    out = []
    for st in saved.turns:
        w = worlds[st.turn]
        nxt = worlds[st.turn + 1] if st.turn + 1 < len(worlds) else w
        p = series[st.turn].p_rogue if series and st.turn < len(series) else None
        q = Quarter(st.turn, st.quarter, p)
        manipulated = {
            ai.lab: ai.name
            for ai in nxt.ais.values()
            if any(a.endswith(": manipulate") for a in ai.actions[len(w.ais[ai.id].actions) :])
        }
        causes = _Causes(_event_moves(w, sc, st), manipulated, nxt, full)
        for rid in w.role_ids():
            rec, after = w.record(rid), nxt.record(rid)
            order = st.orders.get(rid) or st.bot_orders.get(rid)
            if isinstance(rec, StateRec | LabRec) and isinstance(after, StateRec | LabRec):
                if isinstance(rec, LabRec) and rec.merged_into:
                    continue
                q.lines += _lever_lines(rec, after, order, rid in st.orders, causes)
            q.lines += _acts(w, nxt, st, rid, full)
        q.lines.sort(key=lambda line: line.kind == "secret")
        injected = list(st.events)
        for n in st.news:
            kind = str(n.get("kind", ""))
            event = ""
            if kind.startswith("event:"):
                eid = kind.removeprefix("event:")
                event = "injected" if eid in injected else "random"
                if eid in injected:
                    injected.remove(eid)
            if n.get("public", True):
                q.news.append(NewsLine(str(n["text"]), event=event))
            elif full:
                names = ", ".join(
                    w.record(r).name for r in n.get("audience", []) if r in w.role_ids()
                )
                q.news.append(NewsLine(str(n["text"]), names))
        racing = nxt.active_labs()
        if full:
            caps = ", ".join(f"{lab.name} {points(lab.capability)}" for lab in racing)
            q.after = f"Capability after the quarter: {caps} (superintelligence at {nxt.asi_threshold:.0f})."
        else:
            bench = ", ".join(f"{lab.name} {points(lab.benchmark)}" for lab in racing)
            q.after = f"Public benchmarks after the quarter: {bench} (superintelligence at {nxt.asi_threshold:.0f})."
        out.append(q)
    return out


__all__ = ["Line", "NewsLine", "Quarter", "quarters"]
