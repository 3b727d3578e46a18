"""Regenerate the parameter tables of docs/model.md from the scenario schema and baseline.toml.

Every rate's value, meaning and source (or reason) lives in the code and the baseline
scenario; this script writes them between the ``<!-- params:begin -->`` and
``<!-- params:end -->`` markers of ``docs/model.md``. A test fails if the document is
out of date. Run: ``uv run python docs/make_model_tables.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rules.scenario import Dynamics, load_scenario

DOC = Path(__file__).parent / "model.md"
BEGIN, END = "<!-- params:begin -->", "<!-- params:end -->"


def table() -> str:
    """The Markdown table of every dynamics rate: name, baseline value, meaning, source."""
    sc = load_scenario("baseline")
    rows = ["| parameter | baseline | what it is | source or reason |", "|---|---|---|---|"]
    for name, field in Dynamics.model_fields.items():
        value = getattr(sc.dynamics, name)
        source = sc.sources.get(f"dynamics.{name}", "").replace("|", "\\|")
        what = (field.description or "").replace("|", "\\|")
        rows.append(f"| `{name}` | {value} | {what} | {source} |")
    return "\n".join(rows)


def render(text: str) -> str:
    """The document with its table replaced by the current one."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{table()}\n{END}{tail}"


def main() -> int:
    """Rewrite the table in place."""
    DOC.write_text(render(DOC.read_text("utf-8")), "utf-8")
    sys.stdout.write(f"wrote the parameter table of {DOC.name}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
