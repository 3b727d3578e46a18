"""Regenerate the generated tables of docs/model.md from the code and the scenario files.

Every rate's value, meaning and source (or reason) lives in the code and the baseline
scenario; every starting value's source lives beside it in its scenario file. This script
writes the rates between the ``<!-- params:begin -->`` and ``<!-- params:end -->`` markers
of ``docs/model.md``, and one table of starting values per scenario between
``<!-- values:begin -->`` and ``<!-- values:end -->`` (the baseline in full, each other
scenario the values it sets or adds). A test fails if the document is out of date.
Run: ``uv run python docs/make_model_tables.py``.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterator
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any

from rules.scenario import SCENARIO_NAMES, Dynamics, Scenario, get_path, load_scenario

DOC = Path(__file__).parent / "model.md"
BEGIN, END = "<!-- params:begin -->", "<!-- params:end -->"
VALUES_BEGIN, VALUES_END = "<!-- values:begin -->", "<!-- values:end -->"
NOT_VALUES = ("name", "title", "description", "id", "extends", "sources")
ROLE_LISTS = ("labs", "officials", "whistleblowers", "ais")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def table() -> str:
    """The Markdown table of every dynamics rate: name, baseline value, meaning, source."""
    sc = load_scenario("baseline")
    rows = ["| parameter | baseline | what it is | source or reason |", "|---|---|---|---|"]
    for name, field in Dynamics.model_fields.items():
        value = getattr(sc.dynamics, name)
        source = _cell(sc.sources.get(f"dynamics.{name}", ""))
        what = _cell(field.description or "")
        rows.append(f"| `{name}` | {value} | {what} | {source} |")
    return "\n".join(rows)


def own_file(name: str) -> dict[str, Any]:
    """A bundled scenario file as written, before it is merged onto the one it extends."""
    text = resources.files("rules.scenarios").joinpath(f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


def value_paths(node: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Dotted paths of every value in a scenario mapping (roles by id; no names or ids)."""
    for key, value in node.items():
        if key in NOT_VALUES or value is None:
            continue
        path = f"{prefix}{key}"
        if key in ROLE_LISTS and not prefix:
            for role in value:
                yield from value_paths(role, f"{path}.{role['id']}.")
        elif isinstance(value, dict):
            yield from value_paths(value, f"{path}.")
        else:
            yield path


def values_in_play(sc: Scenario) -> list[str]:
    """Every value a loaded scenario plays with, whether a file sets it or it is a default."""
    data = sc.model_dump(mode="python")
    if sc.mode == "precipice":
        return ["mode", "turns", *value_paths({"precipice": data["precipice"]})]
    return list(value_paths({k: v for k, v in data.items() if k != "precipice"}))


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return f"{value.value} ({value.name.lower()})"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def values_table(name: str) -> str:
    """One scenario's starting values: the baseline's in full, another's as it differs.

    The baseline's dynamics rates are left to the table of rates. A variant lists the values
    its file sets and the defaults of any role it adds; the rest it inherits.
    """
    sc = load_scenario(name)
    own = own_file(name)
    written = set(value_paths(own))
    parent = own.get("extends")
    inherited = set(values_in_play(load_scenario(str(parent)))) if parent else set()
    if name == "baseline":
        paths = [p for p in values_in_play(sc) if not p.startswith("dynamics.")]
    else:
        paths = [p for p in values_in_play(sc) if p in written or p not in inherited]
    rows = ["| value | start | source or reason |", "|---|---|---|"]
    for path in paths:
        shown = _show(get_path(sc, path)) + ("" if path in written else " (default)")
        rows.append(f"| `{path}` | {_cell(shown)} | {_cell(sc.sources.get(path, ''))} |")
    head = f"### `{name}`" + (f" (extends `{parent}`)" if parent else "")
    return f"{head}\n\n" + "\n".join(rows)


def values_tables() -> str:
    """Every scenario's table of starting values, in the order of ``SCENARIO_NAMES``."""
    return "\n\n".join(values_table(name) for name in SCENARIO_NAMES)


def _replace(text: str, begin: str, end: str, body: str) -> str:
    head, found, rest = text.partition(begin)
    if not found:
        raise ValueError(f"{DOC.name} has no {begin} marker")
    _, _, tail = rest.partition(end)
    return f"{head}{begin}\n{body}\n{end}{tail}"


def render(text: str) -> str:
    """The document with both generated sections replaced by the current ones."""
    text = _replace(text, BEGIN, END, table())
    return _replace(text, VALUES_BEGIN, VALUES_END, values_tables())


def main() -> int:
    """Rewrite the tables in place."""
    DOC.write_text(render(DOC.read_text("utf-8")), "utf-8")
    sys.stdout.write(f"wrote the rates and starting values of {DOC.name}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
