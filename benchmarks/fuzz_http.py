"""Hostile HTTP requests: malformed lobby calls, wrong tokens, unknown games and routes, big bodies.

Each must be answered by a 4xx with a JSON ``error`` code.
"""

from __future__ import annotations

import random
from typing import Any

import httpx

from benchmarks.fuzz_targets import WEIRD, Game, Tally, mutate


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
