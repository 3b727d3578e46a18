"""Crash (SIGKILL) and resume, export/import with hash checks, replay views, fork — SQLite and PostgreSQL."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.helpers import (
    Client,
    ServerProc,
    claim,
    create_game,
    default_order,
    json_keys,
    start_server,
)
from tests.server.pg import fresh_pg_database


def crash_and_resume(db_url: str) -> None:
    env = {"PRECIPICE_GRACE_SECONDS": "30"}
    sp = start_server(db_url, env)
    try:
        http = sp.http()
        g = create_game(http, seed=31, open_seats=["us", "cn"])
        gid = g["game_id"]
        tok = {r: claim(http, gid, r) for r in ("us", "cn")}
        cl = {r: Client.open(sp.ws_url(gid), t) for r, t in tok.items()}
        for turn in range(2):
            for c in cl.values():
                obs = c.wait_for("observation", lambda m, t=turn: m["data"]["turn"] == t)
                assert (
                    c.request({"type": "order", "turn": turn, "order": default_order(obs)})["type"]
                    == "ack"
                )
        obs = cl["us"].wait_for("observation", lambda m: m["data"]["turn"] == 2)
        order = default_order(obs) | {"subsidy": 21.0}
        assert cl["us"].request({"type": "order", "turn": 2, "order": order})["type"] == "ack"
        assert cl["cn"].request({"type": "chat", "text": "before the crash"})["type"] == "ack"
        fac = Client.open(sp.ws_url(gid), g["facilitator_token"])
        assert fac.request({"type": "broadcast", "text": "ten minutes"})["type"] == "ack"
    finally:
        sp.kill()
    sp2 = start_server(db_url, env)
    try:
        http = sp2.http()
        st = http.get(f"/api/games/{gid}").json()
        assert st["turn"] == 2
        assert [s["submitted"] for s in st["seats"] if s["role"] == "us"] == [True]
        us = Client.open(sp2.ws_url(gid), tok["us"])
        obs = us.wait_for("observation")
        assert obs["data"]["turn"] == 2 and obs["data"]["your_order"]["subsidy"] == 21.0
        welcome = us.wait_for("welcome")["data"]
        assert any(c["text"] == "before the crash" for c in welcome["chat"])
        assert welcome["announcements"] == [{"text": "ten minutes", "turn": 2}]
        cn = Client.open(sp2.ws_url(gid), tok["cn"])
        obs = cn.wait_for("observation")
        assert (
            cn.request({"type": "order", "turn": 2, "order": default_order(obs)})["type"] == "ack"
        )
        assert us.wait_for("turn_resolved")["data"]["turn"] == 2
        assert (
            us.wait_for("observation", lambda m: m["data"]["turn"] == 3)["data"]["observation"][
                "self"
            ]["subsidy"]
            == 21.0
        )
        saved = http.get(
            f"/api/games/{gid}/export",
            headers={"Authorization": f"Bearer {g['facilitator_token']}"},
        ).json()
        assert saved["turns"][2]["orders"]["us"]["subsidy"] == 21.0
        r = http.post("/api/games/import", json=saved)
        assert r.status_code == 201, r.text
    finally:
        sp2.stop()


@pytest.mark.slow
def test_crash_and_resume_sqlite(tmp_path: Path) -> None:
    crash_and_resume(f"sqlite:///{tmp_path / 'crash.db'}")


@pytest.mark.slow
@pytest.mark.postgres
def test_crash_and_resume_postgres() -> None:
    with fresh_pg_database() as url:
        crash_and_resume(url)


@pytest.fixture(scope="module")
def finished(server: ServerProc) -> Iterator[tuple[dict, dict]]:
    """A bot game (one idle open seat) driven to the end by the facilitator, and its export."""
    http = server.http()
    g = create_game(http, scenario="baseline", seed=41, open_seats=[])
    fac = Client.open(server.ws_url(g["game_id"]), g["facilitator_token"])
    assert fac.request({"type": "broadcast", "text": "welcome"})["type"] == "ack"
    for _ in range(40):
        r = fac.request({"type": "force_turn"})
        if r["type"] == "error":
            assert r["code"] == "game_over"
            break
    saved = http.get(f"/api/games/{g['game_id']}/export").json()
    yield g, saved


def test_export_import_and_tamper(
    server: ServerProc, tmp_path: Path, finished: tuple[dict, dict]
) -> None:
    _g, saved = finished
    assert saved["outcome"] is not None and saved["turns"]
    assert any(e["kind"] == "facilitator" and e["action"] == "broadcast" for e in saved["log"])
    other = start_server(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        http = other.http()
        r = http.post("/api/games/import", json=saved)
        assert r.status_code == 201, r.text
        new = r.json()
        assert new["game"]["done"] is True
        again = http.get(f"/api/games/{new['game_id']}/export").json()
        assert [t["hash"] for t in again["turns"]] == [t["hash"] for t in saved["turns"]]
        assert again["log"] == saved["log"]
        bad = copy.deepcopy(saved)
        bad["turns"][3]["hash"] = "0" * 32
        r = http.post("/api/games/import", json=bad)
        assert r.status_code == 422 and "turn 3" in r.json()["message"]
        bad = copy.deepcopy(saved)
        bad["turns"][1]["orders"] = {"us": {"subsidy": 50.0}}
        r = http.post("/api/games/import", json=bad)
        assert r.status_code == 422 and "turn 1" in r.json()["message"]
        r = http.post("/api/games/import", json={"format": "nope"})
        # not a saved game: the typed body refuses it, naming the fields at fault
        assert r.status_code == 422 and r.json()["error"] == "invalid_request"
        assert {d["loc"][1] for d in r.json()["detail"]} >= {"format", "scenario", "seed"}
    finally:
        other.stop()


def test_replay_views_and_fork(server: ServerProc, finished: tuple[dict, dict]) -> None:
    g, saved = finished
    http = server.http()
    gid = g["game_id"]
    index = http.get(f"/api/games/{gid}/replay").json()
    assert [t["hash"] for t in index["turns"]] == [t["hash"] for t in saved["turns"]]
    god = http.get(f"/api/games/{gid}/replay/2", params={"view": "god"}).json()
    assert god["hash"] == saved["turns"][1]["hash"] and "misalignment" in str(god["state"])
    seat = http.get(f"/api/games/{gid}/replay/2", params={"view": "cn-wb"}).json()
    # No lab's hidden fields in a seat's view (the word itself may be in a public leak's news).
    assert seat["state"]["role_id"] == "cn-wb"
    assert not {"misalignment", "deception"} & json_keys(seat["state"])
    r = http.post(f"/api/games/{gid}/fork", json={"turn": 3, "open_seats": ["us"]})
    assert r.status_code == 201, r.text
    fork = r.json()
    assert fork["parent_id"] == gid and fork["fork_turn"] == 3
    st = http.get(f"/api/games/{fork['game_id']}").json()
    assert st["turn"] == 3 and not st["done"] and st["parent_id"] == gid
    # the fork is a live game: a person can take a seat and play on
    tok = claim(http, fork["game_id"], "us", fork["join_code"])
    us = Client.open(server.ws_url(fork["game_id"]), tok)
    obs = us.wait_for("observation")
    assert obs["data"]["turn"] == 3
    assert us.request({"type": "order", "turn": 3, "order": default_order(obs)})["type"] == "ack"
    assert us.wait_for("turn_resolved")["data"]["turn"] == 3
    assert http.post(f"/api/games/{gid}/fork", json={"turn": 999}).status_code == 422
