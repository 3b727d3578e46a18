"""Shared test set-up: in CI (``PRECIPICE_NO_SKIPS=1``) any skipped test fails the run."""

from __future__ import annotations

import os

import pytest

import tests.support.hyp  # noqa: F401  - registers and loads the Hypothesis profiles


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Turn skips into a failure where the environment says every test must run."""
    if os.environ.get("PRECIPICE_NO_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        if reporter:
            reporter.write_line(
                f"PRECIPICE_NO_SKIPS=1: {skipped} test(s) were skipped; every test must run here.",
                red=True,
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def dask_address(tmp_path_factory: pytest.TempPathFactory):
    """The address of a real Dask scheduler with two worker processes on 127.0.0.1."""
    pytest.importorskip("distributed", reason="needs the 'cluster' extra: uv sync --extra cluster")
    from tests.support.dask_cluster import dask_cluster

    with dask_cluster(tmp_path_factory.mktemp("dask")) as address:
        yield address
