"""The web client in a real browser: a whole game, the facilitator, a reload, a replay."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import Pages
from tests.server.helpers import Client, ServerProc, create_game

pytestmark = pytest.mark.browser

LONG = 60_000


def create_via_form(
    page: Any, open_seats: list[str], turns: int | None = None, seed: int | None = None
) -> str:
    """Create a game from the lobby's form; returns its id (the page lands on the console)."""
    page.goto("/#/")
    page.wait_for_selector("#create-game")
    page.select_option("#cg-scenario", "baseline")
    for box in page.locator("#create-game input[name=open]").all():
        role = box.get_attribute("value")
        box.set_checked(role in open_seats)
    if turns is not None:
        page.fill("#cg-turns", str(turns))
    if seed is not None:
        page.fill("#cg-seed", str(seed))
    page.select_option("#cg-visibility", "public")
    page.click("#create-game button[type=submit]")
    page.wait_for_url(re.compile(r"#/facilitate/"))
    page.wait_for_selector("#conn[data-state=live]")
    return str(page.url).rsplit("/", 1)[-1]


def take_seat(page: Any, game_id: str, role: str, name: str) -> None:
    """Take a seat from its role card (the briefing page of the game)."""
    page.goto(f"/#/brief/{game_id}/{role}")
    page.fill("#player-name", name)
    page.click(f"#claim-{role}")
    page.wait_for_url(re.compile(rf"#/play/{game_id}$"))
    page.wait_for_selector("#conn[data-state=live]")
    page.wait_for_selector("#submit-order, #ready")


def start_game(fac: Any, *players: Any) -> None:
    """The facilitator starts the game from the console; every player's form appears."""
    fac.click("#start")
    for page in players:
        page.wait_for_selector("#submit-order")


def submit(page: Any, levers: dict[str, str] | None = None, last: bool = False) -> None:
    """Set levers and submit; ``last``: this order completes the quarter (the form is redrawn)."""
    for name, value in (levers or {}).items():
        page.fill(f"#lever-{name}", value)
    page.click("#submit-order")
    if last:
        return
    page.wait_for_selector(".form-status.ok, .form-status.bad")
    assert page.locator(".form-status.ok").count() == 1, page.inner_text(".form-status")


def test_whole_game_two_people_and_bots(pages: Pages) -> None:
    fac = pages.new()
    fac.goto("/#/")
    fac.wait_for_selector("#create-game")
    pages.shot(fac, "lobby", full_page=True, doc="lobby")
    game_id = create_via_form(fac, ["us", "cn"], turns=2, seed=11)

    alice, bob = pages.new(), pages.new()
    take_seat(alice, game_id, "us", "Alice")
    take_seat(bob, game_id, "cn", "Bob")
    start_game(fac, alice, bob)
    assert "You are United States" in alice.inner_text("#dash-title")
    assert "You are China" in bob.inner_text("#dash-title")
    # What the seat knows, and how sure: estimates against public benchmarks.
    assert alice.locator("table.estimates tbody tr").count() >= 2

    # A private channel between the two people.
    alice.select_option("#chat-to", "cn")
    alice.fill("#chat-text", "Mutual pause? Our committee is nervous.")
    alice.click("#chat-form button[type=submit]")
    bob.wait_for_selector("#chat-lines >> text=Mutual pause? Our committee is nervous.")
    assert "private" in bob.inner_text("#chat-lines")

    # Quarter 1: Alice tightens export controls; the facilitator sees who has submitted.
    submit(alice, {"export_controls": "0.7"})
    fac.wait_for_selector('#main tr[data-role="us"] >> text=submitted')
    pages.shot(alice, "seat-dashboard", doc="seat")
    submit(bob, last=True)
    alice.wait_for_selector("#quarter >> text=2026-Q2")
    bob.wait_for_selector("#quarter >> text=2026-Q2")
    # The new quarter's form shows the lever where Alice left it, or where the world moved it:
    # the scenario's 2%-a-quarter relaxation event (the server's per-game secret makes it
    # unpredictable even with a fixed seed) takes 0.3 off, and the news says so.
    relaxed = "relaxes export controls" in alice.inner_text("#feed")
    assert alice.input_value("#lever-export_controls") == ("0.4" if relaxed else "0.7")
    alice.wait_for_function("document.querySelectorAll('#charts svg circle').length > 4")

    # Quarter 2, the last: the game ends for everyone.
    submit(alice)
    submit(bob, last=True)
    alice.wait_for_selector(".banner-over", timeout=LONG)
    bob.wait_for_selector(".banner-over", timeout=LONG)
    assert "Final score" in alice.inner_text("#score")

    # Debrief: the facilitator reveals the world to the room.
    fac.wait_for_selector("#reveal:not([disabled])")
    fac.click("#reveal")
    alice.wait_for_selector("#reveal-title")
    labs = alice.inner_text("table[data-table=labs]")
    assert "Misalignment" in labs and "Deception" in labs
    pages.shot(alice, "game-over", full_page=True)


def test_facilitator_pauses_and_injects_an_event(pages: Pages) -> None:
    fac = pages.new()
    game_id = create_via_form(fac, ["us-lab"])
    player = pages.new()
    take_seat(player, game_id, "us-lab", "Pat")
    start_game(fac, player)

    fac.click("#pause")
    player.wait_for_selector(".banner-paused")
    assert "Paused" in player.inner_text("#clock")

    fac.select_option("#inject-event", "warning_shot")
    fac.click("#inject")
    fac.wait_for_selector("#console-log >> text=Event dealt")
    fac.wait_for_selector("#god-slot table[data-table=labs]")
    pages.shot(fac, "facilitator-console", full_page=True, doc="facilitator")

    fac.click("#resume")
    player.wait_for_selector(".banner-paused", state="detached")
    fac.wait_for_selector("#force-turn:not([disabled])")
    fac.click("#force-turn")
    player.wait_for_selector("#feed >> text=a warning shot", timeout=LONG)
    player.wait_for_selector("#quarter >> text=2026-Q2")
    pages.shot(player, "event-in-feed")

    # A broadcast reaches the room too.
    fac.fill("#broadcast-text", "Five minutes for this quarter.")
    fac.click("form:has(#broadcast-text) button[type=submit]")
    player.wait_for_selector("#feed >> text=Five minutes for this quarter.")


def test_reload_keeps_the_seat(pages: Pages, server: ServerProc) -> None:
    http = server.http()
    game = create_game(http, scenario="baseline", open_seats=["us-lab", "cn-lab"], seed=5)
    game_id = game["game_id"]
    # Another person holds the rival lab (and has not submitted), so the quarter stays open.
    assert (
        http.post(f"/api/games/{game_id}/seats/cn-lab/claim", json={"player": "Kim"}).status_code
        == 201
    )
    page = pages.new()
    take_seat(page, game_id, "us-lab", "Robin")
    fac = Client.open(server.ws_url(game_id), game["facilitator_token"])
    assert fac.request({"type": "force_turn"})["type"] == "ack"
    page.wait_for_selector("#quarter >> text=2026-Q2")
    submit(page, {"safety_share": "0.2"})
    url = page.url

    page.reload()
    page.wait_for_selector("#conn[data-state=live]")
    assert page.url == url
    assert "Playing Frontier (US)" in page.inner_text("h1")
    assert "You are Frontier (US)" in page.inner_text("#dash-title")
    page.wait_for_selector("#quarter >> text=2026-Q2")
    # The pending order came back from the server, and the seat is still ours.
    assert page.input_value("#lever-safety_share") == "0.2"
    assert "submitted" in page.inner_text('#seats li[data-role="us-lab"]')
    # The charts were rebuilt from the earlier quarters (two points per series at least).
    page.wait_for_function("document.querySelectorAll('#charts svg circle').length >= 6")
    pages.shot(page, "after-reload", full_page=True)


def test_a_merged_lab_is_told_it_has_nothing_to_decide(pages: Pages, server: ServerProc) -> None:
    """In `consolidation` China's bot merges its labs in the first quarter: the person at
    the absorbed lab sees why the forms are gone, and the seat list says so.

    Certain whatever the game's secret: the hawk bot merges when it believes itself behind,
    and at the first quarter its estimates are the scenario's starting capabilities, no noise
    yet (China 2.5 points behind, hawkishness 0.6 above the hawk's 0.5): no chance in it."""
    http = server.http()
    game = create_game(http, scenario="consolidation", open_seats=["cn-lab-2"], seed=2)
    game_id = game["game_id"]
    page = pages.new()
    take_seat(page, game_id, "cn-lab-2", "Li")
    submit(page, last=True)
    page.wait_for_selector("#quarter >> text=2026-Q2")
    note = page.wait_for_selector("#idle-note")
    assert "merged into DeepCent" in note.inner_text()
    assert page.locator("#orders .lever").count() == 0
    assert "merges Second CN lab into DeepCent" in page.inner_text("#feed")
    assert "Merged into\nDeepCent" in page.inner_text(
        '#dashboard-slot .fact[data-field="merged_into"]'
    )
    pages.shot(page, "merged-lab", full_page=True)
    # Alone at the table, the person still ends the quarter, with an empty order.
    page.click("#submit-order")
    page.wait_for_selector("#quarter >> text=2026-Q3")


def _fmt(v: float) -> str:
    """The page's number format (web/js/dom.js fmt) for plain numbers."""
    if float(v).is_integer():
        return str(int(v))
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def test_replay_scrubbed_to_a_middle_turn(pages: Pages, server: ServerProc) -> None:
    http = server.http()
    game = create_game(
        http, scenario="baseline", single_player=True, seat="us", seed=11, overrides={"turns": 4}
    )
    fac = Client.open(server.ws_url(game["game_id"]), game["facilitator_token"])
    for turn in range(4):
        assert fac.request({"type": "force_turn"})["type"] == "ack"
        fac.wait_for("turn_resolved", lambda m, t=turn: m["data"]["turn"] == t)
    fac.wait_for("game_over")
    want = http.get(f"/api/games/{game['game_id']}/replay/2?view=god").json()

    page = pages.new()
    page.goto(f"/#/replay/{game['game_id']}")
    page.wait_for_selector("#scrubber")
    assert page.get_attribute("#scrubber", "max") == "4"
    page.focus("#scrubber")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("#scrub-label >> text=turn 2")
    assert want["quarter"] in page.inner_text("#scrub-label")
    row = page.locator('table[data-table=labs] tr[data-id="us-lab"]')
    for field in ("capability", "alignment", "compute"):
        shown = row.locator(f'td[data-field="{field}"]').inner_text()
        assert shown == _fmt(want["state"]["labs"]["us-lab"][field]), field
    concern = want["state"]["states"]["us"]["public_concern"]
    shown = page.locator(
        'table[data-table=states] tr[data-id="us"] td[data-field="public_concern"]'
    )
    assert shown.inner_text() == f"{round(concern * 100)}%"
    assert page.locator("#replay-world >> text=" + want["hash"]).count() == 1
    # The turn's decisions, and the charts' marker sits on the chosen turn.
    assert (
        page.locator("table.decisions tbody tr").count() == len(want["state"]["labs"]) * 5
    )  # every seat
    assert page.locator("#charts line.marker").count() >= 1
    pages.shot(page, "replay", full_page=True)
