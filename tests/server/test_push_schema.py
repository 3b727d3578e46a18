"""The published server-message schema cannot drift from what a real game sends.

A whole game is driven in process (the real app, lifespan and websockets; Starlette's
test client): seats of every role kind, a spectator and the facilitator, chat both ways,
every facilitator command, a shared forecast, a replaced and a revoked seat, the end and
the reveal. Every message any socket receives must validate against ``SERVER_ADAPTER``
(the TypeAdapter ``/api/protocol`` publishes: unknown fields are refused) and survive a
round trip through it unchanged (no field coerced or dropped). The test also checks that
it saw every push type, every ack and every kind of observation, so it cannot pass by
sending less. ``GET /api/protocol`` must show the fields inside ``game_state`` and
``observation``.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any, get_args

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from server.dispatch import ROUTES
from server.server_messages import SERVER_ADAPTER, Push
from tests.server.helpers import default_order
from tests.server.inproc import Socket, app_client

SEATS = ("us", "us-lab", "us-official", "us-wb")


def push_types() -> set[str]:
    """Every push type of the published union (read from it)."""
    return {get_args(cls.model_fields["type"].annotation)[0] for cls in get_args(Push)}


def check_against_schema(raw: str) -> dict[str, Any]:
    """Validate one received message and check the round trip through the schema is lossless."""
    sent = json.loads(raw)
    parsed = SERVER_ADAPTER.validate_json(raw)
    again = SERVER_ADAPTER.dump_python(parsed, mode="json")
    assert json.dumps(again, sort_keys=True) == json.dumps(sent, sort_keys=True), sent["type"]
    return sent


def _claim(client: TestClient, gid: str, role: str, code: str) -> str:
    r = client.post(
        f"/api/games/{gid}/seats/{role}/claim", json={"player": role, "join_code": code}
    )
    assert r.status_code == 201, r.text
    token: str = r.json()["seat_token"]
    return token


def _closed(sock: Socket) -> int:
    """Read until the server closes the socket; its close code."""
    with pytest.raises(WebSocketDisconnect) as info:
        while True:
            sock.recv()
    return info.value.code


def _play(client: TestClient, stack: contextlib.ExitStack, received: list[Socket]) -> None:
    def open_socket(gid: str, token: str | None) -> Socket:
        sock = stack.enter_context(Socket.open(client, gid, token))
        received.append(sock)
        return sock

    g = client.post("/api/games", json={"seed": 7, "open_seats": [*SEATS, "cn"]}).json()
    gid, fac_token = g["game_id"], g["facilitator_token"]
    auth = {"Authorization": f"Bearer {fac_token}"}
    tokens = {r: _claim(client, gid, r, g["join_code"]) for r in (*SEATS, "cn")}
    fac = open_socket(gid, fac_token)
    seats = {r: open_socket(gid, tokens[r]) for r in SEATS}
    spectator = open_socket(gid, None)

    # the lobby: seats say they are ready, nothing is played before the facilitator starts
    assert seats["us"].request({"type": "order", "turn": 0, "order": {}})["code"] == "wrong_phase"
    for sock in seats.values():
        assert sock.request({"type": "ready", "ready": True})["type"] == "ack"
    assert fac.request({"type": "start"})["type"] == "ack"
    assert fac.request({"type": "start"})["code"] == "wrong_phase"

    # chat both ways, every facilitator command, acks of every kind
    assert seats["us"].request({"type": "chat", "text": "hello room"})["type"] == "ack"
    assert seats["us"].request({"type": "chat", "to": "us-lab", "text": "psst"})["type"] == "ack"
    assert fac.request({"type": "chat", "to": "us-wb", "text": "noted"})["type"] == "ack"
    assert seats["us"].request({"type": "order", "turn": 9, "order": {}})["code"] == "stale_turn"
    for sock in (fac, spectator):
        assert sock.request({"type": "sync"})["type"] == "ack"
    for msg in (
        {"type": "pause"},
        {"type": "resume"},
        {"type": "set_deadline", "seconds": 3600},
        {"type": "inject", "event": "memo_leak"},
        {"type": "broadcast", "text": "ten minutes"},
        {"type": "god_view"},
    ):
        assert fac.request(msg)["type"] == "ack", msg
    r = client.post(f"/api/games/{gid}/forecast/share?rollouts=10", headers=auth)
    assert r.status_code == 200, r.text

    # every seat orders; cn never connects, so the facilitator forces the turn
    for sock in seats.values():
        obs = sock.wait_for("observation", lambda m: m["data"]["turn"] == 0)
        order = {"type": "order", "turn": 0, "order": default_order(obs)}
        assert sock.request(order)["type"] == "ack"
    assert fac.request({"type": "force_turn"})["type"] == "ack"

    # a seat connecting again replaces its old socket; a held seat handed to a bot is revoked
    old_wb = seats.pop("us-wb")
    open_socket(gid, tokens["us-wb"])
    assert old_wb.wait_for("replaced")
    assert _closed(old_wb) == 4000
    lab = seats.pop("us-lab")
    assert fac.request({"type": "set_seat", "role": "us-lab", "mode": "bot"})["type"] == "ack"
    assert lab.wait_for("seat_revoked")
    assert _closed(lab) == 4001

    # bots play the rest to the end; then the reveal, and a late joiner who gets it at once
    for _ in range(60):
        if client.get(f"/api/games/{gid}").json()["done"]:
            break
        assert fac.request({"type": "force_turn"})["type"] == "ack"
    assert client.get(f"/api/games/{gid}").json()["done"]
    assert fac.request({"type": "reveal"})["type"] == "ack"
    assert fac.request({"type": "pause"})["code"] == "game_over"
    late = open_socket(gid, None)
    late.wait_for("revealed")
    for sock in (fac, spectator, late, *seats.values()):
        assert sock.request({"type": "ping"})["type"] == "ack"  # everything sent so far is read


def test_every_message_of_a_real_game_matches_the_published_schema(tmp_path: Path) -> None:
    received: list[Socket] = []
    with app_client(f"sqlite:///{tmp_path / 'p.db'}", analysis_workers=1) as client:
        with contextlib.ExitStack() as stack:
            _play(client, stack, received)
        messages = [check_against_schema(raw) for sock in received for raw in sock.raw]

    kinds = {m["type"] for m in messages}
    # server_alert is sent only when a commit fails: tests/server/test_replies.py makes one
    # fail and checks each alert against this same schema
    assert push_types() - {"server_alert"} <= kinds, push_types() - kinds
    assert {m["of"] for m in messages if m["type"] == "ack"} == set(ROUTES)
    observed = {
        m["data"]["observation"]["role_kind"] for m in messages if m["type"] == "observation"
    }
    assert observed == {"state", "lab", "official", "whistleblower"}
    turns = [m["data"] for m in messages if m["type"] == "turn_resolved"]
    assert any("private_news" in t for t in turns) and any("all_news" in t for t in turns)
    assert any("private_news" not in t and "hash" not in t for t in turns)  # a spectator's
    welcomes = [m["data"] for m in messages if m["type"] == "welcome"]
    assert any("forecast" in a for w in welcomes for a in w["announcements"])
    assert any(w["chat"] for w in welcomes)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _data_of(schema: dict[str, Any], kind: str) -> dict[str, Any]:
    for member in schema["oneOf"]:
        props = _resolve(schema, member).get("properties", {})
        if props.get("type", {}).get("const") == kind:
            return _resolve(schema, props["data"])
    raise AssertionError(f"no push {kind!r} in the schema")


def test_the_protocol_endpoint_shows_the_fields_inside_each_push(tmp_path: Path) -> None:
    with app_client(f"sqlite:///{tmp_path / 'p.db'}") as client:
        body = client.get("/api/protocol").json()
    schema = body["server"]
    state = _data_of(schema, "game_state")
    assert {"seats", "world", "turn", "deadline_at", "server_now"} <= set(state["required"])
    seat = _resolve(schema, state["properties"]["seats"]["items"])
    assert {"role", "kind", "mode", "submitted", "idle"} <= set(seat["properties"])
    world = _resolve(schema, state["properties"]["world"])
    assert {"states", "labs", "officials", "whistleblowers", "treaty"} <= set(world["properties"])

    obs = _data_of(schema, "observation")
    assert {"turn", "observation", "legal_actions", "your_order"} <= set(obs["required"])
    kinds = obs["properties"]["observation"]["oneOf"]
    assert len(kinds) == 5
    for kind in kinds:
        props = _resolve(schema, kind)["properties"]
        assert {"self", "public", "private_news", "objectives", "role_kind"} <= set(props)
    lever = _resolve(schema, obs["properties"]["legal_actions"]["items"])
    assert {"name", "type", "current", "min", "max", "options"} <= set(lever["properties"])

    turn = _data_of(schema, "turn_resolved")
    assert {"news", "private_news", "hash", "all_news"} <= set(turn["properties"])
    assert "private_news" not in turn["required"]
    welcome = _data_of(schema, "welcome")
    assert {"chat", "announcements", "kind", "role"} <= set(welcome["properties"])
    assert {_resolve(schema, m)["title"] for m in schema["oneOf"][1:]} >= {"Error", "WelcomePush"}
