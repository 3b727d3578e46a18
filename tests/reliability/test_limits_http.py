"""Limits beyond tests/server/test_limits.py: HTTP body size and transport-sized websocket frames."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from tests.server.helpers import Client, ServerProc, create_game, start_server


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    db: Path = tmp_path_factory.mktemp("body") / "b.db"
    sp = start_server(
        f"sqlite:///{db}",
        {"PRECIPICE_MAX_BODY_BYTES": "4096", "PRECIPICE_MAX_JSON_BODY_BYTES": "2048"},
    )
    yield sp
    sp.stop()


def test_request_bodies_over_the_limit_get_413(small: ServerProc) -> None:
    http = small.http()
    big = b'{"scenario": "' + b"x" * 10_000 + b'"}'
    r = http.post("/api/games/import", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"] == "too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"scenario": "'
        for _ in range(10):
            yield b"y" * 1000
        yield b'"}'

    r = http.post("/api/games", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"] == "too_large"
    assert "2048 bytes" in r.json()["message"]
    # Limits are per route: 3 KB is too much to create a game, not to import one.
    mid = b'{"scenario": "' + b"z" * 3000 + b'"}'
    json_type = {"content-type": "application/json"}
    r = http.post("/api/games", content=mid, headers=json_type)
    assert r.status_code == 413 and r.json()["error"] == "too_large"
    r = http.post("/api/games/import", content=mid, headers=json_type)
    assert r.status_code == 422, r.text
    # under the limit, the same routes work; validation errors are typed too
    assert create_game(http, seed=1)["game_id"]
    r = http.post("/api/games", json={"seed": "x"})
    assert r.status_code == 422 and r.json()["error"] == "invalid_request"
    assert http.get("/api/health").status_code == 200


def test_a_frame_over_the_transport_limit_closes_only_that_socket(small: ServerProc) -> None:
    http = small.http()
    g = create_game(http, seed=2)
    c = Client.open(small.ws_url(g["game_id"]))
    c.send_raw('{"v":1,"type":"ping","pad":"' + "x" * (2 << 20) + '"}')
    with pytest.raises(ConnectionClosed) as info:
        for _ in range(100):
            c.recv(30)
    assert info.value.rcvd is not None and info.value.rcvd.code == 1009
    other = Client.open(small.ws_url(g["game_id"]))
    assert other.request({"type": "ping"})["type"] == "ack"
