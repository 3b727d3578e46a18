"""Three ``precipice serve`` processes on the machine's PostgreSQL: spread, routing, failover.

The CI version of ``benchmarks/cluster.py``: games are created round robin on three
processes; a process that does not own a game forwards REST about it to the owner and
refuses its socket with 4409 naming the owner; then the owner of the most games is
SIGKILLed mid-quarter, and every client must be back in its game on another process
(``SeatClient`` re-asks REST), every game played to its end, with 0 acknowledged orders
lost and every replay verified. SQLite refuses a cluster with a clear message.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from benchmarks.cluster import _failover, owners, start_cluster
from server.cluster.node import ws_url
from tests.server.helpers import ROOT
from tests.server.pg import fresh_pg_database


def test_sqlite_refuses_a_cluster(tmp_path: object) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "server.cli", "serve", "--public-url", "http://127.0.0.1:1"],
        cwd=ROOT,
        env={"DATABASE_URL": f"sqlite:///{tmp_path}/c.db", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 2
    assert "PostgreSQL" in out.stderr and "sqlite" in out.stderr


def _non_owner_checks(bases: list[str], db_url: str) -> None:
    """A game created on one process: any process answers REST about it, only its owner plays it."""
    g = httpx.post(
        f"{bases[0]}/api/games", json={"seed": 5, "visibility": "public"}, timeout=60
    ).json()
    gid = g["game_id"]
    assert g["ws_url"] == ws_url(bases[0], gid)
    assert owners(db_url, [gid])[gid] == (bases[0], True)
    other = bases[1]
    info = httpx.get(f"{other}/api/games/{gid}", timeout=60).json()
    assert info["ws_url"] == ws_url(bases[0], gid) and info["turn"] == 0
    listed = {c["game_id"] for c in httpx.get(f"{other}/api/games", timeout=60).json()["games"]}
    assert gid in listed
    with connect(ws_url(other, gid), open_timeout=60) as ws:
        # The non-owner sends ``not_owner`` and closes at once, without waiting for a hello:
        # its close may arrive before this send, which is then refused (and harmless).
        with contextlib.suppress(ConnectionClosed):
            ws.send('{"v":1,"type":"hello","id":1}')
        first = ws.recv(timeout=60)
        assert '"not_owner"' in first and ws_url(bases[0], gid) in first
        try:
            ws.recv(timeout=60)
            raise AssertionError("the socket stayed open")
        except ConnectionClosed as exc:
            assert exc.rcvd is not None and exc.rcvd.code == 4409
            assert exc.rcvd.reason == ws_url(bases[0], gid)


@pytest.mark.timeout(900)  # three server start-ups; ~30 s on an idle 2-core machine
def test_three_processes_share_games_and_survive_a_sigkill() -> None:
    with fresh_pg_database() as db:
        procs = start_cluster(db, 3, lease_seconds=3.0, grace=60)
        try:
            bases = [p.base for p in procs]
            _non_owner_checks(bases, db)
            res = asyncio.run(_failover(procs, games=3, turns=16, kill_after=1.0, timeout=120))
        finally:
            for p in procs:
                p.stop()
    print(res.table())
    assert len(res.spread) == 3, res.spread  # one game created on each process
    assert res.killed_games >= 1 and res.takeover_seconds is not None, res.table()
    assert res.reconnects >= 4, res.table()  # every client of the killed process came back
    assert res.check.acked >= 30, res.table()
    assert res.ok, res.table()
