"""In-process test set-up: the real app (lifespan included) behind Starlette's ASGI test client.

``app_client(db_url)`` migrates the database, builds ``create_app`` and enters its
lifespan, so the hub rebuilds stored games exactly as ``precipice serve`` does, without a
process boundary. ``Socket`` is a small protocol client over the in-process websocket
that keeps every message it receives.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.testclient import TestClient, WebSocketTestSession

from server.app import create_app
from server.db.migrate import upgrade
from server.settings import Settings


@contextmanager
def app_client(db_url: str, **settings: Any) -> Iterator[TestClient]:
    """The app on ``db_url`` (migrated first), started and stopped around the block."""
    upgrade(db_url)
    app = create_app(Settings(database_url=db_url, **settings))
    with TestClient(app) as client:
        yield client


@dataclass
class Socket:
    """A protocol client over an in-process websocket; ``raw`` and ``seen`` hold every message received."""

    ws: WebSocketTestSession
    seen: list[dict[str, Any]] = field(default_factory=list, repr=False)
    raw: list[str] = field(default_factory=list, repr=False)
    _n: int = 0

    @classmethod
    @contextmanager
    def open(
        cls, client: TestClient, game_id: str, token: str | None = None, hello: bool = True
    ) -> Iterator[Socket]:
        with client.websocket_connect(f"/ws/games/{game_id}") as ws:
            sock = cls(ws)
            if hello:
                reply = sock.request({"type": "hello", **({"token": token} if token else {})})
                assert reply["type"] == "ack", reply
            yield sock

    def recv(self) -> dict[str, Any]:
        text = self.ws.receive_text()
        self.raw.append(text)
        msg: dict[str, Any] = json.loads(text)
        self.seen.append(msg)
        return msg

    def send(self, msg: dict[str, Any]) -> str:
        self._n += 1
        mid = f"m{self._n}"
        self.ws.send_text(json.dumps({"v": 1, "id": mid, **msg}))
        return mid

    def request(self, msg: dict[str, Any]) -> dict[str, Any]:
        """Send ``msg`` and read until its ack or error (pushes are kept in ``seen``)."""
        mid = self.send(msg)
        while True:
            m = self.recv()
            if m["type"] in ("ack", "error") and m.get("id") == mid:
                return m

    def wait_for(
        self, kind: str, pred: Callable[[dict[str, Any]], bool] | None = None
    ) -> dict[str, Any]:
        """The first push of type ``kind`` (matching ``pred``) not yet returned by a wait."""
        for m in self.seen:
            if m["type"] == kind and not m.get("_used") and (pred is None or pred(m)):
                m["_used"] = True
                return m
        while True:
            m = self.recv()
            if m["type"] == kind and (pred is None or pred(m)):
                m["_used"] = True
                return m
