"""Issue 13's done-when as one script: a facilitator who has never seen the game, from the lobby
alone, briefs, seats four people (separate browser contexts), starts, runs eight quarters with a
pause and an inject, recovers a player who switched devices (the seat's rejoin link opened in a
new context), ends, reveals and opens the debrief. With PRECIPICE_SCREENS=1 each step's
screenshot goes to docs/screens/exercise-*.png (the README's "Running an exercise").
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import Pages
from tests.browser.test_web_client import LONG

pytestmark = pytest.mark.browser

PEOPLE = {"us": "Ada", "cn": "Bo", "us-lab": "Cy", "us-ai": "Dee"}
QUARTERS = 8


def quarter(k: int) -> str:
    """The label of turn k of the baseline (from 2026-Q1)."""
    return f"{2026 + k // 4}-Q{k % 4 + 1}"


def submit_all(players: dict[str, Any], k: int) -> None:
    """Every person submits quarter k; all pages then show quarter k + 1."""
    for page in players.values():
        page.wait_for_selector(f"#orders-title >> text={quarter(k)}")
        page.click("#submit-order")
    for page in players.values():
        page.wait_for_selector(f"#quarter >> text={quarter(k + 1)}", timeout=LONG)


def test_a_facilitator_runs_an_exercise_from_the_lobby(pages: Pages) -> None:
    fac = pages.new(width=1366, height=768)
    fac.on("dialog", lambda d: d.accept())
    fac.goto("/#/")
    fac.wait_for_selector("#create-game")
    pages.shot(fac, "1-lobby", doc="exercise-1-lobby")

    # Create: four seats open to people, a private game (the default), a fixed seed.
    fac.select_option("#cg-scenario", "baseline")
    for box in fac.locator("#create-game input[name=open]").all():
        box.set_checked(box.get_attribute("value") in PEOPLE)
    fac.fill("#cg-seed", "21")
    fac.click("#create-submit")
    fac.wait_for_url(re.compile(r"#/facilitate/"))
    fac.wait_for_selector("#conn[data-state=live]")
    gid = str(fac.url).rsplit("/", 1)[-1]
    assert "Not started" in fac.inner_text("#clock")
    invite = fac.input_value("#invite-url")
    assert "code=" in invite, "a private game's invitation carries its join code"

    # Brief and seat four people, each in their own browser.
    players: dict[str, Any] = {}
    for role, name in PEOPLE.items():
        page = pages.new()
        page.goto(invite)
        page.wait_for_selector(f"#claim-{role}")
        if role == "us":
            assert page.locator(".role-card").count() >= 8
            pages.shot(page, "2-briefing", doc="exercise-2-briefing")
        page.fill("#player-name", name)
        page.click(f"#claim-{role}")
        page.wait_for_url(re.compile(rf"#/play/{gid}$"))
        page.wait_for_selector("#conn[data-state=live]")
        page.click("#ready")
        page.wait_for_selector("#ready >> text=not ready after all")
        players[role] = page
    pages.shot(players["us"], "3-waiting", doc="exercise-3-waiting")
    for role in PEOPLE:
        fac.wait_for_selector(f'#main tr[data-role="{role}"] >> text=✓ ready')
    assert "Not started" in players["cn"].inner_text("#clock")
    pages.shot(fac, "4-ready", doc="exercise-4-ready")

    # Start: the clock runs and the forms appear.
    fac.click("#start")
    for page in players.values():
        page.wait_for_selector("#submit-order")
    pages.shot(players["us"], "5-seat", doc="exercise-5-seat")

    for k in range(QUARTERS):
        if k == 1:  # a pause: every player sees it where they act
            fac.click("#pause")
            for page in players.values():
                page.wait_for_selector(".banner-paused")
            assert "Paused" in players["us-lab"].inner_text("#clock")
            fac.click("#resume")
            players["us-lab"].wait_for_selector(".banner-paused", state="detached")
        if k == 2:  # an inject
            fac.select_option("#inject-event", "warning_shot")
            fac.click("#inject")
            fac.wait_for_selector("#console-log >> text=Event dealt")
        if k == 4:  # Cy switches devices: the seat's rejoin link, opened in a new browser
            fac.click("#show-links")
            link = fac.input_value("#link-us-lab-url")
            old = players["us-lab"]
            new = pages.new(width=390, height=844)
            new.goto(link)
            new.wait_for_selector("#conn[data-state=live]")
            new.wait_for_selector(f"#orders-title >> text={quarter(k)}")
            old.wait_for_selector(".banner-fatal")
            assert old.locator("#submit-order").count() == 0
            players["us-lab"] = new
            pages.shot(new, "6-rejoined", doc="exercise-6-rejoined")
        submit_all(players, k)
        if k == 2:
            summary = players["us"].inner_text("#quarter-summary")
            assert "event" in summary.lower()
    pages.shot(fac, "7-console", doc="exercise-7-console")

    # End, reveal, debrief.
    fac.click("#end-game")
    for page in players.values():
        page.wait_for_selector(".banner-over", timeout=LONG)
    fac.wait_for_selector("#reveal:not([disabled])")
    fac.click("#reveal")
    for page in players.values():
        page.wait_for_selector('#reveal table[data-table=ais] tr[data-id="us-ai"]')
    pages.shot(players["us"], "8-revealed", doc="exercise-8-revealed", doc_at="#reveal")
    # The debrief: the replay of the whole game, with the god view, the odds over time and the
    # report (built on demand) one click away.
    fac.click("text=Open the replay")
    fac.wait_for_selector("#scrubber")
    fac.wait_for_selector('table[data-table=ais] tr[data-id="us-ai"]')
    assert fac.locator("#open-report").count() == 1
    pages.shot(fac, "9-debrief", doc="exercise-9-debrief")
