"""``precipice sweep``: bot-only Monte Carlo over seeds and a varied parameter."""

from __future__ import annotations

import argparse
import json
import sys
import time

from agents.batch import default_jobs, parse_assignments, sweep

NAME = "sweep"
HELP = "Run many bot-only games and report outcome frequencies with 95% intervals."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's options."""
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--vary", action="append", default=[], metavar="KEY=V1,V2,...")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--seed", type=int, default=0, help="first seed")
    parser.add_argument("--json", action="store_true")
    # --- 2-D grid (two --vary): delegated to ``precipice sweep2d`` ---
    from server.commands.sweep2d import add_output_arguments

    add_output_arguments(parser)


class Progress:
    """A one-line progress bar on stderr, drawn only on a terminal."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.start = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        """Redraw at most ten times a second."""
        if not self.tty:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        width = 30
        filled = int(width * done / total)
        rate = done / max(now - self.start, 1e-9)
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} games, {rate:.0f}/s "
        )
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    """Run the sweep."""
    from server.commands import UsageError

    if args.runs < 1:
        raise UsageError("--runs must be at least 1")
    # --- 2-D grid (two --vary): delegated to ``precipice sweep2d`` ---
    if len(args.vary) == 2:
        from server.commands import sweep2d

        return sweep2d.run(args)
    if len(args.vary) > 2:
        raise UsageError("vary one parameter (a table) or two (a grid and heat map), not more")
    overrides = parse_assignments(args.sets)
    vary = None
    if args.vary:
        key, _, values = args.vary[0].partition("=")
        if not values:
            raise UsageError(f"--vary needs KEY=V1,V2,...; got {args.vary[0]!r}")
        vary = (key.strip(), [v.strip() for v in values.split(",") if v.strip()])
    rows = sweep(
        args.scenario, args.runs, overrides, vary, max(1, args.jobs), args.seed, Progress()
    )
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    for row in rows:
        label = f"{row['parameter']}={row['value']}: " if "parameter" in row else ""
        outs = ", ".join(f"{k} {v:.3f}" for k, v in row["outcomes"].items())
        print(
            f"{label}{row['runs']} runs; P(disaster) {row['p_disaster']:.3f} "
            f"[{row['ci'][0]:.3f}, {row['ci'][1]:.3f}]; {outs}"
        )
    return 0
