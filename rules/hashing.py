"""A canonical digest of the world, so a replay can prove it reproduced every turn.

The digest is the SHA-256 of a canonical JSON text of the world: records as objects keyed
by field name, keys sorted, enums by value, tuples as lists, floats in their shortest
round-tripping form (``repr``). It depends on the world's content only: renaming a class
or reordering its fields keeps every hash; changing any value, hidden ones included,
changes it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any

from rules.getters import attrs_getter
from rules.world import World

JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]

_SCALARS = frozenset({type(None), bool, int, float, str})
"""Types that are their own canonical form (exact types: an ``IntEnum`` is not an int here)."""

_RECORDS: dict[type, tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]] = {}
"""Per record class: its field names and one getter for all of them (found once)."""


def _record_fields(cls: type) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]:
    found = _RECORDS.get(cls)
    if found is None:
        names = tuple(f.name for f in fields(cls))
        found = _RECORDS[cls] = (names, attrs_getter(names))
    return found


def canonical(value: Any) -> JSONValue:
    """The canonical JSON form of a world value (records, dicts, lists, enums, scalars).

    Scalars inside records, dicts and lists are taken as they are, without a call each:
    a world is mostly numbers, and it is hashed after every quarter of a recorded game.

    Raises:
        TypeError: for a value that has no canonical form.
    """
    cls = type(value)
    if cls in _SCALARS:
        return value  # type: ignore[no-any-return]
    if isinstance(value, Enum):
        return canonical(value.value)
    if isinstance(value, dict):
        return {str(k): v if type(v) in _SCALARS else canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [v if type(v) in _SCALARS else canonical(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        names, get = _record_fields(cls)
        return {
            name: v if type(v) in _SCALARS else canonical(v)
            for name, v in zip(names, get(value), strict=True)
        }
    raise TypeError(f"no canonical form for {cls.__name__}")


def canonical_text(value: Any) -> str:
    """The canonical JSON text: sorted keys, no spaces, no NaN or infinity."""
    return json.dumps(
        canonical(value), sort_keys=True, separators=(",", ":"), allow_nan=False, ensure_ascii=False
    )


def world_hash(world: World) -> str:
    """SHA-256 (hex, first 32 characters) of the world's canonical JSON text."""
    return hashlib.sha256(canonical_text(world).encode()).hexdigest()[:32]
