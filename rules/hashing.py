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

from rules.codegen import compile_function
from rules.world import World

JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]

_SCALARS = frozenset({type(None), bool, int, float, str})
"""Types that are their own canonical form (exact types: an ``IntEnum`` is not an int here)."""

_RECORDS: dict[type, Callable[[Any], dict[str, JSONValue]]] = {}
"""Per record class: its canonical form, written out once as one function."""


def _record_canonical(cls: type) -> Callable[[Any], dict[str, JSONValue]]:
    """The function giving a record class's canonical form (an object keyed by field name).

    One dict display reading every field, the way ``dataclasses`` writes ``__init__``: a
    scalar is taken as it is, anything else goes through ``canonical``. The keys are in
    sorted order, as the canonical text has them.
    """
    found = _RECORDS.get(cls)
    if found is None:
        names = sorted(f.name for f in fields(cls))
        items = ", ".join(
            f"{name!r}: r.{name} if _type(r.{name}) in _scalars else _canonical(r.{name})"
            for name in names
        )
        scope = {"_type": type, "_scalars": _SCALARS, "_canonical": canonical}
        source = f"def canon(r):\n    return {{{items}}}\n"
        found = _RECORDS[cls] = compile_function(source, "canon", scope)
    return found


def canonical(value: Any) -> JSONValue:
    """The canonical JSON form of a world value (records, dicts, lists, enums, scalars).

    Every object (a record's fields, a dict's keys as strings) comes with its keys in
    sorted order.

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
        out = {str(k): v if type(v) in _SCALARS else canonical(v) for k, v in value.items()}
        return dict(sorted(out.items()))
    if isinstance(value, list | tuple):
        return [v if type(v) in _SCALARS else canonical(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return _record_canonical(cls)(value)
    raise TypeError(f"no canonical form for {cls.__name__}")


def canonical_text(value: Any) -> str:
    """The canonical JSON text: sorted keys, no spaces, no NaN or infinity.

    ``canonical`` gives every object with its keys in sorted order already (the order
    ``json.dumps(sort_keys=True)`` would put them in), so the encoder need not sort.
    """
    return json.dumps(canonical(value), separators=(",", ":"), allow_nan=False, ensure_ascii=False)


def world_hash(world: World) -> str:
    """SHA-256 (hex, first 32 characters) of the world's canonical JSON text."""
    return hashlib.sha256(canonical_text(world).encode()).hexdigest()[:32]
