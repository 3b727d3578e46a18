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
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any

from rules.world import World

JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]


def canonical(value: Any) -> JSONValue:
    """The canonical JSON form of a world value (records, dicts, lists, enums, scalars).

    Raises:
        TypeError: for a value that has no canonical form.
    """
    cls = type(value)
    if value is None or cls is bool or cls is int or cls is float or cls is str:
        return value  # type: ignore[no-any-return]
    if isinstance(value, Enum):
        return canonical(value.value)
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in fields(value)}
    raise TypeError(f"no canonical form for {cls.__name__}")


def canonical_text(value: Any) -> str:
    """The canonical JSON text: sorted keys, no spaces, no NaN or infinity."""
    return json.dumps(
        canonical(value), sort_keys=True, separators=(",", ":"), allow_nan=False, ensure_ascii=False
    )


def world_hash(world: World) -> str:
    """SHA-256 (hex, first 32 characters) of the world's canonical JSON text."""
    return hashlib.sha256(canonical_text(world).encode()).hexdigest()[:32]
