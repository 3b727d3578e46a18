"""``precipice question``: the same worldviews with each side leading, read off the games."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from agents.analysis.games import GameTask, pairs, play_games
from agents.analysis.question import DIFFICULTY, WorldAxis, ai_values_axis, question, verdict
from agents.analysis.stats import wilson, z_for
from server.cli import main
from server.commands.question import played_label
from server.report.charts import question_figure


def test_each_cell_is_read_off_its_own_games_on_both_sides() -> None:
    rows = question(60, [DIFFICULTY], seed=3, jobs=2)
    assert [r["worldview"]["alignment difficulty"] for r in rows] == ["easy", "middling", "hard"]
    z = z_for(0.95, 3)
    for r, level in zip(rows, DIFFICULTY.levels, strict=True):
        for side, scenario in (("us_leads", "baseline"), ("china_leads", "mirror")):
            games = play_games(GameTask(scenario, pairs(dict(level.overrides)), (), 3, range(60)))
            rogue = sum(g.outcome == "rogue_asi" for g in games)
            assert r[side]["p_rogue"] == round(rogue / 60, 4)
            assert r[side]["p_rogue_ci"] == [round(x, 4) for x in wilson(rogue, 60, z)]
            shared = sum(
                g.outcome == "corrigible_asi" and g.distribution == "shared" for g in games
            )
            assert r[side]["p_shared"] == round(shared / 60, 4)
            total = sum(r[side][k] for k in ("p_rogue", "p_shared", "p_oligarchy", "p_no_asi"))
            assert total == pytest.approx(1.0, abs=1e-3)
        d = r["difference"]
        assert d["p_rogue"] == pytest.approx(
            r["china_leads"]["p_rogue"] - r["us_leads"]["p_rogue"], abs=1e-3
        )
        assert d["ci"][0] <= d["p_rogue"] <= d["ci"][1]
    # Harder alignment makes the ASIs built riskier. (P(rogue) over all games need not rise:
    # since rules 2.8 hard worlds also end more often with no ASI.)
    harder = [
        r["us_leads"]["p_rogue_at_build"] + r["china_leads"]["p_rogue_at_build"] for r in rows
    ]
    assert harder[0] < harder[2], "harder alignment should make the ASIs built riskier"


def test_a_seat_played_with_another_policy_plays_it_on_its_side_only() -> None:
    easy = WorldAxis("alignment difficulty", DIFFICULTY.levels[:1])
    paused = {"us-lab": "fixed:pause=true"}
    bots = question(30, [easy], seed=5, jobs=1)[0]
    both = question(30, [easy], seed=5, play={"us_leads": paused, "china_leads": paused}, jobs=1)[0]
    one = question(30, [easy], seed=5, play={"china_leads": paused}, jobs=1)[0]
    for side, scenario in (("us_leads", "baseline"), ("china_leads", "mirror")):
        assert both[side]["built_by"]["us"] == 0.0, "a US lab paused for good never builds"
        assert bots[side]["built_by"]["us"] > 0.0
        games = play_games(
            GameTask(scenario, pairs(dict(easy.levels[0].overrides)), pairs(paused), 5, range(30))
        )
        rogue = sum(g.outcome == "rogue_asi" for g in games)
        assert both[side]["p_rogue"] == round(rogue / 30, 4)
    assert one["us_leads"] == bots["us_leads"]
    assert one["china_leads"] == both["china_leads"]


def test_the_command_plays_a_seat_on_one_side(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["question", "--runs", "20", "--jobs", "1", "--axes", "difficulty", "--json"]
    assert main([*args, "--play-china-leads", "us-lab=fixed:pause=true"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(r["china_leads"]["built_by"]["us"] == 0.0 for r in rows)
    assert any(r["us_leads"]["built_by"]["us"] > 0.0 for r in rows)


def test_a_bad_play_names_the_role_or_the_lever(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["question", "--runs", "2", "--play", "nobody=careful"]) == 2
    assert "no role 'nobody'" in capsys.readouterr().err
    assert main(["question", "--runs", "2", "--play-us-leads", "us-lab=fixed:warp=1"]) == 2
    assert "warp" in capsys.readouterr().err


def test_the_ai_values_axis_fixes_every_ai() -> None:
    axis = ai_values_axis(["spec", "convergent"])
    assert [lv.label for lv in axis.levels] == ["spec", "convergent"]
    assert dict(axis.levels[1].overrides) == {
        "ais.us-ai.values": "convergent",
        "ais.cn-ai.values": "convergent",
    }
    with pytest.raises(ValueError, match="unknown AI values"):
        ai_values_axis(["saintly"])


def test_a_verdict_names_the_side_only_when_the_interval_excludes_zero() -> None:
    row = {
        "difference": {
            "p_rogue": -0.1,
            "ci": [-0.2, -0.01],
            "brakes": 1.2,
            "asi_turn": 2.0,
            "p_shared": 0.0,
        }
    }
    assert verdict(row).startswith("China leading is safer") and "brakes" in verdict(row)
    row["difference"]["ci"] = [-0.2, 0.05]
    assert verdict(row).startswith("no clear difference")


def test_the_command_writes_json_csv_and_png(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_path, png = tmp_path / "q.csv", tmp_path / "q.png"
    code = main(
        [
            "question",
            "--runs",
            "6",
            "--jobs",
            "1",
            "--axes",
            "difficulty",
            "--values",
            "roll,spec",
            "--json",
            "--csv",
            str(csv_path),
            "--png",
            str(png),
        ]
    )
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 6 and set(rows[0]["worldview"]) == {"alignment difficulty", "AI values"}
    assert len(csv_path.read_text().splitlines()) == 7
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_axes_are_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["question", "--runs", "2", "--axes", "weather"]) == 2
    assert "unknown axis 'weather'" in capsys.readouterr().err
    assert main(["question", "--runs", "2", "--values", "saintly"]) == 2
    assert "unknown AI values" in capsys.readouterr().err


def test_the_seats_command_reports_each_policy(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "seats",
            "--runs",
            "4",
            "--jobs",
            "1",
            "--seat",
            "us-wb",
            "--policy",
            "hold",
            "--policy",
            "fixed:action=speak_out",
            "--json",
        ]
    )
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["seat"], r["policy"]) for r in rows] == [
        (None, None),
        ("us-wb", "hold"),
        ("us-wb", "fixed:action=speak_out"),
    ]
    assert main(["seats", "--runs", "4", "--seat", "nobody"]) == 2


def test_the_figure_leaves_room_for_a_star_above_every_interval() -> None:
    """A star marks a cell whose difference excludes zero, drawn just above its higher
    interval: the shared axis must reach above it, or the star runs into the next title."""

    def row(difficulty: str, us: float, cn: float) -> dict[str, object]:
        return {
            "worldview": {"alignment difficulty": difficulty, "US oversight": "committee"},
            "us_leads": {"p_rogue": us, "p_rogue_ci": [us - 0.05, us + 0.05]},
            "china_leads": {"p_rogue": cn, "p_rogue_ci": [cn - 0.05, cn + 0.05]},
            "difference": {"ci": [cn - us - 0.05, cn - us + 0.05]},
        }

    rows = [row("easy", 0.02, 0.12), row("hard", 0.05, 0.30)]
    fig = question_figure(rows, ["alignment difficulty", "US oversight"])
    bottom, top = fig.axes[0].get_ylim()
    assert bottom == 0.0 and top >= 0.35 + 0.02 + 0.05
    assert "not played by their bots" not in fig.get_suptitle()


def test_a_figure_of_seats_not_played_by_their_bots_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "q.png"
    args = ["question", "--runs", "4", "--jobs", "1", "--axes", "difficulty", "--png", str(png)]
    assert main([*args, "--play-china-leads", "us-lab=careful", "--play", "cn=hawk"]) == 0
    capsys.readouterr()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    label = played_label(
        argparse.Namespace(play=["cn=hawk"], play_us_leads=[], play_china_leads=["us-lab=careful"])
    )
    assert label == "both sides: cn=hawk; China leads: us-lab=careful"
    row = {
        "worldview": {"alignment difficulty": "easy"},
        "us_leads": {"p_rogue": 0.1, "p_rogue_ci": [0.05, 0.15]},
        "china_leads": {"p_rogue": 0.1, "p_rogue_ci": [0.05, 0.15]},
        "difference": {"ci": [-0.05, 0.05]},
    }
    fig = question_figure([row], ["alignment difficulty"], label)
    assert fig.get_suptitle().endswith("Seats not played by their bots: " + label)
