"""The app factory: ``create_app(settings)`` wires the routers, the lifespan and the web client.

The lifespan creates the engine, session factory and game hub, rebuilds every live game
from its log, and tears it all down at shutdown. The REST API lives under ``/api`` (see
``/docs``), websockets under ``/ws``, and ``web/`` is served at ``/``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.analysis_pool import AnalysisPool
from server.cluster import proxy
from server.cluster.node import Node, check_config
from server.db.engine import make_engine, make_sessionmaker
from server.deps import ApiError
from server.headers import SecurityHeaders
from server.hub import Hub
from server.limits import LimitedApp
from server.openapi import allowed_methods
from server.protocol import CLIENT_ADAPTER, PROTOCOL_VERSION
from server.routes import analysis, briefing, chat, games, lifecycle, lobby, publish, qr, ws
from server.server_messages import SERVER_ADAPTER
from server.settings import Settings
from server.store import Store

FALLBACK = "api_fallback"
"""The catch-all under ``/api``: a wrong method there is a 405 with ``Allow``, not the web client's."""

PLACEHOLDER = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Precipice</title></head>
<body><h1>Precipice</h1><p>The game server is running. The web client is not installed yet
(<code>web/index.html</code>). The REST API is documented at <a href="/docs">/docs</a>; the websocket
protocol at <a href="/api/protocol">/api/protocol</a>.</p></body></html>"""


def create_app(settings: Settings) -> FastAPI:
    """Build the FastAPI application for ``settings`` (no global state).

    Raises:
        ClusterConfigError: ``public_url`` set on a database that cannot hold a cluster.
    """
    check_config(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url, settings.sqlite_synchronous)
        store = Store(
            engine,
            make_sessionmaker(engine),
            group=settings.group_commit,
            window=settings.group_commit_ms / 1000,
            threads=settings.db_threads,
        )
        node = Node(settings, store) if settings.public_url else None
        hub = Hub(settings, store, node)
        app.state.settings = settings
        app.state.hub = hub
        app.state.analysis = AnalysisPool(
            settings.analysis_workers, settings.analysis_queue, settings.analysis_cache_entries
        )
        await hub.start()
        try:
            yield
        finally:
            await hub.shutdown()
            app.state.analysis.shutdown()
            store.close()
            engine.dispose()

    app = LimitedApp(
        title="Precipice game server",
        version=f"protocol {PROTOCOL_VERSION}",
        lifespan=lifespan,
        max_body_size=settings.max_json_body_bytes,
        description="Lobby, saved games and replay over REST; play over the websocket protocol "
        "documented in docs/protocol.md and at /api/protocol.",
    )
    app.state.settings = settings
    if settings.public_url:
        proxy.install(app)
    app.add_middleware(SecurityHeaders, connect_origins=settings.allowed_origins)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(
            {"error": exc.code, "message": exc.message, **exc.extra},
            status_code=exc.status,
            headers=exc.headers or None,
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
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
        message = str(exc.detail)
        if exc.status_code == 413:  # FastAPI's body limit (per route, in the request's scope)
            limit = request.scope.get("starlette.max_body_size")
            message = f"request body over {limit} bytes" if limit else "request body too large"
        return JSONResponse(
            {
                "error": codes.get(exc.status_code, f"http_{exc.status_code}"),
                "message": message,
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
    app.include_router(games.imports, max_body_size=settings.max_body_bytes)
    app.include_router(games.router)
    app.include_router(lifecycle.router)
    app.include_router(analysis.router)
    app.include_router(chat.router)
    app.include_router(publish.router)
    app.include_router(qr.router)
    app.include_router(briefing.router)
    app.include_router(ws.router)

    @app.api_route(
        "/api/{rest:path}",
        methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"],
        include_in_schema=False,
        name=FALLBACK,
    )
    async def api_fallback(request: Request, rest: str) -> JSONResponse:
        """No API route answers this method here: 405 naming the methods that do, else 404."""
        names = [getattr(r, "name", None) for r in app.router.routes]
        routes = app.router.routes[: names.index(FALLBACK)]  # the API's, not the web mount
        allowed = allowed_methods(routes, request.url.path)
        if allowed:
            return JSONResponse(
                {
                    "error": "method_not_allowed",
                    "message": f"{request.method} is not allowed here; use {', '.join(allowed)}",
                },
                status_code=405,
                headers={"Allow": ", ".join(allowed)},
            )
        return JSONResponse(
            {"error": "not_found", "message": f"no API route {request.url.path!r}"},
            status_code=404,
        )

    web = settings.web_dir
    if not (web / "index.html").is_file():

        @app.get("/", response_class=HTMLResponse, include_in_schema=False)
        async def placeholder() -> str:
            return PLACEHOLDER

    if web.is_dir():
        app.mount("/", StaticFiles(directory=web, html=True), name="web")
    return app
