"""``precipice sweep2d``: P(disaster) over a grid of two parameters: a CSV table, a PNG heat map.

Also reached by ``precipice sweep --vary A=... --vary B=...``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

from agents.batch import OUTCOMES, default_jobs, parse_assignments
from agents.grid import parse_axis, sweep2d
from server.commands.sweep import Progress

NAME = "sweep2d"
HELP = (
    "Run bot-only games over a grid of two parameters; "
    "write a CSV table and a PNG heat map of P(disaster)."
)


def echo(text: str) -> None:
    """Write one line of output on stdout."""
    sys.stdout.write(text + "\n")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's options."""
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--runs", type=int, default=200, help="games per cell")
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="KEY=V1,V2,...",
        help="exactly twice: the rows (first) and the columns (second) of the grid",
    )
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--seed", type=int, default=0, help="base seed")
    add_output_arguments(parser)
    parser.add_argument("--json", action="store_true")


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """The output options shared with ``precipice sweep`` (used with two ``--vary``)."""
    parser.add_argument(
        "--csv", type=Path, default=None, help="CSV table (2-D grid; default sweep2d.csv)"
    )
    parser.add_argument(
        "--png", type=Path, default=None, help="PNG heat map (2-D grid; default sweep2d.png)"
    )
    parser.add_argument("--title", default=None, help="title of the heat map")


def write_csv(rows: list[dict[str, Any]], a_name: str, b_name: str, path: Path) -> None:
    """One line per cell: both parameter values, runs, P(disaster) and its interval, outcomes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    states = sorted({s for r in rows for s in r["asi_states"]})
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                a_name,
                b_name,
                "runs",
                "p_disaster",
                "ci_low",
                "ci_high",
                *(f"p_{o}" for o in OUTCOMES),
                *(f"p_corrigible_{s}" for s in states),
            ]
        )
        for r in rows:
            w.writerow(
                [
                    r["a"],
                    r["b"],
                    r["runs"],
                    f"{r['p_disaster']:.4f}",
                    r["ci"][0],
                    r["ci"][1],
                    *(f"{r['outcomes'][o]:.4f}" for o in OUTCOMES),
                    *(f"{r['asi_states'].get(s, 0.0):.4f}" for s in states),
                ]
            )


def run(args: argparse.Namespace) -> int:
    """Run the 2-D sweep."""
    from server.commands import UsageError

    if len(args.vary) != 2:
        raise UsageError("give --vary exactly twice: --vary A=V1,V2,... --vary B=W1,W2,...")
    if args.runs < 1:
        raise UsageError("--runs must be at least 1")
    try:
        a, b = parse_axis(args.vary[0]), parse_axis(args.vary[1])
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if a[0] == b[0]:
        raise UsageError(f"vary two different parameters, not {a[0]!r} twice")
    rows = sweep2d(
        args.scenario,
        args.runs,
        a,
        b,
        parse_assignments(args.sets),
        max(1, args.jobs),
        args.seed,
        Progress(),
    )
    csv_path = args.csv or Path("sweep2d.csv")
    png_path = args.png or Path("sweep2d.png")
    write_csv(rows, a[0], b[0], csv_path)
    from server.report.charts import heatmap, save_png

    title = args.title or f"P(rogue ASI) — {args.scenario}, {args.runs} games per cell"
    save_png(heatmap(rows, a[0], b[0], title), png_path)
    if args.json:
        echo(json.dumps(rows, indent=1))
        return 0
    for r in rows:
        lo, hi = r["ci"]
        echo(
            f"{a[0]}={r['a']}, {b[0]}={r['b']}: P(disaster) {r['p_disaster']:.3f} [{lo:.3f}, {hi:.3f}]"
        )
    echo(f"Wrote {csv_path} and {png_path}")
    return 0
