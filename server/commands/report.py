"""``precipice report``: write a saved game's debrief as one self-contained HTML file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from agents.saved import ReplayError
from server.commands.common import add_jobs_argument
from server.commands.forecast import read_game
from server.report.options import ReportOptions

NAME = "report"
HELP = (
    "Write the debrief of a saved game (story, charts, forecast, turning points) as one HTML file."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's options."""
    parser.add_argument("game", type=Path, help="saved game JSON")
    parser.add_argument("--out", type=Path, default=Path("report.html"))
    d = ReportOptions()
    parser.add_argument(
        "--rollouts",
        type=int,
        default=d.rollouts,
        help="rollouts per turn of the forecast (0: skip)",
    )
    parser.add_argument(
        "--tp-rollouts", type=int, default=d.tp_rollouts, help="paired rollouts per turning point"
    )
    parser.add_argument(
        "--screen-rollouts",
        type=int,
        default=d.screen_rollouts,
        help="paired rollouts screening each candidate turning point",
    )
    parser.add_argument("--top", type=int, default=d.top, help="turning points to show (0: skip)")
    parser.add_argument(
        "--public",
        action="store_true",
        help="the report for everyone before the reveal (only what anyone could see)",
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="base seed of the rollouts (default: the game's)"
    )
    add_jobs_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Render the report."""
    from server.commands import UsageError
    from server.report import render_report

    if args.rollouts < 0 or args.tp_rollouts < 1 or args.top < 0 or args.screen_rollouts < 1:
        raise UsageError(
            "--rollouts and --top must be >= 0, --tp-rollouts and --screen-rollouts >= 1"
        )
    saved = read_game(args.game)
    try:
        text = render_report(
            saved,
            rollouts=args.rollouts,
            tp_rollouts=args.tp_rollouts,
            screen_rollouts=args.screen_rollouts,
            top=args.top,
            audience="public" if args.public else "full",
            seed=args.seed,
            jobs=max(1, args.jobs),
        )
    except ReplayError as exc:
        raise UsageError(f"{args.game}: {exc}") from None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    sys.stdout.write(f"Wrote {args.out} ({len(text) // 1024} KiB)\n")
    return 0
