"""Build the debrief report of a saved game: one self-contained HTML document (Jinja2).

Sections: the outcome with its odds at the time; the story quarter by quarter (only what
moved, credited to whoever moved it); the turning points, each explained; what each
player believed against the truth; what the AIs, officials and whistleblowers did in
secret, with the AIs' sealed values; the forecast over turns; charts of the world; scores;
the hidden variables. Charts are matplotlib SVG inlined in the page; the page loads
nothing from anywhere.

A report for the public before the reveal (``audience="public"``) keeps to what anyone
could see during the game: no private lever, no private news, no estimate, no sealed
value or secret action, no hidden variable, and none of the analyses run on the hidden
state (forecast, turning points).
"""

from __future__ import annotations

from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache

import matplotlib
import numpy as np
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from agents.analysis.forecast import Forecast, Snapshot, outcome_key, replay_saved, summarise
from agents.analysis.rollouts import RolloutBank
from agents.analysis.turning_points import TurningPoint, turning_points
from agents.saved import SavedGame
from rules.scenario import load_scenario
from server.report import charts
from server.report.debrief import (
    ai_secrets,
    beliefs,
    headline,
    officials_secrets,
    turning_point_sentence,
)
from server.report.figures import forecast_chart, turning_point_chart, world_charts
from server.report.narrative import quarters
from server.report.options import ReportOptions
from server.report.style import CSS, pct
from server.report.tables import hidden_table, scores_table, turning_point_table


@cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("server.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True, slots=True)
class Analyses:
    """What the report's rollouts found: the forecast series and the turning points."""

    series: list[Forecast] | None
    turning: list[TurningPoint]
    rollouts: int = 0
    """Rollouts played to find them (each once, shared between the two)."""
    quarters: int = 0
    """Quarters those rollouts played."""


def analyse(
    saved: SavedGame,
    options: ReportOptions | None = None,
    executor: Executor | None = None,
    replayed: tuple[list[Snapshot], list[np.random.Generator]] | None = None,
) -> Analyses:
    """Run the report's rollouts: the forecast series and the turning points, one batch.

    The rollouts run on ``executor`` if given (a server's pool), else on a local pool of
    ``options.jobs`` workers (in this process for one). The public report has none.

    Raises:
        ReplayError: if the saved game does not replay to its recorded hashes.
    """
    opt = options or ReportOptions()
    full = opt.audience == "full"
    wanted = full and (opt.rollouts > 0 or (opt.top > 0 and bool(saved.turns)))
    if not wanted:
        return Analyses(None, [])
    snaps, dice = replayed or replay_saved(saved)
    if executor is None and opt.jobs > 1:
        with ProcessPoolExecutor(max_workers=opt.jobs) as pool:
            return _analyse(saved, snaps, dice, opt, pool)
    return _analyse(saved, snaps, dice, opt, executor)


def _analyse(
    saved: SavedGame,
    snaps: list[Snapshot],
    dice: list[np.random.Generator],
    opt: ReportOptions,
    pool: Executor | None,
) -> Analyses:
    seed = saved.seed if opt.seed is None else opt.seed
    # One bank, one batch: the forecast of quarter t is also the game's own arm of every
    # turning point decided in quarter t - 1.
    bank = RolloutBank(seed, pool, opt.jobs)
    if opt.rollouts > 0:
        for t, snap in enumerate(snaps):
            bank.need(("turn", t), snap, range(opt.rollouts))
    tps = (
        turning_points(
            saved,
            opt.top,
            opt.tp_rollouts,
            screen_rollouts=opt.screen_rollouts,
            seed=seed,
            snaps=snaps,
            dice=dice,
            bank=bank,
        )
        if opt.top > 0 and saved.turns
        else []
    )
    bank.run()
    series = (
        [
            summarise(snap, seed, bank.results(("turn", t), range(opt.rollouts)))
            for t, snap in enumerate(snaps)
        ]
        if opt.rollouts > 0
        else None
    )
    return Analyses(series, tps, bank.computed, bank.quarters)


def build_report(
    saved: SavedGame, options: ReportOptions | None = None, analyses: Analyses | None = None
) -> str:
    """Render the whole debrief (see the module doc) as an HTML string.

    ``analyses``: the rollouts' findings if ``analyse`` was run already (a server runs
    them on its pool, then renders in one worker); otherwise they are run here.

    Raises:
        ReplayError: if the saved game does not replay to its recorded hashes.
    """
    opt = options or ReportOptions()
    replayed = replay_saved(saved)
    found = analyses if analyses is not None else analyse(saved, opt, None, replayed)
    with matplotlib.rc_context(charts.PROJECTOR), charts.one_page():
        return _render(saved, replayed[0], opt, found)


def _render(saved: SavedGame, snaps: list[Snapshot], opt: ReportOptions, found: Analyses) -> str:
    full = opt.audience == "full"
    worlds = [s.world for s in snaps]
    first, last = worlds[0], worlds[-1]
    sc = load_scenario(saved.scenario, {k: str(v) for k, v in saved.overrides.items()})
    names = {sid: s.name for sid, s in first.states.items()}
    labels = [w.quarter_label() for w in worlds]
    series = found.series if full else None
    tps = found.turning if full else []
    forecast_text = ""
    if series:
        f0 = series[0]
        peak = max(series[:-1] or series, key=lambda f: f.p_rogue)
        forecast_text = (
            f"At the start, bots playing on would have built a rogue superintelligence in "
            f"{pct(f0.p_rogue)} of {f0.rollouts} rollouts; the danger peaked at {pct(peak.p_rogue)} "
            f"in {peak.quarter}. Shaded bands are 95% intervals."
        )
    roles = last.role_ids()
    context = {
        "title": sc.title,
        "seed": saved.seed,
        "scenario": saved.scenario,
        "rules_version": saved.rules_version,
        "overrides": ", ".join(f"{k}={v}" for k, v in saved.overrides.items()),
        "description": sc.description,
        "first_quarter": labels[0],
        "last_quarter": last.quarter_label(),
        "css": Markup(CSS),  # noqa: S704 - our own style sheet
        "full": full,
        "pct": pct,
        "headline": headline(saved, worlds, sc, full),
        "quarters": quarters(saved, worlds, sc, series, full),
        "turning": [turning_point_sentence(tp, first) for tp in tps],
        "turning_svg": Markup(turning_point_chart(tps, names)) if tps else "",  # noqa: S704
        "turning_table": Markup(turning_point_table(tps, worlds)) if tps else "",  # noqa: S704
        "beliefs": beliefs(worlds) if full else [],
        "ais": ai_secrets(saved, worlds) if full else [],
        "officials": officials_secrets(saved, worlds) if full else [],
        "forecast_svg": Markup(forecast_chart(series, names, labels)) if series else "",  # noqa: S704
        "forecast_text": forecast_text,
        "forecast_caption": f"Each point: {opt.rollouts} rollouts of the world as it stood at the "
        "start of that quarter, every seat played by its bot.",
        "world": [
            (Markup(svg), caption)  # noqa: S704 - SVG drawn by matplotlib from our numbers
            for svg, caption in world_charts(worlds, labels, sc.dynamics.asi_threshold, full)
        ],
        "scores_svg": Markup(  # noqa: S704
            charts.bar_chart(
                "Final score of each role",
                [last.record(r).name for r in roles],
                [saved.scores.get(r, 0.0) for r in roles],
                "score (-100 to 100)",
                colours=["#C0392B" if saved.scores.get(r, 0.0) < 0 else "#0072B2" for r in roles],
            )
        ),
        "scores_table": Markup(scores_table(saved, last, full)),  # noqa: S704
        "hidden_table": Markup(hidden_table(worlds)) if full else "",  # noqa: S704
    }
    return _env().get_template("report.html.j2").render(context)


def outcome_of(saved: SavedGame) -> str:
    """The outcome key of a finished saved game (``rogue_asi``, ``corrigible_asi:us``...)."""
    out = saved.outcome or {}
    return outcome_key(str(out.get("kind", "")), out.get("state"))
