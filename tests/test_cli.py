"""The ``precipice`` command line.

Some cases run it as a user would, in a real subprocess (``cli``): the entry point, the
exit codes, a whole game told turn by turn. The others call ``server.cli.main`` in this
process (``run``): the same parser, commands and printed output, without a fresh
interpreter importing Mesa, pandas and SciPy for each (seconds of CPU a call).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from agents.analysis.games import play_one
from agents.analysis.stats import wilson
from agents.analysis.sweep import sweep
from agents.saved import new_model
from rules.hashing import world_hash


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``precipice ARGS`` in a real subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args], capture_output=True, text=True, timeout=300
    )


def run(capsys: pytest.CaptureFixture[str], *args: str) -> subprocess.CompletedProcess[str]:
    """``precipice ARGS`` in this process, through ``server.cli.main``: its exit code (as
    argparse's own exit gives it, for a usage error) and what it printed."""
    from server.cli import main

    capsys.readouterr()  # nothing printed before the command is its output
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out = capsys.readouterr()
    return subprocess.CompletedProcess(["precipice", *args], code, out.out, out.err)


def test_help_lists_every_command():
    out = cli("--help")
    assert out.returncode == 0, out.stderr
    for command in (
        "scenarios",
        "simulate",
        "replay",
        "sweep",
        "serve",
        "report",
        "forecast",
        "sensitivity",
    ):
        assert command in out.stdout


@pytest.mark.parametrize("command", ["simulate", "sweep", "tournament", "sensitivity"])
def test_command_help(command, capsys):
    """A command's own help (in-process: the subprocess above shows the real entry point)."""
    out = run(capsys, command, "--help")
    assert out.returncode == 0
    assert out.stdout.startswith(f"usage: precipice {command}")


def test_scenarios_lists_every_scenario_with_a_line():
    out = cli("scenarios")
    assert out.returncode == 0
    for name in (
        "baseline",
        "ai-2027-race",
        "ai-2027-slowdown",
        "china-leads",
        "no-race",
        "consolidation",
        "precipice",
    ):
        assert name in out.stdout


def test_simulate_tells_the_story_turn_by_turn():
    out = cli("simulate", "--scenario", "baseline", "--seed", "1")
    assert out.returncode == 0, out.stderr
    assert "2026-Q1" in out.stdout and "Outcome:" in out.stdout
    assert "cap" in out.stdout and "concern" in out.stdout


def test_simulate_json_has_the_documented_fields(tmp_path: Path, capsys):
    out = run(
        capsys,
        "simulate",
        "--scenario",
        "ai-2027-race",
        "--seed",
        "4",
        "--json",
        "--out",
        str(tmp_path / "g.json"),
    )
    data = json.loads(out.stdout)
    assert set(data) >= {
        "scenario",
        "seed",
        "turns_played",
        "outcome",
        "asi_state",
        "scores",
        "final_hash",
    }
    assert data["outcome"] in ("rogue_asi", "corrigible_asi", "no_asi")
    saved = json.loads((tmp_path / "g.json").read_text())
    assert saved["seed"] == 4 and saved["final_hash"] == data["final_hash"]
    assert len(saved["turns"]) == data["turns_played"]
    # The same game as the bare turn loop plays for that scenario and seed.
    g = play_one("ai-2027-race", 4)
    assert (data["final_hash"], data["outcome"], data["turns_played"]) == (
        g.final_hash,
        g.outcome,
        g.turns_played,
    )
    assert data["scores"] == pytest.approx(g.scores)


def test_simulate_turns_and_set(capsys):
    out = run(
        capsys,
        "simulate",
        "--seed",
        "2",
        "--turns",
        "3",
        "--set",
        "states.us.oversight=3",
        "--json",
    )
    data = json.loads(out.stdout)
    assert data["turns_played"] == 3

    def after_three(overrides: dict[str, str]) -> str:
        model = new_model("baseline", 2, overrides, collect=False)
        model.run(turns=3)
        return world_hash(model.world)

    # The override was applied: the game is the overridden one, not the plain one.
    assert data["final_hash"] == after_three({"states.us.oversight": "3"}) != after_three({})


def test_replay_verifies_and_catches_tampering(tmp_path: Path, capsys):
    game = tmp_path / "g.json"
    assert run(capsys, "simulate", "--seed", "5", "--json", "--out", str(game)).returncode == 0
    ok = run(capsys, "replay", str(game), "--verify")
    assert ok.returncode == 0 and "every hash verified" in ok.stdout
    data = json.loads(game.read_text())
    data["turns"][2]["bot_orders"]["us-lab"]["safety_share"] = 0.5  # informational: not an input
    data["turns"][1]["orders"]["us"] = {"kind": "state", "export_controls": 0.0}
    game.write_text(json.dumps(data))
    bad = run(capsys, "replay", str(game), "--verify")
    assert bad.returncode == 1 and "turn 1" in bad.stderr and "mismatch" in bad.stderr


def test_replay_of_a_file_that_is_not_a_game(tmp_path: Path, capsys):
    junk = tmp_path / "junk.json"
    junk.write_text('{"hello": 1}')
    out = run(capsys, "replay", str(junk), "--verify")
    assert out.returncode == 1 and "not a Precipice saved game" in out.stderr
    missing = run(capsys, "replay", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_sweep_json_rows_with_intervals(capsys):
    out = run(
        capsys,
        "sweep",
        "--scenario",
        "baseline",
        "--runs",
        "20",
        "--jobs",
        "2",
        "--vary",
        "states.us.oversight=0,3",
        "--json",
    )
    rows = json.loads(out.stdout)
    assert [r["value"] for r in rows] == ["0", "3"]
    # The command prints the library's sweep of the same games (seeds 0..19 per value).
    assert rows == sweep("baseline", 20, axes=[("states.us.oversight", ["0", "3"])], jobs=1)
    for r in rows:
        rogue = r["p_disaster"] * 20
        assert r["runs"] == 20 and rogue == round(rogue)
        assert r["ci"] == [round(x, 4) for x in wilson(round(rogue), 20)]


def test_sweep_text_names_the_spread_of_the_risk_at_build(capsys):
    """The plain table gives the risk at build's 10th and 90th percentiles and their spread
    with its interval, the same figures as ``--json``."""
    args = ("sweep", "--scenario", "baseline", "--runs", "20", "--jobs", "1")
    row = json.loads(run(capsys, *args, "--json").stdout)[0]["p_rogue_at_build"]
    text = run(capsys, *args).stdout
    lo, hi = row["spread_ci"]
    assert (
        f"the risk at build runs {row['p10']:.2f}-{row['p90']:.2f} (10th-90th), "
        f"a spread of {row['spread']:.2f} [{lo:.2f}, {hi:.2f}]"
    ) in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "states.us.warp=1"], "unknown parameter 'states.us.warp'"),
        (["--vary", "dynamics.assist_multiplier=fast,slow"], "bad override"),
        (["--scenario", "atlantis"], "unknown scenario"),
    ],
)
def test_sweep_bad_parameters_are_clear_errors(args, message):
    out = cli("sweep", "--runs", "2", "--jobs", "1", *args)
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr


def test_precipice_scenario_through_the_cli(capsys):
    out = run(
        capsys,
        "sweep",
        "--scenario",
        "precipice",
        "--runs",
        "2000",
        "--jobs",
        "2",
        "--set",
        "precipice.information=none",
        "--json",
    )
    row = json.loads(out.stdout)[0]
    assert row["ci"][0] <= 0.5 <= row["ci"][1]


def test_top_level_help_reads_each_command_line_without_importing_it():
    """``--help`` lists each command with its module's ``HELP``, and imports none of them."""
    import importlib

    from server.cli import COMMANDS, command_help

    for name in COMMANDS:
        mod = importlib.import_module(f"server.commands.{name}")
        assert name == mod.NAME
        assert command_help(name) == mod.HELP
    probe = (
        "import sys; from server.cli import build_parser; build_parser(['--help']);"
        "print(sorted(m for m in sys.modules if m.startswith('server.commands.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, check=True
    )
    assert out.stdout.strip() == "[]"
