"""An ASGI middleware that refuses HTTP request bodies over a size limit with a typed 413.

A declared ``Content-Length`` over the limit is refused before the body is read; a
chunked body is counted as it streams: at the limit the client gets the 413 and the
application sees a disconnect (its own answer is dropped).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _refusal(limit: int) -> bytes:
    return json.dumps(
        {"error": "too_large", "message": f"request body over {limit} bytes"}
    ).encode()


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes (413 ``{"error": "too_large"}``)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def _refuse(self, send: Send) -> None:
        body = _refusal(self.limit)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, counting its body."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: dict[bytes, bytes] = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        seen = 0
        started = False
        refused = False

        async def counted() -> Message:
            nonlocal seen, refused, started
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit and not refused:
                    refused = True
                    if not started:
                        started = True
                        await self._refuse(send)
                    # The app sees the client go away; whatever it answers is dropped.
                    return {"type": "http.disconnect"}
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, counted, tracked)

    def __repr__(self) -> str:
        """Name and limit."""
        return f"BodyLimit({self.limit})"


def install(app: Any, limit: int) -> None:
    """Wrap ``app`` (a FastAPI/Starlette app) in ``BodyLimit``."""
    app.add_middleware(BodyLimit, limit=limit)
