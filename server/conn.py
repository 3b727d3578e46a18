"""One websocket connection: who it is, its outbox (a writer task), and its rate limit.

Sends never block the game: messages go to a bounded queue drained by a writer task. The
reader applies backpressure: it reads a client's next message only once the outbox is at
most half full (``wait_for_room``), so a client that sends faster than it reads is slowed
down by TCP instead of overflowing its outbox, and every message still gets its reply. A
client whose outbox stays full (it does not read) is closed with 1008 and a reason, as is
one that falls ``outbox_size`` messages behind on pushes.
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
        self.replied = False
        self._queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=outbox_size)
        self._low = outbox_size // 2
        self._room = asyncio.Event()
        self._room.set()
        self._writer = asyncio.create_task(self._drain())
        self._closer: asyncio.Task[None] | None = None  # kept: a task nobody holds may vanish

    async def _drain(self) -> None:
        try:
            while True:
                text = await self._queue.get()
                if text is None:
                    break
                await self.ws.send_text(text)
                if self._queue.qsize() <= self._low:
                    self._room.set()
        except Exception:  # noqa: S110 - a dead socket ends the writer; the reader notices
            pass
        finally:
            self.closed = True
            self._room.set()

    async def wait_for_room(self, timeout: float) -> bool:
        """Wait until the outbox is at most half full; False (and closed, 1008) after ``timeout``."""
        if self._queue.qsize() <= self._low or self.closed:
            return not self.closed
        self._room.clear()
        try:
            await asyncio.wait_for(self._room.wait(), timeout)
        except TimeoutError:
            self.closed = True
            self._writer.cancel()
            await self._close(1008, f"outbox full for {timeout:g} s: the client is not reading")
            return False
        return not self.closed

    def reply(self, text: str) -> None:
        """Queue the one reply (ack) to the message being handled, and note it was sent."""
        self.replied = True
        self.send(text)

    def send(self, text: str) -> None:
        """Queue a message; a client too far behind is disconnected."""
        if self.closed:
            return
        try:
            self._queue.put_nowait(text)
        except asyncio.QueueFull:
            self.closed = True
            self._writer.cancel()
            reason = f"too slow: {self._queue.maxsize} messages waiting to be read"
            self._closer = asyncio.get_running_loop().create_task(self._close(1008, reason))

    async def _close(self, code: int, reason: str | None = None) -> None:
        with contextlib.suppress(Exception):
            await self.ws.close(code, reason[:123] if reason else reason)

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Flush what is queued, then close the socket (``reason``: at most 123 bytes)."""
        if not self._writer.done():
            with contextlib.suppress(asyncio.QueueFull):
                self._queue.put_nowait(None)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._writer), 5)
        self.closed = True
        await self._close(code, reason)

    async def stop_writer(self) -> None:
        """Stop the writer task (after the socket is gone)."""
        self.closed = True
        self._writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._writer
