"""The facilitator's console shows the server's own trouble (``server_alert``) until it is over.

A real ``precipice serve`` on a SQLite file. The test makes the quarter's commit fail for
real: a trigger in that database refuses this game's ``turn_resolved`` log row, so the
resolution after the last order is rolled back, reported to the facilitator and retried.
The console shows a banner (an ARIA alert) that stays while the server retries; once the
trigger is dropped, a retry commits and the banner says the quarter resolved after all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager

import pytest

from tests.browser.conftest import Pages
from tests.server.helpers import Client, ServerProc, claim, create_game, default_order

pytestmark = pytest.mark.browser


@contextmanager
def resolutions_fail(server: ServerProc, game_id: str) -> Iterator[None]:
    """While inside: the database refuses ``game_id``'s ``turn_resolved`` rows (a real abort)."""
    path = server.db_url.removeprefix("sqlite:///")

    def run(sql: str) -> None:
        with closing(sqlite3.connect(path, timeout=30)) as db:
            db.execute(sql)
            db.commit()

    run(
        "CREATE TRIGGER fail_resolution BEFORE INSERT ON game_log "
        f"WHEN NEW.kind = 'turn_resolved' AND NEW.game_id = '{game_id}' "
        "BEGIN SELECT RAISE(ABORT, 'the disk said no'); END"
    )
    try:
        yield
    finally:
        run("DROP TRIGGER IF EXISTS fail_resolution")


def test_the_console_shows_a_failed_resolution_until_it_recovers(
    pages: Pages, server: ServerProc
) -> None:
    http = server.http()
    game = create_game(http, scenario="baseline", open_seats=["us-lab"], seed=4)
    gid = game["game_id"]
    seat = Client.open(server.ws_url(gid), claim(http, gid, "us-lab"))
    fac = pages.new()
    fac.goto(game["facilitator_rejoin_url"])
    fac.wait_for_selector("#conn[data-state=live]")
    banner = fac.locator("#server-alert")
    assert banner.is_hidden()
    obs = seat.wait_for("observation")
    with resolutions_fail(server, gid):
        # the last order is acked; its quarter's commit fails, and the server retries
        assert (
            seat.request({"type": "order", "turn": 0, "order": default_order(obs)})["type"] == "ack"
        )
        fac.wait_for_selector("#server-alert[data-kind=resolution_failed]")
        assert banner.get_attribute("role") == "alert" and banner.is_visible()
        text = banner.inner_text()
        assert "could not resolve 2026-Q1" in text and "tries again in" in text
        assert "the disk said no" in banner.locator("details").text_content()
        assert "resolving 2026-Q1 failed" in fac.inner_text("#console-log")
        pages.shot(fac, "server-alert-failed")
    fac.wait_for_selector("#server-alert[data-kind=resolution_recovered]", timeout=60_000)
    assert "2026-Q1 resolved after all" in banner.inner_text()
    fac.wait_for_selector("#quarter >> text=2026-Q2")
    fac.click("#server-alert-dismiss")
    assert banner.is_hidden()
