"""Observations: what each role sees, and the facilitator's god view.

``observe(world, role_id)`` is built from exactly two things: the role's own record
(minus latent fields) and everyone's ``PUBLIC`` fields, plus the public news and the
private news addressed to that role. A lab's AI also sees its own lab's record as its
staff know it (never the latent misalignment and deception). Nothing else of another
role's private fields reaches an observation. ``god_view`` shows everything.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields, is_dataclass
from enum import IntEnum
from typing import Any, Literal, cast

from rules.getters import attrs_getter
from rules.objectives import OBJECTIVES, objectives_of
from rules.phases.policy import floor_in_force
from rules.views import GodView, NewsView, Observation, PublicState
from rules.world import AIRec, LabRec, NewsItem, OfficialRec, Oversight, Report, World

__all__ = ["OBJECTIVES", "Observer", "god_view", "news_view", "observe", "public_state"]


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


def _round_map(value: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in value.items()}


def _converter(hint: Any) -> Callable[[Any], Any]:
    """How to make a field of this declared type JSON-ready (floats are rounded apart)."""
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


@dataclass(frozen=True, slots=True)
class _View:
    """How to show some fields of one record class as plain data, worked out once per class.

    A record is mostly numbers and strings: every field is read in one go, then the
    ``float`` fields are rounded to 4 places in one go, and only the few others (enums,
    maps, lists) go through a converter of their own. Fields another view has already
    shown (a record's public ones, in the public state) are taken from it as they are.
    """

    names: tuple[str, ...]
    get: Callable[[Any], tuple[Any, ...]]
    floats: tuple[str, ...]
    get_floats: Callable[[Any], tuple[Any, ...]]
    others: tuple[tuple[str, Callable[[Any], Any]], ...]

    @classmethod
    def of(cls, record: type, names: tuple[str, ...], shown: tuple[str, ...] = ()) -> _View:
        """The view of these fields of a record class (by their declared types).

        The fields in ``shown`` are not converted: ``show`` is given them already shown.
        """
        hints = typing.get_type_hints(record)
        todo = [n for n in names if n not in shown]
        floats = tuple(n for n in todo if hints[n] is float)
        others = tuple(
            (n, conv)
            for n in todo
            if n not in floats and (conv := _converter(hints[n])) is not _identity
        )
        return cls(names, attrs_getter(names), floats, attrs_getter(floats), others)

    def show(self, rec: Any, shown: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The record's fields, in declaration order, as plain JSON-ready data.

        ``shown``: the values of the view's ``shown`` fields, as another view showed them.
        """
        out = dict(zip(self.names, self.get(rec), strict=True))
        if shown is not None:
            out.update(shown)
        out.update(zip(self.floats, [round(v, 4) for v in self.get_floats(rec)], strict=True))
        for name, convert in self.others:
            out[name] = convert(out[name])
        return out


_PUBLIC_VIEWS: dict[type, _View] = {}
_OWN_VIEWS: dict[type, _View] = {}
_WHOLE_VIEWS: dict[type, _View] = {}


def _public(rec: Any) -> Any:
    """A record's ``PUBLIC`` fields."""
    cls = type(rec)
    view = _PUBLIC_VIEWS.get(cls)
    if view is None:
        view = _PUBLIC_VIEWS[cls] = _View.of(cls, rec.PUBLIC)
    return view.show(rec)


def _own(rec: Any, public: Mapping[str, Any]) -> dict[str, Any]:
    """A role's record but its ``LATENT`` fields (what its owner knows of itself).

    ``public`` is the record as the public state shows it: its public fields are taken
    from there (shown by the same rules), only the private ones are converted here.
    """
    cls = type(rec)
    view = _OWN_VIEWS.get(cls)
    if view is None:
        latent = getattr(rec, "LATENT", ())
        names = tuple(f.name for f in fields(rec) if f.name not in latent)
        view = _OWN_VIEWS[cls] = _View.of(cls, names, shown=rec.PUBLIC)
    return view.show(rec, public)


def _whole(rec: Any) -> Any:
    """Every field of a shared record (the treaty, the outcome)."""
    cls = type(rec)
    view = _WHOLE_VIEWS.get(cls)
    if view is None:
        view = _WHOLE_VIEWS[cls] = _View.of(cls, tuple(f.name for f in fields(rec)))
    return view.show(rec)


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
        "treaty": _whole(world.treaty),
        "news": [news_view(n) for n in world.news if n.public],
        "outcome": _whole(world.outcome) if world.outcome else None,
    }


_TABLES: dict[str, Literal["states", "labs", "officials", "whistleblowers", "ais"]] = {
    "state": "states",
    "lab": "labs",
    "official": "officials",
    "whistleblower": "whistleblowers",
    "ai": "ais",
}
"""Where the public state keeps each kind of role."""


class Observer:
    """The observations of many roles of one world, each shared part built once.

    The public state is built once (or given), and a lab's own view once: its staff and
    its AI both see it. Observations share what they have in common (the public state,
    a lab's view inside its AI's): callers must not modify them.
    """

    def __init__(self, world: World, public: PublicState | None = None) -> None:
        self.world = world
        self.public = public if public is not None else public_state(world)
        self._labs: dict[str, dict[str, Any]] = {}

    def _lab(self, lab: LabRec) -> dict[str, Any]:
        """A lab's record as its own staff know it (a fresh dict each time)."""
        core = self._labs.get(lab.id)
        if core is None:
            core = self._labs[lab.id] = _own(lab, self.public["labs"][lab.id])
        return dict(core)

    def observe(self, role_id: str) -> Observation:
        """One role's observation: its own record, public facts, its private news."""
        world = self.world
        kind = world.role_kind(role_id)
        rec = world.record(role_id)
        me = (
            self._lab(rec)
            if isinstance(rec, LabRec)
            else _own(rec, self.public[_TABLES[kind]][role_id])
        )
        obs: dict[str, Any] = {
            "role_id": role_id,
            "role_kind": kind,
            "done": world.done,
            "self": me,
            "public": self.public,
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
            obs["lab"] = self._lab(world.labs[rec.lab])
        return cast(Observation, obs)


def observe(world: World, role_id: str, public: PublicState | None = None) -> Observation:
    """Build the observation of one role: its own record, public facts, its private news.

    ``public`` may pass ``public_state(world)`` computed once for many roles of the same
    world (it is shared, not copied: callers must not modify it); ``Observer`` does that
    and more for every role of a world.
    """
    return Observer(world, public).observe(role_id)


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
