"""What a game's secrets are, and who may learn them when.

A game's seed, its server secret, its RNG state and hashes of its whole world would let
anyone rebuild the hidden world (a seed plus a hash is an oracle for guessing others'
moves), so until the game is over they reach only its facilitator. Private chat stays
private in every export, also once the game is over, until the facilitator publishes it
at the debrief (``publish_chat`` in the log). Shared forecasts carry odds, never seeds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from server.payloads import ChatLine, ForecastView

if TYPE_CHECKING:
    from server.fold import Entry
    from server.session import GameSession

PUBLISH_CHAT = "publish_chat"
"""The facilitator log action that makes a game's private chat part of its exports."""


def is_over(game: GameSession) -> bool:
    """True once the game is over: from then on its seed and hashes are nobody's secret."""
    return game.over


def may_see_secrets(game: GameSession, kind: str) -> bool:
    """Whether a requester may see the game's seed and whole-world hashes now.

    ``kind`` is who the requester is (``facilitator``, ``seat`` or ``anyone``).
    """
    return kind == "facilitator" or is_over(game)


def public_forecast(result: dict[str, Any]) -> ForecastView:
    """A forecast as the room may see it: the odds, without the seed its rollouts drew from."""
    return cast(ForecastView, {k: v for k, v in result.items() if k != "seed"})


def is_private_chat(data: dict[str, Any]) -> bool:
    """True for a chat line between two roles (not to ``public``)."""
    return bool(data.get("to", "public") != "public")


def chat_published(entries: Iterable[Entry]) -> bool:
    """Whether the facilitator has published the private chat (also in an imported log)."""
    for e in entries:
        d = e.data.get("entry", {}) if e.kind == "imported" else e.data
        kind = d.get("kind") if e.kind == "imported" else e.kind
        if kind == "facilitator" and d.get("action") == PUBLISH_CHAT:
            return True
    return False


def exported_chat(line: ChatLine | dict[str, Any], published: bool) -> bool:
    """Whether a chat line belongs in an export: public lines always, private ones once published."""
    return published or not is_private_chat(cast(dict[str, Any], line))
