"""Two-parameter sweeps: grid layout, determinism, a real effect, the CLI's CSV and heat map."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from agents.analysis.stats import hidden_share_ci, spread_ci, wilson
from agents.analysis.sweep import OUTCOMES, parse_axis, sweep
from agents.saved import new_model
from rules.scenario import ScenarioError
from server.cli import main


def test_grid_rows_are_cells_with_a_varying_slowest_and_reproducible() -> None:
    """Each row is its cell's games (seeds seed..seed+runs-1 with the cell's overrides), as
    the Mesa model plays them: the same outcome counts, and the Wilson interval of those."""
    a = ("states.us.oversight", ["voluntary", "embedded"])
    b = ("officials.us-official.career_pressure", ["0", "1"])
    runs, seed = 20, 2
    rows = sweep("baseline", runs, axes=[a, b], seed=seed)
    assert [(r["a"], r["b"]) for r in rows] == [
        ("voluntary", "0"),
        ("voluntary", "1"),
        ("embedded", "0"),
        ("embedded", "1"),
    ]
    for r in rows:
        overrides = {a[0]: r["a"], b[0]: r["b"]}
        assert r["values"] == overrides
        ends = []
        for i in range(runs):
            model = new_model("baseline", seed + i, overrides, collect=False)
            model.run()
            assert model.world.outcome is not None
            ends.append(model.world.outcome)
        counts = Counter(o.kind for o in ends)
        assert r["outcomes"] == {k: counts[k] / runs for k in OUTCOMES}, overrides
        won = Counter(o.state for o in ends if o.kind == "corrigible_asi")
        assert r["asi_states"] == {sid: c / runs for sid, c in sorted(won.items())}, overrides
        assert r["p_disaster"] == counts["rogue_asi"] / runs
        assert r["ci"] == [round(x, 4) for x in wilson(counts["rogue_asi"], runs)], overrides
        at_build = [o.p_rogue for o in ends if o.kind != "no_asi" and o.p_rogue is not None]
        share, (lo, hi) = hidden_share_ci(at_build)
        assert r["hidden_share"] == {"share": round(share, 4), "ci": [round(lo, 4), round(hi, 4)]}
        width, (wlo, whi) = spread_ci(at_build)
        assert r["p_rogue_at_build"]["spread"] == round(width, 4)
        assert r["p_rogue_at_build"]["spread_ci"] == [round(wlo, 4), round(whi, 4)]
        assert r["p_rogue_at_build"]["spread"] == pytest.approx(
            r["p_rogue_at_build"]["p90"] - r["p_rogue_at_build"]["p10"], abs=2e-4
        )
    assert len({str(r["outcomes"]) for r in rows}) > 1, "the axes change the games"
    assert sweep("baseline", runs, axes=[a, b], seed=seed, jobs=2) == rows
    assert sweep("baseline", runs, axes=[a, b], seed=seed + runs) != rows


def test_career_pressure_on_the_official_raises_the_odds_of_disaster() -> None:
    """A careerist on a committee from the start brakes when it costs little, not under pressure."""
    rows = sweep(
        "baseline",
        400,
        axes=[
            ("officials.us-official.career_pressure", ["0", "1"]),
            ("states.us.oversight", ["committee"]),
        ],
        overrides={"officials.us-official.personality": "careerist"},
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
    rows = sweep(
        "baseline",
        4,
        axes=[
            ("states.us.oversight", ["voluntary", "committee"]),
            ("officials.us-official.career_pressure", ["0", "0.5", "1"]),
        ],
        jobs=1,
    )
    for line, row in zip(lines, rows, strict=True):
        assert line["states.us.oversight"] == row["a"]
        assert line["officials.us-official.career_pressure"] == row["b"]
        assert float(line["p_disaster"]) == row["p_disaster"]
        assert [float(line["ci_low"]), float(line["ci_high"])] == row["ci"]
        assert {o: float(line[f"p_{o}"]) for o in OUTCOMES} == row["outcomes"]
    assert out_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sweep2d_needs_two_axes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep2d", "--runs", "2", "--vary", "states.us.oversight=1,2"]) == 2
    assert "exactly twice" in capsys.readouterr().err
