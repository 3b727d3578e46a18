"""``precipice sweep``: bot-only Monte Carlo over seeds and any number of varied parameters.

No ``--vary``: one row. One: a table. Two: a grid, also written as a CSV table and a PNG
heat map. Three or more: a grid (``--json`` or ``--csv``). Every cell plays the same seeds.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any

from agents.analysis.games import parse_assignments
from agents.analysis.sweep import OUTCOMES, Axis, parse_axis, sweep
from server.commands.common import (
    Progress,
    add_cluster_argument,
    add_jobs_argument,
    add_play_argument,
    echo,
    executor_of,
    parse_play,
)

NAME = "sweep"
HELP = (
    "Run many bot-only games per cell of varied parameters; outcome odds with 95% intervals "
    "(two --vary: also a CSV table and a PNG heat map)."
)


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
        help="a parameter to vary (repeatable: every combination is a cell)",
    )
    add_jobs_argument(parser)
    add_play_argument(parser)
    add_cluster_argument(parser)
    parser.add_argument("--seed", type=int, default=0, help="seed of each cell's first game")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    add_output_arguments(parser)


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """``--csv``, ``--png`` and ``--title`` (a grid of two parameters writes both by default)."""
    parser.add_argument(
        "--csv", type=Path, default=None, help="CSV table (two --vary: default sweep2d.csv)"
    )
    parser.add_argument(
        "--png", type=Path, default=None, help="PNG heat map (two --vary: default sweep2d.png)"
    )
    parser.add_argument("--title", default=None, help="title of the heat map")


def write_csv(rows: list[dict[str, Any]], names: list[str], path: Path) -> None:
    """One line per cell: the parameter values, runs, P(disaster) and its interval, outcomes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    states = sorted({s for r in rows for s in r["asi_states"]})
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                *names,
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
                    *(r["values"][n] for n in names),
                    r["runs"],
                    f"{r['p_disaster']:.4f}",
                    r["ci"][0],
                    r["ci"][1],
                    *(f"{r['outcomes'][o]:.4f}" for o in OUTCOMES),
                    *(f"{r['asi_states'].get(s, 0.0):.4f}" for s in states),
                ]
            )


def axes_of(args: argparse.Namespace) -> list[Axis]:
    """The ``--vary`` axes, checked.

    Raises:
        UsageError: for a malformed ``--vary`` or a parameter varied twice.
    """
    from server.commands import UsageError

    try:
        axes = [parse_axis(text) for text in args.vary]
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    names = [a[0] for a in axes]
    for name in names:
        if names.count(name) > 1:
            raise UsageError(f"vary each parameter once, not {name!r} twice")
    return axes


def run(args: argparse.Namespace) -> int:
    """Run the sweep."""
    from server.commands import UsageError

    if args.runs < 1:
        raise UsageError("--runs must be at least 1")
    axes = axes_of(args)
    overrides = parse_assignments(args.sets)
    play = parse_play(args.play, args.scenario, overrides)
    with executor_of(args) as executor:
        rows = sweep(
            args.scenario,
            args.runs,
            overrides,
            axes,
            args.seed,
            personalities=play,
            jobs=max(1, args.jobs),
            executor=executor,
            progress=Progress(),
        )
    names = [a[0] for a in axes]
    wrote = []
    if args.csv or len(axes) == 2:
        path = args.csv or Path("sweep2d.csv")
        write_csv(rows, names, path)
        wrote.append(str(path))
    if args.png or len(axes) == 2:
        if len(axes) != 2:
            raise UsageError("--png draws a heat map of exactly two --vary parameters")
        from server.report.charts import heatmap, save_png

        path = args.png or Path("sweep2d.png")
        title = args.title or f"P(rogue ASI) — {args.scenario}, {args.runs} games per cell"
        save_png(heatmap(rows, names[0], names[1], title), path)
        wrote.append(str(path))
    if args.json:
        echo(json.dumps(rows, indent=1))
        return 0
    for row in rows:
        label = ", ".join(f"{k}={v}" for k, v in row["values"].items())
        outs = ", ".join(f"{k} {v:.3f}" for k, v in row["outcomes"].items())
        hidden = row["hidden_share"]
        decided = (
            f"; the risk at build decides {hidden['share']:.0%} "
            f"[{hidden['ci'][0]:.0%}, {hidden['ci'][1]:.0%}] of rogue-or-not, the final die the rest"
            if hidden
            else ""
        )
        at_build = row["p_rogue_at_build"]
        spread = (
            f"; the risk at build runs {at_build['p10']:.2f}-{at_build['p90']:.2f} (10th-90th), "
            f"a spread of {at_build['spread']:.2f} [{at_build['spread_ci'][0]:.2f}, "
            f"{at_build['spread_ci'][1]:.2f}]"
            if at_build and "spread" in at_build
            else ""
        )
        echo(
            f"{label + ': ' if label else ''}{row['runs']} runs; P(disaster) {row['p_disaster']:.3f} "
            f"[{row['ci'][0]:.3f}, {row['ci'][1]:.3f}]; {outs}{decided}{spread}"
        )
    if wrote:
        echo("Wrote " + " and ".join(wrote))
    return 0
