"""``--cluster ADDRESS`` on the analysis commands, against a real Dask scheduler with two
worker processes on 127.0.0.1.

The progress bar's test runs the command as a user would, a real subprocess on a terminal,
and so does the one without the extra (a fresh interpreter without ``distributed``). The
others call ``server.cli.main`` in this process (``run``): the same parser and commands on
the same cluster, without an interpreter starting and importing the project for each.
"""

from __future__ import annotations

import json
import os
import pty
import socket
import subprocess
import sys

import pytest

from agents.analysis.forecast import forecast_many, snapshot_of
from agents.analysis.sweep import sweep
from agents.analysis.tournament import tournament
from agents.saved import new_model
from tests.test_cli import run

pytest.importorskip("distributed", reason="needs the 'cluster' extra: uv sync --extra cluster")

COMMANDS = {
    "sweep": ["sweep", "--runs", "60", "--vary", "states.us.oversight=0,3", "--seed", "3"],
    "tournament": ["tournament", "--runs", "15", "--seed", "2"],
    "forecast": ["forecast", "--turn", "4", "--rollouts", "60"],
}


def local_rows(command: str) -> object:
    """What the command prints with --json on this machine, from the same library calls."""
    if command == "sweep":
        rows: object = sweep("baseline", 60, {}, [("states.us.oversight", ["0", "3"])], 3, jobs=2)
    elif command == "tournament":
        rows = tournament("baseline", 15, "swap", {}, 2, jobs=2)
    else:
        model = new_model("baseline", 1, {})
        model.run(turns=4)
        rows = forecast_many([snapshot_of(model)], 60, 1, jobs=2)[0].to_dict()
    return json.loads(json.dumps(rows))


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_command_on_the_cluster_prints_what_it_computes_locally(
    dask_address: str, command, capsys
):
    from tests.support.dask_cluster import executed_per_worker

    before = executed_per_worker(dask_address)
    remote = run(capsys, *COMMANDS[command], "--json", "--cluster", dask_address)
    assert remote.returncode == 0, remote.stderr
    after = executed_per_worker(dask_address)
    assert json.loads(remote.stdout) == local_rows(command)
    assert sum(after.values()) > sum(before.values()), "the work did not run on the cluster"


def test_the_progress_bar_is_drawn_for_a_cluster_run(dask_address: str):
    # The bar is drawn only on a terminal: give the command one as its stderr.
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli", *COMMANDS["sweep"], "--cluster", dask_address],
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    drawn = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    out, _ = proc.communicate(timeout=120)
    os.close(master)
    assert proc.returncode == 0, drawn
    assert b"120/120 games" in drawn and b"[####" in drawn
    assert b"P(disaster)" in out


def test_an_unreachable_scheduler_is_one_clear_line(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = run(
        capsys,
        *("sweep", "--runs", "2", "--cluster", f"tcp://127.0.0.1:{port}"),
        *("--cluster-timeout", "1"),
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"cannot reach the Dask scheduler at 'tcp://127.0.0.1:{port}'" in out.stderr


def test_without_the_cluster_extra_the_error_says_how_to_install_it():
    # Python as it is when the extra is not installed: importing distributed fails.
    code = (
        "import sys; sys.modules['distributed'] = None; from server.cli import main; "
        "sys.exit(main(['sweep', '--runs', '2', '--cluster', 'tcp://127.0.0.1:8786']))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "needs the optional 'cluster' extra" in out.stderr
    assert "uv sync --extra cluster" in out.stderr
