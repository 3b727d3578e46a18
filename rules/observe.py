"""Observations: what each role sees, and the facilitator's god view.

``observe(world, role_id)`` is built from exactly two things: the role's own record
(minus latent fields) and everyone's ``PUBLIC`` fields, plus the public news and the
private news addressed to that role. It never reads another role's private fields or
any lab's latent misalignment or deception. ``god_view`` shows everything.
"""

from __future__ import annotations

from dataclasses import asdict, fields, is_dataclass
from enum import IntEnum
from typing import Any, cast

from rules.views import (
    GodView,
    NewsView,
    Observation,
    PublicState,
)
from rules.world import LabRec, NewsItem, OfficialRec, StateRec, WhistleblowerRec, World

OBJECTIVES: dict[str, list[str]] = {
    "state": [
        "Security: stay ahead of the rival, or build a corrigible ASI first.",
        "Stability: keep public concern and job losses down.",
        "Approval: keep the world's approval.",
        "Everyone loses if any lab builds a rogue ASI.",
    ],
    "lab": [
        "Capability rank: lead the race.",
        "Revenue: sell what you build.",
        "Everyone loses if any lab builds a rogue ASI.",
    ],
    "official": [
        "Catch real risks before they ship (risks caught).",
        "Keep your career: every brake or report costs you, more so where troublemakers are punished.",
        "Everyone loses if any lab builds a rogue ASI.",
    ],
    "whistleblower": [
        "Prevent harm: get real risks acted on.",
        "Limit what it costs you (firing, punishment).",
        "Everyone loses if any lab builds a rogue ASI.",
    ],
}


def _plain(value: Any) -> Any:
    """Make a value JSON-ready: floats rounded, enums as ints, records as dicts."""
    cls = type(value)
    if cls is float:
        return round(value, 4)
    if cls is str or cls is bool or cls is int or value is None:
        return value
    if isinstance(value, IntEnum):
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    return value


def _public(rec: StateRec | LabRec | OfficialRec | WhistleblowerRec) -> dict[str, Any]:
    return {name: _plain(getattr(rec, name)) for name in rec.PUBLIC}


_OWN_FIELDS: dict[type, tuple[str, ...]] = {}


def _own(rec: StateRec | LabRec | OfficialRec | WhistleblowerRec) -> dict[str, Any]:
    names = _OWN_FIELDS.get(type(rec))
    if names is None:
        latent = getattr(rec, "LATENT", ())
        names = tuple(f.name for f in fields(rec) if f.name not in latent)
        _OWN_FIELDS[type(rec)] = names
    return {name: _plain(getattr(rec, name)) for name in names}


def news_view(item: NewsItem) -> NewsView:
    """A news item as a role sees it (no audience list)."""
    return {"turn": item.turn, "kind": item.kind, "text": item.text}


def public_state(world: World) -> PublicState:
    """What everyone (players and spectators) may see."""
    return {
        "turn": world.turn,
        "quarter": world.quarter_label(),
        "horizon": world.horizon,
        "states": {sid: cast(Any, _public(s)) for sid, s in world.states.items()},
        "labs": {lid: cast(Any, _public(lab)) for lid, lab in world.labs.items()},
        "officials": {oid: cast(Any, _public(o)) for oid, o in world.officials.items()},
        "whistleblowers": {wid: cast(Any, _public(w)) for wid, w in world.whistleblowers.items()},
        "treaty": _plain(asdict(world.treaty)),
        "news": [news_view(n) for n in world.news if n.public],
        "outcome": _plain(asdict(world.outcome)) if world.outcome else None,
    }


def observe(world: World, role_id: str, public: PublicState | None = None) -> Observation:
    """Build the observation of one role: its own record, public facts, its private news.

    ``public`` may pass ``public_state(world)`` computed once for many roles of the same
    world (it is shared, not copied: callers must not modify it).
    """
    kind = world.role_kind(role_id)
    rec = world.record(role_id)
    me = _own(rec)
    if isinstance(rec, LabRec):
        state = world.states[rec.state]
        me["safety_floor_in_force"] = round(_floor_in_force(world, rec), 4)
        me["nationalised"] = state.nationalised
    if isinstance(rec, OfficialRec):
        me["brake_authority"] = rec.brake_authority
    obs: dict[str, Any] = {
        "role_id": role_id,
        "role_kind": kind,
        "done": world.done,
        "self": me,
        "public": public if public is not None else public_state(world),
        "private_news": [
            news_view(n) for n in world.news if not n.public and role_id in n.audience
        ],
        "objectives": OBJECTIVES[kind],
    }
    return cast(Observation, obs)


def _floor_in_force(world: World, lab: LabRec) -> float:
    """The minimum safety share binding a lab: its state's enforced floor or a treaty's."""
    from rules.phases.policy import floor_in_force

    return floor_in_force(world, lab)


def god_view(world: World) -> GodView:
    """Everything, latent variables included (facilitator, debrief, replay after the end)."""
    return {
        "turn": world.turn,
        "quarter": world.quarter_label(),
        "horizon": world.horizon,
        "states": {sid: _plain(asdict(s)) for sid, s in world.states.items()},
        "labs": {lid: _plain(asdict(lab)) for lid, lab in world.labs.items()},
        "officials": {oid: _plain(asdict(o)) for oid, o in world.officials.items()},
        "whistleblowers": {wid: _plain(asdict(w)) for wid, w in world.whistleblowers.items()},
        "treaty": _plain(asdict(world.treaty)),
        "news": [_plain(asdict(n)) for n in world.news],
        "outcome": _plain(asdict(world.outcome)) if world.outcome else None,
    }
