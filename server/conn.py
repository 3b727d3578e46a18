"""One websocket connection: who it is, its outbox (a writer task), and its rate limit.

Sends never block the game: messages go to a bounded queue drained by a writer task; a
client that falls ``outbox_size`` messages behind is disconnected.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Literal

from starlette.websockets import WebSocket

ConnKind = Literal["seat", "spectator", "facilitator"]


@dataclass(slots=True)
class TokenBucket:
    """A token bucket: ``rate`` messages per second, bursts up to ``burst``."""

    rate: float
    burst: int
    tokens: float = 0.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = float(self.burst)

    def take(self) -> bool:
        """Spend one token; False when the bucket is empty."""
        now = time.monotonic()
        self.tokens = min(float(self.burst), self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class Connection:
    """A websocket with a bounded outbox drained by its own writer task."""

    def __init__(self, ws: WebSocket, outbox_size: int) -> None:
        self.ws = ws
        self.kind: ConnKind = "spectator"
        self.role: str | None = None
        self.authed = False
        self.closed = False
        self._queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=outbox_size)
        self._writer = asyncio.create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while True:
                text = await self._queue.get()
                if text is None:
                    break
                await self.ws.send_text(text)
        except Exception:  # noqa: S110 - a dead socket ends the writer; the reader notices
            pass
        finally:
            self.closed = True

    def send(self, text: str) -> None:
        """Queue a message; a client too far behind is disconnected."""
        if self.closed:
            return
        try:
            self._queue.put_nowait(text)
        except asyncio.QueueFull:
            self.closed = True
            with contextlib.suppress(asyncio.QueueFull):
                self._writer.cancel()
            asyncio.get_running_loop().create_task(self._close(1008))

    async def _close(self, code: int) -> None:
        with contextlib.suppress(Exception):
            await self.ws.close(code)

    async def close(self, code: int = 1000) -> None:
        """Flush what is queued, then close the socket."""
        if not self._writer.done():
            with contextlib.suppress(asyncio.QueueFull):
                self._queue.put_nowait(None)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._writer), 5)
        self.closed = True
        await self._close(code)

    async def stop_writer(self) -> None:
        """Stop the writer task (after the socket is gone)."""
        self.closed = True
        self._writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._writer
