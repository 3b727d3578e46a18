"""Bot tournaments: matchup designs, determinism, the table a user reads."""

from __future__ import annotations

import pytest

from agents.analysis.stats import mean_ci, wilson
from agents.analysis.tournament import matchups, tournament
from agents.model import RaceModel
from rules.scenario import ScenarioError, load_scenario
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


def _mesa_games(runs: int, seed: int, personalities: dict[str, str]) -> list[RaceModel]:
    """The games a matchup should have played, played again by the Mesa model (not the bare loop)."""
    sc = load_scenario("baseline")
    out = []
    for i in range(runs):
        model = RaceModel(sc, seed + i, personalities, collect=False, record=False)
        model.run()
        out.append(model)
    return out


def test_tournament_rows_are_the_games_of_each_matchup_and_reproducible() -> None:
    """Every row equals the statistics of its matchup's games (seeds seed..seed+runs-1) as
    the Mesa model plays them, with the Wilson and normal intervals of those games."""
    runs, seed = 12, 3
    a = tournament("baseline", runs=runs, seed=seed)
    assert tournament("baseline", runs=runs, seed=seed, jobs=2) == a
    assert [row["label"] for row in a] == [m.label for m in matchups("baseline", "swap")]
    for row in a:
        games = _mesa_games(runs, seed, row["personalities"])
        rogue = sum(1 for g in games if g.world.outcome and g.world.outcome.kind == "rogue_asi")
        assert row["runs"] == runs
        assert row["p_disaster"] == round(rogue / runs, 4), row["label"]
        assert row["ci"] == [round(x, 4) for x in wilson(rogue, runs)], row["label"]
        finals = [g.scores() for g in games]
        for rid, s in row["scores"].items():
            mean, (lo, hi) = mean_ci([f[rid] for f in finals])
            assert s == {"mean": round(mean, 3), "ci": [round(lo, 3), round(hi, 3)]}, (
                row["label"],
                rid,
            )
    # Another seed plays other games: the rows change.
    other = tournament("baseline", runs=runs, seed=seed + runs)
    assert [r["scores"] for r in other] != [r["scores"] for r in a]
    # Swapping a seat's personality changes the games (the matchup is really played).
    assert len({str(r["scores"]) for r in a}) > 1
    table = format_table(a)
    assert "us-official=careerist" in table and "P(disaster)" in table


def test_non_race_scenario_is_refused() -> None:
    with pytest.raises(ScenarioError):
        tournament("precipice", runs=2)
