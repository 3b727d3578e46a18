"""Observations: what each role sees, and the facilitator's god view.

``observe(world, role_id)`` is built from exactly two things: the role's own record
(minus latent fields) and everyone's ``PUBLIC`` fields, plus the public news and the
private news addressed to that role. A lab's AI also sees its own lab's record as its
staff know it (never the latent misalignment and deception). Nothing else of another
role's private fields reaches an observation. ``god_view`` shows everything.
"""

from __future__ import annotations

from dataclasses import asdict, fields, is_dataclass
from enum import IntEnum
from typing import Any, cast

from rules.objectives import OBJECTIVES, objectives_of
from rules.phases.policy import floor_in_force
from rules.views import GodView, NewsView, Observation, PublicState
from rules.world import AIRec, LabRec, NewsItem, OfficialRec, World

__all__ = ["OBJECTIVES", "god_view", "news_view", "observe", "public_state"]


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


def _public(rec: Any) -> Any:
    return {name: _plain(getattr(rec, name)) for name in rec.PUBLIC}


_OWN_FIELDS: dict[type, tuple[str, ...]] = {}


def _own(rec: Any) -> dict[str, Any]:
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
        "thresholds": {"automation": world.automation_threshold, "asi": world.asi_threshold},
        "states": {sid: _public(s) for sid, s in world.states.items()},
        "labs": {lid: _public(lab) for lid, lab in world.labs.items()},
        "officials": {oid: _public(o) for oid, o in world.officials.items()},
        "whistleblowers": {wid: _public(w) for wid, w in world.whistleblowers.items()},
        "ais": {aid: _public(a) for aid, a in world.ais.items()},
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
    obs: dict[str, Any] = {
        "role_id": role_id,
        "role_kind": kind,
        "done": world.done,
        "self": me,
        "public": public if public is not None else public_state(world),
        "private_news": [
            news_view(n) for n in world.news if not n.public and role_id in n.audience
        ],
        "objectives": objectives_of(kind, rec.values if isinstance(rec, AIRec) else None),
    }
    if isinstance(rec, LabRec):
        state = world.states[rec.state]
        me["safety_floor_in_force"] = round(floor_in_force(world, rec), 4)
        me["nationalised"] = state.nationalised
        me["oversight"] = int(state.oversight)
    elif isinstance(rec, OfficialRec):
        me["brake_authority"] = rec.brake_authority
    elif isinstance(rec, AIRec):
        obs["lab"] = _own(world.labs[rec.lab])
    return cast(Observation, obs)


def god_view(world: World) -> GodView:
    """Everything, latent variables included (facilitator, debrief, replay after the end)."""
    return {
        "turn": world.turn,
        "quarter": world.quarter_label(),
        "horizon": world.horizon,
        "thresholds": {"automation": world.automation_threshold, "asi": world.asi_threshold},
        "sealed": _plain(asdict(world.sealed)),
        "states": {sid: _plain(asdict(s)) for sid, s in world.states.items()},
        "labs": {lid: _plain(asdict(lab)) for lid, lab in world.labs.items()},
        "officials": {oid: _plain(asdict(o)) for oid, o in world.officials.items()},
        "whistleblowers": {wid: _plain(asdict(w)) for wid, w in world.whistleblowers.items()},
        "ais": {aid: _plain(asdict(a)) for aid, a in world.ais.items()},
        "treaty": _plain(asdict(world.treaty)),
        "news": [_plain(asdict(n)) for n in world.news],
        "outcome": _plain(asdict(world.outcome)) if world.outcome else None,
    }
