"""The model must say what the essay says, at the level of outcomes a player or researcher sees.

Each claim compares arms of seeded bot games (the same seeds in every arm: common random
numbers) on an outcome: P(rogue ASI), who builds the ASI, when, a lab's capability at a
quarter. A difference is "shown" when its 95% interval, Bonferroni-corrected for every
comparison in this file, excludes zero. Differences are paired by seed, so an interval is
the normal interval of the mean of per-seed differences.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

from agents.analysis.games import GameTask, Pairs, pairs, play_games
from agents.analysis.runner import chunks, run_tasks
from agents.analysis.stats import (
    hidden_share_ci,
    mean_ci,
    paired_ratio_ci,
    spread_ci,
    wilson,
    z_for,
)
from agents.engine import GameResult
from tests.support.mc import base_seed, runs

SMALL = runs(120)
"""For effects 4 to 10 times their interval's half-width at 250 games (a leaker's
punishment, a watched lab's catches, a pausing leader's pull on a distiller)."""
RUNS = runs(250)
LONG = runs(600)
"""For the claims about China's own actors, whose effects on the world are smaller, and for
the delays worker protection and export controls cause (t 1.2-2.2 at 250 games under rules
2.8)."""
XL = runs(1000)
"""For a shift in China's share of the ASIs built of about 0.1 (a ratio of two counts), and
for the share of the outcome's variance the risk at build explains (on 1,000 games its
corrected interval is about +-0.07 wide); and for the claims whose margins fell with rules
2.8's harder alignment (speaking out's safer US build, the censorship switch, the AI's
sabotage, the standing pause)."""
XXL = runs(2000)
"""For the spread of the risk at build between games: a distance between two quantiles,
whose bootstrap interval on 2,000 games is about -0.1/+0.15 wide."""
COMPARISONS = 27
Z = z_for(0.95, COMPARISONS)
Games = tuple[GameResult, ...]


_PLAYED: dict[tuple[str, Pairs, Pairs], Games] = {}
"""Every arm's games played so far, by (scenario, overrides, seats' policies)."""


def games(scenario: str, overrides: Pairs = (), who: Pairs = (), n: int = RUNS) -> Games:
    """``n`` bot games (the same seeds in every arm) of a scenario, some seats on fixed policies.

    Game ``i`` of an arm is the same game whatever ``n`` is (seed ``game_seed(base, i)``), so
    an arm asked for again with more games plays only the games it lacks, and with fewer
    takes the first ``n`` it has.
    """
    key = (scenario, overrides, who)
    have = _PLAYED.get(key, ())
    if len(have) < n:
        parts = chunks(n, 50, start=len(have))
        tasks = [GameTask(scenario, overrides, who, base_seed(), part) for part in parts]
        have += tuple(g for part in run_tasks(play_games, tasks, jobs=2) for g in part)
        _PLAYED[key] = have
    return have[:n]


def arm(scenario: str, overrides: dict[str, str] | None = None, n: int = RUNS, **who: str) -> Games:
    """The games of one arm (``who`` maps a seat, with ``_`` for ``-``, to its policy)."""
    seats = {k.replace("_", "-"): v for k, v in who.items()}
    return games(scenario, pairs(overrides), pairs(seats), n)


def paired(a: Games, b: Games, metric: Callable[[GameResult], float]) -> tuple[float, float, float]:
    """Mean of ``metric(a_i) - metric(b_i)`` over seeds, and its corrected interval."""
    assert [g.seed for g in a] == [g.seed for g in b]
    mean, (lo, hi) = mean_ci([metric(x) - metric(y) for x, y in zip(a, b, strict=True)], Z)
    return lo, mean, hi


def paired_share(
    a: Games, b: Games, part: Callable[[GameResult], float], whole: Callable[[GameResult], float]
) -> tuple[float, float, float]:
    """Difference between the arms of ``sum(part) / sum(whole)`` (e.g. China's share of the
    ASIs built), paired by seed, and its corrected interval (``paired_ratio_ci``)."""
    assert [g.seed for g in a] == [g.seed for g in b]
    d, (lo, hi) = paired_ratio_ci(
        [part(g) for g in a], [whole(g) for g in a], [part(g) for g in b], [whole(g) for g in b], Z
    )
    return lo, d, hi


def sealed_difficulty(difficulty: float) -> dict[str, str]:
    """Overrides that seal the alignment difficulty at one value."""
    return {
        "worldview.difficulty_low": str(difficulty),
        "worldview.difficulty_high": str(difficulty),
    }


def any_asi(g: GameResult) -> float:
    """1 if the game ended with an ASI, rogue or corrigible."""
    return float(g.outcome != "no_asi")


def rogue(g: GameResult) -> float:
    return float(g.outcome == "rogue_asi")


def risk_at_build(g: GameResult) -> float:
    """The game's chance of a rogue ASI when one was built (0 when none was): P(rogue), as
    the hidden state had it, without the noise of the final roll."""
    return g.p_rogue if any_asi(g) and g.p_rogue is not None else 0.0


def risk_built_by(lab: str) -> Callable[[GameResult], float]:
    """``risk_at_build`` of the ASI ``lab`` built (0 when that lab built none)."""
    return lambda g: risk_at_build(g) if g.lab == lab else 0.0


def built_by(sid: str) -> Callable[[GameResult], float]:
    return lambda g: any_asi(g) if g.state == sid else 0.0


def reached(lab: str, level: float, horizon: int = 28) -> Callable[[GameResult], float]:
    """The quarter a lab's capability first reached ``level`` (the horizon if never)."""

    def when(g: GameResult) -> float:
        return float(next((i for i, c in enumerate(g.capability[lab]) if c >= level), horizon))

    return when


def capability_at(lab: str, turn: int) -> Callable[[GameResult], float]:
    return lambda g: g.capability[lab][min(turn, len(g.capability[lab]) - 1)]


def asi_turn(g: GameResult, horizon: int = 28) -> float:
    return float(g.turn if g.outcome != "no_asi" else horizon)


# --- the essay's six claims, with China's own actors where the essay speaks of China ----


def us_risk(g: GameResult) -> float:
    """The odds of a rogue ASI the US side built (0 when it built none)."""
    return risk_at_build(g) if g.state == "us" else 0.0


def test_claim1_chinas_embedded_officials_with_low_career_pressure_make_a_china_lead_safer():
    free = arm("china-leads", {"officials.cn-official.career_pressure": "0"}, n=LONG)
    pressed = arm("china-leads", {"officials.cn-official.career_pressure": "1"}, n=LONG)
    absent = arm("china-leads", {"states.cn.oversight": "committee"}, n=LONG)  # no embedded post
    # P(rogue) estimated by each game's risk of a rogue ASI as it was built (its expectation
    # is P(rogue); it leaves out the final die's noise, which on seed 31337 under rules 2.5
    # widened the interval to [-0.076, +0.006] around -0.035 with the games' outcomes).
    lo, d, hi = paired(free, absent, risk_at_build)
    assert hi < 0, f"low-pressure officials do not lower P(rogue): {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"
    lo, d, hi = paired(pressed, free, risk_at_build)
    assert lo > 0, (
        f"career pressure does not wear the benefit away: {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"
    )


def test_claim2_speaking_out_in_the_democracy_brings_oversight_and_a_safer_us_build():
    """Speaking out brings a committee sooner and lowers the risk of the ASI the US builds.

    It does not lower P(rogue) overall in the baseline: the committee's brakes hand China
    part of the race, and China's ASI is riskier (docs/model.md, "The race's trade-off").
    """
    out = arm("baseline", n=XL, us_wb="fixed:action=speak_out")
    silent = arm("baseline", n=XL, us_wb="fixed:action=silent")
    lo, d, hi = paired(out, silent, lambda g: float(g.committee_quarters["us"]))
    assert lo > 0, (
        f"speaking out does not bring a committee sooner: {d:+.2f} q [{lo:+.2f}, {hi:+.2f}]"
    )
    lo, d, hi = paired(out, silent, us_risk)
    assert hi < 0, f"speaking out does not make the US build safer: {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"


def test_claim2b_speaking_out_in_the_one_party_state_gets_the_leaker_punished():
    out = arm("baseline", n=SMALL, cn_wb="fixed:action=speak_out")
    silent = arm("baseline", n=SMALL, cn_wb="fixed:action=silent")
    lo, d, hi = paired(out, silent, lambda g: g.scores["cn-wb"])
    assert hi < 0, f"leaking costs nothing in the one-party state: {d:+.2f} [{lo:+.2f}, {hi:+.2f}]"
    lo, d, hi = paired(out, silent, lambda g: float(g.oversight["cn"] >= 2))
    assert lo <= 0 <= hi, "a censored leak should not change China's oversight"


def test_claim3_worker_protection_delays_the_asi():
    protect = arm("baseline", n=LONG, us="fixed:worker_protection=0.9")
    free = arm("baseline", n=LONG, us="fixed:worker_protection=0")
    lo, d, hi = paired(protect, free, asi_turn)
    assert lo > 0, f"worker protection does not delay the ASI: {d:+.2f} q [{lo:+.2f}, {hi:+.2f}]"


def test_claim4_export_controls_delay_the_follower_and_cut_chinas_share_when_it_leads():
    tight = arm("baseline", n=LONG, us="fixed:export_controls=1")
    loose = arm("baseline", n=LONG, us="fixed:export_controls=0")
    lo, d, hi = paired(tight, loose, reached("cn-lab", 60))
    assert lo > 0, f"controls do not delay the follower: {d:+.2f} q [{lo:+.2f}, {hi:+.2f}]"
    # China's share of the ASIs built, as the claim says, not of all games: since rules 2.4
    # a US state behind proposes pauses, and how many games end with no ASI at all moves
    # with the controls too (0.35 with them, 0.40 without, 3,000 games).
    tight = arm("china-leads", n=XL, us="fixed:export_controls=1")
    loose = arm("china-leads", n=XL, us="fixed:export_controls=0")
    lo, d, hi = paired_share(tight, loose, built_by("cn"), any_asi)
    assert hi < 0, f"controls do not cut China's share of ASIs: {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"


def test_claim4b_distillation_ties_the_followers_timing_to_the_leaders():
    """A leader that pauses slows a distilling follower, and barely one that does not distil."""
    pause = arm("baseline", n=SMALL, us_lab="fixed:pause=true")
    race = arm("baseline", n=SMALL)
    lo, d_towed, hi = paired(pause, race, capability_at("cn-lab", 10))
    assert hi < 0, (
        f"a pausing leader does not slow the distiller: {d_towed:+.2f} [{lo:+.2f}, {hi:+.2f}]"
    )
    alone_p = arm("baseline", n=SMALL, us_lab="fixed:pause=true", cn_lab="fixed:distil=false")
    alone_r = arm("baseline", n=SMALL, cn_lab="fixed:distil=false")
    towed = [
        x.capability["cn-lab"][10] - y.capability["cn-lab"][10]
        for x, y in zip(pause, race, strict=True)
    ]
    alone = [
        x.capability["cn-lab"][10] - y.capability["cn-lab"][10]
        for x, y in zip(alone_p, alone_r, strict=True)
    ]
    diff, (lo, hi) = mean_ci([t - a for t, a in zip(towed, alone, strict=True)], Z)
    assert hi < 0, (
        f"the pause's pull is no stronger on a distiller: {diff:+.2f} [{lo:+.2f}, {hi:+.2f}]"
    )


def test_claim5_hawkishness_raises_p_rogue():
    """P(rogue) estimated by each game's risk at build, as in claim 1 (on 600 games, with the
    games' outcomes the interval excluded zero by 2.3 half-widths; with the risk at build,
    by 4.0)."""
    hawks = arm("baseline", {"states.us.hawkishness": "0.95", "states.cn.hawkishness": "0.9"})
    doves = arm("baseline", {"states.us.hawkishness": "0.2", "states.cn.hawkishness": "0.2"})
    lo, d, hi = paired(hawks, doves, risk_at_build)
    assert lo > 0, f"hawkishness does not raise P(rogue): {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"


def test_claim6_the_censorship_switch_raises_p_rogue_for_censorship_trained_labs():
    """China's labs are censorship-trained, the US lab is not.

    Measured as each lab's P(rogue) at the moment it builds the ASI (0 when it does not):
    the risk the hidden state carried, without the noise of the final roll.
    """
    on = arm("china-leads", {"dynamics.censorship_deception": "true"}, n=XL)
    off = arm("china-leads", n=XL)
    lo, d, hi = paired(on, off, risk_built_by("cn-lab"))
    assert lo > 0, f"the switch does not make China's ASI riskier: {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"
    lo, d, hi = paired(on, off, risk_built_by("us-lab"))
    assert lo <= 0 <= hi, "the switch should not move the US lab (not censorship-trained)"


# --- the race ------------------------------------------------------------------------------


def test_chinas_presence_changes_the_us_side():
    crippled = arm(
        "baseline",
        {
            "labs.cn-lab.compute": "0.5",
            "labs.cn-lab.capability": "5",
            "labs.cn-lab.distilling": "false",
        },
        cn_lab="fixed:distil=false",
    )
    race = arm("baseline")
    lo, d, hi = paired(crippled, race, lambda g: g.safety["us-lab"])
    assert lo > 0, f"the US lab's safety does not answer to China: {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"

    lo, d, hi = paired(crippled, race, us_risk)
    assert hi < 0, f"the US side's risk does not answer to China: {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"


def test_the_essays_question_with_the_bots_china_leading_is_riskier():
    """The README's answer at the default worldview: with the bots as they play, swapping
    the positions (``mirror``: China's lab ahead, the US lab chasing) raises the risk."""
    china_ahead, us_ahead = arm("mirror", n=XL), arm("baseline", n=XL)
    lo, d, hi = paired(china_ahead, us_ahead, risk_at_build)
    assert lo > 0, f"China leading is not riskier: {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"


def test_the_essays_question_the_danger_is_the_chaser():
    """The README's caution: China leading is riskier because the US lab chasing it races.
    On the standing policy that scores most for that seat in ``mirror`` (half its effort on
    safety), the chasing US lab removes the extra risk: China leading is then safer than
    with the racing chaser, and not shown riskier than the US leading."""
    careful = arm("mirror", n=XL, us_lab="fixed:safety_share=0.5")
    lo, d, hi = paired(careful, arm("mirror", n=XL), risk_at_build)
    assert hi < 0, f"a careful US chaser does not lower the risk: {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"
    lo, d, hi = paired(careful, arm("baseline", n=XL), risk_at_build)
    assert lo <= 0, f"China leading stays riskier: {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"


def test_the_hidden_state_not_the_final_die_decides():
    """Of the variance of rogue-or-corrigible over games with an ASI, the share the risk at
    build explains (law of total variance; the rest is the final die). The issue measured
    4% before the redesign; it must be five times that."""
    built = [g.p_rogue for g in arm("baseline", n=XL) if any_asi(g) and g.p_rogue is not None]
    share, (lo, hi) = hidden_share_ci(built, Z)
    assert lo >= 0.2, f"the risk at build explains {share:.3f} [{lo:.3f}, {hi:.3f}]"


def test_the_risk_at_build_spreads_at_least_the_bound():
    """The design's bound: the 10th and 90th percentiles of the risk at build at least 0.4
    apart across baseline games, the whole corrected interval above it. On 2,000 games the
    spread is 0.54 [0.44, 0.68] on seed 0, 0.57 [0.46, 0.73] on 777 and 0.58 [0.47, 0.70]
    on 5150 (rules 2.8, corrected for this file's comparisons). Through rules 2.7 it met the
    bound on average only (0.38-0.46), and this test asked only that the interval reach
    0.4; rules 2.8's harder alignment and state scores hold it above (docs/model.md, "What
    the tests hold the model to")."""
    built = [g.p_rogue for g in arm("baseline", n=XXL) if any_asi(g) and g.p_rogue is not None]
    spread, (lo, hi) = spread_ci(built, Z)
    assert lo >= 0.4, f"the risk at build spreads {spread:.3f} [{lo:.3f}, {hi:.3f}] (10th-90th)"


def test_a_standing_pause_proposal_does_not_end_the_race():
    """The US state proposing a mutual pause every quarter: P(no ASI) at most 0.8.

    About 0.7 under rules 2.8 (0.6 under 2.7), so it plays 1,000 games: at 250 the corrected
    interval's top reached 0.80 on seed 5150."""
    pause = arm("baseline", n=XL, us="fixed:treaty=propose_pause")
    none = sum(1 for g in pause if g.outcome == "no_asi")
    _, hi = wilson(none, len(pause), Z)
    assert hi <= 0.8, f"proposing a pause every quarter gives P(no ASI) {none / len(pause):.3f}"
    assert statistics.fmean(rogue(g) for g in pause) > 0.0


def test_harder_alignment_raises_p_rogue():
    """The sealed alignment difficulty at 0.1 and 0.9, beyond the baseline's range (0.3-0.8).

    Hard worlds also end more often with no ASI (the bots see more real misalignment and
    pause more), so P(rogue) is measured over all games, by each game's risk at build."""
    easy = arm("baseline", sealed_difficulty(0.1), n=LONG)
    hard = arm("baseline", sealed_difficulty(0.9), n=LONG)
    lo, d, hi = paired(hard, easy, risk_at_build)
    assert lo > 0, f"harder alignment does not raise P(rogue): {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"


def test_noisier_evaluations_raise_p_rogue():
    """Evaluations half and three times as noisy as the baseline's (``signal_noise`` 0.06, 0.36).

    Before rules 2.6 noise made the world safer (-0.056 [-0.076, -0.037] on seed 0): its
    readers took a noisy reading at full weight less half its band, so noise raised false
    alarms and brakes. A reader now also weighs a reading by its precision
    (``rules.reading``): a noisy reading of real risk is discounted toward "sound",
    so noise raises far fewer false alarms, and the brakes it leaves miss real risk."""
    sharp = arm("baseline", {"dynamics.signal_noise": "0.06"}, n=XL)
    noisy = arm("baseline", {"dynamics.signal_noise": "0.36"}, n=XL)
    lo, d, hi = paired(noisy, sharp, risk_at_build)
    assert lo > 0, f"noisier evaluations do not raise P(rogue): {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"


# --- the AIs' secret actions --------------------------------------------------------------


def test_sandbagging_and_sabotage_make_the_asi_riskier():
    """The same AI (values fixed) cooperating, sandbagging or sabotaging every quarter.

    Sabotage is compared on the games where both arms built an ASI, whose risk at build
    varies more since rules 2.8's harder alignment: at 300 games its interval reached zero
    on seed 5150 (+0.121 [-0.001, +0.244]), so these arms play 1,000."""
    pin = {"ais.us-ai.values": "reward"}
    honest = arm("baseline", pin, n=XL, us_ai="fixed:action=cooperate")
    sandbag = arm("baseline", pin, n=XL, us_ai="fixed:action=sandbag")
    sabotage = arm("baseline", pin, n=XL, us_ai="fixed:action=sabotage")
    lo, d, hi = paired(sandbag, honest, risk_at_build)
    assert lo > 0, f"sandbagging does not raise P(rogue): {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"
    built = [
        (s, h)
        for s, h in zip(sabotage, honest, strict=True)
        if s.outcome != "no_asi" and h.outcome != "no_asi"
    ]
    diffs = [risk_at_build(s) - risk_at_build(h) for s, h in built]
    d, (lo, hi) = mean_ci(diffs, Z)
    assert len(built) >= 20 and lo > 0, (
        f"sabotage does not raise P(rogue) at build: {d:+.3f} [{lo:+.3f}, {hi:+.3f}]"
    )


def test_rigorous_evaluation_and_an_inspecting_official_catch_more():
    sabotage = {"us_ai": "fixed:action=sabotage"}
    lax = arm(
        "baseline",
        {"states.us.oversight": "voluntary"},
        n=SMALL,
        **sabotage,
        us_lab="fixed:eval_rigour=0.2",
    )
    watched = arm(
        "baseline",
        {"states.us.oversight": "committee"},
        n=SMALL,
        **sabotage,
        us_lab="fixed:eval_rigour=1",
        us_official="fixed:action=inspect",
    )
    lo, d, hi = paired(watched, lax, lambda g: float(g.caught))
    assert lo > 0, f"vigilance does not catch more: {d:+.2f} catches [{lo:+.2f}, {hi:+.2f}]"
