"""Request body limits: FastAPI's own per-route ``max_body_size``, answered with a typed 413.

The app's default (``max_json_body_bytes``) is set on the ``FastAPI`` app and the import
route gets ``max_body_bytes`` when it is included (``include_router(max_body_size=...)``).
Starlette counts the body as it streams (and refuses a declared ``Content-Length`` over
the limit before reading it), but answers with a plain-text ``Content Too Large``; the
outermost wrapper here turns that answer into the API's typed error
``{"error": "too_large", "message": "request body over N bytes"}``.
"""

from __future__ import annotations

import json

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LIMIT_KEY = "starlette.max_body_size"


class TypedTooLarge:
    """Rewrite Starlette's plain-text 413 into the typed JSON error (other responses pass)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, watching for a plain-text 413."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rewriting = False

        async def typed(message: Message) -> None:
            nonlocal rewriting
            if message["type"] == "http.response.start" and message["status"] == 413:
                headers = dict(message.get("headers") or [])
                if headers.get(b"content-type", b"").startswith(b"text/plain"):
                    rewriting = True
                    limit = scope.get(LIMIT_KEY)
                    body = json.dumps(
                        {
                            "error": "too_large",
                            "message": f"request body over {limit} bytes"
                            if limit
                            else "request body too large",
                        }
                    ).encode()
                    kept = [
                        (k, v)
                        for k, v in message.get("headers") or []
                        if k not in (b"content-type", b"content-length")
                    ]
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 413,
                            "headers": [
                                *kept,
                                (b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                            ],
                        }
                    )
                    await send({"type": "http.response.body", "body": body})
                    return
            if rewriting:
                return  # the plain-text body is replaced
            await send(message)

        await self.app(scope, receive, typed)


class LimitedApp(FastAPI):
    """FastAPI whose whole stack is wrapped in ``TypedTooLarge`` (outside its body limiter)."""

    def build_middleware_stack(self) -> ASGIApp:
        """FastAPI's stack, wrapped."""
        return TypedTooLarge(super().build_middleware_stack())
