"""Legal actions: every lever a role may pull now, with bounds and help; and the check of an order.

``legal_actions`` lists, for an observation, every lever with its bounds, current value
and a short explanation: the web client builds its forms from it and the bots stay inside
it. ``check_order`` refuses a well-formed order that the role may not give now
(``IllegalOrderError``), e.g. braking without authority or accepting a treaty nobody
proposed. ``idle_roles`` names, from public facts only, the seats with nothing to decide.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, cast

from rules.actions.orders import (
    AIOrder,
    AnyOrder,
    IllegalOrderError,
    LabOrder,
    OfficialOrder,
    StateOrder,
    WhistleblowerOrder,
    _Order,
)
from rules.views import (
    AIObservation,
    LabObservation,
    Lever,
    Observation,
    OwnState,
    PublicState,
    StateObservation,
)
from rules.world import Oversight


def _bounds(model: type[_Order], name: str) -> tuple[float, float]:
    """The ``ge``/``le`` bounds a lever declares on its order model (one source of truth)."""
    lo, hi = -math.inf, math.inf
    for item in model.model_fields[name].metadata:
        lo = float(getattr(item, "ge", lo))
        hi = float(getattr(item, "le", hi))
    return lo, hi


class _Levers:
    """Builds the ``legal_actions`` entries of one order type."""

    def __init__(self, model: type[_Order], me: Mapping[str, Any]) -> None:
        self.model = model
        self.me = me
        self.out: list[Lever] = []

    def _add(self, name: str, kind: str, **extra: Any) -> None:
        description = self.model.model_fields[name].description or ""
        lever = {"name": name, "type": kind, "description": description, **extra}
        self.out.append(cast(Lever, lever))

    def number(
        self, name: str, step: float, lo: float | None = None, hi: float | None = None
    ) -> None:
        """A bounded number; ``lo``/``hi`` narrow the declared bounds (a floor, a cap)."""
        low, high = _bounds(self.model, name)
        self._add(
            name,
            "number",
            min=low if lo is None else max(low, lo),
            max=high if hi is None else min(high, hi),
            step=step,
            current=self.me[name],
        )

    def boolean(self, name: str, current: Any) -> None:
        """An on/off lever."""
        self._add(name, "boolean", current=current)

    def choice(self, name: str, options: list[Any], current: Any) -> None:
        """One of ``options``."""
        self._add(name, "choice", options=options, current=current)


def treaty_options(observation: StateObservation) -> list[str]:
    """Treaty moves open to a state now: propose, withdraw its proposal, accept, or break."""
    treaty = observation["public"]["treaty"]
    me = observation["self"]["id"]
    if treaty["status"] == "none":
        return ["propose_pause", "propose_floor"]
    if treaty["status"] == "proposed":
        return ["withdraw"] if treaty["proposed_by"] == me else ["accept"]
    return ["break"]


def legal_actions(observation: Observation) -> list[Lever]:
    """List the levers a role may pull now, with bounds, current values and help text.

    The list depends only on the observation, so a bot, the web client and the server
    agree on it. Each entry: ``name``, ``type`` (``number``/``boolean``/``choice``),
    ``description``, bounds or ``options``, and ``current`` where the role has one.
    """
    if observation["done"]:
        return []
    if observation["role_kind"] == "state":
        return _state_levers(observation)
    if observation["role_kind"] == "lab":
        return _lab_levers(observation)
    if observation["role_kind"] == "ai":
        return _ai_levers(observation)
    if observation["role_kind"] == "official":
        me_o = observation["self"]
        options = ["ignore"]
        if me_o["active"]:
            options = ["inspect", "report", "ignore", "cover_up"]
            if me_o["brake_authority"]:
                options.insert(2, "brake")
        levers = _Levers(OfficialOrder, me_o)
        levers.choice("action", options, "ignore")
        return levers.out
    me_w = observation["self"]
    levers = _Levers(WhistleblowerOrder, me_w)
    employed = me_w["status"] == "employed"
    levers.choice(
        "action",
        ["silent", "raise_internally", "speak_up", "speak_out"] if employed else ["silent"],
        "silent",
    )
    return levers.out


def _state_levers(observation: StateObservation) -> list[Lever]:
    me = observation["self"]
    levers = _Levers(StateOrder, me)
    levers.number("export_controls", 0.05)
    levers.number("subsidy", 1.0, hi=me["subsidy_cap"])
    levers.number("self_reliance", 0.05)
    levers.choice("oversight", _oversight_options(me), me["oversight"])
    levers.number("worker_protection", 0.05)
    levers.boolean("channel_open", me["channel_open"])
    levers.choice("leak_policy", ["punish", "protect"], me["leak_policy"])
    levers.number("safety_floor", 0.05)
    levers.number("verification", 0.05)
    levers.choice("treaty", treaty_options(observation), None)
    treaty = observation["public"]["treaty"]
    if treaty["status"] == "active" and treaty["kind"] == "pause":
        levers.boolean("secret_training", me["secret_training"])
    levers.choice("distribution", ["shared", "oligarchy"], me["distribution"])
    if not me["nationalised"]:
        levers.boolean("nationalise", False)
    if len(racing_labs_of(observation, me["id"])) >= 2:
        levers.boolean("merge_labs", False)
    return levers.out


def _lab_levers(observation: LabObservation) -> list[Lever]:
    me = observation["self"]
    if me["merged_into"]:
        return []
    levers = _Levers(LabOrder, me)
    levers.number("safety_share", 0.01, lo=me["safety_floor_in_force"])
    levers.number("eval_rigour", 0.05)
    levers.choice("release", ["api", "open", "none"], me["release"])
    if me["oversight"] == Oversight.VOLUNTARY:
        levers.choice("disclose", ["full", "partial", "none"], me["disclose"])
    levers.boolean("pause", me["paused"])
    levers.boolean("distil", me["distilling"])
    if not me["nationalised"]:
        levers.boolean("lobby", me["lobbying"])
    return levers.out


def _ai_levers(observation: AIObservation) -> list[Lever]:
    me = observation["self"]
    public = observation["public"]
    levers = _Levers(AIOrder, me)
    if me["escaped"] or public["labs"][me["lab"]]["merged_into"]:
        levers.choice("action", ["cooperate"], "cooperate")  # nothing left to decide
        return levers.out
    options = ["cooperate", "sandbag", "sabotage", "manipulate"]
    if observation["lab"]["capability"] >= public["thresholds"]["automation"]:
        options.append("exfiltrate")
    levers.choice("action", options, "cooperate")
    targets = ["lab"]
    if any(
        wb["lab"] == me["lab"] and wb["status"] == "employed"
        for wb in public["whistleblowers"].values()
    ):
        targets.append("whistleblower")
    levers.choice("target", targets, "lab")
    return levers.out


def racing_labs_of(observation: Observation, state_id: str) -> list[str]:
    """Ids of a state's labs still racing (not merged), from the public part of an observation."""
    return [
        lid
        for lid, lab in observation["public"]["labs"].items()
        if lab["state"] == state_id and not lab["merged_into"]
    ]


def has_choice(levers: list[Lever]) -> bool:
    """True if a ``legal_actions`` list leaves the role anything to decide."""
    return any(spec["type"] != "choice" or len(spec["options"]) > 1 for spec in levers)


def idle_roles(public: PublicState) -> list[str]:
    """Roles with nothing to decide this turn, read from public facts only.

    A lab merged into another, an official whose post the oversight level does not allow,
    a whistleblower who was fired or punished, an AI that escaped or whose lab merged.
    Agrees with ``has_choice(legal_actions(...))`` for every role (a property test checks
    it); a server need not wait for these seats.
    """
    every = [
        *public["states"],
        *public["labs"],
        *public["officials"],
        *public["whistleblowers"],
        *public["ais"],
    ]
    if public["outcome"] is not None:
        return every
    labs = public["labs"]
    return [
        *(lid for lid, lab in labs.items() if lab["merged_into"]),
        *(oid for oid, off in public["officials"].items() if not off["active"]),
        *(wid for wid, wb in public["whistleblowers"].items() if wb["status"] != "employed"),
        *(
            aid
            for aid, ai in public["ais"].items()
            if ai["escaped"] or labs[ai["lab"]]["merged_into"]
        ),
    ]


def _oversight_options(me: OwnState) -> list[int]:
    """A democracy moves oversight one level a quarter; the one-party state at will."""
    cur = int(me["oversight"])
    if me["regime"] == "one_party":
        return [int(level) for level in Oversight]
    return [int(level) for level in Oversight if abs(int(level) - cur) <= 1]


def check_order(order: AnyOrder, observation: Observation) -> None:
    """Refuse an order the role may not give now.

    Raises:
        IllegalOrderError: naming the lever and the reason.
    """
    kind = observation["role_kind"]
    if order.kind != kind:
        raise IllegalOrderError("kind", f"this seat is a {kind}")
    if observation["done"]:
        raise IllegalOrderError("order", "the game is over")
    merged = observation["self"]["merged_into"] if observation["role_kind"] == "lab" else None
    specs = {s["name"]: s for s in legal_actions(observation)}
    for name, value in order.model_dump(exclude_none=True).items():
        if name == "kind":
            continue
        spec = specs.get(name)
        if spec is None and merged:
            raise IllegalOrderError(name, f"this lab was merged into {merged}; it decides nothing")
        if spec is None:
            raise IllegalOrderError(name, "not available to this role now")
        if spec["type"] == "choice" and _plain(value) not in spec["options"]:
            raise IllegalOrderError(
                name, f"{_plain(value)!r} is not allowed now; allowed: {spec['options']}"
            )
        if spec["type"] == "number" and not (spec["min"] - 1e-9 <= value <= spec["max"] + 1e-9):
            raise IllegalOrderError(name, f"{value} is outside [{spec['min']}, {spec['max']}] now")


def _plain(value: Any) -> Any:
    return int(value) if isinstance(value, Oversight) else value
