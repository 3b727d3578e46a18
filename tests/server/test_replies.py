"""The reply contract under failing commits: one reply per message, the log before memory, resolution retried.

In-process (the real app, a real SQLite file): ``tests.server.faults.Faults`` wraps the
store's commit and rolls back the transaction of chosen log entries. Each test checks:
the client gets exactly one reply (an ack, or one typed error when nothing changed);
memory follows the log; a resolution that fails after an ack is reported to the
facilitator (``server_alert``) and retried until it commits, never silently stuck.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from server.db.models import LogRow
from server.hub import Hub
from server.server_messages import SERVER_ADAPTER
from server.session import GameSession
from tests.server.faults import Faults, InjectedFailure
from tests.server.inproc import Socket, app_client
from tests.server.test_push_schema import check_against_schema


def _sqlite(factory: pytest.TempPathFactory, name: str) -> str:
    return f"sqlite:///{factory.mktemp(name) / 'p.db'}"


def _server(db: str, grace_seconds: float) -> Iterator[TestClient]:
    with app_client(
        db, max_games_per_creator=1000, grace_seconds=grace_seconds, min_deadline_seconds=0.1
    ) as c:
        yield c


def _faults(client: TestClient) -> Iterator[Faults]:
    f = Faults(_hub(client).store).install()
    yield f
    f.uninstall()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _sqlite(tmp_path_factory, "replies")


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    # A long grace: a claimed seat nobody connects to must not go away (and be logged)
    # while a test counts log entries, however slow the machine.
    yield from _server(db, 60)


@pytest.fixture(scope="module")
def grace_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _sqlite(tmp_path_factory, "replies-grace")


@pytest.fixture(scope="module")
def grace_client(grace_db: str) -> Iterator[TestClient]:
    """A server whose seats' grace runs out in 0.3 s, for the tests of seats going away."""
    yield from _server(grace_db, 0.3)


@pytest.fixture
def faults(client: TestClient) -> Iterator[Faults]:
    yield from _faults(client)


@pytest.fixture
def grace_faults(grace_client: TestClient) -> Iterator[Faults]:
    yield from _faults(grace_client)


def _hub(client: TestClient) -> Hub:
    hub: Hub = client.app.state.hub  # type: ignore[attr-defined]
    return hub


def _game(client: TestClient, gid: str) -> GameSession:
    return _hub(client).games[gid]


def _new(
    client: TestClient, seats: tuple[str, ...] = ("us", "cn")
) -> tuple[str, str, dict[str, str]]:
    g = _create(client, list(seats))
    tokens = {}
    for role in seats:
        c = client.post(f"/api/games/{g['game_id']}/seats/{role}/claim", json={"player": role})
        assert c.status_code == 201, c.text
        tokens[role] = c.json()["seat_token"]
    return g["game_id"], g["facilitator_token"], tokens


def _create(client: TestClient, seats: list[str]) -> dict[str, Any]:
    """A public game, started."""
    r = client.post("/api/games", json={"seed": 5, "open_seats": seats, "visibility": "public"})
    assert r.status_code == 201, r.text
    g: dict[str, Any] = r.json()
    auth = {"Authorization": f"Bearer {g['facilitator_token']}"}
    assert client.post(f"/api/games/{g['game_id']}/start", headers=auth).status_code == 200
    return g


def _log(db: str, gid: str) -> list[tuple[int, str, dict[str, Any]]]:
    engine = create_engine(db)
    try:
        with Session(engine) as s:
            rows = s.scalars(select(LogRow).where(LogRow.game_id == gid).order_by(LogRow.seq))
            return [(r.seq, r.kind, r.data) for r in rows]
    finally:
        engine.dispose()


def _replies(sock: Socket, mid: str) -> list[dict[str, Any]]:
    """Every reply to ``mid``: read until a ping sent after it is answered (the reader is serial)."""
    ping = sock.send({"type": "ping"})
    out = []
    while True:
        m = sock.recv()
        SERVER_ADAPTER.validate_python(m)
        if m["type"] in ("ack", "error") and m.get("id") == mid:
            out.append(m)
        if m["type"] == "ack" and m.get("id") == ping:
            return out


def _wait(pred: Any, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def test_a_failed_order_commit_is_one_error_and_changes_nothing(
    client: TestClient, db: str, faults: Faults
) -> None:
    gid, _fac, tok = _new(client)
    game = _game(client, gid)
    seq = game.seq
    with Socket.open(client, gid, tok["us"]) as us:
        faults.game, faults.kinds = gid, {"order"}
        mid = us.send({"type": "order", "turn": 0, "order": {"subsidy": 10}})
        (reply,) = _replies(us, mid)
        assert (reply["type"], reply["code"]) == ("error", "internal")
        assert "us" not in game.model.pending and "us" not in game.submitted
        assert game.seq == seq == _log(db, gid)[-1][0]
        faults.kinds = set()
        ok = us.request({"type": "order", "turn": 0, "order": {"subsidy": 10}})
        assert ok["type"] == "ack"
        assert _log(db, gid)[-1][1] == "order" and game.seq == seq + 1


def test_an_acked_order_whose_resolution_fails_gets_one_reply_and_the_turn_is_retried(
    client: TestClient, db: str, faults: Faults
) -> None:
    gid, fac_token, tok = _new(client, ("us",))
    game = _game(client, gid)
    with Socket.open(client, gid, fac_token) as fac, Socket.open(client, gid, tok["us"]) as us:
        faults.game, faults.kinds = gid, {"turn_resolved"}
        mid = us.send({"type": "order", "turn": 0, "order": {"subsidy": 10}})
        (reply,) = _replies(us, mid)
        assert reply["type"] == "ack" and reply["of"] == "order"
        alert = fac.wait_for("server_alert")
        assert alert["data"]["kind"] == "resolution_failed" and alert["data"]["turn"] == 0
        assert check_against_schema(fac.raw[fac.seen.index(alert)])["type"] == "server_alert"
        assert game.model.turn == 0 and game.model.pending["us"].subsidy == 10
        assert [k for _, k, _ in _log(db, gid)].count("order") == 1
        faults.kinds = set()
        done = fac.wait_for("server_alert", lambda m: m["data"]["kind"] == "resolution_recovered")
        assert done["data"]["turn"] == 0
        check_against_schema(fac.raw[fac.seen.index(done)])
        assert us.wait_for("turn_resolved")["data"]["turn"] == 0
        assert game.model.turn == 1 and not game.tasks


def test_a_failed_force_turn_is_one_error_and_logs_nothing(
    client: TestClient, db: str, faults: Faults
) -> None:
    gid, fac_token, _tok = _new(client)
    game = _game(client, gid)
    before = _log(db, gid)
    with Socket.open(client, gid, fac_token) as fac:
        faults.game, faults.kinds = gid, {"turn_resolved"}
        mid = fac.send({"type": "force_turn"})
        (reply,) = _replies(fac, mid)
        assert (reply["type"], reply["code"]) == ("error", "internal")
        assert _log(db, gid) == before and game.model.turn == 0 and game.seq == before[-1][0]
        assert game.model.pending == {}  # the present people's kept orders were put back too
        faults.kinds = set()
        assert fac.request({"type": "force_turn"})["type"] == "ack"
        kinds = [(k, d.get("action")) for _, k, d in _log(db, gid)[len(before) :]]
        # us and cn are present: their choices are kept, in the one transaction
        assert kinds == [
            ("order", None),
            ("order", None),
            ("facilitator", "force_turn"),
            ("turn_resolved", None),
        ]
        assert game.model.turn == 1


def test_a_failed_chat_commit_is_one_error_and_the_line_is_not_kept(
    client: TestClient, faults: Faults
) -> None:
    gid, _fac, tok = _new(client)
    game = _game(client, gid)
    with Socket.open(client, gid, tok["us"]) as us:
        faults.game, faults.kinds = gid, {"chat"}
        mid = us.send({"type": "chat", "text": "hello"})
        (reply,) = _replies(us, mid)
        assert (reply["type"], reply["code"]) == ("error", "internal")
        assert list(game.chat) == []


@pytest.mark.parametrize("action", ["pause", "set_deadline", "broadcast"])
def test_a_failed_facilitator_command_is_one_error_and_changes_nothing(
    client: TestClient, faults: Faults, action: str
) -> None:
    gid, fac_token, _tok = _new(client)
    game = _game(client, gid)
    body = {"pause": {}, "set_deadline": {"seconds": 600}, "broadcast": {"text": "hi"}}[action]
    with Socket.open(client, gid, fac_token) as fac:
        faults.game, faults.kinds = gid, {f"facilitator:{action}"}
        mid = fac.send({"type": action, **body})
        (reply,) = _replies(fac, mid)
        assert (reply["type"], reply["code"]) == ("error", "internal")
    assert not game.paused and game.clock.seconds is None and game.announcements == []


def test_handing_a_seat_to_a_bot_whose_resolution_fails_is_acked_once_and_retried(
    client: TestClient, faults: Faults
) -> None:
    gid, fac_token, tok = _new(client)
    game = _game(client, gid)
    with Socket.open(client, gid, fac_token) as fac, Socket.open(client, gid, tok["us"]) as us:
        assert us.request({"type": "order", "turn": 0, "order": {}})["type"] == "ack"
        faults.game, faults.kinds = gid, {"turn_resolved"}
        mid = fac.send({"type": "set_seat", "role": "cn", "mode": "bot"})
        (reply,) = _replies(fac, mid)
        assert reply["type"] == "ack" and game.seats["cn"].mode == "bot"
        assert fac.wait_for("server_alert")["data"]["kind"] == "resolution_failed"
        faults.kinds = set()
        fac.wait_for("server_alert", lambda m: m["data"]["kind"] == "resolution_recovered")
        assert game.model.turn == 1


def test_a_failed_deadline_resolution_is_reported_and_retried(
    client: TestClient, faults: Faults
) -> None:
    gid, fac_token, _tok = _new(client)
    game = _game(client, gid)
    with Socket.open(client, gid, fac_token) as fac:
        faults.game, faults.kinds = gid, {"turn_resolved"}
        assert fac.request({"type": "set_deadline", "seconds": 0.2})["type"] == "ack"
        alert = fac.wait_for("server_alert")
        assert alert["data"]["kind"] == "resolution_failed" and game.model.turn == 0
        faults.kinds = set()
        fac.wait_for("server_alert", lambda m: m["data"]["kind"] == "resolution_recovered")
        assert game.model.turn >= 1
        assert fac.request({"type": "set_deadline", "seconds": None})["type"] == "ack"


def test_a_seat_coming_back_is_logged_before_it_is_attached(
    grace_client: TestClient, grace_db: str, grace_faults: Faults
) -> None:
    client, db, faults = grace_client, grace_db, grace_faults
    gid, _fac, tok = _new(client)
    game = _game(client, gid)
    _wait(lambda: game.seats["us"].away)  # grace 0.3 s, nobody connected
    with client.websocket_connect(f"/ws/games/{gid}") as ws:
        sock = Socket(ws)
        faults.game, faults.kinds = gid, {"seat"}
        mid = sock.send({"type": "hello", "token": tok["us"]})
        reply = sock.recv()
        assert (reply["type"], reply["code"], reply["id"]) == ("error", "internal", mid)
        assert game.seats["us"].away and game.seats["us"].conn is None
        refused = sock.request({"type": "ping"})
        assert (refused["type"], refused["code"]) == ("error", "unauthorized")
        faults.kinds = set()
        assert sock.request({"type": "hello", "token": tok["us"]})["type"] == "ack"
        assert not game.seats["us"].away
    assert ("seat", {"role": "us", "change": "back"}) in [(k, d) for _, k, d in _log(db, gid)]


def test_a_grace_expiry_is_logged_before_the_seat_goes_away(
    grace_client: TestClient, grace_faults: Faults
) -> None:
    client, faults = grace_client, grace_faults
    gid = _create(client, ["us"])["game_id"]
    game = _game(client, gid)
    faults.game, faults.kinds = gid, {"seat"}
    with pytest.raises(InjectedFailure):  # the claim itself is logged first: a 500, nothing kept
        client.post(f"/api/games/{gid}/seats/us/claim", json={"player": "p"})
    assert game.seats["us"].mode == "open"
    faults.kinds = set()
    r = client.post(f"/api/games/{gid}/seats/us/claim", json={"player": "p"})
    assert r.status_code == 201
    faults.failed.clear()
    faults.game, faults.kinds = gid, {"seat"}
    _wait(lambda: "seat" in faults.failed)  # the expiry's append failed...
    assert not game.seats["us"].away  # ...so the seat did not go away
    assert game.seats["us"].grace is not None  # and its grace runs again
    faults.kinds = set()
    _wait(lambda: game.seats["us"].away)


def test_a_cancelled_append_leaves_seq_following_the_commit(
    client: TestClient, db: str, faults: Faults
) -> None:
    gid, _fac, _tok = _new(client, ())
    game = _game(client, gid)
    faults.game, faults.cancel = gid, {"chat"}
    line = {"from": "facilitator", "to": "public", "text": "x", "turn": 0, "at": "now"}

    async def cancelled_append() -> str:
        try:
            await game.append(("chat", line))
        except asyncio.CancelledError:
            return "cancelled"
        return "committed"

    assert client.portal.call(cancelled_append) == "cancelled"  # type: ignore[union-attr]
    assert _log(db, gid)[-1][1] == "chat"  # the unit committed, though its caller was cancelled
    faults.cancel = set()
    assert client.portal.call(cancelled_append) == "committed"  # type: ignore[union-attr]
    log = _log(db, gid)
    assert [k for _, k, _ in log[-2:]] == ["chat", "chat"] and game.seq == log[-1][0]


def test_a_resolution_whose_caller_is_cancelled_mid_commit_still_reaches_everyone(
    client: TestClient, db: str
) -> None:
    """The commit of a quarter is shielded: if the task that asked for it is cancelled
    meanwhile (a deadline timer re-armed, a socket handler gone), the quarter still commits,
    and memory and the clients follow it (series, submitted, the new quarter's push)."""
    from server.session import resolve

    gid, _fac, tokens = _new(client)
    game = _game(client, gid)
    store = _hub(client).store
    real = store.commit

    async def slow(fn: Any) -> Any:
        await asyncio.sleep(0.2)  # the commit is under way when the caller is cancelled
        return await real(fn)

    with Socket.open(client, gid, tokens["us"]) as us:
        us.wait_for("observation")
        points = len(game.series)

        async def cancel_mid_commit() -> bool:
            async with game.lock:
                store.commit = slow  # type: ignore[method-assign]
                try:
                    task = asyncio.create_task(resolve.resolve(game, "forced"))
                    await asyncio.sleep(0.05)
                    task.cancel()
                    try:
                        await task
                    except asyncio.CancelledError:
                        return True
                    return False
                finally:
                    store.commit = real  # type: ignore[method-assign]

        assert client.portal.call(cancel_mid_commit)  # type: ignore[union-attr]
        assert game.model.turn == 1
        assert [k for _, k, _ in _log(db, gid)].count("turn_resolved") == 1
        assert len(game.series) == points + 1 and not game.submitted
        assert us.wait_for("turn_resolved")["data"]["turn"] == 0
        assert us.wait_for("observation", lambda m: m["data"]["turn"] == 1)
