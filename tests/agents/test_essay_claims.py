"""The model must say what the essay says: six claims, each a Monte Carlo comparison.

Every comparison runs a few hundred seeded bot games per arm and asserts that the 95%
intervals of the two arms are apart in the claimed direction (or, for "wears away",
that they overlap where the claim says the benefit is gone).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable

from agents.analysis.sweep import sweep
from agents.model import RaceModel
from rules.actions import LabOrder, StateOrder, WhistleblowerOrder
from rules.scenario import load_scenario
from rules.world import Oversight

RUNS = 300


def mean_ci(xs: list[float]) -> tuple[float, float, float]:
    m = statistics.fmean(xs)
    half = 1.96 * statistics.stdev(xs) / math.sqrt(len(xs))
    return m - half, m, m + half


def p_rogue(
    overrides: dict[str, str], scenario: str = "baseline", runs: int = RUNS
) -> tuple[float, float, float]:
    row = sweep(scenario, runs, overrides, jobs=2)[0]
    lo, hi = row["ci"]
    return lo, row["p_disaster"], hi


def run_games(
    n: int,
    overrides: dict[str, str],
    each_turn: Callable[[RaceModel], None] | None = None,
    turns: int | None = None,
    measure: Callable[[RaceModel], float] | None = None,
) -> list[float]:
    sc = load_scenario("baseline", overrides)
    out = []
    for seed in range(n):
        m = RaceModel(sc, seed, collect=False)
        while not m.done and (turns is None or m.turn < turns):
            if each_turn:
                each_turn(m)
            m.step()
        assert measure is not None
        out.append(measure(m))
    return out


NO_OVERSIGHT = {
    "states.us.oversight": "0",
    "dynamics.scandal_threshold": "1.0",
    "dynamics.election_threshold": "1.0",
}
EMBEDDED = {
    "states.us.oversight": "3",
    "dynamics.scandal_threshold": "1.0",
    "dynamics.election_threshold": "1.0",
}


def test_claim1_embedded_officials_with_brakes_lower_rogue_odds_and_career_pressure_wears_it_away():
    none = p_rogue(NO_OVERSIGHT)
    embedded = p_rogue(EMBEDDED)
    pressured = p_rogue(EMBEDDED | {"officials.us-official.career_pressure": "1.0"})
    assert embedded[2] < none[0], (embedded, none)
    assert pressured[0] > embedded[2], (pressured, embedded)
    # the benefit is gone: under full career pressure the odds are back near no oversight
    assert pressured[2] > none[0], (pressured, none)


def _speak_out(role: str, turn: int) -> Callable[[RaceModel], None]:
    def act(m: RaceModel) -> None:
        if m.turn == turn:
            m.submit(role, WhistleblowerOrder(action="speak_out"))

    return act


def test_claim2_speaking_out_moves_a_democracy_and_gets_punished_in_the_one_party_state():
    # democracy: concern right after a public leak vs staying silent
    quiet = {"dynamics.scandal_threshold": "1.0"}
    silent = run_games(RUNS // 2, quiet, None, 3, lambda m: m.world.states["us"].public_concern)
    leak = run_games(
        RUNS // 2, quiet, _speak_out("us-wb", 2), 3, lambda m: m.world.states["us"].public_concern
    )
    assert mean_ci(leak)[0] > mean_ci(silent)[2]
    # ... and the chance of an oversight committee (default scandal threshold)
    committee = lambda m: float(m.world.states["us"].oversight >= Oversight.COMMITTEE)  # noqa: E731
    base = run_games(RUNS // 2, {}, None, 4, committee)
    leaked = run_games(RUNS // 2, {}, _speak_out("us-wb", 2), 4, committee)
    assert mean_ci(leaked)[0] > mean_ci(base)[2]
    # one-party state: the leaker is punished every time and concern barely moves
    punished = run_games(
        RUNS // 2,
        {},
        _speak_out("cn-wb", 2),
        3,
        lambda m: float(m.world.whistleblowers["cn-wb"].status == "punished"),
    )
    assert min(punished) == 1.0
    cn_silent = run_games(RUNS // 2, {}, None, 3, lambda m: m.world.states["cn"].public_concern)
    cn_leak = run_games(
        RUNS // 2, {}, _speak_out("cn-wb", 2), 3, lambda m: m.world.states["cn"].public_concern
    )
    us_shift = statistics.fmean(leak) - statistics.fmean(silent)
    cn_shift = statistics.fmean(cn_leak) - statistics.fmean(cn_silent)
    assert cn_shift < us_shift / 4


def test_claim2b_speaking_up_works_only_when_the_channel_is_open():
    def speak_up(m: RaceModel) -> None:
        if m.turn in (6, 8, 10) and m.world.whistleblowers["cn-wb"].status == "employed":
            m.submit("cn-wb", WhistleblowerOrder(action="speak_up"))

    heard = lambda m: float(sum(r.source == "cn-wb" for r in m.world.states["cn"].reports))  # noqa: E731
    risk = lambda m: m.world.labs["cn-lab"].misalignment  # noqa: E731
    closed = {"states.cn.channel_open": "false"}
    opened = {"states.cn.channel_open": "true"}
    assert max(run_games(RUNS // 3, closed, speak_up, 11, heard)) == 0.0
    assert min(run_games(RUNS // 3, opened, speak_up, 11, heard)) >= 1.0
    # and being heard fixes something: the lab's hidden misalignment ends lower
    assert (
        mean_ci(run_games(RUNS // 3, opened, speak_up, 11, risk))[2]
        < mean_ci(run_games(RUNS // 3, closed, speak_up, 11, risk))[0]
    )


def _hold(
    role: str, order: object, from_turn: int = 0, to_turn: int = 99
) -> Callable[[RaceModel], None]:
    def act(m: RaceModel) -> None:
        if from_turn <= m.turn < to_turn:
            m.submit(role, order)  # type: ignore[arg-type]

    return act


def test_claim3_worker_protection_cuts_revenue_and_slows_capability():
    def revenue(m: RaceModel) -> float:
        return m.world.labs["us-lab"].revenue

    def capability(m: RaceModel) -> float:
        return m.world.labs["us-lab"].capability

    low = _hold("us", StateOrder(worker_protection=0.0))
    high = _hold("us", StateOrder(worker_protection=0.9))
    r_low = run_games(RUNS // 3, {}, low, 10, revenue)
    r_high = run_games(RUNS // 3, {}, high, 10, revenue)
    c_low = run_games(RUNS // 3, {}, low, 10, capability)
    c_high = run_games(RUNS // 3, {}, high, 10, capability)
    assert mean_ci(r_high)[2] < mean_ci(r_low)[0]
    assert mean_ci(c_high)[2] < mean_ci(c_low)[0]


def test_claim4_export_controls_slow_the_follower_and_distillation_ties_it_to_the_leader():
    def follower(m: RaceModel) -> float:
        return m.world.labs["cn-lab"].capability

    free = run_games(RUNS // 3, {}, _hold("us", StateOrder(export_controls=0.0)), 12, follower)
    banned = run_games(RUNS // 3, {}, _hold("us", StateOrder(export_controls=1.0)), 12, follower)
    assert mean_ci(banned)[2] < mean_ci(free)[0]

    # a leader's pause slows a distilling follower: gain over turns 4..10
    def gain(m: RaceModel) -> float:
        return m.world.labs["cn-lab"].capability

    def both(pause: bool) -> Callable[[RaceModel], None]:
        def act(m: RaceModel) -> None:
            m.submit("cn-lab", LabOrder(distil=True))
            if 4 <= m.turn < 10:
                m.submit("us-lab", LabOrder(pause=pause))

        return act

    running = run_games(RUNS // 3, {}, both(False), 10, gain)
    paused = run_games(RUNS // 3, {}, both(True), 10, gain)
    assert mean_ci(paused)[2] < mean_ci(running)[0]


def test_claim5_hawkishness_means_less_safety_and_more_disaster():
    def safety(m: RaceModel) -> float:
        return m.world.labs["us-lab"].safety_share

    dove = {"states.us.hawkishness": "0.1", "states.cn.hawkishness": "0.1"}
    hawk = {"states.us.hawkishness": "1.0", "states.cn.hawkishness": "1.0"}
    s_dove = run_games(RUNS // 3, dove, None, 8, safety)
    s_hawk = run_games(RUNS // 3, hawk, None, 8, safety)
    assert mean_ci(s_hawk)[2] < mean_ci(s_dove)[0]
    p_dove = p_rogue(dove, runs=700)
    p_hawk = p_rogue(hawk, runs=700)
    assert p_hawk[0] > p_dove[2], (p_hawk, p_dove)


def test_claim6_censorship_switch_lowers_detection_in_censorship_trained_labs():
    def detection(m: RaceModel) -> float:
        lab = m.world.labs["cn-lab"]
        return lab.signal / max(lab.misalignment, 1e-6)

    off = run_games(RUNS // 3, {}, None, 14, detection)
    on = run_games(RUNS // 3, {"dynamics.censorship_deception": "true"}, None, 14, detection)
    assert mean_ci(on)[2] < mean_ci(off)[0]

    # ... and only there: the uncensored US lab's detection does not change
    def us_detection(m: RaceModel) -> float:
        lab = m.world.labs["us-lab"]
        return lab.deception

    assert run_games(40, {}, None, 14, us_detection) == run_games(
        40, {"dynamics.censorship_deception": "true"}, None, 14, us_detection
    )
