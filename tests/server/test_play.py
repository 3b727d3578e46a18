"""Whole games over real websockets: humans plus bots, facilitator, reconnection, chat, REST errors."""

from __future__ import annotations

import time

import pytest

from tests.server.helpers import Client, ServerProc, claim, create_game, default_order


def play_turn(clients: dict[str, Client]) -> dict[str, dict]:
    """Every client submits a legal order for the current turn; returns each one's new observation."""
    turn = None
    for role, c in clients.items():
        obs = c.latest("observation")
        turn = obs["data"]["turn"]
        r = c.request({"type": "order", "turn": turn, "order": default_order(obs)})
        assert r["type"] == "ack", (role, r)
    out = {}
    for role, c in clients.items():
        tr = c.wait_for("turn_resolved", lambda m, t=turn: m["data"]["turn"] == t)
        out[role] = c.wait_for(
            "observation", lambda m, n=tr["data"]["next_turn"]: m["data"]["turn"] == n
        )
    return out


@pytest.mark.slow
def test_three_humans_and_bots_play_to_the_end(server: ServerProc) -> None:
    http = server.http()
    g = create_game(http, scenario="baseline", seed=11, open_seats=["us", "cn", "us-lab"])
    gid = g["game_id"]
    clients = {
        r: Client.open(server.ws_url(gid), claim(http, gid, r)) for r in ("us", "cn", "us-lab")
    }
    for c in clients.values():
        c.wait_for("observation")
    fac = Client.open(server.ws_url(gid), g["facilitator_token"])
    for _ in range(40):
        if all(c.latest("observation")["data"]["observation"]["done"] for c in clients.values()):
            break
        play_turn(clients)
    over = clients["us"].wait_for("game_over")
    assert over["data"]["outcome"] is not None
    assert http.get(f"/api/games/{gid}").json()["status"] == "over"
    # reveal at the end reaches everyone, including the players
    assert fac.request({"type": "reveal"})["type"] == "ack"
    assert clients["cn"].wait_for("revealed")["data"]["god_view"]["labs"]
    for c in [*clients.values(), fac]:
        c.close()


def test_submission_is_visible_but_not_its_content(server: ServerProc) -> None:
    http = server.http()
    g = create_game(http, seed=3, open_seats=["us", "cn"])
    gid = g["game_id"]
    us = Client.open(server.ws_url(gid), claim(http, gid, "us"))
    cn = Client.open(server.ws_url(gid), claim(http, gid, "cn"))
    obs = us.wait_for("observation")
    order = default_order(obs) | {"subsidy": 7.0}
    assert us.request({"type": "order", "turn": 0, "order": order})["type"] == "ack"
    # resubmission before resolution: last one wins
    assert (
        us.request({"type": "order", "turn": 0, "order": order | {"subsidy": 9.0}})["type"] == "ack"
    )
    st = cn.wait_for(
        "game_state",
        lambda m: any(s["role"] == "us" and s["submitted"] for s in m["data"]["seats"]),
    )
    assert "subsidy" not in str(st["data"]["seats"])
    assert not any('"subsidy":9.0' in raw or '"subsidy":7.0' in raw for raw in cn.raw)
    # a stale order is refused
    bad = cn.request({"type": "order", "turn": 5, "order": {}})
    assert bad["type"] == "error" and bad["code"] == "stale_turn" and bad["field"] == "turn"
    assert cn.request({"type": "order", "turn": 0, "order": {}})["type"] == "ack"
    us.wait_for("turn_resolved")
    assert (
        us.wait_for("observation", lambda m: m["data"]["turn"] == 1)["data"]["observation"]["self"][
            "subsidy"
        ]
        == 9.0
    )
    us.close()
    cn.close()


def test_disconnect_grace_bot_and_reconnect(server: ServerProc) -> None:
    http = server.http()
    g = create_game(http, seed=4, open_seats=["us", "cn"])
    gid = g["game_id"]
    tok_us, tok_cn = claim(http, gid, "us"), claim(http, gid, "cn")
    us = Client.open(server.ws_url(gid), tok_us)
    cn = Client.open(server.ws_url(gid), tok_cn)
    cn.wait_for("observation")
    cn.close()
    # after the grace period (1 s here) a bot plays cn: us alone can finish the turn
    st = us.wait_for(
        "game_state", lambda m: any(s["role"] == "cn" and s["away"] for s in m["data"]["seats"])
    )
    assert st["data"]["turn"] == 0
    play_turn({"us": us})
    # cn comes back with the same token and resumes on the current turn
    cn2 = Client.open(server.ws_url(gid), tok_cn)
    obs = cn2.wait_for("observation")
    assert obs["data"]["turn"] == 1
    us.wait_for(
        "game_state",
        lambda m: any(
            s["role"] == "cn" and s["connected"] and not s["away"] for s in m["data"]["seats"]
        ),
    )
    log = http.get(
        f"/api/games/{gid}/export", headers={"Authorization": f"Bearer {g['facilitator_token']}"}
    ).json()["log"]
    changes = [(e["role"], e["change"]) for e in log if e["kind"] == "seat"]
    assert ("cn", "away") in changes and ("cn", "back") in changes
    us.close()
    cn2.close()


def test_facilitator_pause_inject_force_deadline_and_seats(server: ServerProc) -> None:
    http = server.http()
    g = create_game(http, seed=8, open_seats=["us", "cn-lab"])
    gid = g["game_id"]
    us = Client.open(server.ws_url(gid), claim(http, gid, "us"))
    fac = Client.open(server.ws_url(gid), g["facilitator_token"])
    spec = Client.open(server.ws_url(gid))
    obs = us.wait_for("observation")
    # players may not facilitate
    assert us.request({"type": "pause"})["code"] == "forbidden"
    assert fac.request({"type": "pause"})["type"] == "ack"
    r = us.request({"type": "order", "turn": 0, "order": default_order(obs)})
    assert r["type"] == "error" and r["code"] == "game_paused"
    assert fac.request({"type": "inject", "event": "nope"})["code"] == "unknown_event"
    assert fac.request({"type": "inject", "event": "warning_shot"})["type"] == "ack"
    assert fac.request({"type": "resume"})["type"] == "ack"
    assert fac.request({"type": "broadcast", "text": "Ten minutes left"})["type"] == "ack"
    assert spec.wait_for("announcement")["data"]["text"] == "Ten minutes left"
    assert fac.request({"type": "force_turn"})["type"] == "ack"
    tr = us.wait_for("turn_resolved")
    assert tr["data"]["reason"] == "forced"
    assert any(n["kind"] == "event:warning_shot" for n in tr["data"]["news"])
    # a deadline resolves the turn by itself
    assert fac.request({"type": "set_deadline", "seconds": 0.5})["type"] == "ack"
    assert (
        us.wait_for("turn_resolved", lambda m: m["data"]["turn"] == 1)["data"]["reason"]
        == "deadline"
    )
    assert fac.request({"type": "set_deadline", "seconds": None})["type"] == "ack"
    # hand us to a bot: the holder is told and the token stops working
    assert fac.request({"type": "set_seat", "role": "us", "mode": "bot"})["type"] == "ack"
    us.wait_for("seat_revoked")
    # god view is for the facilitator only; reveal only at the end
    gv = fac.request({"type": "god_view"})
    assert "misalignment" in str(gv["result"]["god_view"])
    assert fac.request({"type": "reveal"})["code"] == "game_not_over"
    # open a bot seat to people
    assert fac.request({"type": "set_seat", "role": "cn", "mode": "open"})["type"] == "ack"
    assert http.post(f"/api/games/{gid}/seats/cn/claim").status_code == 201
    for c in (fac, spec):
        c.close()


def test_chat_public_private_and_spectators(server: ServerProc) -> None:
    http = server.http()
    g = create_game(http, seed=9, open_seats=["us", "cn", "us-lab"])
    gid = g["game_id"]
    us = Client.open(server.ws_url(gid), claim(http, gid, "us"))
    cn_token, lab_token = claim(http, gid, "cn"), claim(http, gid, "us-lab")
    cn = Client.open(server.ws_url(gid), cn_token)
    lab = Client.open(server.ws_url(gid), lab_token)
    spec = Client.open(server.ws_url(gid))
    assert spec.request({"type": "chat", "text": "hi"})["code"] == "not_your_seat"
    assert us.request({"type": "chat", "to": "public", "text": "Hello room"})["type"] == "ack"
    line = spec.wait_for("chat")["data"]
    assert (
        line["from"] == "us" and line["text"] == "Hello room" and line["turn"] == 0 and line["at"]
    )
    assert us.request({"type": "chat", "to": "cn", "text": "secret deal"})["type"] == "ack"
    assert cn.wait_for("chat", lambda m: m["data"]["to"] == "cn")["data"]["text"] == "secret deal"
    assert us.request({"type": "chat", "to": "mars", "text": "x"})["code"] == "unknown_role"
    time.sleep(0.5)
    lab.drain()
    spec.drain()
    assert not any("secret deal" in raw for raw in lab.raw + spec.raw)

    # a reconnecting seat gets its chat history back (public and its own private lines)
    def history(token: str | None) -> list[str]:
        again = Client.open(server.ws_url(gid), token)
        lines = [line["text"] for line in again.wait_for("welcome")["data"]["chat"]]
        again.close()
        return lines

    cn.close()
    assert history(cn_token) == ["Hello room", "secret deal"]
    lab.close()
    assert history(lab_token) == ["Hello room"]
    assert history(None) == ["Hello room"]


def test_rest_errors_are_clear_json(server: ServerProc) -> None:
    http = server.http()
    assert http.post("/api/games", json={"scenario": "nope"}).json()["error"] == "bad_scenario"
    assert http.post("/api/games", json={"scenario": "precipice"}).json()["error"] == "not_playable"
    assert (
        http.post("/api/games", json={"personalities": {"us": "lizard"}}).json()["error"]
        == "bad_personality"
    )
    g = create_game(http, seed=1, open_seats=["us"])
    gid = g["game_id"]
    assert http.post(f"/api/games/{gid}/seats/cn/claim").json()["error"] == "seat_not_open"
    tok = claim(http, gid, "us")
    assert http.post(f"/api/games/{gid}/seats/us/claim").json()["error"] == "seat_taken"
    r = http.post(f"/api/games/{gid}/seats/us/release")
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"
    r = http.post(f"/api/games/{gid}/seats/us/release", headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    r = http.get(f"/api/games/{gid}/export")
    assert r.status_code == 401
    r = http.get(f"/api/games/{gid}/export", headers={"Authorization": f"Bearer {tok}"})
    assert r.status_code == 403
    r = http.get(
        f"/api/games/{gid}/replay/0",
        params={"view": "god"},
        headers={"Authorization": f"Bearer {tok}"},
    )
    assert r.status_code == 403
    assert (
        http.get(
            f"/api/games/{gid}/replay/0",
            params={"view": "us"},
            headers={"Authorization": f"Bearer {tok}"},
        ).status_code
        == 200
    )
    r = http.post(f"/api/games/{gid}/seats/us/release", headers={"Authorization": f"Bearer {tok}"})
    assert r.status_code == 200
    assert http.get("/api/games/nope").status_code == 404
    assert http.get("/api/events").json()[0]["title"]
    assert "/api/games" in http.get("/openapi.json").json()["paths"]
    assert http.get("/api/protocol").json()["version"] == 1
    assert http.get("/").status_code == 200


def test_released_seat_goes_to_a_bot_and_is_logged(server: ServerProc) -> None:
    http = server.http()
    g = create_game(http, seed=2, open_seats=["us"])
    gid = g["game_id"]
    tok = claim(http, gid, "us")
    us = Client.open(server.ws_url(gid), tok)
    obs = us.wait_for("observation")
    assert us.request({"type": "order", "turn": 0, "order": default_order(obs)})["type"] == "ack"
    # the single human submitted: the turn resolves at once
    us.wait_for("turn_resolved")
    assert (
        http.post(
            f"/api/games/{gid}/seats/us/release", headers={"Authorization": f"Bearer {tok}"}
        ).status_code
        == 200
    )
    us.wait_for("seat_revoked")
    bad = Client.open(server.ws_url(gid), hello=False)
    r = bad.request({"type": "hello", "token": tok})
    assert r["type"] == "error" and r["code"] == "unauthorized"
    fac = g["facilitator_token"]
    log = http.get(f"/api/games/{gid}/export", headers={"Authorization": f"Bearer {fac}"}).json()[
        "log"
    ]
    assert any(e["kind"] == "seat" and e["change"] == "released" for e in log)
    assert tok not in str(log)


def test_a_merged_labs_seat_is_idle_and_not_waited_for(server: ServerProc) -> None:
    """China merges its labs: the absorbed lab's person has nothing to decide, so the
    next quarter resolves as soon as China submits; the seat is marked idle for everyone."""
    http = server.http()
    g = create_game(http, scenario="consolidation", seed=2, open_seats=["cn", "cn-lab-2"])
    gid = g["game_id"]
    cn = Client.open(server.ws_url(gid), claim(http, gid, "cn"))
    lab = Client.open(server.ws_url(gid), claim(http, gid, "cn-lab-2"))
    obs = cn.wait_for("observation")
    assert "merge_labs" in {a["name"] for a in obs["data"]["legal_actions"]}
    assert lab.wait_for("observation")["data"]["legal_actions"]
    assert cn.request({"type": "order", "turn": 0, "order": {"merge_labs": True}})["type"] == "ack"
    assert lab.request({"type": "order", "turn": 0, "order": {}})["type"] == "ack"
    after = lab.wait_for("observation", lambda m: m["data"]["turn"] == 1)["data"]
    assert after["legal_actions"] == []
    assert after["observation"]["self"]["merged_into"] == "cn-lab"
    st = cn.wait_for(
        "game_state",
        lambda m: m["data"]["turn"] == 1,
    )["data"]
    seat = {s["role"]: s for s in st["seats"]}
    assert seat["cn-lab-2"]["idle"] and not seat["cn"]["idle"]
    # Anything the merged lab tries is refused, and names why.
    bad = lab.request({"type": "order", "turn": 1, "order": {"pause": True}})
    assert bad["type"] == "error" and bad["code"] == "illegal_action" and "merged" in bad["message"]
    # China alone ends quarter 1: nobody waits for the absorbed lab.
    assert cn.request({"type": "order", "turn": 1, "order": {}})["type"] == "ack"
    resolved = cn.wait_for("turn_resolved", lambda m: m["data"]["turn"] == 1)
    assert resolved["data"]["reason"] == "all_submitted"
    cn.close()
    lab.close()


def test_scenarios_list_what_a_creator_needs(server: ServerProc) -> None:
    rows = {r["name"]: r for r in server.http().get("/api/scenarios").json()}
    assert set(rows) >= {"baseline", "ai-2027-race", "consolidation", "precipice"}
    base = rows["baseline"]
    assert base["playable"] and base["turns"] == 28 and base["start"] == "2026-Q1"
    assert base["description"] and base["title"]
    assert {r["id"] for r in base["roles"]} >= {"us", "cn", "us-lab", "cn-lab"}
    assert (
        len(rows["consolidation"]["roles"]) == len(base["roles"]) + 4
    )  # a second lab a side, each with its AI
    assert not rows["precipice"]["playable"] and rows["precipice"]["roles"] == []


def test_game_state_carries_the_servers_clock(server: ServerProc) -> None:
    """Clients count down to deadline_at on the server's clock, not their own."""
    http = server.http()
    g = create_game(http, seed=6, open_seats=["us"], deadline_seconds=120)
    us = Client.open(server.ws_url(g["game_id"]), claim(http, g["game_id"], "us"))
    before = time.time()
    st = us.wait_for("game_state")["data"]
    assert before - 5 <= st["server_now"] <= time.time() + 5
    assert 100 <= st["deadline_at"] - st["server_now"] <= 120
    us.close()
