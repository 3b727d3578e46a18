"""The REST error contract in the OpenAPI document: one error model, and each route's error statuses.

Every refusal is ``{"error": code, "message": ...}`` (``ErrorBody``; a validation error
adds ``detail``, a game under other rules both rules versions). ``errors(401, 404, ...)``
is what a route passes as ``responses=``, so ``/openapi.json`` lists every status the
route can answer with, each with that model; ``allowed_methods`` is what a ``405`` names
in its ``Allow`` header.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.routing import BaseRoute, Match

WHY: dict[int, str] = {
    401: "No token where one is needed (`Authorization: Bearer <token>`).",
    403: "A token that may not do this (another seat's, or not the facilitator's).",
    404: "No such game, role or turn.",
    409: "The game's state refuses it: taken seat, game over, or a game under other rules "
    "(`rules_version_mismatch`, both versions named) or whose log does not replay.",
    413: "The request body is over the size limit.",
    422: "The request is invalid: the field at fault is named in `message` (and `detail`).",
    429: "Too many games or requests from this client; try again later.",
}


class ErrorBody(BaseModel):
    """A refused request: a stable error code, a message naming the field or the reason."""

    model_config = ConfigDict(extra="allow")
    error: str = Field(description="A stable code, e.g. `unknown_game`, `invalid_request`.")
    message: str = Field(description="What was wrong, naming the field at fault if any.")
    detail: Any = Field(None, description="Validation errors, one per field (422 only).")


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route that can refuse with ``statuses`` (each with ``ErrorBody``)."""
    return {s: {"model": ErrorBody, "description": WHY[s]} for s in statuses}


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(routes: list[BaseRoute], path: str) -> list[str]:
    """The methods some route of ``routes`` answers at ``path`` (empty: no route has it).

    Each method is tried against every route's own matcher (included routers too), so
    this says exactly what the router would dispatch.
    """
    out = []
    for method in METHODS:
        scope = {"type": "http", "path": path, "root_path": "", "method": method}
        if any(route.matches(scope)[0] is Match.FULL for route in routes):
            out.append(method)
    return out
