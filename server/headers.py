"""Security headers on every HTTP response: a strict Content-Security-Policy and friends.

Pages of this server (the web client in ``web/``) load scripts, styles, fonts and images
only from this origin, run no inline script or style, open connections (fetch and
websockets) only to this origin and to the origins in ``PRECIPICE_ALLOWED_ORIGINS`` (the other
processes of a cluster on other hosts, whose game sockets a page must reach: ``page_policy``),
and cannot be framed. The debrief report is one
self-contained file, so its route sets its own policy (``report_policy``): no script at
all, its own inline ``<style>`` elements by hash, images only as ``data:``. FastAPI's
``/docs`` and ``/redoc`` pages load their viewer from a CDN with an inline bootstrap
script, so they alone get a looser policy (still no framing, no plugins).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def page_policy(connect_origins: Iterable[str] = ()) -> str:
    """The pages' policy; ``connect_origins`` (``https://host:port``) may also be connected to.

    Each origin is allowed over HTTP and as a websocket (``wss://`` for ``https://``,
    ``ws://`` for ``http://``): a cluster's game sockets live on its processes' public URLs.
    """
    extra = []
    for origin in connect_origins:
        scheme, _, rest = origin.partition("://")
        extra += [origin, f"{'wss' if scheme == 'https' else 'ws'}://{rest}"]
    if not extra:
        return PAGE_POLICY
    return PAGE_POLICY.replace("connect-src 'self'", "connect-src 'self' " + " ".join(extra))


DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https:; style-src 'self' https:; "
    "img-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


def report_policy(html: str) -> str:
    """The policy for one report: no script; its inline ``<style>`` elements by their hashes.

    Inline ``style`` attributes (the SVG charts use them) are allowed; they cannot run code.
    """
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(m.encode()).digest()).decode() + "'"
            for m in _STYLE.findall(html)
        }
    )
    return (
        "default-src 'none'; script-src 'none'; img-src data:; "
        f"style-src-elem {' '.join(hashes) or "'none'"}; style-src-attr 'unsafe-inline'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


class SecurityHeaders:
    """ASGI middleware adding the policy (unless the route set its own) and hardening headers."""

    def __init__(self, app: ASGIApp, connect_origins: Iterable[str] = ()) -> None:
        self.app = app
        self.page_policy = page_policy(connect_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        policy = DOCS_POLICY if path.startswith(DOCS_PATHS) else self.page_policy

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = policy
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
            await send(message)

        await self.app(scope, receive, with_headers)
