"""The numeric parameters of a scenario and the range each may vary over, for screening.

``numeric_parameters`` walks a scenario's pydantic model generically: nested sections
(``dynamics.*``, ``events.*``), maps of records (``states.<id>.*``) and lists of records
with an ``id`` (``labs.<id>.*``, ``officials.<id>.*``, ``whistleblowers.<id>.*``). It keeps
the fields declared ``int`` or ``float``, so ids, names, switches (bools), choices
(literals) and levels (enums) are left out, as are the scenario's own calendar and horizon
(``start_year``, ``turns``: scalars at the top level) and the section the scenario's mode
does not play (``precipice.*`` in a race, everything else in ``precipice`` mode).

``parameter_ranges`` gives each one a range: the schema's own bounds where the field
declares both (``ge``/``gt`` and ``le``/``lt``), else ``spread`` (default ±50%) around the
scenario's value, clipped to whichever bound the schema does declare. ``bounds="relative"``
uses the relative range everywhere. An exclusive bound is kept 1% of the range away. A
parameter whose range is empty (a value of 0 with no bounds to go by) stays fixed.
"""

from __future__ import annotations

import math
import types
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from rules.scenario import Scenario

Bounds = Literal["schema", "relative"]
EXCLUSIVE_MARGIN = 0.01
"""Share of a range kept clear of an exclusive bound (``gt``/``lt``)."""


@dataclass(frozen=True, slots=True)
class ParameterRange:
    """A numeric scenario parameter and the range it varies over."""

    path: str
    base: float
    """The scenario's value."""
    low: float
    high: float
    integer: bool
    source: Literal["schema", "relative"]
    """Where the range comes from: the schema's bounds or a spread around ``base``."""

    def text(self, x: float) -> str:
        """The override text for the value ``x`` (clipped to the range; integers rounded)."""
        x = min(max(float(x), self.low), self.high)
        return str(math.floor(x + 0.5)) if self.integer else repr(x)


@dataclass(frozen=True, slots=True)
class Numeric:
    """A numeric field found in a scenario: its path, value and declared bounds."""

    path: str
    value: float
    integer: bool
    lower: float | None
    lower_open: bool
    upper: float | None
    upper_open: bool


def _number_type(annotation: Any) -> type | None:
    """``int`` or ``float`` if the annotation is one (optionally ``| None``), else None."""
    if annotation in (int, float):
        return annotation  # type: ignore[no-any-return]
    if get_origin(annotation) in (Union, types.UnionType):
        kinds = [a for a in get_args(annotation) if a is not type(None)]
        if len(kinds) == 1 and kinds[0] in (int, float):
            return kinds[0]  # type: ignore[no-any-return]
    return None


def _numeric(path: str, info: FieldInfo, value: Any) -> Numeric | None:
    kind = _number_type(info.annotation)
    if kind is None or type(value) not in (int, float):
        return None
    lower = upper = None
    lower_open = upper_open = False
    for m in info.metadata:
        if getattr(m, "ge", None) is not None:
            lower, lower_open = float(m.ge), False
        if getattr(m, "gt", None) is not None:
            lower, lower_open = float(m.gt), True
        if getattr(m, "le", None) is not None:
            upper, upper_open = float(m.le), False
        if getattr(m, "lt", None) is not None:
            upper, upper_open = float(m.lt), True
    return Numeric(path, float(value), kind is int, lower, lower_open, upper, upper_open)


def _walk(node: BaseModel, prefix: str) -> Iterator[Numeric]:
    for name, info in type(node).model_fields.items():
        value = getattr(node, name)
        path = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            yield from _walk(value, f"{path}.")
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, BaseModel):
                    yield from _walk(item, f"{path}.{key}.")
        elif isinstance(value, list):
            for item in value:
                rid = getattr(item, "id", None)
                if isinstance(item, BaseModel) and isinstance(rid, str):
                    yield from _walk(item, f"{path}.{rid}.")
        elif prefix:
            found = _numeric(path, info, value)
            if found is not None:
                yield found


def _played(scenario: Scenario, path: str) -> bool:
    in_precipice = path.startswith("precipice.")
    return in_precipice if scenario.mode == "precipice" else not in_precipice


def numeric_fields(model: BaseModel) -> list[Numeric]:
    """Every ``int`` or ``float`` field below the top level of a model, in the schema's order."""
    return list(_walk(model, ""))


def numeric_parameters(scenario: Scenario) -> list[Numeric]:
    """Every numeric parameter the scenario's mode plays, in the schema's order."""
    return [p for p in numeric_fields(scenario) if _played(scenario, p.path)]


def matches(path: str, prefixes: Sequence[str]) -> bool:
    """Whether ``path`` is one of ``prefixes`` or lies under one (at a dot)."""
    return any(path == p.rstrip(".") or path.startswith(p.rstrip(".") + ".") for p in prefixes)


def range_of(p: Numeric, bounds: Bounds = "schema", spread: float = 0.5) -> ParameterRange | None:
    """The range ``p`` varies over (see the module's docstring), or None if it is empty."""
    span_known = p.lower is not None and p.upper is not None
    if bounds == "schema" and span_known:
        assert p.lower is not None and p.upper is not None
        low, high, source = p.lower, p.upper, "schema"
    else:
        a, b = p.value * (1 - spread), p.value * (1 + spread)
        low, high, source = min(a, b), max(a, b), "relative"
        if p.lower is not None:
            low = max(low, p.lower)
        if p.upper is not None:
            high = min(high, p.upper)
    margin = EXCLUSIVE_MARGIN * (high - low)
    if p.lower_open and p.lower is not None and low <= p.lower:
        low = p.lower + margin
    if p.upper_open and p.upper is not None and high >= p.upper:
        high = p.upper - margin
    if p.integer:
        low, high = float(math.ceil(low)), float(math.floor(high))
    if not high > low:
        return None
    return ParameterRange(p.path, p.value, low, high, p.integer, source)  # type: ignore[arg-type]


def parameter_ranges(
    scenario: Scenario,
    *,
    bounds: Bounds = "schema",
    spread: float = 0.5,
    only: Sequence[str] = (),
    skip: Sequence[str] = (),
) -> tuple[list[ParameterRange], list[str]]:
    """The ranges of the scenario's numeric parameters, and the paths left fixed.

    ``only`` keeps the parameters at or under these dotted prefixes (all if empty);
    ``skip`` drops those under these. A parameter with an empty range is left fixed.

    Raises:
        ValueError: for a spread outside (0, 1) or an unknown bounds mode.
    """
    if not 0 < spread < 1:
        raise ValueError(f"spread must be between 0 and 1, not {spread}")
    if bounds not in ("schema", "relative"):
        raise ValueError(f"bounds must be 'schema' or 'relative', not {bounds!r}")
    ranges, fixed = [], []
    for p in numeric_parameters(scenario):
        if (only and not matches(p.path, only)) or matches(p.path, skip):
            continue
        r = range_of(p, bounds, spread)
        if r is None:
            fixed.append(p.path)
        else:
            ranges.append(r)
    return ranges, fixed
