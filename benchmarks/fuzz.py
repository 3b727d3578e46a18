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
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.fuzz_http import http_worker  # noqa: E402
from benchmarks.fuzz_targets import Game, Tally, j, reply  # noqa: E402
from benchmarks.fuzz_ws import ws_worker  # noqa: E402
from tests.server.helpers import ServerProc, default_order, start_server  # noqa: E402


async def snapshot(sp: ServerProc, g: Game) -> dict[str, Any]:
    """Everything that would show a change: export, god-view hash, pending orders and events, state."""
    async with httpx.AsyncClient(base_url=sp.base, timeout=60) as http:
        auth = {"Authorization": f"Bearer {g.facilitator}"}
        export = (await http.get(f"/api/games/{g.game_id}/export", headers=auth)).json()
        state = (await http.get(f"/api/games/{g.game_id}")).json()
    async with connect(sp.ws_url(g.game_id)) as ws:
        await ws.send(j({"v": 1, "type": "hello", "id": "h", "token": g.facilitator}))
        await reply(ws)
        await ws.send(j({"v": 1, "type": "god_view", "id": "g"}))
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
        body = {"seed": seed, "open_seats": ["us", "cn"], "visibility": "public"}
        g = (await http.post("/api/games", json=body)).json()
        gid = g["game_id"]
        auth = {"Authorization": f"Bearer {g['facilitator_token']}"}
        (await http.post(f"/api/games/{gid}/start", headers=auth)).raise_for_status()
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
                await ws.send(j({"v": 1, "type": "hello", "id": "h", "token": tok}))
                for _ in range(200):
                    m = json.loads(await asyncio.wait_for(ws.recv(), 60))
                    if m["type"] == "observation" and m["data"]["turn"] == turn:
                        break
                order = default_order(m)
                await ws.send(j({"v": 1, "type": "order", "id": "o", "turn": turn, "order": order}))
                assert (await reply(ws))["type"] == "ack"
                if turn == 2:
                    await ws.send(j({"v": 1, "type": "chat", "id": "c", "text": "standing by"}))
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
