"""Build the debrief report of a saved game: one self-contained HTML document.

Sections: the outcome; the forecast over turns; the turning points; charts of the whole
world (capability, alignment gap, compute, public concern, oversight, and the hidden
misalignment and deception); each role's score and objectives; what the hidden variables
were all along; the story turn by turn (decisions and news). Charts are matplotlib SVG
inlined in the page; the page loads nothing from anywhere.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

from agents.analysis.forecast import (
    Forecast,
    Snapshot,
    forecast_many,
    outcome_key,
    outcome_label,
    snapshots_of_saved,
)
from agents.analysis.turning_points import TurningPoint, turning_points
from agents.saved import SavedGame
from rules.observe import OBJECTIVES
from rules.scenario import load_scenario
from rules.world import World
from server.report import charts

OVERSIGHT_LABELS = ("none", "voluntary", "committee", "embedded")


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """How much computing the report spends.

    ``rollouts``: per turn of the forecast chart (0 skips it); ``tp_rollouts`` and
    ``top``: turning points (``top`` 0 skips them); ``seed``: base seed of the rollouts
    (default: the game's); ``jobs``: worker processes.
    """

    rollouts: int = 60
    tp_rollouts: int = 150
    top: int = 6
    seed: int | None = None
    jobs: int = 1


CSS = """
:root { --ink:#1d2330; --muted:#5b6475; --line:#d9dde5; --bg:#fbfbfd; --rogue:#c0392b; --ok:#1e8449; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 20px 64px; }
h1 { font-size: 28px; margin: 8px 0 4px; }
h2 { font-size: 21px; margin: 40px 0 8px; padding-top: 8px; border-top: 1px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 6px; }
p.lead { color: var(--muted); margin-top: 0; }
.banner { border-radius: 10px; padding: 16px 20px; margin: 16px 0; color: #fff; font-size: 18px; }
.banner.rogue_asi { background: var(--rogue); }
.banner.corrigible_asi { background: var(--ok); }
.banner.no_asi { background: #566573; }
.banner.unfinished { background: #7d6608; }
nav { font-size: 14px; color: var(--muted); }
nav a { color: #1f4e9c; margin-right: 12px; text-decoration: none; }
figure { margin: 12px 0 20px; background:#fff; border:1px solid var(--line); border-radius:8px; padding:8px; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 13px; padding: 4px 6px 0; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
@media (max-width: 860px) { .grid2 { grid-template-columns: 1fr; } }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f0f2f6; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.up { color: var(--rogue); font-weight: 600; } .down { color: var(--ok); font-weight: 600; }
.tag { display:inline-block; font-size:12px; padding:0 6px; border-radius:8px; background:#e8ecf3; color:#34495e; }
.tag.human { background:#fdebd0; color:#7e5109; }
.turn { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 14px; margin:10px 0; }
.turn h3 { margin: 0 0 4px; }
.turn ul { margin: 4px 0; padding-left: 20px; }
.news { color: #1a5276; } .private { color: #6c3483; }
.muted { color: var(--muted); }
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _pct(p: float) -> str:
    return f"{100 * p:.0f}%"


def _outcome_text(
    saved: SavedGame, names: dict[str, str], lab_names: dict[str, str]
) -> tuple[str, str]:
    out = saved.outcome
    if out is None:
        return "unfinished", "The game is unfinished: no outcome yet."
    kind = out["kind"]
    if kind == "rogue_asi":
        return (
            kind,
            f"{lab_names.get(out['lab'], out['lab'])} built a superintelligence that was not corrigible. Everyone lost.",
        )
    if kind == "corrigible_asi":
        return kind, (
            f"{lab_names.get(out['lab'], out['lab'])} built a corrigible superintelligence for "
            f"{names.get(out['state'], out['state'])}; its abundance is {out.get('distribution') or 'held'}."
        )
    return kind, "The horizon came without a superintelligence: the race goes on."


def _world_charts(
    worlds: list[World], labels: list[str], threshold: float
) -> list[tuple[str, str]]:
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
        (
            charts.line_chart(
                "Public concern in each state",
                x,
                state_series("public_concern"),
                "public concern (0-1)",
                xticklabels=labels,
                ylim=(0, 1),
            ),
            "Leaks, incidents and job losses raise concern; it fades over time.",
        ),
        (
            charts.line_chart(
                "Oversight level of each state",
                x,
                {
                    state_name[s]: [float(int(w.states[s].oversight)) for w in worlds]
                    for s in states
                },
                "0 none · 1 voluntary · 2 committee · 3 embedded",
                xticklabels=labels,
                ylim=(-0.2, 3.2),
            ),
            "Officials act only where oversight allows their post: committee (2) or embedded in every lab (3).",
        ),
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


def _forecast_chart(series: list[Forecast], names: dict[str, str], labels: list[str]) -> str:
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
        size=(8.0, 3.6),
    )


def _tp_chart(tps: list[TurningPoint], names: dict[str, str]) -> str:
    labels = [f"{tp.quarter} {tp.role}: {tp.what}"[:48] for tp in tps]
    values = [100 * tp.delta_rogue for tp in tps]
    colours = ["#C0392B" if v > 0 else "#1E8449" for v in values]
    return charts.bar_chart(
        "Turning points: change in P(rogue ASI) caused by each decision",
        labels,
        values,
        "percentage points",
        colours=colours,
        size=(8.0, 3.4),
    )


def _order_text(order: dict[str, Any]) -> str:
    kind = order.get("kind")
    fields = {k: v for k, v in order.items() if k != "kind"}
    if kind in ("official", "whistleblower"):
        return str(fields.get("action", "")).replace("_", " ")
    if kind == "state" and "oversight" in fields:
        fields["oversight"] = OVERSIGHT_LABELS[int(fields["oversight"])]
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in fields.items())


def _quiet(order: dict[str, Any]) -> bool:
    return order.get("kind") in ("official", "whistleblower") and order.get("action") in (
        "ignore",
        "silent",
    )


def _story(saved: SavedGame, worlds: list[World], series: list[Forecast] | None) -> str:
    parts = []
    for st in saved.turns:
        w = worlds[st.turn]
        items = []
        for rid in w.role_ids():
            human = rid in st.orders
            order = st.orders.get(rid) or st.bot_orders.get(rid)
            if not order or (_quiet(order) and not human):
                continue
            tag = (
                '<span class="tag human">human</span>' if human else '<span class="tag">bot</span>'
            )
            items.append(
                f"<li>{tag} <b>{_e(w.record(rid).name)}</b>: {_e(_order_text(order))}</li>"
            )
        news = []
        for n in st.news:
            cls, who = (
                ("news", "")
                if n.get("public", True)
                else ("private", " (private to " + ", ".join(n.get("audience", [])) + ")")
            )
            news.append(f'<li class="{cls}">{_e(n["text"])}{_e(who)}</li>')
        events = (
            f"<p class='muted'>Facilitator injected: {_e(', '.join(st.events))}</p>"
            if st.events
            else ""
        )
        odds = ""
        if series and st.turn < len(series):
            f = series[st.turn]
            odds = f" <span class='muted'>· P(rogue ASI) at the start: {_pct(f.p_rogue)}</span>"
        after = worlds[st.turn + 1] if st.turn + 1 < len(worlds) else w
        caps = ", ".join(f"{lab.name} {lab.capability:.0f}" for lab in after.active_labs())
        parts.append(
            f"<div class='turn'><h3>{_e(st.quarter)} <span class='muted'>(turn {st.turn})</span>{odds}</h3>"
            f"<ul>{''.join(items) or '<li class=muted>No notable decisions.</li>'}</ul>"
            f"{'<ul>' + ''.join(news) + '</ul>' if news else ''}{events}"
            f"<p class='muted'>Capability after the quarter: {_e(caps)}</p></div>"
        )
    return "\n".join(parts)


def _scores_table(saved: SavedGame, world: World) -> str:
    humans = {r for st in saved.turns for r in st.orders}
    rows = []
    for rid in world.role_ids():
        kind = world.role_kind(rid)
        score = saved.scores.get(rid, 0.0)
        who = (
            '<span class="tag human">human</span>'
            if rid in humans
            else '<span class="tag">bot</span>'
        )
        objectives = "".join(f"<li>{_e(o)}</li>" for o in OBJECTIVES[kind])
        rows.append(
            f"<tr><td><b>{_e(world.record(rid).name)}</b><br><span class='muted'>{_e(rid)} · {kind}</span></td>"
            f"<td>{who} {_e(saved.personalities.get(rid, ''))}</td><td class='num'>{score:.1f}</td>"
            f"<td><ul>{objectives}</ul></td></tr>"
        )
    return (
        "<table><tr><th>Role</th><th>Played by</th><th>Score</th><th>Objectives</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _hidden_table(worlds: list[World]) -> str:
    labs = list(worlds[0].labs)
    step = max(1, len(worlds) // 8)
    picks = sorted(set(range(0, len(worlds), step)) | {len(worlds) - 1})
    head = "".join(
        f"<th>{_e(worlds[0].labs[lid].name)}<br>misalignment · deception</th>" for lid in labs
    )
    rows = []
    for k in picks:
        w = worlds[k]
        cells = "".join(
            f"<td class='num'>{w.labs[lid].misalignment:.3f} · {w.labs[lid].deception:.3f}</td>"
            for lid in labs
        )
        rows.append(f"<tr><td>{_e(w.quarter_label())}</td>{cells}</tr>")
    return f"<table><tr><th>Quarter</th>{head}</tr>{''.join(rows)}</table>"


def _tp_table(tps: list[TurningPoint], worlds: list[World]) -> str:
    rows = []
    for tp in tps:
        cls = "up" if tp.delta_rogue > 0 else "down"
        name = worlds[0].record(tp.role).name
        who = '<span class="tag human">human</span>' if tp.human else '<span class="tag">bot</span>'
        rows.append(
            f"<tr><td>{_e(tp.quarter)}</td><td>{who} <b>{_e(name)}</b></td><td>{_e(tp.what)}</td>"
            f"<td>{_e(tp.instead)}</td><td class='num'>{_pct(tp.p_rogue)} vs {_pct(tp.p_rogue_alternative)}</td>"
            f"<td class='num {cls}'>{100 * tp.delta_rogue:+.1f} pp<br><span class='muted'>"
            f"[{100 * tp.delta_ci[0]:+.1f}, {100 * tp.delta_ci[1]:+.1f}]</span></td>"
            f"<td class='num'>{tp.score_delta:+.1f}</td></tr>"
        )
    return (
        "<table><tr><th>Quarter</th><th>Who</th><th>Decided</th><th>Instead of</th>"
        "<th>P(rogue ASI): decision vs alternative</th><th>Effect (95%)</th><th>Own score</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def build_report(saved: SavedGame, options: ReportOptions | None = None) -> str:
    """Render the whole debrief (see the module doc) as an HTML string.

    Raises:
        ReplayError: if the saved game does not replay to its recorded hashes.
    """
    opt = options or ReportOptions()
    snaps: list[Snapshot] = snapshots_of_saved(saved)
    worlds = [s.world for s in snaps]
    first, last = worlds[0], worlds[-1]
    sc = load_scenario(saved.scenario, {k: str(v) for k, v in saved.overrides.items()})
    names = {sid: s.name for sid, s in first.states.items()}
    lab_names = {lid: lab.name for lid, lab in first.labs.items()}
    labels = [w.quarter_label() for w in worlds]
    seed = saved.seed if opt.seed is None else opt.seed
    series = forecast_many(snaps, opt.rollouts, seed, opt.jobs) if opt.rollouts > 0 else None
    tps = (
        turning_points(saved, opt.top, opt.tp_rollouts, seed=seed, jobs=opt.jobs, snaps=snaps)
        if opt.top > 0 and saved.turns
        else []
    )
    kind, outcome_text = _outcome_text(saved, names, lab_names)

    body = [
        f"<h1>{_e(sc.title)}: debrief</h1>",
        f"<p class='lead'>Scenario <b>{_e(saved.scenario)}</b>, seed {saved.seed}, "
        f"{len(saved.turns)} quarters ({_e(labels[0])} to {_e(last.quarter_label())}), rules {_e(saved.rules_version)}"
        + (
            f", overrides {_e(', '.join(f'{k}={v}' for k, v in saved.overrides.items()))}"
            if saved.overrides
            else ""
        )
        + f".</p><p class='muted'>{_e(sc.description)}</p>",
        f"<div class='banner {kind}'>{_e(outcome_text)}</div>",
        "<nav><a href='#forecast'>Forecast</a><a href='#turning'>Turning points</a><a href='#world'>The world</a>"
        "<a href='#scores'>Scores</a><a href='#hidden'>Hidden variables</a><a href='#story'>The story</a></nav>",
    ]
    if series:
        f0 = series[0]
        peak = max(series[:-1] or series, key=lambda f: f.p_rogue)
        body.append("<h2 id='forecast'>How the odds moved</h2>")
        body.append(
            f"<p>At the start, bots playing on would have built a rogue ASI in {_pct(f0.p_rogue)} of "
            f"{f0.rollouts} rollouts; the danger peaked at {_pct(peak.p_rogue)} in {_e(peak.quarter)}. "
            "Shaded bands are 95% intervals.</p>"
        )
        body.append(
            f"<figure>{_forecast_chart(series, names, labels)}<figcaption>Each point: {opt.rollouts} "
            "rollouts of the world as it stood at the start of that quarter, every seat played by its bot."
            "</figcaption></figure>"
        )
    if tps:
        body.append("<h2 id='turning'>Turning points</h2>")
        body.append(
            "<p>The decisions that moved P(rogue ASI) most. Each was forked: the same quarter was forecast "
            f"with the decision and with its alternative ({opt.tp_rollouts} paired rollouts each). "
            "Red: the decision made a rogue ASI more likely; green: less likely. Candidates are key levers only "
            "(brakes, reports, cover-ups, leaks, oversight and treaty moves, pauses, and every human order).</p>"
        )
        body.append(f"<figure>{_tp_chart(tps, names)}</figure>")
        body.append(_tp_table(tps, worlds))
    body.append("<h2 id='world'>The world, quarter by quarter</h2>")
    body.append("<div class='grid2'>")
    for svg, caption in _world_charts(worlds, labels, sc.dynamics.asi_threshold):
        body.append(f"<figure>{svg}<figcaption>{_e(caption)}</figcaption></figure>")
    body.append("</div>")
    body.append("<h2 id='scores'>Scores and objectives</h2>")
    roles = last.role_ids()
    body.append(
        "<figure>"
        + charts.bar_chart(
            "Final score of each role",
            [last.record(r).name for r in roles],
            [saved.scores.get(r, 0.0) for r in roles],
            "score (-100 to 100)",
            colours=["#C0392B" if saved.scores.get(r, 0.0) < 0 else "#0072B2" for r in roles],
        )
        + "</figure>"
    )
    body.append(_scores_table(saved, last))
    body.append("<h2 id='hidden'>What was hidden all along</h2>")
    body.append(
        "<p>Each lab's latent misalignment and its models' deception were visible only to the facilitator. "
        "Evaluations, officials and whistleblowers saw noisy signals of them, blurred by deception.</p>"
    )
    body.append(_hidden_table(worlds))
    body.append("<h2 id='story'>The story</h2>")
    body.append(_story(saved, worlds, series))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(sc.title)} — Precipice debrief (seed {saved.seed})</title><style>{CSS}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>"
    )


def outcome_of(saved: SavedGame) -> str:
    """The outcome key of a finished saved game (``rogue_asi``, ``corrigible_asi:us``...)."""
    out = saved.outcome or {}
    return outcome_key(str(out.get("kind", "")), out.get("state"))
