"""``precipice tournament``: bot personalities against each other; mean scores, 95% intervals."""

from __future__ import annotations

import argparse
import json
from typing import Any

from agents.analysis.games import parse_assignments
from agents.analysis.tournament import tournament
from server.commands.common import (
    Progress,
    add_cluster_argument,
    add_jobs_argument,
    add_play_argument,
    echo,
    executor_of,
    parse_play,
)

NAME = "tournament"
HELP = "Pit bot personalities against each other over many seeds; mean scores with 95% intervals."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's options."""
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument(
        "--design",
        choices=("swap", "grid"),
        default="swap",
        help="swap: each role's personality swapped in turn; grid: every state x lab combination",
    )
    parser.add_argument("--runs", type=int, default=200, help="games per matchup")
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--seed", type=int, default=0)
    add_jobs_argument(parser)
    add_play_argument(parser)
    add_cluster_argument(parser)
    parser.add_argument("--json", action="store_true")


def format_table(rows: list[dict[str, Any]]) -> str:
    """A plain-text table: one line per matchup, one column per role (mean ± half-interval)."""
    roles = list(rows[0]["scores"])
    width = max(11, *(len(r) for r in roles))
    label_w = max(len("matchup"), *(len(r["label"]) for r in rows))
    head = f"{'matchup':<{label_w}}  {'P(disaster)':>19}  " + "  ".join(
        f"{r:>{width}}" for r in roles
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        p = f"{row['p_disaster']:.3f} [{row['ci'][0]:.2f},{row['ci'][1]:.2f}]"
        cells = []
        for rid in roles:
            s = row["scores"][rid]
            half = (s["ci"][1] - s["ci"][0]) / 2
            cells.append(f"{s['mean']:6.1f} ±{half:4.1f}".rjust(width))
        lines.append(f"{row['label']:<{label_w}}  {p:>19}  " + "  ".join(cells))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run the tournament."""
    from server.commands import UsageError

    if args.runs < 1:
        raise UsageError("--runs must be at least 1")
    overrides = parse_assignments(args.sets)
    play = parse_play(args.play, args.scenario, overrides)
    with executor_of(args) as executor:
        rows = tournament(
            args.scenario,
            args.runs,
            args.design,
            overrides,
            args.seed,
            max(1, args.jobs),
            Progress(),
            executor,
            play=play,
        )
    if args.json:
        echo(json.dumps(rows, indent=1))
    else:
        echo(f"{args.scenario}: {args.runs} games per matchup (same seeds)")
        echo("scores: mean ± half the 95% interval")
        echo(format_table(rows))
    return 0
