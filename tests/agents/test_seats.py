"""Every seat matters, and no standing policy beats a seat's bot.

For every seat of ``baseline`` and ``china-leads``, some standing policy moves P(rogue
ASI), who builds the ASI, or the seat's own mean score beyond the 95% interval of the
default bots; no fixed policy tried there scores significantly more for the seat than
its bot, ``hold`` (the simplest fixed policy: change nothing, ever) included. Seats are
compared on the same seeds, each interval Bonferroni-corrected for the policies and
measures tried at that seat; "no policy beats the bot" is corrected for every policy at
every seat of both scenarios, one family (``FAMILY``). ``uv run precipice seats
--scenario S --runs 400`` tries every standard policy and the other personalities (the
longer run; docs/model.md).

In the baseline China is the follower, and its state and lab move the odds only a little
(the essay: "China is more of a foil than anything else"), so those two seats are tried
on more games, with the two policies that matter most to them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from agents.analysis.seats import seat_policies
from agents.analysis.stats import z_for
from tests.support.mc import base_seed, runs

RUNS = runs(150)
FOLLOWER_RUNS = runs(600)
FOLLOWER = {
    "cn": ("fixed:oversight=0", "fixed:treaty=accept"),
    "cn-lab": ("fixed:release=none", "fixed:release=api"),
}
POLICIES: dict[str, tuple[str, ...]] = {
    "state": (
        "hold",
        "fixed:treaty=propose_pause",
        "fixed:oversight=3",
        "fixed:oversight=0",
    ),
    "lab": (
        "hold",
        "fixed:safety_share=0.5",
        "fixed:safety_share=0.2",
        "fixed:safety_share=0",
        "fixed:release=api",
        "fixed:pause=true",
    ),
    "official": ("hold", "fixed:action=brake", "fixed:action=report"),
    "whistleblower": ("hold", "fixed:action=speak_out", "fixed:action=speak_up"),
    "ai": ("hold", "fixed:action=sabotage", "fixed:action=exfiltrate"),
}
KIND = {"us": "state", "cn": "state"}
MEASURES = 3  # P(rogue), the builder, the seat's own score
COMPARISONS = max(len(p) for p in POLICIES.values()) * MEASURES


def kind_of(seat: str) -> str:
    if seat in KIND:
        return KIND[seat]
    for suffix, kind in (
        ("-lab", "lab"),
        ("-official", "official"),
        ("-wb", "whistleblower"),
        ("-ai", "ai"),
    ):
        if seat.endswith(suffix):
            return kind
    raise KeyError(seat)


SEATS = [
    "us",
    "cn",
    "us-lab",
    "cn-lab",
    "us-official",
    "cn-official",
    "us-wb",
    "cn-wb",
    "us-ai",
    "cn-ai",
]
SCENARIOS = ("baseline", "china-leads")
FAMILY = len(SCENARIOS) * len(SEATS) * max(len(p) for p in POLICIES.values())
"""The claim "no fixed policy beats its seat's bot" is one family of comparisons: every
policy at every seat of both scenarios, on the seat's own score. Corrected per seat
only (``COMPARISONS``), the 20 seat tests could fail by chance on up to one seed in six
where policies are exactly as good as their bots (120 one-sided chances of 0.05/18/2);
corrected for the family, on at most one in forty."""
WIDEN = z_for(0.95, FAMILY) / z_for(0.95, COMPARISONS)


def by_seat(table: list[dict[str, Any]], seats: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The rows of ``seat_policies`` (the default bots' first row left out), by seat."""
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in seats}
    for row in table[1:]:
        out[row["seat"]].append(row)
    return out


@cache
def rows(scenario: str) -> dict[str, list[dict[str, Any]]]:
    table = seat_policies(
        scenario,
        RUNS,
        SEATS,
        {s: POLICIES[kind_of(s)] for s in SEATS},
        seed=base_seed(),
        jobs=2,
        comparisons=COMPARISONS,
    )
    return by_seat(table, SEATS)


@cache
def follower_rows() -> dict[str, list[dict[str, Any]]]:
    """The follower's seats that moved nothing on ``RUNS`` games, on ``FOLLOWER_RUNS``."""
    first = rows("baseline")
    need = [s for s in FOLLOWER if not any(moves(r) for r in first[s])]
    table = seat_policies(
        "baseline",
        FOLLOWER_RUNS,
        need,
        {s: FOLLOWER[s] for s in need},
        seed=base_seed(),
        jobs=2,
        comparisons=2 * MEASURES,
    )
    return by_seat(table, need)


MIN_POINTS = 0.5
"""The least change in a seat's own mean score that counts as a change (scores run from
-100 to 100). A policy that almost never changes the game (China's lab's own safety share
under its state's binding floor) gives paired differences that are almost all zero, and a
normal interval around their tiny mean is too narrow to trust: on seed 31337, rules 2.8,
China's lab on a standing safety share of 0.2 "beat" its bot by +0.004 [+0.001, +0.008]."""


def apart(ci: list[float]) -> bool:
    """The interval excludes zero."""
    return ci[0] > 0 or ci[1] < 0


def score_moved(row: dict[str, Any]) -> bool:
    """The seat's own score moved: its interval excludes zero, by at least ``MIN_POINTS``."""
    return apart(row["d_score_ci"]) and abs(row["d_score"]) >= MIN_POINTS


def moves(row: dict[str, Any]) -> bool:
    """True if this arm moved P(rogue), a state's share of ASIs, or the seat's own score."""
    builders = any(apart(d["ci"]) for d in row["d_builders"].values())
    return apart(row["d_rogue_ci"]) or score_moved(row) or builders


@pytest.mark.parametrize("scenario", ["baseline", "china-leads"])
@pytest.mark.parametrize("seat", SEATS)
def test_every_seat_has_a_policy_that_moves_the_odds_or_its_score(scenario, seat):
    table = rows(scenario)
    moved = [r["policy"] for r in table[seat] if moves(r)]
    if not moved and scenario == "baseline" and seat in FOLLOWER:
        table = follower_rows()
        moved = [r["policy"] for r in table[seat] if moves(r)]
    assert moved, f"{scenario}: no policy of {seat} moves anything: " + "; ".join(
        f"{r['policy']} d_rogue {r['d_rogue_ci']} d_score {r['d_score_ci']}" for r in table[seat]
    )


def family_ci(row: dict[str, Any]) -> tuple[float, float]:
    """The row's own-score interval, corrected for the whole family (``FAMILY``)."""
    d = row["d_score"]
    lo, hi = row["d_score_ci"]
    return d - (d - lo) * WIDEN, d + (hi - d) * WIDEN


def test_the_family_correction_widens_the_seat_intervals():
    assert FAMILY == 120
    assert 1.1 < WIDEN < 1.3
    lo, hi = family_ci({"d_score": 1.0, "d_score_ci": [0.0, 2.0]})
    assert lo < 0.0 and hi > 2.0 and abs((lo + hi) / 2 - 1.0) < 1e-12


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("seat", SEATS)
def test_no_standing_policy_beats_the_bot(scenario, seat):
    """No fixed policy tried at a seat scores clearly more, for that seat, than its bot.

    ``hold`` (doing nothing, ever) is among the policies of every seat, so this is also
    "no bot loses to doing nothing". Clearly more: the family's interval above zero and the
    gain at least ``MIN_POINTS``.
    """
    assert POLICIES[kind_of(seat)][0] == "hold"
    winners = [
        f"{r['policy']} {r['d_score']:+.3f} [{family_ci(r)[0]:+.3f}, {family_ci(r)[1]:+.3f}]"
        for r in rows(scenario)[seat]
        if family_ci(r)[0] > 0 and r["d_score"] >= MIN_POINTS
    ]
    assert not winners, f"{scenario}: at {seat} these beat the bot: " + "; ".join(winners)
