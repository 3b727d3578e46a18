"""The debrief report: one self-contained HTML file telling the story of a game.

``render_report(saved)`` returns the HTML (charts inlined as SVG, no external resources);
``server.report.charts`` also draws the PNG heat maps of 2-D sweeps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agents.saved import SavedGame


def render_report(saved: SavedGame, **options: Any) -> str:
    """Render a saved game's debrief as one self-contained HTML document.

    Options are those of ``server.report.options.ReportOptions`` (rollouts, seed, jobs...).
    """
    from server.report.html import build_report
    from server.report.options import ReportOptions

    return build_report(saved, ReportOptions(**options))


__all__ = ["render_report"]
