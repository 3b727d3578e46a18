"""Run analysis tasks on a Dask cluster: ``cluster_executor(address)`` for ``run_tasks``.

``cluster_executor`` connects a ``distributed.Client`` to a running scheduler and yields
its ``concurrent.futures`` executor (``client.get_executor(pure=False)``), which
``agents.analysis.runner.run_tasks`` accepts like any other. Tasks carry their own seeds
and results come back in task order, so a run on the cluster gives the same rows as a
local one. Before yielding, every connected worker plays one canary game and must reach
the same final hash as this process: a worker started from another checkout or version
of the project is refused by name instead of silently changing the results.

Dask is an optional extra (``uv sync --extra cluster``); it is imported only here and
only when a cluster is asked for, so ``agents`` imports without it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any

from agents.analysis.games import play_one
from rules.scenario import SCENARIO_NAMES

CANARY_SEED = 1
"""Seed of the game every worker plays once to show it runs the same code."""


class ClusterError(RuntimeError):
    """The cluster cannot be used: extra missing, scheduler unreachable, workers absent or unlike."""


def canary_hash() -> str:
    """Final world hash of one fixed bot-only game (the same wherever the code is the same)."""
    return play_one(SCENARIO_NAMES[0], CANARY_SEED).final_hash


def _distributed() -> Any:
    # Imported by name: the module is optional, so it is typed as Any with or without it.
    try:
        return importlib.import_module("distributed")
    except ImportError as exc:
        raise ClusterError(
            "running on a cluster needs the optional 'cluster' extra (dask and distributed): "
            f"install it with `uv sync --extra cluster` ({exc})"
        ) from None


@contextmanager
def cluster_executor(
    address: str, *, timeout: float = 10.0, min_workers: int = 1
) -> Iterator[Executor]:
    """Connect to the Dask scheduler at ``address`` and yield an executor for ``run_tasks``.

    Waits up to ``timeout`` seconds for the scheduler, then as long again for
    ``min_workers`` workers, and checks that each worker plays the canary game to the
    same hash as this process. The client is closed on exit.

    Raises:
        ClusterError: if ``distributed`` is not installed, the address is not
            ``tcp://HOST:PORT``, the scheduler cannot be reached, too few workers join, or
            a worker cannot run the project's code or runs different code.
    """
    distributed = _distributed()
    _check_address(distributed, address)
    try:
        client = distributed.Client(address, timeout=timeout, set_as_default=False)
    except OSError as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address!r}: {exc}") from None
    try:
        try:
            client.wait_for_workers(min_workers, timeout=timeout)
        except TimeoutError:
            raise ClusterError(
                f"the Dask scheduler at {address!r} has no workers after {timeout:g} s; "
                f"start some with `dask worker {address}`"
            ) from None
        _check_workers(client, canary_hash())
        executor: Executor = client.get_executor(pure=False)
        yield executor
    finally:
        client.close()


def _check_address(distributed: Any, address: str) -> None:
    """Refuse anything but ``tcp://HOST:PORT`` before a Client is built for it.

    A Client whose address fails to parse is left half-built, still "connecting"; when
    the garbage collector finalises it later, its ``close`` can hang the thread that is
    starting another Client (both take the same class-wide lock).
    """
    try:
        scheme, _ = distributed.comm.parse_address(address)
        distributed.comm.get_address_host_port(address)
    except ValueError as exc:
        raise ClusterError(
            f"{address!r} is not a Dask scheduler address (tcp://HOST:PORT): {exc}"
        ) from None
    if scheme != "tcp":
        raise ClusterError(f"{address!r}: only tcp:// scheduler addresses are supported")


def _check_workers(client: Any, expected: str) -> None:
    """Refuse the cluster unless every worker plays the canary game to ``expected``."""
    answers: dict[str, Any] = client.run(canary_hash, on_error="return")
    for worker, answer in sorted(answers.items()):
        if isinstance(answer, BaseException):
            raise ClusterError(
                f"Dask worker {worker} cannot run the project's code "
                f"({type(answer).__name__}: {answer}); start workers from the project's "
                "environment (`uv run dask worker ...`)"
            )
        if answer != expected:
            raise ClusterError(
                f"Dask worker {worker} runs different code from this checkout (its canary game "
                f"ends in {str(answer)[:12]}, here {expected[:12]}); start it from the same "
                "checkout and lock file"
            )
