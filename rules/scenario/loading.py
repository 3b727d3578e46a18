"""Loading scenarios: the bundled TOML files, ``extends``, dotted-path overrides.

Scenarios are TOML files in ``rules/scenarios/``. A file may say ``extends = "baseline"``:
it then holds only what differs from its parent (tables merge key by key; lists of roles
merge by ``id``, a new id adds a role). Loading validates the merged mapping against
``rules.scenario.specs.Scenario``: unknown keys are refused with the offending path, bounds
are checked, and each ``[sources]`` entry must name a real parameter. ``with_overrides``
applies ``--set key=value`` style changes addressed by dotted path.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ValidationError

from rules.scenario.dynamics import Dynamics
from rules.scenario.specs import Scenario
from rules.world import Oversight


class ScenarioError(ValueError):
    """A scenario file or an override is invalid; the message names the path."""


SCENARIO_NAMES = (
    "baseline",
    "mirror",
    "ai-2027-race",
    "ai-2027-slowdown",
    "china-leads",
    "no-race",
    "consolidation",
    "precipice",
)
ROLE_LISTS = ("labs", "officials", "whistleblowers", "ais")


def named_path(data: Any, loc: tuple[int | str, ...]) -> list[str]:
    """A validation error's location as a user writes it: list entries by their ``id``.

    ``("labs", 0, "compute")`` becomes ``["labs", "us-lab", "compute"]`` when the first lab's
    id is ``us-lab`` (the dotted path ``--set`` and overrides take); an entry without an
    id keeps its index.
    """
    out: list[str] = []
    node = data
    for part in loc:
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            ident = node.get("id") if isinstance(node, dict) else getattr(node, "id", None)
            out.append(str(ident) if isinstance(ident, str) else str(part))
            continue
        out.append(str(part))
        node = node.get(part) if isinstance(node, dict) else None
    return out


def parse_scenario(data: dict[str, Any]) -> Scenario:
    """Validate a scenario mapping, raising ``ScenarioError`` that names each bad path."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            path = ".".join(named_path(data, err["loc"])) or "(scenario)"
            msg = (
                "unknown key (not a scenario parameter)"
                if err["type"] == "extra_forbidden"
                else err["msg"]
            )
            problems.append(f"{path}: {msg}")
        raise ScenarioError("; ".join(problems)) from None


def scenario_data(name: str, _seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """Read a bundled scenario file as a mapping, merged onto the scenario it ``extends``.

    Raises:
        ScenarioError: for an unknown scenario or a cycle of ``extends``.
    """
    if name not in SCENARIO_NAMES:
        raise ScenarioError(f"unknown scenario {name!r}; choose one of {', '.join(SCENARIO_NAMES)}")
    if name in _seen:
        raise ScenarioError(f"scenario {name!r} extends itself (via {' -> '.join(_seen)})")
    text = resources.files("rules.scenarios").joinpath(f"{name}.toml").read_text("utf-8")
    data = tomllib.loads(text)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    return merge(scenario_data(str(parent), (*_seen, name)), data)


def merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """``child`` laid over ``base``: tables merge key by key, role lists by ``id``."""
    out = dict(base)
    for key, value in child.items():
        old = out.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            out[key] = merge(old, value)
        elif key in ROLE_LISTS and isinstance(value, list) and isinstance(old, list):
            by_id = {item["id"]: dict(item) for item in old}
            for item in value:
                by_id[item["id"]] = merge(by_id.get(item["id"], {}), item)
            out[key] = list(by_id.values())
        else:
            out[key] = value
    return out


def load_scenario(name: str, overrides: dict[str, str] | None = None) -> Scenario:
    """Load a bundled scenario by name and apply ``dotted.path -> value`` overrides.

    Results are cached: scenarios are frozen, so the same object can serve many games.
    """
    return _load_cached(name, tuple(sorted((k, str(v)) for k, v in (overrides or {}).items())))


@lru_cache(maxsize=256)
def _load_cached(name: str, overrides: tuple[tuple[str, str], ...]) -> Scenario:
    scenario = parse_scenario(scenario_data(name))
    return with_overrides(scenario, dict(overrides))


def _walk(node: Any, parts: list[str], full: str) -> Any:
    for part in parts:
        if isinstance(node, BaseModel):
            if part not in type(node).model_fields:
                raise ScenarioError(f"unknown parameter {full!r}: {part!r} is not a field here")
            node = getattr(node, part)
        elif isinstance(node, dict):
            if part not in node:
                raise ScenarioError(f"unknown parameter {full!r}: no key {part!r}")
            node = node[part]
        elif isinstance(node, list):
            match = [item for item in node if getattr(item, "id", None) == part]
            if not match:
                raise ScenarioError(f"unknown parameter {full!r}: no entry with id {part!r}")
            node = match[0]
        else:
            raise ScenarioError(f"unknown parameter {full!r}: cannot descend into {part!r}")
    return node


def get_path(scenario: Scenario, path: str) -> Any:
    """Read a parameter by dotted path, e.g. ``states.us.oversight`` or ``labs.us-lab.compute``."""
    return _walk(scenario, path.split("."), path)


def _coerce(text: str) -> Any:
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    if low in ("null", "none") and text.strip() == text.strip().lower() == "null":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text.strip()


def with_overrides(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    """Return a new scenario with dotted-path parameters replaced and re-validated.

    Values given as strings are coerced (``true``, ``3``, ``0.5``, ``embedded``...).
    Raises ``ScenarioError`` for an unknown path or a value the schema refuses.
    """
    if not overrides:
        return scenario
    data = scenario.model_dump(mode="python")
    for path, raw in overrides.items():
        get_path(scenario, path)  # raises on an unknown path
        value = _coerce(raw) if isinstance(raw, str) else raw
        if path.endswith("oversight") and isinstance(value, str):
            try:
                value = Oversight[value.upper()]
            except KeyError:
                raise ScenarioError(
                    f"{path}: {value!r} is not an oversight level (none, voluntary, committee, embedded)"
                ) from None
        parts = path.split(".")
        node: Any = data
        for part in parts[:-1]:
            if isinstance(node, list):
                node = next(item for item in node if item.get("id") == part)
            else:
                node = node[part]
        if isinstance(node, list):
            raise ScenarioError(f"{path}: cannot replace a whole list entry")
        node[parts[-1]] = value
    try:
        return parse_scenario(data)
    except ScenarioError as exc:
        raise ScenarioError(f"bad override: {exc}") from None


def describe_parameters(model: type[BaseModel] = Dynamics) -> dict[str, str]:
    """Map each field of a schema section to its documented meaning."""
    return {name: f.description or "" for name, f in model.model_fields.items()}
