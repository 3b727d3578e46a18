"""Websocket latency of the game server against a bare echo on the same uvicorn.

Starts ``precipice serve`` (SQLite in a temp dir, /ws/echo enabled), then for 1, 10 and
100 concurrent games of 4 human seats measures, over a few turns:

* order-to-ack latency (p50, p99): the order is committed to the database before its ack;
  the four seats of a game send their orders at once (they queue on the game's lock, each
  behind the others' commits), and for one game also one after another ("one by one": the
  cost of a lone order);
* last-order-to-new-turn: from the last order of a turn to every client holding the next
  turn's observation;
* echo round trips on up to 20 sockets pinging /ws/echo *while the games play* (the same
  server under the same load, as ``load.py`` measures it), as the baseline; and prints the ratios.

Usage: ``uv run python benchmarks/ws_latency.py [--games 1 10 100] [--turns 3]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.server.helpers import default_order, start_server  # noqa: E402

ROLES = ["us", "cn", "us-lab", "cn-lab"]


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000


class Seat:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.obs: dict[int, asyncio.Future[float]] = {}
        self.last_obs: dict[str, Any] | None = None
        self.reader = asyncio.create_task(self.read())
        self.n = 0

    async def read(self) -> None:
        async for text in self.ws:
            m = json.loads(text)
            if m["type"] in ("ack", "error") and m.get("id") in self.acks:
                self.acks.pop(m["id"]).set_result(m)
            elif m["type"] == "observation":
                self.last_obs = m
                fut = self.obs.get(m["data"]["turn"])
                if fut is not None and not fut.done():
                    fut.set_result(time.perf_counter())

    def expect_turn(self, turn: int) -> asyncio.Future[float]:
        fut = self.obs.get(turn)
        if fut is None:
            fut = self.obs[turn] = asyncio.get_running_loop().create_future()
            if self.last_obs is not None and self.last_obs["data"]["turn"] == turn:
                fut.set_result(time.perf_counter())
        return fut

    async def request(self, msg: dict[str, Any]) -> dict[str, Any]:
        self.n += 1
        mid = f"m{self.n}"
        fut = self.acks[mid] = asyncio.get_running_loop().create_future()
        await self.ws.send(json.dumps({"v": 1, "id": mid, **msg}))
        return await asyncio.wait_for(fut, 60)


async def open_game(http: httpx.AsyncClient, ws_base: str, seed: int) -> list[Seat]:
    body = {"seed": seed, "open_seats": ROLES, "visibility": "public"}
    g = (await http.post("/api/games", json=body)).json()
    auth = {"Authorization": f"Bearer {g['facilitator_token']}"}
    (await http.post(f"/api/games/{g['game_id']}/start", headers=auth)).raise_for_status()
    seats = []
    for role in ROLES:
        tok = (await http.post(f"/api/games/{g['game_id']}/seats/{role}/claim")).json()[
            "seat_token"
        ]
        ws = await connect(f"{ws_base}/ws/games/{g['game_id']}", max_size=None)
        seat = Seat(ws)
        assert (await seat.request({"type": "hello", "token": tok}))["type"] == "ack"
        seats.append(seat)
    await asyncio.gather(*(s.expect_turn(0) for s in seats))
    return seats


async def play_turn(
    seats: list[Seat], turn: int, acks: list[float], news: list[float], one_by_one: bool = False
) -> None:
    waits = [s.expect_turn(turn + 1) for s in seats]
    last_sent = 0.0

    async def one(s: Seat) -> None:
        nonlocal last_sent
        assert s.last_obs is not None
        t0 = time.perf_counter()
        last_sent = max(last_sent, t0)
        r = await s.request({"type": "order", "turn": turn, "order": default_order(s.last_obs)})
        acks.append(time.perf_counter() - t0)
        assert r["type"] == "ack", r

    if one_by_one:
        for s in seats:
            await one(s)
    else:
        await asyncio.gather(*(one(s) for s in seats))
    done = await asyncio.wait_for(asyncio.gather(*waits), 60)
    news.append(max(done) - last_sent)


async def echo_during(ws_base: str, n: int, stop: asyncio.Event, every: float) -> list[float]:
    """Round trips of ``n`` sockets pinging /ws/echo every ``every`` s until ``stop`` is set."""
    conns = [await connect(f"{ws_base}/ws/echo") for _ in range(n)]
    out: list[float] = []

    async def one(ws: ClientConnection) -> None:
        while not stop.is_set():
            t0 = time.perf_counter()
            await ws.send('{"v":1,"type":"ping","id":"x"}')
            await ws.recv()
            out.append(time.perf_counter() - t0)
            await asyncio.sleep(every)

    await asyncio.gather(*(one(ws) for ws in conns))
    for ws in conns:
        await ws.close()
    return out


async def run(base: str, games: list[int], turns: int) -> None:
    ws_base = base.replace("http", "ws")
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        print(
            "echo: sockets pinging /ws/echo while the games play (same server, same load)\n"
            f"{'games':>14} {'clients':>7} | {'echo p50':>8} {'p99':>7} | {'ack p50':>8} {'p99':>7} | "
            f"{'turn p50':>8} {'p99':>7} | ack/echo p50 p99 | turn/echo p50"
        )
        rows = [(n, False) for n in games]
        if 1 in games:
            rows.insert(games.index(1) + 1, (1, True))
        for n, one_by_one in rows:
            all_seats = [await open_game(http, ws_base, 100 + i) for i in range(n)]
            stop = asyncio.Event()
            pinger = asyncio.create_task(echo_during(ws_base, min(20, 4 * n), stop, 0.02))
            acks: list[float] = []
            news: list[float] = []
            for t in range(turns):
                await asyncio.gather(
                    *(play_turn(seats, t, acks, news, one_by_one) for seats in all_seats)
                )
            stop.set()
            ech = await pinger
            e50, e99 = pct(ech, 0.5), pct(ech, 0.99)
            a50, a99 = pct(acks, 0.5), pct(acks, 0.99)
            t50, t99 = pct(news, 0.5), pct(news, 0.99)
            label = "1 (one by one)" if one_by_one else str(n)
            print(
                f"{label:>14} {4 * n:>7} | {e50:>6.2f}ms {e99:>5.1f}ms | {a50:>6.2f}ms {a99:>5.1f}ms | "
                f"{t50:>6.2f}ms {t99:>5.1f}ms | {a50 / e50:>6.1f}x {a99 / e99:>5.1f}x | {t50 / e50:>6.1f}x"
            )
            for seats in all_seats:
                for s in seats:
                    await s.ws.close()
                    s.reader.cancel()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--turns", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sp = start_server(
            f"sqlite:///{tmp}/bench.db",
            {
                "PRECIPICE_ENABLE_ECHO": "1",
                "PRECIPICE_MAX_GAMES_PER_CREATOR": "100000",
                "PRECIPICE_MAX_CONNECTIONS": "100000",
                "PYTHONHASHSEED": os.environ.get("PYTHONHASHSEED", "0"),
            },
        )
        try:
            print(
                f"server: {sp.base} (SQLite, WAL, synchronous=NORMAL); client and server share this machine"
            )
            asyncio.run(run(sp.base, args.games, args.turns))
        finally:
            sp.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
