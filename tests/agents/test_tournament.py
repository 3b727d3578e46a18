"""Bot tournaments: matchup designs, determinism, the table a user reads."""

from __future__ import annotations

import pytest

from agents.analysis.tournament import matchups, tournament
from rules.scenario import ScenarioError
from server.commands.tournament import format_table


def test_swap_design_changes_one_seat_at_a_time() -> None:
    games = matchups("baseline", "swap")
    base = games[0].personalities
    assert games[0].label == "default"
    swappable = [r for r in base if not r.endswith("-ai")]  # an AI plays its sealed values
    assert len(games) == 1 + len(swappable)
    for m in games[1:]:
        changed = [r for r in base if m.personalities[r] != base[r]]
        assert len(changed) == 1 and m.label.startswith(changed[0] + "=")


def test_grid_design_covers_every_state_and_lab_combination() -> None:
    games = matchups("baseline", "grid")
    assert len(games) == 16
    assert len({tuple(sorted(m.personalities.items())) for m in games}) == 16


def test_tournament_rows_are_reproducible_and_sane() -> None:
    a = tournament("baseline", runs=12, seed=3)
    b = tournament("baseline", runs=12, seed=3, jobs=2)
    assert a == b
    for row in a:
        lo, hi = row["ci"]
        assert lo <= row["p_disaster"] <= hi
        for s in row["scores"].values():
            assert s["ci"][0] <= s["mean"] <= s["ci"][1]
            assert -100 <= s["mean"] <= 100
    table = format_table(a)
    assert "us-official=careerist" in table and "P(disaster)" in table


def test_non_race_scenario_is_refused() -> None:
    with pytest.raises(ScenarioError):
        tournament("precipice", runs=2)
