"""``precipice sensitivity`` run as a user would (real subprocesses, real games).

The run on a cluster and a design the command refuses are checked in-process (``run``:
``server.cli.main``, the same parser and command): no interpreter need start and import
SALib and SciPy for them, the first test having run the command as a user would.
"""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from pathlib import Path

import pytest

from agents.analysis.sensitivity import sensitivity
from server.commands.sensitivity import CSV_COLUMNS, format_tables
from tests.test_cli import cli, run

MATTERS = "dynamics.asi_threshold"
INERT = "dynamics.censorship_deception_rate"
ONLY = (MATTERS, INERT, "dynamics.assist_multiplier")
RUNS = 4  # games per point: the command's plumbing is tested here, not the analysis's power
ARGS = [
    *("sensitivity", "--scenario", "baseline", "--runs", str(RUNS), "--trajectories", "3"),
    *("--top", "2", "--sobol-n", "8", "--seed", "4", "--rank-by", "p_asi_us"),
    *(arg for path in ONLY for arg in ("--only", path)),
]


@cache
def small():
    """The library's analysis the commands below must print (computed once per module)."""
    return sensitivity(
        "baseline",
        runs=RUNS,
        trajectories=3,
        top=2,
        sobol_n=8,
        seed=4,
        only=ONLY,
        jobs=2,
        rank_by="p_asi_us",
    )


def test_sensitivity_prints_json_and_writes_csv_and_png(tmp_path: Path):
    out = cli(
        *ARGS,
        "--jobs",
        "2",
        "--json",
        "--csv",
        str(tmp_path / "s.csv"),
        "--png",
        str(tmp_path / "s.png"),
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data == json.loads(json.dumps(small().to_dict()))
    # Sobol' takes up to the top 2 with an effect on p_asi_us: (k + 2) x 8 points for k of
    # them (how many had an effect in 4 games per point is the model's business, not the CLI's).
    k = len(data["sobol_parameters"])
    assert 1 <= k <= 2
    assert data["games"] == (3 * 4 + 8 * (k + 2)) * RUNS
    assert sorted(p["path"] for p in data["parameters"]) == sorted(ONLY)
    rows = list(csv.DictReader((tmp_path / "s.csv").read_text("utf-8").splitlines()))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 3 * len(ONLY)  # every output x parameter
    inert = [r for r in rows if r["parameter"] == INERT]
    assert all(float(r["mu_star"]) == 0 and r["st"] == "" for r in inert)
    png = (tmp_path / "s.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000


def test_the_table_ranks_by_mu_star_and_names_what_had_no_effect():
    sens = small()
    text = format_tables(sens, show=20)
    lines = text.splitlines()
    assert lines[0].startswith(
        f"Morris screening of baseline: 3 parameters, 3 trajectories, 12 points x {RUNS} games"
    )
    ranked = [line.split()[1] for line in lines if re.match(r"^ *\d+  \S", line)]
    assert ranked == [m.path for m in sens.morris["p_asi_us"]] and ranked[-1] == INERT
    assert f"No change in any output at any sampled point (1): {INERT}" in text
    k = len(sens.sobol_parameters)
    assert 1 <= k <= 2
    points = 8 * (k + 2)
    assert (
        f"Sobol' indices of the top {k} on p_asi_us (N = 8: {points} points x {RUNS} games" in text
    )
    assert f"{(12 + points) * RUNS:,} games in all." in text


def test_sensitivity_on_a_cluster_prints_the_local_json(dask_address: str, capsys):
    from tests.support.dask_cluster import executed_per_worker

    before = sum(executed_per_worker(dask_address).values())
    out = run(capsys, *ARGS, "--json", "--cluster", dask_address)
    assert sum(executed_per_worker(dask_address).values()) > before, "not run on the cluster"
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == json.loads(json.dumps(small().to_dict()))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sobol-n", "12"], "sobol_n must be a power of 2"),
        (["--only", "dynamcs"], "no numeric parameter of 'baseline' is or lies under 'dynamcs'"),
        (["--set", "dynamics.warp=2"], "unknown parameter 'dynamics.warp'"),
    ],
)
def test_a_bad_design_is_one_clear_line(args, message, capsys):
    out = run(capsys, "sensitivity", "--runs", "2", *args)
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr
