"""Browser tests: a real ``precipice serve`` per module, driven by Debian's Chromium.

Playwright cannot download browsers here, so the tests launch the system Chromium
(``PRECIPICE_CHROMIUM`` or ``/usr/bin/chromium``). Without it they skip with the reason,
unless ``PRECIPICE_REQUIRE_BROWSER=1`` (then they fail). Screenshots go to
``test-artifacts/browser/`` (git-ignored).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.helpers import ServerProc, close_all, start_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 30_000


def chromium_path() -> str | None:
    """The Chromium binary to drive, or None if there is none."""
    path = os.environ.get("PRECIPICE_CHROMIUM") or "/usr/bin/chromium"
    return path if Path(path).is_file() and os.access(path, os.X_OK) else None


def _need_browser() -> str:
    path = chromium_path()
    if path is None:
        reason = (
            "no Chromium at $PRECIPICE_CHROMIUM or /usr/bin/chromium "
            "(apt-get install -y chromium); Playwright cannot download browsers here"
        )
        if os.environ.get("PRECIPICE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"PRECIPICE_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return path


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    close_all()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    """One server per test module on a fresh SQLite file (a generous reconnect grace)."""
    _need_browser()
    db = tmp_path_factory.mktemp("db") / "precipice.db"
    proc = start_server(db_url=f"sqlite:///{db}", env={"PRECIPICE_GRACE_SECONDS": "30"})
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def browser(server: ServerProc) -> Iterator[Any]:
    """Headless Chromium through the sync Playwright API."""
    path = _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Pages:
    """Open browser contexts (one per person) and collect page errors."""

    def __init__(self, browser: Any, base: str, name: str) -> None:
        self.browser = browser
        self.base = base
        self.name = name
        self.contexts: list[Any] = []
        self.errors: list[str] = []

    def new(self, width: int = 1360, height: int = 860, bypass_csp: bool = False) -> Any:
        """A page in a new browser context (``bypass_csp``: to inject a test library, e.g. axe)."""
        ctx = self.browser.new_context(
            viewport={"width": width, "height": height},
            base_url=self.base,
            bypass_csp=bypass_csp,
        )
        ctx.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(ctx)
        page = ctx.new_page()
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on(
            "console",
            lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None,
        )
        return page

    def shot(
        self,
        page: Any,
        label: str,
        full_page: bool = False,
        doc: str | None = None,
        doc_at: str | None = None,
    ) -> Path:
        """Screenshot to test-artifacts/; with PRECIPICE_SCREENS=1 also the README's docs/screens/<doc>.png."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{label}.png"
        page.screenshot(path=str(path), full_page=full_page)
        if doc and os.environ.get("PRECIPICE_SCREENS") == "1":
            from PIL import Image

            out = ROOT / "docs" / "screens" / f"{doc}.png"
            out.parent.mkdir(parents=True, exist_ok=True)
            raw = ARTIFACTS / f"{self.name}-{label}-viewport.png"
            if doc_at:
                page.locator(doc_at).evaluate("e => e.scrollIntoView({block: 'start'})")
            else:
                page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(raw))
            with Image.open(raw) as im:
                w, h = im.size
                small = im.convert("RGB").resize(
                    (1024, round(h * 1024 / w)), Image.Resampling.LANCZOS
                )
                small.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)
        return path

    def close(self) -> None:
        for ctx in self.contexts:
            ctx.close()


@pytest.fixture
def pages(browser: Any, server: ServerProc, request: pytest.FixtureRequest) -> Iterator[Pages]:
    """A factory of pages, one browser context each; fails the test on any page error."""
    p = Pages(browser, server.base, request.node.name)
    yield p
    p.close()
    assert not p.errors, p.errors


Screenshot = Callable[[Any, str], Path]
