"""Secrets: random tokens compared in constant time, never logged, each bound to its seat and role.

Tokens are stored only as hashes and never logged, with one known exception marked
``xfail``: at log level debug the websocket library quotes frames, a hello's token
included (its end). Hidden state on the wire (every seat and a spectator, all game long) is covered by
``tests/server/test_secrecy.py``; these add the token properties and the REST side.
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import uvicorn

from server import security
from server.app import create_app
from server.client import play_seat
from server.db.migrate import upgrade
from server.settings import Settings
from tests.server.helpers import (
    Client,
    ServerProc,
    claim,
    close_all,
    create_game,
    default_order,
    free_port,
    start_server,
)


def test_tokens_are_random_256_bit() -> None:
    """32 random bytes each, from the operating system: seeding Python's or NumPy's global
    generator (what a careless ``random``-based token would draw from) repeats nothing."""
    tokens = {security.new_token() for _ in range(2000)}
    assert len(tokens) == 2000
    for t in list(tokens)[:50]:
        assert len(base64.urlsafe_b64decode(t + "=" * (-len(t) % 4))) == 32
    drawn = []
    for _ in range(2):
        random.seed(0)
        np.random.seed(0)
        drawn.append(security.new_token())
    assert drawn[0] != drawn[1]


@contextlib.contextmanager
def served_here(db_url: str) -> Iterator[str]:
    """The app served by uvicorn on a thread of this process (so a spy set here sees it)."""
    upgrade(db_url)
    port = free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(Settings(database_url=db_url)), port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not srv.started:
            assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        yield f"127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(30)


def test_every_token_check_is_a_constant_time_comparison(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every way a token is accepted (REST as facilitator or seat, websocket hello) goes
    through ``hmac.compare_digest`` on the token's hash; a wrong token matches nothing."""
    calls: list[tuple[str, str, bool]] = []
    real = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        ok = real(a, b)
        calls.append((a, b, ok))
        return ok

    monkeypatch.setattr(hmac, "compare_digest", spy)
    with served_here(f"sqlite:///{tmp_path / 'ct.db'}") as host:
        http = httpx.Client(base_url=f"http://{host}", timeout=30)
        g = create_game(http, seed=3, open_seats=["us", "cn"])
        gid, fac = g["game_id"], g["facilitator_token"]
        us, cn = claim(http, gid, "us"), claim(http, gid, "cn")

        def matched(token: str) -> bool:
            digest = security.token_hash(token)
            return any(ok and digest in (a, b) for a, b, ok in calls)

        def bearer(token: str) -> dict[str, str]:
            return {"Authorization": f"Bearer {token}"}

        checks = [
            (fac, lambda: http.get(f"/api/games/{gid}/export", headers=bearer(fac))),
            (us, lambda: http.get(f"/api/games/{gid}/replay/0?view=us", headers=bearer(us))),
            (cn, lambda: http.post(f"/api/games/{gid}/seats/cn/release", headers=bearer(cn))),
        ]
        for token, request in checks:
            calls.clear()
            assert request().status_code == 200
            assert matched(token)
        for token in (us, fac):
            calls.clear()
            Client.open(f"ws://{host}/ws/games/{gid}", token).close()  # hello acked
            assert matched(token)
        calls.clear()
        wrong = http.get(f"/api/games/{gid}/export", headers=bearer(fac[:-1] + "x"))
        assert wrong.status_code == 403
        assert calls and not any(ok for _, _, ok in calls)
        http.close()


@pytest.fixture(scope="module")
def debug_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A server at log level debug, driven through every path a token takes: created,
    claimed, sent in a hello (right and wrong), as a bearer header (right and wrong), by
    the research client for a whole game, released. Returns the tokens, log and database."""
    db = tmp_path_factory.mktemp("secrets") / "log.db"
    sp = start_server(f"sqlite:///{db}", log_level="debug")
    try:
        http = sp.http()
        g = create_game(http, seed=2, open_seats=["us", "cn"])
        gid = g["game_id"]
        fac, us, cn = g["facilitator_token"], claim(http, gid, "us"), claim(http, gid, "cn")
        solo = create_game(http, seed=1, single_player=True, seat="cn")
        tokens = [fac, us, cn, solo["facilitator_token"], solo["seat_token"]]
        fac_ws = Client.open(sp.ws_url(gid), fac)
        assert fac_ws.request({"type": "god_view"})["type"] == "ack"
        auth = {"Authorization": f"Bearer {fac}"}
        assert http.get(f"/api/games/{gid}/export", headers=auth).status_code == 200
        bad_auth = {"Authorization": f"Bearer {us}x"}
        assert http.get(f"/api/games/{gid}/export", headers=bad_auth).status_code == 403
        bad = Client.open(sp.ws_url(gid), hello=False)
        assert bad.request({"type": "hello", "token": cn + "x"})["code"] == "unauthorized"
        cn_ws = Client.open(sp.ws_url(gid), cn)
        cn_ws.request({"type": "order", "turn": 0, "order": {}})
        rel = http.post(
            f"/api/games/{gid}/seats/cn/release", headers={"Authorization": f"Bearer {cn}"}
        )
        assert rel.status_code == 200
        for c in (fac_ws, bad, cn_ws):
            c.close()
        r = play_seat(sp.base, gid, "baseline", "us", lambda o: None, token=us)
        assert r.score is not None
        r = play_seat(sp.base, solo["game_id"], "baseline", "cn", lambda o: None, token=tokens[-1])
        assert r.score is not None
    finally:
        close_all()
        sp.stop()
    stored = b"".join(
        p.read_bytes() for p in sorted(db.parent.glob(db.name + "*")) if p != sp.log_path
    )
    return {"gid": gid, "tokens": tokens, "log": sp.log(), "db": stored}


def _pieces(token: str, size: int = 12) -> list[str]:
    """Every ``size``-character run of a token (72 random bits: never there by chance)."""
    return [token[i : i + size] for i in range(len(token) - size + 1)]


def _frame_dump(line: str) -> bool:
    """A debug line where the websocket library quotes a frame it sent or received."""
    return line.startswith("DEBUG:") and line[6:].lstrip().startswith(("< TEXT", "> TEXT"))


def test_tokens_never_reach_the_server_log(debug_run: dict[str, Any]) -> None:
    """No part of any token is in the log, which does hold what debug logging must show
    (every request, every websocket, the text of the frames), so a token logged anywhere
    would be seen. The websocket library's own frame dumps are checked separately below."""
    text, gid = debug_run["log"], debug_run["gid"]
    assert f'"POST /api/games/{gid}/seats/cn/release HTTP/1.1" 200' in text
    assert f'"GET /api/games/{gid}/export HTTP/1.1" 403' in text
    assert f'"WebSocket /ws/games/{gid}" [accepted]' in text
    frames = [line for line in text.splitlines() if _frame_dump(line)]
    assert any('"type": "hello"' in line for line in frames)
    rest = "\n".join(line for line in text.splitlines() if not _frame_dump(line))
    for tok in debug_run["tokens"]:
        leaked = [piece for piece in _pieces(tok) if piece in rest]
        assert not leaked, leaked[:3]


def test_tokens_never_reach_the_websocket_frame_dumps(debug_run: dict[str, Any]) -> None:
    frames = "\n".join(line for line in debug_run["log"].splitlines() if _frame_dump(line))
    assert frames
    for tok in debug_run["tokens"]:
        assert not [piece for piece in _pieces(tok) if piece in frames]


def test_tokens_are_stored_only_as_their_hashes(debug_run: dict[str, Any]) -> None:
    """The database files hold each facilitator's and player's token hash, never the token."""
    stored: bytes = debug_run["db"]
    fac, us, _cn, solo_fac, solo_seat = debug_run["tokens"]
    for tok in (fac, us, solo_fac, solo_seat):
        assert security.token_hash(tok).encode() in stored
    for tok in debug_run["tokens"]:
        assert not [piece for piece in _pieces(tok) if piece.encode() in stored]


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
