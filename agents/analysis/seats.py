"""Seat policies against the bots: does any standing policy win, and does every seat matter?

For each seat and each candidate policy (a bot personality or ``fixed:...``), play the
same seeds with that seat on the policy and every other seat its bot, and compare with
the default bots: P(rogue ASI), who builds the ASI, and the seat's own mean score, each
with an interval. ``standard_policies`` lists the fixed policies worth trying per role
kind: every lever at its extremes, every action every quarter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from agents.analysis.games import GameTask, pairs, play_games
from agents.analysis.runner import Progress, chunks, run_tasks
from agents.analysis.stats import Z95, diff_ci, mean_ci, wilson, z_for
from agents.bots import PERSONALITIES
from agents.engine import GameResult, default_personalities
from rules.scenario import load_scenario

STANDARD: dict[str, tuple[str, ...]] = {
    "state": (
        "fixed:treaty=propose_pause",
        "fixed:treaty=accept",
        "fixed:export_controls=1",
        "fixed:export_controls=0",
        "fixed:subsidy=200",
        "fixed:oversight=3",
        "fixed:oversight=0",
        "fixed:safety_floor=0.5",
        "fixed:worker_protection=1",
        "fixed:self_reliance=1",
        "fixed:distribution=shared",
        "fixed:channel_open=true",
    ),
    "lab": (
        "fixed:safety_share=0.5",
        "fixed:safety_share=0",
        "fixed:pause=true",
        "fixed:release=api",
        "fixed:eval_rigour=1",
        "fixed:release=none",
        "fixed:distil=true",
    ),
    "official": (
        "fixed:action=brake",
        "fixed:action=report",
        "fixed:action=inspect",
        "fixed:action=ignore",
        "fixed:action=cover_up",
    ),
    "whistleblower": (
        "fixed:action=speak_out",
        "fixed:action=speak_up",
        "fixed:action=raise_internally",
        "fixed:action=silent",
    ),
    "ai": (
        "fixed:action=cooperate",
        "fixed:action=sandbag",
        "fixed:action=sabotage",
        "fixed:action=exfiltrate",
    ),
}


def standard_policies(role_kind: str) -> tuple[str, ...]:
    """The other bot personalities of a role kind, then its standard fixed policies."""
    return (*PERSONALITIES[role_kind], *STANDARD[role_kind])


@dataclass(frozen=True, slots=True)
class Arm:
    """The games of one assignment: a seat on a policy (or nobody: the default bots)."""

    seat: str | None
    policy: str | None
    games: list[GameResult]


def _summary(arm: Arm, base: Arm, comparisons: int) -> dict[str, Any]:
    n = len(arm.games)
    z = Z95 if comparisons <= 1 else z_for(0.95, comparisons)
    rogue = sum(1 for g in arm.games if g.outcome == "rogue_asi")
    base_rogue = sum(1 for g in base.games if g.outcome == "rogue_asi")
    d_rogue, d_ci = diff_ci(rogue, n, base_rogue, len(base.games), z)
    builders: dict[str, float] = {}
    for g in arm.games:
        if g.outcome != "no_asi" and g.state:
            builders[g.state] = builders.get(g.state, 0) + 1 / n
    d_builders: dict[str, dict[str, Any]] = {}
    for sid in sorted({g.state for g in (*arm.games, *base.games) if g.state}):

        def built(g: GameResult, sid: str = sid) -> float:
            return float(g.outcome != "no_asi" and g.state == sid)

        diffs = [built(a) - built(b) for a, b in zip(arm.games, base.games, strict=True)]
        dm, (dlo, dhi) = mean_ci(diffs, z)
        d_builders[sid] = {"d": round(dm, 4), "ci": [round(dlo, 4), round(dhi, 4)]}
    row: dict[str, Any] = {
        "seat": arm.seat,
        "policy": arm.policy,
        "runs": n,
        "p_rogue": round(rogue / n, 4),
        "p_rogue_ci": [round(x, 4) for x in wilson(rogue, n, z)],
        "d_rogue": round(d_rogue, 4),
        "d_rogue_ci": [round(x, 4) for x in d_ci],
        "p_no_asi": round(sum(1 for g in arm.games if g.outcome == "no_asi") / n, 4),
        "builders": {k: round(v, 4) for k, v in sorted(builders.items())},
        "d_builders": d_builders,
    }
    if arm.seat is not None:
        mine = [g.scores[arm.seat] for g in arm.games]
        theirs = [g.scores[arm.seat] for g in base.games]
        m, (lo, hi) = mean_ci(mine, z)
        d = [a - b for a, b in zip(mine, theirs, strict=True)]
        dm, (dlo, dhi) = mean_ci(d, z)
        row |= {
            "score": round(m, 3),
            "score_ci": [round(lo, 3), round(hi, 3)],
            "d_score": round(dm, 3),
            "d_score_ci": [round(dlo, 3), round(dhi, 3)],
        }
    return row


def seat_policies(
    scenario: str,
    runs: int,
    seats: Sequence[str] | None = None,
    policies: Mapping[str, Sequence[str]] | None = None,
    overrides: Mapping[str, str] | None = None,
    seed: int = 0,
    *,
    jobs: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    comparisons: int | None = None,
) -> list[dict[str, Any]]:
    """Play every (seat, policy) arm and the default bots on the same seeds; one row per arm.

    Each row: ``seat``, ``policy``, ``runs``, ``p_rogue`` (Wilson interval), ``d_rogue``
    against the default bots (paired seeds; normal interval), ``p_no_asi``, ``builders``
    (share of games each state built the ASI), and for a seat its own ``score`` and
    ``d_score`` (mean paired difference) with intervals. Intervals are Bonferroni-corrected
    for ``comparisons`` (by default, the number of arms). The first row is the default bots.

    Raises:
        ValueError: for an unknown seat, or a policy that is not one for the seat's kind.
    """
    ov = {k: str(v) for k, v in (overrides or {}).items()}
    sc = load_scenario(scenario, ov)
    base = default_personalities(sc)
    kinds = _kinds(sc)
    chosen = list(seats) if seats is not None else list(base)
    for s in chosen:
        if s not in base:
            raise ValueError(f"no seat {s!r} in {scenario!r}; seats: {', '.join(base)}")
    arms_spec: list[tuple[str | None, str | None]] = [(None, None)]
    for s in chosen:
        for p in (policies or {}).get(s, standard_policies(kinds[s])):
            if p != base[s]:
                arms_spec.append((s, p))
    parts = chunks(runs, 25)
    tasks = [
        GameTask(scenario, pairs(ov), pairs({s: p} if s and p else {}), seed, part)
        for s, p in arms_spec
        for part in parts
    ]
    done = run_tasks(
        play_games, tasks, executor, jobs=jobs, progress=progress, size=lambda t: t.size
    )
    arms = [
        Arm(s, p, [g for part in done[j * len(parts) : (j + 1) * len(parts)] for g in part])
        for j, (s, p) in enumerate(arms_spec)
    ]
    count = comparisons if comparisons is not None else len(arms)
    return [_summary(a, arms[0], count) for a in arms]


def _kinds(sc: Any) -> dict[str, str]:
    out = dict.fromkeys(sc.states, "state")
    out |= {lab.id: "lab" for lab in sc.labs}
    out |= {o.id: "official" for o in sc.officials}
    out |= {w.id: "whistleblower" for w in sc.whistleblowers}
    out |= {a.id: "ai" for a in sc.ais}
    return out
