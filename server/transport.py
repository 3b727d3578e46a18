"""A server-level guard on HTTP connections: request heads must arrive whole, soon, and small.

uvicorn times out an idle keep-alive connection only *after* a response
(``timeout_keep_alive``), and a byte of a new request cancels even that: a connection
that never sends a request, or sends half its headers and stops, is held for ever. The
ASGI app cannot see such connections (it is called once the headers are complete), so
this guard subclasses uvicorn's ``httptools`` protocol: from the moment a connection
opens (and again after each response) its request line and headers must be complete
within ``header_timeout_seconds`` and ``max_header_bytes``, or the connection gets
``408`` (or ``431``) and is closed. Websocket upgrades are HTTP requests too, so the same
holds until the upgrade; after it the websocket's own hello timeout applies.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from server.settings import Settings


def _plain(status: bytes, text: str) -> bytes:
    body = text.encode()
    return (
        b"HTTP/1.1 " + status + b"\r\ncontent-type: text/plain; charset=utf-8\r\n"
        b"connection: close\r\ncontent-length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )


class GuardedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline and a size cap on every request head."""

    header_timeout = 10.0
    max_header_bytes = 16 * 1024

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = False
        self._head_bytes = 0
        self._head_timer: asyncio.TimerHandle | None = None

    def _start_head(self) -> None:
        self._in_head = True
        self._head_bytes = 0
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _refuse(self, status: bytes, text: str) -> None:
        self._in_head = False
        self._cancel_head_timer()
        if not self.transport.is_closing():
            self.transport.write(_plain(status, text))
            self.transport.close()

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._in_head and self.transport.get_protocol() is self:
            self._refuse(b"408 Request Timeout", "the request head did not arrive in time")

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """A new connection: its first request head is due within the header timeout."""
        super().connection_made(transport)
        self._start_head()

    def connection_lost(self, exc: Exception | None) -> None:
        """Drop the timer with the connection."""
        self._cancel_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Feed the parser; a head still incomplete past ``max_header_bytes`` is refused."""
        if self._in_head:
            self._head_bytes += len(data)
        super().data_received(data)
        if self._in_head and self._head_bytes > self.max_header_bytes:
            self._refuse(b"431 Request Header Fields Too Large", "the request head is too large")

    def on_headers_complete(self) -> None:
        """The head is whole: its deadline no longer applies."""
        self._in_head = False
        self._cancel_head_timer()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        """After a response the next request's head is due within the timeout (if none waits)."""
        pipelined = bool(self.pipeline)
        super().on_response_complete()
        if not pipelined and not self.transport.is_closing():
            self._start_head()


def guarded_protocol(settings: Settings) -> type[GuardedHttpTools]:
    """The guarded protocol class with the settings' deadline and size cap (for ``uvicorn.run``)."""
    return type(
        "PrecipiceHttp",
        (GuardedHttpTools,),
        {
            "header_timeout": settings.header_timeout_seconds,
            "max_header_bytes": settings.max_header_bytes,
        },
    )
