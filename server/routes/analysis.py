"""Analysis over REST: forecasts (live or at any turn), the forecast series, the debrief report.

Forecasts run bot rollouts of the world on the app's process pool, so a game never
stalls while one is computed. They are derived from the hidden state, so until a game is
over only its facilitator may ask for them; the facilitator may share one with the room.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor
from typing import Annotated, Any, cast

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from agents.analysis.forecast import (
    Forecast,
    Snapshot,
    forecast,
    forecast_many,
    snapshot_of,
    snapshots_of_saved,
)
from agents.saved import ReplayError
from server.deps import ApiError, HubDep, TokenDep, game_or_404, who
from server.payloads import Announcement, ForecastView
from server.report import render_report
from server.routes.games import _need_insight
from server.session import GameSession

router = APIRouter(prefix="/api/games", tags=["analysis"])
Rollouts = Annotated[int, Query(ge=10, le=5000, description="Bot rollouts per forecast.")]


def _pool(request: Request) -> Executor:
    pool: Executor = request.app.state.analysis_pool
    return pool


async def _snapshot(hub: HubDep, game: GameSession, turn: int | None) -> Snapshot:
    if turn is None:
        return snapshot_of(game.model)
    if not 0 <= turn <= game.model.turn:
        raise ApiError(422, "bad_turn", f"turn must be between 0 and {game.model.turn}")
    saved = await hub.export(game)
    try:
        snaps = await anyio.to_thread.run_sync(snapshots_of_saved, saved)
    except ReplayError as exc:
        raise ApiError(500, "replay_failed", str(exc)) from None
    return snaps[min(turn, len(snaps) - 1)]


async def _forecast(request: Request, snap: Snapshot, rollouts: int, seed: int) -> Forecast:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool(request), forecast, snap, rollouts, seed)


@router.get("/{game_id}/forecast")
async def get_forecast(
    game_id: str,
    request: Request,
    hub: HubDep,
    token: TokenDep,
    rollouts: Rollouts = 200,
    turn: int | None = None,
) -> dict[str, Any]:
    """Odds of each outcome if bots played on, from now or from the start of ``turn``."""
    game = await game_or_404(hub, game_id)
    _need_insight(game, token)
    snap = await _snapshot(hub, game, turn)
    return (await _forecast(request, snap, rollouts, game.model.seed)).to_dict()


@router.post("/{game_id}/forecast/share")
async def share_forecast(
    game_id: str, request: Request, hub: HubDep, token: TokenDep, rollouts: Rollouts = 200
) -> dict[str, Any]:
    """Facilitator: compute the forecast from now and show it to the whole room."""
    game = await game_or_404(hub, game_id)
    kind, _ = who(game, token)
    if kind != "facilitator":
        raise ApiError(
            403 if token else 401, "forbidden", "only the facilitator may share a forecast"
        )
    result = (
        await _forecast(request, snapshot_of(game.model), rollouts, game.model.seed)
    ).to_dict()
    rogue = result["outcomes"].get("rogue_asi", {"p": 0.0})["p"]
    line: Announcement = {
        "text": f"Forecast from {result['quarter']}: P(rogue ASI) {rogue:.0%} if bots played on.",
        "turn": result["turn"],
        "forecast": cast(ForecastView, result),
    }
    async with game.lock:  # the log's sequence numbers are the game's, one writer at a time
        await game.append(("facilitator", {"action": "share_forecast", **line}))
        game.announce(line)
    return result


@router.get("/{game_id}/forecast/series")
async def forecast_series(
    game_id: str, request: Request, hub: HubDep, token: TokenDep, rollouts: Rollouts = 100
) -> list[dict[str, Any]]:
    """The forecast at the start of every turn so far (the replay view's chart)."""
    game = await game_or_404(hub, game_id)
    _need_insight(game, token)
    saved = await hub.export(game)
    pool = _pool(request)

    def work() -> list[Forecast]:
        return forecast_many(snapshots_of_saved(saved), rollouts, saved.seed, executor=pool)

    try:
        series = await anyio.to_thread.run_sync(work)
    except ReplayError as exc:
        raise ApiError(500, "replay_failed", str(exc)) from None
    return [f.to_dict() for f in series]


@router.get("/{game_id}/report", response_class=HTMLResponse)
async def debrief_report(
    game_id: str, hub: HubDep, token: TokenDep, rollouts: Rollouts = 40
) -> HTMLResponse:
    """The self-contained HTML debrief of a game (facilitator only until it is over)."""
    game = await game_or_404(hub, game_id)
    _need_insight(game, token)
    saved = await hub.export(game)
    html = await anyio.to_thread.run_sync(lambda: render_report(saved, rollouts=rollouts, jobs=2))
    return HTMLResponse(
        html, headers={"Content-Disposition": f'inline; filename="precipice-{game_id}.html"'}
    )
