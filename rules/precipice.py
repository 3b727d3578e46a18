"""Armstrong, Bostrom & Shulman's "Racing to the precipice" AI-race model, solved exactly.

The model (AI & Society 31(2):201-206, 2016; FHI technical report 2013-1): ``n`` teams race
to build the first AI. Team ``i`` has a capability ``c_i`` drawn i.i.d. uniform on
``[0, mu]`` (``skill``: how much capability matters relative to risk-taking) and picks a
safety level ``s_i`` in ``[0, 1]``. The team with the highest ``c_i - s_i`` builds the AI,
which is a disaster with probability ``1 - s_w`` for the winner ``w``. Payoffs: 1 if you win
without disaster, ``1 - e`` if another team does (``e`` is the ``enmity``), 0 on disaster.

Equilibria and expected disaster probabilities, with ``k = 1 + e (n - 1)``:

* ``"none"`` (nobody knows any capability, not even its own): every team plays
  ``s = min(1, mu / (n e))``, so ``P = 1 - min(1, mu / (n e))``.
* ``"private"`` (each team knows only its own ``c``): ``s(c) = min(1, c / k)``, so
  ``P = 1 - n mu / ((n + 1) k)`` if ``mu <= k`` and ``P = (k / mu)**n / (n + 1)`` otherwise.
* ``"public"`` (all capabilities known): the leader plays ``min(1, D / e)`` with ``D`` its
  margin over the runner-up, so ``P = 1 - mu / (e (n + 1)) * (1 - (1 - m / mu)**(n + 1))``
  with ``m = min(e, mu)``.

With ``e = 0`` nobody minds who wins, and every team playing ``s = 1`` is an equilibrium
(it gives everyone the maximum payoff 1), so every condition gives ``P = 0``. For
``"private"`` this is a discontinuity: as ``e -> 0+`` the equilibrium tends to
``s(c) = min(1, c)``, not to 1.

Provenance: the paper's full text was not available when this module was written (only
its abstract and secondary summaries were), so every closed form here, including the
capped regions and the ``e < 1`` private case, is derived from the model as stated above;
each function's docstring sketches its derivation. The derivations reproduce the known
check values (n=2, e=1, mu=1: 1/2 with no information, 2/3 with private or public) and the
tests check them by Monte Carlo and by exact best-response (no profitable deviation) checks.

The paper's qualitative claims hold with two caveats these formulas expose: danger rises
with enmity everywhere and with the number of teams except under private information with
large ``mu`` and small ``e`` (the most capable of more teams is likelier to play ``s = 1``);
and "more information, more danger" holds for none vs. private or public everywhere, and
for private vs. public when ``e = 1`` (equal while ``mu <= 1``), but with ``e < 1`` and small
``mu`` private information can be the more dangerous (e.g. n=2, e=1/2, mu=1: 5/9 vs 5/12).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, TypeGuard, get_args

Information = Literal["none", "private", "public"]
"""What teams know: nothing, their own capability only, or every capability."""

_INFORMATION: tuple[str, ...] = get_args(Information)


def _is_real(x: object) -> TypeGuard[float]:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _check_game(information: object, n: object, enmity: object, skill: object) -> None:
    if information not in _INFORMATION:
        raise ValueError(f"information must be 'none', 'private' or 'public', got {information!r}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be an int >= 2 (a race needs two teams), got {n!r}")
    if not _is_real(enmity) or not 0.0 <= float(enmity) <= 1.0:
        raise ValueError(f"enmity must be a finite number in [0, 1], got {enmity!r}")
    if not _is_real(skill) or not float(skill) > 0.0:
        raise ValueError(f"skill (mu) must be a finite number > 0, got {skill!r}")


def _check_capabilities(caps: Sequence[object], skill: float, name: str) -> list[float]:
    out: list[float] = []
    for i, c in enumerate(caps):
        if not _is_real(c) or not 0.0 <= c <= skill:
            where = name if name == "own_capability" else f"{name}[{i}]"
            raise ValueError(f"{where} must be a finite number in [0, skill={skill!r}], got {c!r}")
        out.append(float(c))
    return out


def equilibrium_safety(
    information: Information,
    n: int,
    enmity: float,
    skill: float,
    own_capability: float | None = None,
    capabilities: Sequence[float] | None = None,
    index: int | None = None,
) -> float:
    """The safety level a team plays in the equilibrium for its information condition.

    ``"none"``: a team deviating to ``t`` from the common ``s`` wins with probability
    ``1/n`` at ``t = s``, falling at rate ``1/mu`` (the density of ``c_i - max_j c_j`` at 0);
    its payoff ``P(win) t + (1 - P(win)) (1 - e) s`` is stationary where
    ``1/n - e s / mu = 0``, so ``s = mu / (n e)``, capped at 1 (at ``s = 1`` the marginal
    gain ``1/n - e/mu`` is >= 0 exactly when ``mu >= n e``).

    ``"private"``: with others playing ``s(.)`` and ``c - s(c)`` increasing, a type ``c``
    that mimics type ``y`` wins with probability ``F(y) = (y/mu)**(n-1)``; the first-order
    condition at ``y = c`` is ``s'(c) + e (n - 1) s(c) / c = 1``, whose solution bounded at
    ``c = 0`` is ``s(c) = c / k``, ``k = 1 + e (n - 1)``. Types above ``k`` would want
    ``s > 1`` and play 1 (for ``e = 1`` this is ``s = c / n``).

    ``"public"``: let ``D`` be the leader's margin over the runner-up. If the leader plays
    ``s1``, the runner-up can win only with safety below ``s1 - D``, which beats the
    ``(1 - e) s1`` it gets from the leader's win only if ``e s1 > D``; so the leader plays
    ``min(1, D / e)``. Each trailing team plays its threat: the safety that matches the
    leader's score ``c1 - s1`` (clamped to ``[0, 1]``), made safer by the smallest step that
    lets the leader win under :func:`resolve`'s index tie-break. The threat is what makes
    the leader's choice a best response; it never wins, so it never affects the outcome.

    Args:
        information: What the teams know.
        n: Number of teams (>= 2).
        enmity: ``e`` in ``[0, 1]``; another team's safe win is worth ``1 - e``.
        skill: ``mu`` > 0; capabilities are uniform on ``[0, mu]``.
        own_capability: The team's own capability; required for ``"private"`` only.
        capabilities: All ``n`` capabilities; required for ``"public"`` only.
        index: The team's position in ``capabilities``; required for ``"public"`` only.

    Returns:
        The team's equilibrium safety level, in ``[0, 1]``.

    Raises:
        ValueError: If a parameter is out of range, or the team is given information its
            condition does not allow (or is missing information the condition requires).
    """
    _check_game(information, n, enmity, skill)
    e, mu = float(enmity), float(skill)
    if information == "none":
        if own_capability is not None or capabilities is not None or index is not None:
            raise ValueError(
                "information='none': teams know no capability; pass none of "
                "own_capability, capabilities or index"
            )
        return 1.0 if e == 0.0 else min(1.0, mu / (n * e))
    if information == "private":
        if capabilities is not None or index is not None:
            raise ValueError(
                "information='private': a team knows only its own capability; "
                "pass own_capability, not capabilities or index"
            )
        if own_capability is None:
            raise ValueError("information='private': own_capability is required")
        (c,) = _check_capabilities([own_capability], mu, "own_capability")
        return 1.0 if e == 0.0 else min(1.0, c / (1.0 + e * (n - 1)))
    if own_capability is not None:
        raise ValueError("information='public': pass capabilities and index, not own_capability")
    if capabilities is None or index is None:
        raise ValueError("information='public': capabilities and index are both required")
    if len(capabilities) != n:
        raise ValueError(
            f"information='public': expected {n} capabilities, got {len(capabilities)}"
        )
    caps = _check_capabilities(capabilities, mu, "capabilities")
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < n:
        raise ValueError(f"index must be an int in [0, {n}), got {index!r}")
    return _public_safety(caps, index, e)


def _public_safety(caps: list[float], index: int, e: float) -> float:
    leader = caps.index(max(caps))  # the most capable team; ties go to the lowest index
    margin = caps[leader] - max(caps[:leader] + caps[leader + 1 :])
    lead_safety = 1.0 if e == 0.0 or margin >= e else margin / e
    if index == leader:
        return lead_safety
    lead_score, own = caps[leader] - lead_safety, caps[index]
    s = min(1.0, max(0.0, own - lead_score))
    step = math.ulp(max(1.0, abs(own), abs(lead_score)))
    while own - s >= lead_score and s < 1.0:  # leader must win the tie under resolve()
        s = min(1.0, s + step)
        step *= 2.0
    return s


def resolve(capabilities: Sequence[float], safeties: Sequence[float]) -> int:
    """Index of the team that builds the AI: highest ``c - s``, ties to the lowest index.

    Args:
        capabilities: Each team's capability (finite numbers).
        safeties: Each team's safety level, in ``[0, 1]``, aligned with ``capabilities``.

    Returns:
        The winner's index.

    Raises:
        ValueError: If the sequences are empty, differ in length, or hold invalid values.
    """
    if len(capabilities) != len(safeties):
        raise ValueError(
            f"capabilities and safeties differ in length: {len(capabilities)} != {len(safeties)}"
        )
    if not capabilities:
        raise ValueError("resolve needs at least one team")
    best, best_score = -1, -math.inf
    for i, (c, s) in enumerate(zip(capabilities, safeties, strict=True)):
        if not _is_real(c):
            raise ValueError(f"capabilities[{i}] must be a finite number, got {c!r}")
        if not _is_real(s) or not 0.0 <= s <= 1.0:
            raise ValueError(f"safeties[{i}] must be a finite number in [0, 1], got {s!r}")
        if c - s > best_score:
            best, best_score = i, c - s
    return best


def disaster_probability(information: Information, n: int, enmity: float, skill: float) -> float:
    """Expected probability of an AI disaster in equilibrium (exact closed form).

    ``"none"``: every team plays ``s = min(1, mu / (n e))``, so ``1 - s``.

    ``"private"``: the winner is the most capable team (``c - c/k`` is increasing), so with
    ``M`` the maximum of ``n`` uniforms (density ``n m**(n-1) / mu**n``) the answer is
    ``1 - E[min(1, M / k)]``: ``1 - n mu / ((n + 1) k)`` for ``mu <= k``, else
    ``(k / mu)**n / (n + 1)``. For ``e = 1`` and ``mu <= n`` this is ``1 - mu / (n + 1)``.

    ``"public"``: the leader's margin ``D`` over the runner-up has ``D / mu ~ Beta(1, n)``,
    i.e. ``P(D > x) = (1 - x / mu)**n``, so
    ``E[min(1, D / e)] = (1/e) * integral_0^min(e, mu) (1 - x/mu)**n dx
    = mu / (e (n + 1)) * (1 - (1 - min(e, mu) / mu)**(n + 1))`` and the answer is one minus
    that (``1 - mu / (e (n + 1))`` when ``mu <= e``).

    With ``e = 0`` every team plays 1 and the answer is 0 in every condition.

    Args:
        information: What the teams know.
        n: Number of teams (>= 2).
        enmity: ``e`` in ``[0, 1]``.
        skill: ``mu`` > 0.

    Returns:
        The expected disaster probability, in ``[0, 1]``.

    Raises:
        ValueError: If a parameter is out of range.
    """
    _check_game(information, n, enmity, skill)
    e, mu = float(enmity), float(skill)
    if e == 0.0:
        return 0.0
    if information == "none":
        return 1.0 - min(1.0, mu / (n * e))
    if information == "private":
        k = 1.0 + e * (n - 1)
        if mu <= k:
            return 1.0 - n * mu / ((n + 1) * k)
        return (k / mu) ** n / (n + 1)
    m = min(e, mu)
    return max(0.0, 1.0 - mu / (e * (n + 1)) * (1.0 - (1.0 - m / mu) ** (n + 1)))
