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


def add_play_argument(parser: argparse.ArgumentParser) -> None:
    """``--play ROLE=POLICY`` (repeatable): a personality, ``hold``, or ``fixed:LEVER=VALUE,...``."""
    parser.add_argument(
        "--play",
        action="append",
        default=[],
        metavar="ROLE=POLICY",
        help="play a seat with a bot personality, 'hold' (change nothing) or "
        "fixed:LEVER=VALUE[,LEVER=VALUE...] applied every quarter (repeatable)",
    )


def parse_play(items: list[str], scenario: str, overrides: dict[str, str]) -> dict[str, str]:
    """The ``--play`` policies, each checked against the scenario's seats and their levers.

    Raises:
        UsageError: naming an unknown role, or a policy, lever or value the seat cannot take.
    """
    from agents.bots import check_policy
    from rules.scenario import load_scenario
    from server.commands import UsageError

    sc = load_scenario(scenario, overrides)
    kinds = dict.fromkeys(sc.states, "state")
    kinds |= {lab.id: "lab" for lab in sc.labs}
    kinds |= {o.id: "official" for o in sc.officials}
    kinds |= {w.id: "whistleblower" for w in sc.whistleblowers}
    kinds |= {a.id: "ai" for a in sc.ais}
    out: dict[str, str] = {}
    for item in items:
        role, sep, policy = item.partition("=")
        role, policy = role.strip(), policy.strip()
        if not sep or not role or not policy:
            raise UsageError(f"--play needs ROLE=POLICY, got {item!r}")
        if role not in kinds:
            raise UsageError(
                f"--play {item!r}: no role {role!r} in {scenario}; roles: {', '.join(kinds)}"
            )
        try:
            check_policy(kinds[role], policy)
        except ValueError as exc:
            raise UsageError(f"--play {role}: {exc}") from None
        out[role] = policy
    return out
