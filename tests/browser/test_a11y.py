"""Phone and keyboard on every page: no horizontal overflow at 390 px, skip links, scrolling tables
reachable by keyboard, and axe-core with no serious or critical violation.

axe-core comes from the npm registry at install time (``tests/browser/package.json`` and its
lock; ``npm ci`` in ``.ci/run``) and is loaded into each page from disk, never from a CDN.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Pages
from tests.server.helpers import Client, ServerProc, create_game

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"

SERIOUS = """async () => {
  const r = await axe.run(document, {resultTypes: ["violations"]});
  return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}"""

OVERFLOW = """() => {
  const w = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter((e) => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= w + 1) return false;
    for (let p = e.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") return false;
    }
    return true;
  }).slice(0, 5).map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`);
  return {scroll: document.documentElement.scrollWidth, width: w, wide};
}"""

UNREACHABLE = """() => [...document.querySelectorAll(".table-wrap")]
  .filter((e) => e.scrollWidth > e.clientWidth + 1 && e.tabIndex < 0)
  .map((e) => e.querySelector("caption")?.textContent || e.className)"""


def _axe() -> Path:
    if not AXE.is_file():
        reason = "axe-core is not installed: run `npm ci` in tests/browser (as .ci/run does)"
        if os.environ.get("PRECIPICE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE


def _pages(server: ServerProc) -> dict[str, str]:
    """One of every page, on a game two quarters in (and a finished one for the replay)."""
    http = server.http()
    game = create_game(http, scenario="baseline", single_player=True, seat="us", seed=3)
    gid = game["game_id"]
    fac = Client.open(server.ws_url(gid), game["facilitator_token"])
    for turn in range(2):
        assert fac.request({"type": "force_turn"})["type"] == "ack"
        fac.wait_for("turn_resolved", lambda m, t=turn: m["data"]["turn"] == t)
    exercise = create_game(http, scenario="baseline", open_seats=["us", "cn", "us-lab"], seed=3)
    return {
        "lobby": "/#/",
        "how": "/#/how",
        "briefing": f"/#/brief/{exercise['game_id']}",
        "seat": f"/#/play/{gid}/us?t={game['seat_token']}",
        "console": f"/#/facilitate/{gid}?t={game['facilitator_token']}",
        "spectator": f"/#/play/{gid}?spectate=1",
        "room": f"/#/room/{gid}",
        "replay": f"/#/replay/{gid}",
    }


def _settle(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#main > :not(p.muted)")
    page.wait_for_load_state("networkidle")
    if "/play/" in url or "/facilitate/" in url or "/room/" in url:
        page.wait_for_selector("#conn[data-state=live]")
    page.wait_for_timeout(300)


def test_every_page_on_a_phone_and_for_axe(pages: Pages, server: ServerProc) -> None:
    axe = _axe()
    urls = _pages(server)
    desk = pages.new(width=1366, height=768, bypass_csp=True)
    phone = pages.new(width=390, height=844, bypass_csp=True)
    problems: list[str] = []
    for name, url in urls.items():
        _settle(desk, url)
        desk.add_script_tag(path=str(axe))
        problems += [f"{name}: {v}" for v in desk.evaluate(SERIOUS)]
        problems += [f"{name}: table not reachable: {t}" for t in desk.evaluate(UNREACHABLE)]
        _settle(phone, url)
        over = phone.evaluate(OVERFLOW)
        if over["scroll"] > over["width"] or over["wide"]:
            problems.append(f"{name} at 390 px: {over}")
        problems += [
            f"{name} at 390 px: table not reachable: {t}" for t in phone.evaluate(UNREACHABLE)
        ]
        pages.shot(phone, f"phone-{name}")
    assert not problems, "\n".join(problems)

    # Keyboard: the skip link comes first in the tab order and moves focus to the content.
    desk.goto("/#/")
    desk.wait_for_selector("#create-game")
    first = "document.querySelector('a[href], button, input, select, textarea, [tabindex]')"
    assert desk.evaluate(f"{first}.className") == "skip"
    desk.focus("a.skip")
    desk.keyboard.press("Enter")
    assert desk.evaluate("document.activeElement.id") == "main"
    # The lobby's own skip links reach "Run an exercise" in a few Tabs, not 61.
    for _ in range(6):
        desk.keyboard.press("Tab")
        if desk.evaluate("document.activeElement.textContent") == "Run an exercise":
            break
    desk.keyboard.press("Enter")
    assert desk.evaluate("document.activeElement.id") == "create-title"
