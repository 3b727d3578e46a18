"""Interval estimates for Monte Carlo results, and the correction for many comparisons.

``wilson`` is the Wilson score interval of a binomial proportion; ``mean_ci`` the normal
interval of a mean; ``diff_ci`` the Wald interval of a difference of two independent
proportions and ``paired_diff_ci`` Newcombe's square-and-add interval of a difference of
two proportions measured on the same trials (paired rollouts on common random numbers);
``paired_ratio_ci`` the delta-method interval of a difference of two ratios on paired trials;
``hidden_share_ci`` the share of a Bernoulli outcome's variance that its per-trial
probabilities explain, with its delta-method interval; ``spread_ci`` the distance between
two quantiles of a sample (the 10th to the 90th percentile) with a seeded bootstrap
interval (SciPy's); ``z_for`` the two-sided critical value at a confidence level, with a
Bonferroni correction when ``comparisons`` intervals are read together (each interval is
then drawn at level 1 - (1 - confidence) / comparisons); ``quantile`` a linear-interpolated
quantile of a sample.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

import numpy as np
from numpy.typing import NDArray
from scipy import stats as scipy_stats


def z_for(confidence: float = 0.95, comparisons: int = 1) -> float:
    """Two-sided normal critical value, Bonferroni-corrected for ``comparisons`` intervals.

    Raises:
        ValueError: for a confidence outside (0, 1) or fewer than one comparison.
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must be between 0 and 1")
    if comparisons < 1:
        raise ValueError("comparisons must be at least 1")
    alpha = (1.0 - confidence) / comparisons
    return NormalDist().inv_cdf(1.0 - alpha / 2.0)


Z95 = z_for(0.95)


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for ``k`` successes in ``n`` trials (95% by default)."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if k == 0 else max(0.0, centre - half)  # exact at the ends, not 1e-17 off
    hi = 1.0 if k == n else min(1.0, centre + half)
    return (lo, hi)


def mean_ci(values: Sequence[float], z: float = Z95) -> tuple[float, tuple[float, float]]:
    """The mean of ``values`` and its normal interval (a single value: a point interval).

    Raises:
        ValueError: for an empty sample.
    """
    n = len(values)
    if n == 0:
        raise ValueError("no values")
    mean = math.fsum(values) / n
    if n < 2:
        return mean, (mean, mean)
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    half = z * sd / math.sqrt(n)
    return mean, (mean - half, mean + half)


def diff_ci(
    k1: int, n1: int, k2: int, n2: int, z: float = Z95
) -> tuple[float, tuple[float, float]]:
    """Difference of two proportions k1/n1 - k2/n2 and its normal (Wald) interval.

    Raises:
        ValueError: if either sample is empty.
    """
    if n1 == 0 or n2 == 0:
        raise ValueError("empty sample")
    p1, p2 = k1 / n1, k2 / n2
    half = z * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    d = p1 - p2
    return d, (d - half, d + half)


def paired_diff_ci(
    both: int, only_first: int, only_second: int, neither: int, z: float = Z95
) -> tuple[float, tuple[float, float]]:
    """Difference of two paired proportions and Newcombe's square-and-add interval.

    Each of ``n`` trials is measured twice (the decision and its alternative on the same
    random numbers): ``both`` had the event both times, ``only_first`` only the first
    time, ``only_second`` only the second, ``neither`` neither. The difference is
    (first - second) / n; the interval combines the two Wilson intervals with the
    correlation of the pairs, continuity-corrected (Newcombe 1998, Statistics in
    Medicine 17:2635, method 10). Pairs that agree narrow it, unlike ``diff_ci``.

    Raises:
        ValueError: if there are no trials or a count is negative.
    """
    cells = (both, only_first, only_second, neither)
    if min(cells) < 0:
        raise ValueError("negative count")
    n = sum(cells)
    if n == 0:
        raise ValueError("empty sample")
    k1, k2 = both + only_first, both + only_second
    p1, p2 = k1 / n, k2 / n
    l1, u1 = wilson(k1, n, z)
    l2, u2 = wilson(k2, n, z)
    psi = 0.0
    if 0 < k1 < n and 0 < k2 < n:
        spread = math.sqrt(k1 * (n - k1) * k2 * (n - k2))
        a = both * neither - only_first * only_second
        psi = (a - n / 2) / spread if a > n / 2 else (a / spread if a < 0 else 0.0)
    d = p1 - p2
    lo = d - math.sqrt(max(0.0, (p1 - l1) ** 2 + (u2 - p2) ** 2 - 2 * psi * (p1 - l1) * (u2 - p2)))
    hi = d + math.sqrt(max(0.0, (p2 - l2) ** 2 + (u1 - p1) ** 2 - 2 * psi * (p2 - l2) * (u1 - p1)))
    return d, (max(-1.0, lo), min(1.0, hi))


def paired_ratio_ci(
    num_a: Sequence[float],
    den_a: Sequence[float],
    num_b: Sequence[float],
    den_b: Sequence[float],
    z: float = Z95,
) -> tuple[float, tuple[float, float]]:
    """Difference of two ratios of totals on paired samples, and its normal interval.

    ``R = sum(num) / sum(den)`` in each arm (e.g. China's ASIs over all ASIs built), the
    arms measured on the same ``n`` trials. The interval linearizes each ratio (the delta
    method): trial ``i`` contributes ``(num_a[i] - R_a den_a[i]) / mean(den_a)`` minus the
    same for ``b``, and the difference's variance is that contribution's sample variance
    over ``n``. With every denominator 1 it is exactly ``mean_ci`` of the paired differences.

    Raises:
        ValueError: for samples of different lengths, fewer than two trials, or an arm
            whose denominators sum to zero.
    """
    n = len(num_a)
    if not n == len(den_a) == len(num_b) == len(den_b):
        raise ValueError("samples of different lengths")
    if n < 2:
        raise ValueError("need at least two trials")
    mean_da, mean_db = math.fsum(den_a) / n, math.fsum(den_b) / n
    if mean_da == 0 or mean_db == 0:
        raise ValueError("an arm's denominators sum to zero")
    r_a = math.fsum(num_a) / (mean_da * n)
    r_b = math.fsum(num_b) / (mean_db * n)
    u = [
        (xa - r_a * ya) / mean_da - (xb - r_b * yb) / mean_db
        for xa, ya, xb, yb in zip(num_a, den_a, num_b, den_b, strict=True)
    ]
    mean_u = math.fsum(u) / n
    sd = math.sqrt(math.fsum((v - mean_u) ** 2 for v in u) / (n - 1))
    half = z * sd / math.sqrt(n)
    d = r_a - r_b
    return d, (d - half, d + half)


def hidden_share_ci(probs: Sequence[float], z: float = Z95) -> tuple[float, tuple[float, float]]:
    """The share of a Bernoulli outcome's variance that its per-trial odds explain.

    Trial ``i`` comes out 1 with probability ``probs[i]`` (e.g. a rogue ASI, given the
    risk at the moment it is built). By the law of total variance the outcome's variance
    ``pbar (1 - pbar)`` is ``Var(p)`` (what decided the odds: the hidden state and the
    game before) plus ``E[p (1 - p)]`` (the final die), so the first share is
    ``S = Var(p) / (pbar (1 - pbar))``: 0 when every trial had the same odds, 1 when every
    trial was already decided (odds of 0 or 1). ``S`` is a function of the first two
    moments of ``p``; its interval is the delta method's on their sample means.

    Raises:
        ValueError: for fewer than two trials or odds outside [0, 1], or when every
            trial's odds are 0 or every trial's are 1 (the outcome has no variance).
    """
    n = len(probs)
    if n < 2:
        raise ValueError("need at least two trials")
    if any(not 0.0 <= p <= 1.0 for p in probs):
        raise ValueError("odds must lie in [0, 1]")
    m1 = math.fsum(probs) / n
    m2 = math.fsum(p * p for p in probs) / n
    total = m1 - m1 * m1
    if total <= 0.0:
        raise ValueError("the outcome has no variance: every trial's odds are 0, or all are 1")
    share = (m2 - m1 * m1) / total
    # Gradient of S = (m2 - m1^2) / (m1 - m1^2) in (m1, m2), and the sample covariance of
    # (p, p^2), whose means m1 and m2 are.
    d1 = (-2 * m1 * total - (m2 - m1 * m1) * (1 - 2 * m1)) / (total * total)
    d2 = 1.0 / total
    u = [d1 * (p - m1) + d2 * (p * p - m2) for p in probs]
    sd = math.sqrt(math.fsum(v * v for v in u) / (n - 1))
    half = z * sd / math.sqrt(n)
    return share, (max(0.0, share - half), min(1.0, share + half))


def spread_ci(
    values: Sequence[float],
    z: float = Z95,
    low: float = 0.1,
    high: float = 0.9,
    seed: int = 0,
    resamples: int = 2000,
) -> tuple[float, tuple[float, float]]:
    """The distance from the ``low`` to the ``high`` quantile of a sample, with its interval.

    The interval is the percentile bootstrap's (SciPy's ``bootstrap``, ``resamples``
    resamples drawn from ``seed``) at the two-sided level of ``z``: a quantile is not a
    mean, so the delta method's normal interval does not apply, and the bootstrap's is
    reproducible from its seed.

    Raises:
        ValueError: for fewer than two values or quantiles out of order.
    """
    if len(values) < 2:
        raise ValueError("need at least two values")
    if not 0.0 <= low < high <= 1.0:
        raise ValueError("need 0 <= low < high <= 1")

    def width(sample: NDArray[np.float64], axis: int) -> NDArray[np.float64]:
        return np.asarray(
            np.quantile(sample, high, axis=axis) - np.quantile(sample, low, axis=axis)
        )

    data = np.asarray(values, dtype=float)
    level = 1.0 - 2.0 * (1.0 - NormalDist().cdf(z))
    res = scipy_stats.bootstrap(
        (data,),
        width,
        n_resamples=resamples,
        vectorized=True,
        confidence_level=level,
        method="percentile",
        rng=np.random.default_rng(seed),
    )
    point = float(width(data, 0))
    return point, (float(res.confidence_interval.low), float(res.confidence_interval.high))


def quantile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) of a sample, linearly interpolated (numpy's default).

    Raises:
        ValueError: for an empty sample or ``q`` outside [0, 1].
    """
    if not values:
        raise ValueError("no values")
    if not 0.0 <= q <= 1.0:
        raise ValueError("q must be between 0 and 1")
    xs = sorted(values)
    pos = q * (len(xs) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)
