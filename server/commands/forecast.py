"""``precipice forecast``: the odds of each outcome if bots played on from a turn of a game."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from agents.analysis.forecast import (
    Forecast,
    Snapshot,
    forecast_many,
    outcome_label,
    snapshot_of,
    snapshots_of_saved,
    with_play,
)
from agents.analysis.games import parse_assignments
from agents.saved import ReplayError, SavedGame, load_saved, new_model
from server.commands.common import (
    Progress,
    add_cluster_argument,
    add_jobs_argument,
    add_play_argument,
    echo,
    executor_of,
    parse_play,
)

NAME = "forecast"
HELP = "Forecast P(rogue ASI), P(corrigible ASI by each state), P(no ASI) from a turn of a game."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's options."""
    parser.add_argument(
        "game", nargs="?", type=Path, help="saved game JSON (default: a fresh bot game)"
    )
    parser.add_argument(
        "--turn",
        type=int,
        default=None,
        help="forecast from the start of this turn (default: the last)",
    )
    parser.add_argument(
        "--series", action="store_true", help="forecast every turn of the saved game"
    )
    parser.add_argument(
        "--scenario", default="baseline", help="scenario of a fresh game (no GAME given)"
    )
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument(
        "--seed", type=int, default=None, help="base seed (default: the game's seed)"
    )
    parser.add_argument("--rollouts", type=int, default=200)
    add_jobs_argument(parser)
    add_play_argument(parser)
    add_cluster_argument(parser)
    parser.add_argument("--json", action="store_true")


def read_game(path: Path) -> SavedGame:
    """Read and validate a saved game file.

    Raises:
        UsageError: if the file is missing or not a saved game.
    """
    from server.commands import UsageError

    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: not JSON: {exc}") from None
    try:
        return load_saved(data)
    except ReplayError as exc:
        raise UsageError(f"{path}: {exc}") from None


def _line(fc: Forecast, names: dict[str, str]) -> str:
    parts = [
        f"{outcome_label(k, names)} {fc.p(k):.3f} [{fc.ci(k)[0]:.3f}, {fc.ci(k)[1]:.3f}]"
        for k in fc.keys
    ]
    return f"{fc.quarter} (turn {fc.turn}), {fc.rollouts} rollouts: " + "; ".join(parts)


def _snapshot(args: argparse.Namespace) -> tuple[Snapshot, int]:
    """The snapshot of a fresh bot game at ``--turn`` (no saved game given), and its seed."""
    seed = 1 if args.seed is None else args.seed
    overrides = parse_assignments(args.sets)
    play = parse_play(args.play, args.scenario, overrides)
    model = new_model(args.scenario, seed, overrides, play)
    if args.turn:
        model.run(turns=args.turn)
    return snapshot_of(model), seed


def run(args: argparse.Namespace) -> int:
    """Run the forecast."""
    from server.commands import UsageError

    if args.rollouts < 1:
        raise UsageError("--rollouts must be at least 1")
    jobs = max(1, args.jobs)
    if args.game is None:
        if args.series:
            raise UsageError("--series needs a saved game")
        snap, seed = _snapshot(args)
        snaps = [snap]
    else:
        saved = read_game(args.game)
        play = parse_play(args.play, saved.scenario, saved.overrides)
        try:
            snaps = [with_play(s, play) for s in snapshots_of_saved(saved)]
        except ReplayError as exc:
            raise UsageError(f"{args.game}: {exc}") from None
        if not args.series:
            k = len(snaps) - 1 if args.turn is None else args.turn
            if not 0 <= k < len(snaps):
                raise UsageError(f"--turn must be between 0 and {len(snaps) - 1}")
            snaps = [snaps[k]]
        seed = saved.seed if args.seed is None else args.seed
    with executor_of(args) as executor:
        fcs = forecast_many(snaps, args.rollouts, seed, jobs, executor, Progress("rollouts"))
    if args.json:
        out = [f.to_dict() for f in fcs]
        echo(json.dumps(out if args.series else out[0], indent=1))
        return 0
    names = {
        sid: sid.upper()
        for k in fcs[0].keys
        if k.startswith("corrigible")
        for sid in [k.split(":")[1]]
    }
    for fc in fcs:
        echo(_line(fc, names))
    return 0
