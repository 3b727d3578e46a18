"""What the analysis commands share: the progress bar, job counts, a cluster, output to stdout."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager

from agents.analysis.runner import default_jobs


def echo(text: str) -> None:
    """Write one line of output on stdout."""
    sys.stdout.write(text + "\n")


def add_jobs_argument(parser: argparse.ArgumentParser) -> None:
    """``--jobs N``: worker processes on this machine (default: one per core)."""
    parser.add_argument(
        "--jobs", type=int, default=default_jobs(), help="worker processes (default: all cores)"
    )


def add_cluster_argument(parser: argparse.ArgumentParser) -> None:
    """``--cluster ADDRESS`` and ``--cluster-timeout``: run the work on a Dask cluster.

    A command that takes these runs its work inside ``with executor_of(args) as executor``
    and hands ``executor`` to ``run_tasks`` (None: the local process pool of ``--jobs``).
    """
    parser.add_argument(
        "--cluster",
        metavar="ADDRESS",
        default=None,
        help="run on the Dask scheduler at ADDRESS (e.g. tcp://127.0.0.1:8786) instead of "
        "local processes; --jobs is then ignored (needs the 'cluster' extra)",
    )
    parser.add_argument(
        "--cluster-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="how long to wait for the scheduler, and for a worker (default 10)",
    )


@contextmanager
def executor_of(args: argparse.Namespace) -> Iterator[Executor | None]:
    """The executor ``--cluster`` asks for (None without it), closed on exit.

    Raises:
        UsageError: if the cluster cannot be used (extra missing, scheduler unreachable,
            no workers, or workers that run other code).
    """
    from server.commands import UsageError

    if not args.cluster:
        yield None
        return
    from agents.analysis.cluster import ClusterError, cluster_executor

    try:
        with cluster_executor(args.cluster, timeout=args.cluster_timeout) as executor:
            yield executor
    except ClusterError as exc:
        raise UsageError(str(exc)) from None


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
