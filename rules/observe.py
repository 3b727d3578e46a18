"""Observations: what each role sees, and the facilitator's god view.

``observe(world, role_id)`` is built from exactly two things: the role's own record
(minus latent fields) and everyone's ``PUBLIC`` fields, plus the public news and the
private news addressed to that role. A lab's AI also sees its own lab's record as its
staff know it (never the latent misalignment and deception). Nothing else of another
role's private fields reaches an observation. ``god_view`` shows everything.
"""

from __future__ import annotations

import operator
import typing
from collections.abc import Callable
from dataclasses import asdict, fields, is_dataclass
from enum import IntEnum
from typing import Any, cast

from rules.objectives import OBJECTIVES, objectives_of
from rules.phases.policy import floor_in_force
from rules.views import GodView, NewsView, Observation, PublicState
from rules.world import AIRec, LabRec, NewsItem, OfficialRec, Oversight, Report, World

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


def _identity(value: Any) -> Any:
    return value


def _round(value: float) -> float:
    return round(value, 4)


def _round_map(value: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in value.items()}


def _converter(hint: Any) -> Callable[[Any], Any]:
    """How to make a field of this declared type JSON-ready, chosen once per field."""
    if hint is float:
        return _round
    if hint is Oversight:
        return int
    origin = typing.get_origin(hint)
    if origin is dict and typing.get_args(hint)[1] is float:
        return _round_map
    if origin is list and typing.get_args(hint)[0] is str:
        return list
    if origin is list and typing.get_args(hint)[0] is Report:
        return _reports
    if origin is list:
        return _plain
    return _identity


def _reports(value: list[Report]) -> list[dict[str, Any]]:
    return [{"turn": r.turn, "source": r.source, "lab": r.lab, "risk": r.risk} for r in value]


_CONVERTERS: dict[tuple[type, str], Callable[[Any], Any]] = {}


def _fields_of(cls: type, names: tuple[str, ...]) -> list[tuple[str, Callable[[Any], Any]]]:
    hints = typing.get_type_hints(cls)
    out = []
    for name in names:
        key = (cls, name)
        if key not in _CONVERTERS:
            _CONVERTERS[key] = _converter(hints[name])
        out.append((name, _CONVERTERS[key]))
    return out


View = tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]], tuple[Callable[[Any], Any], ...]]
_PUBLIC_FIELDS: dict[type, View] = {}
_OWN_FIELDS: dict[type, View] = {}


def _view(cls: type, names: tuple[str, ...]) -> View:
    """Field names, one getter for all of them, and each field's converter."""
    conv = _fields_of(cls, names)
    getter = operator.attrgetter(*names)
    get = getter if len(names) > 1 else (lambda rec: (getter(rec),))
    return names, get, tuple(f for _, f in conv)


def _public(rec: Any) -> Any:
    cls = type(rec)
    view = _PUBLIC_FIELDS.get(cls)
    if view is None:
        view = _PUBLIC_FIELDS[cls] = _view(cls, rec.PUBLIC)
    names, get, convs = view
    return {n: f(v) for n, f, v in zip(names, convs, get(rec), strict=True)}


def _own(rec: Any) -> dict[str, Any]:
    cls = type(rec)
    view = _OWN_FIELDS.get(cls)
    if view is None:
        latent = getattr(rec, "LATENT", ())
        view = _OWN_FIELDS[cls] = _view(
            cls, tuple(f.name for f in fields(rec) if f.name not in latent)
        )
    names, get, convs = view
    return {n: f(v) for n, f, v in zip(names, convs, get(rec), strict=True)}


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
        "treaty": cast(Any, _own(world.treaty)),
        "news": [news_view(n) for n in world.news if n.public],
        "outcome": cast(Any, _own(world.outcome)) if world.outcome else None,
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
