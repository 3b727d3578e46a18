"""Analysis cannot stall play: order-to-ack latency with and without analysis load, one run.

Starts ``precipice serve`` (SQLite in a temp dir, default settings unless given), imports a
finished golden game, and creates a live game with two seats held by people (one plays, so
no turn resolves). Then:

1. baseline: ``--orders`` orders, one after another, each timed from send to ack; and
   ``POST /api/games`` timed ``--creates`` times;
2. under load: ``--clients`` anonymous clients ask, without pause, for forecasts, forecast
   series and reports of the finished game (distinct rollouts, so no cache hit), while the
   same orders and creations are timed again.

Prints p50/p95/max of both, their ratios, and how many analysis requests were answered
200 and how many refused 429 (with Retry-After).

Usage: ``uv run python benchmarks/stall.py [--orders 60] [--clients 75] [--creates 10]``
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.server.helpers import default_order, start_server  # noqa: E402

GOLDEN = ROOT / "tests" / "data" / "golden" / "baseline-1.json"


def pct(xs: list[float], q: float) -> float:
    """The ``q`` quantile of ``xs`` in milliseconds."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000


async def time_orders(url: str, token: str, n: int) -> list[float]:
    """Send ``n`` orders one after another; each one's send-to-ack time."""
    out: list[float] = []
    async with connect(url, max_size=None) as ws:
        await ws.send(json.dumps({"v": 1, "type": "hello", "id": "h", "token": token}))
        obs: dict[str, Any] | None = None
        while obs is None:
            m = json.loads(await ws.recv())
            if m["type"] == "observation":
                obs = m
        order = default_order(obs)
        for i in range(n):
            mid = f"o{i}"
            t0 = time.perf_counter()
            msg = {"v": 1, "type": "order", "id": mid, "turn": obs["data"]["turn"], "order": order}
            await ws.send(json.dumps(msg))
            while True:
                m = json.loads(await ws.recv())
                if m.get("id") == mid:
                    assert m["type"] == "ack", m
                    break
            out.append(time.perf_counter() - t0)
    return out


async def time_creates(http: httpx.AsyncClient, n: int) -> list[float]:
    """Create ``n`` games one after another; each one's time."""
    out = []
    for i in range(n):
        t0 = time.perf_counter()
        r = await http.post("/api/games", json={"scenario": "baseline", "seed": 100 + i})
        assert r.status_code == 201, r.text
        out.append(time.perf_counter() - t0)
    return out


async def hammer(
    http: httpx.AsyncClient, gid: str, stop: asyncio.Event, tally: dict[int, int], ids: Any
) -> None:
    """Ask for analyses of the finished game until ``stop``; count answers by status."""
    kinds = ("report?rollouts={r}", "forecast/series?rollouts={r}", "forecast?turn=3&rollouts={r}")
    while not stop.is_set():
        i = next(ids)
        url = f"/api/games/{gid}/{kinds[i % 3].format(r=10 + i)}"
        try:
            r = await http.get(url)
        except httpx.HTTPError:
            tally[0] = tally.get(0, 0) + 1
            continue
        tally[r.status_code] = tally.get(r.status_code, 0) + 1
        if r.status_code == 429:
            await asyncio.sleep(min(float(r.headers["Retry-After"]), 1.0))


def line(name: str, xs: list[float]) -> str:
    """One row of figures."""
    return f"{name:<34} p50 {pct(xs, 0.5):8.1f} ms  p95 {pct(xs, 0.95):8.1f} ms  max {max(xs) * 1000:8.1f} ms"


async def main(args: argparse.Namespace) -> None:
    """Run the benchmark (see the module doc)."""
    tmp = Path(tempfile.mkdtemp(prefix="precipice-stall-"))
    sp = start_server(f"sqlite:///{tmp / 'stall.db'}")
    try:
        async with httpx.AsyncClient(base_url=sp.base, timeout=600) as http:
            r = await http.post("/api/games/import", json=json.loads(GOLDEN.read_text()))
            assert r.status_code == 201, r.text
            finished = r.json()["game_id"]
            r = await http.post(
                "/api/games",
                json={
                    "scenario": "baseline",
                    "seed": 5,
                    "open_seats": ["us", "cn"],
                    "visibility": "public",
                },
            )
            live = r.json()["game_id"]
            fac = {"Authorization": f"Bearer {r.json()['facilitator_token']}"}
            tokens = []
            for role in ("us", "cn"):
                c = await http.post(f"/api/games/{live}/seats/{role}/claim", json={"player": role})
                tokens.append(c.json()["seat_token"])
            assert (await http.post(f"/api/games/{live}/start", headers=fac)).status_code == 200
            url = sp.ws_url(live)
            base_orders = await time_orders(url, tokens[0], args.orders)
            base_creates = await time_creates(http, args.creates)

            stop = asyncio.Event()
            tally: dict[int, int] = {}
            ids = itertools.count()
            limits = httpx.Limits(max_connections=args.clients + 10)
            async with httpx.AsyncClient(base_url=sp.base, timeout=600, limits=limits) as anon:
                load = [
                    asyncio.create_task(hammer(anon, finished, stop, tally, ids))
                    for _ in range(args.clients)
                ]
                await asyncio.sleep(args.warmup)
                load_orders = await time_orders(url, tokens[0], args.orders)
                load_creates = await time_creates(http, args.creates)
                stop.set()
                for t in load:
                    t.cancel()
                await asyncio.gather(*load, return_exceptions=True)
    finally:
        sp.stop()
    print(
        f"{args.orders} orders and {args.creates} creations, each timed; load: {args.clients} clients"
    )
    print(line("order->ack, no analysis", base_orders))
    print(line("order->ack, analysis load", load_orders))
    print(line("POST /api/games, no analysis", base_creates))
    print(line("POST /api/games, analysis load", load_creates))
    print(
        f"ratio under load / without: ack p50 {pct(load_orders, 0.5) / pct(base_orders, 0.5):.1f}x, "
        f"p95 {pct(load_orders, 0.95) / pct(base_orders, 0.95):.1f}x; "
        f"create p50 {pct(load_creates, 0.5) / pct(base_creates, 0.5):.1f}x"
    )
    print(f"analysis answers by status during the load: {dict(sorted(tally.items()))}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=60)
    parser.add_argument("--creates", type=int, default=10)
    parser.add_argument("--clients", type=int, default=75)
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of load before timing")
    asyncio.run(main(parser.parse_args()))
