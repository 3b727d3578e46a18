"""Crash, CI version of ``benchmarks/crash.py``, and the restart that finds a turn ready to resolve."""

from __future__ import annotations

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from benchmarks.crash import run_crash
from server.db import repo
from tests.server.helpers import claim, create_game, start_server


def test_sigkill_under_load_loses_no_acknowledged_order() -> None:
    res = run_crash(kills=2, games=3, gaps=(1.0, 2.5))
    print(res.table())
    assert res.ok, res.table()
    assert res.kills == 2 and res.check.acked > 0


def test_restart_resolves_a_turn_whose_orders_were_all_committed(fresh_db: str) -> None:
    """Killed between the last order's commit and the turn's: the restart resolves the turn."""
    sp = start_server(fresh_db)
    try:
        http = sp.http()
        g = create_game(http, seed=4, open_seats=["us"])
        gid = g["game_id"]
        claim(http, gid, "us")
    finally:
        sp.kill()
    engine = create_engine(fresh_db)
    with Session(engine) as s, s.begin():
        repo.append_log(
            s,
            gid,
            repo.last_seq(s, gid) + 1,
            0,
            "order",
            {"role": "us", "order": {"kind": "state"}},
        )
    engine.dispose()
    sp = start_server(fresh_db)
    try:
        state = sp.http().get(f"/api/games/{gid}").json()
        assert state["turn"] == 1, state["turn"]
    finally:
        sp.stop()
