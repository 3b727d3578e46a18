"""Analysis over REST: forecasts (live or at any turn), the forecast series, the debrief report.

Every computation runs on the app's one analysis pool (``server.analysis_pool``): worker
processes awaited without blocking a thread, behind a bounded queue. When the queue is
full the answer is 429 ``busy`` with ``Retry-After``; results for finished games are
cached. Forecasts are derived from the hidden state, so until a game is over only its
facilitator may ask for them; the facilitator may share one with the room.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Annotated, Any, TypeVar, cast

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from agents.analysis.forecast import Forecast, Snapshot, snapshot_of
from agents.saved import ReplayError
from server import analysis_jobs
from server.analysis_pool import AnalysisBusy, AnalysisPool
from server.deps import ApiError, HubDep, TokenDep, game_or_404, who
from server.headers import report_policy
from server.openapi import errors
from server.payloads import Announcement
from server.report.options import Audience
from server.routes.games import _need_insight
from server.secrecy import public_forecast
from server.session import GameSession

T = TypeVar("T")
router = APIRouter(prefix="/api/games", tags=["analysis"])
Rollouts = Annotated[int, Query(ge=10, le=5000, description="Bot rollouts per forecast.")]


def get_pool(request: Request) -> AnalysisPool:
    """The app's analysis pool (created in the lifespan)."""
    pool: AnalysisPool = request.app.state.analysis
    return pool


PoolDep = Annotated[AnalysisPool, Depends(get_pool)]


def _key(game: GameSession, *parts: Hashable) -> Hashable | None:
    """A cache key for a finished game's result (a live game's results are never cached)."""
    return (game.id, *parts) if game.model.done else None


async def _run(
    pool: AnalysisPool,
    key: Hashable | None,
    fn: Any,
    prepare: Callable[[], Awaitable[tuple[Any, ...]]],
    spread: bool = False,
) -> Any:
    """Run one job on the pool; a full queue is a typed 429, a bad replay a typed 500.

    ``prepare`` gathers the job's arguments (an export of the game, a snapshot) only once
    the job is admitted: a refusal or a cached answer reads nothing from the database.
    ``spread``: the job spreads its tasks over every worker (``AnalysisPool.run_spread``).
    """
    try:
        if spread:
            return await pool.run_spread(key, fn, prepare)
        return await pool.run_prepared(key, fn, prepare)
    except AnalysisBusy as exc:
        raise ApiError(
            429,
            "busy",
            str(exc),
            {"retry_after": str(exc.retry_after)},
            headers={"Retry-After": str(exc.retry_after)},
        ) from None
    except ReplayError as exc:
        raise ApiError(500, "replay_failed", str(exc)) from None


async def _now(game: GameSession) -> Snapshot:
    async with game.lock:
        return snapshot_of(game.model)


@router.get("/{game_id}/forecast", responses=errors(401, 403, 404, 409, 422, 429))
async def get_forecast(
    game_id: str,
    hub: HubDep,
    pool: PoolDep,
    token: TokenDep,
    rollouts: Rollouts = 200,
    turn: int | None = None,
) -> dict[str, Any]:
    """Odds of each outcome if bots played on, from now or from the start of ``turn``."""
    game = await game_or_404(hub, game_id)
    _need_insight(game, token)
    seed = game.model.seed
    if turn is None:

        async def now() -> tuple[Any, ...]:
            return (await _now(game), rollouts, seed)

        result = await _run(pool, _key(game, "now", rollouts), analysis_jobs.forecast_now, now)
    else:
        if not 0 <= turn <= game.model.turn:
            raise ApiError(422, "bad_turn", f"turn must be between 0 and {game.model.turn}")

        async def at() -> tuple[Any, ...]:
            return (await hub.export(game), turn, rollouts, seed)

        result = await _run(pool, _key(game, "at", turn, rollouts), analysis_jobs.forecast_at, at)
    return cast(Forecast, result).to_dict()


@router.post("/{game_id}/forecast/share", responses=errors(401, 403, 404, 409, 422, 429))
async def share_forecast(
    game_id: str, hub: HubDep, pool: PoolDep, token: TokenDep, rollouts: Rollouts = 200
) -> dict[str, Any]:
    """Facilitator: compute the forecast from now and show it to the whole room."""
    game = await game_or_404(hub, game_id)
    kind, _ = who(game, token)
    if kind != "facilitator":
        raise ApiError(
            403 if token else 401, "forbidden", "only the facilitator may share a forecast"
        )

    async def now() -> tuple[Any, ...]:
        return (await _now(game), rollouts, game.model.seed)

    computed = await _run(pool, None, analysis_jobs.forecast_now, now)
    result = cast(Forecast, computed).to_dict()
    rogue = result["outcomes"].get("rogue_asi", {"p": 0.0})["p"]
    line: Announcement = {
        "text": f"Forecast from {result['quarter']}: P(rogue ASI) {rogue:.0%} if bots played on.",
        "turn": result["turn"],
        "forecast": public_forecast(result),
    }
    async with game.lock:  # the log's sequence numbers are the game's, one writer at a time
        await game.append(("facilitator", {"action": "share_forecast", **line}))
        game.announce(line)
    return result


@router.get("/{game_id}/forecast/series", responses=errors(401, 403, 404, 409, 422, 429))
async def forecast_series(
    game_id: str, hub: HubDep, pool: PoolDep, token: TokenDep, rollouts: Rollouts = 100
) -> list[dict[str, Any]]:
    """The forecast at the start of every turn so far (the replay view's chart)."""
    game = await game_or_404(hub, game_id)
    _need_insight(game, token)

    async def args() -> tuple[Any, ...]:
        saved = await hub.export(game)
        return (saved, rollouts, saved.seed)

    series = await _run(pool, _key(game, "series", rollouts), analysis_jobs.series, args)
    return [f.to_dict() for f in cast(list[Forecast], series)]


def report_audience(game: GameSession, token: str | None) -> Audience:
    """Whom a debrief is built for: ``full`` for the facilitator or after the reveal, else ``public``."""
    kind, _ = who(game, token)
    return "full" if kind == "facilitator" or game.revealed else "public"


@router.get(
    "/{game_id}/report",
    response_class=HTMLResponse,
    responses=errors(401, 403, 404, 409, 422, 429),
)
async def debrief_report(
    game_id: str, hub: HubDep, pool: PoolDep, token: TokenDep, rollouts: Rollouts = 40
) -> HTMLResponse:
    """The self-contained HTML debrief of a game (facilitator only until it is over).

    Once it is over and until the facilitator's reveal, anyone else gets the public report
    (what anyone could see during the game); the facilitator, and everyone after the
    reveal, the full one.
    """
    game = await game_or_404(hub, game_id)
    _need_insight(game, token)
    audience = report_audience(game, token)

    async def args() -> tuple[Any, ...]:
        return (await hub.export(game), rollouts, audience)

    key = _key(game, "report", rollouts, audience)
    # The full report's rollouts (series and turning points) are spread over the workers.
    full = audience == "full"
    job = analysis_jobs.report_on if full else analysis_jobs.report
    html = cast(str, await _run(pool, key, job, args, spread=full))
    return HTMLResponse(
        html,
        headers={
            "Content-Disposition": f'inline; filename="precipice-{game_id}.html"',
            "Content-Security-Policy": report_policy(html),
        },
    )
