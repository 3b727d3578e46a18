"""Hostile websocket messages: one generator per kind of connection, and the worker sending them.

Each message must be answered by exactly one typed ``error`` with a code from the protocol.
"""

from __future__ import annotations

import random
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from benchmarks.fuzz_targets import WEIRD, Game, Tally, j, mutate, reply
from server.protocol import ERROR_CODES

FAC_TYPES = ["pause", "resume", "force_turn", "god_view", "reveal", "inject", "set_seat"]
LEVERS = ["export_controls", "subsidy", "self_reliance", "oversight", "safety_floor", "treaty"]
INVALID_LEVER = [-1, 2**64, 1e308, "x" * 70, [], {}, {"$ne": 1}, "../../etc/passwd"]


def ws_payload(rng: random.Random, g: Game, other: Game, role: str) -> tuple[str, str | bytes]:
    """One hostile websocket message for a connection of ``role`` (seat/spectator/anon/fac)."""
    w = rng.choice(WEIRD)
    choices: list[tuple[str, Any]] = [
        ("not_json", lambda: rng.choice(["{", "nul", "{'v':1}", "\x00\x01", "[1,", "}{"])),
        ("not_object", lambda: j(rng.choice([1, "s", [1, 2], None, True, 3.5]))),
        (
            "bad_version",
            lambda: j({"v": rng.choice([0, 2, "1", None, True, 1.5]), "type": "ping"}),
        ),
        (
            "unknown_type",
            lambda: j({"v": 1, "type": rng.choice(["x", "", 1, None, "ORDER"]), "id": 1}),
        ),
        (
            "extra_field",
            lambda: j(
                {"v": 1, "type": "ping", "id": "e", rng.choice(["a", "__proto__", "admin"]): w}
            ),
        ),
        (
            "bad_id",
            lambda: j({"v": 1, "type": "order", "id": w, "turn": g.turn, "order": {"subsidy": -5}}),
        ),
        (
            "bad_lever",
            lambda: j(
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
            lambda: j({"v": 1, "type": "order", "id": "u", "turn": g.turn, "order": {"root": 1}}),
        ),
        (
            "nan_inf",
            lambda: (
                f'{{"v":1,"type":"order","id":"n","turn":{g.turn},"order":{{"subsidy":{rng.choice(["NaN", "Infinity", "-Infinity", "1e999"])}}}}}'
            ),
        ),
        (
            "wrong_kind",
            lambda: j(
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
            lambda: j(
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
            lambda: j(
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
            lambda: j(
                {
                    "v": 1,
                    "type": "chat",
                    "id": "c",
                    "to": rng.choice(["nobody", "US", "god", "Facilitator"]),
                    "text": "hi",
                }
            ),
        ),
        (
            "chat_bad",
            lambda: j({"v": 1, "type": "chat", "id": "c", "text": rng.choice(["", "x" * 2001, 5])}),
        ),
        ("deep", lambda: "[" * rng.choice([1000, 100_000]) + "]" * 5),
        (
            "deep_obj",
            lambda: '{"v":1,"type":"order","turn":0,"order":' + '{"a":' * 5000 + "1" + "}" * 5001,
        ),
        (
            "oversized",
            lambda: j({"v": 1, "type": "ping", "pad": "x" * rng.randint(17 * 1024, 200 * 1024)}),
        ),
        ("binary", lambda: rng.randbytes(rng.randint(0, 64))),
        (
            "hello_bad_token",
            lambda: j(
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
                lambda: j(
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
                lambda: j({"v": 1, "type": "set_deadline", "seconds": rng.choice([1, 60])}),
            )
        )
    if role == "spectator":
        choices.append(
            ("spectator_order", lambda: j({"v": 1, "type": "order", "turn": g.turn, "order": {}}))
        )
        choices.append(("spectator_chat", lambda: j({"v": 1, "type": "chat", "text": "hello"})))
    if role == "fac":
        choices.append(
            (
                "fac_bad_event",
                lambda: j({"v": 1, "type": "inject", "event": rng.choice(["nope", "", "x" * 65])}),
            )
        )
        choices.append(
            (
                "fac_bad_seat",
                lambda: j(
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
                lambda: j(
                    {"v": 1, "type": "set_seat", "role": "cn", "mode": rng.choice(["human", "", 1])}
                ),
            )
        )
        choices.append(
            (
                "fac_bad_deadline",
                lambda: j(
                    {"v": 1, "type": "set_deadline", "seconds": rng.choice([0, -1, 1e9, "x"])}
                ),
            )
        )
        choices.append(("fac_reveal_early", lambda: j({"v": 1, "type": "reveal"})))
        choices.append(
            ("fac_hello_again", lambda: j({"v": 1, "type": "hello", "token": g.facilitator}))
        )
    if role == "seat":
        choices.append(("hello_again", lambda: j({"v": 1, "type": "hello", "token": g.seat})))
    if role == "anon":
        choices.append(
            (
                "before_hello",
                lambda: j(
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
                j({"v": 1, "type": "hello", "id": "h", **({"token": token} if token else {})})
            )
            await reply(ws)
        for _ in range(n):
            name, payload = ws_payload(rng, g, other, role)
            t.sent[f"ws:{role}:{name}"] += 1
            await ws.send(payload)
            m = await reply(ws)
            code = m.get("code", m["type"])
            t.codes[code] += 1
            if m["type"] != "error" or code not in ERROR_CODES:
                t.bad.append(f"ws {role} {name}: {str(payload)[:120]!r} -> {m}")
    finally:
        await ws.close()
