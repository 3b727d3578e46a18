"""Forecasts in the browser: the facilitator shows the odds to the room, the replay charts them."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Pages
from tests.browser.test_web_client import LONG, create_via_form, start_game, take_seat
from tests.server.helpers import Client, ServerProc, create_game

pytestmark = pytest.mark.browser

OUTCOMES = ["rogue_asi", "corrigible_asi:us", "corrigible_asi:cn", "no_asi"]


def test_facilitator_shows_the_odds_to_the_room(pages: Pages) -> None:
    fac = pages.new()
    game_id = create_via_form(fac, ["us-lab"])
    player = pages.new()
    take_seat(player, game_id, "us-lab", "Pat")
    start_game(fac, player)

    # Compute odds: only the facilitator sees them.
    fac.select_option("#forecast-rollouts", "100")
    fac.click("#forecast-compute")
    card = fac.wait_for_selector("#forecast-slot .odds-card", timeout=LONG)
    assert "only you see this" in card.inner_text()
    assert player.locator("#feed .odds-card").count() == 0

    # Show them to the room: the player's feed gets an odds card, not just a line of text.
    fac.click("#forecast-share")
    fac.wait_for_selector("#forecast-slot >> text=Shown to the room", timeout=LONG)
    player.wait_for_selector("#feed .odds-card", timeout=LONG)
    rows = player.locator("#feed .odds-card li")
    assert [rows.nth(i).get_attribute("data-outcome") for i in range(rows.count())] == OUTCOMES
    text = player.inner_text("#feed .odds-card")
    assert "Rogue ASI" in text and "Corrigible ASI: United States" in text
    assert "Corrigible ASI: China" in text and "95%" in text
    assert "P(rogue ASI)" in player.inner_text("#feed .tag-announcement + .news-text")
    pages.shot(player, "odds-in-feed")
    pages.shot(fac, "facilitator-forecast", full_page=True)

    # Before the game is over a seat's replay explains why it cannot see the odds.
    player.goto(f"/#/replay/{game_id}")
    player.locator("#odds-panel").scroll_into_view_if_needed()
    denied = player.wait_for_selector(".odds-denied")
    assert "only the facilitator" in denied.inner_text()
    # The browser logs the refused request (403) as a console error: that one is expected.
    pages.errors[:] = [e for e in pages.errors if "status of 403" not in e]


def test_replay_charts_how_the_odds_moved(pages: Pages, server: ServerProc) -> None:
    http = server.http()
    # A lower ASI threshold raises the odds of an ASI. Whether anyone reaches it depends on
    # the game's secret (in practice nobody does in 8 quarters), so only the chart's shape is
    # checked, never an outcome; the game lasts at least the two quarters scrubbed below.
    game = create_game(
        http,
        scenario="baseline",
        single_player=True,
        seat="us",
        seed=11,
        overrides={"turns": 8, "dynamics.asi_threshold": 60},
    )
    game_id = game["game_id"]
    fac = Client.open(server.ws_url(game_id), game["facilitator_token"])
    turn = 0
    while not http.get(f"/api/games/{game_id}").json()["done"]:
        assert fac.request({"type": "force_turn"})["type"] == "ack"
        fac.wait_for("turn_resolved", lambda m, t=turn: m["data"]["turn"] == t)
        turn += 1
    n = http.get(f"/api/games/{game_id}/replay").json()["turns"]

    page = pages.new()
    page.goto(f"/#/replay/{game_id}")
    page.wait_for_selector("#scrubber")
    assert page.get_attribute("#open-report", "href") == f"/api/games/{game_id}/report?rollouts=40"
    page.locator("#odds-panel").scroll_into_view_if_needed()
    page.wait_for_selector("#odds-panel svg.chart-svg", timeout=LONG)
    chart = page.locator("#odds-panel svg.chart-svg")
    # One line and one shaded 95% band per outcome, a point per quarter, and the marker.
    assert chart.locator("g.series").count() == len(OUTCOMES)
    assert chart.locator("path.band").count() == len(OUTCOMES)
    assert chart.locator("g.series").first.locator("circle").count() == len(n) + 1
    assert chart.locator("line.marker").count() == 1
    legend = page.inner_text("#odds-panel .legend")
    for name in ("P(Rogue ASI)", "P(Corrigible ASI: United States)", "P(No ASI in time)"):
        assert name in legend
    assert "at the end of the game" in page.inner_text("#odds-panel .odds-head")

    # Scrubbing moves the marker and the card to that quarter.
    before = chart.locator("line.marker").get_attribute("x1")
    page.focus("#scrubber")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("#scrub-label >> text=turn 1")
    quarter = n[1]["quarter"]
    page.wait_for_selector(f"#odds-panel .odds-head >> text=from the start of {quarter}")
    after = page.locator("#odds-panel svg.chart-svg line.marker").get_attribute("x1")
    assert after != before
    pages.shot(page, "replay-odds", full_page=True, doc="replay", doc_at="section.scrubber")
