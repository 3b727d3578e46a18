"""``precipice replay``: re-run a saved game and check every turn's hash."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from agents.saved import ReplayError, load_saved, replay

NAME = "replay"
HELP = "Re-run a saved game file; with --verify, fail on the first turn whose hash differs."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this command's options."""
    parser.add_argument("file", type=Path)
    parser.add_argument(
        "--verify",
        action="store_true",
        help="check every turn's hash (exit 1 on a mismatch or another rules version)",
    )


def run(args: argparse.Namespace) -> int:
    """Replay the file."""
    from server.commands import UsageError

    try:
        data = json.loads(args.file.read_text())
    except FileNotFoundError:
        raise UsageError(f"no such file: {args.file}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{args.file} is not JSON: {exc}") from None
    try:
        saved = load_saved(data)
        model = replay(saved, verify=args.verify)
    except ReplayError as exc:  # another rules version, a bad order, a hash mismatch
        sys.stderr.write(f"precipice replay: {args.file}: FAILED: {exc}\n")
        return 1
    out = model.world.outcome
    print(
        f"{args.file}: {len(model.history)} turns replayed"
        + (", every hash verified" if args.verify else "")
        + f"; outcome {out.kind if out else 'unfinished'}"
    )
    return 0
