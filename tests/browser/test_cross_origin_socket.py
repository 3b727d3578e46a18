"""A page of one server opens a game socket on another (a cluster's processes on other hosts).

In a cluster a game's ``ws_url`` is its owner's public URL, which may be another origin
than the page's. Both sides must agree: the page's Content-Security-Policy must let it
connect there (``connect-src``), and the owner must accept the page's ``Origin``. Both come
from ``PRECIPICE_ALLOWED_ORIGINS``. Two real servers stand for two hosts: one reached as
``127.0.0.1``, the other as ``localhost`` (different origins to the browser).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.conftest import CHROMIUM_ARGS, _need_browser
from tests.server.helpers import ServerProc, free_port, start_server

pytestmark = pytest.mark.browser

OPENS = """url => new Promise(resolve => {
  let ws;
  try { ws = new WebSocket(url); } catch (e) { resolve("blocked: " + e.name); return; }
  ws.onopen = () => { ws.close(); resolve("open"); };
  ws.onerror = () => resolve("error");
  setTimeout(() => resolve("timeout"), 10000);
})"""


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProc, ...]]:
    """``page`` lists ``owner``'s origin; ``plain`` lists none; ``owner`` accepts both pages'
    origins, so only a page's own policy can stop its socket."""
    _need_browser()
    db: Path = tmp_path_factory.mktemp("db")
    page_port, owner_port, plain_port = free_port(), free_port(), free_port()
    page = start_server(
        f"sqlite:///{db / 'page.db'}",
        env={"PRECIPICE_ALLOWED_ORIGINS": f'["http://localhost:{owner_port}"]'},
        port=page_port,
    )
    owner = start_server(
        f"sqlite:///{db / 'owner.db'}",
        env={
            "PRECIPICE_ALLOWED_ORIGINS": (
                f'["http://127.0.0.1:{page_port}", "http://127.0.0.1:{plain_port}"]'
            )
        },
        port=owner_port,
    )
    plain = start_server(f"sqlite:///{db / 'plain.db'}", port=plain_port)
    yield page, owner, plain
    for s in (page, owner, plain):
        s.stop()


def _open_from(browser: Any, base: str, url: str) -> str:
    ctx = browser.new_context(base_url=base)
    try:
        page = ctx.new_page()
        page.goto("/#/")
        page.wait_for_selector("#create-game")
        return str(page.evaluate(OPENS, url))
    finally:
        ctx.close()


def test_a_page_reaches_a_game_socket_on_a_listed_origin_only(
    servers: tuple[ServerProc, ...],
) -> None:
    page, owner, plain = servers
    gid = httpx.post(f"{owner.base}/api/games", json={"visibility": "public"}).json()["game_id"]
    target = f"ws://localhost:{owner.port}/ws/games/{gid}"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=_need_browser(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            # The page's policy lists the owner, and the owner accepts the page's Origin.
            assert "ws://localhost:" in httpx.get(page.base).headers["content-security-policy"]
            assert _open_from(browser, page.base, target) == "open"
            # A server that lists nobody: its page may not connect elsewhere (its CSP), though
            # the owner would accept its Origin.
            assert _open_from(browser, plain.base, target) != "open"
        finally:
            browser.close()
