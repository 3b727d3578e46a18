"""A game's life cycle: lobby, ready, start, end, delete, abandoned; invitations; rejoin links.

In-process: the real app and lifespan behind Starlette's test client, on a real SQLite file
(and the machine's PostgreSQL for the creation quota, raced by concurrent requests from
threads). Restarts are a new app on the same database, as ``precipice serve`` would be.
One test runs a whole exercise against a real ``precipice serve`` over real websockets.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from websockets.exceptions import ConnectionClosed

from tests.server.helpers import Client, ServerProc, create_game, default_order, json_keys
from tests.server.inproc import Socket, app_client
from tests.server.pg import fresh_pg_database


def _db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'p.db'}"


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _create(client: TestClient, **body: Any) -> dict[str, Any]:
    r = client.post("/api/games", json=body)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


def _claim(client: TestClient, gid: str, role: str, code: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"player": role.upper()}
    if code is not None:
        body["join_code"] = code
    r = client.post(f"/api/games/{gid}/seats/{role}/claim", json=body)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


def _token_of(url: str) -> str:
    """The token in a rejoin URL's fragment (``/#/play/g/role?t=TOKEN``)."""
    frag = urlsplit(url).fragment
    return parse_qs(urlsplit(frag).query)["t"][0]


def _closed(sock: Socket) -> int:
    with pytest.raises(WebSocketDisconnect) as info:
        while True:
            sock.recv()
    return info.value.code


def _phase(client: TestClient, gid: str) -> str:
    phase: str = client.get(f"/api/games/{gid}").json()["phase"]
    return phase


def test_lobby_ready_start_end_and_delete(tmp_path: Path) -> None:
    with app_client(_db(tmp_path), analysis_workers=1) as client:
        g = _create(client, seed=3, open_seats=["us", "cn"], deadline_seconds=60)
        gid, fac_tok = g["game_id"], g["facilitator_token"]
        # an exercise waits in the lobby: private by default, no clock, nothing resolves
        assert g["game"]["phase"] == "lobby" and g["visibility"] == "private"
        assert g["game"]["deadline_at"] is None and g["join_code"]
        tokens = {r: _claim(client, gid, r, g["join_code"])["seat_token"] for r in ("us", "cn")}
        with (
            Socket.open(client, gid, fac_tok) as fac,
            Socket.open(client, gid, tokens["us"]) as us,
        ):
            state = us.wait_for("game_state")["data"]
            assert state["phase"] == "lobby" and state["end_reason"] is None
            obs = us.wait_for("observation")
            refused = us.request({"type": "order", "turn": 0, "order": default_order(obs)})
            assert refused["code"] == "wrong_phase"
            assert us.request({"type": "ready", "ready": True})["type"] == "ack"
            roster = us.wait_for("game_state", lambda m: _seat(m, "us")["ready"])["data"]
            assert not _seat({"data": roster}, "cn")["ready"]
            assert us.request({"type": "ready", "ready": "yes"})["code"] == "invalid_message"
            # only the facilitator starts, once; REST and the socket share one rule
            assert us.request({"type": "start"})["code"] == "forbidden"
            r = client.post(f"/api/games/{gid}/start", headers=_auth(tokens["us"]))
            assert r.status_code == 403
            assert client.post(f"/api/games/{gid}/start").status_code == 401
            assert fac.request({"type": "start"})["type"] == "ack"
            started = us.wait_for("game_state", lambda m: m["data"]["phase"] == "playing")
            assert started["data"]["deadline_at"] is not None
            r = client.post(f"/api/games/{gid}/start", headers=_auth(fac_tok))
            assert r.status_code == 409 and r.json()["error"] == "wrong_phase"
            assert us.request({"type": "order", "turn": 0, "order": {}})["type"] == "ack"
            # end: over, nothing more is played, the world can be revealed
            r = client.post(f"/api/games/{gid}/end", headers=_auth(fac_tok))
            assert r.status_code == 200 and r.json()["phase"] == "over"
            over = us.wait_for("game_over")["data"]
            assert over["end_reason"] == "ended_by_facilitator" and over["outcome"] is None
            state = us.wait_for("game_state", lambda m: m["data"]["phase"] == "over")["data"]
            assert state["done"] and state["end_reason"] == "ended_by_facilitator"
            assert us.request({"type": "order", "turn": 0, "order": {}})["code"] == "game_over"
            assert fac.request({"type": "force_turn"})["code"] == "game_over"
            r = client.post(f"/api/games/{gid}/end", headers=_auth(fac_tok))
            assert r.status_code == 409 and r.json()["error"] == "game_over"
            assert fac.request({"type": "reveal"})["type"] == "ack"
            # delete: the sockets are closed (4404), the game is gone
            assert (
                client.delete(f"/api/games/{gid}", headers=_auth(tokens["us"])).status_code == 403
            )
            assert client.delete(f"/api/games/{gid}", headers=_auth(fac_tok)).status_code == 204
            assert _closed(us) == 4404
        assert client.get(f"/api/games/{gid}").status_code == 404
    # ... and stays gone after a restart (its row, seats and log were deleted)
    with app_client(_db(tmp_path), analysis_workers=1) as client:
        assert client.get(f"/api/games/{gid}").status_code == 404


def _seat(msg: dict[str, Any], role: str) -> dict[str, Any]:
    return next(s for s in msg["data"]["seats"] if s["role"] == role)


def test_single_player_starts_at_once_and_phase_survives_a_restart(tmp_path: Path) -> None:
    with app_client(_db(tmp_path), analysis_workers=1) as client:
        solo = _create(client, seed=2, single_player=True, seat="us")
        assert solo["game"]["phase"] == "playing" and solo["visibility"] == "public"
        assert solo["join_code"] is None
        ex = _create(client, seed=2, open_seats=["us"])
        ready = _claim(client, ex["game_id"], "us", ex["join_code"])
        with Socket.open(client, ex["game_id"], ready["seat_token"]) as us:
            assert us.request({"type": "ready"})["type"] == "ack"
    with app_client(_db(tmp_path), analysis_workers=1) as client:
        assert _phase(client, solo["game_id"]) == "playing"
        st = client.get(f"/api/games/{ex['game_id']}").json()
        assert st["phase"] == "lobby"
        assert [s["ready"] for s in st["seats"] if s["role"] == "us"] == [True]


def test_invitations_private_games_need_the_join_code(tmp_path: Path) -> None:
    with app_client(_db(tmp_path), analysis_workers=1) as client:
        private = _create(client, seed=1, open_seats=["us", "cn"])
        public = _create(client, seed=1, open_seats=["us"], visibility="public")
        gid, code = private["game_id"], private["join_code"]
        assert len(code) == 8 and public["join_code"] is None
        url = f"/api/games/{gid}/seats/us/claim"
        for body in ({}, {"join_code": "WRONGCODE"}, {"join_code": None}):
            r = client.post(url, json=body)
            assert r.status_code == 403, body
            assert r.json()["error"] == "bad_join_code" and r.json()["field"] == "join_code"
        assert client.get(f"/api/games/{gid}").json()["seats"][0]["mode"] == "open"  # unchanged
        # read out to a room: case and a separator do not matter
        r = client.post(url, json={"join_code": f"{code[:4].lower()}-{code[4:]}"})
        assert r.status_code == 201
        # a public game's seats are claimable as listed; the listing hides the private one
        _claim(client, public["game_id"], "us", None)
        listed = [c["game_id"] for c in client.get("/api/games").json()["games"]]
        assert listed == [public["game_id"]]


def test_listing_pages_and_filters_from_the_database(tmp_path: Path) -> None:
    with app_client(_db(tmp_path), analysis_workers=1) as client:
        made = [
            _create(client, seed=i, scenario=sc, visibility="public", open_seats=["us"])
            for i, sc in enumerate(["baseline", "baseline", "no-race", "baseline", "no-race"])
        ]
        _create(client, seed=9)  # private: never listed
        started = made[0]
        r = client.post(
            f"/api/games/{started['game_id']}/start", headers=_auth(started["facilitator_token"])
        )
        assert r.status_code == 200
        page = client.get("/api/games", params={"limit": 2}).json()
        assert (page["total"], page["limit"], page["offset"], len(page["games"])) == (5, 2, 0, 2)
        ids = [c["game_id"] for c in page["games"]]
        ids += [c["game_id"] for c in client.get("/api/games?limit=2&offset=2").json()["games"]]
        ids += [c["game_id"] for c in client.get("/api/games?limit=2&offset=4").json()["games"]]
        assert sorted(ids) == sorted(g["game_id"] for g in made) and len(set(ids)) == 5
        by_phase = client.get("/api/games?phase=playing").json()
        assert [c["game_id"] for c in by_phase["games"]] == [started["game_id"]]
        assert client.get("/api/games?scenario=no-race").json()["total"] == 2
        card = by_phase["games"][0]
        assert card["open_seats"] == ["us"] and card["quarter"] == "2026-Q1"
        assert "seed" not in card and "join_code" not in card
        assert client.get("/api/games?phase=nope").status_code == 422
        assert client.get("/api/games?limit=0").status_code == 422
    # after a restart, listing every game loads none of them into memory
    with app_client(_db(tmp_path), analysis_workers=1) as client:
        hub = client.app.state.hub  # type: ignore[attr-defined]
        assert set(hub.games) == {started["game_id"]}  # only the game being played is rebuilt
        assert client.get("/api/games?limit=200").json()["total"] == 5
        assert set(hub.games) == {started["game_id"]}


def test_rejoin_links_take_over_a_seat_and_the_console(tmp_path: Path) -> None:
    with app_client(_db(tmp_path), analysis_workers=1) as client:
        g = _create(client, seed=4, open_seats=["us", "cn"])
        gid, fac_tok = g["game_id"], g["facilitator_token"]
        assert _token_of(g["facilitator_rejoin_url"]) == fac_tok
        assert g["facilitator_rejoin_url"].startswith(f"/#/facilitate/{gid}?t=")
        seat = _claim(client, gid, "us", g["join_code"])
        assert seat["rejoin_url"].startswith(f"/#/play/{gid}/us?t=")
        assert _token_of(seat["rejoin_url"]) == seat["seat_token"]
        # the facilitator (only) gets every held seat's link again, and the console's
        assert client.get(f"/api/games/{gid}/seats/links").status_code == 401
        r = client.get(f"/api/games/{gid}/seats/links", headers=_auth(seat["seat_token"]))
        assert r.status_code == 403
        links = client.get(f"/api/games/{gid}/seats/links", headers=_auth(fac_tok)).json()
        assert links["join_code"] == g["join_code"]
        assert links["facilitator_rejoin_url"] == g["facilitator_rejoin_url"]
        assert [(s["role"], s["rejoin_url"]) for s in links["seats"]] == [
            ("us", seat["rejoin_url"])
        ]
        # opening the link on another device takes the seat over; the old socket is told
        with Socket.open(client, gid, seat["seat_token"]) as phone:
            phone.wait_for("observation")
            with Socket.open(client, gid, _token_of(links["seats"][0]["rejoin_url"])) as laptop:
                laptop.wait_for("observation")
                phone.wait_for("replaced")
                err = phone.wait_for("error")
                assert err["code"] == "taken_over"
                assert _closed(phone) == 4000
                assert laptop.request({"type": "ready"})["type"] == "ack"
    # the links still hold after a restart (derived again, never stored)
    with app_client(_db(tmp_path), analysis_workers=1) as client:
        again = client.get(f"/api/games/{gid}/seats/links", headers=_auth(fac_tok)).json()
        assert again["seats"][0]["rejoin_url"] == seat["rejoin_url"]
        with Socket.open(client, gid, seat["seat_token"]) as back:
            assert back.wait_for("welcome")["data"]["role"] == "us"


def test_abandoned_when_nobody_is_there_and_back_when_someone_returns(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with app_client(db, analysis_workers=1, idle_abandon_seconds=0.5) as client:
        g = _create(client, seed=5, open_seats=["us"], deadline_seconds=3600, visibility="public")
        gid, fac_tok = g["game_id"], g["facilitator_token"]
        tok = _claim(client, gid, "us", None)["seat_token"]
        assert client.post(f"/api/games/{gid}/start", headers=_auth(fac_tok)).status_code == 200
        with Socket.open(client, gid, tok) as us:
            us.wait_for("observation")
            time.sleep(1.0)  # a person is here: the idle time does not run
            assert _phase(client, gid) == "playing"
        _wait_phase(client, gid, "abandoned")
        st = client.get(f"/api/games/{gid}").json()
        assert st["deadline_at"] is None  # the clock stopped
    # an abandoned game is not rebuilt at start-up, but is listed and comes back on demand
    with app_client(db, analysis_workers=1, idle_abandon_seconds=0.5) as client:
        hub = client.app.state.hub  # type: ignore[attr-defined]
        assert gid not in hub.games
        card = client.get("/api/games").json()["games"][0]
        assert card["phase"] == "abandoned" and gid not in hub.games
        with Socket.open(client, gid, tok) as us:
            back = us.wait_for("game_state", lambda m: m["data"]["phase"] == "playing")
            assert back["data"]["deadline_at"] is not None
        _wait_phase(client, gid, "abandoned")


def _wait_phase(client: TestClient, gid: str, phase: str, timeout: float = 15.0) -> None:
    end = time.monotonic() + timeout
    while _phase(client, gid) != phase:
        assert time.monotonic() < end, f"never {phase}"
        time.sleep(0.1)


def test_finished_games_leave_memory_and_come_back_on_demand(tmp_path: Path) -> None:
    with app_client(_db(tmp_path), analysis_workers=1, evict_idle_seconds=0.3) as client:
        hub = client.app.state.hub  # type: ignore[attr-defined]
        g = _create(client, seed=6, open_seats=[], visibility="public")
        gid, fac_tok = g["game_id"], g["facilitator_token"]
        assert client.post(f"/api/games/{gid}/start", headers=_auth(fac_tok)).status_code == 200
        assert client.post(f"/api/games/{gid}/end", headers=_auth(fac_tok)).status_code == 200
        end = time.monotonic() + 15
        while gid in hub.games:
            assert time.monotonic() < end, "the finished game stayed in memory"
            time.sleep(0.1)
        st = client.get(f"/api/games/{gid}").json()  # folded again from its log
        assert st["phase"] == "over" and st["end_reason"] == "ended_by_facilitator"
        assert gid in hub.games


@contextlib.contextmanager
def _us_ordered_cn_silent(client: TestClient) -> Iterator[tuple[str, str, Socket, Socket, float]]:
    """A started game with two people present: ``us`` has ordered a moved subsidy, ``cn``
    has said nothing. Yields (game id, facilitator token, facilitator's and us's sockets,
    us's subsidy)."""
    g = _create(client, seed=7, open_seats=["us", "cn"], visibility="public")
    gid, fac_tok = g["game_id"], g["facilitator_token"]
    toks = {r: _claim(client, gid, r, None)["seat_token"] for r in ("us", "cn")}
    assert client.post(f"/api/games/{gid}/start", headers=_auth(fac_tok)).status_code == 200
    with (
        Socket.open(client, gid, fac_tok) as fac,
        Socket.open(client, gid, toks["us"]) as us,
        Socket.open(client, gid, toks["cn"]) as cn,
    ):
        obs = us.wait_for("observation")
        cn.wait_for("observation")
        lever = next(v for v in obs["data"]["legal_actions"] if v["name"] == "subsidy")
        mine = lever["min"] if lever["current"] != lever["min"] else lever["max"]
        order = default_order(obs) | {"subsidy": mine}
        assert us.request({"type": "order", "turn": 0, "order": order})["type"] == "ack"
        yield gid, fac_tok, fac, us, mine


def test_force_keeps_a_present_persons_choices_and_is_refused_while_paused(
    tmp_path: Path,
) -> None:
    with app_client(_db(tmp_path), analysis_workers=1) as client:
        with _us_ordered_cn_silent(client) as (gid, fac_tok, fac, us, mine):
            assert fac.request({"type": "pause"})["type"] == "ack"
            assert fac.request({"type": "force_turn"})["code"] == "game_paused"
            assert fac.request({"type": "resume"})["type"] == "ack"
            assert fac.request({"type": "force_turn"})["type"] == "ack"
            us.wait_for("turn_resolved")
        saved = client.get(f"/api/games/{gid}/export", headers=_auth(fac_tok)).json()
        orders = saved["turns"][0]["orders"]
        assert orders["us"]["subsidy"] == mine  # the person's own order
        assert orders["cn"] == {"kind": "state"}  # present, silent: keeps its settings
    # the kept order is in the log: the game rebuilds to the same hash
    with app_client(_db(tmp_path), analysis_workers=1) as client:
        assert client.get(f"/api/games/{gid}").json()["turn"] == 1


def test_the_deadline_keeps_a_present_persons_choices_too(tmp_path: Path) -> None:
    """The clock running out is like forcing: a person who is there and silent keeps their
    settings (logged as kept), and bots decide only for the seats nobody holds."""
    with app_client(_db(tmp_path), analysis_workers=1, min_deadline_seconds=0.1) as client:
        with _us_ordered_cn_silent(client) as (gid, fac_tok, fac, us, mine):
            assert fac.request({"type": "set_deadline", "seconds": 0.5})["type"] == "ack"
            assert us.wait_for("turn_resolved")["data"]["reason"] == "deadline"
            assert fac.request({"type": "set_deadline", "seconds": None})["type"] == "ack"
        saved = client.get(f"/api/games/{gid}/export", headers=_auth(fac_tok)).json()
        first = saved["turns"][0]
        assert first["orders"]["us"]["subsidy"] == mine  # the person's own order
        assert first["orders"]["cn"] == {"kind": "state"}  # present, silent: keeps its settings
        assert "cn" not in first["bot_orders"] and "us" not in first["bot_orders"]
        assert {"us-lab", "cn-lab"} <= set(first["bot_orders"])  # bots play their own seats
        # The first quarter's entries only: on a slow machine the re-armed 0.5 s clock may
        # also end the next quarter before the facilitator's "no deadline" arrives.
        log = saved["log"]
        kept = [e for e in log if e["kind"] == "order" and e["turn"] == 0 and e.get("kept")]
        assert [(e["role"], e["kept"]) for e in kept] == [("cn", "deadline")]
        turn = client.get(f"/api/games/{gid}").json()["turn"]
        assert turn >= 1
    # the kept orders are in the log: the game rebuilds to the same quarter
    with app_client(_db(tmp_path), analysis_workers=1) as client:
        assert client.get(f"/api/games/{gid}").json()["turn"] == turn


QUARTERS = 7
"""Bots play this many quarters before the reload: with this seed and the tests' fixed
sequence of game secrets, China's seat has had a private report by then."""


def test_welcome_carries_the_history_each_audience_may_see(tmp_path: Path) -> None:
    with app_client(_db(tmp_path), analysis_workers=1) as client:
        # bots play QUARTERS quarters (the open seat too), China's seat gets a private report;
        # then a person takes the seat and reloads
        g = _create(client, scenario="ai-2027-race", seed=2, open_seats=["cn"])
        gid, fac_tok = g["game_id"], g["facilitator_token"]
        with Socket.open(client, gid, fac_tok) as fac:
            assert fac.request({"type": "start"})["type"] == "ack"
            for _ in range(QUARTERS):
                assert fac.request({"type": "force_turn"})["type"] == "ack"
        tok = _claim(client, gid, "cn", g["join_code"])["seat_token"]
        with (
            Socket.open(client, gid, tok) as cn,
            Socket.open(client, gid, None) as spectator,
            Socket.open(client, gid, fac_tok) as fac,
        ):
            seat_h = cn.wait_for("welcome")["data"]["history"]
            spec_h = spectator.wait_for("welcome")["data"]["history"]
            fac_h = fac.wait_for("welcome")["data"]["history"]
    assert [p["turn"] for p in seat_h["series"]] == list(range(QUARTERS + 1))
    assert seat_h["series"] == spec_h["series"] == fac_h["series"]
    assert seat_h["series"][-1]["public"]["turn"] == QUARTERS
    assert not json_keys(seat_h["series"]) & {"misalignment", "deception", "values"}
    assert {n["turn"] for n in fac_h["news"]} <= set(range(QUARTERS))
    private = [n for n in fac_h["news"] if not n["public"]]
    assert private and all("cn" in n["audience"] for n in private)
    assert all("audience" not in n for n in seat_h["news"] + spec_h["news"])

    def texts(items: list[dict[str, Any]]) -> set[tuple[int, str, bool]]:
        return {(n["turn"], n["text"], n["public"]) for n in items}

    public = texts([n for n in fac_h["news"] if n["public"]])
    assert public and texts(spec_h["news"]) == public
    assert texts(seat_h["news"]) == public | texts(private)


def test_a_minimum_deadline_is_a_typed_refusal_naming_the_field(tmp_path: Path) -> None:
    with app_client(_db(tmp_path), analysis_workers=1) as client:
        r = client.post("/api/games", json={"deadline_seconds": 5})
        assert r.status_code == 422
        assert r.json()["field"] == "deadline_seconds" and "10" in r.json()["message"]
        g = _create(client, seed=1, deadline_seconds=10)
        with Socket.open(client, g["game_id"], g["facilitator_token"]) as fac:
            err = fac.request({"type": "set_deadline", "seconds": 2})
            assert err["code"] == "invalid_message" and err["field"] == "seconds"
            assert fac.request({"type": "set_deadline", "seconds": 30})["type"] == "ack"


def _quota_race(db_url: str) -> None:
    """Twelve creations at once from one address against a quota of four: exactly four pass."""
    with app_client(db_url, analysis_workers=1, max_games_per_creator=4) as client:

        def create(i: int) -> int:
            return client.post("/api/games", json={"seed": i, "open_seats": []}).status_code

        with ThreadPoolExecutor(12) as pool:
            codes = list(pool.map(create, range(12)))
        assert sorted(codes) == [201] * 4 + [429] * 8, codes
        r = client.post("/api/games", json={})
        assert r.status_code == 429 and r.json()["error"] == "too_many_games"


def test_creation_quota_cannot_be_raced_sqlite(tmp_path: Path) -> None:
    _quota_race(_db(tmp_path))


def test_creation_quota_cannot_be_raced_postgres() -> None:
    with fresh_pg_database() as url:
        _quota_race(url)


def test_an_exercise_from_lobby_to_deletion_against_a_real_server(server: ServerProc) -> None:
    """Over real sockets (every message checked against the published schema): invitation,
    ready, start, a seat taken over from another device, force, end, delete."""
    http = server.http()
    g = create_game(http, start=False, visibility="private", seed=13, open_seats=["us", "cn"])
    gid, fac_tok, code = g["game_id"], g["facilitator_token"], g["join_code"]
    assert http.post(f"/api/games/{gid}/seats/us/claim", json={}).status_code == 403
    seat = http.post(f"/api/games/{gid}/seats/us/claim", json={"join_code": code}).json()
    fac = Client.open(server.ws_url(gid), fac_tok)
    phone = Client.open(server.ws_url(gid), seat["seat_token"])
    assert phone.request({"type": "ready"})["type"] == "ack"
    assert fac.request({"type": "start"})["type"] == "ack"
    phone.wait_for("game_state", lambda m: m["data"]["phase"] == "playing")
    links = http.get(f"/api/games/{gid}/seats/links", headers=_auth(fac_tok)).json()
    laptop = Client.open(server.ws_url(gid), _token_of(links["seats"][0]["rejoin_url"]))
    assert phone.wait_for("error")["code"] == "taken_over"
    laptop.wait_for("observation")
    assert fac.request({"type": "force_turn"})["type"] == "ack"
    assert laptop.wait_for("turn_resolved")["data"]["reason"] == "forced"
    assert http.post(f"/api/games/{gid}/end", headers=_auth(fac_tok)).json()["phase"] == "over"
    assert laptop.wait_for("game_over")["data"]["end_reason"] == "ended_by_facilitator"
    assert http.delete(f"/api/games/{gid}", headers=_auth(fac_tok)).status_code == 204
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            laptop.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4404
    assert http.get(f"/api/games/{gid}").status_code == 404
