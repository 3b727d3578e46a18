"""The briefing route (role cards before seating), the QR route, and chat to the facilitator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import segno
from starlette.testclient import TestClient

from tests.server.inproc import Socket, app_client


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One in-process app for the module."""
    with app_client(f"sqlite:///{tmp_path_factory.mktemp('db') / 'b.db'}") as c:
        yield c


def test_briefing_cards_name_each_seats_controls_and_objectives(client: TestClient) -> None:
    res = client.get("/api/scenarios/baseline/briefing")
    assert res.status_code == 200
    body = res.json()
    cards = {c["id"]: c for c in body["cards"]}
    assert set(cards) >= {"us", "cn", "us-lab", "us-official", "us-wb", "us-ai"}
    us = cards["us"]
    assert "government" in us["who"]
    assert {"export_controls", "oversight", "treaty"} <= {c["name"] for c in us["controls"]}
    assert any("rogue ASI" in t for t in us["objectives"])
    assert us["sees"] and us["hidden"]
    # The US committee member has no post at the start: told so, no levers.
    assert cards["us-official"]["controls"] == []
    assert "oversight" in cards["us-official"]["controls_note"]
    # The AI's card lists every possible value, never the sealed one (nothing is sealed here).
    ai = cards["us-ai"]
    assert {c["name"] for c in ai["controls"]} == {"action", "target"}
    assert (
        sum(t.startswith(("spec", "reward", "convergent", "intentions")) for t in ai["objectives"])
        == 5
    )
    assert "28 quarters" in body["session"]
    missing = client.get("/api/scenarios/precipice/briefing")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


def test_qr_code_encodes_the_text_in_the_body(client: TestClient) -> None:
    url = "http://127.0.0.1:8000/#/play/abc123/us?t=secret-token"
    res = client.post("/api/qr", json={"text": url})
    assert res.status_code == 200
    code = res.json()
    want = [
        "".join("1" if d else "0" for d in row)
        for row in segno.make_qr(url, error="m").matrix_iter(border=4)
    ]
    assert code["rows"] == want and code["size"] == len(want)
    bad = client.post("/api/qr", json={"text": ""})
    assert bad.status_code == 422 and "text" in bad.json()["message"]
    assert client.post("/api/qr", json={"text": "x", "extra": 1}).status_code == 422


def test_a_seat_writes_to_the_facilitator(client: TestClient) -> None:
    game = client.post(
        "/api/games", json={"scenario": "baseline", "open_seats": ["us", "cn"], "seed": 1}
    ).json()
    gid = game["game_id"]
    code = game["join_code"]
    seat = f"/api/games/{gid}/seats"
    us = client.post(f"{seat}/us/claim", json={"player": "A", "join_code": code}).json()
    cn = client.post(f"{seat}/cn/claim", json={"player": "B", "join_code": code}).json()
    with (
        Socket.open(client, gid, us["seat_token"]) as a,
        Socket.open(client, gid, game["facilitator_token"]) as fac,
    ):
        ack = a.request({"type": "chat", "to": "facilitator", "text": "Can we have a minute?"})
        assert ack["type"] == "ack", ack
        line = fac.wait_for("chat")
        assert line["data"]["from"] == "us" and line["data"]["to"] == "facilitator"
    # Another seat does not read it, even after a reconnect (welcome's history).
    with Socket.open(client, gid, cn["seat_token"]) as b:
        welcome = b.wait_for("welcome")
        assert all(c["to"] != "facilitator" for c in welcome["data"]["chat"])
    with Socket.open(client, gid, game["facilitator_token"]) as fac2:
        welcome = fac2.wait_for("welcome")
        assert any(c["to"] == "facilitator" for c in welcome["data"]["chat"])
