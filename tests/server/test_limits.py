"""Limits: message size, rate, games per creator, open connections, hello timeout — clear errors, no hang."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from tests.server.helpers import Client, ServerProc, create_game, start_server


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    db: Path = tmp_path_factory.mktemp("limits") / "l.db"
    sp = start_server(
        f"sqlite:///{db}",
        {
            "PRECIPICE_MESSAGES_PER_SECOND": "2",
            "PRECIPICE_MESSAGE_BURST": "3",
            "PRECIPICE_MAX_GAMES_PER_CREATOR": "2",
            "PRECIPICE_MAX_CONNECTIONS": "3",
            "PRECIPICE_HELLO_TIMEOUT_SECONDS": "1",
            "PRECIPICE_MAX_MESSAGE_BYTES": "1024",
        },
    )
    yield sp
    sp.stop()


def next_reply(c: Client) -> dict:
    """The next ack or error (pushes skipped)."""
    while True:
        m = c.recv()
        if m["type"] in ("ack", "error"):
            return m


def test_limits(tight: ServerProc) -> None:
    http = tight.http()
    g = create_game(http, seed=1)
    create_game(http, seed=2)
    r = http.post("/api/games", json={"seed": 3})
    assert r.status_code == 429 and r.json()["error"] == "too_many_games"
    c = Client.open(tight.ws_url(g["game_id"]))
    # too large: refused with a typed error, the connection stays open
    c.send_raw(json.dumps({"v": 1, "type": "ping", "id": "big", "pad": "x" * 2000}))
    assert next_reply(c)["code"] == "too_large"
    # rate: a burst beyond the bucket is refused, later messages pass again
    for i in range(8):
        c.send({"type": "ping", "id": i})
    codes = [next_reply(c) for _ in range(8)]
    assert any(m.get("code") == "rate_limited" for m in codes)
    time.sleep(2)
    assert c.request({"type": "ping"})["type"] == "ack"
    # connections: the fourth socket is told the server is full
    others = [Client.open(tight.ws_url(g["game_id"]), hello=False) for _ in range(2)]
    full = Client.open(tight.ws_url(g["game_id"]), hello=False)
    assert next_reply(full)["code"] == "too_many_connections"
    for o in others:
        # no hello within a second: unauthorized, then closed
        assert next_reply(o)["code"] == "unauthorized"
        with pytest.raises(ConnectionClosed):
            o.recv(10)
