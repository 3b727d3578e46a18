"""Build the debrief report of a saved game: one self-contained HTML document.

Sections: the outcome; the forecast over turns; the turning points; charts of the whole
world (capability, alignment gap, compute, public concern, oversight, and the hidden
misalignment and deception); each role's score and objectives; what the hidden variables
were all along; the story turn by turn (decisions and news). Charts are matplotlib SVG
inlined in the page; the page loads nothing from anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.analysis.forecast import Snapshot, forecast_many, outcome_key, snapshots_of_saved
from agents.analysis.turning_points import turning_points
from agents.saved import SavedGame
from rules.scenario import load_scenario
from server.report import charts
from server.report.figures import forecast_chart, turning_point_chart, world_charts
from server.report.story import outcome_text, story
from server.report.style import CSS, esc, pct
from server.report.tables import hidden_table, scores_table, turning_point_table


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
    kind, banner = outcome_text(saved, names, lab_names)

    body = [
        f"<h1>{esc(sc.title)}: debrief</h1>",
        f"<p class='lead'>Scenario <b>{esc(saved.scenario)}</b>, seed {saved.seed}, "
        f"{len(saved.turns)} quarters ({esc(labels[0])} to {esc(last.quarter_label())}), rules {esc(saved.rules_version)}"
        + (
            f", overrides {esc(', '.join(f'{k}={v}' for k, v in saved.overrides.items()))}"
            if saved.overrides
            else ""
        )
        + f".</p><p class='muted'>{esc(sc.description)}</p>",
        f"<div class='banner {kind}'>{esc(banner)}</div>",
        "<nav><a href='#forecast'>Forecast</a><a href='#turning'>Turning points</a><a href='#world'>The world</a>"
        "<a href='#scores'>Scores</a><a href='#hidden'>Hidden variables</a><a href='#story'>The story</a></nav>",
    ]
    if series:
        f0 = series[0]
        peak = max(series[:-1] or series, key=lambda f: f.p_rogue)
        body.append("<h2 id='forecast'>How the odds moved</h2>")
        body.append(
            f"<p>At the start, bots playing on would have built a rogue ASI in {pct(f0.p_rogue)} of "
            f"{f0.rollouts} rollouts; the danger peaked at {pct(peak.p_rogue)} in {esc(peak.quarter)}. "
            "Shaded bands are 95% intervals.</p>"
        )
        body.append(
            f"<figure>{forecast_chart(series, names, labels)}<figcaption>Each point: {opt.rollouts} "
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
        body.append(f"<figure>{turning_point_chart(tps, names)}</figure>")
        body.append(turning_point_table(tps, worlds))
    body.append("<h2 id='world'>The world, quarter by quarter</h2>")
    body.append("<div class='grid2'>")
    for svg, caption in world_charts(worlds, labels, sc.dynamics.asi_threshold):
        body.append(f"<figure>{svg}<figcaption>{esc(caption)}</figcaption></figure>")
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
    body.append(scores_table(saved, last))
    body.append("<h2 id='hidden'>What was hidden all along</h2>")
    body.append(
        "<p>Each lab's latent misalignment and its models' deception were visible only to the facilitator. "
        "Evaluations, officials and whistleblowers saw noisy signals of them, blurred by deception.</p>"
    )
    body.append(hidden_table(worlds))
    body.append("<h2 id='story'>The story</h2>")
    body.append(story(saved, worlds, series))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{esc(sc.title)} — Precipice debrief (seed {saved.seed})</title><style>{CSS}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>"
    )


def outcome_of(saved: SavedGame) -> str:
    """The outcome key of a finished saved game (``rogue_asi``, ``corrigible_asi:us``...)."""
    out = saved.outcome or {}
    return outcome_key(str(out.get("kind", "")), out.get("state"))
