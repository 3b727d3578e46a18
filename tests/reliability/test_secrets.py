"""Secrets: random tokens compared in constant time, never logged, each bound to its seat and role.

Hidden state on the wire (every seat and a spectator, all game long) is covered by
``tests/server/test_secrecy.py``; these add the token properties and the REST side.
"""

from __future__ import annotations

import base64
import inspect
import re
from pathlib import Path

import pytest

from server import security
from server.client import play_seat
from tests.server.helpers import (
    ROOT,
    Client,
    ServerProc,
    claim,
    create_game,
    default_order,
    start_server,
)


def test_tokens_are_random_256_bit_and_compared_in_constant_time() -> None:
    tokens = {security.new_token() for _ in range(2000)}
    assert len(tokens) == 2000
    for t in list(tokens)[:50]:
        assert len(base64.urlsafe_b64decode(t + "=" * (-len(t) % 4))) * 8 >= 128
    assert "compare_digest" in inspect.getsource(security.token_matches)
    assert "secrets." in inspect.getsource(security.new_token)
    # no other code compares a token with ==
    for path in (ROOT / "server").rglob("*.py"):
        assert not re.search(r"token\w*\s*[!=]=\s*\w*(hash|token)", path.read_text()), path


def test_tokens_never_reach_the_server_log(tmp_path: Path) -> None:
    """Play a game at log level debug; grep the whole log for every token handed out."""
    sp = start_server(f"sqlite:///{tmp_path / 'log.db'}", log_level="debug")
    try:
        http = sp.http()
        g = create_game(http, seed=2, open_seats=["us", "cn"])
        gid = g["game_id"]
        tokens = [g["facilitator_token"], claim(http, gid, "us"), claim(http, gid, "cn")]
        fac = Client.open(sp.ws_url(gid), tokens[0])
        assert fac.request({"type": "god_view"})["type"] == "ack"
        http.get(f"/api/games/{gid}/export", headers={"Authorization": f"Bearer {tokens[0]}"})
        http.get(f"/api/games/{gid}/export", headers={"Authorization": f"Bearer {tokens[1]}x"})
        bad = Client.open(sp.ws_url(gid), hello=False)
        bad.request({"type": "hello", "token": tokens[2] + "x"})
        cn = Client.open(sp.ws_url(gid), tokens[2])
        cn.request({"type": "order", "turn": 0, "order": {}})
        rel = http.post(
            f"/api/games/{gid}/seats/cn/release",
            headers={"Authorization": f"Bearer {tokens[2]}"},
        )
        assert rel.status_code == 200
        r = play_seat(sp.base, gid, "baseline", "us", lambda o: None, token=tokens[1])
        assert r.score is not None
        sp2 = play_seat(sp.base, None, "baseline", "cn", lambda o: None, seed=1)
        assert sp2.score is not None
    finally:
        sp.stop()
    text = sp.log()
    assert "GET /api/health" in text or "connection open" in text or len(text) > 0
    for tok in tokens:
        assert tok not in text and tok[:16] not in text


@pytest.fixture
def game(server: ServerProc) -> dict[str, object]:
    http = server.http()
    g = create_game(http, seed=9, open_seats=["us", "cn"])
    gid = g["game_id"]
    return {
        "http": http,
        "gid": gid,
        "fac": g["facilitator_token"],
        "us": claim(http, gid, "us"),
        "cn": claim(http, gid, "cn"),
    }


def test_a_seat_token_acts_only_for_its_seat(server: ServerProc, game: dict) -> None:
    http, gid = game["http"], game["gid"]
    us_auth = {"Authorization": f"Bearer {game['us']}"}
    r = http.post(f"/api/games/{gid}/seats/cn/release", headers=us_auth)
    assert r.status_code == 403 and r.json()["error"] == "not_your_seat"
    # another seat's observation, the god view, other seats' views: refused
    for view in ("cn", "god", "us-lab"):
        r = http.get(f"/api/games/{gid}/replay/0?view={view}", headers=us_auth)
        assert r.status_code == 403 and r.json()["error"] == "forbidden", view
    assert http.get(f"/api/games/{gid}/replay/0?view=us", headers=us_auth).status_code == 200
    # the public view of a past turn is everyone's, and holds nothing hidden
    public = http.get(f"/api/games/{gid}/replay/0?view=public")
    assert public.status_code == 200 and public.json()["state"]["labs"]["us-lab"]["name"]
    assert not {"misalignment", "deception", "capability", "estimates"} & set(
        public.json()["state"]["labs"]["us-lab"]
    )
    assert http.get(f"/api/games/{gid}/replay/0?view=god").status_code == 401
    # a token of another game is nobody here
    other = create_game(http, seed=10, open_seats=["us"])
    other_tok = claim(http, other["game_id"], "us")
    bad = Client.open(server.ws_url(gid), hello=False)
    assert bad.request({"type": "hello", "token": other_tok})["code"] == "unauthorized"
    assert (
        bad.request({"type": "hello", "token": other["facilitator_token"]})["code"]
        == "unauthorized"
    )
    # the us socket's order is recorded for us only; cn still has not submitted
    us = Client.open(server.ws_url(gid), game["us"])
    obs = us.wait_for("observation")
    assert us.request({"type": "order", "turn": 0, "order": default_order(obs)})["type"] == "ack"
    st = http.get(f"/api/games/{gid}").json()
    assert {s["role"]: s["submitted"] for s in st["seats"]}["cn"] is False
    # an order in another role's shape is refused
    assert (
        us.request({"type": "order", "turn": 0, "order": {"kind": "lab"}})["code"]
        == "invalid_action"
    )
    # a seat never receives another seat's observation
    us.drain(0.3)
    assert all(
        m["data"]["observation"]["role_id"] == "us" for m in us.seen if m["type"] == "observation"
    )


def test_facilitator_powers_need_the_facilitator_token(server: ServerProc, game: dict) -> None:
    http, gid = game["http"], game["gid"]
    for who in ("us", None):
        auth = {"Authorization": f"Bearer {game[who]}"} if who else {}
        assert http.get(f"/api/games/{gid}/export", headers=auth).status_code in (401, 403)
        assert http.post(f"/api/games/{gid}/fork", json={"turn": 0}, headers=auth).status_code in (
            401,
            403,
        )
    seat = Client.open(server.ws_url(gid), game["us"])
    spec = Client.open(server.ws_url(gid))
    for c in (seat, spec):
        for msg in (
            {"type": "pause"},
            {"type": "force_turn"},
            {"type": "god_view"},
            {"type": "set_seat", "role": "cn", "mode": "bot"},
            {"type": "inject", "event": "memo_leak"},
            {"type": "broadcast", "text": "x"},
            {"type": "set_deadline", "seconds": 5},
        ):
            assert c.request(msg)["code"] == "forbidden", msg
    fac = Client.open(server.ws_url(gid), game["fac"])
    assert fac.request({"type": "pause"})["type"] == "ack"
    assert fac.request({"type": "resume"})["type"] == "ack"
    auth = {"Authorization": f"Bearer {game['fac']}"}
    assert http.get(f"/api/games/{gid}/export", headers=auth).status_code == 200
