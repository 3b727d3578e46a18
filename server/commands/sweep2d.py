"""``precipice sweep2d``: ``precipice sweep`` with exactly two ``--vary`` (a grid, CSV and heat map)."""

from __future__ import annotations

import argparse

from server.commands import sweep

NAME = "sweep2d"
HELP = (
    "Run bot-only games over a grid of two parameters; "
    "write a CSV table and a PNG heat map of P(disaster) (same as sweep with two --vary)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``precipice sweep``."""
    sweep.add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Run the 2-D sweep.

    Raises:
        UsageError: unless ``--vary`` is given exactly twice.
    """
    from server.commands import UsageError

    if len(args.vary) != 2:
        raise UsageError("give --vary exactly twice: --vary A=V1,V2,... --vary B=W1,W2,...")
    return sweep.run(args)
