"""A stored game made under other rules: the server starts, lists it, and refuses it everywhere.

The game's row is edited in a real database (a SQLite file, and PostgreSQL), then the app
is started again on it: every game route answers 409 ``rules_version_mismatch`` naming
both versions, the socket refuses with that error and close code 4409, and the other
games play on.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from agents.saved import new_model, to_saved
from rules import RULES_VERSION
from tests.server.helpers import default_order
from tests.server.inproc import Socket, app_client
from tests.server.pg import fresh_pg_database

OLD = "0.0-old"
BODIES = {"/api/games/{game_id}/fork": {"turn": 0}, "/api/games/{game_id}/seats/{role}/claim": {}}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'p.db'}"
        return
    with fresh_pg_database() as url:
        yield url


def _set_rules_version(db_url: str, game_ids: list[str], version: str) -> None:
    engine = create_engine(db_url)
    with engine.begin() as conn:
        for gid in game_ids:
            n = conn.execute(
                text("UPDATE games SET rules_version = :v WHERE id = :id"),
                {"v": version, "id": gid},
            ).rowcount
            assert n == 1
    engine.dispose()


def _make_public(db_url: str, game_id: str) -> None:
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE games SET visibility = 'public' WHERE id = :id"), {"id": game_id})
    engine.dispose()


def _finished_saved_game() -> dict[str, Any]:
    model = new_model("baseline", 5, collect=False)
    while not model.done:
        model.step()
    return to_saved(model).model_dump(mode="json")


def _game_routes(client: TestClient) -> list[tuple[str, str]]:
    """Every (method, path) of the REST API that names one game (from the OpenAPI document)."""
    paths = client.get("/openapi.json").json()["paths"]
    return [
        (method.upper(), path)
        for path, ops in sorted(paths.items())
        if "{game_id}" in path
        for method in sorted(ops)
    ]


def _refused(r: Any, gid: str) -> None:
    assert r.status_code == 409, (r.request.url, r.status_code, r.text)
    body = r.json()
    assert body["error"] == "rules_version_mismatch", body
    assert OLD in body["message"] and RULES_VERSION in body["message"] and gid in body["message"]
    assert (body["rules_version"], body["current_rules_version"]) == (OLD, RULES_VERSION)


def test_a_game_under_other_rules_is_listed_and_refused_and_others_play_on(db_url: str) -> None:
    with app_client(db_url) as client:
        made = [
            client.post("/api/games", json={"seed": s, "visibility": "public"}).json()
            for s in (1, 2)
        ]
        stale_live, ok = made
        for g in made:
            auth = {"Authorization": f"Bearer {g['facilitator_token']}"}
            assert client.post(f"/api/games/{g['game_id']}/start", headers=auth).status_code == 200
        over = client.post("/api/games/import", json=_finished_saved_game())
        assert over.status_code == 201, over.text
        stale_over = over.json()
        assert stale_over["game"]["status"] == "over"
    _set_rules_version(db_url, [stale_live["game_id"], stale_over["game_id"]], OLD)
    _make_public(db_url, stale_over["game_id"])  # an import is private: list it all the same

    with app_client(db_url) as client:  # the server starts with both stale games stored
        games = {g["game_id"]: g for g in client.get("/api/games").json()["games"]}
        assert set(games) == {g["game_id"] for g in (stale_live, ok, stale_over)}
        for g, stored in ((stale_live, "live"), (stale_over, "over")):
            card = games[g["game_id"]]
            assert card["status"] == "needs_upgrade" and card["stored_status"] == stored
            assert (card["rules_version"], card["current_rules_version"]) == (OLD, RULES_VERSION)
            assert OLD in card["message"] and RULES_VERSION in card["message"]
        assert games[ok["game_id"]]["status"] == "live"
        assert games[ok["game_id"]]["rules_version"] == RULES_VERSION

        routes = _game_routes(client)
        assert {
            ("GET", "/api/games/{game_id}"),
            ("POST", "/api/games/{game_id}/seats/{role}/claim"),
            ("POST", "/api/games/{game_id}/seats/{role}/release"),
            ("GET", "/api/games/{game_id}/export"),
            ("GET", "/api/games/{game_id}/replay/{turn}"),
            ("POST", "/api/games/{game_id}/fork"),
            ("GET", "/api/games/{game_id}/forecast"),
            ("GET", "/api/games/{game_id}/report"),
        } <= set(routes)
        for g in (stale_live, stale_over):
            gid = g["game_id"]
            auth = {"Authorization": f"Bearer {g['facilitator_token']}"}
            for method, path in routes:
                url = path.format(game_id=gid, role="us", turn=0)
                r = client.request(method, url, headers=auth, json=BODIES.get(path))
                _refused(r, gid)
            # the socket: a typed error, then close code 4409 (before any hello)
            with Socket.open(client, gid, hello=False) as sock:
                err = sock.recv()
                assert err["type"] == "error" and err["code"] == "rules_version_mismatch"
                assert OLD in err["message"] and RULES_VERSION in err["message"]
                with pytest.raises(WebSocketDisconnect) as closed:
                    sock.recv()
                assert closed.value.code == 4409

        # the other game plays on: claim, connect, order, force the turn, export
        gid = ok["game_id"]
        r = client.post(f"/api/games/{gid}/seats/us/claim", json={"player": "p"})
        assert r.status_code == 201, r.text
        with (
            Socket.open(client, gid, r.json()["seat_token"]) as us,
            Socket.open(client, gid, ok["facilitator_token"]) as fac,
        ):
            obs = us.wait_for("observation")
            assert (
                us.request({"type": "order", "turn": 0, "order": default_order(obs)})["type"]
                == "ack"
            )
            assert us.wait_for("turn_resolved")["data"]["turn"] == 0  # us was all it waited for
            assert fac.request({"type": "force_turn"})["type"] == "ack"
            assert us.wait_for("turn_resolved")["data"]["turn"] == 1
        auth = {"Authorization": f"Bearer {ok['facilitator_token']}"}
        assert len(client.get(f"/api/games/{gid}/export", headers=auth).json()["turns"]) == 2
        assert client.get(f"/api/games/{gid}").json()["turn"] == 2
