"""Several ``precipice serve`` processes on one PostgreSQL: spread, failover, load held.

Starts ``--processes`` servers (each with ``--public-url``) on a fresh PostgreSQL database,
creates ``--games`` games round robin across them (4 human seats each, played by
``SeatClient``s that know every process), and, with ``--kill``, SIGKILLs the process that
owns the most games once every client has an order acknowledged, or ``--kill-after``
seconds in if that comes first (mid-quarter: clients are submitting; the games must still
be running then: a 16-quarter game of four quick clients can end within a second, and a
kill after every game ended takes nothing over and fails the run).
Then it checks, like ``load.py``/``crash.py``: every game finished, every acknowledged
order is in the export (asked of any live process), none logged twice, every export
replays with every hash verified. It reports the takeover time (SIGKILL to every game of
the dead process leased by a live one) and the clients' reconnects.

``--scaling`` instead plays the same load on 1, 2 and 3 processes for ``--seconds`` each
and prints orders per second and order-to-ack p50/p99 against an echo on the same
processes measured during the load.

Usage::

    uv run python benchmarks/cluster.py --postgres URL --processes 3 --games 12 --kill
    uv run python benchmarks/cluster.py --postgres URL --scaling --games 60 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.load import (  # noqa: E402
    ROLES,
    Check,
    GameRun,
    Tally,
    database,
    echo_probe,
    pct,
    query,
    random_policy,
    verify,
)
from server.client import SeatClient  # noqa: E402
from tests.server.helpers import ServerProc, free_port, start_server  # noqa: E402


def start_cluster(db_url: str, n: int, lease_seconds: float, grace: float = 60) -> list[ServerProc]:
    """Start ``n`` processes on ``db_url`` (the first one migrates before the others start)."""
    procs: list[ServerProc] = []
    for _ in range(n):
        port = free_port()
        env = {
            "PRECIPICE_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "PRECIPICE_LEASE_SECONDS": str(lease_seconds),
            "PRECIPICE_GRACE_SECONDS": str(grace),
            "PRECIPICE_MAX_GAMES_PER_CREATOR": "100000",
            "PRECIPICE_MAX_CONNECTIONS": "100000",
            "PRECIPICE_ENABLE_ECHO": "1",
        }
        procs.append(start_server(db_url, env, port=port))
    return procs


def owners(db_url: str, ids: list[str]) -> dict[str, tuple[str, bool]]:
    """Each game's owner URL and whether its lease is alive, read from the database."""
    rows = query(db_url, "SELECT game_id, url, expires_at > now() FROM game_leases")
    return {gid: (url, bool(alive)) for gid, url, alive in rows if gid in ids}


async def open_game(
    bases: list[str], i: int, turns: int, tally: Tally, timeout: float
) -> list[SeatClient]:
    """Create game ``i`` on process ``i % n`` with 4 human seats; the clients know every process."""
    base = bases[i % len(bases)]
    others = tuple(b for b in bases if b != base)
    async with httpx.AsyncClient(base_url=base, timeout=timeout) as http:
        r = await http.post(
            "/api/games",
            json={
                "seed": 1000 + i,
                "open_seats": list(ROLES),
                "overrides": {"turns": turns},
                "visibility": "public",
            },
        )
        r.raise_for_status()
        g = r.json()
        auth = {"Authorization": f"Bearer {g['facilitator_token']}"}
        (await http.post(f"/api/games/{g['game_id']}/start", headers=auth)).raise_for_status()
        run = GameRun(g["game_id"], g["facilitator_token"])
        tokens = []
        for role in ROLES:
            c = await http.post(f"/api/games/{run.game_id}/seats/{role}/claim", json={})
            c.raise_for_status()
            tokens.append(c.json()["seat_token"])
    tally.games.append(run)
    return [
        SeatClient(
            base,
            run.game_id,
            tok,
            random_policy(i * 8 + k),
            timeout=timeout,
            other_urls=others,
            reconnect_window=60,
        )
        for k, tok in enumerate(tokens)
    ]


@dataclass
class FailoverResult:
    """What a failover run measured and checked."""

    processes: int
    games: int
    killed_games: int = 0
    takeover_seconds: float | None = None
    reconnects: int = 0
    moves: int = 0
    seconds: float = 0.0
    spread: dict[str, int] = field(default_factory=dict)
    check: Check = field(default_factory=Check)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every game finished, nothing acknowledged lost, changed or doubled, every replay verified."""
        c = self.check
        return not (
            self.failures
            or c.lost
            or c.mismatched
            or c.duplicated
            or c.replay_failures
            or c.unfinished
        ) and (self.killed_games == 0 or self.takeover_seconds is not None)

    def table(self) -> str:
        """A plain-text report."""
        c = self.check
        return "\n".join(
            [
                f"processes {self.processes}, games {self.games} (spread {sorted(self.spread.values())})",
                f"games on the killed process: {self.killed_games}; takeover (SIGKILL to every one "
                f"leased by a live process): {self.takeover_seconds if self.takeover_seconds is None else round(self.takeover_seconds, 2)} s",
                f"acknowledged orders: {c.acked}; lost {len(c.lost)}, changed {len(c.mismatched)}, "
                f"duplicated {len(c.duplicated)}; unfinished games {len(c.unfinished)}; "
                f"replays failing {len(c.replay_failures)}",
                f"client reconnects {self.reconnects} (refused with 4409 and sent to the owner: {self.moves}); "
                f"failures {self.failures}; {self.seconds:.1f} s",
            ]
        )


async def _failover(
    procs: list[ServerProc], games: int, turns: int, kill_after: float | None, timeout: float
) -> FailoverResult:
    bases = [p.base for p in procs]
    res = FailoverResult(len(procs), games)
    tally = Tally()
    clients = [c for i in range(games) for c in await open_game(bases, i, turns, tally, timeout)]
    ids = [g.game_id for g in tally.games]
    res.spread = {}
    for url, _ in owners(procs[0].db_url, ids).values():
        res.spread[url] = res.spread.get(url, 0) + 1
    t0 = time.monotonic()
    runs = [asyncio.create_task(c.run()) for c in clients]
    if kill_after is not None:
        # Kill mid-game: once every client has an order acknowledged (play is under way), or
        # after ``kill_after`` seconds, whichever comes first. A fixed delay alone could come
        # after a fast game's end, and an ended game has nothing to take over.
        until = time.monotonic() + kill_after
        while time.monotonic() < until and not all(c.result.acked for c in clients):
            await asyncio.sleep(0.01)
        held = owners(procs[0].db_url, ids)
        by_url: dict[str, list[str]] = {}
        for gid, (url, _) in held.items():
            by_url.setdefault(url, []).append(gid)
        victim_url = max(by_url, key=lambda u: len(by_url[u]))
        victim = next(p for p in procs if p.base == victim_url)
        moved = by_url[victim_url]
        res.killed_games = len(moved)
        victim.kill()
        k0 = time.monotonic()
        while time.monotonic() - k0 < 60:
            now = owners(procs[0].db_url, moved)
            if all(now[g][0] != victim_url and now[g][1] for g in moved):
                res.takeover_seconds = time.monotonic() - k0
                break
            await asyncio.sleep(0.05)
    results = await asyncio.gather(*runs, return_exceptions=True)
    res.seconds = time.monotonic() - t0
    for k, r in enumerate(results):
        if isinstance(r, BaseException):
            res.failures.append(f"client {k}: {type(r).__name__}: {r}")
    for gi, run in enumerate(tally.games):
        run.results = [r for r in results[gi * 4 : gi * 4 + 4] if not isinstance(r, BaseException)]
    res.reconnects = sum(c.result.reconnects for c in clients)
    res.moves = sum(c.result.moves for c in clients)
    alive = next(p for p in procs if p.proc.poll() is None)
    res.check = await asyncio.to_thread(verify, alive, tally, True)
    return res


def run_failover(
    db_url: str,
    processes: int = 3,
    games: int = 6,
    turns: int = 8,
    kill_after: float | None = 2.0,
    lease_seconds: float = 1.5,
    timeout: float = 60.0,
) -> FailoverResult:
    """Start the cluster, play, kill an owner (``kill_after`` None: no kill), check; stop."""
    procs = start_cluster(db_url, processes, lease_seconds)
    try:
        return asyncio.run(_failover(procs, games, turns, kill_after, timeout))
    finally:
        for p in procs:
            with contextlib.suppress(Exception):
                p.stop()


async def _load(bases: list[str], games: int, seconds: float, timeout: float) -> dict[str, Any]:
    tally = Tally()
    stop = asyncio.Event()
    probes = [
        asyncio.create_task(echo_probe(b.replace("http", "ws", 1), 4, stop, tally)) for b in bases
    ]
    end = time.monotonic() + seconds
    orders = 0

    async def slot(i: int) -> None:
        nonlocal orders
        n = 0
        while time.monotonic() < end:
            clients = await open_game(bases, i + 1000 * n, 8, Tally(), timeout)
            done = await asyncio.gather(*(c.run() for c in clients))
            orders += sum(len(r.acked) for r in done)
            tally.games.append(GameRun("", "", list(done)))
            n += 1

    t0 = time.monotonic()
    await asyncio.gather(*(slot(i) for i in range(games)))
    dt = time.monotonic() - t0
    stop.set()
    await asyncio.gather(*probes)
    return {
        "orders_per_s": orders / dt,
        "ack_p50": pct(tally.acks, 0.5),
        "ack_p99": pct(tally.acks, 0.99),
        "echo_p99": pct(tally.echo, 0.99),
    }


def run_scaling(postgres: str, games: int, seconds: float) -> list[tuple[int, dict[str, Any]]]:
    """The same load (``games`` games at a time for ``seconds``) on 1, 2 and 3 processes."""
    out = []
    for n in (1, 2, 3):
        with database(postgres) as db:
            procs = start_cluster(db, n, 3.0)
            try:
                out.append((n, asyncio.run(_load([p.base for p in procs], games, seconds, 120))))
            finally:
                for p in procs:
                    p.stop()
    return out


@contextlib.contextmanager
def _db(postgres: str) -> Iterator[str]:
    with database(postgres) as db:
        yield db


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--postgres", default=os.environ.get("PRECIPICE_TEST_POSTGRES_URL"))
    ap.add_argument("--processes", type=int, default=3)
    ap.add_argument("--games", type=int, default=12)
    ap.add_argument("--turns", type=int, default=16)
    ap.add_argument("--kill", action="store_true")
    ap.add_argument("--kill-after", type=float, default=1.0)
    ap.add_argument("--lease-seconds", type=float, default=1.5)
    ap.add_argument("--scaling", action="store_true")
    ap.add_argument("--seconds", type=float, default=30)
    args = ap.parse_args()
    if not args.postgres:
        print("--postgres URL (or PRECIPICE_TEST_POSTGRES_URL) is required", file=sys.stderr)
        return 2
    if args.scaling:
        rows = run_scaling(args.postgres, args.games, args.seconds)
        base = rows[0][1]["orders_per_s"]
        print("processes | orders/s (x 1 process) | ack p50 / p99 ms | echo p99 ms | ack/echo p99")
        for n, r in rows:
            print(
                f"{n:>9} | {r['orders_per_s']:8.1f} ({r['orders_per_s'] / base:4.2f}x) | "
                f"{r['ack_p50']:7.1f} / {r['ack_p99']:7.1f} | {r['echo_p99']:7.1f} | "
                f"{r['ack_p99'] / r['echo_p99']:5.1f}x"
            )
        return 0
    with _db(args.postgres) as db:
        res = run_failover(
            db,
            args.processes,
            args.games,
            args.turns,
            args.kill_after if args.kill else None,
            args.lease_seconds,
        )
    print(res.table())
    return 0 if res.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
