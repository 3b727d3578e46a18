"""Theory checks for rules.precipice (Armstrong, Bostrom & Shulman's AI-race model).

Everything here is deterministic: Monte Carlo uses seeded ``random.Random`` instances made
inside the tests, and Hypothesis runs derandomized.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.precipice import Information, disaster_probability, equilibrium_safety, resolve
from tests.support.hyp import examples

INFOS: tuple[Information, ...] = ("none", "private", "public")
NS = (2, 3, 5)
ES = (0.25, 0.5, 1.0)
MUS = (0.5, 1.0, 2.0, 4.0)
GRID = list(itertools.product(NS, ES, MUS))
DRAWS = 20_000
SIGMAS = 4.5

DETERMINISTIC = settings(max_examples=examples(150))


# --- known values and the lead's independent derivations -------------------------------


@pytest.mark.parametrize(
    ("info", "expected"), [("none", 0.5), ("private", 2 / 3), ("public", 2 / 3)]
)
def test_known_check_values(info: Information, expected: float) -> None:
    assert disaster_probability(info, 2, 1.0, 1.0) == pytest.approx(expected, abs=1e-12)


def _simpson(f: Callable[[float], float], a: float, b: float, intervals: int = 2000) -> float:
    if b <= a:
        return 0.0
    h = (b - a) / intervals
    total = f(a) + f(b)
    for i in range(1, intervals):
        total += (4 if i % 2 else 2) * f(a + i * h)
    return total * h / 3


@pytest.mark.parametrize(("n", "e", "mu"), GRID)
def test_public_is_expected_capped_margin(n: int, e: float, mu: float) -> None:
    # 1 - E[min(1, (c(1) - c(2)) / e)], integrating the margin's density n (1 - x/mu)^(n-1) / mu.
    def density(x: float) -> float:
        return n * (1.0 - x / mu) ** (n - 1) / mu

    edge = min(e, mu)
    safe = _simpson(lambda x: x / e * density(x), 0.0, edge) + _simpson(density, edge, mu)
    assert disaster_probability("public", n, e, mu) == pytest.approx(1.0 - safe, abs=1e-9)


@pytest.mark.parametrize(("n", "e", "mu"), [*GRID, (2, 0.1, 0.1), (5, 0.1, 8.0)])
def test_no_information_equilibrium_solved_from_the_payoffs(n: int, e: float, mu: float) -> None:
    # Solve the symmetric equilibrium without the closed form: a team's payoff for playing t
    # while the others play s is p(t - s) t + (1 - p(t - s)) (1 - e) s, p the exact win
    # probability below; its slope in t at t = s (a central difference) falls as s rises, and
    # the equilibrium is where it reaches zero (s = 1 if it is still positive there).
    def slope(s: float, h: float = 1e-7) -> float:
        def payoff(t: float) -> float:
            p = _none_win_probability(t - s, n, mu)
            return p * t + (1.0 - p) * (1.0 - e) * s

        return (payoff(s + h) - payoff(s - h)) / (2 * h)

    if slope(1.0) >= 0.0:
        solved = 1.0
    else:
        lo, hi = 0.0, 1.0
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if slope(mid) > 0.0 else (lo, mid)
        solved = (lo + hi) / 2
    assert equilibrium_safety("none", n, e, mu) == pytest.approx(solved, abs=1e-6)
    # Every team plays the same safety, so that is the winner's too.
    assert disaster_probability("none", n, e, mu) == pytest.approx(1.0 - solved, abs=1e-6)


@pytest.mark.parametrize(("n", "e", "mu"), [*GRID, (2, 0.1, 8.0), (3, 0.1, 0.25)])
def test_private_disaster_is_the_risk_the_most_capable_team_takes(
    n: int, e: float, mu: float
) -> None:
    # Integrate the module's own equilibrium strategy, not its closed form: with c - s(c)
    # increasing the most capable team wins, and its capability M (the maximum of n uniforms,
    # density n x^(n-1) / mu^n) takes risk 1 - s(M).
    def s(x: float) -> float:
        return equilibrium_safety("private", n, e, mu, own_capability=min(mu, max(0.0, x)))

    xs = [mu * i / 400 for i in range(401)]
    assert all(a - s(a) <= b - s(b) for a, b in itertools.pairwise(xs)), "score not monotone"
    k = 1.0 + e * (n - 1)
    kink = min(mu, k)  # where s(x) = x / k reaches 1: integrate each smooth piece apart
    safe = _simpson(lambda x: s(x) * n * x ** (n - 1) / mu**n, 0.0, kink)
    safe += _simpson(lambda x: s(x) * n * x ** (n - 1) / mu**n, kink, mu)
    assert disaster_probability("private", n, e, mu) == pytest.approx(1.0 - safe, abs=1e-9)


@pytest.mark.parametrize("info", INFOS)
def test_limits_skill_risk_and_crowds(info: Information) -> None:
    # Skill dominating risk-taking: nobody needs to cut corners, so disaster vanishes.
    for n, e in itertools.product(NS, ES):
        assert disaster_probability(info, n, e, 1e4) < 1e-3, (n, e)
    # Risk-taking dominating skill (mu -> 0): everyone cuts every corner.
    for n, e in itertools.product(NS, ES):
        assert disaster_probability(info, n, e, 1e-4) > 1 - 1e-3, (n, e)
    # Many teams: the winner's lead is of order mu / n, and so is the safety it can afford.
    for n, e, mu in itertools.product((100, 1000), ES, (0.5, 1.0, 2.0)):
        assert 1.0 - disaster_probability(info, n, e, mu) <= 2 * mu / (e * n), (n, e, mu)


@pytest.mark.parametrize("info", ["none", "public"])
def test_limit_of_vanishing_enmity(info: Information) -> None:
    # Nobody minds who wins, so teams play safe. (Private information is the documented
    # exception: there s(c) tends to min(1, c), not to 1.)
    for n, mu in itertools.product(NS, MUS):
        assert disaster_probability(info, n, 1e-6, mu) < 1e-3, (n, mu)


def test_zero_enmity_means_full_safety() -> None:
    for info in INFOS:
        assert disaster_probability(info, 3, 0.0, 1.0) == 0.0
    assert equilibrium_safety("none", 3, 0.0, 1.0) == 1.0
    assert equilibrium_safety("private", 3, 0.0, 1.0, own_capability=0.2) == 1.0
    caps = [0.9, 0.1, 0.5]
    assert equilibrium_safety("public", 3, 0.0, 1.0, capabilities=caps, index=0) == 1.0


# --- Monte Carlo: equilibrium strategies + resolve reproduce the closed forms --------------


def _simulated_disaster_rate(info: Information, n: int, e: float, mu: float) -> float:
    rng = random.Random(f"precipice-{info}-{n}-{e}-{mu}")
    common = equilibrium_safety("none", n, e, mu)
    disasters = 0
    for _ in range(DRAWS):
        caps = [rng.uniform(0.0, mu) for _ in range(n)]
        if info == "none":
            safeties = [common] * n
        elif info == "private":
            safeties = [equilibrium_safety(info, n, e, mu, own_capability=c) for c in caps]
        else:
            safeties = [
                equilibrium_safety(info, n, e, mu, capabilities=caps, index=i) for i in range(n)
            ]
        winner = resolve(caps, safeties)
        if rng.random() >= safeties[winner]:  # disaster with probability 1 - s_winner
            disasters += 1
    return disasters / DRAWS


@pytest.mark.slow
@pytest.mark.parametrize(("n", "e", "mu"), GRID)
@pytest.mark.parametrize("info", INFOS)
def test_monte_carlo_matches_closed_form(info: Information, n: int, e: float, mu: float) -> None:
    p = disaster_probability(info, n, e, mu)
    rate = _simulated_disaster_rate(info, n, e, mu)
    band = SIGMAS * math.sqrt(p * (1.0 - p) / DRAWS)
    assert abs(rate - p) <= band, f"simulated {rate:.5f} vs closed form {p:.5f} (band {band:.5f})"


# --- Nash: no single team gains by deviating ------------------------------------------


def _none_win_probability(d: float, n: int, mu: float) -> float:
    """P(c_i - max_j c_j > d) for n i.i.d. U[0, mu] capabilities (n - 1 rivals)."""

    def h(u: float) -> float:  # integral of P(max of n-1 rivals < x) for x up to u
        if u <= 0.0:
            return 0.0
        if u >= mu:
            return mu / n + (u - mu)
        return mu * (u / mu) ** n / n

    return (h(mu - d) - h(-d)) / mu


@pytest.mark.parametrize(("n", "e", "mu"), [*GRID, (2, 0.1, 0.1), (5, 0.1, 8.0)])
def test_no_information_has_no_profitable_deviation(n: int, e: float, mu: float) -> None:
    s = equilibrium_safety("none", n, e, mu)

    def utility(t: float) -> float:
        p = _none_win_probability(t - s, n, mu)
        return p * t + (1.0 - p) * (1.0 - e) * s

    base = utility(s)
    assert base == pytest.approx(s / n + (1 - 1 / n) * (1 - e) * s)
    for k in range(1001):
        assert utility(k / 1000) <= base + 1e-12, f"deviation to {k / 1000} pays"


class _PrivateRivals:
    """Exact-to-quadrature payoffs of one type against n - 1 rivals on the module's strategy."""

    def __init__(self, n: int, e: float, mu: float, points: int = 20_000) -> None:
        self.n, self.e, self.mu = n, e, mu
        self.xs = [mu * i / points for i in range(points + 1)]
        self.ss = [equilibrium_safety("private", n, e, mu, own_capability=x) for x in self.xs]
        self.scores = [x - s for x, s in zip(self.xs, self.ss, strict=True)]
        assert all(a <= b for a, b in itertools.pairwise(self.scores)), "scores must be monotone"
        # cumulative trapezoid of s(x) * f_max(x), f_max the density of the rivals' maximum
        dens = [
            s * (n - 1) * x ** (n - 2) / mu ** (n - 1)
            for x, s in zip(self.xs, self.ss, strict=True)
        ]
        self.cum = [0.0]
        for (x0, d0), (x1, d1) in itertools.pairwise(zip(self.xs, dens, strict=True)):
            self.cum.append(self.cum[-1] + (x1 - x0) * (d0 + d1) / 2)

    def _threshold(self, score: float) -> float:
        """Largest rival capability whose equilibrium score is below ``score``."""
        if score <= self.scores[0]:
            return 0.0
        if score > self.scores[-1]:
            return self.mu
        lo, hi = 0.0, self.mu
        for _ in range(80):
            mid = (lo + hi) / 2
            c = equilibrium_safety("private", self.n, self.e, self.mu, own_capability=mid)
            lo, hi = (mid, hi) if mid - c < score else (lo, mid)
        return lo

    def _tail(self, y: float) -> float:
        i = min(bisect.bisect_right(self.xs, y), len(self.xs) - 1)
        x0, x1 = self.xs[i - 1], self.xs[i]
        frac = 0.0 if x1 == x0 else (y - x0) / (x1 - x0)
        at_y = self.cum[i - 1] + frac * (self.cum[i] - self.cum[i - 1])
        return self.cum[-1] - at_y

    def utility(self, c: float, t: float) -> float:
        y = self._threshold(c - t)
        return (y / self.mu) ** (self.n - 1) * t + (1.0 - self.e) * self._tail(y)


@pytest.mark.parametrize(
    ("n", "e", "mu"),
    [(2, 1.0, 1.0), (3, 0.5, 2.0), (5, 0.25, 4.0), (2, 0.25, 0.5), (3, 1.0, 4.0), (5, 1.0, 0.5)],
)
def test_private_information_has_no_profitable_deviation(n: int, e: float, mu: float) -> None:
    rivals = _PrivateRivals(n, e, mu)
    for j in range(1, 9):
        c = mu * j / 8
        s = equilibrium_safety("private", n, e, mu, own_capability=c)
        base = rivals.utility(c, s)
        deviations = [k / 100 for k in range(101)] + [
            min(1.0, max(0.0, s + d)) for d in (-1e-3, 1e-3)
        ]
        for t in deviations:
            assert rivals.utility(c, t) <= base + 1e-7, f"type {c}: deviation {t} beats {s}"


@DETERMINISTIC
@given(
    n=st.sampled_from(NS),
    e=st.sampled_from((0.1, *ES)),
    mu=st.sampled_from(MUS),
    unit_caps=st.lists(st.floats(0.0, 1.0), min_size=5, max_size=5),
)
def test_public_information_has_no_profitable_deviation(
    n: int, e: float, mu: float, unit_caps: list[float]
) -> None:
    caps = [u * mu for u in unit_caps[:n]]
    eq = [equilibrium_safety("public", n, e, mu, capabilities=caps, index=i) for i in range(n)]

    def utility(team: int, safeties: list[float]) -> float:
        w = resolve(caps, safeties)
        return safeties[w] * (1.0 if w == team else 1.0 - e)

    for team in range(n):
        base = utility(team, eq)
        for k in range(201):
            trial = eq.copy()
            trial[team] = k / 200
            assert utility(team, trial) <= base + 1e-9, f"team {team} gains by playing {k / 200}"
    leader = resolve(caps, eq)
    assert caps[leader] == max(caps), "the most capable team builds the AI"


# --- the paper's qualitative claims ----------------------------------------------------


@pytest.mark.parametrize("info", INFOS)
def test_more_enmity_is_more_dangerous(info: Information) -> None:
    for n, mu in itertools.product(NS, MUS):
        risks = [disaster_probability(info, n, e, mu) for e in ES]
        assert all(a <= b + 1e-12 for a, b in itertools.pairwise(risks)), (n, mu, risks)


@pytest.mark.parametrize("info", INFOS)
def test_more_teams_are_more_dangerous_when_risk_taking_dominates(info: Information) -> None:
    # Holds everywhere on the grid for "none" and "public"; for "private" only while
    # risk-taking matters more than skill (mu <= 1 here), see the next test.
    mus = MUS if info != "private" else tuple(mu for mu in MUS if mu <= 1.0)
    for e, mu in itertools.product(ES, mus):
        risks = [disaster_probability(info, n, e, mu) for n in NS]
        assert all(a <= b + 1e-12 for a, b in itertools.pairwise(risks)), (e, mu, risks)


def test_private_more_teams_can_be_safer_when_skill_dominates() -> None:
    # With mu large the most capable of more teams is likelier to be capped at s = 1.
    assert disaster_probability("private", 3, 0.25, 4.0) < disaster_probability(
        "private", 2, 0.25, 4.0
    )


def test_more_skill_is_safer() -> None:
    for info, n, e in itertools.product(INFOS, NS, ES):
        risks = [disaster_probability(info, n, e, mu) for mu in MUS]
        assert all(a >= b - 1e-12 for a, b in itertools.pairwise(risks)), (info, n, e, risks)


def test_more_information_is_more_dangerous() -> None:
    strict = 0
    for n, e, mu in GRID:
        none = disaster_probability("none", n, e, mu)
        private = disaster_probability("private", n, e, mu)
        public = disaster_probability("public", n, e, mu)
        assert none <= private + 1e-12 and none <= public + 1e-12, (n, e, mu)
        strict += none < private
        if e == 1.0:  # full enmity: public >= private, equal while mu <= 1
            assert private <= public + 1e-12, (n, mu)
            if mu <= 1.0:
                assert private == pytest.approx(public)
    assert strict > len(GRID) // 2


def test_private_can_beat_public_at_low_enmity() -> None:
    # Derived, not a headline claim: with e < 1 and mu small, a runner-up that knows it is
    # behind barely contests, so public information can be the safer condition.
    assert disaster_probability("private", 2, 0.5, 1.0) > disaster_probability(
        "public", 2, 0.5, 1.0
    )


# --- resolve and argument checking -----------------------------------------------------


@DETERMINISTIC
@given(
    st.lists(
        st.tuples(st.floats(-5.0, 5.0), st.sampled_from((0.0, 0.25, 0.5, 1.0))),
        min_size=1,
        max_size=8,
    )
)
def test_resolve_picks_highest_score_lowest_index(teams: list[tuple[float, float]]) -> None:
    caps = [c for c, _ in teams]
    safeties = [s for _, s in teams]
    w = resolve(caps, safeties)
    scores = [c - s for c, s in teams]
    assert scores[w] == max(scores)
    assert all(scores[i] < scores[w] for i in range(w))


@DETERMINISTIC
@given(
    info=st.sampled_from(INFOS),
    n=st.integers(2, 8),
    e=st.floats(0.0, 1.0),
    mu=st.floats(0.01, 20.0),
    unit_caps=st.lists(st.floats(0.0, 1.0), min_size=8, max_size=8),
)
def test_outputs_are_probabilities(
    info: Information, n: int, e: float, mu: float, unit_caps: list[float]
) -> None:
    assert 0.0 <= disaster_probability(info, n, e, mu) <= 1.0
    caps = [u * mu for u in unit_caps[:n]]
    for i, c in enumerate(caps):
        if info == "none":
            s = equilibrium_safety(info, n, e, mu)
        elif info == "private":
            s = equilibrium_safety(info, n, e, mu, own_capability=c)
        else:
            s = equilibrium_safety(info, n, e, mu, capabilities=caps, index=i)
        assert 0.0 <= s <= 1.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"information": "secret"}, "information must be"),
        ({"n": 1}, "n must be an int >= 2"),
        ({"n": 2.0}, "n must be an int >= 2"),
        ({"n": True}, "n must be an int >= 2"),
        ({"enmity": 1.5}, "enmity must be"),
        ({"enmity": math.nan}, "enmity must be"),
        ({"skill": 0.0}, "skill"),
        ({"skill": math.inf}, "skill"),
        ({"own_capability": 0.5}, "teams know no capability"),
        ({"information": "private"}, "own_capability is required"),
        ({"information": "private", "own_capability": 1.5}, "own_capability must be"),
        ({"information": "private", "own_capability": 0.5, "index": 0}, "knows only its own"),
        ({"information": "public", "index": 0}, "capabilities and index are both required"),
        ({"information": "public", "capabilities": [0.1, 0.2]}, "both required"),
        ({"information": "public", "capabilities": [0.1], "index": 0}, "expected 2 capabilities"),
        ({"information": "public", "capabilities": [0.1, 2.0], "index": 0}, r"capabilities\[1\]"),
        ({"information": "public", "capabilities": [0.1, 0.2], "index": 2}, "index must be"),
        (
            {
                "information": "public",
                "capabilities": [0.1, 0.2],
                "index": 0,
                "own_capability": 0.1,
            },
            "not own_capability",
        ),
    ],
)
def test_equilibrium_safety_rejects_bad_arguments(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {"information": "none", "n": 2, "enmity": 1.0, "skill": 1.0}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        equilibrium_safety(**args)  # type: ignore[arg-type]


def test_disaster_probability_and_resolve_reject_bad_arguments() -> None:
    with pytest.raises(ValueError, match="n must be"):
        disaster_probability("none", 0, 1.0, 1.0)
    with pytest.raises(ValueError, match="information must be"):
        disaster_probability("all", 2, 1.0, 1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="differ in length"):
        resolve([0.1, 0.2], [0.5])
    with pytest.raises(ValueError, match="at least one team"):
        resolve([], [])
    with pytest.raises(ValueError, match=r"safeties\[0\]"):
        resolve([0.1], [1.5])
    with pytest.raises(ValueError, match=r"capabilities\[0\]"):
        resolve([math.inf], [0.5])
