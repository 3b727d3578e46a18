"""The ``precipice`` command line: one sub-command per module in ``server.commands``.

Each command module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``. Errors a user can fix (unknown scenario, bad ``--set``, a tampered
file) print one clear line on stderr and exit 2; nothing prints a traceback for them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from rules.scenario import ScenarioError
from server.commands import UsageError

COMMANDS = (
    "scenarios",
    "simulate",
    "replay",
    "sweep",
    "serve",
    "report",
    "tournament",
    "forecast",
    "sweep2d",
    "sensitivity",
    "question",
    "seats",
)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Assemble the parser from the command modules.

    When ``argv`` starts with a command's name, only that command's module is imported
    (each imports what it needs: the report matplotlib, sensitivity SALib and SciPy,
    seconds of start-up another command need not pay); otherwise every one is, for the
    full list in ``--help`` and the error naming the choices.
    """
    parser = argparse.ArgumentParser(
        prog="precipice", description="Precipice: the AI race game server and tools."
    )
    subs = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    first = next(iter(argv), None) if argv is not None else None
    for name in [first] if first in COMMANDS else COMMANDS:
        try:
            mod = importlib.import_module(f"server.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"server.commands.{name}":
                continue
            raise
        # argparse %-formats help strings: "95% intervals" must reach it as "95%% intervals".
        sub = subs.add_parser(mod.NAME, help=mod.HELP.replace("%", "%%"), description=mod.HELP)
        mod.add_arguments(sub)
        sub.set_defaults(_run=mod.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``precipice`` console script."""
    given = sys.argv[1:] if argv is None else argv
    parser = build_parser(given)
    args = parser.parse_args(given)
    try:
        code: int = args._run(args)
    except (UsageError, ScenarioError) as exc:
        print(f"precipice {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
