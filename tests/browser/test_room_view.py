"""The room view (``#/room/ID``, the projector page) in a real browser against a real server.

A running exercise: two people hold the states, the clock runs, one quarter has resolved
with an injected event and the facilitator has broadcast a line. The facilitator opens the
room view with one click from the console; it shows the big clock counting down, the
quarter, the headlines, who has submitted (it changes when a seat submits) and the public
race chart with the ASI threshold line, and nothing of the god view or anyone's private
news, on screen or on its socket. Nothing here depends on the world's chance outcomes
(each server game draws its own secret): expected values are read from the game itself.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.browser.conftest import Pages
from tests.server.helpers import Client, ServerProc, claim, create_game, default_order

pytestmark = pytest.mark.browser

PRIVATE_KEYS = (
    '"misalignment"',
    '"latent_misalignment"',
    '"deception"',
    '"values"',
    '"god_view"',
    '"all_news"',
    '"private_news"',
    '"audience"',
    '"hash"',
)
"""Keys that would mean the page was sent hidden state (god view, private news, turn hashes)."""


def _order(obs: dict[str, Any]) -> dict[str, Any]:
    """Every lever as it is, without a treaty move."""
    return {k: v for k, v in default_order(obs).items() if k != "treaty"}


def _seat_text(page: Any, role: str) -> str:
    return str(page.inner_text(f'#seats li[data-role="{role}"]'))


def test_the_room_view_shows_the_room_and_nothing_private(pages: Pages, server: ServerProc) -> None:
    http = server.http()
    game = create_game(
        http, scenario="baseline", open_seats=["us", "cn"], seed=8, deadline_seconds=900
    )
    gid = game["game_id"]
    seats = {r: Client.open(server.ws_url(gid), claim(http, gid, r)) for r in ("us", "cn")}
    fac = Client.open(server.ws_url(gid), game["facilitator_token"])
    # quarter 1: an injected event, both people submit; then a broadcast
    assert fac.request({"type": "inject", "event": "warning_shot"})["type"] == "ack"
    for sock in seats.values():
        obs = sock.wait_for("observation")
        assert sock.request({"type": "order", "turn": 0, "order": _order(obs)})["type"] == "ack"
    resolved = fac.wait_for("turn_resolved")["data"]
    public = [n["text"] for n in resolved["all_news"] if n["public"]]
    private = [n["text"] for n in resolved["all_news"] if not n["public"]]
    assert any("(a warning shot)" in t for t in public)
    assert fac.request({"type": "broadcast", "text": "Ten minutes for this quarter."})["type"] == (
        "ack"
    )
    world = fac.wait_for("game_state", lambda m: m["data"]["turn"] == 1)["data"]["world"]
    asi = world["thresholds"]["asi"]

    # the facilitator shows it with one click (a new tab)
    console = pages.new()
    console.goto(game["facilitator_rejoin_url"])
    console.wait_for_selector("#conn[data-state=live]")
    frames: list[str] = []
    with console.context.expect_page() as opened:
        console.click("#open-room")
    room = opened.value
    room.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f))))
    room.on("pageerror", lambda e: pages.errors.append(f"room pageerror: {e}"))
    room.wait_for_url(re.compile(rf"#/room/{gid}$"))
    room.set_viewport_size({"width": 1920, "height": 1080})
    room.reload()  # the socket is watched from the start
    room.wait_for_selector("#conn[data-state=live]")

    # the big clock and the quarter
    assert "2026-Q2 · quarter 2 of 28" in room.inner_text("#quarter")
    clock = room.locator("#clock")
    assert re.fullmatch(r"1[0-5]:\d\d left this quarter", clock.inner_text()), clock.inner_text()
    size = float(clock.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert size >= 40, size  # readable from the back of the room
    # headlines: the quarter's public news (the event among it) and the broadcast
    room.wait_for_selector("#headlines >> text=Facilitator: Ten minutes for this quarter.")
    heads = [
        re.sub(r"^\d{4}-Q\d\s+", "", t) for t in room.locator("#headlines li").all_inner_texts()
    ]
    assert heads[0] == "Facilitator: Ten minutes for this quarter."
    # the newest six lines, newest first: the broadcast, then the quarter's public news
    # (the injected event among them when it is one of the latest five)
    assert heads[1:] == public[::-1][:5], (heads, public)
    # who has submitted: both people are thinking; one submits, and the room sees it
    assert "thinking" in _seat_text(room, "us") and "thinking" in _seat_text(room, "cn")
    obs = seats["us"].wait_for("observation", lambda m: m["data"]["turn"] == 1)
    assert seats["us"].request({"type": "order", "turn": 1, "order": _order(obs)})["type"] == "ack"
    room.wait_for_selector('#seats li[data-role="us"] >> text=✓ submitted')
    assert "thinking" in _seat_text(room, "cn")
    # the race chart: the public benchmarks of both quarters, with the ASI threshold line
    chart = room.locator("#room-chart svg")
    assert "Public benchmarks" in room.inner_text("#room-chart")
    assert chart.locator(".threshold-line").count() == 1
    label = chart.locator(".threshold-label").text_content() or ""
    shown = re.fullmatch(r"ASI threshold \((\d+(?:\.\d+)?)\)", label)
    assert shown and abs(float(shown[1]) - asi) < 0.51, (label, asi)
    assert chart.locator("circle").count() >= 2 * len(world["labs"])
    pages.shot(room, "room-view")

    # nothing private: no god view, no private news, no hidden fields on the socket
    text = room.inner_text("body")
    assert "God view" not in text and "misalignment" not in text.lower()
    assert not [t for t in private if t in text]
    assert frames and any('"kind":"spectator"' in f for f in frames)
    leaked = [k for f in frames for k in PRIVATE_KEYS if k in f]
    assert not leaked, leaked
    assert all(json.loads(f)["type"] != "god_view" for f in frames)
