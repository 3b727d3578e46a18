"""A bot state answers a person's treaty proposal in chat, privately, saying what it decided.

In-process: the real app and lifespan behind Starlette's test client on a SQLite file, with
the tests' fixed game secrets, so each case plays the same way on every run. A person holds
the US seat and proposes a treaty; China's seat is a bot's. When the quarter after the
proposal resolves, the bot's order is its answer, and the US seat (and the facilitator, who
reads every private line) gets one chat line from China, marked as a bot's, saying in words
whether it accepted; nobody else does, now or in a later welcome. With seed 1 (and the
first fixed secret) the baseline's China accepts a safety floor and declines a pause.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.server.helpers import default_order
from tests.server.inproc import Socket, app_client


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _claim(client: TestClient, gid: str, role: str) -> str:
    r = client.post(f"/api/games/{gid}/seats/{role}/claim", json={"player": role.upper()})
    assert r.status_code == 201, r.text
    token: str = r.json()["seat_token"]
    return token


def _order(obs: dict[str, Any], **levers: Any) -> dict[str, Any]:
    """Every lever as it is (no treaty move, which ``default_order`` would pick), then ``levers``."""
    return {k: v for k, v in default_order(obs).items() if k != "treaty"} | levers


def _bot_lines(sock: Socket) -> list[dict[str, Any]]:
    return [m["data"] for m in sock.seen if m["type"] == "chat" and m["data"].get("bot")]


@pytest.mark.parametrize(
    ("proposal", "accepted"),
    [("propose_floor", True), ("propose_pause", False)],
)
def test_a_bot_state_tells_the_proposer_what_it_decided(
    tmp_path: Path, proposal: str, accepted: bool
) -> None:
    body = {
        "scenario": "baseline",
        "seed": 1,
        "open_seats": ["us", "us-lab"],
        "visibility": "public",
    }
    with app_client(f"sqlite:///{tmp_path / 'b.db'}") as client:
        r = client.post("/api/games", json=body)
        assert r.status_code == 201, r.text
        gid, fac_tok = r.json()["game_id"], r.json()["facilitator_token"]
        us_tok, lab_tok = _claim(client, gid, "us"), _claim(client, gid, "us-lab")
        assert client.post(f"/api/games/{gid}/start", headers=_auth(fac_tok)).status_code == 200
        with (
            Socket.open(client, gid, fac_tok) as fac,
            Socket.open(client, gid, us_tok) as us,
            Socket.open(client, gid, lab_tok) as lab,
            Socket.open(client, gid, None) as spectator,
        ):
            # quarter 0: the person proposes; China's bot could not have seen it yet
            us_obs, lab_obs = us.wait_for("observation"), lab.wait_for("observation")
            order = _order(us_obs, treaty=proposal)
            assert us.request({"type": "order", "turn": 0, "order": order})["type"] == "ack"
            assert (
                lab.request({"type": "order", "turn": 0, "order": _order(lab_obs)})["type"] == "ack"
            )
            us.wait_for("turn_resolved")
            treaty = us.wait_for("game_state", lambda m: m["data"]["turn"] == 1)["data"]["world"]
            assert treaty["treaty"]["status"] == "proposed"
            assert treaty["treaty"]["proposed_by"] == "us"
            assert not _bot_lines(us)
            # quarter 1: the bot answers with its order, and says so
            us_obs = us.wait_for("observation", lambda m: m["data"]["turn"] == 1)
            lab_obs = lab.wait_for("observation", lambda m: m["data"]["turn"] == 1)
            assert (
                us.request({"type": "order", "turn": 1, "order": _order(us_obs)})["type"] == "ack"
            )
            assert (
                lab.request({"type": "order", "turn": 1, "order": _order(lab_obs)})["type"] == "ack"
            )
            # a round trip on every socket: each push of the resolution came before its reply
            us_obs = us.wait_for("observation", lambda m: m["data"]["turn"] == 2)
            assert (
                us.request({"type": "order", "turn": 2, "order": _order(us_obs)})["type"] == "ack"
            )
            assert fac.request({"type": "god_view"})["type"] == "ack"
            assert len(_bot_lines(us)) == 1 and _bot_lines(fac) == _bot_lines(us)
            line = _bot_lines(us)[0]
            lab.wait_for("observation", lambda m: m["data"]["turn"] == 2)
            assert lab.request({"type": "start"})["code"] == "forbidden"
            assert spectator.request({"type": "chat", "text": "hi"})["code"] == "not_your_seat"
            assert not _bot_lines(lab) and not _bot_lines(spectator)
            state = us.wait_for("game_state", lambda m: m["data"]["turn"] == 2)["data"]["world"]
        saved = client.get(f"/api/games/{gid}/export", headers=_auth(fac_tok)).json()
        # later welcomes: the proposer and the facilitator have it, the other seat does not
        with (
            Socket.open(client, gid, us_tok) as us,
            Socket.open(client, gid, lab_tok) as lab,
            Socket.open(client, gid, fac_tok) as fac,
        ):
            assert line in us.wait_for("welcome")["data"]["chat"]
            assert line in fac.wait_for("welcome")["data"]["chat"]
            assert not [c for c in lab.wait_for("welcome")["data"]["chat"] if c.get("bot")]
        page = client.get(f"/api/games/{gid}/chat", headers=_auth(us_tok)).json()["lines"]
        assert [p for p in page if p["bot"]] == [{"seq": page[-1]["seq"], **line}]
    assert line["from"] == "cn" and line["to"] == "us" and line["bot"] is True
    assert line["turn"] == 1
    # the words match what the bot decided, and what came of it
    decided = saved["turns"][1]["bot_orders"]["cn"].get("treaty") == "accept"
    assert decided is accepted
    kind = "mutual pause" if proposal == "propose_pause" else "mutual safety floor"
    if accepted:
        assert line["text"].startswith(f"I accept your proposed {kind}: the treaty is in force")
        assert state["treaty"]["status"] == "active"
    else:
        assert line["text"] == (
            f"I do not accept your proposed {kind}. Unanswered, it lapses as next quarter begins."
        )
        assert state["treaty"]["status"] == "proposed"
