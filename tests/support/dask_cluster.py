"""A real Dask cluster on 127.0.0.1 for the tests: ``dask scheduler`` and ``dask worker``.

The processes are started from this environment's ``dask`` command exactly as the README
says, in a scratch directory (so the workers import the project from the environment, not
from the working directory), and stopped by their own process ids.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

DASK = Path(sys.executable).with_name("dask")
START_TIMEOUT = 90.0


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _log(stack: ExitStack, path: Path) -> IO[bytes]:
    return stack.enter_context(path.open("wb"))


@contextmanager
def dask_scheduler(workdir: Path) -> Iterator[str]:
    """A ``dask scheduler`` on a free loopback port; yields its address."""
    workdir.mkdir(parents=True, exist_ok=True)
    info = workdir / "scheduler.json"
    with ExitStack() as stack:
        log = workdir / "scheduler.log"
        proc = subprocess.Popen(
            [
                *(str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0"),
                *("--no-dashboard", "--scheduler-file", str(info)),
            ],
            cwd=workdir,
            stdout=_log(stack, log),
            stderr=subprocess.STDOUT,
        )
        stack.callback(_stop, proc)
        deadline = time.monotonic() + START_TIMEOUT
        while not info.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"dask scheduler did not start:\n{log.read_text()}")
            time.sleep(0.1)
        time.sleep(0.1)  # the file is written in one go; let the write finish
        yield str(json.loads(info.read_text())["address"])


@contextmanager
def dask_workers(
    address: str,
    workdir: Path,
    n: int = 2,
    env: Mapping[str, str] | None = None,
    wait: bool = True,
) -> Iterator[None]:
    """``dask worker ADDRESS --nworkers n --nthreads 1``; waits until all ``n`` have joined."""
    workdir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        log = workdir / "worker.log"
        proc = subprocess.Popen(
            [
                *(str(DASK), "worker", address, "--nworkers", str(n), "--nthreads", "1"),
                *("--host", "127.0.0.1", "--no-dashboard", "--local-directory", str(workdir)),
            ],
            cwd=workdir,
            env={**os.environ, **(env or {})},
            stdout=_log(stack, log),
            stderr=subprocess.STDOUT,
        )
        stack.callback(_stop, proc)
        if wait:
            from distributed import Client

            with Client(address, timeout=START_TIMEOUT, set_as_default=False) as client:
                try:
                    client.wait_for_workers(n, timeout=START_TIMEOUT)
                except TimeoutError:
                    raise RuntimeError(f"dask workers did not join:\n{log.read_text()}") from None
        yield


@contextmanager
def dask_cluster(workdir: Path, n: int = 2) -> Iterator[str]:
    """A scheduler and ``n`` single-threaded worker processes; yields the scheduler address."""
    with (
        dask_scheduler(workdir / "scheduler") as address,
        dask_workers(address, workdir / "workers", n),
    ):
        yield address


def executed_per_worker(address: str) -> dict[str, int]:
    """How many tasks each worker of the cluster has run so far."""
    from distributed import Client

    with Client(address, timeout=30, set_as_default=False) as client:
        counts: dict[str, int] = client.run(lambda dask_worker: dask_worker.state.executed_count)
        return counts
