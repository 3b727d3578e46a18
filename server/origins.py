"""Which web pages may open a websocket: the server's own origin and a configurable allow-list.

Browsers send ``Origin`` on every websocket handshake and do not apply the same-origin
policy to websockets, so without this check any page a player visits could open a socket
to the game in their name. A handshake without ``Origin`` comes from a program, not a
page (a browser always sends one), and is let through: tokens guard what it can do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def same_origin(origin: str, host: str | None, scheme: str) -> bool:
    """Is ``origin`` this server as the client reached it (``Host`` and http/https for ws/wss)?"""
    if not host:
        return False
    page = "https" if scheme in ("wss", "https") else "http"
    return origin == f"{page}://{host.lower()}"


def origin_allowed(headers: Mapping[str, str], scheme: str, allowed: Iterable[str]) -> bool:
    """May a socket with these handshake headers be accepted?"""
    origin = headers.get("origin")
    if origin is None:
        return True
    origin = origin.rstrip("/").lower()
    return same_origin(origin, headers.get("host"), scheme) or origin in set(allowed)
