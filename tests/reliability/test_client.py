"""The research client (``server.client``) plays whole games against a real server."""

from __future__ import annotations

from typing import Any

from server.client import SeatClient, play_seat, play_seat_async
from tests.server.helpers import ServerProc, claim, create_game


def test_play_seat_creates_a_game_and_plays_it_to_the_end(server: ServerProc) -> None:
    result = play_seat(server.base, None, "baseline", "us", lambda obs: None, seed=3)
    assert result.role == "us"
    assert result.score is not None and set(result.scores) >= {"us", "cn"}
    assert result.outcome is not None
    assert len(result.acked) >= 5 and not result.errors
    # every acknowledged order is in the finished game's export
    saved = server.http().get(f"/api/games/{result.game_id}/export").json()
    for t in saved["turns"]:
        assert t["orders"]["us"] == result.acked[t["turn"]]


def test_policy_orders_and_refused_orders(server: ServerProc) -> None:
    """A policy's order is what the server records; an illegal one falls back to the bot."""
    http = server.http()
    g = create_game(http, seed=8, open_seats=["us", "cn"])
    gid = g["game_id"]

    def subsidy(data: dict[str, Any]) -> dict[str, Any]:
        return {"subsidy": float(5 + data["turn"] % 15)}  # inside the US cap of $25B

    def broken(data: dict[str, Any]) -> dict[str, Any]:
        return {"subsidy": -1.0} if data["turn"] == 0 else {"kind": "state"}

    import asyncio

    async def both() -> list[Any]:
        return list(
            await asyncio.gather(
                play_seat_async(server.base, gid, "baseline", "us", subsidy),
                SeatClient(server.base, gid, claim(http, gid, "cn"), broken).run(),
            )
        )

    us, cn = asyncio.run(both())
    assert us.scores == cn.scores and us.score is not None
    assert all(o["subsidy"] == 5 + t % 15 for t, o in us.acked.items())
    assert [e["code"] for e in cn.errors] == ["invalid_action"]
    assert 0 in cn.acked  # the bot's order for turn 0 replaced the refused one


def test_the_client_waits_in_the_lobby_says_ready_and_plays_once_started(
    server: ServerProc,
) -> None:
    """In a private exercise's lobby the client says ready and orders nothing until the start."""
    import asyncio

    http = server.http()
    g = create_game(http, start=False, visibility="private", seed=12, open_seats=["us"])
    gid, auth = g["game_id"], {"Authorization": f"Bearer {g['facilitator_token']}"}
    token = claim(http, gid, "us", g["join_code"])

    async def run() -> Any:
        play = asyncio.create_task(SeatClient(server.base, gid, token, lambda obs: None).run())
        for _ in range(300):  # the seat says it is ready; the game stays in the lobby
            await asyncio.sleep(0.1)
            st = (await asyncio.to_thread(http.get, f"/api/games/{gid}")).json()
            if [s["ready"] for s in st["seats"] if s["role"] == "us"] == [True]:
                break
        assert st["phase"] == "lobby" and st["turn"] == 0
        r = await asyncio.to_thread(http.post, f"/api/games/{gid}/start", headers=auth)
        assert r.status_code == 200
        return await play

    result = asyncio.run(run())
    assert result.outcome is not None and len(result.acked) >= 5
    assert not [e for e in result.errors if e["code"] == "wrong_phase"]
