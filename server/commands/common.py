"""What the analysis commands share: the progress bar, job counts, output to stdout."""

from __future__ import annotations

import argparse
import sys
import time

from agents.analysis.runner import default_jobs


def echo(text: str) -> None:
    """Write one line of output on stdout."""
    sys.stdout.write(text + "\n")


def add_jobs_argument(parser: argparse.ArgumentParser) -> None:
    """``--jobs N``: worker processes on this machine (default: one per core)."""
    parser.add_argument(
        "--jobs", type=int, default=default_jobs(), help="worker processes (default: all cores)"
    )


class Progress:
    """A one-line progress bar on stderr, drawn only on a terminal."""

    def __init__(self, unit: str = "games") -> None:
        self.tty = sys.stderr.isatty()
        self.start = time.monotonic()
        self.last = 0.0
        self.unit = unit

    def __call__(self, done: int, total: int) -> None:
        """Redraw at most ten times a second."""
        if not self.tty or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        width = 30
        filled = int(width * done / total)
        rate = done / max(now - self.start, 1e-9)
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {self.unit}, {rate:.0f}/s "
        )
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()
