"""The ``precipice`` command line: one sub-command per module in ``server.commands``.

Each command module defines ``NAME`` (its module's name), ``HELP`` (a string literal:
the top-level ``--help`` reads it from the module's source without importing it),
``add_arguments(parser)`` and ``run(args) -> int``. Errors a user can fix (unknown scenario, bad ``--set``, a tampered
file) print one clear line on stderr and exit 2; nothing prints a traceback for them.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import importlib.util
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


def command_help(name: str) -> str | None:
    """A command's one-line ``HELP``, read from its module's source without importing it.

    ``None`` when there is no such module. The top-level ``--help`` lists every command
    this way: importing them all (Mesa and pandas, matplotlib, SALib and SciPy) took
    seconds, to print twelve lines.

    Raises:
        ValueError: if the module does not assign ``HELP`` a string literal.
    """
    spec = importlib.util.find_spec(f"server.commands.{name}")
    if spec is None or spec.origin is None:
        return None
    with open(spec.origin, encoding="utf-8") as src:
        tree = ast.parse(src.read(), spec.origin)
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == ["HELP"]
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    raise ValueError(f"server.commands.{name} assigns HELP no string literal")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Assemble the parser from the command modules.

    When ``argv`` starts with a command's name, only that command's module is imported
    (each imports what it needs: the report matplotlib, sensitivity SALib and SciPy,
    seconds of start-up another command need not pay), and its parser built in full.
    Otherwise (``--help``, no command, an unknown one) no command module is imported:
    every command is listed by name with its ``HELP`` read from its source
    (``command_help``), for the full list in ``--help`` and the error naming the choices.
    """
    parser = argparse.ArgumentParser(
        prog="precipice", description="Precipice: the AI race game server and tools."
    )
    subs = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    first = next(iter(argv), None) if argv is not None else None
    if first not in COMMANDS:
        for name in COMMANDS:
            text = command_help(name)
            if text is not None:
                # argparse %-formats help strings: "95% intervals" must reach it as "95%% intervals".
                subs.add_parser(name, help=text.replace("%", "%%"), description=text)
        return parser
    try:
        mod = importlib.import_module(f"server.commands.{first}")
    except ModuleNotFoundError as exc:
        if exc.name == f"server.commands.{first}":
            return parser
        raise
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
