"""The essay's question, side by side: should we want China to "win" the AI race?

For every cell of a grid of worldviews (how hard alignment is, how much career pressure
China's embedded officials feel, how closely the US oversees its labs, and optionally
what the AIs value), play the same seeded bot games with the US leading (``baseline``)
and with China leading (``mirror``: the positions swapped, each state keeping its own
institutions), and compare the outcomes: P(rogue ASI), P(corrigible and shared),
P(corrigible and locked into an oligarchy), P(no ASI), each with a 95% interval, and the
paired difference China-leads minus US-leads in P(rogue). For each cell it also reports
the mechanisms that differ: brakes applied, when the ASI comes, how often abundance is
shared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from itertools import product
from statistics import fmean
from typing import Any

from agents.analysis.games import GameTask, check_overrides, pairs, play_games
from agents.analysis.runner import Progress, chunks, run_tasks
from agents.analysis.stats import mean_ci, wilson, z_for
from agents.engine import GameResult


@dataclass(frozen=True, slots=True)
class Level:
    """One value of a worldview axis: its label and the parameters it sets."""

    label: str
    overrides: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class WorldAxis:
    """A worldview axis: its name and its levels."""

    name: str
    levels: tuple[Level, ...]


def _level(label: str, **paths: str) -> Level:
    return Level(label, tuple(sorted((k.replace("__", "."), v) for k, v in paths.items())))


DIFFICULTY = WorldAxis(
    "alignment difficulty",
    (
        _level("easy", worldview__difficulty_low="0.1", worldview__difficulty_high="0.35"),
        _level("middling", worldview__difficulty_low="0.35", worldview__difficulty_high="0.65"),
        _level("hard", worldview__difficulty_low="0.65", worldview__difficulty_high="0.9"),
    ),
)
CHINA_PRESSURE = WorldAxis(
    "China's career pressure",
    tuple(Level(v, (("officials.cn-official.career_pressure", v),)) for v in ("0", "0.5", "1")),
)
US_OVERSIGHT = WorldAxis(
    "US oversight",
    tuple(Level(v, (("states.us.oversight", v),)) for v in ("voluntary", "committee", "embedded")),
)
VALUES = ("spec", "spec_prime", "intentions", "reward", "convergent")


def ai_values_axis(values: Sequence[str]) -> WorldAxis:
    """An axis fixing every AI's values (``roll`` keeps the scenario's dice).

    Raises:
        ValueError: for an unknown value type.
    """
    levels = []
    for v in values:
        if v != "roll" and v not in VALUES:
            raise ValueError(f"unknown AI values {v!r}; choose roll or one of {', '.join(VALUES)}")
        paths = () if v == "roll" else (("ais.us-ai.values", v), ("ais.cn-ai.values", v))
        levels.append(Level(v, paths))
    return WorldAxis("AI values", tuple(levels))


DEFAULT_AXES = (DIFFICULTY, CHINA_PRESSURE, US_OVERSIGHT)
LEADS = {"us_leads": "baseline", "china_leads": "mirror"}
SIDE_NAMES = {"us_leads": "US leads", "china_leads": "China leads"}
"""How each side of ``LEADS`` is named in tables, labels and figures."""


def _rates(games: Sequence[GameResult], z: float) -> dict[str, Any]:
    n = len(games)
    counts = {
        "p_rogue": sum(g.outcome == "rogue_asi" for g in games),
        "p_shared": sum(
            g.outcome == "corrigible_asi" and g.distribution == "shared" for g in games
        ),
        "p_oligarchy": sum(
            g.outcome == "corrigible_asi" and g.distribution != "shared" for g in games
        ),
        "p_no_asi": sum(g.outcome == "no_asi" for g in games),
    }
    out: dict[str, Any] = {"runs": n}
    for key, k in counts.items():
        lo, hi = wilson(k, n, z)
        out[key] = round(k / n, 4)
        out[f"{key}_ci"] = [round(lo, 4), round(hi, 4)]
    built = [g for g in games if g.outcome != "no_asi"]
    out["built_by"] = {
        sid: round(sum(1 for g in built if g.state == sid) / n, 4) for sid in ("us", "cn")
    }
    out["brakes"] = round(fmean(g.brakes for g in games), 3)
    out["asi_turn"] = round(fmean(g.turn for g in built), 2) if built else None
    out["p_rogue_at_build"] = round(fmean(g.p_rogue or 0.0 for g in built), 4) if built else None
    return out


def question(
    runs: int = 200,
    axes: Sequence[WorldAxis] = DEFAULT_AXES,
    seed: int = 0,
    overrides: Mapping[str, str] | None = None,
    *,
    play: Mapping[str, Mapping[str, str]] | None = None,
    jobs: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> list[dict[str, Any]]:
    """One row per worldview cell: the outcomes with the US leading and with China leading.

    Each row: ``worldview`` (axis name -> level label), ``us_leads`` and ``china_leads``
    (``runs``, ``p_rogue``, ``p_shared``, ``p_oligarchy``, ``p_no_asi`` each with a
    Wilson ``*_ci``; ``built_by`` state; ``brakes`` per game, mean ``asi_turn``, mean
    ``p_rogue_at_build``),
    and ``difference`` (China leading minus the US leading, paired by seed: ``p_rogue``
    with its ``ci``, and ``brakes``, ``asi_turn``, ``p_shared``). Every interval is
    Bonferroni-corrected for the number of cells.

    ``play`` gives, per side (``us_leads``, ``china_leads``), seats played with a policy
    other than their bot (a personality, ``hold`` or ``fixed:...``, as ``sweep --play``).
    The roles are the same in both scenarios, so ``us-lab`` is the leader in ``baseline``
    and the follower in ``mirror``.

    Raises:
        ValueError: if ``runs`` is less than 1.
        ScenarioError: for a bad override.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    base = {k: str(v) for k, v in (overrides or {}).items()}
    cells = list(product(*(a.levels for a in axes)))
    z = z_for(0.95, max(1, len(cells)))
    cell_overrides = [base | {k: v for lv in cell for k, v in lv.overrides} for cell in cells]
    for ov in cell_overrides:
        for scenario in LEADS.values():
            check_overrides(scenario, ov)
    parts = chunks(runs, 50)
    tasks = [
        GameTask(scenario, pairs(ov), pairs((play or {}).get(side)), seed, part)
        for ov in cell_overrides
        for side, scenario in LEADS.items()
        for part in parts
    ]
    done = run_tasks(
        play_games, tasks, executor, jobs=jobs, progress=progress, size=lambda t: t.size
    )
    per = len(parts)
    rows = []
    for j, cell in enumerate(cells):
        us = [g for part in done[(2 * j) * per : (2 * j + 1) * per] for g in part]
        cn = [g for part in done[(2 * j + 1) * per : (2 * j + 2) * per] for g in part]
        d, (lo, hi) = mean_ci(
            [
                (a.outcome == "rogue_asi") - (b.outcome == "rogue_asi")
                for a, b in zip(cn, us, strict=True)
            ],
            z,
        )
        us_rates, cn_rates = _rates(us, z), _rates(cn, z)
        rows.append(
            {
                "worldview": {a.name: lv.label for a, lv in zip(axes, cell, strict=True)},
                "us_leads": us_rates,
                "china_leads": cn_rates,
                "difference": {
                    "p_rogue": round(d, 4),
                    "ci": [round(lo, 4), round(hi, 4)],
                    "brakes": round(cn_rates["brakes"] - us_rates["brakes"], 3),
                    "asi_turn": (
                        round(cn_rates["asi_turn"] - us_rates["asi_turn"], 2)
                        if cn_rates["asi_turn"] is not None and us_rates["asi_turn"] is not None
                        else None
                    ),
                    "p_shared": round(cn_rates["p_shared"] - us_rates["p_shared"], 4),
                },
            }
        )
    return rows


def verdict(row: Mapping[str, Any]) -> str:
    """A cell's answer in plain words: is China leading safer, riskier, or no different?"""
    lo, hi = row["difference"]["ci"]
    d = row["difference"]["p_rogue"]
    if hi < 0:
        word = "safer"
    elif lo > 0:
        word = "riskier"
    else:
        return f"no clear difference in P(rogue) ({d:+.2f} [{lo:+.2f}, {hi:+.2f}])"
    diff = row["difference"]
    why = []
    if diff["brakes"] and abs(diff["brakes"]) >= 0.2:
        why.append(f"{diff['brakes']:+.1f} brakes a game")
    if diff["asi_turn"] is not None and abs(diff["asi_turn"]) >= 0.5:
        why.append(
            f"the ASI {abs(diff['asi_turn']):.1f} quarters {'later' if diff['asi_turn'] > 0 else 'sooner'}"
        )
    reason = f"; {', '.join(why)}" if why else ""
    return f"China leading is {word}: P(rogue) {d:+.2f} [{lo:+.2f}, {hi:+.2f}]{reason}"
