"""``precipice seats``: every seat on standing policies against the bots, on the same seeds.

For each seat (or those named) and each policy (its other bot personalities, ``hold``,
and the standard fixed policies for its kind, or those given with ``--policy``), plays
``--runs`` games with that seat on the policy and every other seat its bot, and reports
the change in P(rogue ASI), in who builds the ASI, and in the seat's own mean score,
with Bonferroni-corrected 95% intervals: does any standing policy win?
"""

from __future__ import annotations

import argparse
import json

from agents.analysis.games import parse_assignments
from agents.analysis.seats import seat_policies
from server.commands.common import (
    Progress,
    add_cluster_argument,
    add_jobs_argument,
    echo,
    executor_of,
)

NAME = "seats"
HELP = "Play each seat on standing policies against the bots; changes in P(rogue), builder and own score."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's options."""
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--runs", type=int, default=200, help="games per policy")
    parser.add_argument("--seat", action="append", default=[], help="only these seats (repeatable)")
    parser.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="POLICY",
        help="only these policies (repeatable): a personality, hold, or fixed:LEVER=VALUE,...",
    )
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--seed", type=int, default=0)
    add_jobs_argument(parser)
    add_cluster_argument(parser)
    parser.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    """Run the seat policies."""
    from server.commands import UsageError

    if args.runs < 2:
        raise UsageError("--runs must be at least 2")
    seats = args.seat or None
    policies = {s: tuple(args.policy) for s in seats} if (seats and args.policy) else None
    if args.policy and not seats:
        raise UsageError("--policy needs --seat")
    try:
        with executor_of(args) as executor:
            rows = seat_policies(
                args.scenario,
                args.runs,
                seats,
                policies,
                parse_assignments(args.sets),
                args.seed,
                jobs=max(1, args.jobs),
                executor=executor,
                progress=Progress(),
            )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        echo(json.dumps(rows, indent=1))
        return 0
    base = rows[0]
    echo(
        f"default bots: P(rogue) {base['p_rogue']:.3f} {base['p_rogue_ci']}, builders {base['builders']}"
    )
    for r in rows[1:]:
        moved = [k for k, v in r["d_builders"].items() if v["ci"][0] > 0 or v["ci"][1] < 0]
        echo(
            f"{r['seat']:12s} {r['policy']:34s} dP(rogue) {r['d_rogue']:+.3f} "
            f"[{r['d_rogue_ci'][0]:+.3f}, {r['d_rogue_ci'][1]:+.3f}]  own score {r['score']:6.1f} "
            f"(d {r['d_score']:+.1f} [{r['d_score_ci'][0]:+.1f}, {r['d_score_ci'][1]:+.1f}])"
            + (f"  builder moves: {', '.join(moved)}" if moved else "")
        )
    return 0
