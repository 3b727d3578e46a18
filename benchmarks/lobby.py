"""The lobby listing against folding games (issue 15): prints figures, asserts nothing.

A real ``precipice serve`` on a fresh SQLite file holds ``--games`` public games, each
played a few quarters by bots. The server is restarted (games in the lobby are not
rebuilt at start-up), then, in one run:

- the listing: every page of ``GET /api/games?limit=50`` (median latency), against
  ``GET /api/health`` on the same server (the baseline), and the server's resident memory
  before and after listing everything;
- folding: ``GET /api/games/{id}`` of every game (each is rebuilt from its log into memory),
  with the server's memory after it — what the old listing cost on every call.

Run: ``uv run python benchmarks/lobby.py [--games 200]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.server.helpers import start_server


def rss_kib(pid: int) -> int:
    """Resident memory of a process (KiB), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def timed(http: httpx.Client, url: str) -> float:
    t = time.perf_counter()
    r = http.get(url)
    r.raise_for_status()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--games", type=int, default=200)
    ap.add_argument("--turns", type=int, default=3)
    args = ap.parse_args()
    env = {"PRECIPICE_MAX_GAMES_PER_CREATOR": "1000000", "PRECIPICE_EVICT_IDLE_SECONDS": "3600"}
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'lobby.db'}"
        sp = start_server(db, env)
        ids = []
        try:
            http = sp.http()
            for i in range(args.games):
                g = http.post(
                    "/api/games", json={"seed": i, "open_seats": [], "visibility": "public"}
                )
                g.raise_for_status()
                ids.append(g.json()["game_id"])
        finally:
            sp.stop()
        sp = start_server(db, env)
        try:
            http = sp.http()
            for _ in range(5):
                timed(http, "/api/health")
            pid = sp.proc.pid
            before = rss_kib(pid)
            health = [timed(http, "/api/health") for _ in range(30)]
            pages = []
            for _ in range(3):
                for off in range(0, args.games, 50):
                    pages.append(timed(http, f"/api/games?limit=50&offset={off}"))
            listed = rss_kib(pid)
            fold = [timed(http, f"/api/games/{gid}") for gid in ids]
            folded = rss_kib(pid)
        finally:
            sp.stop()
    h, p, f = (statistics.median(x) * 1000 for x in (health, pages, fold))
    print(f"games stored: {args.games} (lobby phase, public)")
    print(f"GET /api/health (baseline): median {h:.2f} ms")
    print(f"GET /api/games?limit=50: median {p:.2f} ms per page ({p / h:.1f}x health)")
    print(f"GET /api/games/{{id}} folding a game: median {f:.2f} ms ({f / h:.1f}x health)")
    print(f"server RSS after start-up: {before / 1024:.1f} MiB")
    print(
        f"after listing every page 3 times: {listed / 1024:.1f} MiB (+{(listed - before) / 1024:.1f})"
    )
    print(
        f"after folding every game: {folded / 1024:.1f} MiB "
        f"(+{(folded - listed) / 1024:.1f}, {(folded - listed) / max(1, args.games):.0f} KiB per game)"
    )


if __name__ == "__main__":
    main()
