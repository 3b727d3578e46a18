"""Every acknowledged message of every kind survives a SIGKILL right after its ack (a real ``precipice serve``).

One server process, one game per kind. The games are set up first; then every message
is sent at once, ``force_turn`` last, and the server is SIGKILLed the moment the last ack
arrives (no shutdown, no flush). After a restart on the same database each kind's test
checks its own game: the order is queued again and in the export's log, the chat line
and the announcement are kept, the pause, resume and deadline hold, the event is
pending, the seat is a bot's, the claimed seat's token works, the released seat is
open, the world is revealed, and the forced quarter is resolved.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.server.helpers import Client, ServerProc, claim, create_game, start_server

KINDS = (
    "order",
    "chat",
    "pause",
    "resume",
    "set_deadline",
    "inject",
    "set_seat",
    "broadcast",
    "reveal",
    "claim",
    "release",
    "force_turn",
)


@dataclass
class Crash:
    """The restarted server, each kind's game and what each kind's message got back."""

    sp: ServerProc
    games: dict[str, dict[str, Any]]
    acks: dict[str, dict[str, Any]]
    tokens: dict[str, str]

    def http(self) -> httpx.Client:
        return self.sp.http()

    def fac(self, kind: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.games[kind]['facilitator_token']}"}

    def state(self, kind: str) -> dict[str, Any]:
        out: dict[str, Any] = self.http().get(f"/api/games/{self.games[kind]['game_id']}").json()
        return out

    def log(self, kind: str) -> list[dict[str, Any]]:
        r = self.http().get(
            f"/api/games/{self.games[kind]['game_id']}/export", headers=self.fac(kind)
        )
        assert r.status_code == 200, r.text
        out: list[dict[str, Any]] = r.json()["log"]
        return out

    def god_view(self, kind: str) -> dict[str, Any]:
        g = self.games[kind]
        c = Client.open(self.sp.ws_url(g["game_id"]), g["facilitator_token"])
        reply = c.request({"type": "god_view"})
        c.close()
        assert reply["type"] == "ack", reply
        out: dict[str, Any] = reply["result"]
        return out


def _seat(state: dict[str, Any], role: str) -> dict[str, Any]:
    return next(s for s in state["seats"] if s["role"] == role)


@pytest.fixture(scope="module")
def crash(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crash]:
    db = f"sqlite:///{tmp_path_factory.mktemp('acked') / 'p.db'}"
    sp = start_server(db, env={"PRECIPICE_GRACE_SECONDS": "600"})
    games: dict[str, dict[str, Any]] = {}
    tokens: dict[str, str] = {}
    clients: dict[str, Client] = {}
    http = sp.http()
    try:
        for kind in KINDS:
            seats = ["us", "cn"] if kind not in ("claim", "reveal", "force_turn") else ["us"]
            short = {"overrides": {"turns": 1}} if kind == "reveal" else {}
            games[kind] = g = create_game(http, seed=11, open_seats=seats, **short)
            gid = g["game_id"]
            if kind not in ("claim",):
                for role in seats:
                    tokens[f"{kind}:{role}"] = claim(http, gid, role)
            url = sp.ws_url(gid)
            if kind in ("order", "chat"):
                clients[kind] = Client.open(url, tokens[f"{kind}:us"])
            elif kind not in ("claim", "release"):
                clients[kind] = fac = Client.open(url, g["facilitator_token"])
                if kind == "resume":
                    assert fac.request({"type": "pause"})["type"] == "ack"
                if kind == "reveal":  # a one-quarter game, over once forced
                    assert fac.request({"type": "force_turn"})["type"] == "ack"
        messages: dict[str, dict[str, Any]] = {
            "order": {"type": "order", "turn": 0, "order": {"subsidy": 10}},
            "chat": {"type": "chat", "text": "kept after a crash"},
            "pause": {"type": "pause"},
            "resume": {"type": "resume"},
            "set_deadline": {"type": "set_deadline", "seconds": 321},
            "inject": {"type": "inject", "event": "memo_leak"},
            "set_seat": {"type": "set_seat", "role": "cn", "mode": "bot"},
            "broadcast": {"type": "broadcast", "text": "kept too"},
            "reveal": {"type": "reveal"},
            "force_turn": {"type": "force_turn"},
        }
        sent = {k: clients[k].send(m) for k, m in messages.items() if k != "force_turn"}
        claim_r = http.post(f"/api/games/{games['claim']['game_id']}/seats/us/claim", json={})
        release_r = http.post(
            f"/api/games/{games['release']['game_id']}/seats/cn/release",
            headers={"Authorization": f"Bearer {tokens['release:cn']}"},
        )
        sent["force_turn"] = clients["force_turn"].send(messages["force_turn"])
        acks = {k: clients[k].reply_to(mid) for k, mid in sent.items()}
        sp.kill()  # the moment the last ack is read
    except BaseException:
        sp.kill()
        raise
    acks["claim"] = {"status": claim_r.status_code, **claim_r.json()}
    acks["release"] = {"status": release_r.status_code, **release_r.json()}
    sp = start_server(db, env={"PRECIPICE_GRACE_SECONDS": "600"})
    try:
        yield Crash(sp, games, acks, tokens)
    finally:
        sp.stop()


def _acked(crash: Crash, kind: str) -> dict[str, Any]:
    ack = crash.acks[kind]
    assert ack.get("type") == "ack" or ack.get("status") in (200, 201), ack
    return ack


def test_an_acked_order_survives_and_is_in_the_export(crash: Crash) -> None:
    _acked(crash, "order")
    assert _seat(crash.state("order"), "us")["submitted"]
    assert crash.god_view("order")["pending"]["us"] == {"kind": "state", "subsidy": 10}
    orders = [e for e in crash.log("order") if e["kind"] == "order"]
    assert [(e["role"], e["turn"], e["order"]) for e in orders] == [
        ("us", 0, {"kind": "state", "subsidy": 10})
    ]


def test_an_acked_chat_line_survives(crash: Crash) -> None:
    _acked(crash, "chat")
    lines = [e for e in crash.log("chat") if e["kind"] == "chat"]
    assert [(e["from"], e["to"], e["text"]) for e in lines] == [
        ("us", "public", "kept after a crash")
    ]


def test_an_acked_pause_survives(crash: Crash) -> None:
    _acked(crash, "pause")
    assert crash.state("pause")["paused"] is True


def test_an_acked_resume_survives(crash: Crash) -> None:
    _acked(crash, "resume")
    assert crash.state("resume")["paused"] is False


def test_an_acked_deadline_survives(crash: Crash) -> None:
    _acked(crash, "set_deadline")
    assert crash.state("set_deadline")["deadline_seconds"] == 321


def test_an_acked_injection_survives(crash: Crash) -> None:
    _acked(crash, "inject")
    assert crash.god_view("inject")["pending_events"] == ["memo_leak"]


def test_an_acked_seat_handover_survives(crash: Crash) -> None:
    _acked(crash, "set_seat")
    assert _seat(crash.state("set_seat"), "cn")["mode"] == "bot"


def test_an_acked_broadcast_survives(crash: Crash) -> None:
    _acked(crash, "broadcast")
    g = crash.games["broadcast"]
    c = Client.open(crash.sp.ws_url(g["game_id"]))
    welcome = c.wait_for("welcome")
    assert [a["text"] for a in welcome["data"]["announcements"]] == ["kept too"]


def test_an_acked_reveal_survives(crash: Crash) -> None:
    _acked(crash, "reveal")
    state = crash.state("reveal")
    assert state["done"] and state["revealed"]


def test_an_acked_claim_survives(crash: Crash) -> None:
    ack = _acked(crash, "claim")
    g = crash.games["claim"]
    c = Client.open(crash.sp.ws_url(g["game_id"]), hello=False)
    hello = c.request({"type": "hello", "token": ack["seat_token"]})
    assert hello["type"] == "ack" and hello["result"] == {"kind": "seat", "role": "us"}


def test_an_acked_release_survives(crash: Crash) -> None:
    _acked(crash, "release")
    assert _seat(crash.state("release"), "cn")["mode"] == "open"


def test_an_acked_force_turn_is_a_resolved_quarter_after_the_crash(crash: Crash) -> None:
    _acked(crash, "force_turn")
    assert crash.state("force_turn")["turn"] == 1
    kinds = [(e["kind"], e.get("action")) for e in crash.log("force_turn")]
    assert ("facilitator", "force_turn") in kinds
