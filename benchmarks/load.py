"""Load: many concurrent games of 4 websocket seats each, played whole, checked against the log.

Starts ``precipice serve`` (SQLite in a temp dir, or PostgreSQL with ``--postgres URL``),
then keeps ``--games`` games going at once for at least ``--seconds``: each slot creates a
game with 4 human seats (``us``, ``cn``, ``us-lab``, ``cn-lab``; the other 4 are bots), claims
them, and plays it to the end with 4 ``server.client.SeatClient``s submitting random legal
orders, then starts another. Meanwhile ``--echo`` sockets ping ``/ws/echo`` on the same server.

At the end every game is exported and every acknowledged order compared with the export;
the database log is checked for duplicated orders. Prints one table: games, orders,
errors, lost / duplicated / mismatched orders, order-to-ack p50 / p99 and the echo
p50 / p99 of the same run.

    uv run python benchmarks/load.py --games 200 --seconds 60            # the full run
    uv run python benchmarks/load.py --games 200 --seconds 60 --no-group-commit
    uv run python benchmarks/load.py --games 200 --seconds 60 \\
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from sqlalchemy import Row, create_engine, text
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from server.client import SeatClient, SeatResult  # noqa: E402
from tests.server.helpers import ServerProc, start_server  # noqa: E402
from tests.server.pg import fresh_pg_database  # noqa: E402

ROLES = ("us", "cn", "us-lab", "cn-lab")
SERVER_ENV = {
    "PRECIPICE_ENABLE_ECHO": "1",
    "PRECIPICE_MAX_GAMES_PER_CREATOR": "1000000",
    "PRECIPICE_MAX_CONNECTIONS": "100000",
    "PRECIPICE_GRACE_SECONDS": "600",
    "PYTHONHASHSEED": "0",
}


def pct(xs: list[float], q: float) -> float:
    """The ``q`` quantile of ``xs`` in milliseconds (nan when empty)."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[min(len(s) - 1, int(q * len(s)))] * 1000


def random_policy(seed: int) -> Any:
    """A policy giving random legal orders: numbers anywhere in bounds, other levers as they are."""
    rng = np.random.default_rng(seed)

    def policy(data: dict[str, Any]) -> dict[str, Any]:
        order: dict[str, Any] = {}
        for lv in data["legal_actions"]:
            cur = lv.get("current")
            if lv["type"] == "number":
                step = lv.get("step") or 0.01
                n = round((lv["max"] - lv["min"]) / step)
                order[lv["name"]] = round(lv["min"] + step * int(rng.integers(0, n + 1)), 6)
            elif lv["type"] == "choice":
                order[lv["name"]] = cur if cur in lv["options"] else lv["options"][0]
            elif lv["type"] == "boolean" and cur is not None:
                order[lv["name"]] = bool(cur)
        return order

    return policy


@dataclass
class GameRun:
    """One game played by the load: its id, facilitator token and the four seat results."""

    game_id: str
    facilitator_token: str
    results: list[SeatResult] = field(default_factory=list)


@dataclass
class Tally:
    """Everything a load (or crash) run counts."""

    games: list[GameRun] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    echo: list[float] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    @property
    def acks(self) -> list[float]:
        return [a for g in self.games for r in g.results for a in r.ack_seconds]

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [e for g in self.games for r in g.results for e in r.errors]

    @property
    def reconnects(self) -> int:
        return sum(r.reconnects for g in self.games for r in g.results)


async def play_game(
    base: str, http: httpx.AsyncClient, seed: int, timeout: float, tally: Tally
) -> None:
    """Create a game with 4 human seats, claim them and play it to the end."""
    body = {"seed": seed % 2**31, "open_seats": list(ROLES), "visibility": "public"}
    r = await http.post("/api/games", json=body)
    r.raise_for_status()
    g = r.json()
    auth = {"Authorization": f"Bearer {g['facilitator_token']}"}
    (await http.post(f"/api/games/{g['game_id']}/start", headers=auth)).raise_for_status()
    run = GameRun(g["game_id"], g["facilitator_token"])
    tokens = []
    for role in ROLES:
        c = await http.post(f"/api/games/{run.game_id}/seats/{role}/claim", json={"player": role})
        c.raise_for_status()
        tokens.append(c.json()["seat_token"])
    clients = [
        SeatClient(base, run.game_id, tok, random_policy(seed * 8 + i), timeout=timeout)
        for i, tok in enumerate(tokens)
    ]
    run.results = list(await asyncio.gather(*(c.run() for c in clients)))
    tally.games.append(run)


async def slot(
    base: str, http: httpx.AsyncClient, index: int, end: float, timeout: float, tally: Tally
) -> None:
    """Play games back to back until ``end`` (a game under way is finished)."""
    n = 0
    while time.monotonic() < end and n < 10_000:
        try:
            await play_game(base, http, index * 10_000 + n, timeout, tally)
        except Exception as exc:
            tally.failures.append(f"slot {index} game {n}: {type(exc).__name__}: {exc}")
            return
        n += 1


async def echo_probe(ws_base: str, sockets: int, stop: asyncio.Event, tally: Tally) -> None:
    """Ping ``/ws/echo`` from ``sockets`` connections every 100 ms until ``stop``."""

    async def one() -> None:
        async with connect(f"{ws_base}/ws/echo", open_timeout=60) as ws:
            for _ in range(100_000):
                if stop.is_set():
                    return
                t0 = time.perf_counter()
                await ws.send('{"v":1,"type":"ping","id":"x"}')
                await asyncio.wait_for(ws.recv(), 60)
                tally.echo.append(time.perf_counter() - t0)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 0.1)

    await asyncio.gather(*(one() for _ in range(sockets)))


async def drive(
    base: str, games: int, seconds: float, echo: int, timeout: float, tally: Tally
) -> None:
    """Run ``games`` slots for ``seconds`` with the echo probe alongside."""
    # Drop idle keep-alive connections before the server's 5 s timeout closes them under us.
    limits = httpx.Limits(max_connections=64, keepalive_expiry=1.0)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as http:
        stop = asyncio.Event()
        probe = asyncio.create_task(echo_probe(base.replace("http", "ws", 1), echo, stop, tally))
        end = time.monotonic() + seconds
        await asyncio.gather(*(slot(base, http, i, end, timeout, tally) for i in range(games)))
        stop.set()
        await probe


@dataclass
class Check:
    """The comparison of what clients were told with what the server holds."""

    acked: int = 0
    lost: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    replay_failures: list[str] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)


def verify(sp: ServerProc, tally: Tally, replay_games: bool = False) -> Check:
    """Export every game and compare; count order rows per (game, turn, role) in the log."""
    from agents.saved import ReplayError, load_saved, replay

    out = Check()
    with httpx.Client(base_url=sp.base, timeout=120) as http:
        for g in tally.games:
            r = http.get(
                f"/api/games/{g.game_id}/export",
                headers={"Authorization": f"Bearer {g.facilitator_token}"},
            )
            r.raise_for_status()
            saved = r.json()
            if saved["outcome"] is None:
                out.unfinished.append(g.game_id)
            turns = {t["turn"]: t["orders"] for t in saved["turns"]}
            for res in g.results:
                for turn, order in res.acked.items():
                    out.acked += 1
                    held = turns.get(turn, {}).get(res.role)
                    if held is None:
                        out.lost.append(f"{g.game_id} turn {turn} {res.role}")
                    elif held != order:
                        out.mismatched.append(f"{g.game_id} turn {turn} {res.role}")
            if replay_games:
                try:
                    replay(load_saved(saved), collect=False)
                except ReplayError as exc:
                    out.replay_failures.append(f"{g.game_id}: {exc}")
    ids = {g.game_id for g in tally.games}
    rows = query(sp.db_url, "SELECT game_id, turn, data FROM game_log WHERE kind = 'order'")
    seen: dict[tuple[str, int, str], int] = {}
    for gid, turn, data in rows:
        if gid in ids:
            role = (data if isinstance(data, dict) else __import__("json").loads(data))["role"]
            seen[(gid, turn, role)] = seen.get((gid, turn, role), 0) + 1
    out.duplicated = [f"{k}: {n}" for k, n in seen.items() if n > 1]
    return out


def query(db_url: str, sql: str) -> Sequence[Row[Any]]:
    """Every row of one read-only SQL statement, on an engine opened and disposed for it."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).all()
    finally:
        engine.dispose()


@contextlib.contextmanager
def database(postgres: str | None) -> Iterator[str]:
    """A fresh SQLite file or PostgreSQL database for one run."""
    if postgres:
        os.environ.setdefault("PRECIPICE_TEST_POSTGRES_URL", postgres)
        with fresh_pg_database() as url:
            yield url
    else:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/load.db"


@dataclass
class LoadResult:
    """The figures of one load run."""

    tally: Tally
    check: Check
    seconds: float
    db: str
    group_commit: bool

    @property
    def ok(self) -> bool:
        c = self.check
        return not (
            self.tally.failures
            or self.tally.errors
            or c.lost
            or c.mismatched
            or c.duplicated
            or c.unfinished
            or c.replay_failures
        )

    def table(self) -> str:
        t, c = self.tally, self.check
        acks = t.acks
        e50, e99, a50, a99 = pct(t.echo, 0.5), pct(t.echo, 0.99), pct(acks, 0.5), pct(acks, 0.99)
        rows = [
            ("database", self.db),
            ("group commit", "on" if self.group_commit else "off"),
            ("games played to the end", f"{len(t.games)}"),
            ("wall time", f"{self.seconds:.1f} s"),
            ("orders acknowledged", f"{c.acked} ({c.acked / self.seconds:.0f}/s)"),
            ("client failures", f"{len(t.failures)}"),
            ("error replies", f"{len(t.errors)}"),
            ("reconnects", f"{t.reconnects}"),
            (
                "lost / mismatched / duplicated orders",
                f"{len(c.lost)} / {len(c.mismatched)} / {len(c.duplicated)}",
            ),
            (
                "unfinished games / replay failures",
                f"{len(c.unfinished)} / {len(c.replay_failures)}",
            ),
            ("order-to-ack p50 / p99", f"{a50:.1f} ms / {a99:.1f} ms"),
            ("echo p50 / p99 (same run)", f"{e50:.1f} ms / {e99:.1f} ms ({len(t.echo)} pings)"),
            ("ack / echo p99", f"{a99 / e99:.1f}x"),
        ]
        problems = {
            "failure": t.failures,
            "error": [str(e) for e in t.errors],
            "lost": c.lost,
            "mismatched": c.mismatched,
            "duplicated": c.duplicated,
        }
        return report(rows, problems, self.ok)


def report(rows: list[tuple[str, str]], problems: dict[str, list[Any]], ok: bool) -> str:
    """The printed figures: one line per row, up to five samples of each problem, PASS/FAIL."""
    lines = [f"{k:<40} {v}" for k, v in rows]
    for name, items in problems.items():
        lines += [f"  {name}: {x}" for x in items[:5]]
    lines.append("RESULT: " + ("PASS" if ok else "FAIL"))
    return "\n".join(lines)


def run_load(
    games: int,
    seconds: float,
    *,
    echo: int = 20,
    postgres: str | None = None,
    group_commit: bool = True,
    timeout: float = 300.0,
) -> LoadResult:
    """Start a server, run the load, verify it, stop the server."""
    env = SERVER_ENV | {"PRECIPICE_GROUP_COMMIT": "1" if group_commit else "0"}
    with database(postgres) as url:
        sp = start_server(url, env)
        try:
            tally = Tally()
            t0 = time.monotonic()
            asyncio.run(drive(sp.base, games, seconds, echo, timeout, tally))
            elapsed = time.monotonic() - t0
            check = verify(sp, tally)
        finally:
            sp.stop()
    return LoadResult(tally, check, elapsed, "PostgreSQL" if postgres else "SQLite", group_commit)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=200, help="concurrent games (4 seats each)")
    parser.add_argument("--seconds", type=float, default=60.0, help="start games for this long")
    parser.add_argument("--echo", type=int, default=20, help="echo sockets pinging every 100 ms")
    parser.add_argument("--postgres", default=None, help="PostgreSQL admin URL (default SQLite)")
    parser.add_argument("--no-group-commit", action="store_true")
    args = parser.parse_args()
    res = run_load(
        args.games,
        args.seconds,
        echo=args.echo,
        postgres=args.postgres,
        group_commit=not args.no_group_commit,
    )
    print(
        f"load: {args.games} games x {len(ROLES)} websocket seats, 127.0.0.1, {os.cpu_count()} cores"
    )
    print(res.table())
    return 0 if res.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
