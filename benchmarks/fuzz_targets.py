"""What the fuzz run attacks and tallies: the games' ids and tokens, hostile values, replies.

Shared by ``benchmarks/fuzz.py`` and its websocket and HTTP attacks.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection

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


def j(obj: Any) -> str:
    """JSON text, NaN and Infinity allowed (some attacks need them)."""
    return json.dumps(obj, allow_nan=True)


async def reply(ws: ClientConnection) -> dict[str, Any]:
    """The next ack or error (pushes skipped)."""
    for _ in range(1000):
        m: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 60))
        if m["type"] in ("ack", "error"):
            return m
    raise AssertionError("no reply")
