"""The analysis jobs the app's process pool runs: plain top-level functions of picklable data.

Each runs whole in one worker process (its rollouts serially), except the debrief
report's rollouts: ``report_on`` runs in a thread of the app and hands them to the pool
itself as many small tasks (the series and the turning points in one batch), so a
report uses every worker, then renders in one. A ``ReplayError`` comes back as a plain
``ReplayError`` with its message (it must cross the process boundary).
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import TYPE_CHECKING, Literal

from agents.analysis.forecast import Forecast, Snapshot, forecast, forecast_many, snapshots_of_saved
from agents.saved import ReplayError, SavedGame

if TYPE_CHECKING:
    from server.report.html import Analyses


def _snapshots(saved: SavedGame) -> list[Snapshot]:
    try:
        return snapshots_of_saved(saved)
    except ReplayError as exc:
        raise ReplayError(str(exc)) from None


def forecast_now(snap: Snapshot, rollouts: int, seed: int) -> Forecast:
    """The forecast from one snapshot."""
    return forecast(snap, rollouts, seed)


def forecast_at(saved: SavedGame, turn: int, rollouts: int, seed: int) -> Forecast:
    """The forecast from the start of ``turn`` of a saved game (replayed in the worker)."""
    snaps = _snapshots(saved)
    return forecast(snaps[min(turn, len(snaps) - 1)], rollouts, seed)


def series(saved: SavedGame, rollouts: int, seed: int) -> list[Forecast]:
    """The forecast at the start of every turn of a saved game."""
    return forecast_many(_snapshots(saved), rollouts, seed)


def report(
    saved: SavedGame,
    rollouts: int,
    audience: Literal["full", "public"] = "full",
    analyses: Analyses | None = None,
) -> str:
    """The debrief report's HTML for ``audience`` (forecast chart and turning points included).

    ``analyses``: the rollouts' findings, run already (``report_on``); otherwise they are
    run here, in this worker.
    """
    from server.report.html import build_report
    from server.report.options import ReportOptions

    try:
        return build_report(saved, ReportOptions(rollouts=rollouts, audience=audience), analyses)
    except ReplayError as exc:
        raise ReplayError(str(exc)) from None


def report_on(
    executor: Executor, saved: SavedGame, rollouts: int, audience: Literal["full", "public"]
) -> str:
    """The debrief report with its rollouts spread over ``executor``'s workers (a thread's job).

    The replay and the planning of the rollouts happen in the calling thread (tens of
    milliseconds); the rollouts and the rendering run on the executor.
    """
    from server.report.html import analyse
    from server.report.options import ReportOptions

    found = analyse(saved, ReportOptions(rollouts=rollouts, audience=audience), executor)
    return executor.submit(report, saved, rollouts, audience, found).result()
