"""Analyses on a real Dask cluster (a scheduler and two worker processes on 127.0.0.1)."""

from __future__ import annotations

import gc
import re
import shutil
import socket
from pathlib import Path

import pytest

from agents.analysis.cluster import ClusterError, cluster_executor
from agents.analysis.sweep import sweep
from rules.scenario import SCENARIO_NAMES

pytest.importorskip("distributed", reason="needs the 'cluster' extra: uv sync --extra cluster")

from tests.support.dask_cluster import dask_scheduler, dask_workers, executed_per_worker

ROOT = Path(__file__).resolve().parents[2]
AXES = [("states.us.oversight", ["none", "embedded"]), ("dynamics.assist_multiplier", ["3", "6"])]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_sweep_on_the_cluster_gives_the_rows_of_a_local_run(dask_address: str) -> None:
    local = sweep("baseline", 100, {"dynamics.hype": "2.5"}, AXES, seed=7, jobs=2)
    before = executed_per_worker(dask_address)
    seen: list[tuple[int, int]] = []
    with cluster_executor(dask_address) as executor:
        remote = sweep(
            "baseline",
            100,
            {"dynamics.hype": "2.5"},
            AXES,
            seed=7,
            executor=executor,
            progress=lambda done, total: seen.append((done, total)),
        )
    after = executed_per_worker(dask_address)
    assert remote == local
    assert len(local) == 4 and len({r["p_disaster"] for r in local}) > 1
    # Both worker processes ran some of the 8 tasks (2 per cell)...
    assert sorted(after) == sorted(before) and len(after) == 2
    assert all(after[w] > before[w] for w in after), (before, after)
    # ... and the progress bar was told of every game as results came back.
    assert seen[0] == (0, 400) and seen[-1] == (400, 400)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    with (
        pytest.raises(ClusterError, match="cannot reach the Dask scheduler"),
        cluster_executor(f"tcp://127.0.0.1:{free_port()}", timeout=1),
    ):
        pass


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("not-an-address", "is not a Dask scheduler address"),
        ("tcp://127.0.0.1", "is not a Dask scheduler address"),
        ("tls://127.0.0.1:8786", "only tcp://"),
    ],
)
def test_a_malformed_address_is_refused_and_leaves_no_client_behind(address, message) -> None:
    # A half-built Client is finalised whenever the garbage collector next runs: once that
    # was inside a later Client's start-up, which holds the lock its close takes, and the
    # thread hung for good. So a malformed address never gets a Client.
    import distributed

    def clients() -> list[object]:
        found: list[object] = []
        for o in gc.get_objects():
            try:  # a dead weak proxy among the objects raises on isinstance
                if isinstance(o, distributed.Client):
                    found.append(o)
            except ReferenceError:
                continue
        return found

    before = {id(c) for c in clients()}
    with pytest.raises(ClusterError, match=message), cluster_executor(address, timeout=1):
        pass
    assert [c for c in clients() if id(c) not in before] == []


def test_a_scheduler_without_workers_is_a_clear_error(tmp_path: Path) -> None:
    with (
        dask_scheduler(tmp_path) as address,
        pytest.raises(ClusterError, match="has no workers after 1 s"),
        cluster_executor(address, timeout=1),
    ):
        pass


def _copy_of_the_project(tmp_path: Path) -> Path:
    copy = tmp_path / "src"
    for pkg in ("rules", "agents"):
        shutil.copytree(ROOT / pkg, copy / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_a_worker_running_other_rules_is_refused(tmp_path: Path) -> None:
    # A worker that imports a changed copy of the rules (another checkout) would change the
    # results without a word; its canary game ends in another hash, so it is refused.
    copy = _copy_of_the_project(tmp_path)
    toml = copy / "rules" / "scenarios" / f"{SCENARIO_NAMES[0]}.toml"
    text, changed = re.subn(
        r"(?m)^(hawkishness = )([0-9.]+)$", r"\g<1>0.99", toml.read_text(), count=1
    )
    assert changed == 1, "the canary's scenario has no state hawkishness to change"
    toml.write_text(text)
    with (
        dask_scheduler(tmp_path / "s") as address,
        dask_workers(address, tmp_path / "w", n=1, env={"PYTHONPATH": str(copy)}),
        pytest.raises(ClusterError, match="runs different code from this checkout"),
        cluster_executor(address, timeout=30),
    ):
        pass


def test_a_worker_that_cannot_import_the_project_is_refused(tmp_path: Path) -> None:
    copy = _copy_of_the_project(tmp_path)
    (copy / "agents" / "analysis" / "games.py").write_text("raise ImportError('broken here')\n")
    with (
        dask_scheduler(tmp_path / "s") as address,
        dask_workers(address, tmp_path / "w", n=1, env={"PYTHONPATH": str(copy)}),
        pytest.raises(ClusterError, match="cannot run the project's code"),
        cluster_executor(address, timeout=30),
    ):
        pass
