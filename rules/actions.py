"""Orders: what each role may decide in a turn, their bounds, and their validation.

An order is a set of levers for one turn. Fields left out keep their current value.
``parse_order`` turns wire JSON into a typed order (``InvalidOrderError`` names the field
and the reason); ``check_order`` refuses a well-formed order that the role may not give
now (``IllegalOrderError``), e.g. braking without authority or accepting a treaty nobody
proposed. ``legal_actions`` lists, for an observation, every lever with its bounds and
a short explanation: the web client builds its forms from it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from rules.views import (
    LabObservation,
    Lever,
    Observation,
    OwnState,
    PublicState,
    StateObservation,
)
from rules.world import Oversight


class OrderError(ValueError):
    """Base class for a refused order; ``field`` names the offending field."""

    code = "invalid_action"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class InvalidOrderError(OrderError):
    """The order is malformed: wrong type, out of bounds, unknown field."""


class IllegalOrderError(OrderError):
    """The order is well formed but not allowed for this role now."""


class _Order(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StateOrder(_Order):
    """Policy levers of a state."""

    kind: Literal["state"] = "state"
    export_controls: float | None = Field(
        None, ge=0, le=1, description="Controls on chips sold to the rival (0 none, 1 total ban)."
    )
    subsidy: float | None = Field(
        None, ge=0, le=200, description="Government AI funding, $B per quarter."
    )
    self_reliance: float | None = Field(
        None, ge=0, le=1, description="Share of imported chips refused to build domestic capacity."
    )
    oversight: Oversight | None = Field(
        None,
        description="0 none, 1 voluntary reporting, 2 oversight committee, 3 officials embedded in every lab.",
    )
    worker_protection: float | None = Field(
        None, ge=0, le=1, description="How far laid-off workers must be kept on (cuts AI revenue)."
    )
    channel_open: bool | None = Field(
        None, description="Open the private channel for whistleblowers to speak up."
    )
    leak_policy: Literal["punish", "protect"] | None = Field(
        None, description="What happens to those who leak to the public."
    )
    safety_floor: float | None = Field(
        None,
        ge=0,
        le=0.5,
        description="Minimum safety share of compute for the state's labs (enforced under a committee or embedded officials).",
    )
    treaty: Literal["propose_pause", "propose_floor", "accept", "break"] | None = Field(
        None, description="Treaty diplomacy with the rival."
    )
    nationalise: bool | None = Field(
        None, description="Take the state's labs under state control (one-way)."
    )
    merge_labs: bool | None = Field(
        None,
        description="Merge the state's labs into its most capable one (one-way): compute, funding and safety research are pooled.",
    )


class LabOrder(_Order):
    """Levers of a lab."""

    kind: Literal["lab"] = "lab"
    safety_share: float | None = Field(
        None, ge=0, le=0.5, description="Share of compute spent on safety research."
    )
    eval_rigour: float | None = Field(
        None,
        ge=0,
        le=1,
        description="How hard the lab evaluates its models (sharper risk signals, slightly slower).",
    )
    release: Literal["api", "open", "none"] | None = Field(
        None, description="How the model ships: API, open weights, or not at all."
    )
    pause: bool | None = Field(None, description="Pause frontier training this quarter.")
    distil: bool | None = Field(
        None, description="Distil the leader's model (only a follower gains)."
    )
    lobby: bool | None = Field(None, description="Lobby against oversight.")


class OfficialOrder(_Order):
    """What an official does with what they saw."""

    kind: Literal["official"] = "official"
    action: Literal["inspect", "report", "brake", "ignore", "cover_up"] = Field(
        "ignore", description="Inspect the lab, report up, apply the brake, ignore, or cover up."
    )


class WhistleblowerOrder(_Order):
    """What an employee does with what they saw."""

    kind: Literal["whistleblower"] = "whistleblower"
    action: Literal["silent", "raise_internally", "speak_up", "speak_out"] = Field(
        "silent",
        description="Stay silent, raise it inside the lab, speak up privately to the government, or speak out publicly.",
    )


Order = Annotated[
    StateOrder | LabOrder | OfficialOrder | WhistleblowerOrder, Field(discriminator="kind")
]
ORDER_TYPES: dict[str, type[_Order]] = {
    "state": StateOrder,
    "lab": LabOrder,
    "official": OfficialOrder,
    "whistleblower": WhistleblowerOrder,
}
_ORDER_ADAPTER: TypeAdapter[StateOrder | LabOrder | OfficialOrder | WhistleblowerOrder] = (
    TypeAdapter(Order)
)

AnyOrder = StateOrder | LabOrder | OfficialOrder | WhistleblowerOrder


def parse_order(role_kind: str, data: Any) -> AnyOrder:
    """Parse wire data into the order type of ``role_kind``.

    Validation is strict, as for JSON on the wire: a number must be a JSON number and a
    switch ``true``/``false`` (``"0"``, ``"true"`` or ``1`` for a switch are refused, not
    coerced); levers that take a choice accept its JSON value.

    Raises:
        InvalidOrderError: naming the first offending field and why.
    """
    if not isinstance(data, dict):
        raise InvalidOrderError("order", "must be a JSON object")
    payload = dict(data)
    payload.setdefault("kind", role_kind)
    if payload["kind"] != role_kind:
        raise InvalidOrderError("kind", f"this seat is a {role_kind}, not a {payload['kind']!r}")
    for name, value in payload.items():
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError):
            raise InvalidOrderError(str(name) or "order", "must be a finite JSON value") from None
    text = json.dumps(payload)
    try:
        return _ORDER_ADAPTER.validate_json(text, strict=True)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(p) for p in err["loc"] if str(p) not in ORDER_TYPES]
        field = ".".join(loc) or "order"
        msg = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
        raise InvalidOrderError(field, msg) from None


def order_to_wire(order: AnyOrder) -> dict[str, Any]:
    """Serialise an order, keeping only the levers that were set."""
    data = order.model_dump(mode="json", exclude_none=True)
    data["kind"] = order.kind
    return data


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

    def number(self, name: str, step: float, lo: float | None = None) -> None:
        """A bounded number; ``lo`` raises the declared minimum (e.g. an enforced floor)."""
        low, high = _bounds(self.model, name)
        self._add(
            name,
            "number",
            min=low if lo is None else lo,
            max=high,
            step=step,
            current=self.me[name],
        )

    def boolean(self, name: str, current: Any) -> None:
        """An on/off lever."""
        self._add(name, "boolean", current=current)

    def choice(self, name: str, options: list[Any], current: Any) -> None:
        """One of ``options``."""
        self._add(name, "choice", options=options, current=current)


def _treaty_options(observation: Observation) -> list[str]:
    treaty = observation["public"]["treaty"]
    if treaty["status"] == "none":
        return ["propose_pause", "propose_floor"]
    if treaty["status"] == "proposed" and treaty["proposed_by"] != observation["self"]["id"]:
        return ["accept"]
    if treaty["status"] == "active":
        return ["break"]
    return []


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
    for name, step in (("export_controls", 0.05), ("subsidy", 1.0), ("self_reliance", 0.05)):
        levers.number(name, step)
    levers.choice("oversight", _oversight_options(me), me["oversight"])
    levers.number("worker_protection", 0.05)
    levers.boolean("channel_open", me["channel_open"])
    levers.choice("leak_policy", ["punish", "protect"], me["leak_policy"])
    levers.number("safety_floor", 0.05)
    treaty = _treaty_options(observation)
    if treaty:
        levers.choice("treaty", treaty, None)
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
    levers.boolean("pause", me["paused"])
    levers.boolean("distil", me["distilling"])
    if not me["nationalised"]:
        levers.boolean("lobby", me["lobbying"])
    return levers.out


def racing_labs_of(observation: Observation, state_id: str) -> list[str]:
    """Ids of a state's labs still racing (not merged), from the public part of an observation."""
    return [
        lid
        for lid, lab in observation["public"]["labs"].items()
        if lab["state"] == state_id and not lab.get("merged_into")
    ]


def has_choice(levers: list[Lever]) -> bool:
    """True if a ``legal_actions`` list leaves the role anything to decide."""
    return any(spec["type"] != "choice" or len(spec["options"]) > 1 for spec in levers)


def idle_roles(public: PublicState) -> list[str]:
    """Roles with nothing to decide this turn, read from public facts only.

    A lab merged into another, an official whose post the oversight level does not allow,
    a whistleblower who was fired or punished. Agrees with ``has_choice(legal_actions(...))``
    for every role (a property test checks it); a server need not wait for these seats.
    """
    if public.get("outcome") is not None:
        return [*public["states"], *public["labs"], *public["officials"], *public["whistleblowers"]]
    return [
        *(lid for lid, lab in public["labs"].items() if lab.get("merged_into")),
        *(oid for oid, off in public["officials"].items() if not off["active"]),
        *(wid for wid, wb in public["whistleblowers"].items() if wb["status"] != "employed"),
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
    if observation.get("done"):
        raise IllegalOrderError("order", "the game is over")
    merged = observation["self"].get("merged_into") if kind == "lab" else None
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


def default_order(role_kind: str) -> AnyOrder:
    """The order that changes nothing (what a silent seat does)."""
    return ORDER_TYPES[role_kind]()  # type: ignore[return-value]
