"""The app factory: ``create_app(settings)`` wires the routers, the lifespan and the web client.

The lifespan creates the engine, session factory and game hub, rebuilds every live game
from its log, and tears it all down at shutdown. The REST API lives under ``/api`` (see
``/docs``), websockets under ``/ws``, and ``web/`` is served at ``/``.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.bodylimit import install as limit_bodies
from server.db.engine import make_engine, make_sessionmaker
from server.deps import ApiError
from server.hub import Hub
from server.protocol import CLIENT_ADAPTER, PROTOCOL_VERSION
from server.routes import analysis, games, lobby, ws
from server.server_messages import SERVER_ADAPTER
from server.settings import Settings
from server.store import Store

PLACEHOLDER = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Precipice</title></head>
<body><h1>Precipice</h1><p>The game server is running. The web client is not installed yet
(<code>web/index.html</code>). The REST API is documented at <a href="/docs">/docs</a>; the websocket
protocol at <a href="/api/protocol">/api/protocol</a>.</p></body></html>"""


def create_app(settings: Settings) -> FastAPI:
    """Build the FastAPI application for ``settings`` (no global state)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url, settings.sqlite_synchronous)
        store = Store(
            engine,
            make_sessionmaker(engine),
            group=settings.group_commit,
            window=settings.group_commit_ms / 1000,
        )
        hub = Hub(settings, store)
        app.state.settings = settings
        app.state.hub = hub
        app.state.analysis_pool = ProcessPoolExecutor(
            max_workers=settings.analysis_workers, mp_context=multiprocessing.get_context("spawn")
        )
        await hub.start()
        try:
            yield
        finally:
            await hub.shutdown()
            app.state.analysis_pool.shutdown(cancel_futures=True)
            engine.dispose()

    app = FastAPI(
        title="Precipice game server",
        version=f"protocol {PROTOCOL_VERSION}",
        lifespan=lifespan,
        description="Lobby, saved games and replay over REST; play over the websocket protocol "
        "documented in docs/protocol.md and at /api/protocol.",
    )
    app.state.settings = settings
    limit_bodies(app, settings.max_body_bytes)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(
            {"error": exc.code, "message": exc.message, **exc.extra}, status_code=exc.status
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "request"
        return JSONResponse(
            {
                "error": "invalid_request",
                "message": f"{where}: {first.get('msg', 'invalid')}",
                "detail": jsonable_encoder(errors),
            },
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed"}
        return JSONResponse(
            {
                "error": codes.get(exc.status_code, f"http_{exc.status_code}"),
                "message": str(exc.detail),
                "detail": exc.detail,
            },
            status_code=exc.status_code,
            headers=exc.headers,
        )

    @app.get("/api/protocol", tags=["websocket"])
    async def protocol() -> dict[str, Any]:
        """The websocket protocol version and the JSON schemas of its messages."""
        return {
            "version": PROTOCOL_VERSION,
            "client": CLIENT_ADAPTER.json_schema(),
            "server": SERVER_ADAPTER.json_schema(),
            "docs": "docs/protocol.md",
        }

    app.include_router(lobby.router)
    app.include_router(games.router)
    app.include_router(analysis.router)
    app.include_router(ws.router)
    web = settings.web_dir
    if not (web / "index.html").is_file():

        @app.get("/", response_class=HTMLResponse, include_in_schema=False)
        async def placeholder() -> str:
            return PLACEHOLDER

    if web.is_dir():
        app.mount("/", StaticFiles(directory=web, html=True), name="web")
    return app
