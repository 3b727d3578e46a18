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
from dataclasses import asdict, fields, is_dataclass
from enum import IntEnum
from typing import Any, Literal, cast

from rules.codegen import compile_function
from rules.objectives import OBJECTIVES, objectives_of
from rules.phases.policy import floor_in_force
from rules.views import GodView, NewsView, Observation, PublicState
from rules.world import (
    AIRec,
    LabRec,
    NewsItem,
    OfficialRec,
    Oversight,
    Report,
    StateRec,
    WhistleblowerRec,
    World,
)

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


def _expression(name: str, hint: Any) -> str:
    """The Python expression showing field ``name`` of record ``r`` (by its declared type).

    Floats are rounded to 4 places, an oversight level is shown as its int, a map of
    floats has its values rounded, a list is copied (a list of reports as plain dicts);
    anything else (strings, ints, bools, optional values) is shown as it is.
    """
    value = f"r.{name}"
    if hint is float:
        return f"_round({value}, 4)"
    if hint is Oversight:
        return f"_int({value})"
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is dict and args[1] is float:
        return f"{{k: _round(v, 4) for k, v in {value}.items()}}"
    if origin is list and args[0] is str:
        return f"_list({value})"
    if origin is list and args[0] is Report:
        return (
            "[{'turn': x.turn, 'source': x.source, 'lab': x.lab, 'risk': x.risk}"
            f" for x in {value}]"
        )
    if origin is list:
        return f"_plain({value})"
    return value


_SHOW_GLOBALS: dict[str, Any] = {"_round": round, "_int": int, "_list": list, "_plain": _plain}


def _shower(
    record: type, names: tuple[str, ...], shown: tuple[str, ...] = ()
) -> Callable[..., dict[str, Any]]:
    """A function showing these fields of a record class as plain JSON-ready data.

    Its result has the fields in the order of ``names``; the fields in ``shown`` are
    taken as they are from a second argument, the record as another view already showed
    it (a record's public fields, in the public state). The function is written out once
    per class as one dict display (the way ``dataclasses`` writes ``__init__``): a record
    is shown for every role every quarter, and a call per field cost most of it.
    """
    hints = typing.get_type_hints(record)
    items = ", ".join(
        f"{name!r}: " + (f"p[{name!r}]" if name in shown else _expression(name, hints[name]))
        for name in names
    )
    source = f"def show(r, p=None):\n    return {{{items}}}\n"
    return compile_function(source, "show", _SHOW_GLOBALS)


_PUBLIC_VIEWS: dict[type, Callable[..., dict[str, Any]]] = {}
_OWN_VIEWS: dict[type, Callable[..., dict[str, Any]]] = {}
_WHOLE_VIEWS: dict[type, Callable[..., dict[str, Any]]] = {}


def _public_view(cls: type) -> Callable[..., dict[str, Any]]:
    """How to show a record class's ``PUBLIC`` fields."""
    view = _PUBLIC_VIEWS.get(cls)
    if view is None:
        view = _PUBLIC_VIEWS[cls] = _shower(cls, cls.PUBLIC)  # type: ignore[attr-defined]
    return view


def _table(records: Mapping[str, Any]) -> dict[str, Any]:
    """The public fields of every record of a table (all of one class), by id."""
    if not records:
        return {}
    show = _public_view(type(next(iter(records.values()))))
    return {rid: show(rec) for rid, rec in records.items()}


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
        view = _OWN_VIEWS[cls] = _shower(cls, names, shown=rec.PUBLIC)
    return view(rec, public)


def _whole(rec: Any) -> Any:
    """Every field of a shared record (the treaty, the outcome)."""
    cls = type(rec)
    view = _WHOLE_VIEWS.get(cls)
    if view is None:
        view = _WHOLE_VIEWS[cls] = _shower(cls, tuple(f.name for f in fields(rec)))
    return view(rec)


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
        "states": _table(world.states),
        "labs": _table(world.labs),
        "officials": _table(world.officials),
        "whistleblowers": _table(world.whistleblowers),
        "ais": _table(world.ais),
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
        self._private = [n for n in world.news if not n.public]
        """The quarter's private news (each role sees those addressed to it)."""

    def _lab(self, lab: LabRec) -> dict[str, Any]:
        """A lab's record as its own staff know it (a fresh dict each time)."""
        core = self._labs.get(lab.id)
        if core is None:
            core = self._labs[lab.id] = _own(lab, self.public["labs"][lab.id])
        return dict(core)

    def observe(self, role_id: str) -> Observation:
        """One role's observation: its own record, public facts, its private news."""
        world = self.world
        rec: StateRec | LabRec | OfficialRec | WhistleblowerRec | AIRec
        if role_id in world.states:
            kind, rec = "state", world.states[role_id]
        elif role_id in world.labs:
            kind, rec = "lab", world.labs[role_id]
        elif role_id in world.officials:
            kind, rec = "official", world.officials[role_id]
        elif role_id in world.whistleblowers:
            kind, rec = "whistleblower", world.whistleblowers[role_id]
        elif role_id in world.ais:
            kind, rec = "ai", world.ais[role_id]
        else:
            raise KeyError(f"unknown role {role_id!r}")
        me = (
            self._lab(rec)
            if isinstance(rec, LabRec)
            else _own(rec, self.public[_TABLES[kind]][role_id])
        )
        obs: dict[str, Any] = {
            "role_id": role_id,
            "role_kind": kind,
            "done": world.outcome is not None,
            "self": me,
            "public": self.public,
            "private_news": [news_view(n) for n in self._private if role_id in n.audience],
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
