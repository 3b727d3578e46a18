"""Strict validation at REST and websocket: nothing is coerced, a refusal names the field and changes nothing.

In-process (the real app and lifespan behind Starlette's ASGI client, a real SQLite file):
no process boundary is at stake here. One app for the module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.server.inproc import Socket, app_client


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("strict") / "p.db"
    with app_client(f"sqlite:///{db}", max_games_per_creator=1000) as c:
        yield c


def _game(client: TestClient, **body: Any) -> dict[str, Any]:
    """A public game, started."""
    r = client.post(
        "/api/games", json={"seed": 3, "open_seats": ["us"], "visibility": "public", **body}
    )
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    auth = {"Authorization": f"Bearer {out['facilitator_token']}"}
    assert client.post(f"/api/games/{out['game_id']}/start", headers=auth).status_code == 200
    return out


def _refused(r: Any, field: str) -> dict[str, Any]:
    assert r.status_code == 422, r.text
    body: dict[str, Any] = r.json()
    assert body["error"] == "invalid_request", body
    assert body["message"].startswith(f"{field}:"), body
    return body


def _games(client: TestClient) -> int:
    r = client.get("/api/games")
    assert r.status_code == 200
    body = r.json()
    return int(body["total"]) if isinstance(body, dict) else len(body)


# ----- REST ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", ["7", True, -1, 2**31, 1.5])
def test_create_refuses_a_seed_that_is_not_a_json_integer_in_range(
    client: TestClient, seed: object
) -> None:
    before = _games(client)
    _refused(client.post("/api/games", json={"seed": seed}), "seed")
    assert _games(client) == before


def test_create_takes_a_json_integer_seed(client: TestClient) -> None:
    g = client.get(f"/api/games/{_game(client, seed=7)['game_id']}")
    assert g.status_code == 200


def test_create_refuses_a_seat_named_twice(client: TestClient) -> None:
    before = _games(client)
    body = _refused(client.post("/api/games", json={"open_seats": ["us", "us"]}), "open_seats")
    assert "'us' is named twice" in body["message"]
    assert _games(client) == before


def test_create_refuses_a_string_for_a_switch(client: TestClient) -> None:
    _refused(
        client.post("/api/games", json={"single_player": "true", "seat": "us"}), "single_player"
    )


def test_an_override_error_names_the_path_the_user_typed(client: TestClient) -> None:
    r = client.post("/api/games", json={"overrides": {"labs.us-lab.compute": -1}})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == "bad_scenario"
    assert "labs.us-lab.compute" in body["message"], body
    assert "labs.0" not in body["message"], body


def test_fork_refuses_a_string_turn_and_a_seat_named_twice(client: TestClient) -> None:
    g = _game(client)
    auth = {"Authorization": f"Bearer {g['facilitator_token']}"}
    url = f"/api/games/{g['game_id']}/fork"
    _refused(client.post(url, json={"turn": "0"}, headers=auth), "turn")
    _refused(
        client.post(url, json={"turn": 0, "open_seats": ["us", "us"]}, headers=auth), "open_seats"
    )


def _export(client: TestClient) -> dict[str, Any]:
    g = _game(client)
    r = client.get(
        f"/api/games/{g['game_id']}/export",
        headers={"Authorization": f"Bearer {g['facilitator_token']}"},
    )
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


@pytest.mark.parametrize(("seed", "field"), [(-1, "seed"), ("3", "seed"), (2**40, "seed")])
def test_import_refuses_a_bad_seed_with_a_typed_422(
    client: TestClient, seed: object, field: str
) -> None:
    doc = _export(client) | {"seed": seed}
    before = _games(client)
    _refused(client.post("/api/games/import", json=doc), field)
    assert _games(client) == before


def test_import_of_an_empty_body_names_the_required_fields(client: TestClient) -> None:
    body = _refused(client.post("/api/games/import", json={}), "scenario")
    missing = {".".join(map(str, d["loc"][1:])) for d in body["detail"]}
    assert {"scenario", "seed", "rules_version", "initial_hash", "final_hash"} <= missing


def test_import_takes_an_export(client: TestClient) -> None:
    r = client.post("/api/games/import", json=_export(client))
    assert r.status_code == 201, r.text


# ----- websocket ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seat(client: TestClient) -> Iterator[tuple[Socket, dict[str, Any]]]:
    g = _game(client, open_seats=["us", "cn"])
    # cn is claimed (present for the grace period), so the quarter waits for it
    for role in ("cn", "us"):
        r = client.post(f"/api/games/{g['game_id']}/seats/{role}/claim", json={"player": role})
        assert r.status_code == 201, r.text
    with Socket.open(client, g["game_id"], r.json()["seat_token"]) as sock:
        yield sock, g


def _pending(client: TestClient, g: dict[str, Any], sock: Socket) -> Any:
    with Socket.open(client, g["game_id"], g["facilitator_token"]) as fac:
        view = fac.request({"type": "god_view"})
    assert view["type"] == "ack", view
    return view["result"]["pending"].get("us")


def test_an_order_with_a_string_turn_is_refused(
    client: TestClient, seat: tuple[Socket, dict[str, Any]]
) -> None:
    sock, g = seat
    reply = sock.request({"type": "order", "turn": "0", "order": {"subsidy": 10}})
    assert reply["type"] == "error", reply
    assert (reply["code"], reply["field"]) == ("invalid_message", "turn")
    assert _pending(client, g, sock) is None


def test_a_null_lever_is_refused_and_keeps_the_pending_order(
    client: TestClient, seat: tuple[Socket, dict[str, Any]]
) -> None:
    sock, g = seat
    ok = sock.request({"type": "order", "turn": 0, "order": {"subsidy": 10}})
    assert ok["type"] == "ack", ok
    reply = sock.request({"type": "order", "turn": 0, "order": {"subsidy": None}})
    assert reply["type"] == "error", reply
    assert (reply["code"], reply["field"]) == ("invalid_action", "order.subsidy")
    assert _pending(client, g, sock) == {"kind": "state", "subsidy": 10}


@pytest.mark.parametrize("mid", [True, False, 1.5, "x" * 65, 2**60])
def test_an_id_that_is_not_a_short_string_or_an_integer_is_refused(
    seat: tuple[Socket, dict[str, Any]], mid: object
) -> None:
    sock, _ = seat
    sock.ws.send_json({"v": 1, "id": mid, "type": "ping"})
    reply = sock.recv()
    while reply["type"] not in ("ack", "error"):
        reply = sock.recv()
    assert reply["type"] == "error", reply
    assert (reply["code"], reply["field"], reply["id"]) == ("invalid_message", "id", None)


def test_a_string_for_a_number_is_refused_in_a_facilitator_command(client: TestClient) -> None:
    g = _game(client)
    with Socket.open(client, g["game_id"], g["facilitator_token"]) as fac:
        reply = fac.request({"type": "set_deadline", "seconds": "30"})
        assert reply["type"] == "error", reply
        assert (reply["code"], reply["field"]) == ("invalid_message", "seconds")
    assert client.get(f"/api/games/{g['game_id']}").json()["deadline_seconds"] is None
