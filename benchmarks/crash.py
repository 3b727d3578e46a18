"""Crash: SIGKILL the server at random moments under load, restart it, and check nothing was lost.

Runs the load of ``benchmarks/load.py`` (``--games`` concurrent games of 4 websocket
seats) while a killer SIGKILLs ``precipice serve`` ``--kills`` times, at random gaps of
``--min-gap``..``--max-gap`` seconds, restarting it each time on the same port and
database. The seat clients (``server.client.SeatClient``) reconnect and carry on; a game
whose lobby set-up was cut off is abandoned and a new one started. When the kills are
done every game under way is played to the end, then:

* every acknowledged order is in the game's export (none lost, none changed);
* no order is logged twice for one seat and turn;
* every game finished, and every export replays with every turn's hash verified.

    uv run python benchmarks/crash.py --kills 20 --games 20       # the full run
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.load import (  # noqa: E402
    ROLES,
    SERVER_ENV,
    Check,
    GameRun,
    Tally,
    database,
    random_policy,
    report,
    verify,
)
from server.client import SeatClient  # noqa: E402
from tests.server.helpers import ServerProc, start_server  # noqa: E402


@dataclass
class Holder:
    """The server process now running (replaced at each restart)."""

    sp: ServerProc
    kills: list[float] = field(default_factory=list)
    abandoned: int = 0


async def setup_game(base: str, seed: int, holder: Holder) -> tuple[GameRun, list[str]] | None:
    """Create a game and claim its 4 seats; None if a crash cut the set-up off."""
    try:
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            r = await http.post(
                "/api/games",
                json={
                    "seed": seed % 2**31,
                    "open_seats": list(ROLES),
                    "visibility": "public",
                },
            )
            r.raise_for_status()
            g = r.json()
            auth = {"Authorization": f"Bearer {g['facilitator_token']}"}
            (await http.post(f"/api/games/{g['game_id']}/start", headers=auth)).raise_for_status()
            tokens = []
            for role in ROLES:
                c = await http.post(f"/api/games/{g['game_id']}/seats/{role}/claim", json={})
                c.raise_for_status()
                tokens.append(c.json()["seat_token"])
    except (httpx.TransportError, httpx.HTTPStatusError):
        holder.abandoned += 1
        return None
    return GameRun(g["game_id"], g["facilitator_token"]), tokens


async def slot(base: str, index: int, stop: asyncio.Event, tally: Tally, holder: Holder) -> None:
    """Play games back to back until the killer is done."""
    for n in range(10_000):
        if stop.is_set():
            return
        seed = index * 10_000 + n
        made = await setup_game(base, seed, holder)
        if made is None:
            await asyncio.sleep(0.5)
            continue
        run, tokens = made
        clients = [
            SeatClient(base, run.game_id, tok, random_policy(seed * 8 + i), timeout=120)
            for i, tok in enumerate(tokens)
        ]
        try:
            run.results = list(await asyncio.gather(*(c.run() for c in clients)))
        except Exception as exc:
            tally.failures.append(f"game {run.game_id}: {type(exc).__name__}: {exc}")
            return
        tally.games.append(run)


async def killer(
    holder: Holder, kills: int, gaps: tuple[float, float], env: dict[str, str], stop: asyncio.Event
) -> None:
    """SIGKILL and restart the server ``kills`` times."""
    rng = random.Random(os.environ.get("CRASH_SEED", "7"))
    try:
        for _ in range(kills):
            await asyncio.sleep(rng.uniform(*gaps))
            old = holder.sp
            old.kill()
            holder.kills.append(time.monotonic())
            holder.sp = await asyncio.to_thread(start_server, old.db_url, env, old.port)
    finally:
        stop.set()


async def drive(
    holder: Holder, games: int, kills: int, gaps: tuple[float, float], env: dict[str, str]
) -> Tally:
    """The load and the killer together."""
    tally = Tally()
    stop = asyncio.Event()
    base = holder.sp.base
    await asyncio.gather(
        killer(holder, kills, gaps, env, stop),
        *(slot(base, i, stop, tally, holder) for i in range(games)),
    )
    return tally


@dataclass
class CrashResult:
    """The figures of one crash run."""

    tally: Tally
    check: Check
    kills: int
    abandoned: int
    seconds: float

    @property
    def ok(self) -> bool:
        c = self.check
        return not (
            self.tally.failures
            or c.lost
            or c.mismatched
            or c.duplicated
            or c.unfinished
            or c.replay_failures
        ) and bool(self.tally.games)

    def table(self) -> str:
        t, c = self.tally, self.check
        rows = [
            ("server SIGKILLs (each restarted)", f"{self.kills}"),
            ("wall time", f"{self.seconds:.1f} s"),
            ("games played to the end", f"{len(t.games)}"),
            ("lobby set-ups refused or cut off (server down)", f"{self.abandoned}"),
            ("client reconnects", f"{t.reconnects}"),
            ("orders acknowledged", f"{c.acked}"),
            ("client failures", f"{len(t.failures)}"),
            (
                "lost / mismatched / duplicated orders",
                f"{len(c.lost)} / {len(c.mismatched)} / {len(c.duplicated)}",
            ),
            ("unfinished games", f"{len(c.unfinished)}"),
            ("replays with a hash mismatch", f"{len(c.replay_failures)} of {len(t.games)}"),
        ]
        problems = {
            "failure": t.failures,
            "lost": c.lost,
            "mismatched": c.mismatched,
            "duplicated": c.duplicated,
            "replay": c.replay_failures,
        }
        return report(rows, problems, self.ok)


def run_crash(
    kills: int,
    games: int,
    *,
    gaps: tuple[float, float] = (1.0, 4.0),
    postgres: str | None = None,
) -> CrashResult:
    """Start a server, run the load with ``kills`` SIGKILLs, verify, stop."""
    env = dict(SERVER_ENV)
    with database(postgres) as url:
        holder = Holder(start_server(url, env))
        try:
            t0 = time.monotonic()
            tally = asyncio.run(drive(holder, games, kills, gaps, env))
            elapsed = time.monotonic() - t0
            check = verify(holder.sp, tally, replay_games=True)
        finally:
            holder.sp.stop()
    return CrashResult(tally, check, len(holder.kills), holder.abandoned, elapsed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--games", type=int, default=20, help="concurrent games (4 seats each)")
    parser.add_argument("--min-gap", type=float, default=1.0)
    parser.add_argument("--max-gap", type=float, default=4.0)
    parser.add_argument("--postgres", default=None, help="PostgreSQL admin URL (default SQLite)")
    args = parser.parse_args()
    res = run_crash(
        args.kills, args.games, gaps=(args.min_gap, args.max_gap), postgres=args.postgres
    )
    print(
        f"crash: {args.games} games x {len(ROLES)} seats, {args.kills} kills, {os.cpu_count()} cores"
    )
    print(res.table())
    return 0 if res.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
