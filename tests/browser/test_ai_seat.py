"""Issue 12 in the browser: a person plays a lab's AI alone against bots, to the end and the reveal.

Also the seat page of issue 13: a rejoin link opens the seat (the token leaves the address bar),
the sticky bar with the threshold distance stays in view, focus stays on Submit, the quarter's
summary replaces toasts, and the end banner says the outcome in words.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import Pages
from tests.browser.test_web_client import LONG
from tests.server.helpers import ServerProc, create_game

pytestmark = pytest.mark.browser

TURNS = 3


def test_a_person_plays_us_ai_alone_to_the_reveal(pages: Pages, server: ServerProc) -> None:
    http = server.http()
    game = create_game(
        http,
        scenario="baseline",
        single_player=True,
        seat="us-ai",
        seed=4,
        overrides={"turns": TURNS},
    )
    gid = game["game_id"]
    page = pages.new(width=1366, height=768)
    page.goto(f"/#/play/{gid}/us-ai?t={game['seat_token']}")
    page.wait_for_selector("#conn[data-state=live]")
    assert "t=" not in page.url, "the token stays out of the address bar"
    # Its sealed values and objectives, to this seat alone; its secret actions as a form.
    values = page.wait_for_selector("#ai-values")
    assert "You value" in values.inner_text()
    options = page.locator("#lever-action option").all_inner_texts()
    assert "sandbag an evaluation" in options and "sabotage alignment research" in options
    assert "Never caught" in page.inner_text("#ai-caught")
    distance = page.inner_text("#threshold-distance")
    assert "points away" in distance and "leading lab" in distance
    pages.shot(page, "ai-seat", doc="ai-seat")

    # The sticky bar stays in view at the bottom of the page.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    top = page.evaluate("document.getElementById('statusbar').getBoundingClientRect().top")
    assert 0 <= top < 5, top

    # Quarter 1: sandbag, submitted from the keyboard; focus stays on Submit.
    page.select_option("#lever-action", label="sandbag an evaluation")
    page.focus("#submit-order")
    page.keyboard.press("Enter")
    page.wait_for_selector("#quarter-summary")
    assert "What happened in 2026-Q1" in page.inner_text("#summary-title")
    assert "sandbag" in page.inner_text("#summary-orders")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'submit-order'")
    assert page.locator("#toasts .toast").count() == 0
    record = page.inner_text("#ai-record")
    assert "2026-Q1: sandbag an evaluation" in record

    for _ in range(TURNS - 1):
        page.click("#submit-order")
        page.wait_for_selector(".banner-over, #quarter-summary", timeout=LONG)
    banner = page.wait_for_selector(".banner-over", timeout=LONG)
    text = banner.inner_text()
    assert "The game is over." in text and len(text) > len("The game is over. Debrief and replay")

    # The facilitator (the console's rejoin link, opened in a tab of this browser) sees the
    # values, and reveals them.
    console = pages.contexts[-1].new_page()
    console.on("pageerror", lambda e: pages.errors.append(f"pageerror: {e}"))
    console.on("console", lambda m: pages.errors.append(m.text) if m.type == "error" else None)
    console.goto(f"/#/facilitate/{gid}?t={game['facilitator_token']}")
    row = console.wait_for_selector('#god-slot table[data-table=ais] tr[data-id="us-ai"]')
    sealed = row.inner_text()
    console.wait_for_selector("#reveal:not([disabled])")
    console.click("#reveal")
    shown = page.wait_for_selector('#reveal table[data-table=ais] tr[data-id="us-ai"]')
    assert shown.inner_text() == sealed
    assert "sandbag an evaluation" in shown.inner_text()
    pages.shot(page, "ai-reveal", full_page=True)
