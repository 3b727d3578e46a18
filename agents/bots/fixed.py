"""Fixed policies: ``fixed:LEVER=VALUE[,LEVER=VALUE...]`` applied every quarter.

A fixed policy sets the named levers every quarter and lets the seat's bot decide every
other lever. A value the seat may not use this quarter is brought inside what it may:
a number is clamped to the lever's bounds, an oversight level moves as far towards its
target as the rules allow, and any other choice not open now (a treaty move with
nothing to accept, say) is skipped for that quarter. An unknown lever or a value of the
wrong type is a ``ValueError`` naming it.
"""

from __future__ import annotations

import json
from typing import Any

from rules.actions import ORDER_TYPES, AnyOrder, InvalidOrderError, legal_actions, parse_order
from rules.views import Lever, Observation

PREFIX = "fixed:"


def _value(text: str) -> Any:
    """A lever value as written on the command line: JSON if it parses, else a string."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def parse_fixed(role_kind: str, spec: str) -> dict[str, Any]:
    """The levers of a ``fixed:...`` spec for a role kind, validated.

    Raises:
        ValueError: naming an unknown lever or a bad value.
    """
    body = spec[len(PREFIX) :] if spec.startswith(PREFIX) else spec
    levers: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in body.split(","))):
        name, sep, raw = part.partition("=")
        name = name.strip()
        if not sep:
            raise ValueError(f"{spec!r}: expected LEVER=VALUE, got {part!r}")
        if name == "kind" or name not in ORDER_TYPES[role_kind].model_fields:
            known = ", ".join(n for n in ORDER_TYPES[role_kind].model_fields if n != "kind")
            raise ValueError(f"{spec!r}: a {role_kind} has no lever {name!r} (levers: {known})")
        levers[name] = _value(raw.strip())
    if not levers:
        raise ValueError(f"{spec!r}: name at least one lever")
    try:
        parse_order(role_kind, levers)
    except InvalidOrderError as exc:
        raise ValueError(f"{spec!r}: {exc}") from None
    return levers


def _fit(value: Any, lever: Lever) -> Any:
    """The value brought inside what the lever allows now (None: skip it this quarter)."""
    if lever["type"] == "number":
        return min(lever["max"], max(lever["min"], float(value)))
    if lever["type"] == "choice":
        options = lever["options"]
        if value in options:
            return value
        if lever["name"] == "oversight" and isinstance(value, int):
            return min(options, key=lambda o: abs(int(o) - value))
        return None
    return value


def apply_fixed(order: AnyOrder, levers: dict[str, Any], obs: Observation) -> AnyOrder:
    """The bot's order with the fixed levers laid over it, each fitted to what is legal now."""
    legal = {lv["name"]: lv for lv in legal_actions(obs)}
    data = order.model_dump(mode="json", exclude_none=True)
    for name, value in levers.items():
        lever = legal.get(name)
        if lever is None:
            data.pop(name, None)
            continue
        fitted = _fit(value, lever)
        if fitted is None:
            data.pop(name, None)
        else:
            data[name] = fitted
    return parse_order(obs["role_kind"], data)


__all__ = ["PREFIX", "apply_fixed", "parse_fixed"]
