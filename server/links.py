"""Rejoin links: web-client URLs whose fragment carries a token, so it never reaches a server log.

Browsers do not send the fragment (after ``#``) in requests, so a rejoin URL opened on
another device hands the token to the web client alone, which says ``hello`` with it and
takes over the seat (or the facilitator's console). The URLs are root-relative: the client
makes them absolute with its own origin.
"""

from __future__ import annotations

from urllib.parse import quote


def seat_rejoin_url(game_id: str, role: str, token: str) -> str:
    """The URL that reopens a seat on any device: ``/#/play/{game}/{role}?t=TOKEN``."""
    return f"/#/play/{quote(game_id, safe='')}/{quote(role, safe='')}?t={quote(token, safe='')}"


def facilitator_rejoin_url(game_id: str, token: str) -> str:
    """The URL that reopens the facilitator's console: ``/#/facilitate/{game}?t=TOKEN``."""
    return f"/#/facilitate/{quote(game_id, safe='')}?t={quote(token, safe='')}"
