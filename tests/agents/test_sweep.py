"""Two-parameter sweeps: grid layout, determinism, a real effect, the CLI's CSV and heat map."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from agents.analysis.sweep import parse_axis, sweep
from rules.scenario import ScenarioError
from server.cli import main


def test_grid_rows_are_cells_with_a_varying_slowest_and_reproducible() -> None:
    a = ("states.us.oversight", ["voluntary", "embedded"])
    b = ("officials.us-official.career_pressure", ["0", "1"])
    rows = sweep("baseline", 10, axes=[a, b], seed=2)
    assert [(r["a"], r["b"]) for r in rows] == [
        ("voluntary", "0"),
        ("voluntary", "1"),
        ("embedded", "0"),
        ("embedded", "1"),
    ]
    for r in rows:
        assert abs(sum(r["outcomes"].values()) - 1.0) < 1e-9
        assert r["ci"][0] <= r["p_disaster"] <= r["ci"][1]
    assert sweep("baseline", 10, axes=[a, b], seed=2, jobs=2) == rows


def test_career_pressure_on_the_official_raises_the_odds_of_disaster() -> None:
    rows = sweep(
        "baseline",
        150,
        axes=[
            ("officials.us-official.career_pressure", ["0", "1"]),
            ("states.us.oversight", ["committee"]),
        ],
        jobs=2,
    )
    brave, afraid = rows
    assert brave["ci"][1] < afraid["ci"][0], (brave, afraid)


def test_bad_axes_are_refused() -> None:
    with pytest.raises(ValueError, match="once"):
        sweep("baseline", 2, axes=[("states.us.oversight", ["1"]), ("states.us.oversight", ["2"])])
    with pytest.raises(ScenarioError):
        sweep("baseline", 2, axes=[("states.us.nope", ["1"]), ("states.us.oversight", ["2"])])
    with pytest.raises(ValueError):
        parse_axis("states.us.oversight")


def test_sweep_with_two_vary_writes_csv_and_png(tmp_path: Path) -> None:
    out_csv, out_png = tmp_path / "grid.csv", tmp_path / "grid.png"
    code = main(
        [
            "sweep",
            "--runs",
            "4",
            "--jobs",
            "1",
            "--vary",
            "states.us.oversight=voluntary,committee",
            "--vary",
            "officials.us-official.career_pressure=0,0.5,1",
            "--csv",
            str(out_csv),
            "--png",
            str(out_png),
        ]
    )
    assert code == 0
    with out_csv.open() as fh:
        lines = list(csv.DictReader(fh))
    assert len(lines) == 6 and {"p_disaster", "ci_low", "ci_high"} <= set(lines[0])
    assert out_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sweep2d_needs_two_axes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep2d", "--runs", "2", "--vary", "states.us.oversight=1,2"]) == 2
    assert "exactly twice" in capsys.readouterr().err
