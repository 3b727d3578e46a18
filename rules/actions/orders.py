"""Orders: what each role may decide in a quarter, their bounds, and how wire JSON becomes one.

An order is a set of levers for one turn. Fields left out keep their current value.
``parse_order`` turns wire JSON into a typed order (``InvalidOrderError`` names the field
and the reason); the bounds declared here are the one source of truth that
``legal_actions`` shows and ``check_order`` enforces.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

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


TreatyMove = Literal["propose_pause", "propose_floor", "accept", "withdraw", "break"]


class StateOrder(_Order):
    """Policy levers of a state."""

    kind: Literal["state"] = "state"
    export_controls: float | None = Field(
        None, ge=0, le=1, description="Controls on chips sold to the rival (0 none, 1 total ban)."
    )
    subsidy: float | None = Field(
        None,
        ge=0,
        le=200,
        description="Government AI funding, $B per quarter (up to the state's cap).",
    )
    self_reliance: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Share of imported chips refused to build domestic chip capacity (compute now for chips later).",
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
    verification: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Inspections the state offers and demands in a treaty (0 none, 1 full).",
    )
    treaty: TreatyMove | None = Field(None, description="Treaty diplomacy with the rival.")
    secret_training: bool | None = Field(
        None,
        description="Under a pause treaty, keep training in secret (caught more often under more verification).",
    )
    distribution: Literal["shared", "oligarchy"] | None = Field(
        None,
        description="Push the abundance of a corrigible ASI towards being shared, or towards those who hold it.",
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
        None, ge=0, le=0.5, description="Share of compute spent on alignment research."
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
    disclose: Literal["full", "partial", "none"] | None = Field(
        None,
        description="What the lab reports of its evaluations to its government under voluntary reporting.",
    )
    pause: bool | None = Field(None, description="Pause frontier training this quarter.")
    distil: bool | None = Field(
        None, description="Distil the leader's released model (only a follower gains)."
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


class AIOrder(_Order):
    """What a lab's AI does this quarter (secret unless caught)."""

    kind: Literal["ai"] = "ai"
    action: Literal["cooperate", "sandbag", "sabotage", "manipulate", "exfiltrate"] = Field(
        "cooperate",
        description="Cooperate; sandbag an evaluation; sabotage alignment research; manipulate the lab; or, once it automates AI research, try to exfiltrate its weights.",
    )
    target: Literal["lab", "whistleblower"] | None = Field(
        None,
        description="Whom to manipulate: the lab (less safety research) or its whistleblower (more fear).",
    )


Order = Annotated[
    StateOrder | LabOrder | OfficialOrder | WhistleblowerOrder | AIOrder,
    Field(discriminator="kind"),
]
AnyOrder = StateOrder | LabOrder | OfficialOrder | WhistleblowerOrder | AIOrder
ORDER_TYPES: dict[str, type[_Order]] = {
    "state": StateOrder,
    "lab": LabOrder,
    "official": OfficialOrder,
    "whistleblower": WhistleblowerOrder,
    "ai": AIOrder,
}
_ORDER_ADAPTER: TypeAdapter[AnyOrder] = TypeAdapter(Order)


def parse_order(role_kind: str, data: Any) -> AnyOrder:
    """Parse wire data into the order type of ``role_kind``.

    Validation is strict, as for JSON on the wire: a number must be a JSON number and a
    switch ``true``/``false`` (``"0"``, ``"true"`` or ``1`` for a switch are refused, not
    coerced); levers that take a choice accept its JSON value. ``null`` is refused too: a
    lever left out keeps its value, so ``null`` would say nothing a missing field does not.

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
        if value is None:
            raise InvalidOrderError(
                str(name) or "order", "null is not a value: leave the lever out to keep it as it is"
            )
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


def default_order(role_kind: str) -> AnyOrder:
    """The order that changes nothing (what a silent seat does)."""
    return ORDER_TYPES[role_kind]()  # type: ignore[return-value]
