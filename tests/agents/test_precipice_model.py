"""The precipice scenario reproduces Armstrong, Bostrom & Shulman (2016).

The simulated disaster rate, over seeded runs of the Mesa model with the equilibrium bots,
must match the closed forms (rules.precipice.disaster_probability) on a grid of teams,
enmity, skill and information conditions.
"""

from __future__ import annotations

import pytest

from agents.analysis.sweep import sweep
from rules.precipice import disaster_probability

GRID = [
    (n, e, mu, info)
    for n, e, mu in [(2, 1.0, 1.0), (2, 0.5, 0.5), (3, 1.0, 2.0), (5, 0.25, 1.0), (3, 0.5, 4.0)]
    for info in ("none", "private", "public")
]


def test_the_papers_headline_numbers():
    rows = {
        info: sweep("precipice", 3000, {"precipice.information": info}, jobs=2)[0]
        for info in ("none", "private", "public")
    }
    assert rows["none"]["ci"][0] <= 0.5 <= rows["none"]["ci"][1]
    assert rows["private"]["ci"][0] <= 2 / 3 <= rows["private"]["ci"][1]
    assert rows["public"]["ci"][0] <= 2 / 3 <= rows["public"]["ci"][1]


@pytest.mark.parametrize(("n", "e", "mu", "info"), GRID)
def test_simulated_disaster_rate_matches_the_closed_form(n, e, mu, info):
    overrides = {
        "precipice.teams": str(n),
        "precipice.enmity": str(e),
        "precipice.skill": str(mu),
        "precipice.information": info,
    }
    row = sweep("precipice", 1500, overrides, jobs=1)[0]
    expected = disaster_probability(info, n, e, mu)
    lo, hi = row["ci"]
    # Wilson 95% interval widened by a little, so 15 cells do not fail by chance alone
    assert lo - 0.02 <= expected <= hi + 0.02, (row["p_disaster"], expected)
