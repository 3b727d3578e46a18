"""Bad input: thousands of malformed, oversized, out-of-order, wrong-token and hostile messages.

Starts ``precipice serve`` with two live games (one human seat each, mid-game with a
pending order and a chat line), snapshots both (export, god view hash, pending orders
and events, public state), then sends ``--messages`` hostile messages from a seeded
generator, spread over:

* websocket, as the seat, a spectator, the facilitator (bad commands only), and an
  unauthenticated socket: not JSON, not an object, wrong ``v``, unknown ``type``,
  unknown fields, bad ids, bad and out-of-range order levers, NaN/Infinity, the wrong
  role kind, stale and future turns, orders and chat from a spectator, facilitator
  commands from a seat, private chat to nobody, deep nesting, oversized and binary
  frames, a second hello, wrong and other-game tokens;
* HTTP: malformed and invalid lobby requests, claims of taken and bot seats, releases,
  exports, replays and forks with no, wrong or other-game tokens, unknown games and
  routes, wrong methods, garbage imports and oversized bodies.

Every websocket message must get exactly one typed ``error`` (a code from the protocol),
every HTTP request a 4xx with a JSON ``error`` code; the server must stay up and both
games' snapshots must be unchanged.

    uv run python benchmarks/fuzz.py --messages 10000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from server.protocol import ERROR_CODES  # noqa: E402
from tests.server.helpers import ServerProc, default_order, start_server  # noqa: E402

FAC_TYPES = ["pause", "resume", "force_turn", "god_view", "reveal", "inject", "set_seat"]
LEVERS = ["export_controls", "subsidy", "self_reliance", "oversight", "safety_floor", "treaty"]
WEIRD = [
    None,
    True,
    -1,
    2**64,
    1e308,
    -0.0,
    "",
    "x" * 70,
    "\u202e\u0000",
    [],
    {},
    [1, [2, [3]]],
    {"$ne": 1},
    "../../etc/passwd",
    "'; DROP TABLE game_log; --",
]


INVALID_LEVER = [-1, 2**64, 1e308, "x" * 70, [], {}, {"$ne": 1}, "../../etc/passwd"]


def mutate(token: str) -> str:
    """``token`` with its last character changed (a near miss, never the token itself)."""
    return token[:-1] + ("A" if token[-1] != "A" else "B")


@dataclass
class Game:
    """A live game under attack: its ids and tokens."""

    game_id: str
    facilitator: str
    seat: str
    turn: int = 0


@dataclass
class Tally:
    """What came back."""

    sent: Counter[str] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    bad: list[str] = field(default_factory=list)


def _j(obj: Any) -> str:
    return json.dumps(obj, allow_nan=True)


def ws_payload(rng: random.Random, g: Game, other: Game, role: str) -> tuple[str, str | bytes]:
    """One hostile websocket message for a connection of ``role`` (seat/spectator/anon/fac)."""
    w = rng.choice(WEIRD)
    choices: list[tuple[str, Any]] = [
        ("not_json", lambda: rng.choice(["{", "nul", "{'v':1}", "\x00\x01", "[1,", "}{"])),
        ("not_object", lambda: _j(rng.choice([1, "s", [1, 2], None, True, 3.5]))),
        (
            "bad_version",
            lambda: _j({"v": rng.choice([0, 2, "1", None, True, 1.5]), "type": "ping"}),
        ),
        (
            "unknown_type",
            lambda: _j({"v": 1, "type": rng.choice(["x", "", 1, None, "ORDER"]), "id": 1}),
        ),
        (
            "extra_field",
            lambda: _j(
                {"v": 1, "type": "ping", "id": "e", rng.choice(["a", "__proto__", "admin"]): w}
            ),
        ),
        (
            "bad_id",
            lambda: _j(
                {"v": 1, "type": "order", "id": w, "turn": g.turn, "order": {"subsidy": -5}}
            ),
        ),
        (
            "bad_lever",
            lambda: _j(
                {
                    "v": 1,
                    "type": "order",
                    "id": "l",
                    "turn": g.turn,
                    "order": {rng.choice(LEVERS): rng.choice(INVALID_LEVER)},
                }
            ),
        ),
        (
            "unknown_lever",
            lambda: _j({"v": 1, "type": "order", "id": "u", "turn": g.turn, "order": {"root": 1}}),
        ),
        (
            "nan_inf",
            lambda: (
                f'{{"v":1,"type":"order","id":"n","turn":{g.turn},"order":{{"subsidy":{rng.choice(["NaN", "Infinity", "-Infinity", "1e999"])}}}}}'
            ),
        ),
        (
            "wrong_kind",
            lambda: _j(
                {
                    "v": 1,
                    "type": "order",
                    "id": "k",
                    "turn": g.turn,
                    "order": {"kind": rng.choice(["lab", "official", "god", 1])},
                }
            ),
        ),
        (
            "stale_turn",
            lambda: _j(
                {
                    "v": 1,
                    "type": "order",
                    "id": "s",
                    "turn": rng.choice([g.turn - 1, g.turn + 1, g.turn + 500])
                    if g.turn
                    else g.turn + rng.randint(1, 9999),
                    "order": {},
                }
            ),
        ),
        (
            "bad_turn",
            lambda: _j(
                {
                    "v": 1,
                    "type": "order",
                    "id": "t",
                    "turn": rng.choice([-1, 10_001, "0", None, 0.5]),
                    "order": {},
                }
            ),
        ),
        (
            "chat_nobody",
            lambda: _j(
                {
                    "v": 1,
                    "type": "chat",
                    "id": "c",
                    "to": rng.choice(["nobody", "US", "god", "facilitator"]),
                    "text": "hi",
                }
            ),
        ),
        (
            "chat_bad",
            lambda: _j(
                {"v": 1, "type": "chat", "id": "c", "text": rng.choice(["", "x" * 2001, 5])}
            ),
        ),
        ("deep", lambda: "[" * rng.choice([1000, 100_000]) + "]" * 5),
        (
            "deep_obj",
            lambda: '{"v":1,"type":"order","turn":0,"order":' + '{"a":' * 5000 + "1" + "}" * 5001,
        ),
        (
            "oversized",
            lambda: _j({"v": 1, "type": "ping", "pad": "x" * rng.randint(17 * 1024, 200 * 1024)}),
        ),
        ("binary", lambda: rng.randbytes(rng.randint(0, 64))),
        (
            "hello_bad_token",
            lambda: _j(
                {
                    "v": 1,
                    "type": "hello",
                    "token": rng.choice(
                        ["x", "", other.seat, other.facilitator, "a" * 129, mutate(g.seat)]
                    ),
                }
            ),
        ),
    ]
    if role in ("seat", "spectator", "anon"):
        choices.append(
            (
                "facilitator_cmd",
                lambda: _j(
                    {
                        "v": 1,
                        "type": rng.choice(FAC_TYPES),
                        "id": "f",
                        "event": "memo_leak",
                        "role": "cn",
                        "mode": "bot",
                    }
                ),
            )
        )
        choices.append(
            (
                "set_deadline",
                lambda: _j({"v": 1, "type": "set_deadline", "seconds": rng.choice([1, 60])}),
            )
        )
    if role == "spectator":
        choices.append(
            ("spectator_order", lambda: _j({"v": 1, "type": "order", "turn": g.turn, "order": {}}))
        )
        choices.append(("spectator_chat", lambda: _j({"v": 1, "type": "chat", "text": "hello"})))
    if role == "fac":
        choices.append(
            (
                "fac_bad_event",
                lambda: _j({"v": 1, "type": "inject", "event": rng.choice(["nope", "", "x" * 65])}),
            )
        )
        choices.append(
            (
                "fac_bad_seat",
                lambda: _j(
                    {
                        "v": 1,
                        "type": "set_seat",
                        "role": rng.choice(["nobody", "god"]),
                        "mode": "bot",
                    }
                ),
            )
        )
        choices.append(
            (
                "fac_bad_mode",
                lambda: _j(
                    {"v": 1, "type": "set_seat", "role": "cn", "mode": rng.choice(["human", "", 1])}
                ),
            )
        )
        choices.append(
            (
                "fac_bad_deadline",
                lambda: _j(
                    {"v": 1, "type": "set_deadline", "seconds": rng.choice([0, -1, 1e9, "x"])}
                ),
            )
        )
        choices.append(("fac_reveal_early", lambda: _j({"v": 1, "type": "reveal"})))
        choices.append(
            ("fac_hello_again", lambda: _j({"v": 1, "type": "hello", "token": g.facilitator}))
        )
    if role == "seat":
        choices.append(("hello_again", lambda: _j({"v": 1, "type": "hello", "token": g.seat})))
    if role == "anon":
        choices.append(
            (
                "before_hello",
                lambda: _j(
                    {
                        "v": 1,
                        "type": rng.choice(["order", "chat", "ping", "sync"]),
                        "turn": 0,
                        "order": {},
                        "text": "x",
                    }
                ),
            )
        )
    name, make = rng.choice(choices)
    if role == "anon" and name == "hello_bad_token":
        pass
    return name, make()


async def ws_worker(
    url: str, token: str | None, role: str, g: Game, other: Game, n: int, seed: int, t: Tally
) -> None:
    """Send ``n`` hostile messages on one connection, each answered by one typed error."""
    rng = random.Random(seed)
    ws: ClientConnection = await connect(url, max_size=None, open_timeout=60)
    try:
        if token is not None or role == "spectator":
            await ws.send(
                _j({"v": 1, "type": "hello", "id": "h", **({"token": token} if token else {})})
            )
            await reply(ws)
        for _ in range(n):
            name, payload = ws_payload(rng, g, other, role)
            if role == "anon" and name == "hello_bad_token" and not isinstance(payload, bytes):
                pass
            t.sent[f"ws:{role}:{name}"] += 1
            await ws.send(payload)
            m = await reply(ws)
            code = m.get("code", m["type"])
            t.codes[code] += 1
            if m["type"] != "error" or code not in ERROR_CODES:
                t.bad.append(f"ws {role} {name}: {str(payload)[:120]!r} -> {m}")
    finally:
        await ws.close()


async def reply(ws: ClientConnection) -> dict[str, Any]:
    """The next ack or error (pushes skipped)."""
    for _ in range(1000):
        m: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 60))
        if m["type"] in ("ack", "error"):
            return m
    raise AssertionError("no reply")


def http_request(rng: random.Random, g: Game, other: Game) -> tuple[str, str, str, dict[str, Any]]:
    """One hostile HTTP request: (name, method, path, httpx kwargs)."""
    gid = g.game_id
    bad_tokens = [None, "x", other.facilitator, other.seat, mutate(g.seat), "Bearer"]
    tok = rng.choice(bad_tokens)
    auth = {"headers": {"Authorization": f"Bearer {tok}"}} if tok else {}
    w = rng.choice(WEIRD)
    choices: list[tuple[str, str, str, dict[str, Any]]] = [
        (
            "create_bad_json",
            "POST",
            "/api/games",
            {"content": b"{nope", "headers": {"content-type": "application/json"}},
        ),
        (
            "create_bad_field",
            "POST",
            "/api/games",
            {
                "json": {
                    rng.choice(
                        [
                            "seed",
                            "scenario",
                            "open_seats",
                            "deadline_seconds",
                            "personalities",
                            "single_player",
                        ]
                    ): w if w not in (None, "", [], {}) else -1,
                    "extra": 1,
                }
            },
        ),
        (
            "create_bad_scenario",
            "POST",
            "/api/games",
            {"json": {"scenario": rng.choice(["nope", "../x", "", "baseline\x00"])}},
        ),
        ("create_bad_role", "POST", "/api/games", {"json": {"open_seats": ["god"]}}),
        ("create_single_no_seat", "POST", "/api/games", {"json": {"single_player": True}}),
        ("claim_taken", "POST", f"/api/games/{gid}/seats/us/claim", {"json": {}}),
        (
            "claim_bot",
            "POST",
            f"/api/games/{gid}/seats/{rng.choice(['cn', 'us-lab', 'cn-wb'])}/claim",
            {"json": {}},
        ),
        (
            "claim_unknown",
            "POST",
            f"/api/games/{gid}/seats/{rng.choice(['god', 'x' * 300, '%00'])}/claim",
            {"json": {}},
        ),
        (
            "claim_bad_body",
            "POST",
            f"/api/games/{gid}/seats/us/claim",
            {"json": {"player": "x" * 65, "admin": True}},
        ),
        ("release_wrong", "POST", f"/api/games/{gid}/seats/us/release", dict(auth)),
        ("export_wrong", "GET", f"/api/games/{gid}/export", dict(auth)),
        (
            "replay_wrong",
            "GET",
            f"/api/games/{gid}/replay/0?view={rng.choice(['god', 'cn', 'us-lab'])}",
            dict(auth),
        ),
        (
            "replay_bad_turn",
            "GET",
            f"/api/games/{gid}/replay/{rng.choice(['-1', '99999', 'x'])}",
            {"headers": {"Authorization": f"Bearer {g.facilitator}"}},
        ),
        ("fork_wrong", "POST", f"/api/games/{gid}/fork", {"json": {"turn": 0}, **auth}),
        (
            "fork_bad",
            "POST",
            f"/api/games/{gid}/fork",
            {
                "json": {"turn": rng.choice([-1, 10_000, "x"])},
                "headers": {"Authorization": f"Bearer {g.facilitator}"},
            },
        ),
        (
            "import_garbage",
            "POST",
            "/api/games/import",
            {"json": rng.choice([{}, {"format": "x"}, {"scenario": "baseline", "seed": 1}, [1]])},
        ),
        ("unknown_game", "GET", f"/api/games/{rng.choice(['nope', '0' * 12, '..', 'a%2Fb'])}", {}),
        ("unknown_route", "GET", rng.choice(["/api/admin", "/api/games/x/y/z", "/ws/games"]), {}),
        ("wrong_method", rng.choice(["DELETE", "PUT", "PATCH"]), f"/api/games/{gid}", {}),
        (
            "oversized",
            "POST",
            "/api/games/import",
            {
                "content": b"[" + b"1," * (9 * 1024 * 1024) + b"1]",
                "headers": {"content-type": "application/json"},
            },
        ),
    ]
    return rng.choice(choices)


async def http_worker(base: str, g: Game, other: Game, n: int, seed: int, t: Tally) -> None:
    """Send ``n`` hostile HTTP requests; each must be a 4xx with a JSON error code."""
    rng = random.Random(seed)
    big_every = max(1, n // 5)  # oversized bodies are slow to send: a handful is enough
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        sent = 0
        for i in range(20 * n):
            if sent >= n:
                break
            name, method, path, kw = http_request(rng, g, other)
            if name == "oversized" and i % big_every:
                continue
            sent += 1
            t.sent[f"http:{name}"] += 1
            r = await http.request(method, path, **kw)
            try:
                body = r.json()
            except ValueError:
                body = {}
            code = body.get("error") if isinstance(body, dict) else None
            t.codes[f"http:{r.status_code}:{code}"] += 1
            if not (400 <= r.status_code < 500) or not isinstance(code, str):
                t.bad.append(f"http {name} {method} {path[:80]} -> {r.status_code} {r.text[:200]}")


async def snapshot(sp: ServerProc, g: Game) -> dict[str, Any]:
    """Everything that would show a change: export, god-view hash, pending orders and events, state."""
    async with httpx.AsyncClient(base_url=sp.base, timeout=60) as http:
        auth = {"Authorization": f"Bearer {g.facilitator}"}
        export = (await http.get(f"/api/games/{g.game_id}/export", headers=auth)).json()
        state = (await http.get(f"/api/games/{g.game_id}")).json()
    async with connect(sp.ws_url(g.game_id)) as ws:
        await ws.send(_j({"v": 1, "type": "hello", "id": "h", "token": g.facilitator}))
        await reply(ws)
        await ws.send(_j({"v": 1, "type": "god_view", "id": "g"}))
        gv = (await reply(ws))["result"]
    for seat in state["seats"]:
        seat.pop("connected", None)
    state.pop("deadline_at", None)
    return {
        "export": export,
        "state": state,
        "god": {k: gv[k] for k in ("turn", "hash", "pending", "pending_events")},
    }


async def setup(sp: ServerProc, seed: int) -> Game:
    """A live game at turn 2: two human seats, ``us`` has a pending order and a chat line."""
    async with httpx.AsyncClient(base_url=sp.base, timeout=60) as http:
        g = (await http.post("/api/games", json={"seed": seed, "open_seats": ["us", "cn"]})).json()
        gid = g["game_id"]
        toks = [
            (await http.post(f"/api/games/{gid}/seats/{r}/claim", json={})).json()["seat_token"]
            for r in ("us", "cn")
        ]
    game = Game(gid, g["facilitator_token"], toks[0])
    for turn in range(3):
        for i, tok in enumerate(toks):
            if turn == 2 and i == 1:
                continue
            async with connect(sp.ws_url(gid)) as ws:
                await ws.send(_j({"v": 1, "type": "hello", "id": "h", "token": tok}))
                for _ in range(200):
                    m = json.loads(await asyncio.wait_for(ws.recv(), 60))
                    if m["type"] == "observation" and m["data"]["turn"] == turn:
                        break
                order = default_order(m)
                await ws.send(
                    _j({"v": 1, "type": "order", "id": "o", "turn": turn, "order": order})
                )
                assert (await reply(ws))["type"] == "ack"
                if turn == 2:
                    await ws.send(_j({"v": 1, "type": "chat", "id": "c", "text": "standing by"}))
                    assert (await reply(ws))["type"] == "ack"
    game.turn = 2
    return game


@dataclass
class FuzzResult:
    """The figures of one fuzz run."""

    tally: Tally
    messages: int
    seconds: float
    unchanged: bool
    alive: bool

    @property
    def ok(self) -> bool:
        return self.unchanged and self.alive and not self.tally.bad and self.messages > 0

    def table(self) -> str:
        t = self.tally
        ws = sum(v for k, v in t.sent.items() if k.startswith("ws:"))
        rows = [
            (
                "hostile messages sent",
                f"{self.messages} ({ws} websocket, {self.messages - ws} HTTP)",
            ),
            ("kinds of attack", f"{len(t.sent)}"),
            ("wall time", f"{self.seconds:.1f} s"),
            ("answered with a typed error", f"{self.messages - len(t.bad)}"),
            ("untyped / wrong / missing replies", f"{len(t.bad)}"),
            ("server still up", "yes" if self.alive else "NO"),
            ("games unchanged (export, hash, pending, state)", "yes" if self.unchanged else "NO"),
            ("error codes seen", ", ".join(f"{k}={v}" for k, v in t.codes.most_common())),
        ]
        lines = [f"{k:<48} {v}" for k, v in rows]
        lines += [f"  bad: {b}" for b in t.bad[:10]]
        lines.append("RESULT: " + ("PASS" if self.ok else "FAIL"))
        return "\n".join(lines)


async def attack(sp: ServerProc, messages: int, seed: int) -> FuzzResult:
    """Set up, snapshot, attack, snapshot."""
    a, b = await setup(sp, 11), await setup(sp, 12)
    before = [await snapshot(sp, a), await snapshot(sp, b)]
    t = Tally()
    t0 = time.monotonic()
    n_http = messages // 5
    n_ws = messages - n_http
    per = n_ws // 4
    url = sp.ws_url(a.game_id)
    await asyncio.gather(
        ws_worker(url, a.seat, "seat", a, b, per, seed + 1, t),
        ws_worker(url, None, "spectator", a, b, per, seed + 2, t),
        ws_worker(url, a.facilitator, "fac", a, b, per, seed + 3, t),
        ws_worker(url, None, "anon", a, b, n_ws - 3 * per, seed + 4, t),
        http_worker(sp.base, a, b, n_http, seed + 5, t),
    )
    elapsed = time.monotonic() - t0
    alive = sp.proc.poll() is None
    after = [await snapshot(sp, a), await snapshot(sp, b)] if alive else []
    return FuzzResult(t, sum(t.sent.values()), elapsed, before == after, alive)


def run_fuzz(messages: int, seed: int = 0) -> FuzzResult:
    """Start a server, fuzz it, stop it."""
    with tempfile.TemporaryDirectory() as tmp:
        sp = start_server(
            f"sqlite:///{tmp}/fuzz.db",
            {
                "PRECIPICE_MESSAGES_PER_SECOND": "1000000",
                "PRECIPICE_MESSAGE_BURST": "1000000",
                "PRECIPICE_HELLO_TIMEOUT_SECONDS": "3600",
                # the seats that set the games up have left: keep them seated, not "away"
                "PRECIPICE_GRACE_SECONDS": "3600",
                "PRECIPICE_MAX_BODY_BYTES": str(8 * 1024 * 1024),
            },
        )
        try:
            return asyncio.run(attack(sp, messages, seed))
        finally:
            sp.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    res = run_fuzz(args.messages, args.seed)
    print(res.table())
    return 0 if res.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
