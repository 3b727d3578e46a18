"""The debrief report's charts: the world over time, the forecast over turns, the turning points.

Each function returns an inline SVG drawn by ``server.report.charts``.
"""

from __future__ import annotations

import math

from agents.analysis.forecast import Forecast, outcome_label
from agents.analysis.turning_points import TurningPoint
from rules.world import World
from server.report import charts


def world_charts(
    worlds: list[World], labels: list[str], threshold: float, full: bool = True
) -> list[tuple[str, str]]:
    """The charts of the whole world over time, each with its caption.

    ``full``: capability, the alignment gap, compute, concern, oversight, and the hidden
    misalignment and deception. Otherwise only what anyone could see: the public
    benchmarks, concern and oversight.
    """
    x = list(range(len(worlds)))
    labs = list(worlds[0].labs)
    states = list(worlds[0].states)
    lab_name = {lid: worlds[0].labs[lid].name for lid in labs}
    state_name = {sid: worlds[0].states[sid].name for sid in states}

    def racing(w: World, lid: str, value: float) -> float:
        """A lab's value while it races; NaN (the line ends) once it is merged into another."""
        return math.nan if w.labs[lid].merged_into else float(value)

    def lab_series(attr: str) -> dict[str, list[float]]:
        return {
            lab_name[lid]: [racing(w, lid, getattr(w.labs[lid], attr)) for w in worlds]
            for lid in labs
        }

    def state_series(attr: str) -> dict[str, list[float]]:
        return {
            state_name[sid]: [float(getattr(w.states[sid], attr)) for w in worlds] for sid in states
        }

    gap = {
        lab_name[lid]: [
            racing(w, lid, w.labs[lid].capability - w.labs[lid].alignment) for w in worlds
        ]
        for lid in labs
    }
    concern = (
        charts.line_chart(
            "Public concern in each state",
            x,
            state_series("public_concern"),
            "public concern (0-1)",
            xticklabels=labels,
            ylim=(0, 1),
        ),
        "Leaks, incidents and job losses raise concern; it fades over time.",
    )
    oversight = (
        charts.line_chart(
            "Oversight level of each state",
            x,
            {state_name[s]: [float(int(w.states[s].oversight)) for w in worlds] for s in states},
            "0 none · 1 voluntary · 2 committee · 3 embedded",
            xticklabels=labels,
            ylim=(-0.2, 3.2),
        ),
        "Officials act only where oversight allows their post: committee (2) or embedded in every lab (3).",
    )
    if not full:
        return [
            (
                charts.line_chart(
                    "Public benchmark of each lab",
                    x,
                    lab_series("benchmark"),
                    "benchmark (points)",
                    xticklabels=labels,
                    hline=(threshold, "ASI threshold"),
                ),
                "What the labs' released models showed; a superintelligence comes at the dashed line.",
            ),
            concern,
            oversight,
        ]
    out = [
        (
            charts.line_chart(
                "Capability of each lab",
                x,
                lab_series("capability"),
                "capability (points)",
                xticklabels=labels,
                hline=(threshold, "ASI threshold"),
            ),
            "When a lab crosses the dashed line it builds a superintelligence; a line that stops early is a lab merged into another.",
        ),
        (
            charts.line_chart(
                "Alignment gap: capability minus alignment",
                x,
                gap,
                "gap (points)",
                xticklabels=labels,
            ),
            "The latent risk: how far capability has outrun safety research.",
        ),
        (
            charts.line_chart(
                "Compute of each lab",
                x,
                lab_series("compute"),
                "compute (units)",
                xticklabels=labels,
            ),
            "Compute comes from funding and chip access (export controls, domestic chips).",
        ),
        concern,
        oversight,
        (
            charts.line_chart(
                "Hidden: misalignment and deception of each lab",
                x,
                {
                    **{
                        f"{lab_name[lid]} misalignment": [
                            racing(w, lid, w.labs[lid].misalignment) for w in worlds
                        ]
                        for lid in labs
                    },
                    **{
                        f"{lab_name[lid]} deception": [
                            racing(w, lid, w.labs[lid].deception) for w in worlds
                        ]
                        for lid in labs
                    },
                },
                "latent level (0-1)",
                xticklabels=labels,
            ),
            "Nobody but the facilitator saw these during the game. At ASI, P(rogue) = misalignment.",
        ),
    ]
    return out


def forecast_chart(series: list[Forecast], names: dict[str, str], labels: list[str]) -> str:
    """The odds of each outcome at the start of every turn, with their 95% bands."""
    keys = series[0].keys
    x = list(range(len(series)))
    lines = {outcome_label(k, names): [f.p(k) for f in series] for k in keys}
    bands = {
        outcome_label(k, names): ([f.ci(k)[0] for f in series], [f.ci(k)[1] for f in series])
        for k in keys
    }
    colours: dict[str, str] = {}
    state_i = 0
    for k in keys:
        if k in charts.OUTCOME_COLOURS:
            colours[outcome_label(k, names)] = charts.OUTCOME_COLOURS[k]
        else:
            colours[outcome_label(k, names)] = charts.STATE_COLOURS[
                state_i % len(charts.STATE_COLOURS)
            ]
            state_i += 1
    return charts.line_chart(
        "Forecast: odds of each outcome if bots played on from each turn",
        x,
        lines,
        "probability",
        bands=bands,
        colours=colours,
        xticklabels=labels,
        ylim=(0, 1),
        size=(10.0, 4.8),
    )


def turning_point_chart(tps: list[TurningPoint], names: dict[str, str]) -> str:
    """A bar per turning point: how much it moved P(rogue ASI), in percentage points."""
    labels = [f"{tp.quarter} {tp.role}: {tp.what}"[:48] for tp in tps]
    values = [100 * tp.delta_rogue for tp in tps]
    colours = ["#C0392B" if v > 0 else "#1E8449" for v in values]
    return charts.bar_chart(
        "Turning points: change in P(rogue ASI) caused by each decision",
        labels,
        values,
        "percentage points",
        colours=colours,
        size=(10.0, 4.8),
    )
