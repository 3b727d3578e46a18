"""The perimeter of a real ``precipice serve``: ids on refusals, bursts, origins, timeouts.

One server for the module, with short timeouts and an extra allowed origin.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.asyncio.client import connect as aconnect
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.server.helpers import Client, ServerProc, create_game, start_server

EXTRA_ORIGIN = "https://room.example.org"


@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    db: Path = tmp_path_factory.mktemp("edge") / "e.db"
    sp = start_server(
        f"sqlite:///{db}",
        {
            "PRECIPICE_ALLOWED_ORIGINS": json.dumps([EXTRA_ORIGIN]),
            "PRECIPICE_HEADER_TIMEOUT_SECONDS": "1",
            "PRECIPICE_KEEP_ALIVE_SECONDS": "1",
            "PRECIPICE_MAX_HEADER_BYTES": "4096",
        },
    )
    yield sp
    sp.stop()


@pytest.fixture(scope="module")
def game_id(edge: ServerProc) -> str:
    gid: str = create_game(edge.http(), seed=3)["game_id"]
    return gid


def test_refusals_before_parsing_echo_the_message_id(edge: ServerProc, game_id: str) -> None:
    c = Client.open(edge.ws_url(game_id))
    big = {"type": "ping", "id": "big-1", "pad": "x" * 20_000}
    c.send_raw(json.dumps({"v": 1, **big}))
    reply = c.reply_to("big-1")
    assert reply["type"] == "error" and reply["code"] == "too_large"
    # Over the rate: every refused ping is answered with its own id.
    ids = [f"r{i}" for i in range(80)]
    for mid in ids:
        c.send({"type": "ping", "id": mid})
    replies = [c.reply_to(mid) for mid in ids]
    limited = [r for r in replies if r["type"] == "error"]
    assert limited and all(r["code"] == "rate_limited" for r in limited)
    assert [r["id"] for r in replies] == ids


def test_a_burst_of_1000_pings_gets_exactly_one_reply_each(edge: ServerProc, game_id: str) -> None:
    async def main() -> tuple[dict[str, list[dict]], dict]:
        async with aconnect(edge.ws_url(game_id), max_size=None) as ws:
            await ws.send(json.dumps({"v": 1, "type": "hello", "id": "h"}))
            replies: dict[str, list[dict]] = {}

            async def send_all() -> None:
                for i in range(1000):
                    await ws.send(json.dumps({"v": 1, "type": "ping", "id": f"p{i}"}))

            async def read_all() -> None:
                while sum(len(v) for v in replies.values()) < 1000:
                    m = json.loads(await asyncio.wait_for(ws.recv(), 60))
                    if isinstance(m.get("id"), str) and m["id"].startswith("p"):
                        replies.setdefault(m["id"], []).append(m)

            await asyncio.gather(send_all(), read_all())
            await asyncio.sleep(2.5)  # the bucket refills: accepted again
            await ws.send(json.dumps({"v": 1, "type": "ping", "id": "after"}))
            while True:
                m = json.loads(await asyncio.wait_for(ws.recv(), 60))
                if m.get("id") == "after":
                    return replies, m

    replies, after = asyncio.run(main())
    assert sorted(replies) == sorted(f"p{i}" for i in range(1000))
    assert all(len(v) == 1 for v in replies.values())
    kinds = {(m["type"], m.get("code")) for v in replies.values() for m in v}
    assert kinds == {("ack", None), ("error", "rate_limited")}
    assert after["type"] == "ack"


def test_websockets_from_other_origins_are_refused(edge: ServerProc, game_id: str) -> None:
    url = edge.ws_url(game_id)
    with pytest.raises(InvalidStatus) as refused:
        connect(url, origin="https://evil.example.com", open_timeout=30, legacy=True)  # type: ignore[arg-type]
    assert refused.value.response.status_code == 403
    own = f"http://127.0.0.1:{edge.port}"
    for origin in (own, EXTRA_ORIGIN, None):
        with connect(url, origin=origin, open_timeout=30) as ws:  # type: ignore[arg-type]
            ws.send(json.dumps({"v": 1, "type": "hello", "id": 1}))
            assert json.loads(ws.recv(30))["type"] == "ack"


def _closed_by_server(sock: socket.socket) -> bytes:
    """Read until the server closes the connection (the socket's timeout bounds the wait)."""
    got = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return got
        if not chunk:
            return got
        got += chunk


def _sock(edge: ServerProc) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", edge.port), timeout=30)
    return s


def test_silent_half_sent_and_idle_connections_are_closed(edge: ServerProc) -> None:
    with _sock(edge) as silent:  # connects and sends nothing
        assert _closed_by_server(silent).startswith(b"HTTP/1.1 408")
    with _sock(edge) as half:  # sends half its headers, then stalls
        half.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        assert _closed_by_server(half).startswith(b"HTTP/1.1 408")
    with _sock(edge) as idle:  # one request, then idles on the kept-alive connection
        idle.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        got = _closed_by_server(idle)
        assert got.startswith(b"HTTP/1.1 200") and got.count(b"HTTP/1.1") == 1
    with _sock(edge) as again:  # after a response, half a second request stalls
        again.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        got = b""
        while b'{"status":"ok"}' not in got:
            got += again.recv(65536)
        again.sendall(b"GET /api/health HTTP/1.1\r\n")
        assert _closed_by_server(again).startswith(b"HTTP/1.1 408")
    with _sock(edge) as huge:  # a head over the limit
        huge.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 8000)
        assert _closed_by_server(huge).startswith(b"HTTP/1.1 431")
    # Meanwhile ordinary clients are served.
    assert edge.http().get("/api/health").status_code == 200


def test_a_bad_setting_stops_the_server_naming_it(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bad.db'}",
        "PRECIPICE_SQLITE_SYNCHRONOUS": "sometimes",
    }
    run = subprocess.run(
        [sys.executable, "-m", "server.cli", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert run.returncode == 2, run.stderr
    assert "PRECIPICE_SQLITE_SYNCHRONOUS='SOMETIMES'" in run.stderr
    assert "Traceback" not in run.stderr
