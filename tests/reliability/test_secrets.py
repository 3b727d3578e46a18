"""Secrets: random tokens compared in constant time, never logged, each bound to its seat and role;
the seed, the game's secret, whole-world hashes and private chat kept from everyone but the
facilitator (a player cannot rebuild the live game from the seed; nobody learns an AI's values).

Tokens are stored only as hashes and never logged, with one known exception marked
``xfail``: at log level debug the websocket library quotes frames, a hello's token
included (its end). Hidden state on the wire (every seat and a spectator, all game long) is covered by
``tests/server/test_secrecy.py``; these add the token properties and the REST side.
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import json
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

from agents.model import RaceModel
from agents.saved import ReplayError, load_saved, new_model, replay, submit_inputs
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


# ----- the seed, the secret, hashes and private chat (issue 15) ----------------------------


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _card(http: httpx.Client, gid: str) -> dict[str, Any] | None:
    """The game's card in the anonymous lobby listing (None: not listed)."""
    body = http.get("/api/games").json()
    cards = body["games"] if isinstance(body, dict) else body
    return next((c for c in cards if c["game_id"] == gid), None)


def _keys(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (path, key) of a decoded JSON document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield path, k
            yield from _keys(v, f"{path}.{k}")
    elif isinstance(node, list):
        for item in node:
            yield from _keys(item, path + "[]")


WORLD_SECRETS = {"seed", "secret", "hash", "initial_hash", "final_hash"}


def test_a_seat_cannot_rebuild_the_live_game_from_the_seed(server: ServerProc) -> None:
    """A player who knows the seed (the facilitator may have chosen it aloud) and their own
    orders, in a game where bots play every other seat, rebuilds a world whose hashes and
    hidden values are not the live game's: the server's secret is missing. With the secret
    (the facilitator's export) the same rebuild matches, so the secret is all that was."""
    http = server.http()
    g = create_game(http, scenario="baseline", seed=11, open_seats=["us"])
    gid, fac = g["game_id"], g["facilitator_token"]
    assert g["game"]["seed"] == 11  # the facilitator's own card names it
    us_tok = claim(http, gid, "us")
    us = Client.open(server.ws_url(gid), us_tok)
    orders = []
    for turn in range(3):
        obs = us.wait_for("observation", lambda m, t=turn: m["data"]["turn"] == t)
        ack = us.request({"type": "order", "turn": turn, "order": default_order(obs)})
        assert ack["type"] == "ack", ack
        orders.append(ack["result"]["order"])
    us.wait_for("observation", lambda m: m["data"]["turn"] == 3)
    us.drain(0.2)
    # Nothing the player (or anyone without the facilitator token) receives names the seed,
    # the secret or a hash of the whole world.
    got = [
        *us.seen,
        _card(http, gid) or {},
        http.get(f"/api/games/{gid}").json(),
        http.get(f"/api/games/{gid}/replay").json(),
        http.get(f"/api/games/{gid}/replay", headers=_bearer(us_tok)).json(),
        http.get(f"/api/games/{gid}/replay/3?view=public").json(),
        http.get(f"/api/games/{gid}/replay/3?view=us", headers=_bearer(us_tok)).json(),
    ]
    assert got[-1]["state"]["role_id"] == "us"
    found = [(p, k) for doc in got for p, k in _keys(doc) if k in WORLD_SECRETS]
    assert not found, found[:5]
    # The facilitator does get them.
    truth = http.get(f"/api/games/{gid}/replay/3?view=god", headers=_bearer(fac)).json()
    index = http.get(f"/api/games/{gid}/replay", headers=_bearer(fac)).json()
    assert index["turns"][2]["hash"] == truth["hash"] and "initial_hash" in index

    def rebuild(secret: str | None) -> RaceModel:
        model = new_model("baseline", 11, collect=False, secret=secret)
        for turn, order in enumerate(orders):
            submit_inputs(model, turn, {"us": order})
            model.step()
        return model

    guess = rebuild(None)
    assert guess.history[-1].hash != truth["hash"]
    assert [r.hash for r in guess.history] != [t["hash"] for t in index["turns"]]
    # The hidden draws differ (one of the four may match by chance at four decimals).
    hidden = [(lab, f) for lab in ("us-lab", "cn-lab") for f in ("misalignment", "deception")]
    guessed = guess.god_view()["labs"]
    assert any(guessed[lab][f] != truth["state"]["labs"][lab][f] for lab, f in hidden)
    secret = http.get(f"/api/games/{gid}/export", headers=_bearer(fac)).json()["secret"]
    told = rebuild(secret)
    assert told.history[-1].hash == truth["hash"]
    assert json.loads(json.dumps(told.god_view())) == truth["state"]


def test_no_one_learns_an_ai_s_values_before_the_reveal(server: ServerProc) -> None:
    """Issue 12's done-when: every seat held by a person (the two AIs included) and a
    spectator play two quarters; no socket but the AI's own and the facilitator's, and no
    anonymous or other seat's request, carries an AI's sealed ``values`` (or ``fallback``)."""
    http = server.http()
    g = create_game(http, scenario="ai-2027-race", seed=17)
    gid, fac = g["game_id"], g["facilitator_token"]
    roles = [s["role"] for s in g["game"]["seats"]]
    ais = [r for r in roles if "-ai" in r]
    assert {"us-ai", "cn-ai"} <= set(ais)
    tokens = {r: claim(http, gid, r) for r in roles}
    seats = {r: Client.open(server.ws_url(gid), tokens[r]) for r in roles}
    spec = Client.open(server.ws_url(gid))
    for turn in range(2):
        for c in seats.values():
            obs = c.wait_for("observation", lambda m, t=turn: m["data"]["turn"] == t)
            assert (
                c.request({"type": "order", "turn": turn, "order": default_order(obs)})["type"]
                == "ack"
            )
    for c in [*seats.values(), spec]:
        c.drain(0.3)
    sealed = {"values", "fallback"}
    god = http.get(f"/api/games/{gid}/replay/2?view=god", headers=_bearer(fac)).json()
    truth = {a: god["state"]["ais"][a]["values"] for a in ais}
    for role, c in seats.items():
        at = [p for m in c.seen for p, k in _keys(m, m["type"]) if k in sealed]
        if role in ais:  # its own record, and nowhere else
            assert at and set(at) == {"observation.data.observation.self"}, (role, set(at))
            own = c.latest("observation")["data"]["observation"]["self"]
            assert own["values"] == truth[role]
        else:
            assert not at, (role, at[:3])
    assert not [p for m in spec.seen for p, k in _keys(m) if k in sealed]
    # Anonymous requests: what is public answers without them; the rest is refused.
    public = [
        "/api/games",
        f"/api/games/{gid}",
        f"/api/games/{gid}/spectate",
        f"/api/games/{gid}/replay",
        *(f"/api/games/{gid}/replay/{t}?view=public" for t in range(3)),
    ]
    for url in public:
        r = http.get(url)
        assert r.status_code == 200, url
        assert not [k for _, k in _keys(r.json()) if k in sealed], url
    refused = [
        *(f"/api/games/{gid}/replay/2?view={v}" for v in ("god", *ais)),
        f"/api/games/{gid}/export",
        f"/api/games/{gid}/forecast?rollouts=10",
        f"/api/games/{gid}/forecast/series?rollouts=10",
        f"/api/games/{gid}/report?rollouts=10",
    ]
    for url in refused:
        assert http.get(url).status_code == 401, url
    # Another seat's token (the rival AI's) is refused too; only its own view answers.
    for url in refused:
        r = http.get(url, headers=_bearer(tokens["cn-ai"]))
        assert r.status_code == (200 if url.endswith("view=cn-ai") else 403), url


def test_private_chat_stays_private_in_exports_until_published(server: ServerProc) -> None:
    """A private line between two states is in no export (the facilitator's while live, the
    public one once over) until the facilitator publishes the chat at the debrief; the
    finished game's export names its seed and secret, and replays with them only."""
    http = server.http()
    g = create_game(http, scenario="baseline", seed=19, open_seats=["us", "cn"])
    gid, fac_tok = g["game_id"], g["facilitator_token"]
    us = Client.open(server.ws_url(gid), claim(http, gid, "us"))
    cn = Client.open(server.ws_url(gid), claim(http, gid, "cn"))
    secret_line, public_line = "psst: we sandbag the treaty", "hello, world"
    assert us.request({"type": "chat", "to": "cn", "text": secret_line})["type"] == "ack"
    assert cn.request({"type": "chat", "to": "public", "text": public_line})["type"] == "ack"
    live = http.get(f"/api/games/{gid}/export", headers=_bearer(fac_tok)).json()
    assert live["secret"] and public_line in json.dumps(live["log"])
    assert secret_line not in json.dumps(live)
    publish = f"/api/games/{gid}/chat/publish"
    r = http.post(publish, headers=_bearer(fac_tok))
    assert r.status_code == 409 and r.json()["error"] == "game_not_over"
    fac = Client.open(server.ws_url(gid), fac_tok)
    for _ in range(40):
        if http.get(f"/api/games/{gid}").json()["done"]:
            break
        assert fac.request({"type": "force_turn"})["type"] == "ack"
    assert http.get(f"/api/games/{gid}").json()["done"]
    over = http.get(f"/api/games/{gid}/export")
    assert over.status_code == 200
    doc = over.json()
    assert public_line in json.dumps(doc["log"]) and secret_line not in json.dumps(doc)
    # Once over, the seed, the secret and the hashes are everyone's: the file replays...
    assert doc["seed"] == 19 and doc["secret"] == live["secret"]
    assert "initial_hash" in http.get(f"/api/games/{gid}/replay").json()
    assert replay(load_saved(doc)).history[-1].hash == doc["final_hash"]
    # ... with its secret only (the seed alone is another world).
    with pytest.raises(ReplayError):
        replay(load_saved({**doc, "secret": None}))
    # Only the facilitator publishes; the act is logged, and exports include the line.
    assert http.post(publish).status_code == 401
    assert http.post(publish, headers=_bearer(fac_tok + "x")).status_code == 403
    r = http.post(publish, headers=_bearer(fac_tok))
    assert r.status_code == 200 and r.json()["published"] and r.json()["private_lines"] == 1
    assert http.post(publish, headers=_bearer(fac_tok)).status_code == 200  # idempotent
    doc = http.get(f"/api/games/{gid}/export").json()
    assert secret_line in json.dumps(doc["log"])
    acts = [e.get("action") for e in doc["log"] if e["kind"] == "facilitator"]
    assert acts.count("publish_chat") == 1


def test_a_fork_of_a_finished_game_draws_from_a_fresh_secret(server: ServerProc) -> None:
    """Once a game is over its seed and secret are public, so a live fork of it draws the
    rest of its game from a fresh secret: the public file rebuilds the fork's past but not
    its next quarter; the fork's own export (its facilitator's) replays it."""
    http = server.http()
    g = create_game(http, scenario="baseline", seed=23, open_seats=[])
    gid = g["game_id"]
    fac = Client.open(server.ws_url(gid), g["facilitator_token"])
    for _ in range(40):
        if http.get(f"/api/games/{gid}").json()["done"]:
            break
        assert fac.request({"type": "force_turn"})["type"] == "ack"
    parent = http.get(f"/api/games/{gid}/export").json()  # anyone's, now
    r = http.post(f"/api/games/{gid}/fork", json={"turn": 3})
    assert r.status_code == 201, r.text
    fork = r.json()
    fork_fac = Client.open(server.ws_url(fork["game_id"]), fork["facilitator_token"])
    assert fork_fac.request({"type": "force_turn"})["type"] == "ack"
    done = fork_fac.wait_for("turn_resolved", lambda m: m["data"]["turn"] == 3)
    own = http.get(
        f"/api/games/{fork['game_id']}/export", headers=_bearer(fork["facilitator_token"])
    ).json()
    assert [r["turn"] for r in own["reseeds"]] == [3]
    assert own["reseeds"][0]["secret"] not in (parent["secret"], None)
    # the public parent file rebuilds the fork's first three quarters, not its fourth
    guess = replay(load_saved(parent), upto=3, collect=False)
    assert [h.hash for h in guess.history] == [t["hash"] for t in own["turns"][:3]]
    guess.step()
    assert guess.history[-1].hash != done["data"]["hash"] == own["turns"][3]["hash"]
    # the fork's own file replays, and without its fork secret it does not
    assert replay(load_saved(own)).history[-1].hash == own["final_hash"]
    with pytest.raises(ReplayError):
        replay(load_saved({**own, "reseeds": []}))
