"""REST from any process: a request about a game another live process owns is forwarded there.

Paths ``/api/games/{id}`` and below are checked: if the game's lease is held by another
live process, the request (method, query, body, ``Authorization``) is sent to that
process's public URL and its answer returned as it is. A forwarded request carries
``X-Precipice-Forwarded``, and a process never forwards such a request again (no loops:
it answers itself, taking the game if its owner is gone). An owner that cannot be
reached answers 503 ``owner_unreachable`` with ``Retry-After`` (its lease will expire).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from server.cluster.node import Node

FORWARDED = "x-precipice-forwarded"
_GAME_PATH = re.compile(r"^/api/games/([A-Za-z0-9_-]{1,32})(/.*)?$")
_HOP = {"host", "content-length", "connection", "transfer-encoding", "keep-alive"}


def _node(request: Request) -> Node | None:
    hub = getattr(request.app.state, "hub", None)
    return None if hub is None else hub.node


def install(app: FastAPI) -> None:
    """Forward requests about games owned elsewhere (see the module docstring)."""
    client = httpx.AsyncClient(timeout=30)

    @app.middleware("http")
    async def forward(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        m = _GAME_PATH.match(request.url.path)
        node = _node(request)
        if m is None or node is None or request.headers.get(FORWARDED):
            return await call_next(request)
        owner = await node.owner(m.group(1))
        if owner is None:
            return await call_next(request)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
        headers[FORWARDED] = node.peer_url
        try:
            r = await client.request(
                request.method,
                owner + request.url.path,
                params=request.query_params,
                content=await request.body(),
                headers=headers,
            )
        except httpx.HTTPError as exc:
            return JSONResponse(
                {
                    "error": "owner_unreachable",
                    "message": f"the process serving this game ({owner}) does not answer "
                    f"({type(exc).__name__}); another takes over within "
                    f"{node.seconds:g} s: retry",
                },
                status_code=503,
                headers={"Retry-After": str(max(1, round(node.seconds)))},
            )
        out = {k: v for k, v in r.headers.items() if k.lower() not in _HOP}
        return Response(r.content, status_code=r.status_code, headers=out)
