"""``precipice scenarios``: list the bundled scenarios."""

from __future__ import annotations

import argparse
import json

from rules.scenario import SCENARIO_NAMES, load_scenario

NAME = "scenarios"
HELP = "List the scenarios with a one-line description."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's options."""
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    """List scenarios."""
    rows = [load_scenario(name) for name in SCENARIO_NAMES]
    if args.json:
        print(
            json.dumps(
                [
                    {"name": s.name, "title": s.title, "description": s.description, "mode": s.mode}
                    for s in rows
                ],
                indent=2,
            )
        )
        return 0
    width = max(len(s.name) for s in rows)
    for s in rows:
        print(f"{s.name:<{width}}  {s.description}")
    return 0
